"""ledger.py pull: fetch every unit's ledger listed in sources.yml into the roll-up (see pulling.py)."""

from __future__ import annotations

import sys
from pathlib import Path

from ..errors import Diagnostics, LedgerInvalid
from ..ledgers import repo_root_of
from ..sources import SOURCES_FILE, read_config

_STATUS = {"ok": "已更新", "stale": "未更新", "failed": "没有数据"}


def add_arguments(parser) -> None:
    parser.add_argument("--update", action="append", metavar="名称",
                        help="只拉取这个单位（sources.yml 中的名称），其余单位的锁定版本不变；可写多次")


def run(args) -> int:
    from ..pulling import pull

    repo = repo_root_of(Path(args.ledger))
    diags = Diagnostics()
    config = read_config(repo, diags)
    if config is None or diags.error_count:
        print(LedgerInvalid(diags.items).report(), file=sys.stderr)
        print(f"{SOURCES_FILE} 有错误，未拉取任何单位；请按上面的提示修改。", file=sys.stderr)
        return 1
    names = {s.name for s in config.sources}
    unknown = [n for n in args.update or () if n not in names]
    if unknown:
        print(f"{SOURCES_FILE} 中没有“{'、'.join(unknown)}”；现有：{'、'.join(sorted(names))}。", file=sys.stderr)
        return 2
    entries = pull(repo, config, only=set(args.update) if args.update else None)
    for entry in entries:
        pin = f"提交 {entry.commit[:7]}" if entry.commit else (f"sha256 {entry.sha256[:12]}" if entry.sha256 else "")
        line = f"{_STATUS[entry.status]}  {entry.name}" + (f"：{pin}，截至{entry.as_of}" if pin else "")
        print(line + (f"（{entry.reason}）" if entry.reason else ""))
    bad = [e for e in entries if e.stale]
    if bad:
        kept = sum(1 for e in bad if e.status == "stale")
        print(f"拉取完成，但有 {len(bad)} 个单位未能更新（{kept} 个保留上次取得的数据，"
              f"{len(bad) - kept} 个还没有任何数据）：{'、'.join(e.name for e in bad)}。"
              "汇总网站会标注这些单位和原因；请联系相关单位或信息化部门。", file=sys.stderr)
        return 1
    print(f"拉取完成：{len(entries)} 个单位均已更新，锁定版本写入 sources.lock。")
    return 0
