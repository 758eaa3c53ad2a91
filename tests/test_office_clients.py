"""The exports opened in a client the users own: LibreOffice (the office suite of
many 信创 desktops) converts the .docx and the .xlsx to PDF, and poppler reads
back where every line and word landed. openpyxl is the second reader of the
workbook.

Needs soffice (libreoffice-writer-nogui, libreoffice-calc-nogui) and
poppler-utils; .ci/run installs them. Skipped without them locally, failed on CI.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections import Counter

import docx
import openpyxl
import pytest

from conftest import REPO
from ledgerlib import aggregate, load_ledger
from ledgerlib import gbt9704 as G
from ledgerlib.export import COLUMNS
from ledgerlib.export_xlsx import BODY_PT, DATE_FORMAT, to_xlsx
from ledgerlib.ledgerbuild import build_ledger, to_docx
from pdf_layout import read_pages, soffice_pdf

DAY = dt.date(2024, 1, 1)
BUILT = dt.datetime(2024, 1, 2, 9, 30, tzinfo=dt.UTC)
NOT_CHINESE_ONLY = re.compile(r"[0-9A-Za-z*“”‘’]")  # half-width or font-dependent widths
PT_PER_MM = 72 / 25.4


@pytest.fixture(scope="module")
def sample():
    return load_ledger(REPO / "issues", today=DAY)


@pytest.fixture(scope="module")
def docx_bytes(sample):
    return to_docx(build_ledger(sample, today=DAY, commit="abc1234"), built=BUILT)


@pytest.fixture(scope="module")
def lo_report(docx_bytes, tmp_path_factory):
    folder = tmp_path_factory.mktemp("lo-docx")
    source = folder / "整改报告.docx"
    source.write_bytes(docx_bytes)
    return read_pages(soffice_pdf(source, folder))


def body_pages(pages):
    return [p for p in pages if p.portrait]


def characters(line, left: float) -> int:
    """Characters in a line, counting its indent as the characters it stands for."""
    pitch = G.BODY_PT + G.LETTER_SPACING_TWIPS / G.TWIPS_PER_PT
    return len(line.text.replace(" ", "")) + round((line.x0 - left) / pitch)


def test_docx_in_libreoffice_lines_hold_28_characters(lo_report):
    left = G.MARGIN_LEFT_MM * PT_PER_MM
    right = left + G.TEXT_WIDTH_PT
    full = [line for page in body_pages(lo_report) for line in page.text_lines()
            if line.x1 > right - G.BODY_PT / 2 and not NOT_CHINESE_ONLY.search(line.text)]
    counts = Counter(characters(line, left) for line in full)
    assert len(full) > 150, counts  # the sample's body is about 17 pages
    assert counts[G.CHARS_PER_LINE] >= 0.9 * len(full), sorted(counts.items())
    assert max(counts) <= G.CHARS_PER_LINE + 1, sorted(counts.items())  # at most a hanging stop


def test_docx_in_libreoffice_pages_hold_22_lines(lo_report):
    counts = [len(page.text_lines()) for page in body_pages(lo_report)]
    # Every page but the first (title) and the last (end of the text) is full,
    # except the one before the 落款 when the 落款 took the body's last lines along
    # (GB/T 9704 7.3.5: never a page of only the 落款).
    assert counts[1:-2] and set(counts[1:-2]) == {G.LINES_PER_PAGE}, counts
    assert counts[-2] <= G.LINES_PER_PAGE
    assert counts[0] < G.LINES_PER_PAGE and counts[-1] <= G.LINES_PER_PAGE


def test_docx_in_libreoffice_pages_as_many_as_chromium(lo_report, report_pdf):
    chromium = read_pages(report_pdf)
    assert abs(len(lo_report) - len(chromium)) <= 2, (len(lo_report), len(chromium))
    assert abs(len(body_pages(lo_report)) - len(body_pages(chromium))) <= 2


def test_docx_in_libreoffice_annex_columns_fit_their_headers(lo_report, sample):
    annex = [p for p in lo_report if not p.portrait]
    assert annex, "no landscape annex page"
    words = [w for page in annex for line in page.lines for w in line.words]
    texts = [w.text for w in words]
    for header in ("序号", "问题方面", "问题", "责任部门", "责任领导", "整改时限", "完成时间", "整改状态"):
        assert header in texts, header  # the whole word on one line
    first_column = next(w for w in words if w.text == "序号")
    ids = {w.text for w in words if abs(w.x0 - first_column.x0) < 3}
    assert {str(i.id) for i in sample.issues} <= ids  # "16" whole, not "1" over "6"
    statuses = [w.text for w in words if w.text in {s.label for s in sample.statuses}]
    assert len(statuses) == len(sample.issues)  # 整改状态 readable: every label on one line


def test_docx_properties_are_the_reports(docx_bytes, sample):
    props = docx.Document(io.BytesIO(docx_bytes)).core_properties
    assert props.title == "区应急管理局党委关于巡察集中整改进展情况的报告"
    assert props.author == sample.unit == "区应急管理局党委"
    assert props.created == props.modified == BUILT
    assert "abc1234" in props.comments and "abc1234" in props.keywords
    names = zipfile.ZipFile(io.BytesIO(docx_bytes)).namelist()
    assert not [n for n in names if "thumbnail" in n], names
    assert "python-docx" not in zipfile.ZipFile(io.BytesIO(docx_bytes)).read("docProps/core.xml").decode()


def test_docx_properties_default_to_the_build_time(sample):
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    props = docx.Document(io.BytesIO(to_docx(build_ledger(sample, today=DAY)))).core_properties
    assert before - dt.timedelta(seconds=1) <= props.created <= before + dt.timedelta(minutes=5)


# -- the Excel 台账 -------------------------------------------------------------------


@pytest.fixture(scope="module")
def xlsx_bytes(sample):
    return to_xlsx(sample, aggregate.standing(sample))


@pytest.fixture(scope="module")
def sheet(xlsx_bytes):
    return openpyxl.load_workbook(io.BytesIO(xlsx_bytes)).active


def test_xlsx_ids_are_numbers_and_dates_are_dates(sheet, sample):
    header = [c.value for c in sheet[3]]
    rows = list(sheet.iter_rows(min_row=4))
    assert len(rows) == len(sample.issues)
    for row in rows:
        cells = dict(zip(header, row, strict=True))
        assert isinstance(cells["序号"].value, int) and cells["序号"].data_type == "n"
        for name in ("整改时限", "完成时间"):
            assert cells[name].is_date and cells[name].number_format == DATE_FORMAT, (name, cells[name].value)
    fifteen = dict(zip(header, rows[14], strict=True))
    assert fifteen["整改时限"].value.date() == dt.date(2023, 6, 30)


def test_xlsx_filter_covers_the_whole_table(sheet, sample):
    last = 3 + len(sample.issues)
    # K to M, the hidden 问题标题, 进展表述 and 佐证材料文件, too: sorting by the
    # filter must move them with their rows.
    assert sheet.auto_filter.ref == f"A3:M{last}"
    assert sheet.cell(row=last, column=1).value is not None and sheet.cell(row=last + 1, column=1).value is None


def test_xlsx_prints_at_10_5_pt_without_shrinking(sheet):
    setup = sheet.page_setup
    assert setup.orientation == "landscape" and int(setup.paperSize) == int(sheet.PAPERSIZE_A4)
    assert not sheet.sheet_properties.pageSetUpPr.fitToPage  # no fit-to-width shrinking
    assert setup.scale in (None, 100)
    sizes = {c.font.sz for row in sheet.iter_rows(min_row=2) for c in row if c.value is not None}
    assert min(sizes) >= BODY_PT == 10.5
    assert all(c.alignment.wrap_text for c in sheet[4])  # long texts wrap in their cells


def test_xlsx_in_libreoffice_fits_the_page_at_full_size(xlsx_bytes, tmp_path):
    source = tmp_path / "整改台账.xlsx"
    source.write_bytes(xlsx_bytes)
    pages = read_pages(soffice_pdf(source, tmp_path))
    assert all(not p.portrait for p in pages)
    for page in pages:  # every column on every page: nothing spills onto extra pages
        words = {w.text for line in page.lines for w in line.words}
        assert {"序号", "问题描述", "佐证材料"} <= words, words
    text = "".join(line.text for page in pages for line in page.lines)
    # LibreOffice shows the stored dates in the Chinese format: they are dates to it too.
    assert "2023年3月31日" in text.replace(" ", "") and "2023-03-31" not in text and "45016" not in text
    # Printed size: the glyph box of a 10.5 pt Chinese status word is about 13.6 pt
    # high (6.8 pt text, as fit-to-width printed it, would give 8.8).
    heights = [w.y1 - w.y0 for page in pages for line in page.lines for w in line.words if w.text == "已完成"]
    assert heights and min(heights) >= 1.25 * 10.5, heights


def test_csv_and_xlsx_write_dates_as_the_report_does(sample):
    from ledgerlib.export import to_csv

    text = to_csv(sample).decode("utf-8-sig")
    assert "2023年3月31日" in text and not re.search(r"\d{4}-\d{2}-\d{2}", text)
    assert COLUMNS[6] == "整改时限"
