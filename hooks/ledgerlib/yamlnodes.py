"""YAML reading that keeps line numbers and the text the user typed.

We compose the YAML into nodes and never construct Python values with YAML's
own rules: YAML 1.1 would silently turn ``012`` into 10, ``no`` into False and
``12:30`` into 750, and raise on ``2023-02-30``. Scalars stay as the exact text
the user wrote; each field's validator decides what that text means.
"""

from __future__ import annotations

from dataclasses import dataclass

import yaml

from .trust import INVISIBLE, control_error

try:  # the C parser is ~6x faster on thousands of files
    _Base = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - libyaml missing
    _Base = yaml.SafeLoader


class _Loader(_Base):
    """Composes without resolving tags: nodes are read by their text and
    style only, so the implicit-type regexes that PyYAML runs in Python for
    every scalar (a third of composing a front-matter) are skipped."""

    def resolve(self, kind, value, implicit):
        if kind is yaml.ScalarNode:
            return "tag:yaml.org,2002:str"
        return "tag:yaml.org,2002:seq" if kind is yaml.SequenceNode else "tag:yaml.org,2002:map"


@dataclass(frozen=True)
class Scalar:
    text: str
    line: int  # 1-based, relative to the parsed text
    plain: bool  # written without quotes

    @property
    def is_null(self) -> bool:
        return self.plain and self.text in ("", "~", "null", "Null", "NULL")


@dataclass(frozen=True)
class Seq:
    items: list[Value]
    line: int


@dataclass(frozen=True)
class Map:
    entries: dict[str, Value]
    key_lines: dict[str, int]
    line: int
    duplicates: tuple[tuple[str, int], ...] = ()  # keys written twice, with the later line


Value = Scalar | Seq | Map


# PyYAML's wording of the usual slips -> what to do about them, in Chinese.
_EXPLAIN = (
    ("mapping values are not allowed", "值里有半角冒号“:”，或这一行缩进多了；值里需要冒号时请给整个值加引号，例如 title: \"会议: 纪要\""),
    ("expected ',' or ']'", "方括号 [ ] 不成对；列表写成 [甲, 乙]，文字里有方括号时请给整个值加引号"),
    ("expected ',' or '}'", "花括号 { } 不成对；文字里有花括号时请给整个值加引号"),
    ("unexpected end of stream", "引号不成对：值以引号开头，就要以同样的引号结束"),
    ("tab character", "有制表符（Tab）；YAML 只能用空格缩进，请把 Tab 换成两个空格"),
    ("character '\\t'", "有制表符（Tab）；YAML 只能用空格缩进，请把 Tab 换成两个空格"),
    ("did not find expected key", "缩进不一致，或引号、括号之后还有多余的文字；同一层的字段要左对齐，含引号的文字请整体加引号"),
    ("could not find expected ':'", "这一行不是“字段: 值”的形式，缺少冒号（冒号后加一个半角空格）"),
    ("cannot start any token", "值不能以 @、`、% 等符号开头；请给整个值加引号"),
    ("expected '-' indicator", "列表项没有对齐；同一列表的每一项都以“- ”开头，缩进相同"),
    ("undefined alias", "值不能以 * 或 & 开头；请给整个值加引号"),
    ("control characters are not allowed", "含有看不见的控制字符（常见于从其他软件复制的文字）；请删除这一行后重新输入"),
)


class YamlSyntaxError(Exception):
    def __init__(self, line: int, problem: str):
        super().__init__(problem)
        self.line = line
        self.problem = problem  # PyYAML's own words, or our Chinese ones

    @property
    def hint(self) -> str:
        """A Chinese explanation with what to do, keeping PyYAML's words for searching."""
        for needle, text in _EXPLAIN:
            if needle in self.problem:
                return f"{text}（{self.problem.splitlines()[0]}）"
        if self.problem.isascii():
            return f"{self.problem.splitlines()[0]}；请检查这一行的冒号、缩进和引号"
        return self.problem


def parse(text: str, line_offset: int = 0) -> Value | None:
    """Parse one YAML document into plain nodes; None for an empty document.

    ``line_offset`` is added to every line, so that front-matter nodes carry
    the line numbers of the whole file.
    """
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        # An unclosed quote or bracket is found at the end of the text; the
        # line where it was opened is the one to fix.
        opened = exc.context and ("quoted scalar" in exc.context or "flow" in exc.context)
        mark = (exc.context_mark if opened else None) or exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        raise YamlSyntaxError(line + line_offset, exc.problem or str(exc)) from None
    except yaml.YAMLError as exc:  # e.g. a reader error on control characters
        raise YamlSyntaxError(1 + line_offset, str(exc)) from None
    return None if node is None else _Converter(line_offset).convert(node, 0)


# Front-matter is a flat list of fields; anything deeper is a mistake.
MAX_DEPTH = 20


def _invisible_key(key: str) -> str | None:
    """A key (a field, or a name such as codeowners' departments) with a
    character that prints as nothing: it would look like another key."""
    if not INVISIBLE.search(key):
        return None
    return f"“{INVISIBLE.sub('', key)}”里有看不见的字符（零宽空格等）；请删除这个名称，重新输入"


class _Converter:
    """Nodes to values, refusing aliases and deep nesting.

    ``yaml.compose`` resolves an alias (``*a``) to the very node its anchor
    (``&a``) names. A self-reference then recurses forever, and a few lines of
    nested aliases expand into millions of values ("billion laughs"). Nobody
    needs anchors in a problem file, so the first repeated node is an error.
    """

    def __init__(self, offset: int):
        self.offset = offset
        self.seen: set[int] = set()

    def convert(self, node: yaml.Node, depth: int) -> Value:
        line = node.start_mark.line + 1 + self.offset
        if id(node) in self.seen:
            raise YamlSyntaxError(line, "不支持 YAML 锚点和别名（& 和 *）；请把内容直接写出来")
        self.seen.add(id(node))
        if depth > MAX_DEPTH:
            raise YamlSyntaxError(line, f"嵌套超过 {MAX_DEPTH} 层；请检查缩进和括号")
        if isinstance(node, yaml.ScalarNode):
            # A double-quoted "\x01" or "\0" is a control character only after
            # the escape is read: the file's own text passed textfile's check,
            # and no other style has escapes.
            if node.style == '"' and (problem := control_error(node.value)):
                raise YamlSyntaxError(line, problem.rstrip("。"))
            # Plain style is None from the pure-Python loader but "" from libyaml's.
            return Scalar(node.value, line, not node.style)
        if isinstance(node, yaml.SequenceNode):
            return Seq([self.convert(n, depth + 1) for n in node.value], line)
        return self.convert_map(node, line, depth)

    def convert_map(self, node: yaml.MappingNode, line: int, depth: int) -> Map:
        entries: dict[str, Value] = {}
        key_lines: dict[str, int] = {}
        duplicates: list[tuple[str, int]] = []
        for key_node, value_node in node.value:
            key = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else "?"
            key_line = key_node.start_mark.line + 1 + self.offset
            suspect = getattr(key_node, "style", None) == '"' or not key.isascii()  # see convert
            if suspect and (problem := control_error(key) or _invisible_key(key)):
                raise YamlSyntaxError(key_line, problem.rstrip("。"))
            if key in entries:
                duplicates.append((key, key_line))
            entries[key] = self.convert(value_node, depth + 1)
            key_lines.setdefault(key, key_line)
        return Map(entries, key_lines, line, tuple(duplicates))
