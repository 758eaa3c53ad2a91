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

import csv
import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal

from . import aggregate, plaintext
from .genre import chinese_date, problem_lead, problem_opening, problem_paragraphs
from .measures import format_number, results_text
from .model import Issue, Ledger, Measure
from .spreadsheetcell import csv_field
from .tablecols import (
    AS_TYPED_COLUMN,
    CELL_BREAK,
    CELL_LIMIT,
    COLUMNS,
    EVIDENCE_FILES_COLUMN,
    FOLLOWS_COLUMN,
    MEASURE_COLUMNS,
    NO_FILE,
    NOTE_COLUMN,
    PUBLIC_COLUMN,
    RESULT_KINDS_COLUMN,
    SIGNOFF_COLUMN,
    STATUS_NOTE_COLUMN,
    TASK_EVIDENCE_FILES_COLUMN,
    TASK_NOTE_COLUMN,
    TITLE_COLUMN,
    continuation,
    result_header,
    result_kinds_cell,
    signoff_cell,
    split_cell,
)

# Excel column widths, in its unit of one Latin digit; a Chinese character takes two.
# Their sum fits A4 landscape at 100 % even where Calibri falls back to a wider
# font (LibreOffice without Carlito: about 2.5 mm a unit, not 1.9 mm): the
# long texts wrap inside their cells, so the print stays at 10.5 pt instead of
# being shrunk to one page wide (which printed 6.8 pt).
WIDTHS = (4, 8, 23, 27, 8, 8, 9, 9, 7, 9)


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
    for name, used in ((NOTE_COLUMN, extras.note), (TASK_NOTE_COLUMN, extras.task_note)):
        if used:
            names.append(name)
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
        if not split:
            out.append((issue, [own + _extra_cells(issue, ledger, extras) + _row_end(None, extras)]))
        elif not issue.tasks:
            out.append((issue, [own + [None] * len(MEASURE_COLUMNS) + _extra_cells(issue, ledger, extras)
                                + _row_end(None, extras)]))
        else:
            out.append((issue, [own + measure_cells(m) + _extra_cells(issue, ledger, extras, m) + _row_end(m, extras)
                                for m in issue.tasks]))
    return out


def laid_out(ledger: Ledger) -> tuple[tuple[str, ...], tuple[int, ...], list[tuple[Issue, list[list[Cell]]]]]:
    """``columns`` and ``problem_rows`` as both files write them: a text longer
    than a cell holds (CELL_LIMIT) is carried whole, its first piece in its
    column and the rest in hidden continuation columns "<column>（续1）"…, which
    the importer joins back. Never cut."""
    names, widths = columns(ledger)
    problems = problem_rows(ledger)
    pieces: dict[int, int] = {}  # column index -> most pieces a cell of it needs
    for _, rows in problems:
        for values in rows:
            for i, value in enumerate(values):
                if isinstance(value, str) and len(value) > CELL_LIMIT // 2 and (n := len(split_cell(value))) > 1:
                    pieces[i] = max(pieces.get(i, 1), n)
    if not pieces:
        return names, widths, problems
    extra = [(i, k) for i in sorted(pieces) for k in range(1, pieces[i])]

    def fit(values: list[Cell]) -> list[Cell]:
        split = {i: split_cell(values[i]) if isinstance(values[i], str) else [values[i]] for i in pieces}
        head = [split[i][0] if i in split else value for i, value in enumerate(values)]
        return head + [split[i][k] if k < len(split[i]) else None for i, k in extra]

    return ((*names, *(continuation(names[i], k) for i, k in extra)), (*widths, *(0 for _ in extra)),
            [(issue, [fit(values) for values in rows]) for issue, rows in problems])


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
    note: bool = False  # 备注: some problem has a note
    task_note: bool = False  # 措施备注: some measure has a note
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
                   note=any(i.note for i in issues), task_note=any(m.note for i in issues for m in i.tasks),
                   kinds=result_kinds_cell(ledger.results) if ledger.results else "")


def _reads_back_otherwise(issue: Issue) -> bool:
    """Title and 问题描述 alone would give back another text (it opens with "标题。")."""
    paragraphs = plaintext.paragraphs(issue.problem)
    return problem_paragraphs(issue.title, problem_opening(issue.title, paragraphs)) != paragraphs


def _extra_cells(issue: Issue, ledger: Ledger, extras: Extras, measure: Measure | None = None) -> list[Cell]:
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
    if extras.note:
        cells.append(issue.note)
    if extras.task_note:
        cells.append(measure.note if measure else None)
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
    names, _, problems = laid_out(ledger)
    writer.writerow([csv_field(name) for name in names])
    for _, rows in problems:
        writer.writerows([csv_field(text(v)) for v in values] for values in rows)
    # The BOM tells Excel the file is UTF-8; without it Chinese comes out garbled.
    return out.getvalue().encode("utf-8-sig")
