"""ledger.py codeowners: write CODEOWNERS so that departments review their problems."""

from __future__ import annotations

import sys
from pathlib import Path

from .. import constants as C
from ..codeowners import render, render_all
from ..ledgers import check_collection, collection_root
from . import report_invalid


def add_arguments(parser) -> None:
    parser.add_argument("--out", help="输出文件（默认：仓库根目录下的 CODEOWNERS）")


def run(args) -> int:
    # CODEOWNERS covers the whole repository: every ledger, whichever is chosen.
    collection, diagnostics = check_collection(collection_root(Path(args.ledger)), drafts=True)
    if collection is None:
        report_invalid(diagnostics, "请先修正台账中的错误，再生成 CODEOWNERS。")
        return 1
    if not any(ledger.codeowners for ledger in collection.ledgers):
        print("ledger.yml 中没有 codeowners（责任部门 → 审核账号）；请先按编写指南添加，例如：\n"
              "codeowners:\n  办公室: [wang.li]", file=sys.stderr)
        return 1
    ledger = collection.ledgers[0]
    text, problems = render_all(collection.ledgers) if collection.multi else render(ledger)
    for problem in problems:
        print("警告：" + problem, file=sys.stderr)
    out = Path(args.out) if args.out else ledger.repo_root / "CODEOWNERS"
    out.write_text(text, encoding="utf-8", newline="\n")
    # Problem files, not the ledgers' own folder lines ("/issues/<name>/") nor the sign-off register.
    count = sum(1 for line in text.splitlines() if line.startswith("/") and not line.split(" ")[0].endswith("/")
                and not line.split(" ")[0].endswith("/" + C.SIGNOFF_FILE))
    signoff = f"/{C.SIGNOFF_FILE} " in text
    print(f"已写入 {out}：{count} 个问题文件指定了审核人"
          + (f"，销号登记表 {C.SIGNOFF_FILE} 由“{C.SIGNOFF_OWNERS}”的账号审核。" if signoff else "。"))
    return 0
