"""Reading published ledger data (``data/ledger.json``) back into a ledger folder.

The inverse of ``ledgerdata``: ``ledger.py import 台账数据.json`` and the
roll-up's ``pull`` (a unit published as a site) both come here. The data is
untrusted: it is size-limited, checked against the shipped schema
(``jsoncheck``) with every fault listed, and the folder written is then
loaded by the ordinary loader, which checks everything else (categories and
statuses that exist, dates, sign-offs) with its path:line messages.

Written files hold the data as typed: the problem and measure texts verbatim
under their headings, every front-matter field, ``signoff.yml``. Two things
cannot always be kept and become comments instead, named in ``Written.notes``:
an evidence ``file:`` that is not in the repository written into, and a
``follows:`` whose ledger is not beside the folder.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from . import constants as C
from .atomicfs import Replacement
from .jsoncheck import check
from .ledgers import repo_root_of
from .ledgerwriter import problem_file_name, yaml_str
from .problemfile import file_error

MAX_BYTES = 64 * 1024 * 1024  # 2,000 problems take about 3 MB


class DataInvalid(Exception):
    """The data is not a ledger of our format; ``messages`` say where and why, in Chinese."""

    def __init__(self, messages: list[str]):
        super().__init__("\n".join(messages))
        self.messages = messages


@dataclass
class Written:
    folder: Path
    issues: int = 0
    notes: list[str] = field(default_factory=list)  # what became a comment, for the summary


def parse_data(raw: bytes, name: str = "ledger.json") -> dict:
    """The checked data, or DataInvalid listing every fault."""
    if len(raw) > MAX_BYTES:
        raise DataInvalid([f"{name}: 文件超过 {MAX_BYTES // 1024 // 1024} MB，不像台账数据。"])
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        where = f"第 {exc.lineno} 行" if isinstance(exc, json.JSONDecodeError) else "编码"
        raise DataInvalid([f"{name}: 不是 UTF-8 编码的 JSON 文件（{where}出错）；请用网站的 data/ledger.json "
                           f"或 ledger.py export --format json 导出的文件。"]) from None
    errors = check(data)
    if errors:
        raise DataInvalid([f"{name}: {e}" for e in errors])
    return data


def read_data(path: Path) -> dict:
    with open(path, "rb") as f:
        raw = f.read(MAX_BYTES + 1)
    return parse_data(raw, path.name)


def write_folder(data: dict, folder: Path, *, header: str = "", freeze_as_of: bool = False) -> Written:
    """Write the ledger folder from checked ``data``, replacing ``folder``
    only once everything is written beside it (a failure leaves it as it was).
    ``freeze_as_of``: a ledger without cutoff_date gets the data's as-of day,
    so a roll-up counts it as of the day the unit published it."""
    folder = Path(folder)
    written = Written(folder)
    repo = repo_root_of(folder)
    ids = {issue["id"] for issue in data["issues"]}
    facts = data["ledger"]
    with Replacement() as swap:  # written beside the folder, then swapped in (atomicfs)
        staging = swap.folder(folder)
        (staging / C.LEDGER_FILE).write_text(ledger_yml(data, header, freeze_as_of), encoding="utf-8")
        labels = {s["key"]: s["label"] for s in facts["statuses"]}
        for issue in data["issues"]:
            text = problem_md(issue, labels, _Keep(repo, folder, ids, issue["id"], written.notes))
            (staging / problem_file_name(issue["id"], issue["title"])).write_text(text, encoding="utf-8")
            written.issues += 1
        if any(issue["signoff"] for issue in data["issues"]):
            (staging / C.SIGNOFF_FILE).write_text(signoff_yml(data["issues"]), encoding="utf-8")
    return written


def ledger_yml(data: dict, header: str, freeze_as_of: bool) -> str:
    f = data["ledger"]
    cutoff = f["cutoff_date"] or (data["as_of"] if freeze_as_of else None)
    lines = [f"# {header}" if header else "# 台账基本信息，由 ledger.py import 从台账数据（JSON）导入。"]
    lines += [f"{key}: {yaml_str(f[key])}" for key in ("title", "round", "unit", "group", "period", "note")]
    lines += [f"{key}: {f[key]}" for key in ("feedback_date",) if f[key]]
    if cutoff:
        lines.append(f"cutoff_date: {cutoff}" + ("" if f["cutoff_date"] else "  # 单位数据的统计截至日"))
    lines.append(f"warn_days: {f['warn_days']}")
    if f["signature_unit"] or f["signature_date"]:
        lines.append("signature:")
        lines += [f"  unit: {yaml_str(f['signature_unit'])}"] if f["signature_unit"] else []
        lines += [f"  date: {f['signature_date']}"] if f["signature_date"] else []
    lines.append("categories:")
    for c in f["categories"]:
        lines.append(f"  - name: {yaml_str(c['name'])}")
        lines += [f"    {key}: {yaml_str(c[key])}" for key in ("short", "summary", "intro") if c[key]]
    lines.append("statuses:")
    for s in f["statuses"]:
        lines.append(f"  - key: {s['key']}")
        lines += [f"    {key}: {yaml_str(s[key])}" for key in ("label", "sentence", "phrase", "color")]
        lines += [f"    {key}: {'true' if s[key] else 'false'}" for key in ("done", "overdue")]
    if f["results"]:
        lines.append("results:")
        lines += [f"  - {{key: {r['key']}, label: {yaml_str(r['label'])}, unit: {yaml_str(r['unit'])}}}"
                  for r in f["results"]]
    lines.append("milestones:" if f["milestones"] else "milestones: null")
    lines += [f"  {yaml_str(m['name'])}: {m['days']}" for m in f["milestones"]]
    if f["departments"]:
        lines.append(f"departments: [{', '.join(map(yaml_str, f['departments']))}]")
    return "\n".join(lines) + "\n"


class _Keep:
    """Which evidence files and follows: links the target repository can hold."""

    def __init__(self, repo: Path, folder: Path, ids: set[int], issue_id: int, notes: list[str]):
        self.repo, self.folder, self.ids, self.issue_id, self.notes = repo, folder, ids, issue_id, notes

    def evidence(self, items: list[dict], indent: str) -> list[str]:
        lines = []
        for e in items:
            if e["file"] and file_error(self.repo, e["file"]) is None:
                lines.append(f"{indent}- {{name: {yaml_str(e['name'])}, file: {yaml_str(e['file'])}}}")
                continue
            lines.append(f"{indent}- {yaml_str(e['name'])}")
            if e["file"]:
                lines.append(f"{indent}  # 佐证文件：{e['file']}（本仓库中没有这个文件）")
                self.notes.append(f"问题 {self.issue_id}：佐证文件“{e['file']}”不在本仓库中，只保留了名称。")
        return lines

    def follows(self, texts: list[str]) -> tuple[list[str], list[str]]:
        kept, dropped = [], []
        for text in texts:
            name, _, number = text.rpartition("/")
            reachable = (self.folder.parent / name / C.LEDGER_FILE).is_file() if name else int(number) in self.ids
            (kept if reachable else dropped).append(text)
        for text in dropped:
            self.notes.append(f"问题 {self.issue_id}：延续自“{text}”，该台账不在本仓库中，已改为注释。")
        return kept, [f"# 延续自：{text}（该台账不在本仓库中）" for text in dropped]


def problem_md(issue: dict, labels: dict[str, str], keep: _Keep) -> str:
    lines = ["---", f"id: {issue['id']}", f"title: {yaml_str(issue['title'])}",
             f"category: {yaml_str(issue['category'])}", f"status: {yaml_str(labels.get(issue['status'], issue['status']))}",
             f"owner: [{', '.join(map(yaml_str, issue['owners']))}]", f"leader: {yaml_str(issue['leader'])}"]
    lines += [f"{key}: {issue[key]}" for key in ("deadline", "completed") if issue[key]]
    if issue["evidence"]:
        lines += ["evidence:", *keep.evidence(issue["evidence"], "  ")]
    follows, comments = keep.follows(issue["follows"])
    if follows:
        lines.append(f"follows: [{', '.join(map(yaml_str, follows))}]")
    lines += comments
    if issue["status_note"] is not None:
        lines.append(f"status_note: {yaml_str(issue['status_note'])}")
    lines += [f"note: {yaml_str(issue['note'])}"] if issue["note"] else []
    lines += ["public: false"] if not issue["public"] else []
    lines += ["immediate: true"] if issue["immediate"] else []
    if issue["results"]:
        lines.append(f"results: {{{', '.join(f'{k}: {v}' for k, v in issue['results'].items())}}}")
    if issue["tasks"]:
        lines.append("measures:")
        for m in issue["tasks"]:
            lines += [f"  - text: {yaml_str(m['text'])}", f"    owner: [{', '.join(map(yaml_str, m['owners']))}]",
                      f"    person: {yaml_str(m['person'])}",
                      f"    status: {yaml_str(labels.get(m['status'], m['status']))}"]
            lines += [f"    {key}: {m[key]}" for key in ("deadline", "completed") if m[key]]
            if m["evidence"]:
                lines += ["    evidence:", *keep.evidence(m["evidence"], "      ")]
            lines += [f"    note: {yaml_str(m['note'])}"] if m["note"] else []
    lines.append("---")
    body = [f"## {C.PROBLEM_HEADING}", issue["problem"], f"## {C.MEASURES_HEADING}", issue["measures"]]
    return "\n".join(lines) + "\n\n" + "\n\n".join(body) + "\n"


def signoff_yml(issues: list[dict]) -> str:
    lines = ["# 销号登记表，由台账数据（JSON）导入。"]
    for issue in issues:
        s = issue["signoff"]
        if s:
            note = f", note: {yaml_str(s['note'])}" if s["note"] else ""
            lines.append(f"- {{id: {issue['id']}, by: {yaml_str(s['by'])}, date: {s['date']}{note}}}")
    return "\n".join(lines) + "\n"
