"""The ledger as published data: ``data/ledger.json`` and ``data/index.json``.

Every build writes them (and ``ledger.py export --format json`` writes the
same file), so that a 巡察办's roll-up can pull a unit's figures without
reading its repository. The shape is ``schema/ledger.schema.json``
(``SCHEMA_VERSION``); dev/data-format.md documents it field by field, and
``import_json`` reads it back into a ledger folder.

What goes in is listed here field by field, never copied from the model
wholesale: a field added to ledger.yml (contacts for reminders, reviewer
accounts) reaches the data only when someone adds it here and to the schema.
Fields the public notice leaves out carry ``"x-public": false`` in the schema.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

from .aggregate import Standing
from .measures import format_number
from .model import Evidence, Issue, Ledger, Measure

SCHEMA_VERSION = 1
LEDGER_DATA = "data/ledger.json"
INDEX_DATA = "data/index.json"
GENERATOR = "整改台账"


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _evidence(items: tuple[Evidence, ...]) -> list[dict]:
    return [{"name": e.name, "file": e.file} for e in items]


def _measure(m: Measure) -> dict:
    return {"index": m.index, "text": m.text, "owners": list(m.owners), "person": m.person,
            "deadline": _date(m.deadline), "status": m.status.key, "completed": _date(m.completed),
            "evidence": _evidence(m.evidence), "note": m.note}


def _issue(issue: Issue, standing: Standing) -> dict:
    state = standing.deadlines.get(issue.id)
    signoff = issue.signoff
    return {
        "id": issue.id, "title": issue.title, "category": issue.category.name, "status": issue.status.key,
        "owners": list(issue.owners), "leader": issue.leader, "deadline": _date(issue.deadline),
        "completed": _date(issue.completed), "evidence": _evidence(issue.evidence),
        "problem": issue.problem, "measures": issue.measures, "status_note": issue.status_note, "note": issue.note,
        "follows": [text for text, _ in issue.follows], "public": issue.public, "immediate": issue.immediate,
        "results": {key: format_number(Decimal(value)) for key, value in issue.results.items()},
        "signoff": {"by": signoff.by, "date": _date(signoff.date), "note": signoff.note} if signoff else None,
        "tasks": [_measure(m) for m in issue.tasks],
        "deadline_state": state.level if state else "none",
        "days_left": state.days_left if state else None,
    }


def _facts(ledger: Ledger) -> dict:
    return {
        "title": ledger.title, "round": ledger.round, "unit": ledger.unit, "group": ledger.group,
        "period": ledger.period, "feedback_date": _date(ledger.feedback_date),
        "cutoff_date": _date(ledger.cutoff_date), "warn_days": ledger.warn_days, "note": ledger.note,
        "signature_unit": ledger.signature_unit, "signature_date": _date(ledger.signature_date),
        "categories": [{"name": c.name, "short": c.short, "summary": c.summary, "intro": c.intro}
                       for c in ledger.categories],
        "statuses": [{"key": s.key, "label": s.label, "sentence": s.sentence, "phrase": s.phrase,
                      "color": s.color, "done": s.done, "overdue": s.overdue} for s in ledger.statuses],
        "results": [{"key": k.key, "label": k.label, "unit": k.unit} for k in ledger.results],
        "milestones": [{"name": name, "days": days} for name, days in ledger.milestones],
        "departments": list(ledger.departments),
    }


def mostly_done(ledger: Ledger, standing: Standing) -> int:
    """Problems in a status labelled 基本完成 (not done, nearly: reports count them apart)."""
    keys = {s.key for s in ledger.statuses if s.label == "基本完成"}
    return sum(n for key, n in standing.total.by_status.items() if key in keys)


def _standing(ledger: Ledger, standing: Standing) -> dict:
    return {
        "total": standing.total.total, "done": standing.total.done, "rate": standing.total.rate,
        "by_status": dict(standing.total.by_status), "mostly_done": mostly_done(ledger, standing),
        "overdue": len(standing.overdue), "due_soon": len(standing.due_soon), "extended": standing.extended,
        "signed_off": standing.signed_off, "immediate": standing.immediate,
        "tasks": len(standing.tasks), "tasks_done": standing.tasks_done,
        "overdue_tasks": len(standing.overdue_tasks),
        "warnings": [{"key": level.key, "name": level.name, "color": level.color,
                      "problems": standing.lights.problem_counts.get(level.key, 0),
                      "tasks": standing.lights.task_counts.get(level.key, 0)} for level in ledger.ladder.levels],
    }


def ledger_data(ledger: Ledger, standing: Standing, *, commit: str | None, dirty: bool = False) -> dict:
    """The whole ledger as plain JSON values (see the module's docstring)."""
    return {
        "schema_version": SCHEMA_VERSION, "generator": GENERATOR,
        "as_of": standing.as_of.isoformat(), "as_of_basis": standing.as_of_basis,
        "commit": commit, "dirty": dirty,
        "ledger": _facts(ledger), "standing": _standing(ledger, standing),
        "issues": [_issue(issue, standing) for issue in ledger.issues],
    }


def index_data(entries: list[tuple[str, dict]]) -> dict:
    """data/index.json: each ledger's file and its headline figures, by prefix ("" or "<name>/")."""
    return {"schema_version": SCHEMA_VERSION, "generator": GENERATOR, "ledgers": [
        {"name": prefix.rstrip("/"), "path": prefix + LEDGER_DATA, "unit": data["ledger"]["unit"],
         "round": data["ledger"]["round"], "as_of": data["as_of"], "commit": data["commit"],
         "total": data["standing"]["total"], "done": data["standing"]["done"]}
        for prefix, data in entries]}


def dumps(data: dict) -> bytes:
    """UTF-8, Chinese as characters, keys in the order written: diffs stay readable."""
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
