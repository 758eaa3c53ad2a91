"""The 整改报告 as a Word document in 公文 layout (GB/T 9704-2012).

It lays out ``report.build_report``'s ReportDoc, the same model the site's
report page prints, so Word and the web never say different things:

* A4; margins top 37, bottom 35, left 28, right 26 mm: a 156 × 225 mm text block;
* body 3号 (16 pt) 仿宋_GB2312, 22 lines of 28 characters: a line grid, each
  character narrowed by a negative spacing so that 28 fit (not docGrid
  charSpace: LibreOffice gives a 16 pt character two 15.79 pt cells, 14 a line);
* title 2号 (22 pt) 方正小标宋简体, centred, in gbt9704.title_lines' lines;
  一、 in 黑体, （一） in 楷体_GB2312; the 落款 kept with the body (keepNext);
* declared zh-CN, with a font table of these fonts (docx_locale);
* page numbers "— 1 —" in 4号 (14 pt) 宋体, odd pages right, even pages left.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import io
import re
import zipfile

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, Twips
from lxml import etree

from . import docx_locale
from . import gbt9704 as G
from .officezip import ZIP_LEVEL
from .reportdoc import Annex, Heading, Paragraph, ReportDoc

BODY_FONT = "仿宋_GB2312"
TITLE_FONT = "方正小标宋简体"
HEADING_FONTS = {1: "黑体", 2: "楷体_GB2312", 3: BODY_FONT, 4: BODY_FONT}
PAGE_NUMBER_FONT = "宋体"
BODY_SIZE = Pt(G.BODY_PT)
TITLE_SIZE = Pt(G.TITLE_PT)
PAGE_NUMBER_SIZE = Pt(G.PAGE_NUMBER_PT)
TABLE_SIZE = Pt(G.TABLE_PT)
TRACE_SIZE = Pt(G.TRACE_PT)
LINE_PITCH = Twips(G.LINE_PITCH_TWIPS)  # 28.95 pt: 22 lines fit the 225 mm block
INDENT = Pt(G.INDENT_CHARS * (G.BODY_PT + G.LETTER_SPACING_TWIPS / G.TWIPS_PER_PT))  # two characters


def render(doc: ReportDoc, *, author: str = "", built: dt.datetime | None = None) -> bytes:
    """The .docx; ``author`` is the unit, ``built`` the build time (now by default)."""
    document = Document()
    splices: list[str] = []
    _page_setup(document)
    _base_style(document)
    _title(document, doc.title_lines)
    body = list(doc.body())  # its last paragraph, the 附件说明 and the 落款 stay together (keep)
    _splice(document.element.body[-1], "".join(_block_xml(item, keep="next" if n == len(body) - 1 else "")
                                               for n, item in enumerate(body)), splices)
    if doc.annex_lines:
        _paragraph(document, "", keep=True)
    for n, line in enumerate(doc.annex_lines):
        if n == 0:
            _paragraph(document, line, keep=True)
        else:  # under the first annex's number, after "附件："
            _add_r(_add_p(document, _ppr(first_line=Pt(5 * 16), keep=True)), line, BODY_FONT)
    _signature(document, doc)
    if doc.trace:
        _trace(document, doc.trace_note)
    for n, annex in enumerate(doc.annexes, 1):
        _annex(document, annex, "附件" + (str(n) if len(doc.annexes) > 1 else ""), splices)
    _page_numbers(document)
    _properties(document, doc, author, built or dt.datetime.now(dt.UTC))
    data = io.BytesIO()
    document.save(data)
    return _spliced(data.getvalue(), splices)


def _properties(document, doc: ReportDoc, author: str, built: dt.datetime) -> None:
    """File properties Word, WPS and LibreOffice show: not python-docx's defaults
    (author "python-docx", created 2013, its own thumbnail). The trace note goes
    into the comments even when the page does not print it, so a sent copy
    still says which commit it came from."""
    props = document.core_properties
    props.title = doc.title
    props.author = props.last_modified_by = author
    props.created = props.modified = built.astimezone(dt.UTC).replace(tzinfo=None, microsecond=0)
    props.revision = 1
    props.comments = doc.trace_note
    props.keywords = f"commit {doc.commit}" if doc.commit else ""
    package = document.part.package
    for rid, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            package.rels.pop(rid)
    preview = document.settings.element.find(qn("w:savePreviewPicture"))
    if preview is not None:
        document.settings.element.remove(preview)


# -- page and styles ------------------------------------------------------------------


def _page_setup(document) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Mm(G.PAGE_MM[0]), Mm(G.PAGE_MM[1])
    section.top_margin, section.bottom_margin = Mm(G.MARGIN_TOP_MM), Mm(G.MARGIN_BOTTOM_MM)
    section.left_margin, section.right_margin = Mm(G.MARGIN_LEFT_MM), Mm(G.MARGIN_RIGHT_MM)
    section.footer_distance = Mm(21)  # the number sits about 7 mm below the text block
    section.header_distance = Mm(15)
    _document_grid(section, lines=True)


def _document_grid(section, *, lines: bool) -> None:
    """Word's 文档网格 as a line grid only (22 lines a page), or none.

    No character grid: see the module's docstring. The annex's section has
    no grid, or LibreOffice would put every 10.5 pt table line on a 29 pt
    grid line."""
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)
    for attr in list(grid.attrib):
        del grid.attrib[attr]
    grid.set(qn("w:type"), "lines" if lines else "default")
    grid.set(qn("w:linePitch"), str(G.LINE_PITCH_TWIPS))


def _base_style(document) -> None:
    style = document.styles["Normal"]
    _set_font(style.font, style.element, BODY_FONT, BODY_SIZE)
    lang = OxmlElement("w:lang")  # Chinese line-breaking rules, not the template's Japanese
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    style.element.get_or_add_rPr().append(lang)
    fmt = style.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = LINE_PITCH
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.widow_control = False  # 公文 fills every line; no orphan control gaps
    _asian_typography(style.element.get_or_add_pPr())


def _asian_typography(ppr) -> None:
    """Keep every character inside the 28-character line.

    Off: hanging punctuation (LibreOffice draws a comma hung past the line end
    as nothing at all) and the extra space Word and LibreOffice put between
    Chinese and digits or Latin letters, which pushes lines off the grid."""
    spacing = ppr.find(qn("w:spacing"))
    for tag in ("w:overflowPunct", "w:autoSpaceDE", "w:autoSpaceDN"):
        element = OxmlElement(tag)
        element.set(qn("w:val"), "0")
        spacing.addprevious(element)


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


def _title(document, lines: tuple[str, ...]) -> None:  # centred, broken where gbt9704.title_lines says
    p = _add_p(document, _ppr(align="center", line=Pt(35)))  # a two-line title still fits
    for n, line in enumerate(lines):
        r = _add_r(p, line, TITLE_FONT, TITLE_SIZE)
        if n:
            r.insert(1, OxmlElement("w:br"))  # after the run's properties, before its text
    _paragraph(document, "")  # one empty line between title and body


def _block_xml(item: Heading | Paragraph, keep: bool | str = False) -> str:
    ppr = _ppr(first_line=INDENT, align="both", keep=keep)
    if isinstance(item, Heading):
        return _p_xml(ppr, _run_xml(item.full, HEADING_FONTS[item.level]))
    runs = _run_xml(item.lead.full, HEADING_FONTS[item.lead.level]) if item.lead else ""
    return _p_xml(ppr, runs + (_run_xml(item.text, BODY_FONT) if item.text else ""))


def _paragraph(document, text: str, *, align: str | None = None, right=None, keep: bool = False):
    p = _add_p(document, _ppr(first_line=None if align else INDENT, align=align, right=right, keep=keep))
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


# The body's blocks and the annex's rows, thousands for a large ledger, are
# written as XML text, the same text _add_p and _add_r's elements serialise to,
# and spliced into the saved document.xml in place of a comment: making each
# element through lxml's Python API (or parsing the text and serialising it
# again) was most of the time of four 11 MB documents per build.
_NAMESPACES = re.compile(r' xmlns:\w+="[^"]*"')
_DOCUMENT_PART = "word/document.xml"
# Characters XML 1.0 cannot hold, which lxml refuses when text is set through its API.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _markup(element) -> str:
    """An element's XML without namespace declarations, to splice into a fragment."""
    return _NAMESPACES.sub("", etree.tostring(element, encoding="unicode"))


@functools.cache
def _run_parts(font: str, points: float) -> tuple[str, str]:
    """A run's XML before and after its text, as _add_r makes it."""
    p = OxmlElement("w:p")
    _add_r(p, "\ue000", font, Pt(points))
    before, after = _markup(p[0]).split("\ue000")
    return before, after


def _run_xml(text: str, font: str, size=BODY_SIZE) -> str:
    before, after = _run_parts(font, size.pt)
    # As lxml writes text; str.replace is many times faster than str.translate.
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    return before + text + after


@functools.cache
def _ppr_xml(ppr) -> str:
    return _markup(ppr)


def _p_xml(ppr, runs: str) -> str:
    return "<w:p>" + _ppr_xml(ppr) + runs + "</w:p>"


def _splice(anchor, xml: str, splices: list[str], *, inside: bool = False) -> None:
    """Put ``xml`` before ``anchor`` (or at the end of it, ``inside``) in the
    saved document: a numbered comment now, replaced by _spliced."""
    bad = _NOT_XML.search(xml)
    if bad:
        raise ValueError(f"All strings must be XML compatible: character U+{ord(bad.group()):04X}")
    marker = etree.Comment(_marker_text(len(splices)))
    splices.append(xml)
    if inside:
        anchor.append(marker)
    else:
        anchor.addprevious(marker)


def _marker_text(n: int) -> str:
    return f"ledger-splice-{n}"


def _spliced(data: bytes, splices: list[str]) -> bytes:
    """The saved .docx with each splice's comment replaced by its XML, and
    declared Chinese (docx_locale); the zip entries' order and settings as
    python-docx wrote them."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as saved, zipfile.ZipFile(out, "w") as result:
        for info in saved.infolist():
            blob = saved.read(info)
            if info.filename == _DOCUMENT_PART:
                text = blob.decode("utf-8")
                for n, xml in enumerate(splices):
                    text = text.replace(f"<!--{_marker_text(n)}-->", xml, 1)
                blob = text.encode("utf-8")
            blob = docx_locale.rewrite(info.filename, blob)
            result.writestr(info, blob, compresslevel=ZIP_LEVEL)
    return out.getvalue()


@functools.cache
def _rpr(font: str, points: float):
    rpr = OxmlElement("w:rPr")
    fonts = OxmlElement("w:rFonts")
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), font)
    rpr.append(fonts)
    if points == G.BODY_PT:  # body-size text sits on the 28-character line
        spacing = OxmlElement("w:spacing")
        spacing.set(qn("w:val"), str(G.LETTER_SPACING_TWIPS))
        rpr.append(spacing)
    for tag in ("w:sz", "w:szCs"):
        size = OxmlElement(tag)
        size.set(qn("w:val"), str(round(points * 2)))  # half-points
        rpr.append(size)
    return rpr


@functools.cache
def _ppr(*, first_line=None, align: str | None = None, right=None, left=None, line=None, before=None,
         keep: bool | str = False):
    """Paragraph properties, children in schema order; ``keep``: whole, with the next one ("next": its last lines)."""
    ppr = OxmlElement("w:pPr")
    if keep:
        ppr.append(OxmlElement("w:keepNext"))
        ppr.extend([OxmlElement("w:keepLines")] if keep is True else [])
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
    _paragraph(document, "", keep=True)
    _paragraph(document, "", keep=True)
    offset = (_width(date) - _width(doc.signature_unit)) / 2
    _paragraph(document, doc.signature_unit, align="right", right=Pt(max(0.0, 4 * 16 + offset)), keep=True)
    _paragraph(document, date, align="right", right=Pt(4 * 16), keep=doc.trace)  # the trace line goes along


def _trace(document, note: str) -> None:
    """Small print under the signature, as on the report page: where the figures come from."""
    p = _add_p(document, _ppr(line=Pt(TRACE_SIZE.pt * 1.5), before=Pt(TRACE_SIZE.pt * 2)))
    _add_r(p, note, BODY_FONT, TRACE_SIZE)


def _width(text: str) -> float:
    """Printed width in points at 16 pt: half-width digits take half a character."""
    return sum(8.0 if ord(c) < 0x2E80 else 16.0 for c in text)


# -- annex -------------------------------------------------------------------------------


def _annex(document, annex: Annex, label: str, splices: list[str]) -> None:
    section = document.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE  # a wide table reads better across the page
    section.page_width, section.page_height = Mm(G.PAGE_MM[1]), Mm(G.PAGE_MM[0])
    top, right, bottom, left = G.WIDE_MARGINS_MM
    section.top_margin, section.bottom_margin = Mm(top), Mm(bottom)
    section.left_margin, section.right_margin = Mm(left), Mm(right)
    _document_grid(section, lines=False)
    _add_r(_add_p(document, _ppr()), label, HEADING_FONTS[1])
    _add_r(_add_p(document, _ppr(align="center")), annex.title, TITLE_FONT, TITLE_SIZE)
    table = document.add_table(rows=1, cols=len(annex.columns))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _column_widths(table, annex.columns, Mm(G.PAGE_MM[1] - left - right))
    # A row stays on one page, as on the printed web page (break-inside: avoid).
    table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    # An empty row, before the header's marks: each cell's empty <w:p/> gets the value.
    empty_cells = _markup(table.rows[0]._tr).split("<w:p/>")
    for cell, name in zip(table.rows[0].cells, annex.columns, strict=True):
        _cell(cell._tc, name, HEADING_FONTS[1])
    _repeat_header(table.rows[0])
    _splice(table._tbl, "".join(_row_xml(empty_cells, values) for values in annex.rows), splices, inside=True)


def _row_xml(empty_cells: list[str], values) -> str:
    cell_ppr = _ppr(line=Pt(TABLE_SIZE.pt * 1.3))
    parts = [empty_cells[0]]
    for value, after in zip(values, empty_cells[1:], strict=True):
        parts += (_p_xml(cell_ppr, _run_xml(value, BODY_FONT, TABLE_SIZE)), after)
    return "".join(parts)


# Widths of the short annex columns in mm, each wide enough for its header word
# and its usual values on one line at 10.5 pt (a date like "2023年12月31日"
# takes 34 mm with the cell's padding in LibreOffice's fallback fonts, whose
# digits are wider; six characters 26 mm); the problem's title takes the rest.
_COLUMN_MM = {"序号": 12, "问题方面": 29, "责任部门": 22, "责任领导": 24, "整改时限": 35,
              "完成时间": 35, "整改状态": 18}
_CELL_PADDING = Mm(1)  # left and right; Table Grid's 1.9 mm would cost 4 mm a column


def _column_widths(table, columns, total) -> None:
    """Fixed column widths: LibreOffice, like Word, otherwise sizes columns by
    their content and may leave 整改状态 one character wide."""
    fixed = [Mm(_COLUMN_MM[name]) if name in _COLUMN_MM else None for name in columns]
    rest = (total - sum(w for w in fixed if w)) // max(1, fixed.count(None))
    widths = [w or rest for w in fixed]
    table.autofit = False  # w:tblLayout fixed
    margins = OxmlElement("w:tblCellMar")
    for side in ("w:left", "w:right"):
        margin = OxmlElement(side)
        margin.set(qn("w:w"), str(_CELL_PADDING.twips))
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    table._tbl.tblPr.find(qn("w:tblLayout")).addnext(margins)
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
