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

import re
from pathlib import Path

from . import importcols as cols
from .constants import StatusKey
from .genre import problem_paragraphs
from .importfields import FieldCells
from .importmodel import (
    ImportedCategory,
    ImportedProblem,
    ImportFailed,
    ImportResult,
    MeasureRow,
)
from .measures import KIND_KEY
from .model import Numbering, ResultKind
from .problemfile import FOLLOWS_FORM
from .tablecols import CELL_BREAK, COLUMNS, read_result_kinds, result_header
from .textread import (
    EXACT_STATUS,
    LEDGER_LABELS,
    heading_number_only,
    numbered_heading,
    read_date,
    sentences,
    status_of_cell,
    strip_trailing,
)
from .titlerow import read_title
from .xlsxrows import HEADER_SCAN, Row, header_at, join_continued, paragraph, paragraphs, read_csv, read_workbook

_TOTAL_ROW = re.compile(r"^(合计|总计|小计|共计)")
_CATEGORY_SUFFIX = re.compile(r"[（(]\s*\d+\s*[项个条]\s*[）)]$")  # "一、…方面（3项）"


def import_workbook(path: str | Path) -> ImportResult:
    path = Path(path)
    result = ImportResult(source=path, kind="workbook")
    sheet, rows = read_workbook(path, result)
    return _read_table(rows, f"工作表“{sheet}”", result)


def import_csv(path: str | Path) -> ImportResult:
    """A 台账 saved as CSV (UTF-8, or GBK as Excel saves it on Chinese Windows)."""
    path = Path(path)
    result = ImportResult(source=path, kind="workbook")
    return _read_table(read_csv(path, result), "CSV 文件", result)


def _read_table(rows: list[Row], where: str, result: ImportResult) -> ImportResult:
    found = next((found for n in range(min(HEADER_SCAN, len(rows)))
                  if cols.looks_like_header((found := header_at(rows, n))[0])), None)
    if found is None:
        raise ImportFailed(f"{where}前 {HEADER_SCAN} 行中没有找到表头（需要有“问题”或“问题描述”一列，"
                           "以及“整改措施”“责任单位”“整改时限”等列中的至少两列）。")
    header, start, used = found
    header = join_continued(header, rows[start + used:])
    result.own_export = tuple(header[:len(COLUMNS)]) == COLUMNS
    fields, extra = cols.map_header(header)
    below = rows[start + used:]
    results = _result_columns(fields, extra, below, result)
    result.columns = {name: header[index] for name, index in fields.items()}
    result.columns.update({f"result:{key}": name for key, (_, name) in results.items()})
    result.unplaced_columns = [name for _, name in extra]
    for row in rows[start:start + used]:
        result.place(paragraph(row), "表头")
    _title_rows(rows[:start], result)
    TableReader(result, fields, extra, results).read(below)
    return result


def _result_columns(fields: dict[str, int], extra: list[tuple[int, str]], rows: list[Row],
                    result: ImportResult) -> dict[str, tuple[int, str]]:
    """Our export's 整改成效 columns (kind key -> index, name), found by the
    kinds its hidden 整改成效代号 lists; they leave ``extra``, whose cells
    would be comments, and the kinds go to ``result.result_kinds``."""
    index = fields.get("result_kinds")
    cell = next((row.texts[index] for row in rows if index is not None and row.texts[index]), "")
    kinds = read_result_kinds(cell, KIND_KEY) if cell else []
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


def _title_rows(rows: list[Row], result: ImportResult) -> None:
    """Above the header: the table's title (the unit and round come from it) and notes."""
    for row in rows:
        text = row.line()
        if not text:
            continue
        if not result.unit and re.search(r"台账|清单|整改", text):
            facts = read_title(text)
            result.unit, result.group, result.round, result.title = facts.unit, facts.group, facts.round, facts.title
            taken = [f"{key}：{value}" for key, value in (("unit", facts.unit), ("group", facts.group),
                                                         ("round", facts.round), ("title", facts.title)) if value]
            result.place(paragraph(row), f"表格标题（ledger.yml 的 {'，'.join(taken) or '各项都没有写明'}，请核对）")
        elif day := _sheet_date(text):
            result.sheet_date = day
            result.place(paragraph(row), "填报时间（已完成却没有写完成时间的问题和措施，完成时间暂填这一天，请核对）")
        elif text.startswith("统计截至"):
            result.regenerate(paragraph(row), "统计说明，导出台账时按当时的数据重写")
        else:
            result.reject(paragraph(row), "表头上方的文字")


_SHEET_DATE = re.compile(r"(?:填报|报送|制表|统计)(?:时间|日期)\s*[：:]\s*([^|｜]+?日)")


def _sheet_date(text: str):
    """The date a unit wrote above its table ("填报时间：2023年7月5日"), or None."""
    m = _SHEET_DATE.search(text)
    return read_date(m[1]) if m else None


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
        _assign_ids(self.result)
        if self.month_only:
            self.result.notes.append(f"第 {'、'.join(map(str, self.month_only))} 项的时限只写到月份，已按当月最后一天记录。")

    def take(self, row: Row) -> None:
        if (name := self.section_name(row)) is not None:
            self.section = name
            self.result.place(paragraph(row), "问题方面（ledger.yml: categories）")
        elif _TOTAL_ROW.match(row.texts[0] if row.texts else "") or _TOTAL_ROW.match(row.line()):
            self.result.reject(paragraph(row), "合计行，由台账自动统计")
        elif self.starts_problem(row):
            self.groups.append((self.section, [row]))
        elif self.groups:
            self.groups[-1][1].append(row)
        else:
            self.result.reject(paragraph(row), "位于第一个问题之前，且没有问题描述")

    def section_name(self, row: Row) -> str | None:
        """A row holding one text only, at the left or across the table: a category.
        "一" in the first cell and the name in the second is one text too."""
        texts = [t for t in cols.unique(row.texts) if t]
        if len(texts) == 2 and heading_number_only(row.texts[0]) and row.texts[1] == texts[1]:
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
        title, texts = self.title_and_text(first)
        if not title:
            for row in rows:
                self.result.reject(paragraph(row), "有序号但没有问题描述")
            return
        category = self.category(first.get(f, "category") or section)
        number = _number(first.get(f, "id"))
        problem = ImportedProblem(number or 0, title, category, texts)
        if "task_text" in f:  # our own export: the problem's cells, then its measures
            self.own_fields(problem, rows)
        else:
            problem.measure_rows = [self.measure_row(row) for row in rows]
            problem.measures = [p for m in problem.measure_rows for p in paragraphs(m.text)]
            _as_measures(problem, f)
            self.combine(problem, rows)
            _notes(problem, rows, f)
        self.follows(problem, first)
        self.cells.flags(problem, first)
        self.cells.evidence_files(problem, rows)
        self.result.problems.append(problem)
        where = f"问题文件（第{len(self.result.problems)}项）"
        for row in rows:
            self.result.place(paragraph(row), where)

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
        texts = paragraphs(row.get(self.fields, "problem"))
        if title := row.get(self.fields, "title"):
            # Our export's hidden 问题标题, or a unit's own title column: the
            # 问题 cell may run the title in as the report does ("标题。问题…"),
            # unless our export says it holds the text as typed.
            if not texts:
                return title, [title]
            as_typed = row.get(self.fields, "as_typed") == "是"
            return title, texts if as_typed else problem_paragraphs(title, texts)
        if not texts:
            return "", []
        title, rest = title_of(texts[0])
        return title, [rest, *texts[1:]]

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
            note=row.own(f, "note"),
        )

    def own_fields(self, problem: ImportedProblem, rows: list[Row]) -> None:
        """A problem of our own export: its cells merged over its measure rows
        hold its own fields and narrative; each row with 分项措施 is a measure."""
        f, first = self.fields, rows[0]
        problem.measures = paragraphs(first.get(f, "measures"))
        problem.owners = cols.names(first.get(f, "owner"))
        problem.leader = first.get(f, "leader")
        problem.deadline, problem.completed = self.day(first, "deadline"), self.day(first, "completed")
        problem.status = self.status(first.get(f, "status"))
        problem.evidence = paragraphs(first.own(f, "evidence"))
        problem.note = first.get(f, "note")
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
            evidence=paragraphs(row.get(f, "task_evidence")),
            note=row.get(f, "task_note"),
        )

    def status(self, text: str) -> str | None:
        """The status key of a 整改状态 cell. Our own export writes the labels of
        the statuses an imported ledger gets, 基本完成 included (which, as a
        wording in a unit's 台账, reads as still in progress)."""
        own = LEDGER_LABELS.get(text) if self.result.own_export else None
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
            problem.status = StatusKey.DONE  # no status column: a completion date on every measure says it
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
        column = "task_status" if "task_text" in f else "status"
        statuses = [(m.status_text, column) for m in problem.measure_rows]
        if "task_text" in f:  # our own export: the problem's own status, merged over its rows
            statuses.append((rows[0].get(f, "status"), "status"))
        for text, name in statuses:
            if text and strip_trailing(text) not in EXACT_STATUS:  # a ledger's own label: kept, not lost
                kept.append((self.result.columns[name], text))
        for index, name in self.extra:
            kept += [(name, row.texts[index]) for row in rows if row.cells[index].own and row.texts[index]]
        problem.kept = cols.unique(kept)

    def follows(self, problem: ImportedProblem, row: Row) -> None:
        """延续自, one "台账文件夹名/序号" a line, back into ``follows:``; a line
        of another form stays a comment (validate would refuse it as follows:)."""
        for line in paragraphs(row.get(self.fields, "follows")):
            if FOLLOWS_FORM.match(line):
                problem.follows.append(line)
            else:
                problem.kept.append((self.result.columns["follows"], line))



def _assign_ids(result: ImportResult) -> None:
    """The 序号 column's numbers when they run 1…n or are unique; else 1…n
    in table order, with a note."""
    problems = result.problems
    numbers = [p.number for p in problems]
    unique_numbers = all(numbers) and len(set(numbers)) == len(numbers)
    if not unique_numbers and any(numbers):
        restart = [n for n, p in enumerate(problems) if p.number == 1]
        result.numbering = Numbering.PER_CATEGORY if len(restart) > 1 else Numbering.CONTINUOUS
        if result.numbering == Numbering.CONTINUOUS:
            result.notes.append("“序号”列有空缺或重复，问题编号（id）已按表格顺序重新编为 1…"
                                     f"{len(problems)}，请核对。")
    for n, problem in enumerate(problems, start=1):
        problem.id = problem.number if unique_numbers else n
        problem.number = problem.number or n


def _as_measures(problem: ImportedProblem, fields: dict[str, int]) -> None:
    """A unit's measure rows become the file's ``measures:``, each with its
    own owner, person, deadline, status and completion date. A single row
    becomes one measure only to keep its 责任人, which only a measure holds.
    Rows without a measure text of their own (one measure cell merged over
    several rows) are not separate measures: they are combined."""
    measures = problem.measure_rows
    if not all(m.text for m in measures) or not (len(measures) > 1 or any(m.person for m in measures)):
        return
    problem.write_measures = True
    for m in measures:
        if m.status is None and m.completed and "status" not in fields:
            m.status = StatusKey.DONE  # no status column: the completion date says it

def _notes(problem: ImportedProblem, rows: list[Row], fields: dict[str, int]) -> None:
    """备注: each measure's own where the rows say different things, else
    the problem's (a cell merged over its rows, or a single row)."""
    index = fields.get("note")
    if index is None:
        return
    per_row = problem.write_measures and any(row.cells[index].own and row.texts[index] for row in rows[1:])
    if not per_row:
        problem.note = CELL_BREAK.join(cols.unique(m.note for m in problem.measure_rows if m.note))
        for m in problem.measure_rows:
            m.note = ""


_TITLE_MAX = 20  # a first sentence longer than this gives its first clause as the title
_CLAUSE_END = re.compile(r"[，,；;：:]")


def title_of(first: str) -> tuple[str, str]:
    """A title for a problem whose 台账 has no title column, and its text.

    A short first sentence is a run-in title, as in a report ("标题。问题…"):
    the text goes on after it. A long one gives its first clause, and the text
    stays whole (it opens with the title, so nothing prints twice)."""
    parts = sentences(first)
    sentence = strip_trailing(parts[0]) if parts else strip_trailing(first)
    clause = _CLAUSE_END.split(sentence, maxsplit=1)[0]
    if len(sentence) > _TITLE_MAX and 4 <= len(clause) < len(sentence):
        return clause, first
    # "党支部分工不明确；" is both the title and the whole problem text, as in a report.
    return sentence, "".join(parts[1:]).strip() if len(parts) > 1 else first


def _number(text: str) -> int | None:
    m = re.fullmatch(r"[（(]?\s*(\d{1,4})\s*[)）.．、]?", text.strip())
    return int(m[1]) if m and int(m[1]) > 0 else None


def _evidence(cells) -> list[str]:
    """The lines of each row's 佐证材料 cell; a line an earlier row listed is
    not repeated (measure rows repeat the problem's), but one cell's lines
    are kept as typed, the same name twice included."""
    lines: list[str] = []
    for cell in cells:
        earlier = set(lines)
        lines += [line for line in paragraphs(cell) if line not in earlier]
    return lines


def _combined_status(statuses: list[str | None]) -> str | None:
    if len(set(statuses)) == 1:  # one row, or all alike (基本完成 too)
        return statuses[0]
    known = {s for s in statuses if s}
    if not known:
        return None
    if known == {StatusKey.DONE} and None not in statuses:
        return StatusKey.DONE
    if known <= {StatusKey.DONE, StatusKey.ONGOING} and None not in statuses:
        return StatusKey.ONGOING
    if known == {StatusKey.TODO}:
        return StatusKey.TODO
    return StatusKey.DOING
