"""The genre's writing rules, each written once.

A rectification report (整改报告) follows fixed conventions: how headings are
numbered (一、 （一） 1. （1）), how a date is written (2023年3月31日), how a
problem's title runs into its text ("1.标题。问题…"), which words say a
problem is closed. Every output (site pages, the report page and its PDF,
xlsx, csv, docx) and the importer take these rules from here, so that no two
outputs can word the same problem differently.
"""

from __future__ import annotations

import datetime as dt
import re

from .constants import StatusKey

_DIGITS = "〇一二三四五六七八九"
# Punctuation that may end a run-in heading: then no full stop is added.
CLOSING_PUNCT = "。；！？：，.;!?:"

# --- numbers and dates ---------------------------------------------------------


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 99 → 九十九."""
    if not 0 < n < 100:
        return str(n)
    tens, ones = divmod(n, 10)
    if tens == 0:
        return _DIGITS[ones]
    return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")


def heading_number(level: int, n: int) -> str:
    """The number of the ``n``-th heading at ``level``: 一、 （一） 1. （1）."""
    if level == 1:
        return f"{chinese_number(n)}、"
    if level == 2:
        return f"（{chinese_number(n)}）"
    if level == 3:
        return f"{n}."
    return f"（{n}）"


def chinese_date(day: dt.date) -> str:
    """2023-06-30 → 2023年6月30日 (GB/T 9704: no leading zeros)."""
    return f"{day.year}年{day.month}月{day.day}日"


# --- run-in headings -------------------------------------------------------------


def with_stop(text: str) -> str:
    """A run-in heading ends with a full stop unless its author gave punctuation."""
    text = text.strip()
    return text if not text or text[-1] in CLOSING_PUNCT else text + "。"


def opens_with(text: str, title: str) -> bool:
    """``text`` starts with ``title`` as a whole phrase: followed by punctuation or nothing.

    "会议纪要缺失。" does not open with the title "会议" (the word goes on),
    but "党支部分工不明确；…" opens with "党支部分工不明确".
    """
    if not title or not text.startswith(title):
        return False
    rest = text[len(title):]
    return not rest or rest[0] in CLOSING_PUNCT or title[-1] in CLOSING_PUNCT


def problem_lead(title: str, first_paragraph: str) -> str:
    """The run-in heading before a problem's text: "标题。", or "" when the
    text already opens with its title (printed once, not "标题。标题；")."""
    title = title.strip()
    return "" if opens_with(first_paragraph, title) else with_stop(title)


def problem_opening(title: str, paragraphs: list[str]) -> list[str]:
    """A problem's paragraphs with the title run into the first one, as the
    report prints them after the number: ["会议。会议纪要缺失。", …]."""
    first, *rest = paragraphs or [""]
    return [problem_lead(title, first) + first, *rest]


def problem_paragraphs(title: str, opening: list[str]) -> list[str]:
    """``problem_opening`` read backwards, knowing the title: the problem's own
    paragraphs. The lead "标题。" is dropped where problem_opening would have
    put it there (the rest does not open with the title itself, and is not
    empty); otherwise the text opened with its title and is kept whole.

    One case prints alike both ways: a text that itself opens with "标题。"
    and goes on. It reads back without that sentence, as the report importer
    reads "1.标题。问题…", printing the same; the workbook's 问题描述即原文
    column (export.AS_TYPED_COLUMN) says where the text really starts.
    """
    first, *rest = opening or [""]
    lead = with_stop(title)
    body = first[len(lead):] if lead and first.startswith(lead) else ""
    if body and not opens_with(body, title.strip()):
        return [body, *rest]
    return list(opening)


# --- quotation marks ----------------------------------------------------------------

_QUOTES = {"“": 1, "”": -1, "‘": 1, "’": -1}


def nest_quotes(text: str) -> str:
    """Quotes inside quotes alternate (GB/T 15834): “关于“三重一大”决策”
    becomes “关于‘三重一大’决策”; a third level is double again. Marks are
    read by depth, so a wording's “{title}” around a title that holds its own
    “…” prints right."""
    out, depth = [], 0
    for ch in text:
        step = _QUOTES.get(ch)
        if step == 1:
            out.append("“" if depth % 2 == 0 else "‘")
            depth += 1
        elif step == -1 and depth:
            depth -= 1
            out.append("”" if depth % 2 == 0 else "’")
        else:
            out.append(ch)
    return "".join(out)


# --- spacing -------------------------------------------------------------------------

# Half-width spaces before full-width punctuation: joined text prints "整改 ，"
# and the browser may begin a line with the "，".
SPACE_BEFORE_PUNCT = re.compile(r"[ \t\u00a0]+(?=[，。、；：？！）》」』”’])")


# --- Markdown ---------------------------------------------------------------------

# Escaped with a backslash (each is one of Python-Markdown's escapable
# characters): emphasis, code, links, tables, quotes, headings, and "{" "}"
# for attr_list, which reads a trailing "{: .x}" of a heading or a table cell
# as attributes and drops it from the text. "<" becomes an entity below.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]{}|>#])")
_ENTITY = re.compile(r"&(?=#?\w+;)")
_LIST_START = re.compile(r"^(\d+)([.)])(\s)", re.M)
# At the start of a line: "+ " and "- " lists, "!!! note" (admonition).
_BLOCK_MARK = re.compile(r"^([+\-!])", re.M)
# "??? note" (pymdownx.details), and white space at either end of a line: an
# indent starts a code block, and Markdown strips every kind of white space
# (also U+3000 and U+00A0) from a heading, a cell or a paragraph. None of
# them has a backslash escape, so each becomes an entity, which renders as
# itself.
_ENTITY_AT_EDGE = re.compile(r"^[?]|^[^\S\n]|[^\S\n]$", re.M)


def md_escape(text: str) -> str:
    """Plain text as Markdown (a paragraph, a heading, a table cell) that renders
    back to the same text under the site's extensions (mkdocs.yml): no
    emphasis, no links, no HTML, no list, no attributes, no admonition."""
    text = _ENTITY.sub("&amp;", text)  # "&lt;" typed by a user stays "&lt;", not "<"
    text = _MD_SPECIAL.sub(r"\\\1", text)
    text = text.replace("<", "&lt;")  # a backslash does not stop raw HTML; the entity does
    text = _LIST_START.sub(r"\1\\\2\3", text)  # "1. " would start a list
    text = _BLOCK_MARK.sub(r"\\\1", text)
    return _ENTITY_AT_EDGE.sub(lambda m: f"&#{ord(m[0])};", text)


# What literal_marks leaves alone: code spans, link targets, autolinks and
# HTML tags, escapes already typed (``\\*``), and a "* " list bullet.
_KEEP_OR_MARK = re.compile(r"(`+)[\s\S]*?\1|\]\([^)\n]*\)|<[^<>\n]*>|\\.|^[ \t]*\*(?=[ \t])|(?P<mark>[*_])", re.MULTILINE)


def literal_marks(source: str) -> str:
    """Markdown in which every ``*`` and ``_`` the user typed prints as itself.

    The one rule for what clerks type as prose (problem texts, measures,
    narratives), used by the site's problem pages and by ``plaintext`` (the
    report, xlsx, csv, docx). The genre writes redactions as ``*同志`` and
    ``*年*月``; read as emphasis they vanished from the report and turned
    half a sentence into italics on the page. Each is escaped with a backslash, so that Python-Markdown (the site's and
    ours) shows the character instead of starting emphasis. An escape already
    typed (``\\*``) stays one, and still prints ``*``.
    """
    if "*" not in source and "_" not in source:
        return source
    return _KEEP_OR_MARK.sub(_escape_mark, source)


def _escape_mark(m: re.Match) -> str:
    return "\\" + m[0] if m["mark"] else m[0]

# --- status wordings ---------------------------------------------------------------

# How reports state a problem's progress, by status key of the default
# statuses. Checked in this order, the first hit wins: the "not yet" and
# "long-term" wordings come before the generic "已整改" they may contain.
STATUS_WORDINGS = (
    (StatusKey.TODO, ("尚未启动", "未启动", "尚未整改", "尚未开展")),
    (StatusKey.ONGOING, ("长期坚持", "长期任务", "阶段性成效", "长期推进", "常态化推进")),
    (StatusKey.DOING, ("正在整改", "部分整改", "持续整改", "整改中", "基本完成", "基本整改", "正在推进", "推进中",
               "尚未完成", "未完成")),
    (StatusKey.DONE, ("已整改完毕", "已经整改完毕", "已完成整改", "已经完成整改", "整改完毕", "已整改到位",
              "已经整改到位", "已整改", "已完成", "已经完成", "完成整改", "已销号")),
)


# A paragraph reporting what was done, not a measure: it opens with a day
# (6月9日，… / 2025年6月… / 截至…) or with 目前, or states a status.
_PROGRESS_OPENING = re.compile(r"^(?:\d{4}年|\d{1,2}月|截至|截止|目前|至今|已于)")
LEADER_SEPARATOR = "；"  # between leaders whose posts hold 、 themselves: 党组书记、局长；党组副书记


def is_progress(paragraph: str) -> bool:
    """A progress sentence (6月9日，局党组向县委宣传部报送了…), never a 任务清单 measure."""
    return bool(_PROGRESS_OPENING.match(paragraph.strip()) or stated_statuses(paragraph))


def planned_measure(title: str, paragraphs: list[str]) -> str:
    """A problem's measure for the plan's 任务清单 when it has no ``measures:``:
    its 整改情况 paragraphs that are not progress sentences, joined without
    stray spaces; else the genre's task sentence for the title."""
    kept = [p.strip() for p in paragraphs if p.strip() and not is_progress(p)]
    if kept:
        return "".join(kept)
    return nest_quotes(f"针对“{title.strip()}”问题，逐项制定整改措施，抓好整改落实。")


def stated_statuses(text: str) -> list[str]:
    """The status keys whose wordings occur in ``text``, in STATUS_WORDINGS order."""
    return [key for key, wordings in STATUS_WORDINGS if any(w in text for w in wordings)]
