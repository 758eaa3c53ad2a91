"""ledger.py init --rollup: make this repository a 巡察办's roll-up over units' own repositories.

Writes ``sources.yml`` (one entry per unit, filled in by the 巡察办),
``issues/summary.yml`` (the 汇总通报's wording and the 整改评估 rules, the
扶风 example by default) and ``issues/evaluation.yml`` (the scores entered
by hand), and keeps ``.ledger-cache/`` out of git. The sample ledger in
``issues/`` goes, as with ``init`` (confirmation or --force). ``ledger.py
pull`` then fills ``issues/<name>/`` from the sources.
"""

from __future__ import annotations

import sys
from pathlib import Path

from .. import constants as C
from ..atomicfs import Replacement
from ..evalconfig import SCORES_FILE
from ..ledgers import repo_root_of
from ..pulling import CACHE_DIR
from ..rollup_settings import SETTINGS_FILE
from ..sources import DEFAULT_STALE_DAYS, SOURCES_FILE

SOURCES_YML = f"""\
# 汇总仓库的数据来源：每个被巡察单位一项，名称即网站上的栏目名（issues/名称/）。
# 两种来源任选其一：
#   git:  单位台账仓库的地址（本仓库只需“只读”权限，见编写指南“汇总仓库”一节）；
#         ref:  分支或标签，默认 main；path: 台账文件夹，默认 issues
#   url:  单位网站发布的台账数据 data/ledger.json 的地址
# 写好后运行 python3 scripts/ledger.py pull，拉取结果的版本记录在 sources.lock。
stale_days: {DEFAULT_STALE_DAYS}        # 单位数据的截至日超过这么多天即标为“未更新”

sources:
  示例单位:
    git: http://git.intranet.local/shiliduanwei/zhenggai-ledger.git
    ref: main
    path: issues
  # 县教育局:
  #   url: http://edu.intranet.local/zhenggai/data/ledger.json
"""

SUMMARY_YML = """\
# 汇总通报和整改评估的设置（可选项，不写则用默认值）。
title: 关于巡察反馈问题整改情况的通报
issuer: 巡察工作领导小组办公室
threshold: 80                   # 整改完成率低于此百分数的单位在汇总页和通报中点名

# 整改评估：按指标扣分，满分 100。rules 由台账数据自动计算，manual 的指标在 evaluation.yml 中逐单位打分。
#   measure 可用：completion_rate 完成率、signoff_rate 销号率（%），overdue 逾期问题、extended 延期问题、
#   warnings 预警问题、overdue_tasks 逾期措施（个）；
#   rate 类写 below（低于多少 % 开始扣）和 deduct（每低 1 个百分点扣几分），个数类写 deduct（每个扣几分）；max 为该项最多扣几分。
evaluation:
  indicators:
    - name: 组织领导
      points: 15
      manual: true
    - name: 责任落实
      points: 15
      rules:
        - {measure: overdue, deduct: 1, max: 10}
        - {measure: extended, deduct: 0.5, max: 5}
    - name: 整改任务完成
      points: 60
      rules:
        - {measure: completion_rate, below: 100, deduct: 1}
        - {measure: signoff_rate, below: 100, deduct: 0.2, max: 10}
        - {measure: warnings, deduct: 0.5, max: 10}
    - name: 群众满意度
      points: 10
      manual: true
  veto:                         # 一票否决：达到即评为“差”、总分记 0
    - {item: 报告与事实不符, at_least: 5}
  grades: {好: 90, 较好: 80, 一般: 60}   # 各等次的最低分；低于最后一档为“差”
"""

SCORES_YML = """\
# 整改评估中手工打分的项目，每个单位一节（名称同 sources.yml）：
# manual 指标写得分（不超过满分），一票否决项写项数；未填写的单位暂不评定等次。
# 示例单位:
#   组织领导: 14
#   群众满意度: 8.5
#   报告与事实不符: 0
"""


def run_rollup(args, removal_plan, confirmed) -> int:
    """``removal_plan``/``confirmed`` are init's own: the sample goes the same way."""
    folder = Path(args.ledger)
    repo = repo_root_of(folder)
    if (repo / SOURCES_FILE).exists() and not args.force:
        print(f"“{repo / SOURCES_FILE}”已存在，未做任何修改；确需重写请加 --force。", file=sys.stderr)
        return 1
    plan = removal_plan(folder, repo)
    if plan.files and not args.force and not confirmed(plan, repo):
        return 1
    with Replacement() as swap:  # the sample goes in one swap, or not at all (atomicfs)
        for path in plan.narratives + plan.evidence + plan.problems + [
                folder / name for name in (C.LEDGER_FILE, C.SIGNOFF_FILE, "warnings.yml")]:
            if path.is_file():
                swap.remove(path)
    plan.tidy()
    folder.mkdir(parents=True, exist_ok=True)
    (repo / SOURCES_FILE).write_text(SOURCES_YML, encoding="utf-8")
    (folder / SETTINGS_FILE).write_text(SUMMARY_YML, encoding="utf-8")
    (folder / SCORES_FILE).write_text(SCORES_YML, encoding="utf-8")
    ignore = repo / ".gitignore"
    lines = ignore.read_text(encoding="utf-8").splitlines() if ignore.is_file() else []
    if f"{CACHE_DIR}/" not in lines:
        ignore.write_text("\n".join([*lines, f"{CACHE_DIR}/"]) + "\n", encoding="utf-8")
    print(f"已建立汇总仓库：请在 {SOURCES_FILE} 中列出各单位台账的来源，然后运行 python3 scripts/ledger.py pull。\n"
          f"汇总通报和整改评估的设置在 {folder.name}/{SETTINGS_FILE}，手工打分在 {folder.name}/{SCORES_FILE}。")
    return 0
