"""The document model every output lays out: a ``ReportDoc`` of headings and
paragraphs of plain text, already numbered (一、 （一） 1. （1）) and worded.
report.build_report fills it; the report page template, the Word writer and
the search index only read it.

Layout vocabulary shared by all renderers (GB/T 9704-2012):

* ``Heading.level`` 1 is 一、 in 黑体, 2 is （一） in 楷体, 3 is 1. and 4 is
  （1） in 仿宋, all indented two characters like body paragraphs;
* a ``Paragraph`` with a ``lead`` starts with that run-in heading, printed in
  its level's typeface, then continues in body text on the same line.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import ClassVar

from . import documents as D
from .docslots import BlankSlot
from .gbt9704 import title_lines
from .genre import chinese_date, problem_lead

MEASURES_LABEL = "整改情况："


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
    measures_label: str = MEASURES_LABEL  # the plan's are 整改措施：

    def paragraphs(self) -> list[Paragraph]:
        first, *rest = self.problem or ("",)
        # A problem text that opens with its own heading, whole (seed 15–17:
        # "党支部分工不明确；"), is printed once, not as "title。title；".
        lead = Heading(3, self.number, problem_lead(self.title, first))
        out = [Paragraph(first, lead), *(Paragraph(p) for p in rest)]
        if self.measures:
            out.append(Paragraph(self.measures_label + self.measures[0]))
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
    annexes: tuple[Annex, ...] = ()
    kind: str = D.DEFAULT_KIND  # documents.KINDS
    # What a public document left out, for the approver's eyes only: listed on
    # the page's screen note, never printed nor written to .docx.
    omitted: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()  # what ledger.yml should still say (screen note only)
    # Ledger facts the document printed as a marker, and narrative files
    # still holding the scaffold's placeholder: a warning on the page, a
    # refusal when the document is produced (docslots.refusals).
    blank: tuple[BlankSlot, ...] = ()
    scaffolds: tuple[str, ...] = ()
    names: tuple[str, ...] = ()  # unit, committee, group, round: never split across title lines

    @property
    def title_lines(self) -> tuple[str, ...]:
        """The title's printed lines (GB/T 9704 7.3.3), the same in page, PDF and docx."""
        return title_lines(self.title, self.names)

    @property
    def annex(self) -> Annex | None:
        """The first annex (the progress report has one, the 整改台账)."""
        return self.annexes[0] if self.annexes else None

    @property
    def label(self) -> str:
        return D.KIND_INFO[self.kind].label

    @property
    def signature_date_text(self) -> str:
        return chinese_date(self.signature_date)

    @property
    def cutoff_text(self) -> str:
        return chinese_date(self.cutoff_date)

    @property
    def annex_lines(self) -> list[str]:
        if len(self.annexes) == 1:
            return [f"附件：{self.annexes[0].title}"]
        return [("附件：" if n == 1 else "") + f"{n}.{a.title}" for n, a in enumerate(self.annexes, 1)]

    @property
    def trace_note(self) -> str:
        """Small print at the end: where the figures come from."""
        if self.kind in D.PUBLIC_KINDS:  # a published file names no commit, not even its absence
            return f"本{D.KIND_INFO[self.kind].noun}根据整改台账自动生成，数据截至{self.cutoff_text}。"
        if not self.commit:
            source = "非 Git 仓库构建，无版本号"
        else:
            source = f"版本 {self.commit}" + ("，另有未提交的修改" if self.dirty else "")
        return f"本{D.KIND_INFO[self.kind].noun}根据整改台账自动生成，数据截至{self.cutoff_text}（{source}）。"

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
