"""Counting and grouping: the numbers the dashboard and the report show.

``standing(ledger)`` computes everything once per build; every output reads
that one object. Each grouping is a single pass over the issues, so that
thousands of problems cost linear time.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal

from . import lists
from . import warnings as W
from .history import History
from .measures import result_totals
from .model import Category, Issue, Ledger, ResultKind, Status


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
class Group:
    """Problems sharing a category, an owner or a status.

    ``category`` or ``status`` is set for those groupings, so that pages and
    the report reach the real object rather than parsing a key back.
    """

    key: str  # the category's index, the owner's name or the status key
    label: str
    issues: tuple[Issue, ...]
    counts: Counts
    category: Category | None = None
    status: Status | None = None


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


def deadline_state(issue: Issue | lists.Task, as_of: dt.date, warn_days: int) -> DeadlineState:
    """Green, yellow within ``warn_days`` of the deadline, red past it."""
    if issue.deadline is None or not issue.status.overdue:
        return DeadlineState("none", None)
    days_left = (issue.deadline - as_of).days
    if days_left < 0:
        return DeadlineState("overdue", days_left)
    if days_left <= warn_days:
        return DeadlineState("warn", days_left)
    return DeadlineState("ok", days_left)


@dataclass(frozen=True)
class Standing:
    """Where the ledger stands on one day: everything the dashboard, the
    lists, the report and the workbook count, computed once per build."""

    as_of: dt.date
    as_of_basis: str  # "cutoff", "rebuild" or "today": the pages say which
    total: Counts
    by_category: tuple[Group, ...]  # ledger order, empty categories included
    by_status: tuple[Group, ...]  # ledger order
    by_owner: tuple[Group, ...]  # most problems first, then by name
    deadlines: dict[int, DeadlineState]  # by problem id
    overdue: tuple[Issue, ...]
    due_soon: tuple[Issue, ...]
    # Measures (任务清单), flags and registers; all empty for a ledger without them.
    tasks: tuple[lists.Task, ...] = ()
    task_deadlines: dict[tuple[int, int], DeadlineState] = field(default_factory=dict)  # by Task.key
    overdue_tasks: tuple[lists.Task, ...] = ()
    tasks_by_owner: dict[str, tuple[lists.Task, ...]] = field(default_factory=dict)
    immediate: int = 0  # 立行立改 problems
    signed_off: int = 0  # 销号
    results: tuple[tuple[ResultKind, Decimal], ...] = ()  # 整改成效 totals, in ledger order
    # From git history, added by with_history once it is read: by problem id,
    # or (problem id, measure index), the deadline's moves to a later date.
    extensions: dict = field(default_factory=dict)
    extended: int = 0  # problems whose deadline, or a measure's, moved later
    # The warning ladder's light of each open problem and measure (warnings.py).
    lights: W.Lights = W.NO_LIGHTS

    def light_of(self, item: Issue | lists.Task) -> W.Light:
        return self.lights.of(item)

    def deadline_of(self, item: Issue | lists.Task) -> DeadlineState:
        if isinstance(item, lists.Task):
            return self.task_deadlines[item.key]
        return self.deadlines[item.id]

    def extensions_of(self, item: Issue | lists.Task) -> list[lists.Extension]:
        return self.extensions.get(item.key if isinstance(item, lists.Task) else item.id, [])

    @property
    def tasks_done(self) -> int:
        return sum(t.measure.status.done for t in self.tasks)

    @property
    def uses_new_keys(self) -> bool:
        """Whether the dashboard shows the second row of figures; a ledger
        using none of measures, 立行立改, sign-off, extensions or results looks as before."""
        return bool(self.tasks or self.immediate or self.signed_off or self.extended or self.results)


def as_of(ledger: Ledger, rebuild_date: dt.date | None = None,
          today: dt.date | None = None) -> tuple[dt.date, str]:
    """The day counts and overdue checks are made against, and where it comes from.

    The ledger's cut-off date wins; an as-of rebuild (``ledger.py build
    --as-of``) stands in for a missing one, so that an old report counts
    overdue problems as of its own day, never as of the day it was rebuilt.
    """
    if ledger.cutoff_date:
        return ledger.cutoff_date, "cutoff"
    if rebuild_date:
        return rebuild_date, "rebuild"
    return today or dt.date.today(), "today"


def standing(ledger: Ledger, rebuild_date: dt.date | None = None, today: dt.date | None = None) -> Standing:
    day, basis = as_of(ledger, rebuild_date, today)
    deadlines = {i.id: deadline_state(i, day, ledger.warn_days) for i in ledger.issues}
    tasks = lists.tasks(ledger)
    task_deadlines = {t.key: deadline_state(t, day, ledger.warn_days) for t in tasks}
    by_task_owner = lists.tasks_by_owner(tasks)
    return Standing(
        as_of=day,
        as_of_basis=basis,
        total=count(ledger.issues, ledger.statuses),
        by_category=_by_category(ledger),
        by_status=_by_status(ledger),
        by_owner=_by_owner(ledger),
        deadlines=deadlines,
        overdue=tuple(i for i in ledger.issues if deadlines[i.id].level == "overdue"),
        due_soon=tuple(i for i in ledger.issues if deadlines[i.id].level == "warn"),
        tasks=tasks,
        task_deadlines=task_deadlines,
        overdue_tasks=tuple(t for t in tasks if task_deadlines[t.key].level == "overdue"),
        tasks_by_owner=by_task_owner,
        immediate=sum(i.immediate for i in ledger.issues),
        signed_off=sum(i.signoff is not None for i in ledger.issues),
        results=tuple(result_totals(ledger)),
        lights=W.lights(ledger, tasks, day),
    )


def with_history(standing: Standing, ledger: Ledger, history: History | None) -> Standing:
    """The standing with the deadline extensions (延期) read from git history."""
    found = lists.extensions(ledger, history)
    extended = {key if isinstance(key, int) else key[0] for key in found}
    return replace(standing, extensions=found, extended=len(extended))


def _by_category(ledger: Ledger) -> tuple[Group, ...]:
    buckets: dict[int, list[Issue]] = {c.index: [] for c in ledger.categories}
    for issue in ledger.issues:
        buckets[issue.category.index].append(issue)
    return tuple(Group(str(c.index), c.name, tuple(buckets[c.index]), count(buckets[c.index], ledger.statuses),
                       category=c) for c in ledger.categories)


def _by_status(ledger: Ledger) -> tuple[Group, ...]:
    buckets: dict[str, list[Issue]] = {s.key: [] for s in ledger.statuses}
    for issue in ledger.issues:
        buckets[issue.status.key].append(issue)
    return tuple(Group(s.key, s.label, tuple(buckets[s.key]), count(buckets[s.key], ledger.statuses), status=s)
                 for s in ledger.statuses)


def _by_owner(ledger: Ledger) -> tuple[Group, ...]:
    """A problem with several departments appears under each of them.

    Departments are listed by number of problems, then by name, so that the
    ones carrying most of the work come first.
    """
    buckets: dict[str, list[Issue]] = {}
    for issue in ledger.issues:
        for owner in issue.owners:
            buckets.setdefault(owner, []).append(issue)
    order = sorted(buckets, key=lambda o: (-len(buckets[o]), o))
    # Departments that own measures but lead no problem come last (责任清单).
    order += sorted({o for i in ledger.issues for m in i.tasks for o in m.owners} - set(buckets))
    return tuple(Group(owner, owner, tuple(buckets.get(owner, ())), count(buckets.get(owner, ()), ledger.statuses))
                 for owner in order)
