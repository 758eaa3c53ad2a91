"""Columns of a 台账 table, as units name them, and the values in their cells.

Shared by the Excel importer and the annex table of a Word report: both meet
the same headers (序号/编号, 责任单位/牵头部门, …) and the same dates, written
as real Excel dates, ISO text, 2023.3.31, 2023/3/31 or 2023年3月31日.
"""

from __future__ import annotations

import datetime as dt
import re

from .tablecols import (
    AS_TYPED_COLUMN,
    EVIDENCE_FILES_COLUMN,
    FOLLOWS_COLUMN,
    MEASURE_COLUMNS,
    NOTE_COLUMN,
    PUBLIC_COLUMN,
    RESULT_KINDS_COLUMN,
    SIGNOFF_COLUMN,
    STATUS_NOTE_COLUMN,
    TASK_EVIDENCE_FILES_COLUMN,
    TASK_NOTE_COLUMN,
    TITLE_COLUMN,
)
from .textread import read_date

# Field -> header names seen in real 台账, compared without spaces and line breaks.
HEADERS: dict[str, tuple[str, ...]] = {
    "id": ("序号", "编号", "问题序号", "问题编号"),
    "category": ("问题类别", "问题方面", "问题类型", "问题分类", "类别", "方面", "所属方面"),
    "title": (TITLE_COLUMN, "标题", "问题名称", "问题概述", "问题简述"),
    "problem": ("问题", "问题描述", "存在问题", "反馈问题", "巡察反馈问题", "巡视反馈问题", "问题表现",
                "具体问题", "问题清单", "问题内容", "主要问题"),
    "measures": ("整改措施", "整改情况", "整改举措", "具体措施", "整改任务", "整改措施及进展", "任务清单"),
    "owner": ("责任单位", "责任部门", "牵头部门", "牵头单位", "责任科室", "责任股室", "责任处室", "牵头科室",
              "责任清单"),
    "leader": ("责任领导", "分管领导", "牵头领导", "责任领导班子成员"),
    "person": ("责任人", "具体责任人", "经办人"),
    "deadline": ("整改时限", "完成时限", "整改期限", "时限", "时限要求", "计划完成时间"),
    "status": ("完成情况", "整改进展", "整改状态", "进展情况", "状态", "整改进度", "完成状态", "是否完成"),
    "completed": ("完成时间", "完成日期", "实际完成时间", "整改完成时间"),
    "evidence": ("佐证材料", "佐证资料", "证明材料", "佐证"),
    # 备注 is a remark (配合：财务审计股), not evidence: it goes to note:.
    "note": (NOTE_COLUMN, "说明", "备注说明", "其他说明"),
    "follows": (FOLLOWS_COLUMN,),  # our export's: the earlier round's problems, "台账文件夹名/序号"
    "as_typed": (AS_TYPED_COLUMN,),  # our export's: "是" where 问题描述 has no title run in
    "immediate": ("立行立改",),  # "是" or "√": immediate: true
    "public": (PUBLIC_COLUMN,),  # "否": public: false
    "signoff": (SIGNOFF_COLUMN,),  # our export's "已销号（by，date）note": issues/signoff.yml
    # Our export's hidden columns (see export.py): status_note, the evidence
    # files line by line, the result kinds.
    "status_note": (STATUS_NOTE_COLUMN,),
    "evidence_files": (EVIDENCE_FILES_COLUMN,),
    "task_evidence_files": (TASK_EVIDENCE_FILES_COLUMN,),
    "result_kinds": (RESULT_KINDS_COLUMN,),
}
# The per-measure columns of our own export (export.MEASURE_COLUMNS): a
# workbook with them is read back measure by measure, the problem's own
# columns merged above (``measures:`` in the problem files), so that
# export → import keeps the measures. 责任人 is already "person".
TASK_FIELDS = ("task_text", "task_owner", "person", "task_deadline", "task_completed", "task_status", "task_evidence")
HEADERS.update({field: (name,) for field, name in zip(TASK_FIELDS, MEASURE_COLUMNS, strict=True) if field != "person"})
HEADERS["task_note"] = (TASK_NOTE_COLUMN,)
# What the summary calls each field.
FIELD_NAMES = {"id": "序号", "category": "问题类别", "title": "问题标题", "problem": "问题", "measures": "整改措施",
               "owner": "责任部门", "leader": "责任领导", "person": "责任人（measures: person）", "deadline": "整改时限",
               "note": "备注（note）",
               "status": "整改状态", "completed": "完成时间", "evidence": "佐证材料", "follows": FOLLOWS_COLUMN,
               "as_typed": AS_TYPED_COLUMN, "immediate": "立行立改", "public": PUBLIC_COLUMN,
               "status_note": STATUS_NOTE_COLUMN, "evidence_files": EVIDENCE_FILES_COLUMN,
               "task_evidence_files": TASK_EVIDENCE_FILES_COLUMN, "result_kinds": RESULT_KINDS_COLUMN,
               "signoff": f"{SIGNOFF_COLUMN}（signoff.yml）",
               "task_note": f"{TASK_NOTE_COLUMN}（measures: note）",
               **{field: name for field, name in zip(TASK_FIELDS, MEASURE_COLUMNS, strict=True) if field != "person"}}

_BY_NAME = {name: field for field, names in HEADERS.items() for name in names}
_PAREN = re.compile(r"[（(][^）)]*[）)]")


def normalize(header) -> str:
    return re.sub(r"\s+", "", str(header or ""))


def field_of(header) -> str | None:
    """The ledger field a header names: "整改时限（年月日）" is 整改时限."""
    name = normalize(header)
    return _BY_NAME.get(name) or _BY_NAME.get(_PAREN.sub("", name))


def map_header(cells: list) -> tuple[dict[str, int], list[tuple[int, str]]]:
    """Field -> column index, and the (index, name) of named columns no field takes.
    A second column naming a field already taken (责任单位 and 牵头部门) is not taken."""
    fields: dict[str, int] = {}
    extra: list[tuple[int, str]] = []
    for index, cell in enumerate(cells):
        name = normalize(cell)
        if not name:
            continue
        field = field_of(name)
        if field and field not in fields:
            fields[field] = index
        else:
            extra.append((index, name))
    return fields, extra


def looks_like_header(cells: list) -> bool:
    fields, _ = map_header(cells)
    return ("problem" in fields or "title" in fields) and len(fields) >= 3


# -- cell values ---------------------------------------------------------------------

_EXCEL_EPOCH = dt.date(1899, 12, 30)
_YM = re.compile(r"^(\d{4})\s*[-./年]\s*(\d{1,2})\s*月?\s*(底|末|前|底前)?$")


def text(value) -> str:
    """A cell as text: numbers without a trailing .0, dates as ISO."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).replace("\r\n", "\n").replace("\u00a0", " ").strip(" \t\r\n\u3000")


def date(value) -> tuple[dt.date | None, bool]:
    """A cell as a date, and whether it was only a month ("2023年3月底" is its last day)."""
    if isinstance(value, dt.datetime):
        return value.date(), False
    if isinstance(value, dt.date):
        return value, False
    if isinstance(value, (int, float)) and 20000 <= value <= 80000:
        return _EXCEL_EPOCH + dt.timedelta(days=int(value)), False  # a serial number left unformatted
    s = text(value)
    if day := read_date(s):
        return day, False
    try:
        if m := _YM.match(s):
            first_next = dt.date(int(m[1]) + int(m[2]) // 12, int(m[2]) % 12 + 1, 1)
            return first_next - dt.timedelta(days=1), True
    except ValueError:
        return None, False
    return None, False


def names(value) -> list[str]:
    """"办公室、安委办" or one per line: the separate names, in order, once each."""
    parts = re.split(r"[、，,；;/\n]+|\s{1,}", text(value))
    return unique(p.strip() for p in parts if p.strip())


def unique(items) -> list:
    seen, out = set(), []
    for item in items:
        if item not in seen:
            seen.add(item)
            out.append(item)
    return out
