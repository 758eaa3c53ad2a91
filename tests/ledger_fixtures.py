"""Small ledgers written on the fly, one rule broken at a time."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ledgerlib.aggregate import standing
from ledgerlib.model import Ledger
from ledgerlib.report import build_report
from ledgerlib.reportdoc import ReportDoc

LEDGER_YML = """\
title: 测试单位关于巡察整改情况的报告
unit: 测试单位党委
group: 区委第一巡察组
feedback_date: 2023-01-18
cutoff_date: 2023-06-30
categories:
  - name: 聚焦基层党组织建设
    short: 党建
  - name: 落实巡察整改情况
    short: 整改
"""

ISSUE = """\
---
id: {id}
title: 问题{id}
category: 党建
status: {status}
owner: 办公室
leader: 局长
deadline: 2023-03-31
{extra}---

## 问题描述

问题{id}的描述。

## 整改情况

问题{id}的整改措施。
"""


def issue_text(id: int = 1, status: str = "整改中", extra: str = "") -> str:
    return ISSUE.format(id=id, status=status, extra=extra)


def write_ledger(root: Path, issues: dict[str, str] | None = None, ledger_yml: str = LEDGER_YML) -> Path:
    """Write issues/ledger.yml and the given problem files under ``root``."""
    folder = root / "issues"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "ledger.yml").write_text(ledger_yml, encoding="utf-8")
    if issues is None:
        issues = {"01-a.md": issue_text(1), "02-b.md": issue_text(2, "已完成", "completed: 2023-03-01\n")}
    for name, text in issues.items():
        data = text if isinstance(text, bytes) else text.encode("utf-8")
        (folder / name).write_bytes(data)
    return folder


def report_of(ledger: Ledger, today: dt.date, **kwargs) -> ReportDoc:
    """The report as a build on ``today`` makes it (the cut-off date, if any, wins)."""
    return build_report(ledger, standing(ledger, today=today), **kwargs)
