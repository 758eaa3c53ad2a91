"""ledger.py import of tables: Excel 台账 and the annex of a Word report.

Round trips export the sample ledger, import the file, and compare the
problems field by field; a workbook shaped like a real unit's (title rows,
renamed headers in another order, merged measure rows, section rows, dates
as dates and as text) is built here with openpyxl."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import REPO
from import_fixtures import libreoffice_resave
from ledgerlib import aggregate, export, export_xlsx, importcols, load_ledger, plaintext, tablecols
from ledgerlib.import_xlsx import import_csv, import_workbook
from ledgerlib.importer import import_report
from ledgerlib.ledgerbuild import build_ledger, to_docx
from ledgerlib.ledgerwriter import write_ledger
from ledgerlib.textread import status_of_cell

SCRIPT = str(REPO / "scripts" / "ledger.py")


def fields(ledger) -> dict[int, tuple]:
    return {i.id: (i.title, i.category.name, i.status.key, i.owners, i.leader, i.deadline, i.completed,
                   plaintext.paragraphs(i.problem), plaintext.paragraphs(i.measures)) for i in ledger.issues}


@pytest.fixture(scope="module")
def sample():
    return load_ledger(REPO / "issues")


def imported(result, folder):
    write_ledger(result, folder)
    return load_ledger(folder)


# -- xlsx round trip -------------------------------------------------------------------


def test_xlsx_round_trip_gives_the_same_seventeen_problems(tmp_path, sample):
    source = tmp_path / "台账.xlsx"
    source.write_bytes(export_xlsx.to_xlsx(sample, aggregate.standing(sample)))
    result = import_workbook(source)
    ledger = imported(result, tmp_path / "issues")
    assert len(ledger.issues) == 17
    assert fields(ledger) == fields(sample)
    assert {i.id: [e.name for e in i.evidence] for i in ledger.issues} == \
        {i.id: [e.name for e in i.evidence] for i in sample.issues}
    assert result.unplaced == [] and result.unplaced_columns == []
    assert ledger.unit == sample.unit and ledger.round == sample.round


def _rewrite_dates(path, write):
    """The exported workbook with its dates written another way, as other
    versions of the export or a clerk's own editing leave them."""
    from openpyxl import load_workbook

    book = load_workbook(path)
    sheet = book.active
    header = [c.value for c in sheet[tablecols.HEADER_ROW]]
    for name in ("整改时限", "完成时间"):
        col = header.index(name) + 1
        for row in range(tablecols.HEADER_ROW + 1, sheet.max_row + 1):
            cell = sheet.cell(row=row, column=col)
            day, _ = importcols.date(cell.value)
            if day:
                cell.value, cell.number_format = write(day)
    book.save(path)


@pytest.mark.parametrize("write", [
    lambda d: (dt.datetime(d.year, d.month, d.day), 'yyyy"年"m"月"d"日"'),
    lambda d: (dt.datetime(d.year, d.month, d.day), "yyyy-mm-dd"),
    lambda d: (d.isoformat(), "@"),
    lambda d: (f"{d.year}年{d.month}月{d.day}日", "@"),
    lambda d: (f"{d.year}.{d.month}.{d.day}", "General"),
], ids=["real-date-chinese-format", "real-date-iso-format", "iso-text", "chinese-text", "dotted-text"])
def test_xlsx_with_dates_in_any_form_imports_the_same(tmp_path, sample, write):
    source = tmp_path / "台账.xlsx"
    source.write_bytes(export_xlsx.to_xlsx(sample, aggregate.standing(sample)))
    _rewrite_dates(source, write)
    assert fields(imported(import_workbook(source), tmp_path / "issues")) == fields(sample)


@pytest.mark.parametrize("value", [
    dt.datetime(2023, 3, 31), dt.date(2023, 3, 31), "2023-03-31", "2023.3.31", "2023/3/31", "2023年3月31日",
    "2023 年 3 月 31 日", 45016, "2023-03-31 00:00:00"])
def test_dates_in_every_form_clerks_write_them(value):
    assert importcols.date(value) == (dt.date(2023, 3, 31), False)


def test_month_only_deadline_is_the_last_day_and_flagged():
    assert importcols.date("2023年2月底") == (dt.date(2023, 2, 28), True)
    assert importcols.date("长期坚持") == (None, False)


@pytest.mark.parametrize("text,key", [
    ("已完成", "done"), ("已整改销号", "done"), ("正在推进", "doing"), ("基本完成", "doing"), ("未完成", "doing"),
    ("尚未完成整改", "doing"), ("未启动", "todo"), ("长期坚持", "ongoing"), ("是", "done"), ("", None), ("见附件", None)])
def test_status_cells(text, key):
    assert status_of_cell(text) == key


# -- docx round trip -------------------------------------------------------------------


@pytest.fixture(scope="module")
def docx_import(tmp_path_factory, sample):
    folder = tmp_path_factory.mktemp("docx")
    source = folder / "报告.docx"
    source.write_bytes(to_docx(build_ledger(sample)))
    result = import_report(source)
    return result, imported(result, folder / "issues")


def test_docx_round_trip_gives_the_same_problems_and_annex_owners(docx_import, sample):
    result, ledger = docx_import
    assert fields(ledger) == fields(sample)
    assert {i.id: i.owners for i in ledger.issues}[7] == ("办公室", "安委办")
    assert [c.short for c in ledger.categories] == [c.short for c in sample.categories]
    assert result.annex_rows == 17


def test_docx_signature_is_found_before_the_annex(docx_import, sample):
    result, ledger = docx_import
    assert ledger.signature_date == dt.date(2023, 6, 30) == sample.signature_date
    assert ledger.signature_unit == sample.signature_unit
    assert result.unplaced == []
    placed = set(result.placed)
    assert placed == set(range(1, result.paragraph_count + 1))  # every paragraph has a place
    next_steps = (ledger.root / "report" / "next-steps.md").read_text(encoding="utf-8")
    for stray in (sample.signature_unit, "2023年6月30日", "附件", "本报告根据整改台账自动生成"):
        assert stray not in next_steps


def test_docx_annex_row_without_a_matching_problem_is_reported(tmp_path, sample):
    import docx

    source = tmp_path / "报告.docx"
    source.write_bytes(to_docx(build_ledger(sample)))
    document = docx.Document(str(source))
    table = document.tables[-1]
    table.rows[-1].cells[2].text = "正文中没有的问题"
    document.save(str(source))
    result = import_report(source)
    assert [u.paragraph.text.split(" | ")[2] for u in result.unplaced] == ["正文中没有的问题"]
    assert result.annex_rows == 16


# -- a workbook as a unit keeps it -----------------------------------------------------

UNIT_HEADER = ("编号", "存在问题", "整改措施", "牵头部门", "分管领导", "责任人", "完成时限", "整改进展", "配合单位", "备注")
# One problem per tuple: its text, then (measure, owner, person, deadline, progress, partner) per row.
UNIT_SECTIONS = {
    "一、聚焦党中央决策部署落实情况": [
        ("理论学习不深入。中心组学习流于形式。", [
            ("制定年度学习计划", "办公室", "王某", dt.datetime(2023, 3, 31), "已完成", ""),
            ("开展专题研讨4次", "办公室", "李某", "2023年6月30日", "已完成", "党建办"),
        ]),
        ("安全生产检查不到位。部分企业隐患整改不彻底。", [
            ("开展隐患排查专项行动", "安委办", "赵某", "2023.5.31", "已完成", ""),
            ("建立隐患整改台账", "执法大队", "钱某", dt.datetime(2023, 9, 30), "正在推进，已完成80%", ""),
            ("每季度通报整改情况", "安委办", "孙某", "长期坚持", "长期坚持", ""),
        ]),
    ],
    "二、聚焦基层党组织建设": [
        ("组织生活不规范。三会一课记录不全。", [
            ("补齐会议记录", "机关党委", "周某", "2023/4/30", "已完成", ""),
        ]),
    ],
}


def unit_workbook(path):
    """Two title rows, renamed headers in their own order, section rows merged
    across, each problem's 编号/存在问题/分管领导 merged over its measure rows."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    width = len(UNIT_HEADER)
    sheet.append(["某县水务局党组巡察反馈问题整改落实台账"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet.append(["填报单位（盖章）：某县水务局", None, None, None, None, None, None, "填报时间：2023年7月5日"])
    sheet.append(list(UNIT_HEADER))
    number = 0
    for section, problems in UNIT_SECTIONS.items():
        sheet.append([section])
        sheet.merge_cells(start_row=sheet.max_row, start_column=1, end_row=sheet.max_row, end_column=width)
        for text, measures in problems:
            number += 1
            first = sheet.max_row + 1
            for n, (measure, owner, person, deadline, progress, partner) in enumerate(measures):
                lead = [number, text] if n == 0 else [None, None]
                sheet.append([*lead, measure, owner, "分管副局长" if n == 0 else None, person, deadline, progress,
                              partner, None])
                if isinstance(deadline, dt.datetime):
                    sheet.cell(row=sheet.max_row, column=7).number_format = "yyyy-mm-dd"
            last = sheet.max_row
            if last > first:
                for col in (1, 2, 5):
                    sheet.merge_cells(start_row=first, start_column=col, end_row=last, end_column=col)
    sheet.append(["合计", "3项问题"])
    book.save(path)
    return path


@pytest.fixture(scope="module")
def unit_import(tmp_path_factory):
    folder = tmp_path_factory.mktemp("unit")
    result = import_workbook(unit_workbook(folder / "台账.xlsx"))
    return result, imported(result, folder / "issues")


def test_unit_workbook_problems_owners_and_deadlines(unit_import):
    result, ledger = unit_import
    issues = {i.id: i for i in ledger.issues}
    assert sorted(issues) == [1, 2, 3]
    assert [c.name for c in ledger.categories] == ["聚焦党中央决策部署落实情况", "聚焦基层党组织建设"]
    assert [issues[n].category.name for n in (1, 2, 3)] == ["聚焦党中央决策部署落实情况"] * 2 + ["聚焦基层党组织建设"]
    assert issues[1].owners == ("办公室",) and issues[2].owners == ("安委办", "执法大队")
    assert issues[1].deadline == dt.date(2023, 6, 30) and issues[2].deadline == dt.date(2023, 9, 30)
    assert issues[3].deadline == dt.date(2023, 4, 30)
    assert [issues[n].status.key for n in (1, 2, 3)] == ["done", "doing", "done"]
    assert all(i.leader == "分管副局长" for i in ledger.issues)
    assert issues[2].title == "安全生产检查不到位"
    assert plaintext.paragraphs(issues[2].problem) == ["部分企业隐患整改不彻底。"]
    assert plaintext.paragraphs(issues[2].measures) == ["开展隐患排查专项行动", "建立隐患整改台账", "每季度通报整改情况"]
    assert [len(p.measure_rows) for p in result.problems] == [2, 3, 1]
    rows = result.problems[1].measure_rows
    assert [(m.owners, m.person, m.deadline, m.status) for m in rows] == [
        (["安委办"], "赵某", dt.date(2023, 5, 31), "done"),
        (["执法大队"], "钱某", dt.date(2023, 9, 30), "doing"),
        (["安委办"], "孙某", None, "ongoing")]
    # Each row is a measure of the file with its own person, deadline and status (#21).
    assert [(m.text, m.owners, m.person, m.deadline, m.status.key) for m in issues[2].tasks] == [
        ("开展隐患排查专项行动", ("安委办",), "赵某", dt.date(2023, 5, 31), "done"),
        ("建立隐患整改台账", ("执法大队",), "钱某", dt.date(2023, 9, 30), "doing"),
        ("每季度通报整改情况", ("安委办",), "孙某", dt.date(2023, 9, 30), "ongoing")]
    # No 完成时间 column: a done measure's date is the sheet's own 填报时间, never the import day.
    assert result.sheet_date == dt.date(2023, 7, 5)
    assert [m.completed for m in issues[1].tasks] == [dt.date(2023, 7, 5)] * 2 and issues[3].tasks[0].person == "周某"


def test_unit_workbook_keeps_what_has_no_field(unit_import):
    result, ledger = unit_import
    assert result.unplaced_columns == ["配合单位"]
    assert result.columns["person"] == "责任人" and result.columns["note"] == "备注" and "evidence" not in result.columns
    text = {i.id: i.path.read_text(encoding="utf-8") for i in ledger.issues}
    assert "原台账“责任人”" not in text[1] and "person: \"王某\"" in text[1]
    assert "# 原台账“配合单位”：党建办" in text[1]
    assert "# 原台账“完成时限”：长期坚持" in text[2]
    assert "# 原台账“整改进展”：正在推进，已完成80%" in text[2]
    reasons = {u.paragraph.number: u.reason for u in result.unplaced}
    assert list(reasons) == [12] and "合计" in reasons[12]
    assert "填报时间" in result.placed[2]
    assert result.unit == "某县水务局党组"


def test_cli_imports_a_workbook_and_says_what_to_check(tmp_path):
    source = unit_workbook(tmp_path / "台账.xlsx")
    out = tmp_path / "issues"
    done = subprocess.run([sys.executable, SCRIPT, "import", str(source), "--out", str(out)],
                          cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    said = done.stdout
    assert "问题 3 项" in said and "“配合单位”" in said and "“牵头部门”→责任部门" in said
    assert "有 3 项问题的整改措施按行写为 measures 中的各项" in said
    assert "第12行（合计行" in said and "第2行（表头上方的文字）" not in said
    assert "完成时间（completed）暂填 2023年7月5日（台账的填报时间）" in said
    assert "台账校验通过：3 个问题" in said
    assert "Traceback" not in done.stderr


def test_cli_refuses_an_old_excel_file_in_chinese(tmp_path):
    source = tmp_path / "台账.xls"
    source.write_bytes(b"\xd0\xcf\x11\xe0not really")
    done = subprocess.run([sys.executable, SCRIPT, "import", str(source), "--out", str(tmp_path / "x")],
                          cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1 and "另存为" in done.stderr and "Traceback" not in done.stderr


def test_cli_reports_a_workbook_without_a_header(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["只有一行字"])
    book.save(tmp_path / "空.xlsx")
    done = subprocess.run([sys.executable, SCRIPT, "import", str(tmp_path / "空.xlsx"), "--out", str(tmp_path / "x")],
                          cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1 and "没有找到表头" in done.stderr and "Traceback" not in done.stderr


def test_two_row_header_numeral_sections_repeated_texts_and_no_status_column(tmp_path):
    """Another unit's habits: "整改责任" over three columns, "一" and the
    category in separate cells, the problem text copied onto every measure row
    instead of merged, numbers restarting in each category, no status column."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["问题整改清单"])
    sheet.append(["序号", "反馈问题", "整改措施", "整改责任", None, None, "整改时限", "完成时间"])
    sheet.append([None, None, None, "责任领导", "责任部门", "责任人", None, None])
    for col in (1, 2, 3, 7, 8):
        sheet.merge_cells(start_row=2, start_column=col, end_row=3, end_column=col)
    sheet.merge_cells("D2:F2")
    sheet.append(["一", "政治建设方面"])
    sheet.append([1, "学习不深入。", "措施甲", "张局长", "办公室", "王某", "2023-03-31", "2023-03-20"])
    sheet.append([1, "学习不深入。", "措施乙", "张局长", "人事科", "李某", "2023-04-30", "2023-04-25"])
    sheet.append([2, "制度不健全。", "措施丙", "李局长", "法规科", "赵某", "2023-05-31", None])
    sheet.append(["二", "作风建设方面"])
    sheet.append([1, "服务意识不强。", "措施丁", "王局长", "窗口科", "钱某", "2023年6月", "2023年6月20日"])
    book.save(tmp_path / "清单.xlsx")
    result = import_workbook(tmp_path / "清单.xlsx")
    ledger = imported(result, tmp_path / "issues")
    issues = {i.id: i for i in ledger.issues}
    assert [c.name for c in ledger.categories] == ["政治建设方面", "作风建设方面"]
    assert sorted(issues) == [1, 2, 3] and ledger.report.numbering == "per_category"
    assert issues[1].owners == ("办公室", "人事科") and issues[1].leader == "张局长"
    assert issues[1].deadline == dt.date(2023, 4, 30) and issues[1].completed == dt.date(2023, 4, 25)
    assert [issues[n].status.key for n in (1, 2, 3)] == ["done", "doing", "done"]
    assert issues[3].deadline == dt.date(2023, 6, 30)
    assert result.columns["person"] == "责任人" and result.unplaced_columns == []
    assert any("只写到月份" in note for note in result.notes)
    assert result.unplaced == []


def test_cli_summary_of_a_docx_says_where_signature_and_annex_went(tmp_path, sample):
    source = tmp_path / "报告.docx"
    source.write_bytes(to_docx(build_ledger(sample)))
    done = subprocess.run([sys.executable, SCRIPT, "import", str(source), "--out", str(tmp_path / "issues")],
                          cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    said = done.stdout
    assert "落款：中共区应急管理局委员会，2023年6月30日" in said
    assert "17 项问题的责任部门、责任领导、整改时限和完成时间取自报告附件" in said
    assert "（附件说明，" in said and "：附件：整改台账" in said and "本报告根据整改台账自动生成" in said
    assert "未归入台账的段落：无" in said and "待定" not in said


def test_annex_of_another_unit_renamed_columns_and_its_own_title(tmp_path, sample):
    """A unit's own Word report: annex columns named its way, dates written 2023.3.31."""
    import docx

    source = tmp_path / "报告.docx"
    source.write_bytes(to_docx(build_ledger(sample)))
    document = docx.Document(str(source))
    table = document.tables[-1]
    renamed = {"责任部门": "责任单位", "整改时限": "完成时限", "问题": "存在问题"}
    for cell in table.rows[0].cells:
        cell.text = renamed.get(cell.text, cell.text)
    header = [c.text for c in table.rows[0].cells]
    for row in table.rows[1:]:
        cell = row.cells[header.index("完成时限")]
        day, _ = importcols.date(cell.text)
        cell.text = f"{day.year}.{day.month}.{day.day}"  # another way units write dates
    problems = header.index("存在问题")
    for row, issue in zip(table.rows[1:], sorted(sample.issues), strict=True):
        row.cells[problems].text = export.problem_text(issue)  # the whole problem, as some annexes print it
    for name, value in (("责任人", "王某"), ("配合单位", "党建办")):
        column = table.add_column(docx.shared.Mm(15))
        column.cells[0].text = name
        for cell in column.cells[1:]:
            cell.text = value
    title = next(p for p in document.paragraphs if p.text == "整改台账")
    title.text = "巡察反馈问题整改台账"
    document.save(str(source))
    result = import_report(source)
    ledger = imported(result, tmp_path / "issues")
    assert fields(ledger) == fields(sample)
    assert [u.paragraph.text for u in result.unplaced] == ["巡察反馈问题整改台账"]
    assert result.unplaced_columns == ["配合单位"]
    assert all(p.kept == [("责任人", "王某"), ("配合单位", "党建办")] for p in result.problems)


# -- no workbook gives a traceback -----------------------------------------------------

_CELLS = st.one_of(
    st.none(), st.sampled_from(["序号", "问题", "整改措施", "责任部门", "整改时限", "整改状态", "完成时间", "备注",
                                "一、方面", "合计", "已完成", "正在整改", "2023年3月31日", "2023-02-30", "长期",
                                "问题甲。说明。", "=1+1", "办公室、 安委办", "*同志", "  ", "\n"]),
    st.integers(min_value=-3, max_value=50000), st.floats(allow_nan=True, allow_infinity=False, width=32),
    st.datetimes(min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2030, 1, 1)), st.booleans(),
    st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=12))
_GRIDS = st.lists(st.lists(_CELLS, min_size=1, max_size=7), min_size=1, max_size=8)
_MERGES = st.lists(st.tuples(st.integers(1, 9), st.integers(1, 8), st.integers(0, 2), st.integers(0, 2)), max_size=3)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(grid=_GRIDS, merges=_MERGES, header=st.booleans())
def test_any_workbook_imports_or_is_refused_in_chinese(tmp_path_factory, grid, merges, header):
    from openpyxl import Workbook

    from ledgerlib.importmodel import ImportFailed
    from ledgerlib.parser import check_ledger

    folder = tmp_path_factory.mktemp("any")
    book = Workbook()
    sheet = book.active
    if header:
        sheet.append(["序号", "问题描述", "整改措施", "责任单位", "整改时限", "完成情况", "完成时间"])
    for values in grid:
        sheet.append([v.replace(tzinfo=None) if isinstance(v, dt.datetime) else v for v in values])
    taken: set = set()
    for row, col, down, right in merges:
        cells = {(r, c) for r in range(row, row + down + 1) for c in range(col, col + right + 1)}
        if len(cells) > 1 and not cells & taken:
            taken |= cells
            sheet.merge_cells(start_row=row, start_column=col, end_row=row + down, end_column=col + right)
    book.save(folder / "x.xlsx")
    try:
        result = import_workbook(folder / "x.xlsx")
    except ImportFailed as exc:
        assert str(exc) and not str(exc).isascii()
        return
    write_ledger(result, folder / "issues")
    check_ledger(folder / "issues")  # errors are allowed, exceptions are not


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_workbook_saved_again_by_libreoffice_imports_the_same(tmp_path, unit_import):
    """Clerks open and save the 台账 in WPS or LibreOffice: merges and dates must survive that."""
    saved = libreoffice_resave(unit_workbook(tmp_path / "台账.xlsx"), tmp_path)
    ledger = imported(import_workbook(saved), tmp_path / "issues")
    assert fields(ledger) == fields(unit_import[1])


def test_docx_annex_tells_where_a_title_ends_inside_the_first_sentence(tmp_path):
    """A title that the problem text opens with, followed by a comma: the
    report prints the text once, so only the annex knows the title."""
    repo = tmp_path / "repo"
    shutil.copytree(REPO / "issues", repo / "issues")
    shutil.copytree(REPO / "docs", repo / "docs")
    first = next((repo / "issues").glob("01-*.md"))
    first.write_text(first.read_text(encoding="utf-8").replace("title: 思想政治学习不到位", "title: 开展学习教育活动质量不高"),
                     encoding="utf-8")
    source_ledger = load_ledger(repo / "issues")
    source = tmp_path / "报告.docx"
    source.write_bytes(to_docx(build_ledger(source_ledger)))
    ledger = imported(import_report(source), tmp_path / "issues")
    assert fields(ledger) == fields(source_ledger)
    assert {i.id: i.title for i in ledger.issues}[1] == "开展学习教育活动质量不高"


def test_docx_annex_with_a_problem_over_two_measure_rows(tmp_path, sample):
    """A unit's Word annex, one row per measure, 序号 and 问题 merged down."""
    import copy

    import docx

    source = tmp_path / "报告.docx"
    source.write_bytes(to_docx(build_ledger(sample)))
    document = docx.Document(str(source))
    table = document.tables[-1]
    first = table.rows[1]._tr
    first.addnext(copy.deepcopy(first))
    header = [c.text for c in table.rows[0].cells]
    second = table.rows[2]
    second.cells[header.index("责任部门")].text = "安委办"
    second.cells[header.index("整改时限")].text = "2023年4月30日"
    for name in ("序号", "问题方面", "问题"):
        col = header.index(name)
        second.cells[col].text = ""
        table.cell(1, col).merge(table.cell(2, col))
    document.save(str(source))
    result = import_report(source)
    ledger = imported(result, tmp_path / "issues")
    want = fields(sample)
    want[1] = (*want[1][:3], ("办公室", "安委办"), want[1][4], dt.date(2023, 4, 30), *want[1][6:])
    assert fields(ledger) == want
    assert result.annex_rows == 17 and result.unplaced == []


# -- CSV, and text that looks like a formula ----------------------------------------------


def test_csv_round_trip_gives_the_same_seventeen_problems(tmp_path, sample):
    source = tmp_path / "台账.csv"
    source.write_bytes(export.to_csv(sample))
    result = import_csv(source)
    assert fields(imported(result, tmp_path / "issues")) == fields(sample)
    assert result.unplaced == [] and result.unplaced_columns == []


def test_csv_saved_by_excel_on_chinese_windows_is_gbk(tmp_path, sample):
    source = tmp_path / "台账.csv"
    source.write_bytes(export.to_csv(sample).decode("utf-8-sig").encode("gb18030"))
    assert fields(imported(import_csv(source), tmp_path / "issues")) == fields(sample)


@pytest.fixture(scope="module")
def formula_ledger(tmp_path_factory):
    """Typed text that opens with "=", "+", "-" or "@", which spreadsheets take for a formula."""
    repo = tmp_path_factory.mktemp("formula")
    shutil.copytree(REPO / "issues", repo / "issues")
    shutil.copytree(REPO / "docs", repo / "docs")
    first = next((repo / "issues").glob("01-*.md"))
    text = first.read_text(encoding="utf-8").replace(
        "## 整改情况\n", "## 整改情况\n\n=SUM(A1:A2)不是公式。\n\n+1 与 @某人 也不是。\n", 1)
    first.write_text(text, encoding="utf-8")
    return load_ledger(repo / "issues")


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_text_opening_like_a_formula_survives_the_round_trip(tmp_path, formula_ledger, kind):
    source = tmp_path / f"台账.{kind}"
    source.write_bytes(export_xlsx.to_xlsx(formula_ledger, aggregate.standing(formula_ledger)) if kind == "xlsx" else export.to_csv(formula_ledger))
    ledger = imported(import_workbook(source) if kind == "xlsx" else import_csv(source), tmp_path / "issues")
    assert fields(ledger) == fields(formula_ledger)
    assert plaintext.paragraphs(ledger.issues[0].measures)[:2] == ["=SUM(A1:A2)不是公式。", "+1 与 @某人 也不是。"]
