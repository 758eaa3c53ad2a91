"""The 台账 as offices keep it: an Excel workbook or a CSV file.

Both are built from ``table(ledger)``, one row per problem in report order
(one per measure for a problem split into measures, see ``problem_rows``),
with the texts reduced to plain text (``\\*`` becomes ``*``, no markup), the
序号 a number and the dates ``date`` objects: the workbook stores them as real
numbers and dates, the CSV writes them as the report does (2023年3月31日). The
functions return bytes, so the command line writes them to a file and the
site build publishes them as downloads without touching the disk.
"""

from __future__ import annotations

import copy
import csv
import datetime as dt
import functools
import io
import math
import re
import zipfile
from dataclasses import dataclass
from decimal import Decimal

from . import aggregate, plaintext
from .genre import chinese_date, problem_lead, problem_opening, problem_paragraphs
from .measures import format_number, results_text
from .model import Issue, Ledger, Measure
from .report import ReportDoc
from .spreadsheetcell import csv_field, put_cell
from .tablecols import (
    AS_TYPED_COLUMN,
    CELL_BREAK,
    COLUMNS,
    EVIDENCE_FILES_COLUMN,
    FOLLOWS_COLUMN,
    HEADER_ROW,
    MEASURE_COLUMNS,
    NO_FILE,
    PER_MEASURE_COLUMNS,
    PUBLIC_COLUMN,
    RESULT_KINDS_COLUMN,
    SIGNOFF_COLUMN,
    STATUS_NOTE_COLUMN,
    TASK_EVIDENCE_FILES_COLUMN,
    TITLE_COLUMN,
    result_header,
    result_kinds_cell,
    signoff_cell,
)

# Excel column widths, in its unit of one Latin digit; a Chinese character takes two.
# Their sum fits A4 landscape at 100 % even where Calibri falls back to a wider
# font (LibreOffice without Carlito: about 2.5 mm a unit, not 1.9 mm): the
# long texts wrap inside their cells, so the print stays at 10.5 pt instead of
# being shrunk to one page wide (which printed 6.8 pt).
WIDTHS = (4, 8, 23, 27, 8, 8, 9, 9, 7, 9)
DATE_FORMAT = 'yyyy"年"m"月"d"日"'  # as genre.chinese_date writes it
BODY_PT = 10.5  # 五号: the smallest print size
_STATUS_FILLS = {"green": "E2EFDA", "blue": "DDEBF7", "teal": "D9F2EF", "grey": "EDEDED",
                 "red": "FADBD8", "orange": "FCE4D6", "yellow": "FFF2CC"}


Cell = str | int | Decimal | dt.date | None


def text(value: Cell) -> str:
    """A cell as the CSV and other plain-text readers write it."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format_number(value)
    return chinese_date(value) if isinstance(value, dt.date) else str(value)


def problem_text(issue: Issue) -> str:
    """Title and problem as one text, the way the report writes it: "标题。问题…"."""
    return CELL_BREAK.join(problem_opening(issue.title, plaintext.paragraphs(issue.problem)))


def row(issue: Issue) -> list[Cell]:
    return [
        issue.id,
        issue.category.name,
        problem_text(issue),
        CELL_BREAK.join(plaintext.paragraphs(issue.measures)),
        issue.leader,
        issue.owner_text,
        issue.deadline,
        issue.completed,
        issue.status.label,
        CELL_BREAK.join(e.name for e in issue.evidence),
    ]


def table(ledger: Ledger) -> list[list[Cell]]:
    """One row per measure (one per problem without measures), in the report's
    order; a problem's own cells are repeated on each of its rows."""
    return [values for _, rows in problem_rows(ledger) for values in rows]


MEASURE_WIDTHS = (16, 8, 6, 9, 9, 7, 9)


def columns(ledger: Ledger) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """The sheet's columns and widths: today's ten, the ones this ledger uses, the hidden title."""
    names, widths = list(COLUMNS), list(WIDTHS)
    if any(i.tasks for i in ledger.issues):
        names += MEASURE_COLUMNS
        widths += MEASURE_WIDTHS
    for kind in ledger.results:
        names.append(result_header(kind))
        widths.append(7)
    extras = Extras.of(ledger)
    if extras.immediate:
        names.append("立行立改")
        widths.append(5)
    if extras.private:
        names.append(PUBLIC_COLUMN)
        widths.append(5)
    if ledger.signoff_path:
        names.append(SIGNOFF_COLUMN)
        widths.append(10)
    if extras.follows:
        names.append(FOLLOWS_COLUMN)
        widths.append(10)
    hidden = [TITLE_COLUMN] + [name for name, used in (
        (AS_TYPED_COLUMN, extras.as_typed), (STATUS_NOTE_COLUMN, extras.notes),
        (EVIDENCE_FILES_COLUMN, extras.files), (TASK_EVIDENCE_FILES_COLUMN, extras.task_files),
        (RESULT_KINDS_COLUMN, bool(extras.kinds))) if used]
    return tuple(names + hidden), tuple(widths + [0] * len(hidden))  # width 0: hidden


def problem_rows(ledger: Ledger) -> list[tuple[Issue, list[list[Cell]]]]:
    """Each problem with its rows, in the report's order (category, then number)."""
    split = any(i.tasks for i in ledger.issues)
    extras = Extras.of(ledger)
    out = []
    for issue in sorted(ledger.issues, key=lambda i: (i.category.index, i.id)):
        own = row(issue)
        tail = _extra_cells(issue, ledger, extras)
        if not split:
            out.append((issue, [own + tail + _row_end(None, extras)]))
        elif not issue.tasks:
            out.append((issue, [own + [None] * len(MEASURE_COLUMNS) + tail + _row_end(None, extras)]))
        else:
            out.append((issue, [own + measure_cells(m) + tail + _row_end(m, extras) for m in issue.tasks]))
    return out


def measure_cells(measure: Measure) -> list[Cell]:
    return [measure.text, measure.owner_text, measure.person, measure.deadline, measure.completed,
            measure.status.label, CELL_BREAK.join(e.name for e in measure.evidence)]


@dataclass(frozen=True)
class Extras:
    """The optional columns that depend on all the problems: asked once per
    ledger (asked for each problem, each any() made the workbook O(n²))."""

    immediate: bool  # 立行立改: some problem is marked so
    follows: bool  # 延续自: some problem follows one of an earlier round
    as_typed: bool  # 问题描述即原文: the title cannot tell where some problem's text starts
    private: bool = False  # 是否公开: some problem is left out of the public notice
    notes: bool = False  # 进展表述: some problem has a status_note
    files: bool = False  # 佐证材料文件: some problem's evidence names a file
    task_files: bool = False  # 措施佐证材料文件: some measure's evidence names a file
    kinds: str = ""  # 整改成效代号's cell, when ledger.yml declares result kinds

    @classmethod
    def of(cls, ledger: Ledger) -> Extras:
        issues = ledger.issues
        return cls(immediate=any(i.immediate for i in issues), follows=any(i.follows for i in issues),
                   as_typed=any(_reads_back_otherwise(i) for i in issues),
                   private=not all(i.public for i in issues),
                   notes=any(i.status_note is not None for i in issues),
                   files=any(e.file for i in issues for e in i.evidence),
                   task_files=any(e.file for i in issues for m in i.tasks for e in m.evidence),
                   kinds=result_kinds_cell(ledger.results) if ledger.results else "")


def _reads_back_otherwise(issue: Issue) -> bool:
    """Title and 问题描述 alone would give back another text (it opens with "标题。")."""
    paragraphs = plaintext.paragraphs(issue.problem)
    return problem_paragraphs(issue.title, problem_opening(issue.title, paragraphs)) != paragraphs


def _extra_cells(issue: Issue, ledger: Ledger, extras: Extras) -> list[Cell]:
    cells: list[Cell] = [issue.results.get(k.key) for k in ledger.results]  # numbers Excel can sum
    if extras.immediate:
        cells.append("是" if issue.immediate else "")
    if extras.private:
        cells.append("" if issue.public else "否")
    if ledger.signoff_path:
        cells.append(signoff_cell(issue.signoff))
    if extras.follows:
        # As typed ("2023-区委巡察/15"): the workbook leaves the site's links behind.
        cells.append(CELL_BREAK.join(text for text, _ in issue.follows))
    cells.append(issue.title)
    if extras.as_typed:
        first = (plaintext.paragraphs(issue.problem) or [""])[0]
        cells.append("是" if not problem_lead(issue.title, first) else "")
    if extras.notes:
        cells.append(issue.status_note)
    if extras.files:
        cells.append(evidence_files(issue.evidence))
    return cells


def _row_end(measure: Measure | None, extras: Extras) -> list[Cell]:
    """The last hidden cells: the measure's files, the result kinds."""
    cells: list[Cell] = [evidence_files(measure.evidence) if measure else None] if extras.task_files else []
    return [*cells, extras.kinds] if extras.kinds else cells


def evidence_files(evidence) -> str | None:
    """The 佐证材料文件 cell: a line per line of the 佐证材料 cell, the file or NO_FILE."""
    if not any(e.file for e in evidence):
        return None
    return CELL_BREAK.join(e.file or NO_FILE for e in evidence)


def sheet_title(ledger: Ledger) -> str:
    return f"{ledger.unit}{ledger.round}反馈问题整改台账" if ledger.unit else "反馈问题整改台账"


def status_line(standing: aggregate.Standing) -> str:
    counts = standing.total
    line = (f"统计截至{chinese_date(standing.as_of)}：共{counts.total}项问题，"
            f"已完成{counts.done}项，整改完成率{counts.rate_text}")
    if standing.tasks:
        line += f"；整改措施{len(standing.tasks)}项，已完成{standing.tasks_done}项"
    if results_text(standing.results):
        line += f"；整改成效：{results_text(standing.results)}"
    return line


# -- CSV ------------------------------------------------------------------------------


def to_csv(ledger: Ledger) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")  # Excel on Windows expects CRLF
    # The header too: a result label from ledger.yml is ledger data.
    writer.writerow([csv_field(name) for name in columns(ledger)[0]])
    for values in table(ledger):
        writer.writerow([csv_field(text(v)) for v in values])
    # The BOM tells Excel the file is UTF-8; without it Chinese comes out garbled.
    return out.getvalue().encode("utf-8-sig")


# -- Excel ----------------------------------------------------------------------------


def to_xlsx(ledger: Ledger, standing: aggregate.Standing | None = None) -> bytes:
    """The workbook; ``standing`` is the build's, else the ledger as of today."""
    from openpyxl import Workbook  # imported here: validate and build need not load it
    from openpyxl.writer.excel import ExcelWriter

    book = Workbook()
    sheet = book.active
    sheet.title = "整改台账"
    names, widths = columns(ledger)
    _title_rows(sheet, ledger, standing or aggregate.standing(ledger), len(names))
    _header(sheet, names, widths)
    made: dict = {}
    n = HEADER_ROW + 1
    for _, rows in problem_rows(ledger):
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


# Deflate level of the .xlsx and .docx downloads. At 2,000 problems the
# default (6) spent a third of the Word files' time and a quarter of the
# workbook's compressing; level 1 is three times faster for files about 1.6×
# as large (1.6 MB instead of 0.9 MB for the workbook), which an intranet
# download does not notice. Word, WPS and LibreOffice read any level.
ZIP_LEVEL = 1
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
    sheet.row_dimensions[HEADER_ROW].height = 22
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
    measure_cols = {c for c, name in enumerate(names, 1) if name in PER_MEASURE_COLUMNS}
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


# -- downloads published with the site ----------------------------------------------------


@dataclass(frozen=True)
class Download:
    src_uri: str  # path in the built site, as if under docs/
    label: str  # link text on the 问题清单 page
    data: bytes


XLSX_SRC = "downloads/整改台账.xlsx"
DOCX_SRC = "downloads/整改报告.docx"


def site_downloads(ledger: Ledger, standing: aggregate.Standing, report: ReportDoc) -> list[Download]:
    """The workbook and the Word report, built in memory for the site.

    ``report`` is the report model the site's report page shows, so that the
    Word file says the same and the model is built once per site build."""
    from .export_docx import render as render_docx

    return [
        Download(XLSX_SRC, "整改台账（Excel）", to_xlsx(ledger, standing)),
        Download(DOCX_SRC, "整改报告（Word）", render_docx(report, author=ledger.unit)),
    ]


def document_downloads(docs: dict[str, ReportDoc]) -> dict[str, Download]:
    """The other documents of the round (整改方案, …) as Word files, by kind."""
    from .export_docx import render as render_docx

    return {kind: Download(f"downloads/{doc.label}.docx", f"{doc.label}（Word）", render_docx(doc))
            for kind, doc in docs.items()}
