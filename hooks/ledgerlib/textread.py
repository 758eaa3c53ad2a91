"""The genre's writing rules read backwards: ``genre`` writes, this module reads.

Heading numbers (一、 （一） 1. （1））, Chinese dates (2023年6月30日, also
二〇二三年六月三十日 and the forms a table cell takes), sentences, and the
statuses a sentence or a cell states. The report importer, the 台账 importer
and the report builder (a heading number typed by hand) all read them here;
``tests/test_textread.py`` feeds each writer's output to its reader.
"""

from __future__ import annotations

import datetime as dt
import re

from .constants import NEW_LEDGER_STATUSES, StatusKey
from .genre import STATUS_WORDINGS, stated_statuses

CN_NUMERALS = "一二三四五六七八九十"
_N = CN_NUMERALS
# genre.heading_number's four levels, in any punctuation width and spacing a
# typist uses: 一、 (also 一. 一，), （一）, 1. (also 1、 1) 1．), （1）.
_HEADINGS = (
    (1, re.compile(rf"^\s*([{_N}]{{1,3}})\s*[、.．，,]\s*(.*)$", re.S)),
    (2, re.compile(rf"^\s*[（(]\s*([{_N}]{{1,3}})\s*[)）]\s*(.*)$", re.S)),
    (3, re.compile(r"^\s*(\d{1,4})\s*(?:[.．、]|[)）])\s*(.*)$", re.S)),
    (4, re.compile(r"^\s*[（(]\s*(\d{1,4})\s*[)）]\s*(.*)$", re.S)),
)
_CN_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"○": 0, "零": 0}


def chinese_value(numeral: str) -> int | None:
    """genre.chinese_number read back: 一 → 1, 十 → 10, 十二 → 12, 九十九 → 99."""
    if not numeral or any(c not in _CN_DIGITS and c != "十" for c in numeral):
        return None
    if "十" not in numeral:
        return _CN_DIGITS[numeral] if len(numeral) == 1 else None
    tens, _, ones = numeral.partition("十")
    if len(tens) > 1 or len(ones) > 1 or "十" in ones:
        return None
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)


def read_heading(text: str) -> tuple[int, int, str] | None:
    """genre.heading_number read back: (level, number, the words after it), or None."""
    for level, pattern in _HEADINGS:
        if m := pattern.match(text):
            number = int(m[1]) if level > 2 else chinese_value(m[1])
            if number:
                return level, number, m[2]
    return None


def strip_heading_number(text: str) -> str:
    """A heading without the number typed before it (the outputs number it themselves)."""
    heading = read_heading(text)
    return heading[2] if heading else text.strip()


def numbered_heading(text: str) -> str | None:
    """The words of a heading numbered "一、" or "（一）", or None. A level-1
    number must be followed by words ("一、" alone is not a heading)."""
    heading = read_heading(text)
    if heading is None or heading[0] > 2 or (heading[0] == 1 and not heading[2].strip()):
        return None
    return heading[2]


def heading_number_only(text: str) -> bool:
    """A cell holding only a category's number: 一, 一、, （一）."""
    heading = read_heading(text)
    if heading is not None:
        return heading[0] <= 2 and not heading[2]
    return chinese_value(text.strip()) is not None and len(text.strip()) <= 3


# -- dates -------------------------------------------------------------------------------

_YMD = re.compile(r"^(\d{4})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})\s*日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$")


def read_date(text: str) -> dt.date | None:
    """genre.chinese_date read back (2023年6月30日), and the other ways a day
    is written by hand: 二〇二三年六月三十日, 2023-06-30, 2023.6.30, 2023/6/30."""
    m = _YMD.match(_cn_numerals_to_digits(text.strip()))
    if not m:
        return None
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def _cn_numerals_to_digits(text: str) -> str:
    if not re.search(r"[〇○零一二三四五六七八九十]", text):
        return text
    text = re.sub(r"[〇○零一二三四五六七八九]{4}(?=\s*年)", lambda m: "".join(str(_CN_DIGITS[c]) for c in m[0]), text)
    return re.sub(r"[一二三四五六七八九十]{1,3}(?=\s*[月日])", lambda m: str(chinese_value(m[0]) or m[0]), text)


# -- sentences -----------------------------------------------------------------------------

# A sentence ends at 。！？ or a half-width full stop that is not a decimal point.
_SENTENCE_END = re.compile(r"[。！？!?]|(?<!\d)\.|\.(?!\d)")
TRAILING_PUNCT = "。；;，,.．：:！!？? "


def sentences(text: str) -> list[str]:
    """Split after each sentence end, keeping the punctuation (genre.with_stop's stop)."""
    parts, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        parts.append(text[start:m.end()])
        start = m.end()
    if start < len(text):
        parts.append(text[start:])
    return [p for p in parts if p.strip()]


def strip_trailing(text: str) -> str:
    return text.rstrip(TRAILING_PUNCT)


_OPENING_QUOTES = {"“": "”", "‘": "’", "「": "」", "『": "』"}
_SEPARATORS = "、，,；;"


def split_outside_quotes(text: str) -> list[str]:
    """Items of an enumeration ("“党建”方面3项、“作风”方面2项"), split at
    、，, outside quotes of any width. A half-width " both opens and closes."""
    items, stack, current = [], [], ""
    for ch in text:
        if stack and ch == stack[-1]:
            stack.pop()
        elif ch in _OPENING_QUOTES:
            stack.append(_OPENING_QUOTES[ch])
        elif ch == '"':
            stack.append(ch)
        elif ch in _SEPARATORS and not stack:
            items.append(current.strip())
            current = ""
            continue
        current += ch
    if current.strip():
        items.append(current.strip())
    return items


# -- statuses --------------------------------------------------------------------------------

# A status sentence talks about "this problem" or "now"; without such a subject
# an ending like "…确保已整改到位。" is part of the measures.
_STATUS_SUBJECT = re.compile(r"^(目前|当前|现已|截至|截止|此项|该项|本项|该问题|此问题|本问题|这一问题|上述问题)|此项|该项|该问题|本问题")
_STATUS_MAX_LEN = 50
# The labels an imported ledger's statuses carry (constants.NEW_LEDGER_STATUSES).
LEDGER_LABELS = {s["label"]: s["key"] for s in NEW_LEDGER_STATUSES}
# A cell that is a status and nothing more: a label or a report wording.
EXACT_STATUS = {w for _, words in STATUS_WORDINGS for w in words} | set(LEDGER_LABELS) | {"是", "否"}
# The sentences an imported ledger's statuses print: read back as their own
# status (基本完成's sentence is ``mostly``, though 基本完成 in other words is doing).
_LEDGER_SENTENCES = {s["sentence"]: s["key"] for s in NEW_LEDGER_STATUSES}


def status_of(sentence: str) -> str | None:
    """The status key a sentence like "目前，此项问题已整改完毕。" states, or None."""
    text = sentence.strip()
    if text in _LEDGER_SENTENCES:
        return _LEDGER_SENTENCES[text]
    if len(text) > _STATUS_MAX_LEN or not _STATUS_SUBJECT.search(text):
        return None
    return next(iter(stated_statuses(text)), None)


def status_of_cell(text: str) -> str | None:
    """The status key a table cell (完成情况/整改状态) states: a label such as
    已完成, or a wording anywhere in a longer progress text; None if neither."""
    text = strip_trailing(text.strip())
    if not text:
        return None
    if text in ("是", "已"):  # a 是否完成 column
        return StatusKey.DONE
    if text in ("否", "未") or re.match(r"^(尚未|未|没有)(完成|整改到位|整改完毕)", text):
        return StatusKey.DOING
    return next(iter(stated_statuses(text)), None)
