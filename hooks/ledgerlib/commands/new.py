"""ledger.py new: start a problem file with the next free number."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import jinja2

from ..constants import PLACEHOLDER
from ..fields import parse_date
from ..render import TEMPLATES
from . import load_or_report


def add_arguments(parser) -> None:
    parser.add_argument("title", help="问题标题（简短的一句话）")
    parser.add_argument("--category", help="问题方面（名称或简称；默认第一个方面）")
    parser.add_argument("--owner", default="", help="责任部门，多个用顿号分隔")
    parser.add_argument("--leader", default="", help="责任领导")
    parser.add_argument("--deadline", default="", help="整改时限，例如 2024-06-30")
    parser.add_argument("--id", type=int, help="序号（默认取现有最大序号加 1）")


def file_name(issue_id: int, title: str) -> str:
    stem = re.sub(r"[^\w\u4e00-\u9fff]+", "", title)[:16] or "问题"
    return f"{issue_id:02d}-{stem}.md"


def run(args) -> int:
    ledger_dir = Path(args.ledger)
    if args.deadline:
        try:
            parse_date(args.deadline)
        except ValueError as exc:
            print(f"--deadline：{exc}", file=sys.stderr)
            return 2
    # Drafts: a fresh ledger still has the placeholders of init and earlier `new`s.
    ledger = load_or_report(ledger_dir, "请先修正台账中的错误，再新建问题。", drafts=True)
    if ledger is None:
        return 1
    used = {i.id for i in ledger.issues}
    issue_id = args.id or max(used, default=0) + 1
    if issue_id in used:
        print(f"序号 {issue_id} 已被占用；请换一个序号或省略 --id。", file=sys.stderr)
        return 1
    category = ledger.categories[0]
    if args.category:
        matches = [c for c in ledger.categories if args.category in (c.name, c.short)]
        if not matches:
            names = "、".join(c.short or c.name for c in ledger.categories)
            print(f"“{args.category}”不是台账中的问题方面；可选：{names}", file=sys.stderr)
            return 1
        category = matches[0]
    path = ledger.root / file_name(issue_id, args.title)
    if path.exists():
        print(f"{path} 已存在，未做任何修改。", file=sys.stderr)
        return 1
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), keep_trailing_newline=True)
    # Quoted, readable YAML strings: a title like "no" or "012" stays text.
    env.filters["q"] = lambda v: json.dumps(v, ensure_ascii=False)
    text = env.get_template("new_issue.md.j2").render(
        id=issue_id, title=args.title, category=category.short or category.name,
        status=ledger.statuses[0].label, owner=args.owner, leader=args.leader, deadline=args.deadline,
        placeholder=PLACEHOLDER)
    path.write_text(text, encoding="utf-8")
    print(f"已新建 {path}；请把“{PLACEHOLDER}”处改写为问题描述和整改情况后提交合并请求。")
    return 0
