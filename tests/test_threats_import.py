"""Threat: an imported file makes the import run for minutes or exhaust memory.

A unit's 台账 or report comes from outside. Each hostile file is written here
by a small generator (nothing large is committed) and imported through the
real command in a child process, which must end within 10 s and 500 MB with
a Chinese refusal naming the limit (importlimits); normal files pass the
checks unchanged."""

from __future__ import annotations

import io
import struct
import subprocess
import sys
import time
import zipfile
import zlib
from pathlib import Path

import pytest

from conftest import REPO
from ledgerlib import aggregate, export, export_xlsx, importlimits, load_ledger
from ledgerlib.commands.import_report import read_source
from ledgerlib.importer import ImportFailed
from ledgerlib.ledgerbuild import build_ledger, to_docx

SCRIPT = str(REPO / "scripts" / "ledger.py")
MAX_SECONDS = 10
MAX_RSS_MB = 500
# The child reports its own child's peak memory: the test process's
# RUSAGE_CHILDREN would count every browser and office program run before.
# It kills the import after 30 s (subprocess.run does), so that a failing
# test leaves no runaway import behind.
MEASURE = """import resource, subprocess, sys
try:
    done = subprocess.run(sys.argv[1:], capture_output=True, text=True, timeout=30)
except subprocess.TimeoutExpired:
    sys.exit("timed out")
sys.stdout.write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) + "\\n" + done.stderr)
"""
HEADER = ["序号", "问题描述", "整改措施", "责任单位", "整改时限"]


def refused(source: Path, tmp_path: Path, *words: str, limit: bool = True) -> str:
    """Import ``source`` with the command line; assert a bounded, worded refusal."""
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-c", MEASURE, sys.executable, SCRIPT, "import", str(source),
                           "--out", str(tmp_path / "out")], capture_output=True, text=True, timeout=90)
    assert done.returncode == 0, done.stderr
    seconds = time.monotonic() - started
    peak_kb, _, message = done.stdout.partition("\n")
    assert seconds < MAX_SECONDS, f"{seconds:.1f} s"
    assert int(peak_kb) / 1024 < MAX_RSS_MB, f"{int(peak_kb) / 1024:.0f} MB"
    assert message.startswith("导入失败：") and "Traceback" not in message, message
    assert "上限" in message or not limit, message
    for word in words:
        assert word in message, message
    assert not (tmp_path / "out").exists()
    return message


def refused_here(source: Path, *words: str) -> str:
    """The same refusal, in this process: for the variations of an attack the
    child-process tests above already bound."""
    with pytest.raises(ImportFailed) as caught:
        read_source(source)
    message = str(caught.value)
    for word in words:
        assert word in message, message
    return message


def workbook(path: Path, sheet_xml=lambda xml: xml, extra: dict[str, bytes] | None = None) -> Path:
    """A small real 台账 written by openpyxl, its sheet's XML then rewritten."""
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "台账"
    book.active.append(HEADER)
    book.active.append([1, "会议记录不规范。", "建立制度。", "办公室", "2023年3月31日"])
    data = io.BytesIO()
    book.save(data)
    with zipfile.ZipFile(data) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            body = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                body = sheet_xml(body.decode()).encode()
            out.writestr(info.filename, body)
        for name, body in (extra or {}).items():
            out.writestr(name, body)
    return path


def test_threat_sparse_cell_at_xfd1048576_refused(tmp_path):
    from openpyxl import load_workbook

    source = workbook(tmp_path / "稀疏.xlsx", lambda xml: xml.replace(
        "</sheetData>", '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'))
    assert source.stat().st_size < 10_000
    load_workbook(source)  # a valid workbook: openpyxl opens it (and the importer would walk 17 billion cells)
    refused(source, tmp_path, "第 1,048,576 行", "第 16,384 列", "500,000")


def test_threat_sparse_cell_written_in_another_form_refused(tmp_path):
    """A prefixed element, single quotes, spaces around "=": still found."""
    source = workbook(tmp_path / "稀疏.xlsx", lambda xml: xml.replace(
        "</sheetData>", "<x:row xmlns:x='http://schemas.openxmlformats.org/spreadsheetml/2006/main' r = '1048576'>"
        "<x:c r = 'XFD1048576'><x:v>1</x:v></x:c></x:row></sheetData>").replace('<dimension ref="A1:E2"/>', ""))
    refused_here(source, "第 1,048,576 行")


def test_threat_cells_without_refs_counted_on(tmp_path):
    """Cells without "r" follow the previous one: 20,000 of them after a row at 1,000."""
    cells = "<c><v>1</v></c>" * 20_000
    source = workbook(tmp_path / "无引用.xlsx", lambda xml: xml.replace(
        "</sheetData>", f'<row r="1000">{cells}</row></sheetData>'))
    refused_here(source, "第 1,000 行", "第 20,000 列")


def test_threat_one_merged_range_b2_z200000_refused(tmp_path):
    source = workbook(tmp_path / "合并.xlsx", lambda xml: xml.replace(
        "</sheetData>", '</sheetData><mergeCells count="1"><mergeCell ref="B2:Z200000"/></mergeCells>'))
    refused(source, tmp_path, "B2:Z200000", "4,999,975", "500,000")


def test_threat_declared_dimension_refused(tmp_path):
    source = workbook(tmp_path / "范围.xlsx", lambda xml: xml.replace('<dimension ref="A1:E2"/>',
                                                                     '<dimension ref="A1:XFD1048576"/>'))
    refused_here(source, "A1:XFD1048576")


@pytest.mark.slow
def test_threat_zip_bomb_import_refused(tmp_path):
    """6 MB on disk, 1.1 GB inflated: the sheet padded with blanks, as the attack had it."""
    source = tmp_path / "炸弹.xlsx"
    plain = workbook(tmp_path / "plain.xlsx")
    # Level 1, the fastest to write: 5 MB, as the attack's 6 MB file.
    with zipfile.ZipFile(plain) as base, zipfile.ZipFile(source, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as out:
        for info in base.infolist():
            body = base.read(info)
            if info.filename != "xl/worksheets/sheet1.xml":
                out.writestr(info.filename, body)
                continue
            with out.open(info.filename, "w", force_zip64=True) as member:
                head, _, tail = body.partition(b"</sheetData>")
                member.write(head)
                blank = b" " * (1 << 20)
                for _ in range(1100):
                    member.write(blank)
                member.write(b"</sheetData>" + tail)
    assert source.stat().st_size < 6 * importlimits.MB
    refused(source, tmp_path, "xl/worksheets/sheet1.xml", "1,100.0 MB", "60 MB")


def test_threat_zip_bomb_by_ratio_refused(tmp_path):
    source = workbook(tmp_path / "压缩比.xlsx", extra={"xl/media/image1.bin": bytes(30 * importlimits.MB)})
    refused_here(source, "压缩比", "100:1")


def test_threat_xml_entity_expansion_refused(tmp_path):
    laughs = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
              + "".join(f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10 if n > 1 else "&lol;" * 10}">' for n in range(1, 10))
              + "]>")
    source = workbook(tmp_path / "实体.xlsx", lambda xml: laughs + xml.split("?>", 1)[-1])
    refused_here(source, "DTD")


def png_header(width: int, height: int) -> bytes:
    """The first bytes of a PNG of that size; nothing after them is read."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    chunk = struct.pack(">I", len(ihdr)) + b"IHDR" + ihdr + struct.pack(">I", zlib.crc32(b"IHDR" + ihdr))
    return b"\x89PNG\r\n\x1a\n" + chunk + struct.pack(">I", 0) + b"IEND" + struct.pack(">I", zlib.crc32(b"IEND"))


def test_threat_docx_with_a_1_5_gb_image_refused(tmp_path):
    """20,000 × 20,000 RGBA is 1.6 GB decoded; the file only says so in its header."""
    import docx

    document = docx.Document()
    document.add_paragraph("关于巡察整改情况的报告")
    small = tmp_path / "小图.png"
    small.write_bytes(png_header(1, 1))
    document.add_picture(str(small))
    plain = tmp_path / "plain.docx"
    document.save(str(plain))
    source = tmp_path / "大图.docx"
    with zipfile.ZipFile(plain) as base, zipfile.ZipFile(source, "w", zipfile.ZIP_DEFLATED) as out:
        for info in base.infolist():
            is_image = info.filename.startswith("word/media/")
            out.writestr(info.filename, png_header(20_000, 20_000) if is_image else base.read(info))
    refused(source, tmp_path, "20,000 × 20,000", "40,000 万像素", "100,000,000")


def test_threat_docx_table_cell_spanning_a_billion_columns_refused(tmp_path):
    import docx

    document = docx.Document()
    document.add_table(rows=1, cols=2).cell(0, 0).text = "序号"
    plain = tmp_path / "plain.docx"
    document.save(str(plain))
    source = tmp_path / "跨列.docx"
    with zipfile.ZipFile(plain) as base, zipfile.ZipFile(source, "w", zipfile.ZIP_DEFLATED) as out:
        for info in base.infolist():
            body = base.read(info)
            if info.filename == "word/document.xml":
                body = body.replace(b"<w:tcPr>", b'<w:tcPr><w:gridSpan w:val="1000000000"/>', 1)
            out.writestr(info.filename, body)
    refused_here(source, "1,000,000,000")


def test_threat_csv_of_one_wide_row_and_many_short_ones_refused(tmp_path):
    """600 KB: one row of 100,000 commas, 10,000 short rows, padded to a 10⁹-cell grid."""
    source = tmp_path / "宽.csv"
    source.write_bytes(",".join(HEADER).encode() + b"," * 100_000 + b"\r\n" + b"1,x\r\n" * 10_000)
    refused(source, tmp_path, "100,005 列", "500,000")


def test_threat_csv_too_large_refused(tmp_path):
    source = tmp_path / "大.csv"
    source.write_bytes(",".join(HEADER).encode() + b"\r\n" + (b"1," + b"x" * 1000 + b"\r\n") * 21_000)
    refused_here(source, "20 MB")


@pytest.fixture(scope="module")
def sample():
    return load_ledger(REPO / "issues")


def test_normal_exports_pass_the_import_limits(tmp_path, sample):
    for name, data in (("台账.xlsx", export_xlsx.to_xlsx(sample, aggregate.standing(sample))), ("台账.csv", export.to_csv(sample)),
                       ("报告.docx", to_docx(build_ledger(sample)))):
        (tmp_path / name).write_bytes(data)
        importlimits.check(tmp_path / name)


def test_a_sheet_just_inside_the_limit_passes(tmp_path):
    rows = importlimits.MAX_SHEET_CELLS // 5
    source = workbook(tmp_path / "边界.xlsx", lambda xml: xml.replace(
        "</sheetData>", f'<row r="{rows}"><c r="E{rows}"><v>1</v></c></row></sheetData>'))
    importlimits.check(source)
    source = workbook(tmp_path / "越界.xlsx", lambda xml: xml.replace(
        "</sheetData>", f'<row r="{rows + 1}"><c r="E{rows + 1}"><v>1</v></c></row></sheetData>'))
    with pytest.raises(ImportFailed, match="500,005"):
        importlimits.check(source)


def test_image_sizes_are_read_from_headers():
    jpeg = b"\xff\xd8\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00" + bytes(9) + \
        b"\xff\xc0" + struct.pack(">HBHH", 17, 8, 3000, 4000) + bytes(10)
    gif = b"GIF89a" + struct.pack("<HH", 640, 480)
    bmp = b"BM" + bytes(16) + struct.pack("<ii", 800, -600)
    assert importlimits.image_size(jpeg) == (4000, 3000)
    assert importlimits.image_size(png_header(7, 9)) == (7, 9)
    assert importlimits.image_size(gif) == (640, 480) and importlimits.image_size(bmp) == (800, 600)
    assert importlimits.image_size(b"not an image") is None


def test_threat_json_import_too_large_refused(tmp_path):
    source = tmp_path / "ledger.json"
    source.write_bytes(b"[" + b"0," * (11 * importlimits.MB) + b"0]")
    done = subprocess.run([sys.executable, SCRIPT, "import", str(source), "--out", str(tmp_path / "out")],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and done.stderr.startswith("导入失败：") and "20 MB" in done.stderr, done.stderr


def test_threat_xml_entity_declaration_hidden_after_a_long_comment_refused(tmp_path):
    laughs = '<?xml version="1.0"?><!--' + "x" * 10_000 + '--><!DOCTYPE lolz [<!ENTITY lol "lol">]>'
    source = workbook(tmp_path / "实体.xlsx", lambda xml: laughs + xml.split("?>", 1)[-1])
    refused_here(source, "DTD")
    utf16 = workbook(tmp_path / "utf16.xlsx", lambda xml: xml)
    with zipfile.ZipFile(utf16) as base, zipfile.ZipFile(tmp_path / "实体16.xlsx", "w") as out:
        for info in base.infolist():
            body = base.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                text = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE a [<!ENTITY b "c">]>' + \
                    body.decode().split("?>", 1)[-1]
                body = text.encode("utf-16")
            out.writestr(info.filename, body)
    refused_here(tmp_path / "实体16.xlsx", "DTD")
