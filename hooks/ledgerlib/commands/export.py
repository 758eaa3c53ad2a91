"""ledger.py export: the 台账 as .xlsx or .csv, the report as .docx."""

from __future__ import annotations

import sys
from pathlib import Path

from . import load_or_report

FORMATS = ("xlsx", "csv", "docx")


def add_arguments(parser) -> None:
    parser.add_argument("--format", choices=FORMATS, help="xlsx（Excel 台账）、csv（台账）或 docx（Word 整改报告）；默认按 --out 的扩展名")
    parser.add_argument("--out", required=True, help="输出文件，例如 整改台账.xlsx")


def render(ledger, fmt: str) -> bytes:
    if fmt == "docx":
        from ..export_docx import to_docx
        from ..gitrun import git_commit, git_dirty
        commit = git_commit(ledger.repo_root)
        dirty = commit is not None and git_dirty(ledger.repo_root, (ledger.root,))
        return to_docx(ledger, commit=commit, dirty=dirty)
    from .. import export
    return export.to_xlsx(ledger) if fmt == "xlsx" else export.to_csv(ledger)


def run(args) -> int:
    out = Path(args.out)
    fmt = args.format or out.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        print(f"无法从“{out.name}”判断导出格式；请加 --format xlsx、csv 或 docx。", file=sys.stderr)
        return 2
    ledger_dir = Path(args.ledger)
    ledger = load_or_report(ledger_dir, "台账有错误，未导出；请先修正（python3 scripts/ledger.py validate）。")
    if ledger is None:
        return 1
    data = render(ledger, fmt)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(data)
    except PermissionError:
        # Excel locks a workbook while it is open.
        print(f"无法写入“{out}”：文件可能正在 Excel 或 Word 中打开，请关闭后重试。", file=sys.stderr)
        return 1
    print(f"已导出 {len(ledger.issues)} 个问题到“{out}”（{len(data) // 1024 or 1} KB）。")
    return 0
