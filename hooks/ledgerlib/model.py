"""The ledger's plain types. Everything here is already validated, and
frozen: a loaded ledger is the same object for every output of a build."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from .ladder import DEFAULT_LADDER, NO_CONTACTS, NO_REMINDERS, NO_REPORTING, Contacts, Ladder, Reminders, Reporting


class Numbering(StrEnum):
    """How a document numbers its problems: ledger.yml ``report.numbering``
    and ``documents.<kind>.numbering``."""

    CONTINUOUS = "continuous"
    """全文连续编号: 1, 2, 3 … through the whole document (the default)."""
    PER_CATEGORY = "per_category"
    """每个方面重新编号: each category's problems start again at 1."""

    @property
    def label(self) -> str:
        return {"continuous": "全文连续编号", "per_category": "每个方面重新编号"}[self.value]


@dataclass(frozen=True)
class Status:
    key: str
    label: str
    sentence: str  # the report's closing sentence for a problem in this status
    phrase: str  # how the summary counts it, with {count}
    color: str = "grey"
    done: bool = False  # counts towards the completion rate
    overdue: bool = False  # past its deadline, a problem in this status is overdue


@dataclass(frozen=True)
class Category:
    index: int  # 1-based position in ledger.yml: the report's order
    name: str
    short: str = ""
    summary: str = ""  # phrase in the report's summary, with {count}
    intro: str = ""  # lead paragraph before the category's problems


@dataclass(frozen=True)
class Evidence:
    name: str
    file: str | None = None  # path relative to the repository root


@dataclass(frozen=True)
class Measure:
    """One 整改措施 of a problem (front-matter ``measures:``), as 任务清单 lists it.

    Named Measure, held in ``Issue.tasks``: ``Issue.measures`` already is the
    body's 整改情况 narrative, which the report prints."""

    index: int  # 1-based position in the problem's list
    text: str
    owners: tuple[str, ...]  # defaults to the problem's
    person: str  # 责任人
    deadline: dt.date | None  # defaults to the problem's
    status: Status
    completed: dt.date | None
    evidence: tuple[Evidence, ...]
    line: int  # the item's line in the problem file
    note: str = ""  # 备注: a remark kept beside the measure (配合：财务审计股), never evidence

    @property
    def owner_text(self) -> str:
        return "、".join(self.owners)


@dataclass(frozen=True)
class ResultKind:
    """A kind of 整改成效 that ledger.yml declares, e.g. 制定完善制度 (项)."""

    key: str
    label: str
    unit: str = ""


@dataclass(frozen=True)
class Signoff:
    """A line of issues/signoff.yml: the 巡察办 closes (销号) a done problem."""

    id: int
    by: str
    date: dt.date
    note: str = ""
    line: int = 1


@dataclass(frozen=True)
class Issue:
    id: int
    title: str
    category: Category
    status: Status
    owners: tuple[str, ...]
    leader: str
    deadline: dt.date | None
    completed: dt.date | None
    evidence: tuple[Evidence, ...]
    problem: str  # markdown: the problem as the inspectors stated it
    measures: str  # markdown: the rectification measures (整改情况)
    status_note: str | None  # overrides the status's report sentence
    path: Path  # the source file
    rel_path: str  # the source file relative to the repository root
    # Earlier problems this one continues, as written: ("2023-区委巡察/15", line).
    # Resolved across ledgers by ledgers.Collection, which knows them all.
    follows: tuple[tuple[str, int], ...] = ()
    public: bool = True  # false: left out of the public notice (整改情况通报)
    tasks: tuple[Measure, ...] = ()  # front-matter ``measures:`` (see Measure)
    immediate: bool = False  # 立行立改: fixed at once, during the inspection
    results: dict = field(default_factory=dict)  # result kind key -> Decimal (整改成效)
    signoff: Signoff | None = None  # set from issues/signoff.yml
    note: str = ""  # 备注: the clerk's remark, shown on the page and in the 台账; no document prints it

    @property
    def owner_text(self) -> str:
        return "、".join(self.owners)

    @property
    def report_sentence(self) -> str:
        return self.status.sentence if self.status_note is None else self.status_note

    @property
    def order(self) -> tuple[int, int]:
        """The ledger's order, the one every list and document prints: by
        category as ledger.yml lists them, then by number."""
        return (self.category.index, self.id)

    def __lt__(self, other: Issue) -> bool:
        """``sorted(issues)`` is the ledger's order (see ``order``)."""
        return self.order < other.order


@dataclass(frozen=True)
class ReportSection:
    title: str
    source: Path | None = None  # narrative markdown file
    generate: str | None = None  # "summary" or "problems"


@dataclass(frozen=True)
class ReportSpec:
    preamble: Path | None
    sections: tuple[ReportSection, ...]
    numbering: Numbering
    wording: dict[str, str]
    annex: bool
    trace: bool = True  # the draft's "本报告根据整改台账自动生成…" line; off for the copy that is sent


@dataclass(frozen=True)
class DocumentSpec:
    """What ledger.yml's ``documents.<kind>`` says about one kind of document
    (整改方案, 完成情况报告, 整改情况通报); None or empty: the genre default
    (see documents.spec, which merges them)."""

    title: str | None = None
    preamble: Path | None = None
    sections: tuple[ReportSection, ...] | None = None
    numbering: Numbering | None = None
    wording: dict[str, str] = field(default_factory=dict)
    annexes: tuple[str, ...] | None = None  # "ledger", "problems", "tasks", "owners"
    date: dt.date | None = None  # the signature's date, when not ledger.yml's signature.date


@dataclass(frozen=True)
class LeadingMember:
    """One member of the 整改工作领导小组 (ledger.yml ``leading_group``)."""

    role: str  # 组长, 副组长, 成员
    name: str
    post: str = ""  # 局党委书记


@dataclass(frozen=True)
class NoticeSpec:
    """ledger.yml ``notice``: the public notice's contact block."""

    contact: tuple[str, ...] = ()  # lines: 联系电话：…, 电子邮箱：…
    window_days: int | None = None  # days after publication for comments


@dataclass(frozen=True)
class Ledger:
    """One inspection round of one unit: a folder of problem files."""

    root: Path  # the ledger folder
    repo_root: Path
    title: str
    round: str
    unit: str
    group: str
    period: str
    feedback_date: dt.date | None
    cutoff_date: dt.date | None
    warn_days: int
    note: str
    signature_unit: str
    signature_date: dt.date | None
    categories: tuple[Category, ...]
    statuses: tuple[Status, ...]
    report: ReportSpec
    issues: tuple[Issue, ...]  # in report order: category, then id
    codeowners: dict[str, list[str]] = field(default_factory=dict)  # department -> reviewer accounts
    # The commit the ledger was started from (`ledger.py init`): its history,
    # and the sample's before it, are not this ledger's (see history.read_history).
    history_after: str = ""
    milestones: tuple[tuple[str, int], ...] = ()  # (name, days after feedback_date), for the calendar
    departments: tuple[str, ...] = ()  # ledger.yml's list of valid owners; empty: any owner
    warnings: tuple = ()  # Diagnostics of severity WARNING
    documents: dict[str, DocumentSpec] = field(default_factory=dict)  # kind -> ledger.yml's settings
    leading_group: tuple[LeadingMember, ...] = ()
    notice: NoticeSpec = NoticeSpec()
    results: tuple[ResultKind, ...] = ()  # declared 整改成效 kinds, in ledger order
    # The committee whose round this is (县委, 区委, 市委, 党委…): ledger.yml's
    # committee, else derived from the group's name (docslots.committee_of).
    committee: str = ""
    signoff_path: str | None = None  # issues/signoff.yml relative to the repository, when present
    # The warning ladder (预警、督办) and who is told; see ladder.py.
    head: str = ""  # 单位党组织主要负责人 (ledger.yml ``head:``)
    ladder: Ladder = DEFAULT_LADDER
    reporting: Reporting = NO_REPORTING
    contacts: Contacts = NO_CONTACTS  # never published: reminders.py only
    reminders: Reminders = NO_REMINDERS
    letters: tuple = ()  # letterbook.Letter: the register issues/warnings.yml, in its order
    letters_path: str | None = None  # that register relative to the repository, when present
