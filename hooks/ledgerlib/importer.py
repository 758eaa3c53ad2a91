"""Read an existing rectification report (.txt, .md, .docx) into an ImportResult.

The genre: a preamble, then chapters "一、…"; one chapter (整改落实情况) holds
categories "（一）…" with numbered problems "1.标题。问题…", each followed by
its measures ("整改情况：…") and a status sentence ("目前，此项问题已整改完毕。").
Reports vary in punctuation width, numbering, labels and where the status
sentence sits; the patterns below accept all of these.

Every input paragraph is accounted for: ``ImportResult.placed`` maps its
number to where it went, and whatever fits nowhere is in ``unplaced``.
Writing the ledger files is ``ledgerwriter``'s job.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from . import constants as C
from . import importcols
from .genre import opens_with, stated_statuses
from .report import ANNEX_TITLE
from .textfile import looks_utf16

NUMERALS = "一二三四五六七八九十"
_CHAPTER = re.compile(rf"^([{NUMERALS}]{{1,3}})\s*[、.．，,]\s*(\S.*)$")
_SUBHEADING = re.compile(rf"^[（(]\s*([{NUMERALS}]{{1,3}})\s*[)）]\s*(.*)$")
_NUMBERED = re.compile(r"^(\d{1,4})\s*(?:[.．、]|[)）])\s*(\S.*)$")
_LABEL = re.compile(r"^(整改情况|整改措施|整改进展|整改落实情况|整改结果)\s*[：:]\s*(.*)$")
# A sentence ends at 。！？ or a half-width full stop that is not a decimal point.
_SENTENCE_END = re.compile(r"[。！？!?]|(?<!\d)\.|\.(?!\d)")
_TRAILING_PUNCT = "。；;，,.．：:！!？? "
_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_SIGNATURE_DATE = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$")
_CN_DIGITS = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {"○": "0", "零": "0"}

# Pasted web pages bring their page furniture along; it is reported, not kept.
_WEB_LEFTOVER = re.compile(
    r"^[【\[]?\s*(索引号|来源|信息来源|发布时间|发布日期|发布机构|发文机关|生成日期|成文日期|主题分类|"
    r"公开方式|公开时限|公开范围|文号|作者|编辑|责任编辑|浏览次数|阅读次数|点击数|访问量|字号|字体|"
    r"打印本页|打印|关闭窗口|关闭|分享到|扫一扫|保存本页|收藏|返回顶部|当前位置|您当前的位置)"
    r"\s*[】\]]?\s*([：:]|$|\s|[【\[])")
_WEB_INLINE = re.compile(r"打印本页|关闭窗口|【\s*打印\s*】|【\s*关闭\s*】|字体\s*[：:]\s*[【\[]?\s*大\s*中\s*小")

# A status sentence talks about "this problem" or "now"; without such a subject
# an ending like "…确保已整改到位。" is part of the measures.
_STATUS_SUBJECT = re.compile(r"^(目前|当前|现已|截至|截止|此项|该项|本项|该问题|此问题|本问题|这一问题|上述问题)|此项|该项|该问题|本问题")
_STATUS_MAX_LEN = 50


@dataclass
class SourceParagraph:
    number: int  # 1-based position in the input, as the summary reports it
    text: str
    in_table: bool = False
    cells: tuple[str, ...] = ()  # a table row's cells, each merged cell once


@dataclass
class NarrativeBlock:
    """A narrative paragraph, with the run-in heading it started with, if any."""

    heading: str | None
    text: str


@dataclass
class Chapter:
    title: str
    paragraphs: list[SourceParagraph]
    heading: SourceParagraph | None = None
    kind: str = "narrative"  # "narrative", "summary" or "problems"
    blocks: list[NarrativeBlock] = field(default_factory=list)


@dataclass
class ImportedCategory:
    name: str
    short: str = ""
    intro: list[str] = field(default_factory=list)
    summary: str = ""  # "" = the ledger's default phrase


@dataclass
class MeasureRow:
    """One measure of a problem, as a 台账 row keeps it: its own owner, person,
    deadline and progress. Kept apart so that per-measure fields can be written
    once problem files hold a list of measures."""

    text: str
    owners: list[str] = field(default_factory=list)
    leader: str = ""
    person: str = ""
    deadline: dt.date | None = None
    completed: dt.date | None = None
    status: str | None = None
    status_text: str = ""
    evidence: list[str] = field(default_factory=list)
    evidence_files: list[str | None] = field(default_factory=list)  # empty, or one per evidence name


@dataclass
class ImportedProblem:
    number: int  # as printed in the report
    title: str
    category: int  # 0-based index into ImportResult.categories
    problem: list[str] = field(default_factory=list)
    measures: list[str] = field(default_factory=list)
    status: str | None = None  # status key; None: the report does not say
    status_sentence: str | None = None
    id: int = 0
    owners: list[str] = field(default_factory=list)  # empty: not known, written as 待定
    leader: str = ""
    deadline: dt.date | None = None
    completed: dt.date | None = None
    evidence: list[str] = field(default_factory=list)
    measure_rows: list[MeasureRow] = field(default_factory=list)
    # Write measure_rows as the file's ``measures:`` list: a workbook of our
    # own export, whose measure columns say which fields are the measure's.
    write_measures: bool = False
    kept: list[tuple[str, str]] = field(default_factory=list)  # (column, text) with no field: a comment in the file
    follows: list[str] = field(default_factory=list)  # "2023-区委巡察/15", from our export's 延续自 column
    evidence_files: list[str | None] = field(default_factory=list)  # empty, or one per evidence name
    immediate: bool = False  # 立行立改
    public: bool = True  # false: left out of the public notice
    results: dict[str, str] = field(default_factory=dict)  # result kind key -> figure as written
    signoff: tuple[str, dt.date, str] | None = None  # (by, date, note): a line of issues/signoff.yml
    opening: str = ""  # the numbered paragraph as printed, title included


@dataclass
class Unplaced:
    paragraph: SourceParagraph
    reason: str


@dataclass
class ImportResult:
    source: Path
    title: str = ""
    unit: str = ""
    group: str = ""
    round: str = ""
    period: str = ""
    feedback_date: dt.date | None = None
    signature_unit: str = ""
    signature_date: dt.date | None = None
    preamble: list[NarrativeBlock] = field(default_factory=list)
    chapters: list[Chapter] = field(default_factory=list)
    categories: list[ImportedCategory] = field(default_factory=list)
    problems: list[ImportedProblem] = field(default_factory=list)
    numbering: str = "continuous"
    wording: dict[str, str] = field(default_factory=dict)  # only what the report's own text gave
    placed: dict[int, str] = field(default_factory=dict)  # paragraph number -> destination
    unplaced: list[Unplaced] = field(default_factory=list)
    regenerated: list[tuple[SourceParagraph, str]] = field(default_factory=list)
    leftovers: list[SourceParagraph] = field(default_factory=list)  # web page furniture
    notes: list[str] = field(default_factory=list)  # things the user should check
    paragraph_count: int = 0
    kind: str = "report"  # "report" or "workbook"
    annex_rows: int = 0  # problems whose owner, leader and dates came from an annex table
    columns: dict[str, str] = field(default_factory=dict)  # field -> the input's column name
    unplaced_columns: list[str] = field(default_factory=list)
    result_kinds: list[tuple[str, str, str]] = field(default_factory=list)  # (key, label, unit) for ledger.yml
    # A 台账 of our own export (its first columns are export.COLUMNS): an empty
    # cell there says the field is empty, not that the 台账 does not say.
    own_export: bool = False

    def place(self, paragraph: SourceParagraph, where: str) -> None:
        self.placed[paragraph.number] = where

    def regenerate(self, paragraph: SourceParagraph, what: str) -> None:
        """A paragraph the tool writes again by itself (附件说明, its own small
        print): accounted for, and shown in the summary, but not stored."""
        self.placed[paragraph.number] = what
        self.regenerated.append((paragraph, what))

    def reject(self, paragraph: SourceParagraph, reason: str) -> None:
        self.unplaced.append(Unplaced(paragraph, reason))


class ImportFailed(Exception):
    """The input cannot be read as a report of this genre (message in Chinese)."""


# -- reading ----------------------------------------------------------------


def read_paragraphs(path: Path) -> list[SourceParagraph]:
    suffix = path.suffix.lower()
    if suffix == ".docx":
        texts = _docx_texts(path)
    elif suffix in (".txt", ".md", ".markdown", ".text"):
        raw = decode_text(path.read_bytes())
        texts = [(t, False, ()) for t in (_markdown_blocks(raw) if suffix in (".md", ".markdown") else raw.splitlines())]
    else:
        raise ImportFailed(f"不支持的文件类型“{path.suffix}”；报告请使用 .txt、.md 或 .docx（.doc 请先用 Word 另存为 .docx），台账请使用 .xlsx 或 .csv。")
    result = []
    for text, in_table, cells in texts:
        text = _clean(text)
        if text:
            result.append(SourceParagraph(len(result) + 1, text, in_table, tuple(_clean(c) for c in cells)))
    return result


def decode_text(data: bytes) -> str:
    # An old report is read as it was saved, not refused: Notepad's "Unicode"
    # is UTF-16 (which gb18030 would turn into NUL-studded nonsense), and it
    # saves Chinese text as GBK ("ANSI") unless told otherwise.
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings: tuple[str, ...] = ("utf-16",)
    elif looks_utf16(data):
        encodings = ("utf-16-le",) if data[1:2] == b"\x00" else ("utf-16-be",)
    else:
        encodings = ("utf-8-sig", "gb18030")
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFailed("无法识别文件编码；请用记事本“另存为”并选择 UTF-8 编码后重试。")


def _clean(text: str) -> str:
    return text.replace("\u00a0", " ").replace("\u200b", "").strip(" \t\r\n\u3000")


_MD_HEADING = re.compile(r"^#{1,6}\s+")
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>])")
_MD_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1")


def _markdown_blocks(raw: str) -> list[str]:
    """Markdown paragraphs (blank-line separated), with the markup removed."""
    blocks, current = [], []
    for line in raw.splitlines():
        stripped = line.strip()
        if not stripped or _MD_HEADING.match(stripped):
            if current:
                blocks.append("".join(current))
                current = []
            if stripped:
                blocks.append(_MD_HEADING.sub("", stripped))
            continue
        current.append(stripped)
    if current:
        blocks.append("".join(current))
    return [_MD_ESCAPE.sub(r"\1", _MD_EMPHASIS.sub(r"\2", b)) for b in blocks]


def _docx_texts(path: Path) -> list[tuple[str, bool, list[str]]]:
    """Body paragraphs and table cells in document order."""
    import docx  # imported here: only the .docx import needs python-docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph as DocxParagraph

    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises several types for a bad file
        raise ImportFailed(f"无法打开 Word 文件（{exc}）；请确认是 .docx 格式且未加密。") from None
    result = []
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            result.append((DocxParagraph(child, document).text, False, []))
        elif tag == "tbl":
            for row in Table(child, document).rows:
                cells = _unique_cells(row)
                result.append((" | ".join(cells), True, cells))
    return result


def _unique_cells(row) -> list[str]:
    # Merged cells repeat in python-docx; keep each once.
    seen, texts = set(), []
    for cell in row.cells:
        if id(cell._tc) not in seen:
            seen.add(id(cell._tc))
            texts.append(cell.text.strip())
    return texts


# -- small text helpers -----------------------------------------------------


def sentences(text: str) -> list[str]:
    """Split after each sentence end, keeping the punctuation."""
    parts, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        parts.append(text[start:m.end()])
        start = m.end()
    if start < len(text):
        parts.append(text[start:])
    return [p for p in parts if p.strip()]


def strip_trailing(text: str) -> str:
    return text.rstrip(_TRAILING_PUNCT)


def status_of(sentence: str) -> str | None:
    """The status key a sentence like "目前，此项问题已整改完毕。" states, or None."""
    text = sentence.strip()
    if len(text) > _STATUS_MAX_LEN or not _STATUS_SUBJECT.search(text):
        return None
    return next(iter(stated_statuses(text)), None)


def numbered_heading(text: str) -> str | None:
    """The words of a heading numbered "一、" or "（一）", or None."""
    m = _CHAPTER.match(text) or _SUBHEADING.match(text)
    return m[2] if m else None


def status_of_cell(text: str) -> str | None:
    """The status key a table cell (完成情况/整改状态) states: a label such as
    已完成, or a wording anywhere in a longer progress text; None if neither."""
    text = text.strip().rstrip(_TRAILING_PUNCT)
    if not text:
        return None
    if text in ("是", "已"):  # a 是否完成 column
        return "done"
    if text in ("否", "未") or re.match(r"^(尚未|未|没有)(完成|整改到位|整改完毕)", text):
        return "doing"
    return next(iter(stated_statuses(text)), None)


def is_web_leftover(text: str) -> bool:
    return bool(_WEB_LEFTOVER.match(text) or (len(text) < 80 and _WEB_INLINE.search(text)))


def _cn_date(text: str) -> dt.date | None:
    """A date written 2023年6月30日 or 二〇二三年六月三十日."""
    converted = _cn_numerals_to_digits(text)
    m = _SIGNATURE_DATE.match(converted.strip())
    if not m:
        return None
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def _cn_numerals_to_digits(text: str) -> str:
    def month_day(m: re.Match) -> str:
        s = m.group(0)
        if s == "十":
            return "10"
        tens, _, ones = s.partition("十")
        if "十" not in s:
            return _CN_DIGITS.get(s, s)
        return str((int(_CN_DIGITS[tens]) if tens else 1) * 10 + (int(_CN_DIGITS[ones]) if ones else 0))

    text = re.sub(r"[〇○零一二三四五六七八九]{4}(?=年)", lambda m: "".join(_CN_DIGITS[c] for c in m[0]), text)
    return re.sub(r"[一二三四五六七八九]?十?[一二三四五六七八九]?(?=[月日])",
                  lambda m: month_day(m) if m[0] else "", text)


# -- the report's outline -----------------------------------------------------


def import_report(path: str | Path) -> ImportResult:
    """Read ``path`` and take it apart into ledger pieces."""
    path = Path(path)
    result = ImportResult(source=path)
    paragraphs = read_paragraphs(path)
    result.paragraph_count = len(paragraphs)
    content = _drop_leftovers(paragraphs, result)
    content, annex = _split_annex(content, result)
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
        _apply_annex(annex, result)
    return result


def _drop_leftovers(paragraphs: list[SourceParagraph], result: ImportResult) -> list[SourceParagraph]:
    kept = []
    for p in paragraphs:
        if is_web_leftover(p.text):
            result.leftovers.append(p)
        else:
            kept.append(p)
    return kept


def _is_chapter_heading(text: str) -> re.Match | None:
    m = _CHAPTER.match(text)
    # A heading is short and is not a run-on sentence; "一、…。二、…" prose is not.
    if m and len(m[2]) <= 40 and not re.search(r"[。；;]", m[2].rstrip("。")):
        return m
    return None


def _split_chapters(paragraphs: list[SourceParagraph]) -> tuple[list[SourceParagraph], list[Chapter]]:
    front: list[SourceParagraph] = []
    chapters: list[Chapter] = []
    for p in paragraphs:
        m = _is_chapter_heading(p.text)
        if m and not p.in_table:
            chapters.append(Chapter(strip_trailing(m[2]), [], heading=p))
        elif chapters:
            chapters[-1].paragraphs.append(p)
        else:
            front.append(p)
    return front, chapters


def _take_signature(last: Chapter, result: ImportResult) -> None:
    """A closing "unit / date" pair at the very end becomes the signature."""
    paras = last.paragraphs
    if paras and (date := _cn_date(paras[-1].text)):
        result.signature_date = date
        result.place(paras.pop(), "落款日期（ledger.yml: signature.date）")
        if paras and len(paras[-1].text) <= 30 and not re.search(r"[。，,；;：:]", paras[-1].text):
            result.signature_unit = paras[-1].text
            result.place(paras.pop(), "落款单位（ledger.yml: signature.unit）")
    if paras and _ANNEX_NOTE.match(paras[-1].text):
        result.regenerate(paras.pop(), "附件说明，生成报告时按 ledger.yml 的 report.annex 写出")


# -- the annex after the signature ------------------------------------------------

_ANNEX_NOTE = re.compile(r"^附件\s*[0-9一二三四五六七八九十]*\s*[：:]\s*\S")
_ANNEX_LABEL = re.compile(r"^附件\s*[0-9一二三四五六七八九十]*\s*[：:]?$")
_ANNEX_TITLE_PLACE = "附件标题，生成报告时写出"
_OWN_TRACE = "本报告根据整改台账自动生成"  # the small print this tool's exports carry


def _split_annex(paragraphs: list[SourceParagraph], result: ImportResult) -> tuple[list[SourceParagraph], list[SourceParagraph]]:
    """Cut off a closing annex table (附件：整改台账) with its label and title.

    GB/T 9704 puts the annex after the signature, so the signature is only
    found at the end of the body once the annex is gone."""
    start = len(paragraphs)
    while start > 0 and paragraphs[start - 1].in_table:
        start -= 1
    table = paragraphs[start:]
    if not table or not importcols.looks_like_header(list(table[0].cells)):
        return paragraphs, []
    end = start
    while end > max(0, start - 4) and (where := _annex_furniture(paragraphs[end - 1].text, end - start)):
        end -= 1
        if where == _ANNEX_TITLE_PLACE and paragraphs[end].text != ANNEX_TITLE:
            result.reject(paragraphs[end], f"附件标题，生成报告时统一写作“{ANNEX_TITLE}”")
        else:
            result.regenerate(paragraphs[end], where)
    return paragraphs[:end], table


def _annex_furniture(text: str, depth: int) -> str | None:
    """What a paragraph just above the annex table is, if it belongs to the annex."""
    if _ANNEX_LABEL.match(text):
        return "附件标注，生成报告时写出"
    if text.startswith(_OWN_TRACE):
        return "本工具生成报告时附的小字说明，每次生成时重写"
    if depth == 0 and len(text) <= 40 and not re.search(r"[。；;，,]", text) and not _cn_date(text):
        return _ANNEX_TITLE_PLACE
    return None


def _apply_annex(table: list[SourceParagraph], result: ImportResult) -> None:
    """Owners, leaders and dates from the annex rows, matched to the problems of the body."""
    fields, extra = importcols.map_header(list(table[0].cells))
    header = list(table[0].cells)
    result.place(table[0], "附件表格表头")
    result.unplaced_columns += [name for _, name in extra]
    shorts: dict[int, set[str]] = {}
    matches = _annex_matches(table[1:], fields, result)
    for row, problem in matches:
        cells = list(row.cells)
        if problem is None:
            result.reject(row, "附件表格中的这一行与正文中的问题对不上（序号和问题标题都不符）")
            continue
        if category := _cell(cells, fields, "category"):
            shorts.setdefault(problem.category, set()).add(category)
        _take_table_fields(problem, cells, fields, header, result)
        problem.kept = importcols.unique([*problem.kept, *((name, cells[i]) for i, name in extra if i < len(cells) and cells[i])])
        result.place(row, f"问题文件（第{problem.number}项的责任部门、责任领导、时限，取自附件表格）")
    result.annex_rows = len({id(p) for _, p in matches if p is not None})
    _annex_shorts(shorts, result)
    _annex_ids(matches, fields, result)


def _annex_matches(rows: list[SourceParagraph], fields: dict[str, int],
                   result: ImportResult) -> list[tuple[SourceParagraph, ImportedProblem | None]]:
    """Row k is the body's problem k when the annex lists them all in the body's
    order (as this tool prints it: repeated titles stay apart); otherwise each
    row is matched by its title, and its number where titles repeat."""
    problems = result.problems
    if len(rows) == len(problems) and all(
            _annex_title_of(p, list(row.cells), fields) for row, p in zip(rows, problems, strict=True)):
        for row, p in zip(rows, problems, strict=True):
            _annex_retitle(p, list(row.cells), fields)
        return list(zip(rows, problems, strict=True))
    by_title: dict[str, list[ImportedProblem]] = {}
    for p in problems:
        by_title.setdefault(p.title, []).append(p)
    return [(row, _annex_problem(list(row.cells), fields, by_title, result)) for row in rows]


def _annex_title(cells: list[str], fields: dict[str, int]) -> str:
    return _cell(cells, fields, "title") or _cell(cells, fields, "problem")


def _annex_title_of(problem: ImportedProblem, cells: list[str], fields: dict[str, int]) -> bool:
    """The row names this problem: its title, or its whole text; or a shorter
    title the body's text opens with ("标题，…" printed without a title of its own)."""
    text = _annex_title(cells, fields)
    if text == problem.title or strip_trailing((sentences(text) or [""])[0]) == problem.title:
        return True
    return text != problem.title and opens_with(problem.opening, text)


def _annex_retitle(problem: ImportedProblem, cells: list[str], fields: dict[str, int]) -> None:
    """The body cannot tell where a title ends inside its first sentence; the
    annex can. The report printed such a text whole, so it is the problem text."""
    text = _annex_title(cells, fields)
    if text != problem.title and opens_with(problem.opening, text) and problem.title.startswith(text):
        problem.title = text
        problem.problem[0] = problem.opening


def _annex_ids(matches: list[tuple[SourceParagraph, ImportedProblem | None]], fields: dict[str, int],
               result: ImportResult) -> None:
    """The annex's 序号 is each problem's id, where the body only numbers them
    in order: take the ids when every problem has its own."""
    ids = {id(p): _cell(list(row.cells), fields, "id") for row, p in matches if p is not None}
    numbers = [ids.get(id(p), "") for p in result.problems]
    if all(n.isdigit() and int(n) > 0 for n in numbers) and len(set(numbers)) == len(numbers):
        for problem, number in zip(result.problems, numbers, strict=True):
            problem.id = int(number)


def _cell(cells: list[str], fields: dict[str, int], name: str) -> str:
    index = fields.get(name)
    return cells[index].strip() if index is not None and index < len(cells) else ""


def _annex_problem(cells: list[str], fields: dict[str, int], by_title: dict[str, list[ImportedProblem]],
                   result: ImportResult) -> ImportedProblem | None:
    """The problem an annex row is about: same title (and number, when titles repeat)."""
    number, title = _cell(cells, fields, "id"), _annex_title(cells, fields)
    candidates = by_title.get(title) or by_title.get(strip_trailing((sentences(title) or [""])[0]), [])
    if len(candidates) > 1:
        candidates = [p for p in candidates if number in (str(p.id), str(p.number))]
    if len(candidates) == 1:
        return candidates[0]
    if not title and number.isdigit():
        return next((p for p in result.problems if p.id == int(number)), None)
    return None


def _take_table_fields(problem: ImportedProblem, cells: list[str], fields: dict[str, int], header: list[str],
                      result: ImportResult) -> None:
    """An annex row's owner, leader, dates and status for a problem read from the body;
    its other cells the body does not already say are kept as comments."""
    def keep(name: str, value: str) -> None:
        if (header[fields[name]], value) not in problem.kept:  # a merged cell repeats on each of its rows
            problem.kept.append((header[fields[name]], value))

    # A problem may span several rows (one per measure, its cells merged):
    # owners and leaders are united, the latest date is kept.
    if (owners := importcols.names(_cell(cells, fields, "owner"))) and owners != [PENDING]:
        problem.owners = importcols.unique([*problem.owners, *owners])
    if (leader := _cell(cells, fields, "leader")) not in _EMPTY_CELLS:
        problem.leader = "、".join(importcols.unique([*filter(None, problem.leader.split("、")), leader]))
    for name in ("deadline", "completed"):
        value = _cell(cells, fields, name)
        day, _ = importcols.date(value)
        if day:
            setattr(problem, name, max(filter(None, (getattr(problem, name), day))))
        elif value not in _EMPTY_CELLS:
            keep(name, value)
    if evidence := _cell(cells, fields, "evidence"):
        problem.evidence = importcols.unique([*problem.evidence, *evidence.splitlines()])
    if person := _cell(cells, fields, "person"):
        keep("person", person)
    if (measures := _cell(cells, fields, "measures")) and measures != "\n".join(problem.measures):
        keep("measures", measures)
    status = status_of_cell(_cell(cells, fields, "status"))
    if problem.status is None:
        problem.status = status
    elif status and status != problem.status:
        result.notes.append(f"第{problem.number}项：正文的整改进展表述与附件表格的整改状态不一致，已按正文记录，请核对。")


PENDING = "待定"  # what an imported ledger writes, and an export prints, for an unknown owner or leader
_EMPTY_CELLS = ("", PENDING, "无", "/", "—", "-")


def _annex_shorts(shorts: dict[int, set[str]], result: ImportResult) -> None:
    """The annex prints each category's short name: take it when all of the
    category's rows agree on one and no other category is called so."""
    taken = {c.name for c in result.categories}
    for index, names in shorts.items():
        category = result.categories[index]
        names.discard(category.name)
        if len(names) == 1 and (name := names.pop()) not in taken:
            category.short = name
            taken.add(name)


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
        m = _SUBHEADING.match(p.text)
        if m:
            parts = sentences(m[2])
            heading = parts[0] if parts else m[2]
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
            self.result.numbering = "per_category"

    def take(self, p: SourceParagraph) -> None:
        if (m := _SUBHEADING.match(p.text)) and m[2]:
            return self.start_category(p, m[2])
        if (m := _NUMBERED.match(p.text)) and self.is_next_number(int(m[1])):
            return self.start_problem(p, int(m[1]), m[2])
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
        problem.id = problem.number if result.numbering == "continuous" else n


# -- the summary chapter ----------------------------------------------------------


def read_summary(chapter: Chapter, result: ImportResult) -> None:
    """Turn "共有4个方面17项问题，具体包括…。目前，17项问题已全部整改完毕。" into
    wording templates, so that the generated summary reads like the original
    and still counts for itself when problems change."""
    where = f"“{chapter.title}”部分"
    for p in chapter.paragraphs:
        if p.in_table or not _summary_wording(p.text, result):
            result.reject(p, f"{where}：由自动统计生成，原文未采用")
        else:
            result.place(p, "总体情况措辞（ledger.yml: report.wording）")


def _summary_wording(text: str, result: ImportResult) -> bool:
    parts = sentences(text)
    index = next((i for i, s in enumerate(parts) if re.search(r"\d+\s*个方面", s) and re.search(r"\d+\s*项", s)), None)
    if index is None or "summary" in result.wording:
        return False
    ncat, total = len(result.categories), len(result.problems)
    said = re.search(r"(\d+)\s*个方面\s*(\d+)\s*项", parts[index])
    if said and (int(said[1]), int(said[2])) != (ncat, total):
        result.notes.append(f"总体情况写的是{said[1]}个方面{said[2]}项问题，而逐项整改情况中有{ncat}个方面{total}项；生成的报告按实际数目统计，请核对。")
    summary = _braces(parts[index])
    summary = re.sub(r"\d+(\s*个方面)", r"{categories}\1", summary, count=1)
    summary = re.sub(r"(\{categories\}\s*个方面\s*)\d+(\s*项)", r"\1{total}\2", summary, count=1)
    if m := re.search(r"(具体包括|包括|分别是|其中)[：:]?(.+?)([。.；;]?)$", summary):
        _category_phrases(m[2], result)
        summary = summary[:m.start(2)] + "{breakdown}" + summary[m.end(2):]
    result.wording["summary"] = summary
    rest = "".join(parts[:index] + parts[index + 1:]).strip()
    if parts[:index]:
        return False  # text before the counting sentence has no place in the template
    if rest:
        done_all = all(p.status == "done" for p in result.problems)
        if not (done_all and re.search(rf"{total}\s*项", rest)):
            return False
        result.wording["all_done"] = re.sub(rf"{total}(\s*项)", r"{total}\1", _braces(rest), count=1)
    return True


def _braces(text: str) -> str:
    return text.replace("{", "{{").replace("}", "}}")


def _category_phrases(breakdown: str, result: ImportResult) -> None:
    """Each "“名称”方面3项" item of the breakdown, in category order; an item
    worded differently becomes that category's ``summary`` phrase."""
    items = _split_outside_quotes(breakdown)
    counts = [sum(1 for p in result.problems if p.category == i) for i in range(len(result.categories))]
    if len(items) != len(result.categories):
        result.notes.append(f"总体情况列举了{len(items)}个方面，与{len(result.categories)}个问题方面不一致；各方面的列举写法已改用默认写法。")
        return
    for item, category, count in zip(items, result.categories, counts, strict=True):
        if item == C.default_category_summary(category.name).format(name=category.name, count=count):
            continue
        if re.search(r"\d+(?=\s*[项个条])", item):
            category.summary = re.sub(r"\d+(?=\s*[项个条][^\d]*$)", "{count}", _braces(item), count=1)


def _split_outside_quotes(text: str) -> list[str]:
    items, depth, current = [], 0, ""
    for ch in text:
        depth += ch in "“‘\"" and depth == 0
        if ch in "”’":
            depth = max(0, depth - 1)
        if ch in "、，," and depth == 0:
            items.append(current.strip())
            current = ""
        else:
            current += ch
    if current.strip():
        items.append(current.strip())
    return items
