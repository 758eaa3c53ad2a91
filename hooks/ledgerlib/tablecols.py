"""The columns of our own 台账 (xlsx and csv), shared by the writer and the importer.

``export`` writes a sheet with these names and cells; ``import_xlsx`` and
``importcols`` recognise the same names and read the same cells back. Each
pair (a cell written here and read here) lives side by side, so that the
two directions cannot drift apart; ``tests/test_round_trip.py`` holds them to it.
"""

from __future__ import annotations

import json
import re

from .genre import chinese_date
from .model import ResultKind, Signoff

COLUMNS = ("序号", "问题类别", "问题描述", "整改措施", "责任领导", "责任部门", "整改时限", "完成时间", "整改状态", "佐证材料")
# Per-measure columns, added when some problem is split into measures: the
# problem's own columns stay as they are (merged over its measure rows in the
# workbook), so that nothing a problem file says is dropped.
MEASURE_COLUMNS = ("分项措施", "措施责任部门", "责任人", "措施时限", "措施完成时间", "措施状态", "措施佐证材料")
HEADER_ROW = 3  # the workbook's header row, under the title and the status line
CELL_BREAK = "\n"  # between paragraphs inside one cell

FOLLOWS_COLUMN = "延续自"  # follows: the earlier round's problems this one continues
SIGNOFF_COLUMN = "销号"  # issues/signoff.yml's entry for the problem
NOTE_COLUMN = "备注"  # note: the clerk's remark on the problem, shown as the sheet shows it
TASK_NOTE_COLUMN = "措施备注"  # a measure's note:

# The problem's title, as its file has it, last. 问题描述 holds the title run
# into the text as the report prints it ("标题。问题…", or the text alone when it
# opens with its title), and where a title ends inside "标题，…" only the title
# itself can tell. The workbook hides the column (width 0): the sheet reads
# and prints as the 台账 clerks know; the CSV, read by programs, shows it.
TITLE_COLUMN = "问题标题"
# "是" where 问题描述 is the text exactly as typed, no title run in (it opens
# with its title). Written, hidden too, only when some text opens with
# "标题。" and goes on: the title alone cannot tell that from "标题。" + text.
AS_TYPED_COLUMN = "问题描述即原文"
# 是否公开: "否" for a problem left out of the public notice (public: false).
# A clerk decides it, so it shows, narrow, when some problem is not public.
PUBLIC_COLUMN = "是否公开"
# Hidden too, each only when some problem needs it: what the sheet does not
# show but the problem file says, so that export → import keeps it.
# 进展表述: status_note, the report's own sentence for the status (the sheet
# shows the status itself; the sample has one on most problems and must stay
# A4). The evidence files (佐证材料文件, 措施佐证材料文件): a line per line of
# the 佐证材料 cell, its file: path or NO_FILE. 整改成效代号: the ledger's
# result kinds as JSON ([key, label, unit], …), since a column shows only
# "label（unit）" and the problem files name a kind by its key.
STATUS_NOTE_COLUMN = "进展表述"
EVIDENCE_FILES_COLUMN = "佐证材料文件"
TASK_EVIDENCE_FILES_COLUMN = "措施佐证材料文件"
RESULT_KINDS_COLUMN = "整改成效代号"
NO_FILE = "（无文件）"
# The columns that belong to one measure row (not merged over a problem's rows).
PER_MEASURE_COLUMNS = (*MEASURE_COLUMNS, TASK_NOTE_COLUMN, TASK_EVIDENCE_FILES_COLUMN)

# Excel holds at most 32,767 characters in a cell. A longer text goes on in
# hidden continuation columns named "<column>（续1）", "（续2）"…, which the
# importer joins back (see ``continuation`` and ``base_of``).
CELL_LIMIT = 32767
_CONTINUED = re.compile(r"^(.+)（续(\d+)）$")


def continuation(name: str, n: int) -> str:
    """The n-th (1-based) continuation column of column ``name``."""
    return f"{name}（续{n}）"


def base_of(name: str) -> tuple[str, int] | None:
    """``continuation`` read back: (column, n), or None for an ordinary column."""
    m = _CONTINUED.match(name)
    return (m[1], int(m[2])) if m else None


def per_measure(name: str) -> bool:
    """A column (or a continuation of one) that belongs to one measure row, not merged."""
    return (base_of(name) or (name,))[0] in PER_MEASURE_COLUMNS


def split_cell(text: str) -> list[str]:
    """``text`` in pieces that each fit a cell: CELL_LIMIT UTF-16 units, as
    Excel counts (a character outside the BMP takes two). One piece mostly."""
    pieces, start = [], 0
    while start < len(text):
        piece = text[start:start + CELL_LIMIT]
        while (units := len(piece.encode("utf-16-le")) // 2) > CELL_LIMIT:
            piece = piece[:len(piece) - (units - CELL_LIMIT + 1) // 2 - 1]
        pieces.append(piece)
        start += len(piece)
    return pieces or [text]


def result_header(kind: ResultKind) -> str:
    """A 整改成效 column's name: "label（unit）"."""
    return f"{kind.label}（{kind.unit}）" if kind.unit else kind.label


def signoff_cell(signoff: Signoff | None) -> str:
    """The 销号 cell: "已销号（区委巡察办，2023年4月10日）经审核同意销号"."""
    return f"已销号（{signoff.by}，{chinese_date(signoff.date)}）{signoff.note}" if signoff else ""


SIGNOFF_CELL = re.compile(r"已销号（(.+)，(\d{4}年\d{1,2}月\d{1,2}日)）(.*)", re.S)  # signoff_cell read back


def result_kinds_cell(kinds: tuple[ResultKind, ...]) -> str:
    """The 整改成效代号 cell, the same on every row: a sorted or filtered sheet keeps it."""
    return json.dumps([[k.key, k.label, k.unit] for k in kinds], ensure_ascii=False)


def read_result_kinds(cell: str, key_form: re.Pattern) -> list[tuple[str, str, str]] | None:
    """``result_kinds_cell`` read back, or None if the cell is not that."""
    try:
        kinds = json.loads(cell)
    except ValueError:
        return None
    ok = isinstance(kinds, list) and all(
        isinstance(k, list) and len(k) == 3 and all(isinstance(v, str) for v in k) and key_form.match(k[0])
        for k in kinds)
    return [tuple(k) for k in kinds] if ok else None
