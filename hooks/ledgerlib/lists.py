"""Figures of the measures, flags and registers: 任务清单 rows, measure
counts, 立行立改, extensions (延期) read from history, sign-offs, 整改成效.

Computed once per build (``figures``) and read by the dashboard, the lists,
the report and the workbook. Every function is one pass over the problems.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from . import aggregate
from .history import History, ProblemHistory
from .measures import result_totals
from .model import Issue, Ledger, Measure, ResultKind


@dataclass(frozen=True)
class Task:
    """A 任务清单 row: a measure with the problem it belongs to."""

    issue: Issue
    measure: Measure

    @property
    def number(self) -> str:
        return f"{self.issue.id}-{self.measure.index}"

    @property
    def sort_key(self) -> int:
        # Numeric sort of "11-2" in the sortable table: problem, then measure.
        return self.issue.id * 10000 + self.measure.index


@dataclass(frozen=True)
class Extension:
    """A deadline moved later in a commit (申请延期 granted)."""

    old: dt.date
    new: dt.date
    date: dt.date  # the commit's date

    @property
    def text(self) -> str:
        return f"整改时限由 {self.old} 延至 {self.new}"


@dataclass
class Figures:
    tasks: list[Task]
    tasks_done: int
    overdue_tasks: list[Task]
    immediate: int
    signed_off: int
    extended: int  # problems whose deadline, or a measure's, was moved later at least once
    extensions: dict[int, list[Extension]] = field(default_factory=dict)  # id(issue or measure) -> extensions
    results: list[tuple[ResultKind, Decimal]] = field(default_factory=list)

    @property
    def tasks_overdue(self) -> int:
        return len(self.overdue_tasks)

    @property
    def uses_new_keys(self) -> bool:
        """Whether anything here would show; a ledger that uses none of it looks as before."""
        return bool(self.tasks or self.immediate or self.signed_off or self.extended or self.results)


def tasks(ledger: Ledger) -> list[Task]:
    """Every measure, in the report's order of problems."""
    return [Task(issue, m) for issue in ledger.issues for m in issue.tasks]


def figures(ledger: Ledger, as_of: dt.date, history: History | None = None) -> Figures:
    rows = tasks(ledger)
    overdue = [t for t in rows if aggregate.deadline_state(t.measure, as_of, ledger.warn_days).level == "overdue"]
    extensions: dict[int, list[Extension]] = {}  # id(issue) or id(measure) -> its extensions
    extended = 0
    if history is not None and history.available:
        for issue in ledger.issues:
            past = history.of(issue.path.name)
            found = extensions_of(past)
            if found:
                extensions[id(issue)] = found
            for measure, moved in measure_extensions(issue, past):
                extensions[id(measure)] = moved
                found = found or moved
            extended += bool(found)
    return Figures(
        tasks=rows,
        tasks_done=sum(t.measure.status.done for t in rows),
        overdue_tasks=overdue,
        immediate=sum(i.immediate for i in ledger.issues),
        signed_off=sum(i.signoff is not None for i in ledger.issues),
        extended=extended,
        extensions=extensions,
        results=result_totals(ledger),
    )


def extensions_of(past: ProblemHistory | None) -> list[Extension]:
    """Each commit that moved the problem's deadline to a later date."""
    if past is None:
        return []
    found = []
    for event in past.events:
        for change in event.changes:
            if change.field != "deadline" or not change.old or not change.new:
                continue
            old, new = _day(change.old), _day(change.new)
            if old and new and new > old:
                found.append(Extension(old, new, event.commit.date))
    return found


def measure_extensions(issue: Issue, past: ProblemHistory | None) -> list[tuple[Measure, list[Extension]]]:
    """The measures whose own deadline was moved later, matched by their text."""
    if past is None or not past.measure_moves or not issue.tasks:
        return []
    by_text: dict[str, list[Extension]] = {}
    for move in past.measure_moves:
        old, new = _day(move.old), _day(move.new)
        if old and new and new > old:
            by_text.setdefault(move.text, []).append(Extension(old, new, move.commit.date))
    return [(m, by_text[m.text]) for m in issue.tasks if m.text in by_text]


def _day(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:  # a historical value that was not a date: not an extension
        return None


def tasks_by_owner(ledger: Ledger) -> dict[str, list[Task]]:
    found: dict[str, list[Task]] = {}
    for task in tasks(ledger):
        for owner in task.measure.owners:
            found.setdefault(owner, []).append(task)
    return found


def owner_groups(ledger: Ledger, groups) -> list[aggregate.Group]:
    """责任清单: departments leading problems (``groups``), then those that only own measures."""
    groups = list(groups)
    leading = {g.key for g in groups}
    only_measures = sorted({o for i in ledger.issues for m in i.tasks for o in m.owners} - leading)
    empty = aggregate.count((), ledger.statuses)
    return groups + [aggregate.Group(o, o, (), empty) for o in only_measures]
