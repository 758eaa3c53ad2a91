"""The form's fields (Decap widgets) for one ledger's problem files, narratives and sign-offs.

Field names are the problem file's keys (constants.ISSUE_FIELDS); the two
body sections are ``problem_text`` and ``measures_text``, which
docs/admin/ledger-form.js reads from and writes back under their headings.
The rules a form can show are here (required fields, date format, the choice
lists); ``ledger.py validate`` in CI stays the final check.
"""

from __future__ import annotations

from pathlib import Path

from . import constants as C
from .model import Ledger

DATE_PATTERN = [r"^\d{4}-\d{2}-\d{2}$", "日期应写成 2023-03-31 的格式"]
BODY_FIELDS = ("problem_text", "measures_text")  # ledger-form.js PROBLEM, MEASURES_TEXT


def date_field(name: str, label: str, hint: str = "", required: bool = False) -> dict:
    """A date picker that stores YYYY-MM-DD (without ``format`` Decap stores a timestamp)."""
    field = {"name": name, "label": label, "widget": "datetime", "format": "YYYY-MM-DD",
             "date_format": "YYYY-MM-DD", "time_format": False, "required": required,
             "default": "", "pattern": DATE_PATTERN}
    if hint:
        field["hint"] = hint
    return field


def owner_field(ledger: Ledger, required: bool, hint: str = "") -> dict:
    label = C.ISSUE_FIELDS["owner"]
    if ledger.departments:
        # ledger.yml's departments: the only names validate accepts.
        return {"name": "owner", "label": label, "widget": "select", "multiple": True, "min": 1 if required else 0,
                "options": list(ledger.departments), "required": required,
                **({"hint": hint} if hint else {})}
    return {"name": "owner", "label": label, "widget": "list", "required": required,
            "hint": (hint + " " if hint else "") + "多个部门用逗号分隔，例如：办公室, 安委办"}


def status_field(ledger: Ledger, required: bool = True) -> dict:
    return {"name": "status", "label": C.ISSUE_FIELDS["status"], "widget": "select", "required": required,
            "options": [s.label for s in ledger.statuses], "default": ledger.statuses[0].label}


def done_hint(ledger: Ledger) -> str:
    done = "、".join(f"“{s.label}”" for s in ledger.statuses if s.done)
    return f"整改状态为{done}时必须填写完成时间；未完成时不填。" if done else ""


def evidence_field() -> dict:
    return {"name": "evidence", "label": C.ISSUE_FIELDS["evidence"], "label_singular": "佐证材料",
            "widget": "list", "required": False, "collapsed": False, "summary": "{{fields.name}}", "default": [],
            "hint": "每项写材料名称；有扫描件的，在“文件”中上传（PDF、图片等），文件保存在本台账的佐证材料文件夹。",
            "fields": [
                {"name": "name", "label": "名称", "widget": "string", "required": True},
                {"name": "file", "label": "文件", "widget": "file", "required": False,
                 "choose_url": False},
            ]}


def measures_field(ledger: Ledger) -> dict:
    return {"name": "measures", "label": C.ISSUE_FIELDS["measures"], "label_singular": "整改措施",
            "widget": "list", "required": False, "collapsed": True, "summary": "{{fields.text}}（{{fields.status}}）",
            "default": [],  # else Decap starts a new problem with one empty measure
            "fields": [
                {"name": "text", "label": C.MEASURE_FIELDS["text"], "widget": "text", "required": True},
                owner_field(ledger, required=False, hint="不填则同问题的责任部门。"),
                {"name": "person", "label": C.MEASURE_FIELDS["person"], "widget": "string", "required": False},
                date_field("deadline", C.MEASURE_FIELDS["deadline"], "不填则同问题的整改时限。"),
                status_field(ledger),
                date_field("completed", C.MEASURE_FIELDS["completed"], done_hint(ledger)),
                evidence_field(),
                note_field(),
            ]}


def note_field() -> dict:
    return {"name": "note", "label": C.ISSUE_FIELDS["note"], "widget": "string", "required": False,
            "hint": "给经办人看的说明，不写入报告和通报。"}


def problem_fields(ledger: Ledger, next_id: int) -> list[dict]:
    names = C.ISSUE_FIELDS
    fields = [
        {"name": "id", "label": names["id"], "widget": "number", "value_type": "int", "min": 1,
         "default": next_id, "required": True, "hint": "新问题已填好下一个序号；不要与已有问题重复。"},
        {"name": "title", "label": names["title"], "widget": "string", "required": True,
         "hint": "简短的一句话，报告中作为问题的开头。"},
        {"name": "category", "label": names["category"], "widget": "select", "required": True,
         "options": [{"label": c.name if not c.short else f"{c.short}（{c.name}）", "value": c.short or c.name}
                     for c in ledger.categories]},
        status_field(ledger),
        owner_field(ledger, required=True),
        {"name": "leader", "label": names["leader"], "widget": "string", "required": False},
        date_field("deadline", names["deadline"]),
        date_field("completed", names["completed"], done_hint(ledger)),
        {"name": "status_note", "label": names["status_note"], "widget": "string", "required": False,
         "hint": "可不填；填写后报告中该问题末尾用这句话代替按状态生成的表述。"},
        {"name": "immediate", "label": names["immediate"], "widget": "boolean", "required": False, "default": False},
        {"name": "public", "label": names["public"], "widget": "boolean", "required": False, "default": True,
         "hint": "关闭后，该问题不写入对外公开的整改情况通报。"},
        {"name": "follows", "label": names["follows"], "widget": "list", "required": False,
         "hint": "上一轮巡察的同一问题，写成“台账文件夹名/序号”，例如 2023-区委巡察/15。"},
        {"name": "problem_text", "label": C.PROBLEM_HEADING, "widget": "text", "required": True,
         "hint": "巡察反馈的问题原文。"},
        {"name": "measures_text", "label": C.MEASURES_HEADING, "widget": "text", "required": True,
         "hint": "整改措施和进展，报告中原样引用。"},
        measures_field(ledger),
        evidence_field(),
        note_field(),
    ]
    if ledger.results:
        fields.append({"name": "results", "label": names["results"], "widget": "object", "required": False,
                       "collapsed": True, "fields": [
                           {"name": kind.key, "label": f"{kind.label}（{kind.unit}）" if kind.unit else kind.label,
                            "widget": "number", "value_type": "float", "required": False} for kind in ledger.results]})
    return fields


def narrative_files(ledger: Ledger, repo: Path) -> list[dict]:
    """The report narratives (叙述文件) every document of the ledger reads, once each."""
    seen: dict[str, str] = {}
    if ledger.report.preamble:
        seen.setdefault(repo_path(ledger.report.preamble, repo), "进展报告 开头语")
    for section in ledger.report.sections:
        if section.source:
            seen.setdefault(repo_path(section.source, repo), f"进展报告 {section.title}")
    for kind, spec in ledger.documents.items():
        if spec.preamble:
            seen.setdefault(repo_path(spec.preamble, repo), f"{kind} 开头语")
        for section in spec.sections or ():
            if section.source:
                seen.setdefault(repo_path(section.source, repo), f"{kind} {section.title}")
    return [{"name": f"n{i}", "label": label, "file": path,
             "fields": [{"name": "body", "label": label, "widget": "text", "required": False}]}
            for i, (path, label) in enumerate(seen.items(), 1)]


def signoff_fields(ledger: Ledger) -> list[dict]:
    return [{"name": "entries", "label": "销号记录", "label_singular": "销号记录", "widget": "list",
             "required": False, "summary": "{{fields.id}} {{fields.by}} {{fields.date}}",
             "fields": [
                 {"name": "id", "label": "问题序号", "widget": "number", "value_type": "int", "required": True},
                 {"name": "by", "label": "审核单位", "widget": "string", "required": True},
                 date_field("date", "销号日期", required=True),
                 {"name": "note", "label": "说明", "widget": "string", "required": False},
             ]}]


def repo_path(path: Path, repo: Path) -> str:
    """A path as the form's config names it: relative to the repository, with /."""
    try:
        return Path(path).resolve().relative_to(Path(repo).resolve()).as_posix()
    except ValueError:
        return Path(path).as_posix()
