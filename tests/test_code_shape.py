"""The house rules of issue 10 that a reviewer should not have to count by hand:
no class in hooks/ over 250 lines, no function over 80."""

from __future__ import annotations

import ast
import functools

import pytest

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


# -- the module graph (issue 25, item 2) ----------------------------------------
# Every import counts, also one inside a function or under TYPE_CHECKING: a
# cycle hidden in a function is still a cycle, which a split module was meant
# to avoid. Modules are named as Python does, relative to hooks/.
MAX_MODULE_LINES = 500


def _module_name(path) -> str:
    parts = list(path.relative_to(REPO / "hooks").with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@functools.cache
def _module_graph() -> dict[str, set[str]]:
    paths = {_module_name(path): path for path in (REPO / "hooks").rglob("*.py")}
    graph = {}
    for name, path in paths.items():
        package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
        targets = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets.update(alias.name for alias in node.names if alias.name in paths)
            elif isinstance(node, ast.ImportFrom):
                base = package[:len(package) - node.level + 1] if node.level else []
                module = ".".join(base + ([node.module] if node.module else []))
                for alias in node.names:  # "from . import x" names a module, "from .x import y" a name in one
                    target = f"{module}.{alias.name}" if module else alias.name
                    targets.add(target if target in paths else module)
        graph[name] = {t for t in targets if t in paths and t != name}
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def _reachable(graph: dict[str, set[str]], start: str) -> set[str]:
    seen, todo = set(), [start]
    while todo:
        for w in graph[todo.pop()] - seen:
            seen.add(w)
            todo.append(w)
    return seen


def test_the_cycle_finder_finds_a_cycle_through_a_function_level_import():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycle_among_hooks_modules():
    graph = _module_graph()
    assert "ledgerlib.export" in graph["ledgerlib.export_xlsx"]  # the graph sees real imports
    assert _cycles(graph) == []


@pytest.mark.parametrize("rel", sorted(str(p.relative_to(REPO)) for p in (REPO / "hooks").rglob("*.py")))
def test_no_module_is_over_500_lines(rel):
    lines = len((REPO / rel).read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_MODULE_LINES, f"{rel}: {lines} lines; split it by responsibility"


# Layers apart: reading a ledger (loading) and reading what a unit already has
# (import) never need an output. Output modules make pages, documents and
# files from a loaded ledger; a loading or import module that reaches one,
# even through a neutral module, drags the writers in and ties the file
# format to how it is printed.
LOADING = {f"ledgerlib.{m}" for m in (
    "parser", "ledgers", "ledgerfile", "documentfile", "problemfile", "textfile", "yamlnodes", "fields",
    "errors", "measures", "signoff", "model", "constants", "documents", "genre", "ladder", "letterbook",
    "rollup_settings")}
IMPORTING = {f"ledgerlib.{m}" for m in (
    "importer", "import_xlsx", "importcols", "import_json", "jsoncheck", "importannex", "importfields", "importmodel",
    "importsummary", "reportsource", "xlsxrows", "textread", "tablecols", "spreadsheetcell", "ledgerwriter")}
OUTPUT = {f"ledgerlib.{m}" for m in (
    "aggregate", "lists", "history", "report", "plaintext", "render", "sanitize", "search", "chart", "timeline",
    "export", "export_xlsx", "export_docx", "gbt9704", "officezip", "downloads", "ics", "issued", "rollup",
    "rollup_notice", "site", "codeowners", "errorpage", "pdfinfo", "warnings", "ledgerdata", "reportdoc", "annexes",
    "revfields", "ledgerbuild", "siteurls", "preview", "sitebuild")}


@pytest.mark.parametrize("module", sorted(LOADING | IMPORTING))
def test_loading_and_import_reach_no_output_module(module):
    graph = _module_graph()
    assert not (LOADING | IMPORTING) & OUTPUT
    assert sorted(_reachable(graph, module) & OUTPUT) == []
