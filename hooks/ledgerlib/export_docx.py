"""The 整改报告 as a Word document in 公文 layout (GB/T 9704-2012).

It lays out ``report.build_report``'s ReportDoc, the same model the site's
report page prints, so Word and the web never say different things:

* A4; margins top 37, bottom 35, left 28, right 26 mm: a 156 × 225 mm text block;
* body 3号 (16 pt) 仿宋_GB2312, 22 lines of 28 characters: a Word document
  grid with a fixed line pitch, which is how offices set it up themselves;
* title 2号 (22 pt) 方正小标宋简体, centred; 一、 in 黑体, （一） in 楷体_GB2312;
* page numbers "— 1 —" in 4号 (14 pt) 宋体, odd pages right, even pages left.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import io

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from .aggregate import standing
from .model import Ledger
from .report import Annex, Heading, Paragraph, ReportDoc, build_report

BODY_FONT = "仿宋_GB2312"
TITLE_FONT = "方正小标宋简体"
HEADING_FONTS = {1: "黑体", 2: "楷体_GB2312", 3: BODY_FONT, 4: BODY_FONT}
PAGE_NUMBER_FONT = "宋体"
BODY_SIZE = Pt(16)  # 3号
TITLE_SIZE = Pt(22)  # 2号
PAGE_NUMBER_SIZE = Pt(14)  # 4号
TABLE_SIZE = Pt(10.5)  # 五号, for the annex table
TRACE_SIZE = Pt(9)  # the small print under the signature, as the printed page has it
TEXT_WIDTH_MM, TEXT_HEIGHT_MM = 156, 225
LINES_PER_PAGE, CHARS_PER_LINE = 22, 28
LINE_PITCH = Pt(TEXT_HEIGHT_MM / 25.4 * 72 / LINES_PER_PAGE)  # ≈ 28.99 pt
INDENT = Pt(32)  # two characters


def to_docx(ledger: Ledger, *, today: dt.date | None = None, commit: str | None = None,
            dirty: bool = False) -> bytes:
    """The Word report on its own; ``today`` stands in for a missing cut-off date."""
    return render(build_report(ledger, standing(ledger, today=today), commit=commit, dirty=dirty))


def render(doc: ReportDoc) -> bytes:
    document = Document()
    _page_setup(document)
    _base_style(document)
    _title(document, doc.title)
    for item in doc.body():
        _block(document, item)
    if doc.annex_note:
        _paragraph(document, "")
        _paragraph(document, doc.annex_note)
    _signature(document, doc)
    _trace(document, doc.trace_note)
    if doc.annex:
        _annex(document, doc.annex)
    _page_numbers(document)
    document.core_properties.title = doc.title
    document.core_properties.comments = doc.trace_note
    data = io.BytesIO()
    document.save(data)
    return data.getvalue()


# -- page and styles ------------------------------------------------------------------


def _page_setup(document) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(21)  # the number sits about 7 mm below the text block
    section.header_distance = Mm(15)
    _document_grid(section)


def _document_grid(section) -> None:
    """Word's 文档网格: 22 lines and 28 characters per line, as 公文 templates set it."""
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)
    pitch_pt = TEXT_WIDTH_MM / 25.4 * 72 / CHARS_PER_LINE  # ≈ 15.79 pt per character
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(round(LINE_PITCH.pt * 20)))
    # charSpace: 1/4096 pt added to the font size (16 pt) per character.
    grid.set(qn("w:charSpace"), str(round((pitch_pt - BODY_SIZE.pt) * 4096)))


def _base_style(document) -> None:
    style = document.styles["Normal"]
    _set_font(style.font, style.element, BODY_FONT, BODY_SIZE)
    fmt = style.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = LINE_PITCH
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.widow_control = False  # 公文 fills every line; no orphan control gaps


def _set_font(font, element, name: str, size) -> None:
    """Set a font for Latin and Chinese text: Word keeps them apart (w:eastAsia)."""
    font.name = name
    font.size = size
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)


# -- body --------------------------------------------------------------------------
#
# Paragraphs and runs are written as raw XML from cached property elements:
# python-docx's property setters cost about a millisecond per run, which made a
# 2,000-problem report take a minute.


def _title(document, title: str) -> None:
    p = _add_p(document, _ppr(align="center", line=Pt(35)))  # a two-line title still fits
    _add_r(p, title, TITLE_FONT, TITLE_SIZE)
    _paragraph(document, "")  # one empty line between title and body


def _block(document, item: Heading | Paragraph) -> None:
    p = _add_p(document, _ppr(first_line=INDENT, align="both"))
    if isinstance(item, Heading):
        _add_r(p, item.full, HEADING_FONTS[item.level])
        return
    if item.lead:
        _add_r(p, item.lead.full, HEADING_FONTS[item.lead.level])
    if item.text:
        _add_r(p, item.text, BODY_FONT)


def _paragraph(document, text: str, *, align: str | None = None, right=None):
    p = _add_p(document, _ppr(first_line=None if align else INDENT, align=align, right=right))
    if text:
        _add_r(p, text, BODY_FONT)
    return p


def _add_p(document, ppr):
    """A new paragraph at the end of the body (before its final section properties)."""
    p = OxmlElement("w:p")
    p.append(copy.deepcopy(ppr))
    document.element.body[-1].addprevious(p)
    return p


def _add_r(p, text: str, font: str, size=BODY_SIZE):
    r = OxmlElement("w:r")
    r.append(copy.deepcopy(_rpr(font, size.pt)))
    t = OxmlElement("w:t")
    t.set(qn("xml:space"), "preserve")
    t.text = text
    r.append(t)
    p.append(r)
    return r


@functools.cache
def _rpr(font: str, points: float):
    rpr = OxmlElement("w:rPr")
    fonts = OxmlElement("w:rFonts")
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), font)
    rpr.append(fonts)
    for tag in ("w:sz", "w:szCs"):
        size = OxmlElement(tag)
        size.set(qn("w:val"), str(round(points * 2)))  # half-points
        rpr.append(size)
    return rpr


@functools.cache
def _ppr(*, first_line=None, align: str | None = None, right=None, left=None, line=None, before=None):
    """Paragraph properties; children in the order the schema requires."""
    ppr = OxmlElement("w:pPr")
    if line is not None or before is not None:
        spacing = OxmlElement("w:spacing")
        if before is not None:
            spacing.set(qn("w:before"), str(before.twips))
        if line is not None:
            spacing.set(qn("w:line"), str(line.twips))
            spacing.set(qn("w:lineRule"), "exact")
        ppr.append(spacing)
    if first_line is not None or right is not None or left is not None:
        ind = OxmlElement("w:ind")
        for attr, value in (("w:firstLine", first_line), ("w:right", right), ("w:left", left)):
            if value is not None:
                ind.set(qn(attr), str(value.twips))
        ppr.append(ind)
    if align:
        jc = OxmlElement("w:jc")
        jc.set(qn("w:val"), align)
        ppr.append(jc)
    return ppr


def _signature(document, doc: ReportDoc) -> None:
    """Date four characters in from the right; the unit centred over the date."""
    date = doc.signature_date_text
    _paragraph(document, "")
    _paragraph(document, "")
    offset = (_width(date) - _width(doc.signature_unit)) / 2
    _paragraph(document, doc.signature_unit, align="right", right=Pt(max(0.0, 4 * 16 + offset)))
    _paragraph(document, date, align="right", right=Pt(4 * 16))


def _trace(document, note: str) -> None:
    """Small print under the signature, as on the report page: where the figures come from."""
    p = _add_p(document, _ppr(line=Pt(TRACE_SIZE.pt * 1.5), before=Pt(TRACE_SIZE.pt * 2)))
    _add_r(p, note, BODY_FONT, TRACE_SIZE)


def _width(text: str) -> float:
    """Printed width in points at 16 pt: half-width digits take half a character."""
    return sum(8.0 if ord(c) < 0x2E80 else 16.0 for c in text)


# -- annex -------------------------------------------------------------------------------


def _annex(document, annex: Annex) -> None:
    section = document.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE  # a wide table reads better across the page
    section.page_width, section.page_height = Mm(297), Mm(210)
    section.top_margin, section.bottom_margin = Mm(28), Mm(26)
    section.left_margin, section.right_margin = Mm(37), Mm(35)
    _add_r(_add_p(document, _ppr()), "附件", HEADING_FONTS[1])
    _add_r(_add_p(document, _ppr(align="center")), annex.title, TITLE_FONT, TITLE_SIZE)
    table = document.add_table(rows=1, cols=len(annex.columns))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _column_widths(table, annex.columns, Mm(297 - 37 - 35))
    template = copy.deepcopy(table.rows[0]._tr)  # an empty row, before the header's marks
    for cell, name in zip(table.rows[0].cells, annex.columns, strict=True):
        _cell(cell._tc, name, HEADING_FONTS[1])
    _repeat_header(table.rows[0])
    for values in annex.rows:
        tr = copy.deepcopy(template)
        for tc, value in zip(tr.findall(qn("w:tc")), values, strict=True):
            _cell(tc, value, BODY_FONT)
        table._tbl.append(tr)


# Relative widths of the annex columns; the problem column takes what is left.
_COLUMN_WEIGHTS = {"序号": 1.0, "问题方面": 3.0, "责任部门": 2.5, "责任领导": 2.5, "整改时限": 2.2,
                   "完成时间": 2.2, "整改状态": 1.8}
_OTHER_WEIGHT = 8.0


def _column_widths(table, columns, total) -> None:
    weights = [_COLUMN_WEIGHTS.get(name, _OTHER_WEIGHT) for name in columns]
    widths = [int(total * w / sum(weights)) for w in weights]
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width  # the table grid
    for cell, width in zip(table.rows[0].cells, widths, strict=True):
        cell.width = width  # and the cells, which Word prefers


def _cell(tc, text: str, font: str) -> None:
    p = tc.find(qn("w:p"))
    p.append(copy.deepcopy(_ppr(line=Pt(TABLE_SIZE.pt * 1.3))))
    _add_r(p, text, font, TABLE_SIZE)


def _repeat_header(row) -> None:
    props = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    props.append(header)


# -- page numbers -----------------------------------------------------------------------


def _page_numbers(document) -> None:
    """"— 1 —": odd pages at the right, even pages at the left, one character in."""
    document.settings.odd_and_even_pages_header_footer = True
    for section in document.sections:
        section.footer.is_linked_to_previous = False
        section.even_page_footer.is_linked_to_previous = False
        _page_number(section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT)
        _page_number(section.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)


def _page_number(paragraph, alignment) -> None:
    paragraph.alignment = alignment
    fmt = paragraph.paragraph_format
    fmt.first_line_indent = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    if alignment == WD_ALIGN_PARAGRAPH.RIGHT:
        fmt.right_indent = PAGE_NUMBER_SIZE
    else:
        fmt.left_indent = PAGE_NUMBER_SIZE
    _add_r(paragraph._p, "— ", PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)
    _field(paragraph._p, "PAGE", "1", PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)
    _add_r(paragraph._p, " —", PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)


def _field(p, instruction: str, placeholder: str, font: str, size) -> None:
    """A Word field: begin, instruction, separate, cached result, end; one run each."""
    def run_with(child):
        r = _add_r(p, "", font, size)
        r.remove(r.find(qn("w:t")))
        r.append(child)

    def char(kind: str):
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        return element

    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    run_with(char("begin"))
    run_with(text)
    run_with(char("separate"))
    _add_r(p, placeholder, font, size)
    run_with(char("end"))
