"""What an import reads, before it is written: plain dataclasses, no logic.

The report reader (``importer``) and the 台账 reader (``import_xlsx``) fill an
``ImportResult``; ``ledgerwriter`` writes it as a ledger folder and
``commands/import_report`` summarises it. Every input paragraph or row is
accounted for: ``placed``, ``regenerated`` or ``unplaced``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from .constants import ASK  # noqa: F401  (ledger.yml's value for a fact the input does not state)
from .model import Numbering

PENDING = "待定"  # what an imported ledger writes, and an export prints, for an unknown owner or leader


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
    note: str = ""  # 备注 of this row alone


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
    note: str = ""  # 备注: note:


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
    sheet_date: dt.date | None = None  # a 台账's own date above its header (填报时间：…)
    preamble: list[NarrativeBlock] = field(default_factory=list)
    chapters: list[Chapter] = field(default_factory=list)
    categories: list[ImportedCategory] = field(default_factory=list)
    problems: list[ImportedProblem] = field(default_factory=list)
    numbering: Numbering = Numbering.CONTINUOUS
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
