"""The rows of a 台账 as the importer sees them: a workbook's first sheet with
a header, or a CSV file; each merged range's value in every cell it covers.

``Row.cells[i].own`` says whether a cell holds its own value or repeats a
merged range from above or left: a problem's cells merged over its measure
rows are how a measure row is told from a new problem.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from . import importcols as cols
from .importmodel import ImportFailed, ImportResult, SourceParagraph
from .reportsource import decode_text
from .spreadsheetcell import csv_text
from .tablecols import base_of

HEADER_SCAN = 15  # the header is within the first rows


@dataclass
class Cell:
    value: object  # the value shown in this cell, a merged range's value in each of its cells
    own: bool  # False where the value belongs to a merged range that starts above or left


@dataclass
class Row:
    number: int  # the row number Excel shows
    cells: list[Cell]
    texts: list[str] = field(default_factory=list)

    def __post_init__(self):
        self.texts = [cols.text(c.value) for c in self.cells]

    def get(self, fields: dict[str, int], name: str) -> str:
        index = fields.get(name)
        return self.texts[index] if index is not None else ""

    def own(self, fields: dict[str, int], name: str) -> str:
        index = fields.get(name)
        return self.texts[index] if index is not None and self.cells[index].own else ""

    def line(self) -> str:
        return " | ".join(t for t in cols.unique(self.texts) if t)


def read_workbook(path: Path, result: ImportResult) -> tuple[str, list[Row]]:
    """The sheet with a header (the first one that has it) and its rows."""
    from openpyxl import load_workbook  # imported here: only this import needs it

    try:
        book = load_workbook(path, data_only=True)  # formulas give their last computed value
    except Exception as exc:  # openpyxl raises many types for a bad or encrypted file
        raise ImportFailed(f"无法打开 Excel 文件（{type(exc).__name__}）；请确认是 .xlsx 格式且未加密"
                           "（.xls 请先用 Excel 或 WPS 另存为 .xlsx）。") from None
    sheets = [s for s in book.worksheets if _has_header(s)] or book.worksheets[:1]
    sheet = sheets[0]
    others = [s.title for s in book.worksheets if s is not sheet and s.max_row > 1]
    if others:
        result.notes.append(f"只导入了工作表“{sheet.title}”；工作表{'、'.join(f'“{t}”' for t in others)}未导入，请确认是否需要。")
    rows = _rows(sheet)
    result.paragraph_count = sum(1 for row in rows if any(row.texts))
    return sheet.title, rows


def read_csv(path: Path, result: ImportResult) -> list[Row]:
    """A 台账 saved as CSV (UTF-8, or GBK as Excel saves it on Chinese Windows)."""
    text = decode_text(path.read_bytes())
    # A cell may hold a whole long text (a unit's CSV has no continuation
    # columns): the reader's limit is the file's, which importlimits bounds.
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        records = list(reader)
    except csv.Error:
        raise ImportFailed(f"CSV 文件第 {reader.line_num} 行格式有误（引号没有配对等）；"
                           "请用 Excel 或 WPS 打开后另存为 .xlsx 再导入。") from None
    width = max((len(r) for r in records), default=0)
    rows = [Row(n, [Cell(csv_text(v), True) for v in (r + [""] * width)[:width]])
            for n, r in enumerate(records, start=1)]
    result.paragraph_count = sum(1 for row in rows if any(row.texts))
    return rows


def _has_header(sheet) -> bool:
    for values in sheet.iter_rows(max_row=HEADER_SCAN, values_only=True):
        if cols.looks_like_header([cols.text(v) for v in values]):
            return True
    return False


def _rows(sheet) -> list[Row]:
    """All rows, each merged range's value copied into every cell it covers."""
    width = sheet.max_column
    grid = [[Cell(v, True) for v in (list(values) + [None] * width)[:width]]
            for values in sheet.iter_rows(values_only=True)]
    for merged in sheet.merged_cells.ranges:
        if merged.min_row > len(grid) or merged.min_col > width:
            continue
        value = grid[merged.min_row - 1][merged.min_col - 1].value
        for r in range(merged.min_row, min(merged.max_row, len(grid)) + 1):
            for c in range(merged.min_col, min(merged.max_col, width) + 1):
                if (r, c) != (merged.min_row, merged.min_col):
                    grid[r - 1][c - 1] = Cell(value, False)
    return [Row(n, cells) for n, cells in enumerate(grid, start=1)]


def header_at(rows: list[Row], at: int) -> tuple[list[str], int, int]:
    """The header's names if it starts at row index ``at``, that index, and how
    many rows it takes. A two-row header groups columns under one merged name
    ("整改责任" over 责任领导, 责任部门, 责任人): the lower row's name wins where
    it has one."""
    upper = rows[at]
    if at + 1 < len(rows):
        lower = rows[at + 1]
        named = [low for cell, low in zip(lower.cells, lower.texts, strict=True) if cell.own and low]
        grouped = any(cols.field_of(name) for name in upper.texts)  # not a title row over the header
        if grouped and named and all(cols.field_of(name) for name in named):
            joined = [low if cell.own and low else up for cell, low, up in zip(lower.cells, lower.texts, upper.texts, strict=True)]
            return joined, at, 2
    return upper.texts, at, 1


def join_continued(header: list[str], rows: list[Row]) -> list[str]:
    """Our export's continuation columns ("整改措施（续1）", tablecols.continuation)
    joined back onto their column, value by value before any cell is trimmed,
    so that a text longer than a cell holds comes back whole. The header
    without them is returned."""
    index = {name: i for i, name in enumerate(header)}
    parts = sorted((found, i) for i, name in enumerate(header) if (found := base_of(name)) and found[0] in index)
    if not parts:
        return header
    dropped = {i for _, i in parts}
    for row in rows:
        for (base, _), i in parts:
            piece = row.cells[i].value
            if piece not in (None, ""):
                cell = row.cells[index[base]]
                row.cells[index[base]] = Cell(f"{'' if cell.value is None else cell.value}{piece}", cell.own)
        row.cells = [cell for i, cell in enumerate(row.cells) if i not in dropped]
        row.texts = [cols.text(cell.value) for cell in row.cells]
    return [name for i, name in enumerate(header) if i not in dropped]


def paragraph(row: Row) -> SourceParagraph:
    return SourceParagraph(row.number, row.line())


def paragraphs(text: str) -> list[str]:
    return [line.strip(" \t\u3000") for line in text.splitlines() if line.strip(" \t\u3000")]
