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


# The hook is the list of MkDocs events the ledger handles over its typed
# state; MkDocs/Material machinery belongs in hooks/ledger_mkdocs.py, and the
# core (ledgerlib, ledgerbench) never imports the generator. Issue 10.
HOOK, ADAPTER = "hooks/ledger_hooks.py", "hooks/ledger_mkdocs.py"
MAX_HOOK_LINES = 150
GENERATOR_PACKAGES = {"mkdocs", "properdocs", "material"}


def _imported_packages(path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_the_hook_file_stays_thin():
    source = (REPO / HOOK).read_text(encoding="utf-8")
    assert len(source.splitlines()) <= MAX_HOOK_LINES, f"{HOOK}: move MkDocs machinery into {ADAPTER}"
    public = [node.name for node in ast.parse(source).body
              if isinstance(node, ast.FunctionDef) and not node.name.startswith("_")]
    assert public and all(name.startswith("on_") for name in public), public


def test_only_the_adapter_imports_the_site_generator():
    importers = sorted(str(path.relative_to(REPO)) for path in (REPO / "hooks").rglob("*.py")
                       if _imported_packages(path) & GENERATOR_PACKAGES)
    assert importers == [ADAPTER]
