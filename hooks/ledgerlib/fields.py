"""Field readers: turn a YAML node into a typed value or a diagnostic.

Every reader takes a ``Where`` (file, line, field) and the diagnostics
collector, records a Chinese message on bad input and returns None, so that
the caller can go on and report every problem in one pass.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import string
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

from .errors import Diagnostics
from .trust import invisible_error
from .yamlnodes import Map, Scalar, Seq, Value


@dataclass(frozen=True)
class Where:
    path: str
    line: int
    field: str


_KIND = {Scalar: "单个值", Seq: "列表", Map: "键值对"}
_DATE_RE = re.compile(r"^(\d{4})\s*(?:[-/.]|年)\s*(\d{1,2})\s*(?:[-/.]|月)\s*(\d{1,2})\s*日?$")
_INT_RE = re.compile(r"^[1-9][0-9]*$")


def key_where(lines: Mapping[str, int], path: str, line: int, prefix: str = "") -> Callable[[str], Where]:
    """Where each key of a mapping is, for the messages about its value: the
    key's own line (the mapping's ``line`` when the key is absent), and the
    field named ``prefix.key`` inside a section."""
    head = f"{prefix}." if prefix else ""
    return lambda key: Where(path, lines.get(key, line), head + key)


def error(diags: Diagnostics, where: Where, message: str) -> None:
    diags.error(where.path, where.line, where.field, message)


def text(node: Value | None, where: Where, diags: Diagnostics, *, required: bool = False) -> str | None:
    """A one-line string. YAML's own typing is ignored: ``no`` stays "no"."""
    if node is None or (isinstance(node, Scalar) and node.is_null):
        if required:
            error(diags, where, "不能为空，请填写。")
        return None
    if not isinstance(node, Scalar):
        error(diags, where, f"应为一段文字，实际写成了{_KIND[type(node)]}。")
        return None
    value = node.text.strip()
    if required and not value:
        error(diags, where, "不能为空，请填写。")
        return None
    if problem := invisible_error(value):
        error(diags, where, problem)
        return None
    return value or None


def positive_int(node: Value | None, where: Where, diags: Diagnostics) -> int | None:
    value = text(node, where, diags, required=True)
    if value is None:
        return None
    if not _INT_RE.match(value):
        hint = "，不要以 0 开头（YAML 会把 012 读成 10）" if value.startswith("0") and value.isdigit() else ""
        error(diags, where, f"“{value}”不是正整数；请写 1、2、3 这样的序号{hint}。")
        return None
    return int(value)


def date(node: Value | None, where: Where, diags: Diagnostics, *, required: bool = False) -> dt.date | None:
    value = text(node, where, diags, required=required)
    if value is None:
        return None
    try:
        return parse_date(value)
    except ValueError as exc:
        error(diags, where, str(exc))
        return None


def parse_date(value: str) -> dt.date:
    """The one date reader of files and command lines: 2023-03-31, 2023/3/31,
    2023.3.31, 2023年3月31日. ValueError with the Chinese message otherwise."""
    m = _DATE_RE.match(value.strip())
    if not m:
        raise ValueError(f"“{value}”不是日期；请写成 2023-03-31 或 2023年3月31日 的格式。")
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        raise ValueError(f"“{value}”不是真实存在的日期，请核对年月日。") from None


def date_argument(value: str) -> dt.date:
    """``parse_date`` as an argparse type: every command's date flags read alike."""
    import argparse  # only the command line needs it
    try:
        return parse_date(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc).rstrip("。")) from None


def text_list(node: Value | None, where: Where, diags: Diagnostics) -> list[str] | None:
    """One string or a list of strings (e.g. several responsible departments)."""
    if node is None or (isinstance(node, Scalar) and node.is_null):
        return []
    if isinstance(node, Scalar):
        if problem := invisible_error(node.text):
            error(diags, where, problem)
            return None
        parts = [p.strip() for p in re.split(r"[、，,；;]", node.text)]
        return [p for p in parts if p]
    if isinstance(node, Seq):
        values = [text(item, Where(where.path, item.line, where.field), diags) for item in node.items]
        if any(v is None for v in values):
            return None
        return [v for v in values if v]
    error(diags, where, "应为一个名称或名称列表，例如 [办公室, 安委办]。")
    return None


def boolean(node: Value | None, where: Where, diags: Diagnostics, default: bool) -> bool:
    if node is None:
        return default
    value = text(node, where, diags)
    if value in ("true", "True", "是", "yes"):
        return True
    if value in ("false", "False", "否", "no"):
        return False
    error(diags, where, f"“{value}”应为 true 或 false。")
    return default


def suggest(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f"是否应为“{close[0]}”？" if close else ""


def check_keys(node: Map, known: tuple[str, ...] | list[str], path: str, diags: Diagnostics) -> None:
    """Unknown keys are warnings: they are ignored, and often a typo."""
    for key, line in node.key_lines.items():
        if key not in known:
            diags.warn(path, line, key, f"未知字段，将被忽略。{suggest(key, list(known))}可用字段：{'、'.join(known)}")
    for key, line in node.duplicates:
        diags.error(path, line, key, "字段重复出现；请只保留一处。")


def map_items(node: Seq, where: Where, diags: Diagnostics, shape: str,
              keys: tuple[str, ...] = ()) -> Iterator[tuple[Map, Where]]:
    """Each mapping of a list such as ``statuses:`` or ``results:``, with its
    own Where. An item that is not a mapping is reported (``shape`` says how
    one is written) and skipped; ``keys`` are the fields a mapping may have."""
    for item in node.items:
        w = Where(where.path, item.line, where.field)
        if not isinstance(item, Map):
            error(diags, w, shape)
            continue
        if keys:
            check_keys(item, keys, where.path, diags)
        yield item, w


def check_template(template: str, allowed: set[str], where: Where, diags: Diagnostics) -> None:
    """A wording template may only name the placeholders its caller fills in."""
    try:
        fields = [(name, spec, conversion) for _, name, spec, conversion in string.Formatter().parse(template)
                  if name is not None]
    except ValueError:
        error(diags, where, f"措辞模板“{template}”的花括号不成对。")
        return
    names = {name for name, _, _ in fields}
    # "{unit:>1500000000}" pads to 1.5 GB; "{count!r}" prints Python's quotes.
    # A placeholder is its name only.
    for name, spec, conversion in fields:
        if spec or conversion:
            written = "{" + name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"
            error(diags, where, f"措辞模板里的“{written}”带有格式说明（冒号或感叹号之后的部分）；"
                                f"占位符只能写名称本身，例如 {{{name or 'count'}}}，请删去“{written[len(name) + 1:-1]}”。")
            return
    unknown = names - allowed
    if unknown:
        error(diags, where, f"措辞模板里的“{{{'}、{'.join(sorted(unknown))}}}”无法识别；可用：{'、'.join('{' + a + '}' for a in sorted(allowed))}。")
