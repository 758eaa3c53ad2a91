"""The full report (整改报告) as a plain document model.

``build_report(ledger, standing)`` returns a ``ReportDoc``: headings and
paragraphs of plain text, already numbered (一、 （一） 1. （1）) and worded the
way the genre writes them. Renderers only lay it out: the site's report page
(templates/report.md.j2, printed to PDF) and the .docx exporter consume the
same object, so the two can never say different things.

Layout vocabulary shared by all renderers (GB/T 9704-2012):

* ``Heading.level`` 1 is 一、 in 黑体, 2 is （一） in 楷体, 3 is 1. and 4 is
  （1） in 仿宋, all indented two characters like body paragraphs;
* a ``Paragraph`` with a ``lead`` starts with that run-in heading, printed in
  its level's typeface, then continues in body text on the same line.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from . import aggregate, plaintext
from .constants import default_category_summary
from .genre import chinese_date, heading_number, problem_lead, with_stop
from .model import Issue, Ledger, ReportSection

# A heading number typed by hand: 一、 （一） 1. 1、 （1） (full- or half-width).
_TYPED_NUMBER = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|\d+[.．、]|[（(]\d+[）)])\s*")
MEASURES_LABEL = "整改情况："
ANNEX_TITLE = "整改台账"
# A ledger.yml without report.sections still gets the parts computed from the ledger.
DEFAULT_SECTIONS = (ReportSection("集中整改总体情况", generate="summary"),
                    ReportSection("巡察整改落实情况", generate="problems"))
ANNEX_COLUMNS = ("序号", "问题方面", "问题", "责任部门", "责任领导", "整改时限", "完成时间", "整改状态")


@dataclass(frozen=True)
class Heading:
    kind: ClassVar[str] = "heading"  # lets renderers and templates dispatch without isinstance
    level: int  # 1 一、(黑体)  2 （一）(楷体)  3 1.  4 （1）
    number: str  # "一、", "（一）", "1.", "（1）"; "" for an unnumbered heading
    text: str

    @property
    def full(self) -> str:
        return self.number + self.text


@dataclass(frozen=True)
class Paragraph:
    kind: ClassVar[str] = "paragraph"
    text: str
    lead: Heading | None = None  # run-in heading at the start of the paragraph
    role: str = "body"  # "body", or "status" for a problem's closing progress sentence

    @property
    def full(self) -> str:
        return (self.lead.full if self.lead else "") + self.text


@dataclass(frozen=True)
class ProblemBlock:
    """One problem in section 三: "N.title。problem", "整改情况：measures", status sentence."""

    kind: ClassVar[str] = "problem"
    number: str  # "1."
    issue_id: int
    title: str
    problem: tuple[str, ...]  # paragraphs of plain text
    measures: tuple[str, ...]
    status_key: str
    status_label: str
    status_sentence: str
    done: bool

    def paragraphs(self) -> list[Paragraph]:
        first, *rest = self.problem or ("",)
        # A problem text that opens with its own heading, whole (seed 15–17:
        # "党支部分工不明确；"), is printed once, not as "title。title；".
        lead = Heading(3, self.number, problem_lead(self.title, first))
        out = [Paragraph(first, lead), *(Paragraph(p) for p in rest)]
        if self.measures:
            out.append(Paragraph(MEASURES_LABEL + self.measures[0]))
            out += [Paragraph(p) for p in self.measures[1:]]
        if self.status_sentence:
            out.append(Paragraph(self.status_sentence, role="status"))
        return out


SectionItem = Heading | Paragraph | ProblemBlock


@dataclass(frozen=True)
class Section:
    number: str  # "一、"
    title: str
    kind: str  # "narrative", "summary" or "problems"
    blocks: tuple[SectionItem, ...]

    @property
    def heading(self) -> Heading:
        return Heading(1, self.number, self.title)

    def paragraphs(self) -> Iterator[Heading | Paragraph]:
        """The section's body with problems expanded, heading excluded."""
        for block in self.blocks:
            if isinstance(block, ProblemBlock):
                yield from block.paragraphs()
            else:
                yield block


@dataclass(frozen=True)
class Annex:
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class ReportDoc:
    title: str
    preamble: tuple[Paragraph, ...]
    sections: tuple[Section, ...]
    summary: str  # section 二's count sentence, also available without a summary section
    signature_unit: str
    signature_date: dt.date
    cutoff_date: dt.date  # the data cut-off: ledger.yml's cutoff_date, else the build date
    cutoff_from_ledger: bool
    commit: str | None  # short git commit the report was built from; None outside a checkout
    dirty: bool = False  # the ledger or narrative files had uncommitted changes
    trace: bool = True  # print trace_note under the signature (ledger.yml report.trace)
    annex: Annex | None = None

    @property
    def signature_date_text(self) -> str:
        return chinese_date(self.signature_date)

    @property
    def cutoff_text(self) -> str:
        return chinese_date(self.cutoff_date)

    @property
    def annex_note(self) -> str:
        """The 附件说明 line under the body, when there is an annex."""
        return f"附件：{self.annex.title}" if self.annex else ""

    @property
    def trace_note(self) -> str:
        """Small print at the end: where the figures come from."""
        if not self.commit:
            source = "非 Git 仓库构建，无版本号"
        else:
            source = f"版本 {self.commit}" + ("，另有未提交的修改" if self.dirty else "")
        return f"本报告根据整改台账自动生成，数据截至{self.cutoff_text}（{source}）。"

    def body(self) -> Iterator[Heading | Paragraph]:
        """Everything between the title and the signature, in reading order."""
        yield from self.preamble
        for section in self.sections:
            yield section.heading
            yield from section.paragraphs()

    def body_lines(self) -> list[str]:
        """One line of plain text per heading or paragraph, as the seed report is laid out."""
        return [item.full for item in self.body()]

    def section(self, kind_or_title: str) -> Section:
        for section in self.sections:
            if kind_or_title in (section.kind, section.title):
                return section
        raise KeyError(kind_or_title)


# --- the parts ---------------------------------------------------------------

def narrative(source: str) -> list[Heading | Paragraph]:
    """A narrative file's blocks, with ``## heading`` turned into run-in headings.

    ``##`` is the （一） level, ``###`` the 1. level and ``####`` the （1）
    level; numbers are counted here, and one typed by habit is dropped rather
    than printed twice. A heading followed by a paragraph is printed at the
    start of that paragraph, ending with a full stop; a heading followed by
    another heading (or nothing) stands alone, as written.
    """
    counters = {2: 0, 3: 0, 4: 0}
    out: list[Heading | Paragraph] = []
    pending: Heading | None = None
    for block in plaintext.blocks(source):
        if block.level:
            if pending:
                out.append(pending)
            level = min(max(block.level, 2), 4)
            counters[level] += 1
            for deeper in range(level + 1, 5):
                counters[deeper] = 0
            pending = Heading(level, heading_number(level, counters[level]), _TYPED_NUMBER.sub("", block.text))
        else:
            run_in = Heading(pending.level, pending.number, with_stop(pending.text)) if pending else None
            out.append(Paragraph(block.text, run_in))
            pending = None
    if pending:
        out.append(pending)
    return out


def read_narrative(path: Path | None) -> list[Heading | Paragraph]:
    if path is None:
        return []
    return narrative(path.read_text(encoding="utf-8-sig"))


def summary_sentence(ledger: Ledger, standing: aggregate.Standing) -> str:
    """Section 二: how many problems in which categories, and how far along they are."""
    wording = ledger.report.wording
    counts = standing.total
    groups = [g for g in standing.by_category if g.issues]  # empty categories are not mentioned
    breakdown = "、".join(
        (g.category.summary or default_category_summary(g.category.name)).format(name=g.category.name,
                                                                                   count=len(g.issues))
        for g in groups)
    values = dict(
        group=ledger.group, unit=ledger.unit, categories=len(groups), total=counts.total,
        breakdown=breakdown, status_counts=status_counts(ledger, counts),
        rate=counts.rate_text, done=counts.done,
    )
    progress = "all_done" if counts.total and counts.done == counts.total else "partial"
    return wording["summary"].format_map(values) + wording[progress].format_map(values)


def status_counts(ledger: Ledger, counts: aggregate.Counts) -> str:
    """"已完成整改16项，正在整改1项": done statuses first, then the rest in ledger order."""
    ordered = sorted(ledger.statuses, key=lambda s: not s.done)  # stable: keeps ledger order
    return "，".join(s.phrase.format(count=counts.by_status[s.key])
                    for s in ordered if counts.by_status[s.key])


def problem_block(issue: Issue, number: int) -> ProblemBlock:
    return ProblemBlock(
        number=heading_number(3, number),
        issue_id=issue.id,
        title=issue.title.strip(),
        problem=tuple(plaintext.paragraphs(issue.problem)),
        measures=tuple(plaintext.paragraphs(issue.measures)),
        status_key=issue.status.key,
        status_label=issue.status.label,
        status_sentence=issue.report_sentence.strip(),
        done=issue.status.done,
    )


def problem_blocks(ledger: Ledger, standing: aggregate.Standing) -> list[SectionItem]:
    """Section 三: each category's heading and lead paragraph, then its problems."""
    out: list[SectionItem] = []
    number = 0
    groups = [g for g in standing.by_category if g.issues]
    for n, group in enumerate(groups, 1):
        category = group.category
        out.append(Heading(2, heading_number(2, n), category.name))
        out += [Paragraph(p) for p in plaintext.paragraphs(category.intro)]
        if ledger.report.numbering == "per_category":
            number = 0
        for issue in sorted(group.issues, key=lambda i: i.id):
            number += 1
            out.append(problem_block(issue, number))
    return out


def annex(ledger: Ledger) -> Annex:
    def day(value: dt.date | None) -> str:
        return chinese_date(value) if value else ""

    rows = tuple(
        (str(i.id), i.category.short or i.category.name, i.title, i.owner_text, i.leader,
         day(i.deadline), day(i.completed), i.status.label)
        for i in sorted(ledger.issues, key=lambda i: (i.category.index, i.id)))
    return Annex(ANNEX_TITLE, ANNEX_COLUMNS, rows)


def section(spec: ReportSection, number: int, ledger: Ledger, standing: aggregate.Standing,
            summary: str) -> Section:
    if spec.generate == "summary":
        kind, blocks = "summary", [Paragraph(summary)]
    elif spec.generate == "problems":
        kind, blocks = "problems", problem_blocks(ledger, standing)
    else:
        kind, blocks = "narrative", read_narrative(spec.source)
    return Section(heading_number(1, number), spec.title, kind, tuple(blocks))


def build_report(ledger: Ledger, standing: aggregate.Standing, *, commit: str | None = None,
                 dirty: bool = False) -> ReportDoc:
    """The whole report.

    ``standing.as_of`` is the data cut-off it states (ledger.yml's
    cutoff_date, else the rebuild or build date); ``commit`` and ``dirty`` say
    which version of the ledger it shows (see ``gitrun.git_commit`` and ``git_dirty``).
    """
    summary = summary_sentence(ledger, standing)
    cutoff = standing.as_of
    return ReportDoc(
        title=ledger.title,
        preamble=tuple(p if isinstance(p, Paragraph) else Paragraph("", p)
                       for p in read_narrative(ledger.report.preamble)),
        sections=tuple(section(spec, n, ledger, standing, summary)
                       for n, spec in enumerate(ledger.report.sections or DEFAULT_SECTIONS, 1)),
        summary=summary,
        signature_unit=ledger.signature_unit or ledger.unit,
        signature_date=ledger.signature_date or cutoff,
        cutoff_date=cutoff,
        cutoff_from_ledger=ledger.cutoff_date is not None,
        commit=commit,
        dirty=bool(commit) and dirty,
        trace=ledger.report.trace,
        annex=annex(ledger) if ledger.report.annex else None,
    )
