"""The GB/T 9704-2012 (党政机关公文格式) numbers, in one place.

The Word exporter (export_docx.py) reads them from here; the print stylesheet
(docs/assets/css/report.css) cannot import Python, so tests/test_gbt9704.py
checks that every number written there is the one computed here.
"""

from __future__ import annotations

import math

MM_PER_INCH = 25.4
PT_PER_INCH = 72
TWIPS_PER_PT = 20

PAGE_MM = (210, 297)  # A4, portrait
# Margins: top 37 (天头), right 26, bottom 35, left 28 (订口) mm.
MARGIN_TOP_MM, MARGIN_RIGHT_MM, MARGIN_BOTTOM_MM, MARGIN_LEFT_MM = 37, 26, 35, 28
TEXT_WIDTH_MM = PAGE_MM[0] - MARGIN_LEFT_MM - MARGIN_RIGHT_MM  # 156
TEXT_HEIGHT_MM = PAGE_MM[1] - MARGIN_TOP_MM - MARGIN_BOTTOM_MM  # 225

LINES_PER_PAGE, CHARS_PER_LINE = 22, 28
BODY_PT = 16  # 3号 仿宋
TITLE_PT = 22  # 2号 小标宋
PAGE_NUMBER_PT = 14  # 4号 宋体
TABLE_PT = 10.5  # 五号: the annex table
TRACE_PT = 9  # the small print under the signature
INDENT_CHARS = 2
PAGE_NUMBER_BELOW_MM = 7  # page number this far below the text block

# The annex table's landscape pages: the portrait margins turned with the paper.
WIDE_MARGINS_MM = (28, 35, 26, 37)  # top, right, bottom, left


def mm_to_pt(mm: float) -> float:
    return mm / MM_PER_INCH * PT_PER_INCH


TEXT_WIDTH_PT = mm_to_pt(TEXT_WIDTH_MM)  # ≈ 442.2 pt
TEXT_HEIGHT_PT = mm_to_pt(TEXT_HEIGHT_MM)  # ≈ 637.8 pt

# 28 characters of 16 pt are 448 pt, wider than the block: each character gives
# up this much (negative letter-spacing), about -0.21 pt.
LETTER_SPACING_PT = (TEXT_WIDTH_PT - CHARS_PER_LINE * BODY_PT) / CHARS_PER_LINE

# Word counts in twips (1/20 pt) and rounds the line pitch itself; 22 lines
# must not exceed the block (580 × 22 = 12,760 > 12,756 gives 21 lines in
# LibreOffice), so both are rounded down.
TEXT_HEIGHT_TWIPS = math.floor(TEXT_HEIGHT_PT * TWIPS_PER_PT)  # 12,755
LINE_PITCH_TWIPS = TEXT_HEIGHT_TWIPS // LINES_PER_PAGE  # 579
LETTER_SPACING_TWIPS = math.floor(LETTER_SPACING_PT * TWIPS_PER_PT)  # -5: 28 × 15.75 pt fit in 442.2


def css_letter_spacing() -> str:
    """The CSS value, to two decimals: "-0.21pt"."""
    return f"{LETTER_SPACING_PT:.2f}pt"
