"""The house rules of issue 10 that a reviewer should not have to count by hand:
no class in hooks/ over 250 lines, no function over 80."""

from __future__ import annotations

import ast

from conftest import REPO

MAX_CLASS_LINES, MAX_FUNCTION_LINES = 250, 80


def _oversized() -> list[str]:
    found = []
    for path in sorted((REPO / "hooks").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            limit = (MAX_CLASS_LINES if isinstance(node, ast.ClassDef)
                     else MAX_FUNCTION_LINES if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) else None)
            if limit is not None and node.end_lineno - node.lineno + 1 > limit:
                found.append(f"{path.relative_to(REPO)}:{node.lineno} {node.name}: "
                             f"{node.end_lineno - node.lineno + 1} lines (limit {limit})")
    return found


def test_no_class_or_function_is_oversized():
    assert _oversized() == []
