"""The warning ladder applied: each open item's light, and the letters due.

A light (绿色预警, 黄色预警, 红色预警…) is the highest level of the ladder
(ledger.yml ``warnings:``, see ladder.py) that an open problem or measure has
reached on a day: by its deadline for the dated levels, by the register
(issues/warnings.yml) for the levels that follow an unanswered letter.
``lights`` runs once per build with the standing (aggregate.standing); the
``warn`` command asks ``due`` which letters fall due on a day. Both are one
pass over the problems and measures.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from . import lists
from .ladder import Ladder, Level, Recipient, Trigger
from .letterbook import Letter
from .model import Issue, Ledger

Item = Issue | lists.Task


def item_key(item: Item) -> int | tuple[int, int]:
    """The register's and the standing's key: problem id, or (id, measure index)."""
    return item.key if isinstance(item, lists.Task) else item.id


@dataclass(frozen=True)
class Light:
    """An item's warning level on a day; ``level`` None: no warning."""

    level: Level | None
    days_left: int | None = None

    @property
    def label(self) -> str:
        return self.level.name if self.level else ""

    @property
    def key(self) -> str:
        return self.level.key if self.level else "none"


NO_LIGHT = Light(None)


def tracked(item: Item) -> bool:
    """Open items with a deadline are watched; done or long-term ones are not."""
    return item.deadline is not None and item.status.overdue and not item.status.done


def dated_level(ladder: Ladder, days_left: int) -> Level | None:
    """The last level in ladder order that ``days_left`` has reached."""
    found = None
    for level in ladder.dated:
        if (level.trigger is Trigger.BEFORE and days_left <= level.days) or (level.trigger is Trigger.OVERDUE and days_left < -level.days):
            found = level
    return found


def level_day(level: Level, deadline: dt.date) -> dt.date:
    """The first day a dated level is reached (dated_level's inverse)."""
    if level.trigger is Trigger.BEFORE:
        return deadline - dt.timedelta(days=level.days)
    return deadline + dt.timedelta(days=level.days + 1)


class LetterIndex:
    """The register's letters by item, kept only while they are about the
    item's current deadline (an extension starts the ladder again)."""

    def __init__(self, letters: Iterable[Letter]):
        self.by_item: dict = {}
        for letter in letters:
            self.by_item.setdefault(letter.item, []).append(letter)

    def all_of(self, key) -> list[Letter]:
        return self.by_item.get(key, [])

    def current(self, item: Item) -> list[Letter]:
        return [x for x in self.all_of(item_key(item)) if x.deadline == item.deadline]


def light(item: Item, ladder: Ladder, day: dt.date, index: LetterIndex) -> Light:
    if not tracked(item):
        return NO_LIGHT
    days_left = (item.deadline - day).days
    level = dated_level(ladder, days_left)
    order = {lv.key: n for n, lv in enumerate(ladder.levels)}
    for letter in index.current(item):  # a letter of a later level (告诫) outranks the date
        if letter.date <= day and letter.level in order and (level is None or order[letter.level] > order[level.key]):
            level = ladder.levels[order[letter.level]]
    return Light(level, days_left)


@dataclass(frozen=True)
class Lights:
    """Every item's light and the counts per level, part of the standing."""

    by_item: dict  # item_key -> Light
    problem_counts: dict[str, int]  # level key -> open problems at that level
    task_counts: dict[str, int]

    def of(self, item: Item) -> Light:
        return self.by_item.get(item_key(item), NO_LIGHT)


NO_LIGHTS = Lights({}, {}, {})


def lights(ledger: Ledger, tasks: tuple[lists.Task, ...], day: dt.date) -> Lights:
    index = LetterIndex(ledger.letters)
    by_item = {}
    problems = dict.fromkeys((lv.key for lv in ledger.ladder.levels), 0)
    measures = dict(problems)
    for items, counts in ((ledger.issues, problems), (tasks, measures)):
        for item in items:
            found = light(item, ledger.ladder, day, index)
            by_item[item_key(item)] = found
            if found.level:
                counts[found.level.key] += 1
    return Lights(by_item, problems, measures)


def letters_by_problem(ledger: Ledger) -> dict[int, list[Letter]]:
    """The register's letters by problem id, a measure's under its problem."""
    found: dict[int, list[Letter]] = {}
    for letter in ledger.letters:
        found.setdefault(letter.item[0] if isinstance(letter.item, tuple) else letter.item, []).append(letter)
    return found


def level_title(ledger: Ledger, letter: Letter) -> str:
    level = ledger.ladder.level(letter.level)
    return level.letter_title if level else letter.level


# -- letters due ----------------------------------------------------------------

@dataclass(frozen=True)
class Due:
    """A letter that falls due: for which item, at which level, to whom."""

    item: Item
    level: Level
    recipients: tuple[str, ...]
    deadline: dt.date
    previous: Letter | None  # the unanswered letter an escalation follows


def due(ledger: Ledger, day: dt.date) -> list[Due]:
    """Every letter the ladder calls for on ``day`` that the register does not hold."""
    index = LetterIndex(ledger.letters)
    found = []
    for item in items(ledger):
        if tracked(item):
            letter = _due_for(item, ledger, day, index)
            if letter is not None:
                found.append(letter)
    return found


def items(ledger: Ledger) -> Iterable[Item]:
    for issue in ledger.issues:
        yield issue
        for measure in issue.tasks:
            yield lists.Task(issue, measure)


def _due_for(item: Item, ledger: Ledger, day: dt.date, index: LetterIndex) -> Due | None:
    ladder = ledger.ladder
    sent = [x for x in index.current(item) if x.date <= day]
    sent_keys = {x.level for x in sent}
    order = {lv.key: n for n, lv in enumerate(ladder.levels)}
    highest = max((order[x.level] for x in sent if x.level in order), default=-1)
    # An escalation: the previous level's letter went unanswered long enough.
    for level in ladder.levels:
        previous = ladder.previous(level)
        if level.trigger is not Trigger.UNANSWERED or level.key in sent_keys or previous is None:
            continue
        last = next((x for x in reversed(sent) if x.level == previous.key), None)
        if last and last.answered is None and (day - last.date).days >= level.days:
            return Due(item, level, recipients(item, level, ledger), item.deadline, last)
    level = dated_level(ladder, (item.deadline - day).days)
    # Only the highest level reached is issued: a ladder started late does not
    # send green and yellow on the same day.
    if level is None or order[level.key] <= highest:
        return None
    return Due(item, level, recipients(item, level, ledger), item.deadline, sent[-1] if sent else None)


def recipients(item: Item, level: Level, ledger: Ledger) -> tuple[str, ...]:
    """The names a letter is addressed to, in the level's order, each once."""
    issue = item.issue if isinstance(item, lists.Task) else item
    names: list[str] = []
    for who in level.recipients:
        if who is Recipient.PERSON:
            names += persons(item)
        elif who is Recipient.OWNER:
            names += list(item.measure.owners if isinstance(item, lists.Task) else issue.owners)
        elif who is Recipient.LEADER:
            names += [issue.leader] if issue.leader else []
        elif who is Recipient.HEAD:
            names.append(head_of(ledger))
    return tuple(dict.fromkeys(n for n in names if n))


def head_of(ledger: Ledger) -> str:
    return ledger.head or f"{ledger.unit}主要负责人"


def persons(item: Item) -> list[str]:
    """整改主办人: a measure's person; a problem's measures' persons, else its departments."""
    if isinstance(item, lists.Task):
        return [item.measure.person] if item.measure.person else list(item.measure.owners)
    persons = [m.person for m in item.tasks if m.person]
    return persons or list(item.owners)
