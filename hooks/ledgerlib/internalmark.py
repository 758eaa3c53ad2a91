"""Marks of 【不公开】 that were meant but will not work: warnings for validate.

A paragraph or heading is withheld from the public notice only when its text
starts with documents.INTERNAL_MARK exactly. Typed in a hurry the mark comes
out as 【 不公开 】, [不公开], （不公开）, **【不公开】** inside a sentence, or in
the middle of a paragraph, and the block would be published without a word.
``check`` warns with path:line for each such line of the narratives the
documents read and of the problem files whose text mentions 不公开.
"""

from __future__ import annotations

import re
from pathlib import Path

from .documents import INTERNAL_MARK
from .errors import Diagnostics
from .model import Ledger

# Something bracket-like around 不公开, with any spaces or emphasis inside.
_NEAR = re.compile(r"[*_]{0,2}[【\[［〔〖(（<《]\s*[*_]{0,2}\s*不\s*公\s*开\s*[*_]{0,2}\s*[】\]］〕〗)）>》][*_]{0,2}")
# What may stand before the mark at a block's start: heading hashes, a list or
# quote marker. Not emphasis: plaintext keeps "*" literal, so "**【不公开】**"
# does not start with the mark.
_LEAD = re.compile(r"^\s{0,3}(?:#{1,6}\s+|>\s*|[-*+]\s+|\d+[.)]\s+)?")
FIELD = "不公开标记"


def near_misses(text: str) -> list[tuple[int, str]]:
    """(line number, the mark as typed) for each line whose mark will not work."""
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        if "公" not in line:
            continue
        rest = line[_LEAD.match(line).end():]
        if rest.startswith(INTERNAL_MARK):
            continue
        match = _NEAR.search(line)
        if match:
            found.append((number, match[0]))
    return found


def message(typed: str) -> str:
    where = "不在段落开头" if typed == INTERNAL_MARK else "写法不对（须是全角方括号、中间无空格、不加粗）"
    return (f"“{typed}”{where}，不起作用：这一段仍会出现在公开的整改情况通报中。"
            f"要不公开，请在段落（或小标题）开头写“{INTERNAL_MARK}”（全角方括号，中间没有空格）；"
            "如本来就不是标记，可忽略本警告。")


def check(ledger: Ledger, rel, diags: Diagnostics) -> None:
    """Warn for each near-miss in the narratives and in problem files mentioning 不公开."""
    for path in _narratives(ledger):
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError):
            continue  # the narrative's own check reports it
        _warn(text, rel(path), diags)
    for issue in ledger.issues:
        if "公" in issue.measures and _NEAR.search(issue.measures):  # in memory: most files are not read again
            _warn(issue.path.read_text(encoding="utf-8-sig"), issue.rel_path, diags)


def _warn(text: str, where: str, diags: Diagnostics) -> None:
    for line, typed in near_misses(text):
        diags.warn(where, line, FIELD, message(typed))


def _narratives(ledger: Ledger) -> list[Path]:
    specs = [ledger.report, *ledger.documents.values()]
    paths = [p for spec in specs for p in (spec.preamble, *(s.source for s in spec.sections or ())) if p]
    return list(dict.fromkeys(paths))
