"""The sign-off register (销号): issues/signoff.yml.

A unit marks its problem done and attaches evidence; the 巡察办 then closes
it by adding a line to this file in its own merge request (CODEOWNERS gives
the file to the accounts under ledger.yml ``codeowners: {销号: [...]}``)::

    - {id: 1, by: 区委巡察办, date: 2023-04-10, note: 经审核同意销号}

Each entry is checked against the problem it closes; every violation is a
validate error naming signoff.yml and the entry's line.
"""

from __future__ import annotations

from dataclasses import replace

from . import constants as C
from . import fields as F
from .fields import Where
from .model import Issue, Ledger, Signoff
from .textfile import is_empty, read_yaml
from .yamlnodes import Map, Seq

FIELDS = ("id", "by", "date", "note")


class _Context:
    def __init__(self, diags, today, seen_ids):
        self.diags, self.today, self.seen_ids = diags, today, seen_ids


def read_signoffs(ledger: Ledger, paths, diags, today, seen_ids: dict) -> Ledger:
    """The ledger with each valid entry on its problem (Issue.signoff).

    ``seen_ids`` are the problem numbers the loader met, also in files that
    failed: an entry for one of those is not reported a second time. The
    ledger is returned anew, never changed in place."""
    path = ledger.root / C.SIGNOFF_FILE
    if not path.is_file():
        return ledger
    rel = paths.rel(path)
    signed = read_register(path, rel, {i.id: i for i in ledger.issues}, _Context(diags, today, seen_ids))
    issues = [replace(i, signoff=signed[i.id]) if i.id in signed else i for i in ledger.issues]
    return replace(ledger, issues=type(ledger.issues)(issues), signoff_path=rel)


def read_register(path, rel: str, issues: dict[int, Issue], reader: _Context) -> dict[int, Signoff]:
    diags = reader.diags
    usable, node = read_yaml(path, rel, "销号", diags)
    if not usable or is_empty(node):
        return {}
    if not isinstance(node, Seq):
        diags.error(rel, 1, "销号", "signoff.yml 应为销号记录列表，每条一行，"
                    "例如 - {id: 1, by: 区委巡察办, date: 2023-04-10, note: 经审核同意销号}。")
        return {}
    seen: dict[int, int] = {}
    items = F.map_items(node, Where(rel, 1, "销号"), diags, _SHAPE, FIELDS)
    entries = (read_entry(reader, item, rel, issues, seen) for item, _ in items)
    return {entry.id: entry for entry in entries if entry is not None}


_SHAPE = "每条销号记录写成 {id: 问题序号, by: 审核单位或人员, date: 销号日期, note: 说明}。"


def read_entry(reader, item: Map, rel: str, issues: dict[int, Issue], seen: dict[int, int]) -> Signoff | None:
    diags = reader.diags
    e = item.entries
    at = F.key_where(item.key_lines, rel, item.line)

    before = diags.error_count
    issue_id = F.positive_int(e.get("id"), at("id"), diags)
    by = F.text(e.get("by"), at("by"), diags, required=True)
    date = F.date(e.get("date"), at("date"), diags, required=True)
    note = F.text(e.get("note"), at("note"), diags) or ""
    if issue_id is None or diags.error_count > before:
        return None
    if issue_id in seen:
        F.error(diags, at("id"), f"问题 {issue_id} 已在第 {seen[issue_id]} 行销号；每个问题只能销号一次。")
        return None
    seen[issue_id] = item.line
    issue = issues.get(issue_id)
    if issue is None:
        if issue_id not in reader.seen_ids:  # a file with its own errors is reported there
            F.error(diags, at("id"), f"没有序号为 {issue_id} 的问题；请核对序号。")
        return None
    for message in violations(issue, date, reader.today):
        F.error(diags, at("id"), message)
    return None if diags.error_count > before else Signoff(issue_id, by, date, note, item.line)


def violations(issue: Issue, date, today) -> list[str]:
    """Why problem ``issue`` cannot be signed off on ``date`` (empty when it can)."""
    found = []
    name = f"问题 {issue.id}“{issue.title}”"
    if not issue.status.done:
        found.append(f"{name}的状态是“{issue.status.label}”，尚未完成，不能销号；请待责任部门改为已完成并经审核后再销号。")
    if not issue.evidence and not any(m.evidence for m in issue.tasks):
        found.append(f"{name}没有佐证材料，不能销号；请责任部门在问题文件的 evidence 中列出佐证材料。")
    if issue.completed and date < issue.completed:
        found.append(f"销号日期 {date} 早于{name}的完成时间 {issue.completed}；销号应在完成之后。")
    if date > today:
        found.append(f"销号日期 {date} 晚于今天（{today}）；请核对。")
    return found
