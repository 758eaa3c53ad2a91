"""ledger.py validate: print every error as path:line: field: message."""

from __future__ import annotations

import sys
from pathlib import Path

from ..parser import check_ledger


def add_arguments(parser) -> None:
    parser.add_argument("--strict", action="store_true", help="警告也视为错误")


def run(args) -> int:
    ledger_dir = Path(args.ledger)
    repo = ledger_dir.resolve().parent
    ledger, diagnostics = check_ledger(ledger_dir, repo_root=repo)
    for diagnostic in diagnostics:
        print(diagnostic, file=sys.stderr if ledger is None else sys.stdout)
    errors = sum(1 for d in diagnostics if d.severity.name == "ERROR")
    warnings = len(diagnostics) - errors
    if ledger is None:
        print(f"台账校验未通过：{errors} 处错误，{warnings} 处警告。", file=sys.stderr)
        return 1
    if args.strict and warnings:
        print(f"有 {warnings} 处警告（--strict 模式下视为错误）。", file=sys.stderr)
        return 1
    print(f"台账校验通过：{len(ledger.issues)} 个问题，{len(ledger.categories)} 个方面"
          + (f"，{warnings} 处警告。" if warnings else "。"))
    return 0
