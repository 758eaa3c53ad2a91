"""Nothing is cut: a text longer than an Excel cell holds (32,767 characters)
goes through the xlsx and CSV 台账 whole, continued in hidden columns that
the importer joins back (#21 item 7)."""

from __future__ import annotations

import csv
import io
import shutil

import pytest

from ledger_fixtures import LEDGER_YML, write_ledger
from ledgerlib import aggregate, export, export_xlsx, load_ledger, plaintext, tablecols
from test_round_trip import PROBLEM, round_trip

# 100,000 characters in paragraphs, with characters outside the BMP (two
# UTF-16 units each, as Excel counts) and a paragraph break near a cut.
SENTENCE = "召开专题会议研究整改措施，逐项明确责任单位和完成时限，𠀀𠀁确保整改到位。"
LONG = "\n\n".join(SENTENCE * (2500 // len(SENTENCE) + 1) for _ in range(40))[:100_000]
MEASURE = "建立长效机制" * 7000  # 42,000 characters in one measure's cell


@pytest.fixture(scope="module")
def long_ledger(tmp_path_factory):
    root = tmp_path_factory.mktemp("long")
    first = PROBLEM.format(id=1, title="整改情况很长", text="问题描述。", extra="").replace(
        "召开专题会议研究整改。", LONG)
    second = PROBLEM.format(id=2, title="措施很长", text="问题。", extra=f"""\
measures:
  - text: {MEASURE}
    person: 张*
    status: 整改中
  - text: 短措施
    status: 整改中
""")
    return load_ledger(write_ledger(root, {"01-a.md": first, "02-b.md": second}, LEDGER_YML))


def test_the_long_text_is_what_the_problem_file_says(long_ledger):
    issue = {i.id: i for i in long_ledger.issues}[1]
    assert len(issue.measures.strip()) == 100_000 and len(plaintext.paragraphs(issue.measures)) == 40


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_a_100000_character_text_survives_export_and_import(tmp_path, long_ledger, kind):
    result, ledger = round_trip(long_ledger, kind, tmp_path)
    back, before = ({i.id: i for i in x.issues} for x in (ledger, long_ledger))
    assert plaintext.paragraphs(back[1].measures) == plaintext.paragraphs(before[1].measures)
    assert "".join(plaintext.paragraphs(back[1].measures)) == "".join(plaintext.paragraphs(before[1].measures))
    assert [m.text for m in back[2].tasks] == [MEASURE, "短措施"] and back[2].tasks[0].person == "张*"
    assert result.unplaced_columns == [] and result.notes == []


def test_no_cell_of_either_file_is_longer_than_excel_holds(long_ledger):
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(export_xlsx.to_xlsx(long_ledger, aggregate.standing(long_ledger)))).active
    header = [c.value for c in sheet[tablecols.HEADER_ROW]]
    cells = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert max(len(v.encode("utf-16-le")) // 2 for v in cells) <= tablecols.CELL_LIMIT
    continued = [name for name in header if tablecols.base_of(name)]
    assert continued == ["整改措施（续1）", "整改措施（续2）", "整改措施（续3）", "分项措施（续1）"]
    for name in continued:
        letter = sheet.cell(row=tablecols.HEADER_ROW, column=header.index(name) + 1).column_letter
        assert sheet.column_dimensions[letter].hidden
    rows = list(csv.reader(io.StringIO(export.to_csv(long_ledger).decode("utf-8-sig"))))
    assert max(len(cell) for row in rows for cell in row) <= tablecols.CELL_LIMIT


def test_cut_pieces_never_split_a_character_and_join_to_the_text():
    for text in (LONG, MEASURE, "𠀀" * 40_000, ""):
        pieces = tablecols.split_cell(text)
        assert "".join(pieces) == text
        assert all(len(p.encode("utf-16-le")) // 2 <= tablecols.CELL_LIMIT for p in pieces)


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_the_long_text_survives_a_libreoffice_save(tmp_path, long_ledger):
    _, ledger = round_trip(long_ledger, "xlsx", tmp_path, resave=True)
    back = {i.id: i for i in ledger.issues}
    assert plaintext.paragraphs(back[1].measures) == plaintext.paragraphs({i.id: i for i in long_ledger.issues}[1].measures)
    assert back[2].tasks[0].text == MEASURE


def test_a_units_csv_with_a_long_text_in_one_cell_is_read_whole(tmp_path):
    from ledgerlib.import_xlsx import import_csv

    source = tmp_path / "台账.csv"
    text = "整改措施很长。" * 30_000  # 210,000 characters, more than csv's default field limit
    source.write_text(f"序号,问题,整改措施,责任部门\r\n1,制度不健全。,{text},办公室\r\n", encoding="utf-8-sig")
    assert import_csv(source).problems[0].measures == [text]

