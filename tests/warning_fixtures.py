"""The sample ledger with open problems whose deadlines sit at chosen
distances from the cut-off date (2023-06-30), for the warning ladder's tests."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

CUTOFF = dt.date(2023, 6, 30)
# problem id -> days between the cut-off date and its deadline
OFFSETS = {1: 21, 2: 20, 3: 11, 4: 10, 5: 0, 6: -1}
# The default (江津) ladder's light for each distance.
EXPECTED = {21: None, 20: "绿色预警", 11: "绿色预警", 10: "黄色预警", 0: "黄色预警", -1: "红色预警"}

MEASURES = """\
measures:
  - text: 健全学习制度
    person: 张*
    deadline: {d1}
    status: 整改中
  - text: 建立学习台账
    owner: 安委办
    person: 李*
    deadline: {d2}
    status: 未启动
  - text: 开展专题学习
    person: 王*
    deadline: {d3}
    status: 已完成
    completed: 2023-06-01
"""


def problem_path(repo: Path, issue_id: int) -> Path:
    return next((repo / "issues").glob(f"{issue_id:02d}-*.md"))


def reopen(repo: Path, issue_id: int, deadline: dt.date, status: str = "整改中", extra: str = "") -> None:
    """Problem ``issue_id`` of the sample, still open, due on ``deadline``."""
    path = problem_path(repo, issue_id)
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"^status: .*$", f"status: {status}", text, count=1, flags=re.M)
    text = re.sub(r"^deadline: .*$", f"deadline: {deadline}", text, count=1, flags=re.M)
    text = re.sub(r"^(completed|status_note): .*\n", "", text, flags=re.M)
    text = text.replace("---\n\n## 问题描述", extra + "---\n\n## 问题描述", 1)
    path.write_text(text, encoding="utf-8")


def shift(repo: Path, day: dt.date = CUTOFF, offsets: dict[int, int] | None = None, measures: bool = True) -> None:
    """Reopen problems 1–6 at OFFSETS from ``day``; problem 7 gets three
    measures at 20, −1 days and a done one."""
    for issue_id, offset in (offsets or OFFSETS).items():
        reopen(repo, issue_id, day + dt.timedelta(days=offset))
    if measures:
        extra = MEASURES.format(d1=day + dt.timedelta(days=20), d2=day - dt.timedelta(days=1),
                                d3=day + dt.timedelta(days=5))
        reopen(repo, 7, day + dt.timedelta(days=40), extra=extra)


def set_cutoff(repo: Path, day: dt.date | None) -> None:
    """ledger.yml's cut-off date (None: removed, the build's day counts)."""
    path = repo / "issues" / "ledger.yml"
    text = path.read_text(encoding="utf-8")
    line = f"cutoff_date: {day}" if day else ""
    path.write_text(re.sub(r"^cutoff_date: .*$", line, text, count=1, flags=re.M), encoding="utf-8")


def add_to_ledger_yml(repo: Path, text: str) -> None:
    path = repo / "issues" / "ledger.yml"
    path.write_text(path.read_text(encoding="utf-8") + "\n" + text, encoding="utf-8")
