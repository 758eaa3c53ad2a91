"""The tables annexed to a document of the round: the progress report's
整改台账 and the plan's three lists (问题清单, 任务清单, 责任清单), each an
``Annex`` of plain-text rows in the ledger's order."""

from __future__ import annotations

import datetime as dt

from . import aggregate, genre, plaintext
from . import documents as D
from .genre import chinese_date, problem_opening
from .model import Ledger
from .reportdoc import Annex

ANNEX_COLUMNS = ("序号", "问题方面", "问题", "责任部门", "责任领导", "整改时限", "完成时间", "整改状态")

# The plan's three lists (三个清单).
PROBLEM_LIST_COLUMNS = ("序号", "问题方面", "问题")
TASK_LIST_COLUMNS = ("序号", "问题", "整改措施", "责任部门", "责任领导", "责任人", "整改时限")
OWNER_LIST_COLUMNS = ("序号", "责任部门", "责任领导", "责任人", "负责整改的问题（序号）", "整改时限")


def annex(ledger: Ledger) -> Annex:
    def day(value: dt.date | None) -> str:
        return chinese_date(value) if value else ""

    rows = tuple(
        (str(i.id), i.category.short or i.category.name, i.title, i.owner_text, i.leader,
         day(i.deadline), day(i.completed), i.status.label)
        for i in sorted(ledger.issues))
    return Annex(D.ANNEX_TITLES["ledger"], ANNEX_COLUMNS, rows)


def problem_list(ledger: Ledger) -> Annex:
    """问题清单: every problem as the inspectors stated it."""
    rows = tuple((str(i.id), i.category.short or i.category.name,
                  "\n".join(problem_opening(i.title, plaintext.paragraphs(i.problem))))
                 for i in sorted(ledger.issues))
    return Annex(D.ANNEX_TITLES["problems"], PROBLEM_LIST_COLUMNS, rows)


def task_list(ledger: Ledger) -> Annex:
    """任务清单: what is to be done for each problem, by whom, by when: a row
    per measure; a problem without measures is one row, its 整改情况 as the task."""
    def day(value: dt.date | None) -> str:
        return chinese_date(value) if value else ""

    rows = []
    for i in sorted(ledger.issues):
        rows += [(f"{i.id}-{m.index}", i.title, m.text, m.owner_text, i.leader, m.person, day(m.deadline))
                 for m in i.tasks]
        if not i.tasks:  # one task: its measure, its department's head as the person
            rows.append((str(i.id), i.title, genre.planned_measure(i.title, plaintext.paragraphs(i.measures)),
                         i.owner_text, i.leader, f"{i.owner_text}负责人" if i.owner_text else "", day(i.deadline)))
    return Annex(D.ANNEX_TITLES["tasks"], TASK_LIST_COLUMNS, tuple(rows))


def owner_list(ledger: Ledger, standing: aggregate.Standing) -> Annex:
    """责任清单: each department, the leaders and persons answering for its
    part, the problems it leads or has measures in, and its last deadline."""
    rows = []
    for n, group in enumerate(standing.by_owner, 1):
        tasks = standing.tasks_by_owner.get(group.key, ())
        issues = sorted({i.id: i for i in (*group.issues, *(t.issue for t in tasks))}.values(), key=lambda i: i.id)
        leaders = genre.LEADER_SEPARATOR.join(dict.fromkeys(i.leader for i in issues if i.leader))
        persons = genre.LEADER_SEPARATOR.join(dict.fromkeys(t.measure.person for t in tasks if t.measure.person))
        deadlines = [d for d in (*(i.deadline for i in group.issues), *(t.deadline for t in tasks)) if d]
        rows.append((str(n), group.label, leaders, persons, "、".join(str(i.id) for i in issues),
                     chinese_date(max(deadlines)) if deadlines else ""))
    return Annex(D.ANNEX_TITLES["owners"], OWNER_LIST_COLUMNS, tuple(rows))


def annexes(names: tuple[str, ...], ledger: Ledger, standing: aggregate.Standing) -> tuple[Annex, ...]:
    makers = {"ledger": lambda: annex(ledger), "problems": lambda: problem_list(ledger),
              "tasks": lambda: task_list(ledger), "owners": lambda: owner_list(ledger, standing)}
    return tuple(makers[name]() for name in names)
