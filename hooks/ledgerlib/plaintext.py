"""Markdown to plain-text blocks, for outputs that are not HTML.

The report is printed from HTML but also written to .docx, and both must say
exactly the same words. So problem texts, measures and the narrative files are
reduced once to a list of blocks of plain text (headings and paragraphs);
every renderer lays those out in its own way. Inline markup (emphasis, links,
escapes such as ``\\*``) is dropped, keeping only the visible text: a 公文 has
no bold or links, and the redaction asterisks must come out as ``*``.

``*`` and ``_`` in what clerks type are characters, never emphasis
(``genre.literal_marks``).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from html.parser import HTMLParser

import markdown

from .genre import literal_marks

# Text without any of these characters or line starts is plain already, which
# is most Chinese prose; it skips Python-Markdown (a large ledger has thousands
# of texts).
_MARKUP_LINE = re.compile(r"^(?:\s{4}|\s*(?:[-+*]\s|\d+[.)]\s|>))", re.MULTILINE)
# Without "*" and "_": those two are literal text (see literal_marks).
_MARKUP_CHARS = re.compile(r"[\\`\[\]<>#&|!~=]")
_BLANK = re.compile(r"\n\s*\n")
_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]")

_BLOCK_TAGS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "pre", "blockquote", "ul", "ol", "table", "div"}


@dataclass(frozen=True)
class TextBlock:
    text: str
    level: int = 0  # 0 for a paragraph, 1–6 for a Markdown heading


def join_lines(text: str) -> str:
    """Join a paragraph's source lines: no space between Chinese, one between Latin words."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines:
        return ""
    out = lines[0]
    for line in lines[1:]:
        cjk_joint = _CJK.match(line[0]) or _CJK.match(out[-1])
        out += line if cjk_joint else " " + line
    return out


def blocks(source: str) -> list[TextBlock]:
    """The visible text of a Markdown document, one TextBlock per paragraph or heading."""
    return list(_blocks(source))


# One build reads each problem's text three times (the report page, the
# workbook, the Word report); converting it through Markdown once is enough.
@functools.lru_cache(maxsize=65536)
def _blocks(source: str) -> tuple[TextBlock, ...]:
    if not source or not source.strip():
        return ()
    if not _MARKUP_CHARS.search(source) and not _MARKUP_LINE.search(source):
        # Plain prose; "*" and "_" in it are literal anyway.
        return tuple(TextBlock(join_lines(part)) for part in _BLANK.split(source.strip()) if part.strip())
    collector = _Collector()
    collector.feed(_markdown().convert(literal_marks(source)))
    collector.close()
    return tuple(collector.blocks)


def paragraphs(source: str) -> list[str]:
    """Like ``blocks`` for texts without headings (problem texts, measures)."""
    return [b.text for b in blocks(source)]


_MD: markdown.Markdown | None = None


def _markdown() -> markdown.Markdown:
    global _MD
    if _MD is None:
        _MD = markdown.Markdown(extensions=["tables"])
    return _MD.reset()


class _Collector(HTMLParser):
    """Turn rendered HTML back into text blocks, flushing at each block tag."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks: list[TextBlock] = []
        self.parts: list[str] = []
        self.level = 0
        self.prefix = ""  # a list item's number, waiting for the item's first text
        self.lists: list[list] = []  # per open list: [ordered, items so far]
        self.skip = 0  # inside <script>/<style>: never text

    def flush(self) -> None:
        text = join_lines("".join(self.parts))
        if text:
            self.blocks.append(TextBlock(self.prefix + text, self.level))
            self.prefix = ""
        self.parts = []
        self.level = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skip += 1
        if tag in ("td", "th") and self.parts:
            self.parts.append("　")  # cells of a row stay one line, apart
        if tag not in _BLOCK_TAGS:
            return
        self.flush()
        if tag in ("ul", "ol"):
            self.lists.append([tag == "ol", 0])
        elif tag == "li" and self.lists:
            self.lists[-1][1] += 1
            ordered, number = self.lists[-1]
            if ordered:  # the 公文's fourth level, （1）
                self.prefix = f"（{number}）"
        elif tag[0] == "h" and tag[1:].isdigit():
            self.level = int(tag[1:])

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.skip = max(0, self.skip - 1)
        if tag not in _BLOCK_TAGS:
            if tag == "br":
                self.parts.append("\n")
            return
        self.flush()
        if tag in ("ul", "ol") and self.lists:
            self.lists.pop()

    def handle_startendtag(self, tag, attrs):
        if tag == "br":
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)

    def close(self):
        super().close()
        self.flush()
