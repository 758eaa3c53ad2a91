"""A county unit's own Excel 台账 imported without losing a cell's meaning.

The sheet is shaped as units keep them (#21): a merged title row naming the
unit and the group, a two-row header (整改责任 over 责任领导/责任部门/责任人,
整改进展 over 完成情况/完成时间), categories as merged cells (or as section
rows), one problem spread over three measure rows with its cells merged, and
备注 beside the measures. Built here with openpyxl; also re-saved by LibreOffice.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil

import pytest

from conftest import mkdocs_build, read
from git_fixtures import git
from import_fixtures import libreoffice_resave
from ledgerlib import load_ledger
from ledgerlib.docslots import is_blank
from ledgerlib.import_xlsx import import_workbook
from ledgerlib.importmodel import ASK
from ledgerlib.ledgerwriter import write_ledger
from test_init import committed_sample, in_copy

TITLE = "县市场监督管理局党组落实县委第三巡察组反馈意见整改台账"
UPPER = ("序号", "问题类别", "存在问题", "整改措施", "整改责任", None, None, "整改时限", "整改进展", None, "备注")
LOWER = (None, None, None, None, "责任领导", "责任部门", "责任人", None, "完成情况", "完成时间", None)
D = dt.date
# (category, problem, leader, [(measure, owner, person, deadline, status, completed, note)])
PROBLEMS = (
    ("党的建设方面", "党组理论学习中心组学习不规范，学习记录不完整，研讨流于形式。", "局党组书记", [
        ("制定党组理论学习中心组年度学习计划。", "办公室", "李明", D(2025, 6, 30), "已完成", D(2025, 6, 20), "配合：财务审计股"),
        ("建立学习记录台账，逐次记录学习内容。", "办公室", "王芳", D(2025, 9, 30), "整改中", None, None),
        ("每季度开展一次专题研讨。", "人事股", "赵强", "长期坚持", "长期坚持", None, "配合：各股室"),
    ]),
    ("党的建设方面", "落实“三重一大”决策制度不严格，部分事项未经集体研究。", "局长", [
        ("修订“三重一大”决策制度实施细则。", "财务审计股", "钱进", D(2025, 5, 31), "已完成", D(2025, 5, 28), "配合：办公室"),
    ]),
    ("作风建设方面", "窗口服务意识不强。", "分管副局长", [
        ("开展窗口作风专项整治。", "行政审批股", "孙丽", D(2025, 4, 30), "已完成", D(2025, 4, 25), None),
        ("建立群众评价回访制度。", "行政审批股", "周杰", D(2025, 5, 31), "已完成", D(2025, 5, 30), None),
    ]),
)
WIDTH = len(UPPER)


def county_workbook(path, *, section_rows: bool = False):
    """The 台账; ``section_rows``: categories as "一、…" rows across the table."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append([TITLE])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=WIDTH)
    sheet.append(list(UPPER))
    sheet.append(list(LOWER))
    for col in (1, 2, 3, 4, 8, 11):
        sheet.merge_cells(start_row=2, start_column=col, end_row=3, end_column=col)
    sheet.merge_cells("E2:G2")
    sheet.merge_cells("I2:J2")
    spans: dict[str, list[int]] = {}
    for number, (category, text, leader, measures) in enumerate(PROBLEMS, start=1):
        if section_rows and category not in spans:
            sheet.append([f"{'一二三'[len(spans)]}、{category}"])
            sheet.merge_cells(start_row=sheet.max_row, start_column=1, end_row=sheet.max_row, end_column=WIDTH)
        first = sheet.max_row + 1
        for n, (measure, owner, person, deadline, status, completed, note) in enumerate(measures):
            lead = (number, None if section_rows else category, text) if n == 0 else (None, None, None)
            sheet.append([*lead, measure, leader if n == 0 else None, owner, person, deadline, status, completed, note])
        last = sheet.max_row
        spans.setdefault(category, []).extend(range(first, last + 1))
        if last > first:
            for col in (1, 3, 5):  # 序号, 存在问题, 责任领导 merged over the problem's rows
                sheet.merge_cells(start_row=first, start_column=col, end_row=last, end_column=col)
    if not section_rows:
        for rows in spans.values():  # 问题类别 merged over the category's problems
            sheet.merge_cells(start_row=rows[0], start_column=2, end_row=rows[-1], end_column=2)
    book.save(path)
    return path


def expected_measures():
    """As the sheet says; a measure without a deadline of its own (长期坚持) has the problem's,
    the latest; the 备注 of a problem on one row is the problem's own."""
    def deadline(day, measures):
        return day if isinstance(day, dt.date) else max(m[3] for m in measures if isinstance(m[3], dt.date))
    return {n: [(m[0], (m[1],), m[2], deadline(m[3], measures), m[4], m[5],
              (m[6] or "") if len(measures) > 1 else "") for m in measures]
            for n, (_, _, _, measures) in enumerate(PROBLEMS, start=1)}


def measures_of(ledger):
    return {i.id: [(m.text, m.owners, m.person, m.deadline, m.status.label, m.completed, m.note) for m in i.tasks]
            for i in ledger.issues}


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    """The sample repository, committed, then the county's 台账 imported over it."""
    root = tmp_path_factory.mktemp("county")
    repo = committed_sample(root / "repo", "2025-01-20T10:00:00+08:00")
    head = git(repo, "rev-parse", "HEAD")
    source = county_workbook(root / "县市场监管局整改台账.xlsx")
    done = in_copy(repo, "import", str(source), "--out", str(repo / "issues"), "--force")
    return repo, head, done


def test_every_measure_comes_back_with_its_person_status_deadline_and_completion(county):
    repo, _, done = county
    assert done.returncode == 0, done.stdout + done.stderr
    assert "台账校验通过：3 个问题，2 个方面" in done.stdout
    ledger = load_ledger(repo / "issues", repo_root=repo)
    assert measures_of(ledger) == expected_measures()
    issues = {i.id: i for i in ledger.issues}
    assert [issues[n].status.label for n in (1, 2, 3)] == ["整改中", "已完成", "已完成"]
    assert issues[3].completed == D(2025, 5, 30) and issues[1].completed is None
    assert issues[1].leader == "局党组书记" and issues[1].owners == ("办公室", "人事股")
    assert [c.name for c in ledger.categories] == ["党的建设方面", "作风建设方面"]
    assert "# 原台账“整改时限”：长期坚持" in read(issues[1].path)  # a deadline in words stays word for word


def test_remark_is_a_note_never_evidence(county):
    repo, *_ = county
    ledger = load_ledger(repo / "issues", repo_root=repo)
    issues = {i.id: i for i in ledger.issues}
    assert not any(i.evidence or any(m.evidence for m in i.tasks) for i in ledger.issues)
    assert issues[2].note == "配合：办公室"  # one row: the problem's own 备注
    assert [m.note for m in issues[1].tasks] == ["配合：财务审计股", "", "配合：各股室"]
    assert "note: \"配合：财务审计股\"" in read(issues[1].path)


def test_validate_passes_and_the_page_shows_the_note(county):
    repo, *_ = county
    checked = in_copy(repo, "validate")
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_the_site_builds_and_shows_the_notes_and_persons(county):
    repo, *_ = county
    built = mkdocs_build(repo, repo.parent / "site")
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    first = read(repo.parent / "site" / "problems" / "1" / "index.html")
    assert "<th>备注</th>" in first and "配合：财务审计股" in first and "李明" in first
    second = read(repo.parent / "site" / "problems" / "2" / "index.html")
    assert "<dt>备注</dt><dd>配合：办公室</dd>" in second


def test_title_row_gives_unit_and_group_and_asks_for_the_round(county):
    repo, *_ = county
    ledger = load_ledger(repo / "issues", repo_root=repo)
    assert ledger.unit == "县市场监督管理局党组" and ledger.group == "县委第三巡察组"
    assert ledger.round == ASK and "请填写" in ASK
    assert is_blank(ledger.round) and not is_blank(ledger.group)  # a document naming the round is refused
    assert ledger.title == "县市场监督管理局党组关于落实县委第三巡察组反馈意见整改情况的报告"
    text = read(repo / "issues" / "ledger.yml")
    assert "待定" not in text and "落实县委第三巡察\"" not in text


def test_titles_are_the_first_short_clause_and_file_names_end_at_a_word(county):
    repo, *_ = county
    ledger = load_ledger(repo / "issues", repo_root=repo)
    issues = {i.id: i for i in ledger.issues}
    assert issues[1].title == "党组理论学习中心组学习不规范"
    assert issues[2].title == "落实“三重一大”决策制度不严格"
    assert issues[3].title == "窗口服务意识不强"
    names = sorted(p.name for p in (repo / "issues").glob("*.md"))
    assert names == ["01-党组理论学习中心组学习不规范.md", "02-落实三重一大决策制度不严格.md", "03-窗口服务意识不强.md"]
    assert issues[1].problem.startswith("党组理论学习中心组学习不规范，学习记录不完整")  # the text stays whole


def test_no_completion_date_is_the_import_day(county):
    repo, *_ = county
    ledger = load_ledger(repo / "issues", repo_root=repo)
    days = {i.completed for i in ledger.issues} | {m.completed for i in ledger.issues for m in i.tasks}
    assert dt.date.today() not in days


def test_the_import_starts_its_own_history_and_leaves_nothing_of_the_sample(county):
    repo, head, done = county
    assert f"history_after: {head}" in read(repo / "issues" / "ledger.yml")
    assert not (repo / "docs" / "report").exists()
    assert not (repo / "docs" / "evidence" / "sample").exists()
    assert not (repo / "issues" / "report").exists()
    assert "原有台账的报告叙述和佐证材料" in done.stdout


def test_summary_says_where_every_column_went(county):
    _, _, done = county
    said = done.stdout
    for name in {n for n in UPPER + LOWER if n} - {"整改责任", "整改进展"}:
        assert f"“{name}”→" in said, name
    assert "“备注”→备注（note）" in said and "“责任人”→责任人（measures: person）" in said
    assert "第1项“整改时限”：长期坚持" in said  # a value no field takes, named
    assert "没有找到巡察轮次" in said


def test_category_section_rows_import_alike(tmp_path):
    result = import_workbook(county_workbook(tmp_path / "台账.xlsx", section_rows=True))
    written = write_ledger(result, tmp_path / "issues")
    ledger = load_ledger(written.folder, repo_root=tmp_path)
    assert measures_of(ledger) == expected_measures()
    assert [c.name for c in ledger.categories] == ["党的建设方面", "作风建设方面"]


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_a_workbook_saved_again_by_libreoffice_imports_the_same(tmp_path):
    saved = libreoffice_resave(county_workbook(tmp_path / "台账.xlsx"), tmp_path)
    result = import_workbook(saved)
    ledger = load_ledger(write_ledger(result, tmp_path / "issues").folder, repo_root=tmp_path)
    assert measures_of(ledger) == expected_measures()
    assert (result.unit, result.group) == ("县市场监督管理局党组", "县委第三巡察组")
    assert {i.id: i.note for i in ledger.issues}[2] == "配合：办公室"


def test_a_done_row_without_its_date_gets_none_made_up(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["序号", "问题", "整改措施", "责任部门", "完成情况"])
    book.active.append([1, "制度不健全。", "修订制度。", "办公室", "已完成"])
    book.save(tmp_path / "台账.xlsx")
    result = import_workbook(tmp_path / "台账.xlsx")
    write_ledger(result, tmp_path / "issues")
    text = read(next((tmp_path / "issues").glob("01-*.md")))
    assert not re.search(r"^completed:", text, re.M) and "原台账没有写完成时间" in text
