"""A problem file's own lists: its 整改措施 (``measures:``), the 立行立改 flag
and its 整改成效 figures (``results:``).

The loader (parser.py) calls ``issue_extras`` once per problem file and
passes what it returns to ``Issue``. A problem without these keys gets the
defaults, so a ledger that never uses them loads exactly as before.

Name clash: ``Issue.measures`` is the body's 整改情况 narrative (the report
prints it); the front-matter list is held as ``Issue.tasks``, of ``Measure``.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from . import constants as C
from . import fields as F
from .fields import Where
from .model import Ledger, Measure, ResultKind, Status
from .yamlnodes import Map, Scalar, Seq

KIND_KEY = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
_FIGURE = re.compile(r"^[0-9]+(?:\.[0-9]+)?$")
_SHOWN_CHARS = 20  # how much of a measure's text a message quotes


def issue_extras(reader, entries: dict, at, *, status: Status | None,
                 owners: list[str] | None, deadline: dt.date | None) -> dict | None:
    """``tasks``, ``immediate`` and ``results`` for Issue(...); None after an error.

    ``reader`` is the problemfile.ProblemReader (its diagnostics, statuses
    and evidence checks are shared)."""
    diags, ledger = reader.diags, reader.ledger
    before = diags.error_count
    tasks = read_measures(reader, entries.get("measures"), at("measures"), ledger,
                          owners=owners or [], deadline=deadline)
    if tasks and status is not None and status.done:
        for measure in tasks:
            if not measure.status.done:
                F.error(diags, at("status"), f"问题状态为“{status.label}”，但第{measure.index}项整改措施"
                        f"“{short(measure.text)}”仍为“{measure.status.label}”；请先完成该措施"
                        "（改为已完成并填写 completed），或把问题状态改回整改中。")
    immediate = F.boolean(entries.get("immediate"), at("immediate"), diags, False)
    results = read_issue_results(entries.get("results"), at("results"), ledger.results, diags)
    if diags.error_count > before:
        return None
    return dict(tasks=tuple(tasks), immediate=immediate, results=results)


def short(text: str) -> str:
    return text if len(text) <= _SHOWN_CHARS else text[:_SHOWN_CHARS] + "…"


# -- measures ------------------------------------------------------------------------


def read_measures(reader, node, where: Where, ledger: Ledger, *, owners: list[str],
                  deadline: dt.date | None) -> list[Measure]:
    if node is None or (isinstance(node, Scalar) and node.is_null):
        return []
    if not isinstance(node, Seq):
        F.error(reader.diags, where, "measures 应为整改措施列表，每项以“- text: 措施内容”开头，"
                "下面缩进写 person、deadline、status 等；写法见编写指南。")
        return []
    result = []
    for index, item in enumerate(node.items, 1):
        measure = read_measure(reader, item, index, Where(where.path, item.line, f"measures[{index}]"),
                               ledger, owners, deadline)
        if measure is not None:
            result.append(measure)
    return result


def read_measure(reader, item, index: int, w: Where, ledger: Ledger, owners: list[str],
                 deadline: dt.date | None) -> Measure | None:
    diags = reader.diags
    if not isinstance(item, Map):
        F.error(diags, w, f"第{index}项整改措施应写成“- text: 措施内容”，下面缩进写 person（责任人）、"
                "deadline（整改时限）、status（整改状态）等字段。")
        return None
    F.check_keys(item, tuple(C.MEASURE_FIELDS), w.path, diags)
    e = item.entries

    at = F.key_where(item.key_lines, w.path, item.line, w.field)

    before = diags.error_count
    text = F.text(e.get("text"), at("text"), diags, required=True)
    if "status" not in e:
        F.error(diags, at("status"), f"第{index}项整改措施缺少 status（整改状态）；"
                f"可选：{'、'.join(s.label for s in ledger.statuses)}。")
    status = reader.lookup_status(e.get("status"), at("status")) if "status" in e else None
    own = F.text_list(e.get("owner"), at("owner"), diags)
    person = F.text(e.get("person"), at("person"), diags) or ""
    reader.note_names(own, person, at("owner"), at("person"))
    due = F.date(e.get("deadline"), at("deadline"), diags)
    completed = F.date(e.get("completed"), at("completed"), diags)
    evidence = reader.evidence.read(e.get("evidence"), at("evidence"))
    note = F.text(e.get("note"), at("note"), diags) or ""
    if status is not None:
        # The problem's rules (required when done, only when done, not before
        # the feedback, not in the future), located at the measure's line.
        reader.check_completed(status, completed, at("completed" if "completed" in e else "status"))
    if diags.error_count > before or None in (text, status, own, evidence):
        return None
    return Measure(index=index, text=text, owners=tuple(own or owners), person=person,
                   deadline=due or deadline, status=status, completed=completed,
                   evidence=tuple(evidence), line=item.line, note=note)


# -- results (整改成效) -------------------------------------------------------------------


def read_result_kinds(node, where: Where, diags) -> tuple[ResultKind, ...]:
    """ledger.yml ``results: [{key: rules, label: 制定完善制度, unit: 项}, …]``."""
    if node is None or (isinstance(node, Scalar) and node.is_null):
        return ()
    if not isinstance(node, Seq):
        F.error(diags, where, "results 应为整改成效种类的列表，每项写 key（英文代号）、label（名称）、unit（单位），"
                "例如 - {key: rules, label: 制定完善制度, unit: 项}。")
        return ()
    kinds, seen = [], set()
    for item, w in F.map_items(node, where, diags, "每种整改成效写成 {key: rules, label: 制定完善制度, unit: 项}。",
                               ("key", "label", "unit")):
        key = F.text(item.entries.get("key"), w, diags, required=True)
        label = F.text(item.entries.get("label"), w, diags, required=True)
        unit = F.text(item.entries.get("unit"), w, diags) or ""
        if key and not KIND_KEY.match(key):
            F.error(diags, w, f"代号“{key}”只能用英文字母、数字和下划线，例如 rules。")
            continue
        if key in seen:
            F.error(diags, w, f"整改成效代号“{key}”重复。")
            continue
        seen.add(key)
        if key and label:
            kinds.append(ResultKind(key, label, unit))
    return tuple(kinds)


def read_issue_results(node, where: Where, kinds: tuple[ResultKind, ...], diags) -> dict[str, Decimal]:
    """A problem's ``results: {rules: 2, funds: 1.5}``: declared keys, non-negative numbers."""
    if node is None or (isinstance(node, Scalar) and node.is_null):
        return {}
    if not isinstance(node, Map):
        F.error(diags, where, "results 应写成“代号: 数字”，例如 results: {rules: 2, funds: 1.5}。")
        return {}
    known = {k.key: k for k in kinds}
    result = {}
    for key, value in node.entries.items():
        w = Where(where.path, node.key_lines[key], f"results.{key}")
        if key not in known:
            labels = [k.key for k in kinds] + [k.label for k in kinds]
            hint = F.suggest(key, labels)
            declared = "、".join(f"{k.key}（{k.label}）" for k in kinds) or "（ledger.yml 还没有声明 results）"
            F.error(diags, w, f"“{key}”不是 ledger.yml 中声明的整改成效种类；{hint}可用：{declared}。")
            continue
        number = figure(F.text(value, w, diags, required=True))
        if number is None:
            F.error(diags, w, f"{known[key].label}应为不小于 0 的数字，例如 2 或 1.5（单位：{known[key].unit or '无'}）。")
            continue
        result[key] = number
    for key, line in node.duplicates:
        F.error(diags, Where(where.path, line, f"results.{key}"), "字段重复出现；请只保留一处。")
    return result


def figure(text: str | None) -> Decimal | None:
    """Plain decimal figures only: "2", "1.5". Full-width digits, signs,
    exponents and thousands separators are refused rather than reinterpreted."""
    if text is None or not _FIGURE.match(text):
        return None
    return Decimal(text)


def format_number(value: Decimal) -> str:
    """2 → "2", 1.50 → "1.5", 7.132 → "7.132": as a report writes figures."""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def result_totals(ledger: Ledger, *, public_only: bool = False) -> list[tuple[ResultKind, Decimal]]:
    """Each declared kind with its sum over all problems (over the public
    ones for a public document: a figure may come from a withheld problem), in ledger order."""
    sums = {k.key: Decimal(0) for k in ledger.results}
    for issue in ledger.issues:
        if public_only and not issue.public:
            continue
        for key, value in issue.results.items():
            sums[key] += value
    return [(k, sums[k.key]) for k in ledger.results]


def results_text(totals) -> str:
    """"制定完善制度3项、追缴资金1.5万元": the kinds of ``totals`` (kind, sum) that are not zero."""
    return "、".join(f"{k.label}{format_number(v)}{k.unit}" for k, v in totals if v)
