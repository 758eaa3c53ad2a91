"""The annex of a report: a closing 整改台账 table after the signature.

GB/T 9704 puts the annex after the signature, so the signature is only found
at the end of the body once the annex is cut off (``split_annex``). Its rows
give owners, leaders, dates and ids to the problems the body already read
(``apply_annex``).
"""

from __future__ import annotations

import re

from . import importcols
from .documents import ANNEX_TITLES
from .genre import opens_with
from .importmodel import PENDING, ImportedProblem, ImportResult, SourceParagraph
from .textread import read_date, sentences, status_of_cell, strip_trailing

ANNEX_TITLE = ANNEX_TITLES["ledger"]
ANNEX_NOTE = re.compile(r"^附件\s*[0-9一二三四五六七八九十]*\s*[：:]\s*\S")
_ANNEX_LABEL = re.compile(r"^附件\s*[0-9一二三四五六七八九十]*\s*[：:]?$")
_ANNEX_TITLE_PLACE = "附件标题，生成报告时写出"
_OWN_TRACE = "本报告根据整改台账自动生成"  # the small print this tool's exports carry


def split_annex(paragraphs: list[SourceParagraph], result: ImportResult) -> tuple[list[SourceParagraph], list[SourceParagraph]]:
    """Cut off a closing annex table (附件：整改台账) with its label and title.

    GB/T 9704 puts the annex after the signature, so the signature is only
    found at the end of the body once the annex is gone."""
    start = len(paragraphs)
    while start > 0 and paragraphs[start - 1].in_table:
        start -= 1
    table = paragraphs[start:]
    if not table or not importcols.looks_like_header(list(table[0].cells)):
        return paragraphs, []
    end = start
    while end > max(0, start - 4) and (where := _annex_furniture(paragraphs[end - 1].text, end - start)):
        end -= 1
        if where == _ANNEX_TITLE_PLACE and paragraphs[end].text != ANNEX_TITLE:
            result.reject(paragraphs[end], f"附件标题，生成报告时统一写作“{ANNEX_TITLE}”")
        else:
            result.regenerate(paragraphs[end], where)
    return paragraphs[:end], table


def _annex_furniture(text: str, depth: int) -> str | None:
    """What a paragraph just above the annex table is, if it belongs to the annex."""
    if _ANNEX_LABEL.match(text):
        return "附件标注，生成报告时写出"
    if text.startswith(_OWN_TRACE):
        return "本工具生成报告时附的小字说明，每次生成时重写"
    if depth == 0 and len(text) <= 40 and not re.search(r"[。；;，,]", text) and not read_date(text):
        return _ANNEX_TITLE_PLACE
    return None


def apply_annex(table: list[SourceParagraph], result: ImportResult) -> None:
    """Owners, leaders and dates from the annex rows, matched to the problems of the body."""
    fields, extra = importcols.map_header(list(table[0].cells))
    header = list(table[0].cells)
    result.place(table[0], "附件表格表头")
    result.unplaced_columns += [name for _, name in extra]
    shorts: dict[int, set[str]] = {}
    matches = _annex_matches(table[1:], fields, result)
    for row, problem in matches:
        cells = list(row.cells)
        if problem is None:
            result.reject(row, "附件表格中的这一行与正文中的问题对不上（序号和问题标题都不符）")
            continue
        if category := _cell(cells, fields, "category"):
            shorts.setdefault(problem.category, set()).add(category)
        _take_table_fields(problem, cells, fields, header, result)
        problem.kept = importcols.unique([*problem.kept, *((name, cells[i]) for i, name in extra if i < len(cells) and cells[i])])
        result.place(row, f"问题文件（第{problem.number}项的责任部门、责任领导、时限，取自附件表格）")
    result.annex_rows = len({id(p) for _, p in matches if p is not None})
    _annex_shorts(shorts, result)
    _annex_ids(matches, fields, result)


def _annex_matches(rows: list[SourceParagraph], fields: dict[str, int],
                   result: ImportResult) -> list[tuple[SourceParagraph, ImportedProblem | None]]:
    """Row k is the body's problem k when the annex lists them all in the body's
    order (as this tool prints it: repeated titles stay apart); otherwise each
    row is matched by its title, and its number where titles repeat."""
    problems = result.problems
    if len(rows) == len(problems) and all(
            _annex_title_of(p, list(row.cells), fields) for row, p in zip(rows, problems, strict=True)):
        for row, p in zip(rows, problems, strict=True):
            _annex_retitle(p, list(row.cells), fields)
        return list(zip(rows, problems, strict=True))
    by_title: dict[str, list[ImportedProblem]] = {}
    for p in problems:
        by_title.setdefault(p.title, []).append(p)
    return [(row, _annex_problem(list(row.cells), fields, by_title, result)) for row in rows]


def _annex_title(cells: list[str], fields: dict[str, int]) -> str:
    return _cell(cells, fields, "title") or _cell(cells, fields, "problem")


def _annex_title_of(problem: ImportedProblem, cells: list[str], fields: dict[str, int]) -> bool:
    """The row names this problem: its title, or its whole text; or a shorter
    title the body's text opens with ("标题，…" printed without a title of its own)."""
    text = _annex_title(cells, fields)
    if text == problem.title or strip_trailing((sentences(text) or [""])[0]) == problem.title:
        return True
    return text != problem.title and opens_with(problem.opening, text)


def _annex_retitle(problem: ImportedProblem, cells: list[str], fields: dict[str, int]) -> None:
    """The body cannot tell where a title ends inside its first sentence; the
    annex can. The report printed such a text whole, so it is the problem text."""
    text = _annex_title(cells, fields)
    if text != problem.title and opens_with(problem.opening, text) and problem.title.startswith(text):
        problem.title = text
        problem.problem[0] = problem.opening


def _annex_ids(matches: list[tuple[SourceParagraph, ImportedProblem | None]], fields: dict[str, int],
               result: ImportResult) -> None:
    """The annex's 序号 is each problem's id, where the body only numbers them
    in order: take the ids when every problem has its own."""
    ids = {id(p): _cell(list(row.cells), fields, "id") for row, p in matches if p is not None}
    numbers = [ids.get(id(p), "") for p in result.problems]
    if all(n.isdigit() and int(n) > 0 for n in numbers) and len(set(numbers)) == len(numbers):
        for problem, number in zip(result.problems, numbers, strict=True):
            problem.id = int(number)


def _cell(cells: list[str], fields: dict[str, int], name: str) -> str:
    index = fields.get(name)
    return cells[index].strip() if index is not None and index < len(cells) else ""


def _annex_problem(cells: list[str], fields: dict[str, int], by_title: dict[str, list[ImportedProblem]],
                   result: ImportResult) -> ImportedProblem | None:
    """The problem an annex row is about: same title (and number, when titles repeat)."""
    number, title = _cell(cells, fields, "id"), _annex_title(cells, fields)
    candidates = by_title.get(title) or by_title.get(strip_trailing((sentences(title) or [""])[0]), [])
    if len(candidates) > 1:
        candidates = [p for p in candidates if number in (str(p.id), str(p.number))]
    if len(candidates) == 1:
        return candidates[0]
    if not title and number.isdigit():
        return next((p for p in result.problems if p.id == int(number)), None)
    return None


def _take_table_fields(problem: ImportedProblem, cells: list[str], fields: dict[str, int], header: list[str],
                      result: ImportResult) -> None:
    """An annex row's owner, leader, dates and status for a problem read from the body;
    its other cells the body does not already say are kept as comments."""
    def keep(name: str, value: str) -> None:
        if (header[fields[name]], value) not in problem.kept:  # a merged cell repeats on each of its rows
            problem.kept.append((header[fields[name]], value))

    # A problem may span several rows (one per measure, its cells merged):
    # owners and leaders are united, the latest date is kept.
    if (owners := importcols.names(_cell(cells, fields, "owner"))) and owners != [PENDING]:
        problem.owners = importcols.unique([*problem.owners, *owners])
    if (leader := _cell(cells, fields, "leader")) not in _EMPTY_CELLS:
        problem.leader = "、".join(importcols.unique([*filter(None, problem.leader.split("、")), leader]))
    for name in ("deadline", "completed"):
        value = _cell(cells, fields, name)
        day, _ = importcols.date(value)
        if day:
            setattr(problem, name, max(filter(None, (getattr(problem, name), day))))
        elif value not in _EMPTY_CELLS:
            keep(name, value)
    if evidence := _cell(cells, fields, "evidence"):
        problem.evidence = importcols.unique([*problem.evidence, *evidence.splitlines()])
    if person := _cell(cells, fields, "person"):
        keep("person", person)
    if (measures := _cell(cells, fields, "measures")) and measures != "\n".join(problem.measures):
        keep("measures", measures)
    status = status_of_cell(_cell(cells, fields, "status"))
    if problem.status is None:
        problem.status = status
    elif status and status != problem.status:
        result.notes.append(f"第{problem.number}项：正文的整改进展表述与附件表格的整改状态不一致，已按正文记录，请核对。")


_EMPTY_CELLS = ("", PENDING, "无", "/", "—", "-")


def _annex_shorts(shorts: dict[int, set[str]], result: ImportResult) -> None:
    """The annex prints each category's short name: take it when all of the
    category's rows agree on one and no other category is called so."""
    taken = {c.name for c in result.categories}
    for index, names in shorts.items():
        category = result.categories[index]
        names.discard(category.name)
        if len(names) == 1 and (name := names.pop()) not in taken:
            category.short = name
            taken.add(name)


