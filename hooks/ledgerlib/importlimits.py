"""Bounds on an imported file, checked before anything expands it.

An Excel 台账 or a Word report comes from outside the repository: a unit's
file, a download, a mail attachment. openpyxl and python-docx trust what the
file declares: a 5 KB sheet with one cell at XFD1048576 makes the importer walk
17 billion cells, one merged range B2:Z200000 makes openpyxl create five
million cell objects, a 6 MB zip inflates to 1.1 GB. ``check(path)`` is called
first by the import command and reads only the zip's directory, the sheets'
XML as text (never a cell object) and the first bytes of each image, so that
a hostile file is refused in well under a second and a normal one costs a
few hundredths of a second more (dev/performance.md, 导入的上限).

Each limit is a named constant here, with the figure a normal ledger has
(the synthetic 2,000-problem ledger's own export: a 1.7 MB workbook whose
sheet is 9.8 MB of XML, 2,003 rows × 14 columns; its docx is 1 MB), and each
refusal names the limit and the value found. Python's zipfile stops reading
a member at the size its directory declares (a larger stream fails its
CRC), so the declared sizes checked here are the most openpyxl or
python-docx can get.
"""

from __future__ import annotations

import csv
import io
import re
import struct
import zipfile
from itertools import repeat
from pathlib import Path

from .importer import ImportFailed

MB = 1024 * 1024
MAX_ZIP_FILE_BYTES = 50 * MB  # an .xlsx/.docx on disk (normal: 1–2 MB for 2,000 problems)
MAX_TEXT_FILE_BYTES = 20 * MB  # a .csv/.txt/.md/.json (normal: 3.3 MB CSV for 2,000 problems)
MAX_ZIP_MEMBERS = 2000  # parts in one archive (normal: 9 to a few dozen; one per image)
MAX_MEMBER_BYTES = 60 * MB  # one part, uncompressed as declared (normal: 9.8 MB sheet)
MAX_TOTAL_BYTES = 200 * MB  # all parts together, uncompressed
MAX_RATIO = 100  # uncompressed ÷ compressed size of one part (normal XML: 5–20)
RATIO_FROM_BYTES = 1 * MB  # the ratio counts for parts larger than this (tiny parts compress well)
MAX_SHEET_CELLS = 500_000  # rows × columns a sheet spans (normal: 2,003 × 14 = 28,042)
MAX_MERGED_CELLS = 500_000  # cells covered by merged ranges, all sheets together
MAX_CSV_CELLS = 500_000  # rows × widest row of a CSV file
MAX_IMAGE_PIXELS = 100_000_000  # one picture, width × height (a 50-megapixel phone photo passes)
_HEAD_BYTES = 64 * 1024  # read of an image part: enough for any header, never the picture

_XML_DTD = (b"<!DOCTYPE", b"<!ENTITY")
_ROOT = re.compile(rb"<[A-Za-z_]")  # the root element's start: a DTD can only come before it
_P = rb"<(?:[A-Za-z_][\w.-]*:)?"  # an element's start, with any namespace prefix
# Every c (cell) and row element, whatever its form; then the form every
# office program writes, ref first and double-quoted, found fast by its
# literal start. When the counts agree, the fast form covered every element.
_ELEMENT = re.compile(_P + rb"(c|row)(?=[\s/>])([^>]*)")
_PLAIN_CELL = re.compile(rb'<c r="([A-Z]{1,3})(\d{1,9})"')
_PLAIN_ROW = re.compile(rb'<row r="(\d{1,9})"')
_REF = re.compile(rb"\sr\s*=\s*[\"']\$?([A-Za-z]{0,3})\$?(\d{1,9})[\"']")
_DIMENSION = re.compile(_P + rb"dimension\s[^>]*?\bref\s*=\s*[\"']([^\"']{1,40})[\"']")
_MERGE = re.compile(_P + rb"mergeCell\s[^>]*?\bref\s*=\s*[\"']([^\"']{1,40})[\"']")
_RANGE = re.compile(r"\$?([A-Za-z]{1,3})\$?(\d{1,9})(?::\$?([A-Za-z]{1,3})\$?(\d{1,9}))?$")
_SHEET = re.compile(_P + rb"sheet\s[^>]*?>")
_ATTR = re.compile(rb"([\w:]+)\s*=\s*[\"']([^\"']*)[\"']")
_REL = re.compile(_P + rb"Relationship\s[^>]*?>")
_WORKSHEET = re.compile(_P + rb"worksheet[\s>]")
_GRID_SPAN = re.compile(_P + rb"gridSpan\s[^>]*?\bw?:?val\s*=\s*[\"'](\d{1,12})[\"']")
MAX_GRID_SPAN = 1000  # a Word table cell spanning columns (Word itself allows 63 columns)


def check(path: Path) -> None:
    """Refuse (ImportFailed, in Chinese) a file that would take unbounded work to import."""
    suffix = path.suffix.lower()
    size = path.stat().st_size
    if suffix in (".xlsx", ".xlsm", ".docx"):
        _at_most(size, MAX_ZIP_FILE_BYTES, f"文件“{path.name}”有 {_mb(size)}", "文件大小上限为 {} MB", MB)
        _check_archive(path)
    else:
        _at_most(size, MAX_TEXT_FILE_BYTES, f"文件“{path.name}”有 {_mb(size)}", "文件大小上限为 {} MB", MB)
        if suffix == ".csv":
            _check_csv(path.read_bytes())


def _at_most(value: int, limit: int, found: str, rule: str, unit: int = 1) -> None:
    if value > limit:
        raise ImportFailed(f"{found}，超过了导入上限（{rule.format(f'{limit // unit:,}')}），未导入。"
                           "请确认文件来源；正常的台账或报告远小于此。")


def _mb(size: int) -> str:
    return f"{size / MB:,.1f} MB"


# -- zip archives: .xlsx, .docx ------------------------------------------------------


def _check_archive(path: Path) -> None:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # not an archive: the importer says so in its own words
    with archive:
        members = archive.infolist()
        _at_most(len(members), MAX_ZIP_MEMBERS, f"文件中有 {len(members):,} 个压缩部件", "部件数上限为 {} 个")
        total = 0
        for info in members:
            _check_member(info)
            total += info.file_size
        _at_most(total, MAX_TOTAL_BYTES, f"文件解压后共 {_mb(total)}", "解压后合计上限为 {} MB", MB)
        sheets = _sheet_names(archive)
        merged = 0
        for info in members:
            head = _read_head(archive, info)
            if info.filename.lower().endswith((".xml", ".rels", ".vml")):
                _no_dtd(info.filename, head)
                if info.filename in sheets or _WORKSHEET.search(head[:4096]):
                    merged += _check_sheet(sheets.get(info.filename, info.filename), _read(archive, info))
                elif info.filename == "word/document.xml":
                    _check_word_tables(_read(archive, info))
            else:
                _check_image(info.filename, head)
        _at_most(merged, MAX_MERGED_CELLS, f"工作表中的合并单元格共覆盖 {merged:,} 个单元格",
                 "合并单元格覆盖的单元格合计上限为 {} 个")


def _check_member(info: zipfile.ZipInfo) -> None:
    name = info.filename
    _at_most(info.file_size, MAX_MEMBER_BYTES, f"文件中的部件“{name}”解压后有 {_mb(info.file_size)}",
             "单个部件解压后上限为 {} MB", MB)
    if info.file_size > RATIO_FROM_BYTES:
        ratio = info.file_size // max(1, info.compress_size)
        _at_most(ratio, MAX_RATIO, f"文件中的部件“{name}”压缩比为 {ratio:,}:1（疑似“压缩炸弹”）", "压缩比上限为 {}:1")


def _read_head(archive: zipfile.ZipFile, info: zipfile.ZipInfo, size: int = _HEAD_BYTES) -> bytes:
    try:
        with archive.open(info) as member:
            return member.read(size)
    except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError, ValueError, EOFError):
        return b""  # encrypted or damaged: the importer refuses it with its own message


def _read(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """A whole part (its declared size is already bounded); b"" if it cannot be read."""
    return _read_head(archive, info, -1)


def _no_dtd(name: str, head: bytes) -> None:
    """Office XML never declares a DTD; one here could define entities that expand.
    It can only stand before the root element, which comes within the first
    bytes of any real part (a prolog longer than the head is refused too)."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16, which XML allows
        head = head.decode("utf-16", "ignore").encode("utf-8")
    root = _ROOT.search(head)
    prolog = head[:root.start()] if root else head
    if any(mark in prolog for mark in _XML_DTD) or (root is None and len(head) >= _HEAD_BYTES):
        raise ImportFailed(f"文件中的部件“{name}”含有 DTD 声明（<!DOCTYPE 或 <!ENTITY），正常的 Office 文件不会有，"
                           "可能是恶意构造的文件，未导入。请用 Excel、WPS 或 Word 打开后另存为新文件再导入。")


# -- sheets -------------------------------------------------------------------------


def _sheet_names(archive: zipfile.ZipFile) -> dict[str, str]:
    """Each worksheet's part name -> the name Excel shows on its tab."""
    try:
        book = archive.read("xl/workbook.xml")
        rels = archive.read("xl/_rels/workbook.xml.rels")
    except (KeyError, zipfile.BadZipFile, OSError, ValueError, RuntimeError, NotImplementedError):
        return {}
    if len(book) > MAX_MEMBER_BYTES or len(rels) > MAX_MEMBER_BYTES:
        return {}
    targets = {}
    for match in _REL.finditer(rels):
        attrs = dict(_ATTR.findall(match[0]))
        target = attrs.get(b"Target", b"").decode("utf-8", "replace")
        targets[attrs.get(b"Id", b"")] = target.lstrip("/") if target.startswith("/") else "xl/" + target
    names = {}
    for match in _SHEET.finditer(book):
        attrs = {k.split(b":")[-1] if k != b"name" else k: v for k, v in _ATTR.findall(match[0])}
        part = targets.get(attrs.get(b"id", b""))
        if part:
            names[part] = attrs.get(b"name", b"").decode("utf-8", "replace")
    return names


def _check_sheet(sheet: str, xml: bytes) -> int:
    """Refuse a sheet spanning too many cells; return the cells its merged ranges cover."""
    rows, columns = _span(xml)
    start = xml.find(b"dimension")
    if start >= 0 and (dimension := _DIMENSION.search(xml, max(0, start - 40))) and (extent := _extent(dimension[1])):
        _at_most(extent[0] * extent[1], MAX_SHEET_CELLS,
                 f"工作表“{sheet}”声明的范围是 {_text(dimension[1])}（{extent[0]:,} 行 × {extent[1]:,} 列）",
                 "每个工作表的行数 × 列数上限为 {} 个单元格")
    merged = 0
    start = xml.find(b"mergeCell")
    for match in _MERGE.finditer(xml, max(0, start - 40)) if start >= 0 else ():
        extent = _extent(match[1])
        if extent:
            rows, columns = max(rows, extent[2]), max(columns, extent[3])
            merged += extent[0] * extent[1]
            _at_most(merged, MAX_MERGED_CELLS, f"工作表“{sheet}”的合并单元格 {_text(match[1])} 等共覆盖 {merged:,} 个单元格",
                     "合并单元格覆盖的单元格合计上限为 {} 个")
    _at_most(rows * columns, MAX_SHEET_CELLS,
             f"工作表“{sheet}”的内容延伸到第 {rows:,} 行、第 {columns:,} 列（共 {rows * columns:,} 个单元格）",
             "每个工作表的行数 × 列数上限为 {} 个单元格；请删除表格以外的空行空列，或把台账复制到新工作簿后再导入")
    return merged


def _span(xml: bytes) -> tuple[int, int]:
    """The last row and column openpyxl would give the sheet's cells."""
    names = [name for name, _ in _ELEMENT.findall(xml)]
    cells, rows = _PLAIN_CELL.findall(xml), _PLAIN_ROW.findall(xml)
    if len(cells) == names.count(b"c") and len(rows) == names.count(b"row"):
        # map() over the matches: no Python code per cell (a normal sheet has tens of thousands).
        last_row = max(map(int, rows), default=0)
        last_row = max(last_row, max(map(int, (r for _, r in cells)), default=0))
        letters = max(map(bytes.rjust, (c for c, _ in cells), repeat(3)), default=b"")  # "  Z" < " AA"
        return last_row, _column_number(letters.strip())
    return _span_of_any_form(xml)


def _span_of_any_form(xml: bytes) -> tuple[int, int]:
    """Elements written otherwise (prefixed, single quotes, no ref: openpyxl
    then counts on from the previous row or cell), one by one."""
    row = column = last_row = last_column = 0
    for name, attrs in _ELEMENT.findall(xml):
        ref = _REF.search(attrs)
        if name == b"row":
            row = int(ref[2]) if ref else row + 1
            column = 0
        elif ref:
            row, column = max(row, int(ref[2])), _column_number(ref[1]) if ref[1] else column + 1
        else:
            column += 1
        last_row, last_column = max(last_row, row), max(last_column, column)
    return last_row, last_column


def _extent(ref: bytes) -> tuple[int, int, int, int] | None:
    """(rows, columns, last row, last column) of "B2:Z200000" or "A1"; None if unreadable."""
    match = _RANGE.match(ref.decode("ascii", "replace"))
    if not match:
        return None
    first_col, first_row = _column_number(match[1].encode()), int(match[2])
    last_col = _column_number(match[3].encode()) if match[3] else first_col
    last_row = int(match[4]) if match[4] else first_row
    return abs(last_row - first_row) + 1, abs(last_col - first_col) + 1, max(first_row, last_row), max(first_col, last_col)


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + letter - 64
    return number


def _text(ref: bytes) -> str:
    return ref.decode("ascii", "replace")


# -- Word ---------------------------------------------------------------------------


def _check_word_tables(xml: bytes) -> None:
    """python-docx repeats a cell once per grid column it spans, in a list."""
    span = max((int(m[1]) for m in _GRID_SPAN.finditer(xml)), default=0)
    _at_most(span, MAX_GRID_SPAN, f"Word 文件的表格中有一个单元格跨 {span:,} 列", "跨列数上限为 {} 列")


def _check_image(name: str, head: bytes) -> None:
    size = image_size(head)
    if size is None:
        return
    width, height = size
    _at_most(width * height, MAX_IMAGE_PIXELS,
             f"文件中的图片“{name}”为 {width:,} × {height:,} 像素（{width * height / 1e4:,.0f} 万像素）",
             "单张图片上限为 {} 像素；请压缩图片后再导入")


def image_size(head: bytes) -> tuple[int, int] | None:
    """Width and height from an image's first bytes (PNG, GIF, BMP, JPEG, WebP), else None."""
    if head.startswith(b"\x89PNG\r\n\x1a\n") and len(head) >= 24:
        return struct.unpack(">II", head[16:24])
    if head[:6] in (b"GIF87a", b"GIF89a") and len(head) >= 10:
        return struct.unpack("<HH", head[6:10])
    if head.startswith(b"BM") and len(head) >= 26:
        width, height = struct.unpack("<ii", head[18:26])
        return abs(width), abs(height)
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP" and head[12:16] == b"VP8X" and len(head) >= 30:
        return 1 + int.from_bytes(head[24:27], "little"), 1 + int.from_bytes(head[27:30], "little")
    if head.startswith(b"\xff\xd8"):
        return _jpeg_size(head)
    return None


def _jpeg_size(head: bytes) -> tuple[int, int] | None:
    at = 2
    while at + 9 <= len(head):
        if head[at] != 0xFF:
            return None
        marker = head[at + 1]
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7 or marker == 0xFF:
            at += 1 if marker == 0xFF else 2
            continue
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", head[at + 5:at + 9])
            return width, height
        at += 2 + struct.unpack(">H", head[at + 2:at + 4])[0]
    return None


# -- CSV ----------------------------------------------------------------------------


def _check_csv(data: bytes) -> None:
    """Rows × widest row, counted without keeping the rows. Commas, quotes and
    line ends are the same bytes in UTF-8 and GBK, and never part of another
    character there, so the file is split as Latin-1 (any bytes decode)."""
    rows = widest = 0
    try:
        for record in csv.reader(io.StringIO(data.decode("latin-1"), newline="")):
            rows += 1
            widest = max(widest, len(record))
    except csv.Error:
        return  # the importer reports a malformed file in its own words
    _at_most(rows * widest, MAX_CSV_CELLS, f"CSV 文件有 {rows:,} 行、最宽的一行 {widest:,} 列（共 {rows * widest:,} 个单元格）",
             "行数 × 列数上限为 {} 个单元格")
