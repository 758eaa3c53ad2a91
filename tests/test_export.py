"""ledger.py export: the 台账 as xlsx and csv, the report as docx, read back."""

from __future__ import annotations

import csv
import datetime as dt
import io

import docx
import openpyxl
import pytest
from docx.oxml.ns import qn

from conftest import REPO, ledger_cli, read
from ledger_fixtures import issue_text, report_of, write_ledger
from ledgerlib import aggregate, load_ledger
from ledgerlib.export import COLUMNS, EVIDENCE_FILES_COLUMN, STATUS_NOTE_COLUMN, TITLE_COLUMN, to_csv
from ledgerlib.export_xlsx import to_xlsx
from ledgerlib.ledgerbuild import build_ledger, to_docx

SCRIPT = str(REPO / "scripts" / "ledger.py")
# The sample's columns: the ten, then hidden ones (its problems have status notes and evidence files).
SAMPLE_COLUMNS = [*COLUMNS, TITLE_COLUMN, STATUS_NOTE_COLUMN, EVIDENCE_FILES_COLUMN]
DAY = dt.date(2024, 1, 1)


def run(*args):
    return ledger_cli(*args)


@pytest.fixture(scope="module")
def sample():
    return load_ledger(REPO / "issues", today=DAY)


@pytest.fixture(scope="module")
def workbook(sample):
    return openpyxl.load_workbook(io.BytesIO(to_xlsx(sample, aggregate.standing(sample)))).active


@pytest.fixture(scope="module")
def word(sample):
    return docx.Document(io.BytesIO(to_docx(build_ledger(sample, today=DAY))))


def data_rows(sheet):
    return [list(r) for r in sheet.iter_rows(min_row=4, values_only=True)]


def test_xlsx_title_header_and_rows(workbook):
    assert workbook["A1"].value == "区应急管理局党委四届区委第二轮常规巡察反馈问题整改台账"
    assert "A1:M1" in [str(r) for r in workbook.merged_cells.ranges]  # over the hidden columns too
    assert workbook["A2"].value == "统计截至2023年6月30日：共17项问题，已完成17项，整改完成率100%"
    assert [c.value for c in workbook[3]] == SAMPLE_COLUMNS
    rows = data_rows(workbook)
    assert [r[0] for r in rows] == list(range(1, 18))
    assert rows[0][1] == "聚焦党中央各项决策部署在基层的落实情况"
    assert rows[0][2].startswith("思想政治学习不到位。开展学习教育活动质量不高，")
    assert rows[3][3].startswith("局党委结合部门实际，召开党员干部大会，通报我局*、*违反党纪政纪处分情况")
    assert rows[14][2] == "党支部分工不明确；"  # the whole problem is its heading: not repeated
    assert rows[14][4:9] == ["分管党务工作副局长", "局党支部", dt.datetime(2023, 6, 30), dt.datetime(2023, 6, 16), "已完成"]
    assert rows[14][9] == "《中共*区应急局党支部选举办法》"
    assert rows[0][10] == "思想政治学习不到位" and rows[14][10] == "党支部分工不明确"


def test_xlsx_layout_for_screen_and_print(workbook):
    assert workbook.freeze_panes == "A4"
    header = workbook["C3"]
    assert header.font.name == "黑体" and header.fill.fgColor.rgb.endswith("D9D9D9")
    assert workbook["C4"].alignment.wrap_text and workbook["D4"].alignment.vertical == "top"
    assert workbook.column_dimensions["D"].width == 27 and workbook.column_dimensions["A"].width == 4
    # 问题标题, 进展表述, 佐证材料文件: read by the import, not shown or printed.
    assert all(workbook.column_dimensions[c].hidden for c in "KLM")
    assert workbook.row_dimensions[4].height > 100  # long texts get tall rows
    setup = workbook.page_setup
    assert setup.orientation == "landscape" and int(setup.paperSize) == int(workbook.PAPERSIZE_A4)
    assert not workbook.sheet_properties.pageSetUpPr.fitToPage  # see test_office_clients
    assert workbook.print_title_rows == "$3:$3"


def test_csv_has_bom_rows_and_plain_text(sample):
    data = to_csv(sample)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == SAMPLE_COLUMNS and len(rows) == 18
    assert rows[4][3].startswith("局党委结合部门实际，召开党员干部大会，通报我局*、*违反")
    assert rows[15][2] == "党支部分工不明确；" and rows[15][8] == "已完成"


def test_csv_escapes_formula_cells(tmp_path):
    evil = issue_text(1, extra="evidence:\n  - \"=HYPERLINK(\\\"http://x\\\")\"\n  - \"@SUM(A1)\"\n")
    evil = evil.replace("title: 问题1", "title: \"+1 问题\"").replace("owner: 办公室", "owner: \"-办公室\"")
    ledger = load_ledger(write_ledger(tmp_path, {"01-a.md": evil}))
    row = list(csv.reader(io.StringIO(to_csv(ledger).decode("utf-8-sig"))))[1]
    assert row[2].startswith("'+1 问题。") and row[5] == "'-办公室"
    assert row[9] == "'=HYPERLINK(\"http://x\")\n@SUM(A1)"  # only the cell's first character counts
    assert row[0] == "1" and not row[1].startswith("'")


def test_docx_text_is_the_report_model(sample, word):
    doc = report_of(sample, DAY)
    texts = [p.text for p in word.paragraphs]
    assert texts[0].replace("\n", "") == doc.title and texts[1] == ""
    assert texts[2:2 + len(doc.body_lines())] == doc.body_lines()
    assert "局党委结合部门实际，召开党员干部大会，通报我局*、*违反党纪政纪处分情况" in "".join(texts)
    # as on the report page, the small print; the empty paragraph carries the
    # section break before the landscape annex
    assert texts[-6:] == ["中共区应急管理局委员会", "2023年6月30日", doc.trace_note, "", "附件", "整改台账"]
    assert word.paragraphs[-4].runs[0].font.size.pt == 9
    table = word.tables[0]
    assert len(table.rows) == 18 and table.rows[15].cells[2].text == "党支部分工不明确"


def east_asia(run) -> str:
    return run._element.rPr.rFonts.get(qn("w:eastAsia"))


def test_docx_gbt_9704_layout(word):
    section = word.sections[0]
    assert [round(x.mm) for x in (section.top_margin, section.bottom_margin, section.left_margin,
                                  section.right_margin, section.page_width, section.page_height)] == [37, 35, 28, 26, 210, 297]
    grid = section._sectPr.find(qn("w:docGrid"))
    # a line grid only (no character grid: LibreOffice halves the line), 22 × 579 ≤ 12,756 twips
    assert grid.get(qn("w:type")) == "lines" and grid.get(qn("w:linePitch")) == "579"
    assert grid.get(qn("w:charSpace")) is None
    paragraphs = word.paragraphs
    title = paragraphs[0].runs[0]
    assert east_asia(title) == "方正小标宋简体" and title.font.size.pt == 22
    by_text = {p.text: p for p in paragraphs}
    assert east_asia(by_text["一、主要负责人组织落实巡察整改情况"].runs[0]) == "黑体"
    lead, body = by_text["（一）聚焦党中央各项决策部署在基层的落实情况"].runs[0], paragraphs[2].runs[0]
    assert east_asia(lead) == "楷体_GB2312"
    assert east_asia(body) == "仿宋_GB2312" and body.font.size.pt == 16
    normal = word.styles["Normal"].paragraph_format
    assert normal.line_spacing.twips == 579 and paragraphs[2].paragraph_format.first_line_indent.pt == 31.5
    assert body._element.rPr.find(qn("w:spacing")).get(qn("w:val")) == "-5"  # 28 × 15.75 pt ≤ 156 mm


def test_docx_page_numbers_odd_right_even_left(word):
    assert word.settings.odd_and_even_pages_header_footer
    odd, even = word.sections[0].footer.paragraphs[0], word.sections[0].even_page_footer.paragraphs[0]
    assert odd.text == even.text == "— 1 —"  # "1" is the cached value of the PAGE field
    assert "PAGE" in odd._p.xml and "PAGE" in even._p.xml
    assert odd.alignment == 2 and even.alignment == 0  # RIGHT, LEFT
    assert east_asia(odd.runs[0]) == "宋体" and odd.runs[0].font.size.pt == 14


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "docx"])
def test_cli_export_writes_each_format(tmp_path, fmt):
    out = tmp_path / f"台账.{fmt}"
    result = run("export", "--format", fmt, "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "已导出 17 个问题" in result.stdout and out.stat().st_size > 5000


def test_cli_export_guesses_format_and_refuses_unknown(tmp_path):
    assert run("export", "--out", str(tmp_path / "a.xlsx")).returncode == 0
    assert openpyxl.load_workbook(tmp_path / "a.xlsx").active["A3"].value == "序号"
    bad = run("export", "--out", str(tmp_path / "a.pdf"))
    assert bad.returncode == 2 and "--format" in bad.stderr


def test_cli_export_refuses_invalid_ledger(tmp_path):
    folder = write_ledger(tmp_path, {"01-a.md": issue_text(1, status="已完毕")})
    result = run("--ledger", str(folder), "export", "--out", str(tmp_path / "a.csv"))
    assert result.returncode == 1 and "未导出" in result.stderr and not (tmp_path / "a.csv").exists()


def test_site_publishes_downloads(sample_site):
    page = read(sample_site / "list" / "index.html")
    assert '<a href="../downloads/整改台账.xlsx">整改台账（Excel）</a>' in page
    assert '<a href="../downloads/整改报告.docx">整改报告（Word）</a>' in page
    sheet = openpyxl.load_workbook(sample_site / "downloads" / "整改台账.xlsx").active
    assert len(data_rows(sheet)) == 17
    report = docx.Document(str(sample_site / "downloads" / "整改报告.docx"))
    assert "三、巡察整改落实情况" in [p.text for p in report.paragraphs]
