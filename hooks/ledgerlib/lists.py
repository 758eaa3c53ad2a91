"""任务清单 rows and deadline extensions (延期): the parts of the standing
(aggregate.Standing) that come from measures and from git history.

Every function is one pass over the problems (and their history records).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .history import History, ProblemHistory
from .model import Issue, Ledger, Measure


@dataclass(frozen=True)
class Task:
    """A 任务清单 row: a measure with the problem it belongs to."""

    issue: Issue
    measure: Measure

    @property
    def key(self) -> tuple[int, int]:
        return self.issue.id, self.measure.index

    @property
    def number(self) -> str:
        return f"{self.issue.id}-{self.measure.index}"

    @property
    def sort_key(self) -> int:
        # Numeric sort of "11-2" in the sortable table: problem, then measure.
        return self.issue.id * 10000 + self.measure.index

    # A task is flagged and counted like a problem: by its deadline and status.
    @property
    def deadline(self) -> dt.date | None:
        return self.measure.deadline

    @property
    def status(self):
        return self.measure.status


@dataclass(frozen=True)
class Extension:
    """A deadline moved later in a commit (申请延期 granted)."""

    old: dt.date
    new: dt.date
    date: dt.date  # the commit's date

    @property
    def text(self) -> str:
        return f"整改时限由 {self.old} 延至 {self.new}"


def tasks(ledger: Ledger) -> tuple[Task, ...]:
    """Every measure, in the report's order of problems."""
    return tuple(Task(issue, m) for issue in ledger.issues for m in issue.tasks)


def tasks_by_owner(rows: tuple[Task, ...]) -> dict[str, tuple[Task, ...]]:
    found: dict[str, list[Task]] = {}
    for task in rows:
        for owner in task.measure.owners:
            found.setdefault(owner, []).append(task)
    return {owner: tuple(found[owner]) for owner in found}


def extensions(ledger: Ledger, history: History | None) -> dict:
    """Problem id, or (problem id, measure index), -> the extensions of its deadline."""
    found: dict = {}
    if history is None or not history.available:
        return found
    for issue in ledger.issues:
        past = history.of(issue.path.name)
        own = extensions_of(past)
        if own:
            found[issue.id] = own
        for measure, moved in measure_extensions(issue, past):
            found[(issue.id, measure.index)] = moved
    return found


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
