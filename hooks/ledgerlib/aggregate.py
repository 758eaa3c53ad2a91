"""Counting and grouping: the numbers the dashboard and the report show.

Every function is a single pass over the issues, so that thousands of
problems cost linear time.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from .model import Category, Issue, Ledger, Status


@dataclass(frozen=True)
class Counts:
    by_status: dict[str, int]  # status key -> number of problems
    total: int
    done: int

    @property
    def rate(self) -> float | None:
        return self.done / self.total if self.total else None

    @property
    def rate_text(self) -> str:
        return format_rate(self.done, self.total)


@dataclass(frozen=True)
class ProgressRow:
    label: str
    category: Category | None  # None for the total row
    counts: Counts


@dataclass(frozen=True)
class Group:
    """Problems sharing a category, an owner or a status."""

    key: str
    label: str
    issues: tuple[Issue, ...]
    counts: Counts


@dataclass(frozen=True)
class DeadlineState:
    level: str  # "overdue", "warn", "ok" or "none" (no deadline, or no longer tracked)
    days_left: int | None

    @property
    def label(self) -> str:
        if self.level == "overdue":
            return f"逾期{-self.days_left}天"
        if self.level == "warn":
            return "今日到期" if self.days_left == 0 else f"剩{self.days_left}天"
        if self.level == "ok":  # the green light: open, with time to spare
            return f"剩{self.days_left}天"
        return ""


def format_rate(done: int, total: int) -> str:
    """Percent as reports write it: 100%, 94.1%, 76%."""
    if not total:
        return "—"
    text = f"{done * 100 / total:.1f}".rstrip("0").rstrip(".")
    return f"{text}%"


def count(issues: Iterable[Issue], statuses: Iterable[Status]) -> Counts:
    by_key = Counter(issue.status.key for issue in issues)
    statuses = list(statuses)
    done = sum(by_key[s.key] for s in statuses if s.done)
    return Counts({s.key: by_key[s.key] for s in statuses}, sum(by_key.values()), done)


def progress_table(ledger: Ledger) -> list[ProgressRow]:
    """One row per category in ledger order, then the total."""
    by_category: dict[int, list[Issue]] = {c.index: [] for c in ledger.categories}
    for issue in ledger.issues:
        by_category[issue.category.index].append(issue)
    rows = [ProgressRow(c.name, c, count(by_category[c.index], ledger.statuses)) for c in ledger.categories]
    rows.append(ProgressRow("合计", None, count(ledger.issues, ledger.statuses)))
    return rows


def by_category(ledger: Ledger) -> list[Group]:
    buckets: dict[int, list[Issue]] = {c.index: [] for c in ledger.categories}
    for issue in ledger.issues:
        buckets[issue.category.index].append(issue)
    return [Group(str(c.index), c.name, tuple(buckets[c.index]), count(buckets[c.index], ledger.statuses))
            for c in ledger.categories]


def by_status(ledger: Ledger) -> list[Group]:
    buckets: dict[str, list[Issue]] = {s.key: [] for s in ledger.statuses}
    for issue in ledger.issues:
        buckets[issue.status.key].append(issue)
    return [Group(s.key, s.label, tuple(buckets[s.key]), count(buckets[s.key], ledger.statuses))
            for s in ledger.statuses]


def by_owner(ledger: Ledger) -> list[Group]:
    """A problem with several departments appears under each of them.

    Departments are listed by number of problems, then by name, so that the
    ones carrying most of the work come first.
    """
    buckets: dict[str, list[Issue]] = {}
    for issue in ledger.issues:
        for owner in issue.owners:
            buckets.setdefault(owner, []).append(issue)
    order = sorted(buckets, key=lambda o: (-len(buckets[o]), o))
    return [Group(owner, owner, tuple(buckets[owner]), count(buckets[owner], ledger.statuses)) for owner in order]


def deadline_state(issue: Issue, as_of: dt.date, warn_days: int) -> DeadlineState:
    """Green, yellow within ``warn_days`` of the deadline, red past it."""
    if issue.deadline is None or not issue.status.overdue:
        return DeadlineState("none", None)
    days_left = (issue.deadline - as_of).days
    if days_left < 0:
        return DeadlineState("overdue", days_left)
    if days_left <= warn_days:
        return DeadlineState("warn", days_left)
    return DeadlineState("ok", days_left)


def overdue(ledger: Ledger, as_of: dt.date) -> list[Issue]:
    return [i for i in ledger.issues if deadline_state(i, as_of, ledger.warn_days).level == "overdue"]


def due_soon(ledger: Ledger, as_of: dt.date) -> list[Issue]:
    return [i for i in ledger.issues if deadline_state(i, as_of, ledger.warn_days).level == "warn"]
