"""Read an Excel 台账 (.xlsx) into an ImportResult, as units really keep them.

One or two title rows above the header; header names that vary between units
(see ``importcols.HEADERS``); columns in any order; one row per measure with
the problem's cells merged over its rows; dates as real Excel dates or text;
categories as a column or as section rows ("一、聚焦…" alone on its row).

Every row is accounted for as the report importer accounts for paragraphs
(``placed``/``unplaced``, numbered by row), and every column either maps to a
field or is named in ``unplaced_columns`` with its cells kept in the problem
files as comments. Writing the files is ``ledgerwriter``'s job.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from . import importcols as cols
from .constants import NEW_LEDGER_STATUSES
from .export import COLUMNS, NO_FILE, result_header
from .genre import STATUS_WORDINGS, problem_paragraphs
from .importer import (
    ImportedCategory,
    ImportedProblem,
    ImportFailed,
    ImportResult,
    MeasureRow,
    SourceParagraph,
    decode_text,
    numbered_heading,
    sentences,
    status_of_cell,
    strip_trailing,
)
from .measures import KIND_KEY, figure
from .model import ResultKind
from .problemfile import FOLLOWS_FORM, note_contradicts
from .spreadsheetcell import csv_text

_HEADER_SCAN = 15  # the header is within the first rows
_TOTAL_ROW = re.compile(r"^(合计|总计|小计|共计)")
_EXACT_STATUS = {w for _, words in STATUS_WORDINGS for w in words} | {"未启动", "整改中", "已完成", "长期坚持", "是", "否"}
_NUMERAL_CELL = re.compile(r"[（(]?[一二三四五六七八九十]{1,3}[)）]?[、.．]?")
_CATEGORY_SUFFIX = re.compile(r"[（(]\s*\d+\s*[项个条]\s*[）)]$")  # "一、…方面（3项）"
_NEW_LABELS = {s["label"]: s["key"] for s in NEW_LEDGER_STATUSES}
_SIGNOFF = re.compile(r"已销号（(.+)，(\d{4}年\d{1,2}月\d{1,2}日)）(.*)", re.S)  # export.signoff_cell
_TICKED = {"是", "√", "✓", "✔"}  # a 立行立改 or 是否公开 cell saying yes
_CROSSED = {"否", "×"}


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


def import_workbook(path: str | Path) -> ImportResult:
    path = Path(path)
    result = ImportResult(source=path, kind="workbook")
    sheet, rows = _read(path, result)
    return _read_table(rows, f"工作表“{sheet}”", result)


def import_csv(path: str | Path) -> ImportResult:
    """A 台账 saved as CSV (UTF-8, or GBK as Excel saves it on Chinese Windows)."""
    path = Path(path)
    result = ImportResult(source=path, kind="workbook")
    text = decode_text(path.read_bytes())
    try:
        records = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise ImportFailed(f"CSV 文件格式有误（{exc}）；请用 Excel 或 WPS 打开后另存为 .xlsx 再导入。") from None
    width = max((len(r) for r in records), default=0)
    rows = [Row(n, [Cell(csv_text(v), True) for v in (r + [""] * width)[:width]])
            for n, r in enumerate(records, start=1)]
    result.paragraph_count = sum(1 for row in rows if any(row.texts))
    return _read_table(rows, "CSV 文件", result)


def _read_table(rows: list[Row], where: str, result: ImportResult) -> ImportResult:
    found = next((found for n in range(min(_HEADER_SCAN, len(rows)))
                  if cols.looks_like_header((found := _header(rows, n))[0])), None)
    if found is None:
        raise ImportFailed(f"{where}前 {_HEADER_SCAN} 行中没有找到表头（需要有“问题”或“问题描述”一列，"
                           "以及“整改措施”“责任单位”“整改时限”等列中的至少两列）。")
    header, header_at, used = found
    result.own_export = tuple(header[:len(COLUMNS)]) == COLUMNS
    fields, extra = cols.map_header(header)
    below = rows[header_at + used:]
    results = _result_columns(fields, extra, below, result)
    result.columns = {name: header[index] for name, index in fields.items()}
    result.columns.update({f"result:{key}": name for key, (_, name) in results.items()})
    result.unplaced_columns = [name for _, name in extra]
    for row in rows[header_at:header_at + used]:
        result.place(_paragraph(row), "表头")
    _title_rows(rows[:header_at], result)
    TableReader(result, fields, extra, results).read(below)
    return result


def _result_columns(fields: dict[str, int], extra: list[tuple[int, str]], rows: list[Row],
                    result: ImportResult) -> dict[str, tuple[int, str]]:
    """Our export's 整改成效 columns (kind key -> index, name), found by the
    kinds its hidden 整改成效代号 lists; they leave ``extra``, whose cells
    would be comments, and the kinds go to ``result.result_kinds``."""
    index = fields.get("result_kinds")
    cell = next((row.texts[index] for row in rows if index is not None and row.texts[index]), "")
    kinds = _kinds(cell) if cell else []
    if kinds is None:
        result.notes.append(f"隐藏的“{cols.FIELD_NAMES['result_kinds']}”一列内容有误，整改成效的数字未能导入，已原样写为注释。")
        return {}
    by_name = {cols.normalize(name): (i, name) for i, name in extra}
    found = {}
    for key, label, unit in kinds:
        result.result_kinds.append((key, label, unit))
        hit = by_name.get(cols.normalize(result_header(ResultKind(key, label, unit))))
        if hit is None:
            result.notes.append(f"没有找到整改成效“{label}”一列，这一种成效的数字未能导入（ledger.yml 已声明 {key}）。")
            continue
        found[key] = hit
        extra.remove(hit)
    return found


def _kinds(cell: str) -> list[tuple[str, str, str]] | None:
    """The JSON of export.result_kinds_cell, or None if it is not that."""
    try:
        kinds = json.loads(cell)
    except ValueError:
        return None
    ok = isinstance(kinds, list) and all(
        isinstance(k, list) and len(k) == 3 and all(isinstance(v, str) for v in k) and KIND_KEY.match(k[0])
        for k in kinds)
    return [tuple(k) for k in kinds] if ok else None


def _header(rows: list[Row], at: int) -> tuple[list[str], int, int]:
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


def _read(path: Path, result: ImportResult) -> tuple[str, list[Row]]:
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


def _has_header(sheet) -> bool:
    for values in sheet.iter_rows(max_row=_HEADER_SCAN, values_only=True):
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


def _paragraph(row: Row) -> SourceParagraph:
    return SourceParagraph(row.number, row.line())


def _title_rows(rows: list[Row], result: ImportResult) -> None:
    """Above the header: the table's title (the unit and round come from it) and notes."""
    for row in rows:
        text = row.line()
        if not text:
            continue
        if not result.unit and re.search(r"台账|清单|整改", text):
            _facts_from_title(text, result)
            result.place(_paragraph(row), "表格标题（据此填写 ledger.yml 的 unit、round，请核对）")
        elif text.startswith("统计截至"):
            result.regenerate(_paragraph(row), "统计说明，导出台账时按当时的数据重写")
        else:
            result.reject(_paragraph(row), "表头上方的文字")


def _facts_from_title(text: str, result: ImportResult) -> None:
    if m := re.match(r"^(.{2,30}?(?:党委|党组|党总支|党支部|委员会))", text):
        result.unit = m[1]
        rest = text[m.end():]
        if r := re.match(r"^(.{2,30}?巡[察视])", rest):
            result.round = r[1]


class TableReader:
    """Rows below the header: section rows, problems and their measure rows."""

    def __init__(self, result: ImportResult, fields: dict[str, int], extra: list[tuple[int, str]],
                 results: dict[str, tuple[int, str]] | None = None):
        self.result = result
        self.fields = fields
        self.extra = extra
        self.cells = FieldCells(result, fields, results or {})
        self.groups: list[tuple[str | None, list[Row]]] = []  # (section category, rows of one problem)
        self.section: str | None = None
        self.month_only: list[int] = []

    def read(self, rows: list[Row]) -> None:
        for row in rows:
            if any(row.texts):
                self.take(row)
        if not self.groups:
            raise ImportFailed("表头下面没有找到问题行；请确认“问题”一列有内容。")
        for section, group in self.groups:
            self.problem(section, group)
        if not self.result.problems:
            raise ImportFailed("表头下面没有找到问题行；请确认“问题”一列有内容。")
        self.assign_ids()
        if self.month_only:
            self.result.notes.append(f"第 {'、'.join(map(str, self.month_only))} 项的时限只写到月份，已按当月最后一天记录。")

    def take(self, row: Row) -> None:
        if (name := self.section_name(row)) is not None:
            self.section = name
            self.result.place(_paragraph(row), "问题方面（ledger.yml: categories）")
        elif _TOTAL_ROW.match(row.texts[0] if row.texts else "") or _TOTAL_ROW.match(row.line()):
            self.result.reject(_paragraph(row), "合计行，由台账自动统计")
        elif self.starts_problem(row):
            self.groups.append((self.section, [row]))
        elif self.groups:
            self.groups[-1][1].append(row)
        else:
            self.result.reject(_paragraph(row), "位于第一个问题之前，且没有问题描述")

    def section_name(self, row: Row) -> str | None:
        """A row holding one text only, at the left or across the table: a category.
        "一" in the first cell and the name in the second is one text too."""
        texts = [t for t in cols.unique(row.texts) if t]
        if len(texts) == 2 and _NUMERAL_CELL.fullmatch(row.texts[0]) and row.texts[1] == texts[1]:
            return strip_trailing(texts[1])
        if len(texts) != 1:
            return None
        text = texts[0]
        first = next(i for i, t in enumerate(row.texts) if t)
        across = sum(1 for t in row.texts if t) >= 3
        in_problem_column = first == self.fields.get("problem") and not across
        heading = numbered_heading(text)
        numbered = heading is not None
        if (in_problem_column and not numbered) or re.fullmatch(r"\d+", text):
            return None
        if not (numbered or across or first <= 1):
            return None
        return _CATEGORY_SUFFIX.sub("", strip_trailing(heading or text)).strip()

    def starts_problem(self, row: Row) -> bool:
        """A row starts a problem when it has its own problem text; rows under a
        merged problem cell, or repeating the same text and number, are its measures."""
        f = self.fields
        key = "problem" if "problem" in f else "title"
        if not row.cells[f[key]].own:
            return False
        text, number = row.get(f, key), row.own(f, "id")
        if not self.groups:
            return bool(text or number)
        last = self.groups[-1][1][0]
        same_number = not number or number == last.get(f, "id")
        return bool(text) and not (text == last.get(f, key) and same_number)

    # -- one problem from its rows -----------------------------------------------------

    def problem(self, section: str | None, rows: list[Row]) -> None:
        f, first = self.fields, rows[0]
        title, paragraphs = self.title_and_text(first)
        if not title:
            for row in rows:
                self.result.reject(_paragraph(row), "有序号但没有问题描述")
            return
        category = self.category(first.get(f, "category") or section)
        number = _number(first.get(f, "id"))
        problem = ImportedProblem(number or 0, title, category, paragraphs)
        if "task_text" in f:  # our own export: the problem's cells, then its measures
            self.own_fields(problem, rows)
        else:
            problem.measure_rows = [self.measure_row(row) for row in rows]
            problem.measures = [p for m in problem.measure_rows for p in _paragraphs(m.text)]
            self.combine(problem, rows)
        self.follows(problem, first)
        self.cells.flags(problem, first)
        self.cells.evidence_files(problem, rows)
        self.result.problems.append(problem)
        where = f"问题文件（第{len(self.result.problems)}项）"
        for row in rows:
            self.result.place(_paragraph(row), where)

    def category(self, name: str | None) -> int:
        if not name:
            name = "反馈问题"
            if not any(c.name == name for c in self.result.categories):
                self.result.notes.append("台账中没有问题类别（既无“问题类别”列，也无“一、…”这样的分类行），"
                                         "已全部归入“反馈问题”一个方面；可在 ledger.yml 中修改名称。")
        for n, category in enumerate(self.result.categories):
            if category.name == name:
                return n
        self.result.categories.append(ImportedCategory(name))
        return len(self.result.categories) - 1

    def title_and_text(self, row: Row) -> tuple[str, list[str]]:
        paragraphs = _paragraphs(row.get(self.fields, "problem"))
        if title := row.get(self.fields, "title"):
            # Our export's hidden 问题标题, or a unit's own title column: the
            # 问题 cell may run the title in as the report does ("标题。问题…"),
            # unless our export says it holds the text as typed.
            if not paragraphs:
                return title, [title]
            as_typed = row.get(self.fields, "as_typed") == "是"
            return title, paragraphs if as_typed else problem_paragraphs(title, paragraphs)
        if not paragraphs:
            return "", []
        parts = sentences(paragraphs[0])
        title = strip_trailing(parts[0]) if parts else strip_trailing(paragraphs[0])
        # "党支部分工不明确；" is both the title and the whole problem text, as in a report.
        rest = "".join(parts[1:]).strip() if len(parts) > 1 else paragraphs[0]
        return title, [rest, *paragraphs[1:]]

    def measure_row(self, row: Row) -> MeasureRow:
        f = self.fields
        status_text = row.get(f, "status")
        return MeasureRow(
            text=row.own(f, "measures"),
            owners=cols.names(row.get(f, "owner")),
            leader=row.get(f, "leader"),
            person=row.get(f, "person"),
            deadline=self.day(row, "deadline"),
            completed=self.day(row, "completed"),
            status=self.status(status_text),
            status_text=status_text,
        )

    def own_fields(self, problem: ImportedProblem, rows: list[Row]) -> None:
        """A problem of our own export: its cells merged over its measure rows
        hold its own fields and narrative; each row with 分项措施 is a measure."""
        f, first = self.fields, rows[0]
        problem.measures = _paragraphs(first.get(f, "measures"))
        problem.owners = cols.names(first.get(f, "owner"))
        problem.leader = first.get(f, "leader")
        problem.deadline, problem.completed = self.day(first, "deadline"), self.day(first, "completed")
        problem.status = self.status(first.get(f, "status"))
        problem.evidence = _paragraphs(first.own(f, "evidence"))
        problem.measure_rows = [self.task_row(row) for row in rows if row.get(f, "task_text")]
        problem.write_measures = bool(problem.measure_rows)
        self.keep(problem, rows)

    def task_row(self, row: Row) -> MeasureRow:
        f = self.fields
        return MeasureRow(
            text=row.get(f, "task_text"),
            owners=cols.names(row.get(f, "task_owner")),
            person=row.get(f, "person"),
            deadline=self.day(row, "task_deadline"),
            completed=self.day(row, "task_completed"),
            status=self.status(row.get(f, "task_status")),
            status_text=row.get(f, "task_status"),
            evidence=_paragraphs(row.get(f, "task_evidence")),
        )

    def status(self, text: str) -> str | None:
        """The status key of a 整改状态 cell. Our own export writes the labels of
        the statuses an imported ledger gets, 基本完成 included (which, as a
        wording in a unit's 台账, reads as still in progress)."""
        own = _NEW_LABELS.get(text) if self.result.own_export else None
        return own or status_of_cell(text)

    def day(self, row: Row, name: str):
        index = self.fields.get(name)
        if index is None:
            return None
        value, month_only = cols.date(row.cells[index].value)
        if month_only:
            self.month_only.append(len(self.result.problems) + 1)
        return value

    def combine(self, problem: ImportedProblem, rows: list[Row]) -> None:
        """The problem's fields from its measure rows: owners united, the latest
        deadline, done only when every measure is done."""
        measures = problem.measure_rows
        problem.owners = cols.unique(o for m in measures for o in m.owners)
        problem.leader = "、".join(cols.unique(m.leader for m in measures if m.leader))
        deadlines = [m.deadline for m in measures if m.deadline]
        problem.deadline = max(deadlines) if deadlines else None
        completed = [m.completed for m in measures]
        problem.completed = max(completed) if completed and all(completed) else None
        problem.status = _combined_status([m.status for m in measures])
        if problem.status is None and problem.completed and "status" not in self.fields:
            problem.status = "done"  # no status column: a completion date on every measure says it
        problem.evidence = _evidence(row.own(self.fields, "evidence") for row in rows)
        self.keep(problem, rows)

    def keep(self, problem: ImportedProblem, rows: list[Row]) -> None:
        """Cells with no field, word for word: they become comments in the problem file."""
        f = self.fields
        kept: list[tuple[str, str]] = []
        persons = cols.unique(m.person for m in problem.measure_rows if m.person)
        if persons and not problem.write_measures:  # written with their measures otherwise
            kept.append((self.result.columns["person"], "、".join(persons)))
        for name in ("deadline", "completed"):
            for row in rows:
                text = row.own(f, name)
                if text and not cols.date(row.cells[f[name]].value)[0]:
                    kept.append((self.result.columns[name], text))
        statuses = [(m.status_text, "task_status" if problem.write_measures else "status") for m in problem.measure_rows]
        if "task_text" in f:  # our own export: the problem's own status, merged over its rows
            statuses.append((rows[0].get(f, "status"), "status"))
        for text, name in statuses:
            if text and strip_trailing(text) not in _EXACT_STATUS:  # a ledger's own label: kept, not lost
                kept.append((self.result.columns[name], text))
        for index, name in self.extra:
            kept += [(name, row.texts[index]) for row in rows if row.cells[index].own and row.texts[index]]
        problem.kept = cols.unique(kept)

    def follows(self, problem: ImportedProblem, row: Row) -> None:
        """延续自, one "台账文件夹名/序号" a line, back into ``follows:``; a line
        of another form stays a comment (validate would refuse it as follows:)."""
        for line in _paragraphs(row.get(self.fields, "follows")):
            if FOLLOWS_FORM.match(line):
                problem.follows.append(line)
            else:
                problem.kept.append((self.result.columns["follows"], line))

    def assign_ids(self) -> None:
        """The 序号 column's numbers when they run 1…n or are unique; else 1…n
        in table order, with a note."""
        problems = self.result.problems
        numbers = [p.number for p in problems]
        unique_numbers = all(numbers) and len(set(numbers)) == len(numbers)
        if not unique_numbers and any(numbers):
            restart = [n for n, p in enumerate(problems) if p.number == 1]
            self.result.numbering = "per_category" if len(restart) > 1 else "continuous"
            if self.result.numbering == "continuous":
                self.result.notes.append("“序号”列有空缺或重复，问题编号（id）已按表格顺序重新编为 1…"
                                         f"{len(problems)}，请核对。")
        for n, problem in enumerate(problems, start=1):
            problem.id = problem.number if unique_numbers else n
            problem.number = problem.number or n


class FieldCells:
    """The cells of one problem's row that set a field of its own: 立行立改,
    是否公开, 进展表述, the 整改成效 figures, and our export's evidence files."""

    def __init__(self, result: ImportResult, fields: dict[str, int], results: dict[str, tuple[int, str]]):
        self.result = result
        self.fields = fields
        self.results = results  # result kind key -> (column index, name)

    def flags(self, problem: ImportedProblem, row: Row) -> None:
        """立行立改, 是否公开, 进展表述 and the 整改成效 figures; a cell that
        does not read as one stays a comment, word for word."""
        problem.immediate = self.ticked(problem, row, "immediate", False)
        problem.public = self.ticked(problem, row, "public", True)
        if note := row.get(self.fields, "status_note"):
            if note_contradicts(problem.status == "done", note):  # validate would refuse it
                problem.kept.append((self.result.columns["status_note"], note))
            else:
                problem.status_sentence = note
        if text := row.get(self.fields, "signoff"):
            if m := _SIGNOFF.fullmatch(text):
                problem.signoff = (m[1], cols.date(m[2])[0], m[3].strip())
            else:  # 已销号 alone, a date alone: no register entry can say it
                problem.kept.append((self.result.columns["signoff"], text))
        for key, (index, name) in self.results.items():
            text = row.texts[index]
            if figure(text) is not None:
                problem.results[key] = text
            elif text:
                problem.kept.append((name, text))

    def ticked(self, problem: ImportedProblem, row: Row, name: str, default: bool) -> bool:
        text = row.get(self.fields, name)
        if text in _TICKED or text in _CROSSED:
            return text in _TICKED
        if text:
            problem.kept.append((self.result.columns[name], text))
        return default

    def evidence_files(self, problem: ImportedProblem, rows: list[Row]) -> None:
        """Our export's hidden 佐证材料文件 cells, matched line by line with the
        佐证材料 names; the problem's, then each measure row's."""
        f = self.fields
        problem.evidence_files = self.files(problem, problem.evidence, rows[0].get(f, "evidence_files"), "evidence_files")
        if problem.write_measures:
            tasks = [row for row in rows if row.get(f, "task_text")]
            for measure, row in zip(problem.measure_rows, tasks, strict=True):
                measure.evidence_files = self.files(problem, measure.evidence, row.get(f, "task_evidence_files"),
                                                    "task_evidence_files")

    def files(self, problem: ImportedProblem, names: list[str], cell: str, field: str) -> list[str | None]:
        lines = _paragraphs(cell)
        if not lines:
            return []
        if len(lines) == len(names):
            return [None if line == NO_FILE else line for line in lines]
        column = self.result.columns[field]
        problem.kept.append((column, cell))
        self.result.notes.append(f"第{len(self.result.problems) + 1}项问题的“{column}”与佐证材料的行数不一致"
                                 "（表格中改过佐证材料？），文件路径未能对应，已原样写在问题文件开头的注释中，请改写为 file:。")
        return []


def _number(text: str) -> int | None:
    m = re.fullmatch(r"[（(]?\s*(\d{1,4})\s*[)）.．、]?", text.strip())
    return int(m[1]) if m and int(m[1]) > 0 else None


def _paragraphs(text: str) -> list[str]:
    return [line.strip(" \t\u3000") for line in text.splitlines() if line.strip(" \t\u3000")]


def _evidence(cells) -> list[str]:
    """The lines of each row's 佐证材料 cell; a line an earlier row listed is
    not repeated (measure rows repeat the problem's), but one cell's lines
    are kept as typed, the same name twice included."""
    lines: list[str] = []
    for cell in cells:
        earlier = set(lines)
        lines += [line for line in _paragraphs(cell) if line not in earlier]
    return lines


def _combined_status(statuses: list[str | None]) -> str | None:
    if len(set(statuses)) == 1:  # one row, or all alike (基本完成 too)
        return statuses[0]
    known = {s for s in statuses if s}
    if not known:
        return None
    if known == {"done"} and None not in statuses:
        return "done"
    if known <= {"done", "ongoing"} and None not in statuses:
        return "ongoing"
    if known == {"todo"}:
        return "todo"
    return "doing"
