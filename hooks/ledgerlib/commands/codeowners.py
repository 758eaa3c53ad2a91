"""ledger.py codeowners: write CODEOWNERS so that departments review their problems."""

from __future__ import annotations

import sys
from pathlib import Path

from ..codeowners import render
from . import load_or_report


def add_arguments(parser) -> None:
    parser.add_argument("--out", help="输出文件（默认：仓库根目录下的 CODEOWNERS）")


def run(args) -> int:
    ledger = load_or_report(Path(args.ledger), "请先修正台账中的错误，再生成 CODEOWNERS。", drafts=True)
    if ledger is None:
        return 1
    if not ledger.codeowners:
        print("ledger.yml 中没有 codeowners（责任部门 → 审核账号）；请先按编写指南添加，例如：\n"
              "codeowners:\n  办公室: [wang.li]", file=sys.stderr)
        return 1
    text, problems = render(ledger)
    for problem in problems:
        print("警告：" + problem, file=sys.stderr)
    out = Path(args.out) if args.out else ledger.repo_root / "CODEOWNERS"
    out.write_text(text, encoding="utf-8", newline="\n")
    count = text.count("\n/")
    print(f"已写入 {out}：{count} 个问题文件指定了审核人。")
    return 0
