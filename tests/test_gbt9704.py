"""One source for the GB/T 9704 numbers: ledgerlib.gbt9704 feeds the .docx, and
the print stylesheet (which cannot import Python) must say the same."""

from __future__ import annotations

import re

from conftest import REPO, read
from ledgerlib import gbt9704 as G

CSS = read(REPO / "docs/assets/css/report.css")


def rule(selector: str) -> str:
    """The declarations of the first rule whose selector is exactly ``selector``."""
    match = re.search(r"(?:^|[}\s])" + re.escape(selector) + r"\s*\{([^{}]*)\}", CSS, re.M)
    assert match, selector
    return match.group(1)


def test_page_geometry_is_the_modules():
    assert G.TEXT_WIDTH_MM == 156 and G.TEXT_HEIGHT_MM == 225
    margins = f"{G.MARGIN_TOP_MM}mm {G.MARGIN_RIGHT_MM}mm {G.MARGIN_BOTTOM_MM}mm {G.MARGIN_LEFT_MM}mm"
    assert f"margin: {margins};" in rule("@page gongwen")
    top, right, bottom, left = G.WIDE_MARGINS_MM
    assert f"margin: {top}mm {right}mm {bottom}mm {left}mm;" in rule("@page gongwen-wide")


def test_grid_numbers_are_the_modules():
    assert f"--gw-pitch: calc({G.TEXT_HEIGHT_MM}mm / {G.LINES_PER_PAGE});" in CSS
    assert f"--gw-ls: {G.css_letter_spacing()};" in CSS and G.css_letter_spacing() == "-0.21pt"
    # Word's grid: 22 lines of 579 twips fit 225 mm (12,755 twips); 28 characters
    # of 16 pt less 0.25 pt fit 156 mm.
    assert G.LINES_PER_PAGE * G.LINE_PITCH_TWIPS <= G.TEXT_HEIGHT_TWIPS < G.TEXT_HEIGHT_PT * 20 + 1
    width = G.CHARS_PER_LINE * (G.BODY_PT + G.LETTER_SPACING_TWIPS / 20)
    assert width <= G.TEXT_WIDTH_PT < width + G.BODY_PT


def test_type_sizes_are_the_modules():
    assert f"font-size: {G.BODY_PT}pt;" in CSS
    assert CSS.count(f"font-size: {G.TITLE_PT}pt;") == 2  # title, annex title
    assert CSS.count(f"font-size: {G.PAGE_NUMBER_PT}pt;") == 4  # four page-number boxes
    assert CSS.count(f"padding-top: {G.PAGE_NUMBER_BELOW_MM}mm;") == 4
    assert f"font-size: {G.TABLE_PT}pt;" in CSS and f"font-size: {G.TRACE_PT}pt;" in CSS
