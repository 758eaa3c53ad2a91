"""Read an existing rectification report (.txt, .md, .docx) into an ImportResult.

The genre: a preamble, then chapters "一、…"; one chapter (整改落实情况) holds
categories "（一）…" with numbered problems "1.标题。问题…", each followed by
its measures ("整改情况：…") and a status sentence ("目前，此项问题已整改完毕。").
Reports vary in punctuation width, numbering, labels and where the status
sentence sits; the patterns below accept all of these.

Every input paragraph is accounted for: ``ImportResult.placed`` maps its
number to where it went, and whatever fits nowhere is in ``unplaced``.
Writing the ledger files is ``ledgerwriter``'s job. The file's text is read
by ``reportsource``, the closing annex table by ``importannex``, the summary
chapter by ``importsummary``; the genre's numbers, dates, sentences and
statuses by ``textread``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from pathlib import Path

from .importannex import ANNEX_NOTE, apply_annex, split_annex
from .importmodel import (
    Chapter,
    ImportedCategory,
    ImportedProblem,
    ImportFailed,
    ImportResult,
    NarrativeBlock,
    SourceParagraph,
)
from .importsummary import read_summary
from .model import Numbering
from .reportsource import is_web_leftover, read_paragraphs
from .textread import read_date, read_heading, sentences, status_of, strip_trailing

_LABEL = re.compile(r"^(整改情况|整改措施|整改进展|整改落实情况|整改结果)\s*[：:]\s*(.*)$")


# -- the report's outline -----------------------------------------------------


def import_report(path: str | Path) -> ImportResult:
    """Read ``path`` and take it apart into ledger pieces."""
    path = Path(path)
    result = ImportResult(source=path)
    paragraphs = read_paragraphs(path)
    result.paragraph_count = len(paragraphs)
    content = _drop_leftovers(paragraphs, result)
    content, annex = split_annex(content, result)
    front, chapters = _split_chapters(content)
    if not chapters:
        raise ImportFailed("没有找到“一、”“二、”这样的部分标题；请确认这是一份整改情况报告。")
    _take_signature(chapters[-1], result)
    _read_front(front, result)
    result.chapters = chapters
    problems_chapter = _choose_problems_chapter(chapters)
    if problems_chapter is None:
        raise ImportFailed("没有找到逐项整改情况（带“整改情况：”或“目前，此项问题已整改完毕。”一类表述的编号问题）。")
    for chapter in chapters:
        where = f"“{chapter.title}”部分"
        result.place(chapter.heading, "部分标题（ledger.yml: report.sections）")
        if chapter is problems_chapter:
            chapter.kind = "problems"
            ProblemReader(result, where).read(chapter.paragraphs)
        elif "总体" in chapter.title:
            chapter.kind = "summary"
        else:
            chapter.blocks = _narrative_blocks(chapter.paragraphs, result, where)
    for chapter in chapters:
        if chapter.kind == "summary":
            read_summary(chapter, result)
    _assign_ids(result)
    if annex:
        apply_annex(annex, result)
    return result


def _drop_leftovers(paragraphs: list[SourceParagraph], result: ImportResult) -> list[SourceParagraph]:
    kept = []
    for p in paragraphs:
        if is_web_leftover(p.text):
            result.leftovers.append(p)
        else:
            kept.append(p)
    return kept


def _level(text: str, level: int) -> tuple[int, str] | None:
    """(number, words) of a heading of this level (textread.read_heading), or None."""
    heading = read_heading(text)
    return heading[1:] if heading and heading[0] == level else None


def _chapter_title(text: str) -> str | None:
    heading = _level(text, 1)
    # A heading is short and is not a run-on sentence; "一、…。二、…" prose is not.
    if heading and heading[1] and len(heading[1]) <= 40 and not re.search(r"[。；;]", heading[1].rstrip("。")):
        return heading[1]
    return None


def _split_chapters(paragraphs: list[SourceParagraph]) -> tuple[list[SourceParagraph], list[Chapter]]:
    front: list[SourceParagraph] = []
    chapters: list[Chapter] = []
    for p in paragraphs:
        title = _chapter_title(p.text)
        if title and not p.in_table:
            chapters.append(Chapter(strip_trailing(title), [], heading=p))
        elif chapters:
            chapters[-1].paragraphs.append(p)
        else:
            front.append(p)
    return front, chapters


def _take_signature(last: Chapter, result: ImportResult) -> None:
    """A closing "unit / date" pair at the very end becomes the signature."""
    paras = last.paragraphs
    if paras and (date := read_date(paras[-1].text)):
        result.signature_date = date
        result.place(paras.pop(), "落款日期（ledger.yml: signature.date）")
        if paras and len(paras[-1].text) <= 30 and not re.search(r"[。，,；;：:]", paras[-1].text):
            result.signature_unit = paras[-1].text
            result.place(paras.pop(), "落款单位（ledger.yml: signature.unit）")
    if paras and ANNEX_NOTE.match(paras[-1].text):
        result.regenerate(paras.pop(), "附件说明，生成报告时按 ledger.yml 的 report.annex 写出")


def _read_front(front: list[SourceParagraph], result: ImportResult) -> None:
    """Title, addressee and preamble before "一、"; facts from the preamble."""
    for p in front:
        if p.in_table:
            result.reject(p, "表格内容（报告开头）")
        elif not result.title and not result.preamble and _looks_like_title(p.text):
            result.title = p.text
            result.place(p, "报告标题（ledger.yml: title）")
        elif not result.preamble and re.search(r"[：:]$", p.text) and len(p.text) <= 30:
            result.reject(p, "主送机关（台账不保存主送机关，生成报告时不再出现）")
        else:
            result.preamble.append(NarrativeBlock(None, p.text))
            result.place(p, "报告开头（report/preamble.md）")
    _read_facts(" ".join(b.text for b in result.preamble), result)


def _looks_like_title(text: str) -> bool:
    return len(text) <= 60 and "。" not in text and bool(re.search(r"报告|情况|通报", text))


def _read_facts(text: str, result: ImportResult) -> None:
    if m := re.search(r"([^\s，,。、；;：:]{2,20}?巡[察视]组)", text):
        result.group = m[1]
    if m := re.search(r"对(\S{2,30}?)(?:党委|党组|党支部|党总支)?开展了?(\S{0,30}?巡[察视])", text):
        result.round = m[2]
    if m := re.search(r"(?:向|对)(\S{2,30}?(?:党委|党组|党支部|党总支|局|委|办|中心|公司|学校|医院|街道|镇|乡))(?:反馈|开展)", text):
        result.unit = m[1]
    if m := re.search(r"(?:^|[，,。])\s*([^，,。]{2,30}?至[^，,。]{2,20}?日)\s*[，,]", text):
        result.period = m[1]
    if m := re.search(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日[^。]{0,40}?反馈", text):
        with contextlib.suppress(ValueError):
            result.feedback_date = dt.date(int(m[1]), int(m[2]), int(m[3]))
    if not result.title and result.unit and (m := re.search(r"现将(\S{2,30}?)报告如下", text)):
        result.title = f"{result.unit}关于{m[1]}的报告"


def _choose_problems_chapter(chapters: list[Chapter]) -> Chapter | None:
    """The chapter with most measure labels and status sentences."""
    def score(chapter: Chapter) -> int:
        return sum(1 for p in chapter.paragraphs
                   if _LABEL.match(p.text) or status_of(p.text) or status_of((sentences(p.text) or [""])[-1]))
    best = max(chapters, key=score)
    return best if score(best) else None


def _narrative_blocks(paragraphs: list[SourceParagraph], result: ImportResult, where: str) -> list[NarrativeBlock]:
    """Narrative paragraphs; "（一）小标题。正文…" becomes a heading and its text."""
    blocks = []
    for p in paragraphs:
        if p.in_table:
            result.reject(p, f"表格内容（{where}）")
            continue
        if (m := _level(p.text, 2)) is not None:
            parts = sentences(m[1])
            heading = parts[0] if parts else m[1]
            blocks.append(NarrativeBlock(heading.strip(), "".join(parts[1:]).strip()))
        else:
            blocks.append(NarrativeBlock(None, p.text))
        result.place(p, f"叙述页面（{where}）")
    return blocks


# -- the problems chapter -------------------------------------------------------


class ProblemReader:
    """A small state machine over the 整改落实情况 chapter.

    Phases of the current problem: "problem" (its text), "measures" (after a
    label) and "closed" (after its status sentence). A problem that never got
    a label keeps its numbered paragraph as the problem text and everything
    after it as measures (see ``settle``).
    """

    def __init__(self, result: ImportResult, where: str):
        self.result = result
        self.where = where
        self.problem: ImportedProblem | None = None
        self.phase = "problem"
        self.restarted = False

    def read(self, paragraphs: list[SourceParagraph]) -> None:
        for p in paragraphs:
            if p.in_table:
                self.result.reject(p, f"表格内容（{self.where}）")
            else:
                self.take(p)
        self.close()
        if not self.result.problems:
            raise ImportFailed(f"{self.where}里没有找到编号的问题（如“1.问题标题。问题描述……”）。")
        if self.restarted:
            self.result.numbering = Numbering.PER_CATEGORY

    def take(self, p: SourceParagraph) -> None:
        if (m := _level(p.text, 2)) and m[1]:
            return self.start_category(p, m[1])
        if (m := _level(p.text, 3)) and m[1] and self.is_next_number(m[0]):
            return self.start_problem(p, m[0], m[1])
        if self.problem is not None and self.phase != "closed":
            if (m := _LABEL.match(p.text)):
                self.phase = "measures"
                self.result.place(p, self.destination())
                if len(sentences(m[2])) == 1 and (key := status_of(m[2])):
                    self.set_status(None, key, m[2])  # "整改进展：目前已整改完毕。"
                elif m[2]:
                    self.add_body(m[2])
                return
            first = sentences(p.text)[:1]
            if first and (key := status_of(first[0])):
                return self.set_status(p, key, p.text)
        self.add_text(p)

    def is_next_number(self, number: int) -> bool:
        """A numbered paragraph starts a problem only if it continues the sequence:
        sub-points "1. 2." inside a problem's measures are not problems."""
        last = self.result.problems[-1].number if self.result.problems else 0
        if self.problem is not None:
            last = self.problem.number
        in_category = self.problem is not None and self.problem.category == len(self.result.categories) - 1
        return number == last + 1 or (number == 1 and not in_category)

    def start_category(self, p: SourceParagraph, text: str) -> None:
        self.close()
        parts = sentences(text)
        category = ImportedCategory(strip_trailing(parts[0]) if parts else strip_trailing(text))
        self.result.categories.append(category)
        self.result.place(p, "问题方面（ledger.yml: categories）")
        if len(parts) > 1:  # "（四）方面名称。引导段落…" written run-in
            category.intro.append("".join(parts[1:]).strip())

    def start_problem(self, p: SourceParagraph, number: int, text: str) -> None:
        self.close()
        if not self.result.categories:
            # Problems without category headings: one category for all of them.
            self.result.categories.append(ImportedCategory("反馈问题"))
            self.result.notes.append("报告中问题没有按方面分类，已全部归入“反馈问题”一个方面；可在 ledger.yml 中修改名称。")
        if self.result.problems and number == 1:
            self.restarted = True
        parts = sentences(text)
        title = strip_trailing(parts[0]) if parts else strip_trailing(text)
        # "15.党支部分工不明确；" is both the title and the whole problem text.
        problem_text = "".join(parts[1:]).strip() if len(parts) > 1 else text
        self.problem = ImportedProblem(number, title, len(self.result.categories) - 1, [problem_text], opening=text)
        self.phase = "problem"
        self.result.place(p, self.destination())

    def set_status(self, p: SourceParagraph | None, key: str, sentence: str) -> None:
        self.settle()
        self.problem.status, self.problem.status_sentence = key, sentence
        self.phase = "closed"
        if p is not None:
            self.result.place(p, self.destination())

    def add_text(self, p: SourceParagraph) -> None:
        if self.problem is None:
            if self.result.categories:
                self.result.categories[-1].intro.append(p.text)
                self.result.place(p, "方面引导段落（ledger.yml: categories.intro）")
            else:
                self.result.reject(p, f"位于{self.where}开头、第一个问题方面之前")
        elif self.phase == "closed":
            self.result.reject(p, f"位于第{self.problem.number}项问题的整改进展表述之后")
        else:
            self.result.place(p, self.destination())
            self.add_body(p.text)

    def add_body(self, text: str) -> None:
        """Problem or measures text; a status sentence at its end is split off."""
        part = self.problem.problem if self.phase == "problem" else self.problem.measures
        parts = sentences(text)
        if len(parts) > 1 and (key := status_of(parts[-1])):
            part.append("".join(parts[:-1]).strip())
            self.set_status(None, key, parts[-1].strip())
        else:
            part.append(text)

    def settle(self) -> None:
        """Without a label, only the numbered paragraph is the problem; what
        follows it is the measures."""
        problem = self.problem
        if self.phase == "problem" and len(problem.problem) > 1 and not problem.measures:
            problem.problem, problem.measures = problem.problem[:1], problem.problem[1:]

    def close(self) -> None:
        if self.problem is not None:
            if self.phase != "closed":
                self.settle()
            self.result.problems.append(self.problem)
            self.problem = None

    def destination(self) -> str:
        return f"问题文件（第{self.problem.number}项）"


def _assign_ids(result: ImportResult) -> None:
    """Report numbers are ids when they run on; restarting numbers get 1…n."""
    for n, problem in enumerate(result.problems, start=1):
        problem.id = problem.number if result.numbering == Numbering.CONTINUOUS else n


