"""YAML reading that keeps line numbers and the text the user typed.

We compose the YAML into nodes and never construct Python values with YAML's
own rules: YAML 1.1 would silently turn ``012`` into 10, ``no`` into False and
``12:30`` into 750, and raise on ``2023-02-30``. Scalars stay as the exact text
the user wrote; each field's validator decides what that text means.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Union

import yaml

try:  # the C parser is ~6x faster on thousands of files
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - libyaml missing
    _Loader = yaml.SafeLoader


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
    items: list["Value"]
    line: int


@dataclass(frozen=True)
class Map:
    entries: dict[str, "Value"]
    key_lines: dict[str, int]
    line: int
    duplicates: tuple[tuple[str, int], ...] = ()  # keys written twice, with the later line


Value = Union[Scalar, Seq, Map]


class YamlSyntaxError(Exception):
    def __init__(self, line: int, problem: str):
        super().__init__(problem)
        self.line = line
        self.problem = problem


def parse(text: str, line_offset: int = 0) -> Value | None:
    """Parse one YAML document into plain nodes; None for an empty document.

    ``line_offset`` is added to every line, so that front-matter nodes carry
    the line numbers of the whole file.
    """
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        raise YamlSyntaxError(line + line_offset, exc.problem or str(exc)) from None
    except yaml.YAMLError as exc:  # e.g. a reader error on control characters
        raise YamlSyntaxError(1 + line_offset, str(exc)) from None
    return None if node is None else _convert(node, line_offset)


def _convert(node: yaml.Node, offset: int) -> Value:
    line = node.start_mark.line + 1 + offset
    if isinstance(node, yaml.ScalarNode):
        return Scalar(node.value, line, node.style is None)
    if isinstance(node, yaml.SequenceNode):
        return Seq([_convert(n, offset) for n in node.value], line)
    entries: dict[str, Value] = {}
    key_lines: dict[str, int] = {}
    duplicates: list[tuple[str, int]] = []
    for key_node, value_node in node.value:
        key = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else "?"
        key_line = key_node.start_mark.line + 1 + offset
        if key in entries:
            duplicates.append((key, key_line))
        entries[key] = _convert(value_node, offset)
        key_lines.setdefault(key, key_line)
    return Map(entries, key_lines, line, tuple(duplicates))
