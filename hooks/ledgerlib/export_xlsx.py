"""The 台账 as an Excel workbook, laid out for print: title rows, a styled
header, one row per problem (its cells merged over its measure rows), A4 or
A3 landscape. What goes in the cells is export.py's ``columns`` and
``problem_rows``; this module only lays them out."""

from __future__ import annotations

import copy
import datetime as dt
import functools
import io
import math
import re
import zipfile

from . import aggregate
from .export import WIDTHS, Cell, laid_out, sheet_title, status_line, text
from .model import Ledger
from .officezip import ZIP_LEVEL
from .spreadsheetcell import put_cell
from .tablecols import CELL_BREAK, COLUMNS, HEADER_ROW, PUBLIC_COLUMN, per_measure

DATE_FORMAT = 'yyyy"年"m"月"d"日"'  # as genre.chinese_date writes it
BODY_PT = 10.5  # 五号: the smallest print size
_STATUS_FILLS = {"green": "E2EFDA", "blue": "DDEBF7", "teal": "D9F2EF", "grey": "EDEDED",
                 "red": "FADBD8", "orange": "FCE4D6", "yellow": "FFF2CC"}


def to_xlsx(ledger: Ledger, standing: aggregate.Standing) -> bytes:
    """The workbook; ``standing`` is the build's (its title rows count it)."""
    from openpyxl import Workbook  # imported here: validate and build need not load it
    from openpyxl.writer.excel import ExcelWriter

    book = Workbook()
    sheet = book.active
    sheet.title = "整改台账"
    names, widths, problems = laid_out(ledger)
    _title_rows(sheet, ledger, standing, len(names))
    _header(sheet, names, widths)
    made: dict = {}
    n = HEADER_ROW + 1
    for _, rows in problems:
        for values in rows:
            _data_row(sheet, n, values, ledger, made, names, widths)
            n += 1
        if len(rows) > 1:
            _merge_problem_cells(sheet, n - len(rows), n - 1, names, rows, widths)
    _page_setup(sheet, n - HEADER_ROW - 1, widths)
    # The filter covers the whole table, so that sorting or filtering moves whole rows.
    sheet.auto_filter.ref = f"A{HEADER_ROW}:{_column_letter(len(names))}{n - 1}"
    data = io.BytesIO()
    # openpyxl's own save, with the archive opened at our compression level.
    with zipfile.ZipFile(data, "w", zipfile.ZIP_DEFLATED, allowZip64=True, compresslevel=ZIP_LEVEL) as archive:
        ExcelWriter(book, archive).save()
    return data.getvalue()


A3_TO_A4 = 420 / 297  # how much wider an A3 landscape page is


@functools.lru_cache(maxsize=1)
def _styles():
    """Style objects, made once: openpyxl shares equal styles anyway."""
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    thin = Side(style="thin", color="808080")
    return dict(
        title=Font(name="黑体", size=16),
        note=Font(name="宋体", size=BODY_PT, color="595959"),
        header=Font(name="黑体", size=11),
        body=Font(name="宋体", size=BODY_PT),
        header_fill=PatternFill("solid", fgColor="D9D9D9"),
        border=Border(left=thin, right=thin, top=thin, bottom=thin),
        center=Alignment(horizontal="center", vertical="center", wrap_text=True),
        wrap=Alignment(horizontal="left", vertical="top", wrap_text=True),
        top_center=Alignment(horizontal="center", vertical="top", wrap_text=True),
        left=Alignment(horizontal="left", vertical="center"),
        PatternFill=PatternFill,
    )


def _title_rows(sheet, ledger: Ledger, standing: aggregate.Standing, width: int) -> None:
    s = _styles()
    last = _column_letter(width)
    sheet.merge_cells(f"A1:{last}1")
    put_cell(sheet["A1"], sheet_title(ledger))  # the unit's name and round are ledger data
    sheet["A1"].font, sheet["A1"].alignment = s["title"], s["center"]
    sheet.row_dimensions[1].height = 30
    sheet.merge_cells(f"A2:{last}2")
    put_cell(sheet["A2"], status_line(standing))
    sheet["A2"].font = s["note"]
    sheet["A2"].alignment = s["left"]


def _header(sheet, names: tuple[str, ...] = COLUMNS, widths: tuple[int, ...] = WIDTHS) -> None:
    s = _styles()
    for col, (name, width) in enumerate(zip(names, widths, strict=True), start=1):
        cell = sheet.cell(row=HEADER_ROW, column=col)
        put_cell(cell, name)  # a result label from ledger.yml is ledger data
        cell.font, cell.fill, cell.border, cell.alignment = s["header"], s["header_fill"], s["border"], s["center"]
        sheet.column_dimensions[_column_letter(col)].width = width
        sheet.column_dimensions[_column_letter(col)].hidden = not width
    # Tall enough for the longest header wrapped in its column ("整改特种设备隐患（台）").
    sheet.row_dimensions[HEADER_ROW].height = max(22.0, row_height(list(names), widths))
    sheet.freeze_panes = f"A{HEADER_ROW + 1}"  # title and header stay visible when scrolling


# Columns whose short values read better centred.
_CENTRED = {"序号", "责任领导", "责任部门", "整改时限", "完成时间", "整改状态",
            "措施责任部门", "责任人", "措施时限", "措施完成时间", "措施状态", "立行立改", PUBLIC_COLUMN}
_DATES = {"整改时限", "完成时间", "措施时限", "措施完成时间"}


def _data_row(sheet, n: int, values: list[Cell], ledger: Ledger, made: dict | None = None,
              names: tuple[str, ...] = COLUMNS, widths: tuple[int, ...] = WIDTHS) -> None:
    """One problem's row. ``made`` caches each column's finished style (per
    status colour): assigning font, border and alignment hashes the style
    objects every time, half of writing a 2,000-row workbook, while copying
    a cell's style array is cheap and gives the same workbook."""
    s = _styles()
    made = {} if made is None else made
    status_col = COLUMNS.index("整改状态") + 1
    status_value = values[status_col - 1]
    color = next((st.color for st in ledger.statuses if st.label == status_value), "grey")
    for col, (name, value) in enumerate(zip(names, values, strict=True), start=1):
        cell = sheet.cell(row=n, column=col)
        put_cell(cell, value)
        key = (col, color if col == status_col else None)
        style = made.get(key)
        if style is not None:
            cell._style = copy.copy(style)
            continue
        cell.font, cell.border = s["body"], s["border"]
        cell.alignment = s["top_center"] if name in _CENTRED else s["wrap"]
        if isinstance(value, dt.date) or name in _DATES:
            cell.number_format = DATE_FORMAT
        if col == status_col:
            cell.fill = s["PatternFill"]("solid", fgColor=_STATUS_FILLS.get(color, _STATUS_FILLS["grey"]))
        made[key] = copy.copy(cell._style)
    sheet.row_dimensions[n].height = row_height(values, widths)


def _merge_problem_cells(sheet, first: int, last: int, names, rows, widths) -> None:
    """Real 台账 merge a problem's cells over its measure rows. Each row is
    as tall as its measure needs; together they must fit the problem's texts."""
    s = _styles()
    measure_cols = {c for c, name in enumerate(names, 1) if per_measure(name)}
    for r, values in zip(range(first, last + 1), rows, strict=True):
        cells = [(v, w) for c, (v, w) in enumerate(zip(values, widths, strict=True), 1) if c in measure_cols]
        sheet.row_dimensions[r].height = row_height([v for v, _ in cells], [w for _, w in cells])
    values = rows[0]
    for col in range(1, len(names) + 1):
        if col in measure_cols:
            continue
        letter = _column_letter(col)
        _merge(sheet, f"{letter}{first}:{letter}{last}")
        sheet[f"{letter}{first}"].alignment = s["center"] if names[col - 1] in _CENTRED else s["wrap"]
    own = [(v, w) for c, (v, w) in enumerate(zip(values, widths, strict=True), 1) if c not in measure_cols]
    needed = row_height([v for v, _ in own], [w for _, w in own])
    have = sum(sheet.row_dimensions[r].height for r in range(first, last + 1))
    if needed > have:  # shared out, so that each measure row grows alike
        extra = (needed - have) / (last - first + 1)
        for r in range(first, last + 1):
            sheet.row_dimensions[r].height = min(409.0, sheet.row_dimensions[r].height + extra)


def _merge(sheet, coord: str) -> None:
    """sheet.merge_cells, made linear. openpyxl checks the new range against
    every range merged so far and then rebuilds the borders of each covered
    cell from new style objects: quadratic, 7 minutes for 2,000 problems with
    three measures each. Our ranges never overlap (one column of one problem
    each), and the covered cells already carry the finished border, whose
    style array is copied over as _data_row does."""
    from openpyxl.cell.cell import MergedCell
    from openpyxl.worksheet.cell_range import CellRange

    merged = CellRange(coord)
    sheet.merged_cells.ranges.add(merged)
    cells = merged.cells
    next(cells)  # the top-left cell keeps its value
    for row_number, col in cells:
        covered = MergedCell(sheet, row_number, col)
        old = sheet._cells.get((row_number, col))
        if old is not None:
            covered._style = copy.copy(old._style)
        sheet._cells[row_number, col] = covered


def row_height(values: list[Cell], widths: tuple[int, ...] | list[int] = WIDTHS) -> float:
    """Wrapped rows need a height: Excel does not grow rows written by a
    program until someone edits them, and printed rows would be cut off.
    A hidden column (width 0) is neither seen nor printed."""
    lines = max(_line_count(text(v), w) for v, w in zip(values, widths, strict=True) if w)
    return min(409.0, 15.0 * lines + 4)  # 409 pt is Excel's largest row height


_NARROW_RUNS = re.compile("[\x00-\u2e7f]+")


def _line_count(text: str, width: int) -> int:
    per_line = max(1, width - 1)  # in Latin-digit units, minus the cell padding
    total = 0
    for paragraph in text.split(CELL_BREAK) or [""]:
        # Characters from U+2E80 (CJK) count two units: one per character plus
        # one per wide character, counted by regex rather than a loop per character.
        units = len(paragraph) + len(_NARROW_RUNS.sub("", paragraph))
        total += max(1, math.ceil(units / per_line))
    return total


def _page_setup(sheet, rows: int, widths: tuple[int, ...] = WIDTHS) -> None:
    # WIDTHS fill A4 landscape at 100 %. A ledger with measure (or result,
    # sign-off) columns is wider: A3 landscape, as offices print wide 台账,
    # shrunk to its width only if even that is too narrow.
    wide = sum(widths) > sum(WIDTHS)
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A3 if wide else sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE
    if sum(widths) > sum(WIDTHS) * A3_TO_A4:
        sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
    else:
        sheet.page_setup.scale = 100  # no fit-to-width: the widths already fit the page
    sheet.print_options.horizontalCentered = True
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"  # the header repeats on every page
    sheet.page_margins.left = sheet.page_margins.right = 0.3  # inches
    sheet.page_margins.top, sheet.page_margins.bottom = 0.6, 0.7
    sheet.oddFooter.center.text = "第 &P 页，共 &N 页"
    sheet.print_area = f"A1:{_column_letter(len(widths))}{HEADER_ROW + rows}"


def _column_letter(n: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(n)
