"""The GB/T 9704-2012 (党政机关公文格式) numbers, in one place.

The Word exporter (export_docx.py) reads them from here; the print stylesheet
(docs/assets/css/report.css) cannot import Python, so tests/test_gbt9704.py
checks that every number written there is the one computed here.
"""

from __future__ import annotations

import itertools
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


# --- title lines (7.3.3) -------------------------------------------------------------
#
# A title over one line breaks where the meaning stays whole and its lines
# are balanced, in a 梯形 or 菱形 shape. The page, the Chromium PDF and the
# docx all print the lines computed here (explicit breaks), so no renderer
# leaves "…党组关 / 于巡察…" or a one-character last line.

TITLE_CHARS_PER_LINE = int(TEXT_WIDTH_PT // TITLE_PT)  # 20 characters of 22 pt in 442.2 pt
MIN_TITLE_LINE = 3
# Words of the genre a title line never splits (besides the unit's and committee's names).
TITLE_WORDS = ("关于", "通报", "情况", "巡察", "整改", "报告", "方案", "反馈", "意见", "落实", "集中", "进展",
               "完成", "问题", "工作", "常规", "专项", "党组", "党委", "委员会")
_NO_LINE_START = "，。、；：？！”’）》」』】·…—"
_NO_LINE_END = "“‘（《「『【"
_BAD_START = "的之了"  # a line opening with a particle reads as a split word
_BAD_END = "第届"  # 第 | 五轮, 十五届 | …
_GOOD_START = ("关于",)  # 单位 / 关于……的报告: the classic break


def title_lines(title: str, names: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The title's lines: whole words, none shorter than 3 characters, as
    even as the words allow, shaped as a trapezoid or a diamond."""
    title = title.strip()
    width = TITLE_CHARS_PER_LINE
    if len(title) <= width:
        return (title,)
    allowed = _break_positions(title, names)
    first = -(-len(title) // width)
    for count in range(first, first + 3):
        best = _best_split(title, allowed, count, width)
        if best:
            return best
    return tuple(title[i:i + width] for i in range(0, len(title), width))  # no whole-word layout exists


def _break_positions(title: str, names: tuple[str, ...]) -> list[int]:
    inside: set[int] = set()
    for word in (*TITLE_WORDS, *(n for n in names if n and len(n) <= TITLE_CHARS_PER_LINE)):
        start = title.find(word)
        while start >= 0:
            inside.update(range(start + 1, start + len(word)))
            start = title.find(word, start + 1)
    for m in _runs(title):  # digits and Latin letters stay together
        inside.update(range(m[0] + 1, m[1]))
    return [i for i in range(MIN_TITLE_LINE, len(title) - MIN_TITLE_LINE + 1)
            if i not in inside and title[i] not in _NO_LINE_START and title[i - 1] not in _NO_LINE_END]


def _runs(title: str) -> list[tuple[int, int]]:
    runs, start = [], None
    for i, ch in enumerate(title + " "):
        if ch.isascii() and ch.isalnum():
            start = i if start is None else start
        elif start is not None:
            runs.append((start, i))
            start = None
    return runs


def _best_split(title: str, allowed: list[int], count: int, width: int) -> tuple[str, ...] | None:
    best, best_score = None, None
    for cuts in itertools.combinations(allowed, count - 1):
        bounds = (0, *cuts, len(title))
        lengths = [b - a for a, b in itertools.pairwise(bounds)]
        if max(lengths) > width or min(lengths) < MIN_TITLE_LINE or not _shaped(lengths):
            continue
        score = (max(lengths) - min(lengths)
                 + sum(3 * (title[c] in _BAD_START) + 3 * (title[c - 1] in _BAD_END)
                       + 3 * title.endswith(_GOOD_START, 0, c) - 2 * title.startswith(_GOOD_START, c)
                       for c in cuts))
        if best_score is None or score < best_score:
            best, best_score = cuts, score
    if best is None:
        return None
    bounds = (0, *best, len(title))
    return tuple(title[a:b] for a, b in itertools.pairwise(bounds))


def _shaped(lengths: list[int]) -> bool:
    """梯形 (lengths only grow or only shrink) or 菱形 (grow, then shrink)."""
    peak = lengths.index(max(lengths))
    rising = all(a <= b for a, b in itertools.pairwise(lengths[:peak + 1]))
    falling = all(a >= b for a, b in itertools.pairwise(lengths[peak:]))
    return rising and falling
