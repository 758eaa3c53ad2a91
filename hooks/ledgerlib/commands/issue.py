"""ledger.py issue KIND --date YYYY-MM-DD: record that a document was sent.

An annotated git tag ``issued/[<ledger>/]<kind>/<date>`` on the current
commit: the site's 已报送文件 page rebuilds the document from it, frozen,
and compares it with the previous issue of the same kind. A tree with
uncommitted changes is refused: the tag would not hold what was printed.
"""

from __future__ import annotations

import sys
from pathlib import Path

from .. import snapshot
from ..documents import KIND_INFO, KINDS
from ..fields import date_argument
from ..genre import chinese_date
from ..gitrun import run_git
from ..issued import tag_name
from ..ledgers import repo_root_of
from . import choose_or_report, document_ready, load_or_report


def add_arguments(parser) -> None:
    parser.add_argument("kind", choices=KINDS, metavar="种类",
                        help="plan 整改方案、progress 整改进展情况报告、final 整改完成情况报告、notice 整改情况通报")
    parser.add_argument("--date", required=True, type=date_argument, metavar="YYYY-MM-DD",
                        help="报送日期，例如 2023-06-30 或 2023年6月30日")
    parser.add_argument("--draft", action="store_true", help="叙述中还有“【待填写】”也记录（一般不用）")


# Chinese file names as they are, not git's octal escapes, in the message.
_PLAIN_PATHS = ("-c", "core.quotepath=false")


def uncommitted(toplevel: Path, ledger_dir: Path) -> list[str] | None:
    """Changes the tag would not hold: any edit to a tracked file, and new
    files where the documents are made from (the ledger folder, docs/). An
    exported 整改方案.docx lying beside them is not a change. None without
    any commit."""
    tracked = run_git([*_PLAIN_PATHS, "status", "--porcelain", "--untracked-files=no"], toplevel)
    if tracked.returncode != 0 or run_git(["rev-parse", "--verify", "-q", "HEAD"], toplevel).returncode != 0:
        return None
    inputs = [str(ledger_dir), str(repo_root_of(ledger_dir) / "docs")]
    new = run_git([*_PLAIN_PATHS, "status", "--porcelain", "--untracked-files=all", "--", *inputs], toplevel)
    lines = tracked.stdout.decode("utf-8", "replace").splitlines()
    return lines + [line for line in new.stdout.decode("utf-8", "replace").splitlines() if line.startswith("??")]


def run(args) -> int:
    day = args.date
    ref = choose_or_report(args.ledger)
    if ref is None:
        return 1
    ledger = load_or_report(Path(args.ledger), "台账有错误，未记录报送；请先修正（python3 scripts/ledger.py validate）。")
    if ledger is None or not document_ready(ledger, args.kind, draft=args.draft, then="未记录报送"):
        return 1
    try:
        toplevel, _ = snapshot.git_root(Path(ref.path).resolve())
    except snapshot.SnapshotError as exc:
        print(f"{exc}报送记录是 Git 标签，需要在仓库中运行。", file=sys.stderr)
        return 1
    dirty = uncommitted(toplevel, Path(ref.path).resolve())
    if dirty is None:
        print("Git 仓库中还没有任何提交；请先提交台账。", file=sys.stderr)
        return 1
    if dirty:
        shown = "\n".join("    " + line for line in dirty[:10]) + ("\n    ……" if len(dirty) > 10 else "")
        print(f"有未提交的修改，未记录报送：报送的文件必须与某次提交完全一致。请先提交或撤销这些修改：\n{shown}",
              file=sys.stderr)
        return 1
    label = KIND_INFO[args.kind].label
    name = tag_name(ref.name, args.kind, day)
    message = f"报送{label}（{chinese_date(day)}）"
    result = run_git(["tag", "-a", name, "-m", message, "HEAD"], toplevel)
    if result.returncode != 0:
        detail = result.stderr.decode("utf-8", "replace").strip()
        if "already exists" in detail:
            print(f"{chinese_date(day)}的{label}已经记录过（标签 {name}）；同一天同一种文件只记录一次。", file=sys.stderr)
        else:
            print(f"无法创建标签 {name}：{detail}", file=sys.stderr)
        return 1
    commit = run_git(["rev-parse", "--short", "HEAD"], toplevel).stdout.decode().strip()
    print(f"已记录：{message}，标签 {name}，提交 {commit}。\n"
          f"网站的“已报送文件”页面将列出它。请把标签推送到服务器：git push origin {name}")
    return 0
