"""The tracked fields of a problem file at one revision, read from its bytes
as git stores them: the history (history.py) compares them commit by
commit, and ``init`` reads a front-matter the same way.

Historical revisions may be broken in any way (that is why validation
exists); they give None, never an error.
"""

from __future__ import annotations

import functools
import re

from . import fields as F
from .errors import Diagnostics
from .textfile import FrontMatterError, Unreadable, decode, split_front_matter
from .yamlnodes import Map, Scalar, parse

# The front-matter fields whose changes make up a problem's timeline.
TRACKED = ("status", "owner", "leader", "deadline", "completed")


def front_matter_fields(data: bytes | None) -> dict[str, str | None] | None:
    """The tracked fields as normalised text, or None for an unreadable file.

    Historical revisions may be broken in any way (that is why validation
    exists); they are skipped, never fatal.
    """
    text = front_matter_text(data)
    return None if text is None else fields_from_front_matter(text)


def front_matter_text(data: bytes | None) -> str | None:
    """The text between the two "---" lines, by the loader's own rules."""
    if data is None:
        return None
    try:
        return split_front_matter(decode(data))[0]
    except (Unreadable, FrontMatterError):
        return None


def fields_from_front_matter(text: str) -> dict[str, str | None] | None:
    fast = _simple_fields(text)
    if fast is not None:
        return fast
    try:
        node = parse(text)
    except Exception:
        return None
    if not isinstance(node, Map):
        return None
    return {key: normalise(key, node.entries.get(key)) for key in TRACKED}


_TRACKED_LINE = re.compile(r"^({}):(.*)$".format("|".join(TRACKED)), re.M)
# The next line that is neither blank nor a comment.
_SIGNIFICANT_LINE = re.compile(r"^(?![ \t]*(?:#|$)).*$", re.M)
# Anything in a value that YAML could read other than as the plain text typed.
_NOT_PLAIN = re.compile(r"""^[-?:,\[\]{}#&*!|>'"%@`]|:[ \t]|:$|[ \t]#|[\x00-\x08\x0b-\x1f\x7f\x85\u2028\u2029]""")
# A quoted value on one line that YAML reads as exactly the text between the
# quotes: no backslash escapes, no quote of its own kind inside. ledger.py
# import writes titles (and other fields) this way.
_QUOTED = re.compile(r"""(?:"[^"\\\x00-\x08\x0b-\x1f\x7f\x85\u2028\u2029]*"|'[^'\x00-\x08\x0b-\x1f\x7f\x85\u2028\u2029]*')""")


def _one_line_value(value: str) -> tuple[str, bool] | None:
    """(text, plain) of a value YAML reads as typed, or None if it may not."""
    if _QUOTED.fullmatch(value):
        return value[1:-1], False
    if _NOT_PLAIN.search(value):
        return None
    return value, True


def _simple_fields(text: str) -> dict[str, str | None] | None:
    """The tracked fields when each is one ``key: plain text`` line, else None.

    The YAML parser costs ~0.3 ms per revision, which at thousands of
    problems times their revisions dominates the history read. Problem files
    are nearly always written this simple way; anything else (quotes, lists,
    comments, a key twice, a value on the next lines) goes to the parser.
    """
    if not _top_lines_plain(text):
        return None
    found: dict[str, tuple[str, bool]] = {}
    for m in _TRACKED_LINE.finditer(text):
        rest = m[2]
        value = _one_line_value(rest.strip(" \t"))
        if m[1] in found or (rest and rest[0] not in " \t") or value is None:
            return None
        following = _SIGNIFICANT_LINE.search(text, m.end() + 1)
        if following and following[0][:1] in (" ", "\t", "-"):
            return None  # continues on the next lines: a list or a folded value
        found[m[1]] = value
    if not found:  # not even one tracked line: maybe not a mapping at all
        return None
    return {key: _normalise_plain(key, *found.get(key, (None, True))) for key in TRACKED}


def _top_lines_plain(text: str) -> bool:
    """Every unindented line is ``key: plain value``.

    An untracked field can still swallow a tracked one: ``title: '`` opens a
    quoted scalar that runs on over ``status: …``. Such text goes to the parser.
    """
    for line in text.split("\n"):
        if not line or line[0] in " \t#":
            continue
        key, colon, rest = line.partition(":")
        if not colon or _NOT_PLAIN.search(key) or (rest and rest[0] not in " \t") \
                or _one_line_value(rest.strip(" \t")) is None:
            return False
    return True


@functools.lru_cache(maxsize=4096)
def _normalise_plain(key: str, value: str | None, plain: bool) -> str | None:
    """Cached: the same statuses, departments and dates recur in every file."""
    return normalise(key, None if value is None else Scalar(value, 1, plain))


def normalise(key: str, node) -> str | None:
    """Text as the site shows it, so that 2023-3-1 and 2023-03-01 compare equal."""
    diags = Diagnostics()  # messages are irrelevant here: a bad value stays as typed
    where = F.Where("", 1, key)
    if key == "owner":
        owners = F.text_list(node, where, diags)
        return "、".join(owners) if owners else None
    value = F.text(node, where, diags)
    if value is None or key not in ("deadline", "completed"):
        return value
    parsed = F.date(node, where, diags)
    return parsed.isoformat() if parsed else value

