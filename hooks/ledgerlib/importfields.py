"""The cells of a 台账 row that set one field of a problem each: 立行立改,
是否公开, 进展表述, 销号, the 整改成效 figures, and our export's evidence files.
A cell that does not read as its field stays a comment, word for word.
"""

from __future__ import annotations

from . import importcols as cols
from .constants import StatusKey
from .importmodel import ImportedProblem, ImportResult
from .measures import figure
from .problemfile import note_contradicts
from .tablecols import NO_FILE, SIGNOFF_CELL
from .xlsxrows import Row, paragraphs

_TICKED = {"是", "√", "✓", "✔"}  # a 立行立改 or 是否公开 cell saying yes
_CROSSED = {"否", "×"}


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
            if note_contradicts(problem.status == StatusKey.DONE, note):  # validate would refuse it
                problem.kept.append((self.result.columns["status_note"], note))
            else:
                problem.status_sentence = note
        if text := row.get(self.fields, "signoff"):
            if m := SIGNOFF_CELL.fullmatch(text):
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
        if problem.write_measures and "task_text" in f:  # our own export's measures
            tasks = [row for row in rows if row.get(f, "task_text")]
            for measure, row in zip(problem.measure_rows, tasks, strict=True):
                measure.evidence_files = self.files(problem, measure.evidence, row.get(f, "task_evidence_files"),
                                                    "task_evidence_files")

    def files(self, problem: ImportedProblem, names: list[str], cell: str, field: str) -> list[str | None]:
        lines = paragraphs(cell)
        if not lines:
            return []
        if len(lines) == len(names):
            return [None if line == NO_FILE else line for line in lines]
        column = self.result.columns[field]
        problem.kept.append((column, cell))
        self.result.notes.append(f"第{len(self.result.problems) + 1}项问题的“{column}”与佐证材料的行数不一致"
                                 "（表格中改过佐证材料？），文件路径未能对应，已原样写在问题文件开头的注释中，请改写为 file:。")
        return []
