"""ledger.py validate: print every error as path:line: field: message.

Without --ledger, or with a folder of ledgers, every ledger is checked at once."""

from __future__ import annotations

import sys
from pathlib import Path

from .. import constants as C
from ..errors import errors_of, warnings_of
from ..ledgers import check_collection, collection_root, discover


def add_arguments(parser) -> None:
    parser.add_argument("--strict", action="store_true", help="警告也视为错误")


def run(args) -> int:
    path = Path(args.ledger)
    root = collection_root(path)
    # One ledger folder of several: check it alone, its follows: against all.
    only = next((ref for ref in discover(root) if ref.name and ref.path.resolve() == path.resolve()), None) \
        if (path / C.LEDGER_FILE).is_file() else None
    collection, diagnostics = check_collection(root, only=only)
    for diagnostic in diagnostics:
        print(diagnostic, file=sys.stderr if collection is None else sys.stdout)
    errors, warnings = len(errors_of(diagnostics)), len(warnings_of(diagnostics))
    if collection is None:
        print(f"台账校验未通过：{errors} 处错误，{warnings} 处警告。", file=sys.stderr)
        return 1
    if args.strict and warnings:
        print(f"有 {warnings} 处警告（--strict 模式下视为错误）。", file=sys.stderr)
        return 1
    tail = f"，{warnings} 处警告。" if warnings else "。"
    if not collection.multi:
        ledger = collection.ledgers[0]
        print(f"台账校验通过：{len(ledger.issues)} 个问题，{len(ledger.categories)} 个方面{tail}")
        return 0
    for ref, ledger in collection.entries:
        print(f"  {ref.name}：{len(ledger.issues)} 个问题，{len(ledger.categories)} 个方面")
    total = sum(len(ledger.issues) for ledger in collection.ledgers)
    print(f"台账校验通过：{len(collection.entries)} 个台账，共 {total} 个问题{tail}")
    return 0
