"""ledger.py export: the 台账 as .xlsx or .csv, the report as .docx."""

from __future__ import annotations

import sys
from pathlib import Path

from ..documents import DEFAULT_KIND, KIND_INFO, KINDS
from . import document_ready, load_or_report

FORMATS = ("xlsx", "csv", "docx", "json")


def add_arguments(parser) -> None:
    parser.add_argument("--format", choices=FORMATS, help="xlsx（Excel 台账）、csv（台账）、docx（Word 整改报告）或 json（台账数据，与网站的 data/ledger.json 相同）；默认按 --out 的扩展名")
    parser.add_argument("--out", required=True, help="输出文件，例如 整改台账.xlsx")
    parser.add_argument("--doc", choices=KINDS, default=DEFAULT_KIND,
                        help="导出 Word 时选哪份文件：plan 整改方案、progress 整改进展情况报告（默认）、"
                             "final 整改完成情况报告、notice 整改情况通报")
    parser.add_argument("--draft", action="store_true", help="讨论稿：叙述中还有“【待填写】”也导出")


def render(ledger, fmt: str, kind: str = DEFAULT_KIND) -> bytes:
    """The file's bytes; the standing (and for Word the documents) computed
    here once, as a site build does, never by the writers."""
    if fmt == "docx":
        from ..gitrun import git_commit, git_dirty
        from ..ledgerbuild import build_ledger, to_docx
        commit = git_commit(ledger.repo_root)
        dirty = commit is not None and git_dirty(ledger.repo_root, (ledger.root,))
        return to_docx(build_ledger(ledger, commit=commit, dirty=dirty), kind=kind)
    if fmt == "json":
        return ledger_json(ledger)
    from ..aggregate import standing
    from ..export import to_csv
    from ..export_xlsx import to_xlsx
    return to_xlsx(ledger, standing(ledger)) if fmt == "xlsx" else to_csv(ledger)


def ledger_json(ledger) -> bytes:
    """data/ledger.json as the site build writes it: the same standing, history and commit."""
    from ..aggregate import standing, with_history
    from ..gitrun import git_commit, git_dirty
    from ..history import read_history
    from ..ledgerdata import dumps, ledger_data
    commit = git_commit(ledger.repo_root)
    dirty = commit is not None and git_dirty(ledger.repo_root, (ledger.root,))
    counted = with_history(standing(ledger), ledger, read_history(ledger.root, "HEAD", after=ledger.history_after))
    return dumps(ledger_data(ledger, counted, commit=commit, dirty=dirty))


def run(args) -> int:
    out = Path(args.out)
    fmt = args.format or out.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        print(f"无法从“{out.name}”判断导出格式；请加 --format xlsx、csv、docx 或 json。", file=sys.stderr)
        return 2
    if args.doc != DEFAULT_KIND and fmt != "docx":
        print(f"--doc 只用于导出 Word 文件（.docx）；“{out.name}”是 {fmt} 台账，请去掉 --doc 或改用 .docx。", file=sys.stderr)
        return 2
    ledger_dir = Path(args.ledger)
    ledger = load_or_report(ledger_dir, "台账有错误，未导出；请先修正（python3 scripts/ledger.py validate）。")
    if ledger is None:
        return 1
    if fmt == "docx" and not document_ready(ledger, args.doc, draft=args.draft, then="未导出"):
        return 1
    data = render(ledger, fmt, args.doc)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(data)
    except PermissionError:
        # Excel locks a workbook while it is open.
        print(f"无法写入“{out}”：文件可能正在 Excel 或 Word 中打开，请关闭后重试。", file=sys.stderr)
        return 1
    what = KIND_INFO[args.doc].label if args.doc != DEFAULT_KIND else f" {len(ledger.issues)} 个问题"
    print(f"已导出{what}到“{out}”（{len(data) // 1024 or 1} KB）。")
    return 0
