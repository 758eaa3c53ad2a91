"""Units in their own repositories, and a 巡察办's roll-up over them.

Each unit is a working repository with its ledger in issues/, pushed to a
bare repository that the roll-up reaches as a ``file://`` remote, as it
would reach the intranet Git server."""

from __future__ import annotations

from pathlib import Path

from lxml import html

from git_fixtures import git
from ledger_fixtures import issue_text

UNIT_YML = """\
title: {unit}关于巡察整改情况的报告
unit: {unit}
group: 县委第一巡察组
feedback_date: 2023-01-18
categories:
  - name: 聚焦基层党组织建设
    short: 党建
statuses:
  - {{key: doing, label: 整改中, overdue: true}}
  - {{key: mostly, label: 基本完成, overdue: true}}
  - {{key: done, label: 已完成, done: true}}
"""


def problems(statuses: list[str]) -> dict[str, str]:
    """Problem files 1..n in these statuses; all with the deadline 2023-03-31."""
    return {f"{n:02d}-p.md": issue_text(n, status, "completed: 2023-03-01\n" if status == "已完成" else "")
            for n, status in enumerate(statuses, start=1)}


class Unit:
    """A unit's working repository and the bare remote it pushes to."""

    def __init__(self, root: Path, name: str, unit: str, statuses: list[str]):
        self.name, self.unit = name, unit
        self.work, self.remote = root / name / "work", root / name / "remote.git"
        (self.work / "issues").mkdir(parents=True)
        git(self.work, "init", "-q")
        (self.work / "issues" / "ledger.yml").write_text(UNIT_YML.format(unit=unit), encoding="utf-8")
        self.commit(problems(statuses), "台账")
        git(root, "clone", "-q", "--bare", str(self.work), str(self.remote))
        git(self.work, "remote", "add", "origin", str(self.remote))

    @property
    def url(self) -> str:
        return self.remote.as_uri()

    def commit(self, files: dict[str, str], message: str) -> None:
        for name, text in files.items():
            (self.work / "issues" / name).write_text(text, encoding="utf-8")
        git(self.work, "add", "-A")
        git(self.work, "commit", "-q", "-m", message)

    def push(self) -> str:
        git(self.work, "push", "-q", "origin", "HEAD:main")
        return git(self.remote, "rev-parse", "main")


def sources_yml(units: list[Unit], urls: dict[str, str], stale_days: int = 100000) -> str:
    lines = [f"stale_days: {stale_days}", "sources:"]
    for u in units:
        lines += [f"  {u.name}:", f"    git: {u.url}", "    ref: main", "    path: issues"]
    lines += [f"  {name}: {{url: {url}}}" for name, url in urls.items()]
    return "\n".join(lines) + "\n"


def home_rows(site: Path) -> dict[str, dict[str, str]]:
    """The roll-up home page's table: unit folder name -> column class -> text."""
    tree = html.fromstring((site / "index.html").read_text(encoding="utf-8"))
    rows = {}
    for tr in tree.xpath("//table[contains(@class, 'ledger-rollup')]/tbody/tr"):
        cells = {c.get("class").removeprefix("ledger-n-"): c.text_content().strip()
                 for c in tr.xpath("td[starts-with(@class, 'ledger-n-')]")}
        cells["stale"] = "未更新" if tr.xpath(".//span[@class='ledger-stale']") else ""
        cells["unit"] = tr.xpath("td[1]/a")[0].text_content().strip()
        rows[tr.get("id").removeprefix("unit-")] = cells
    return rows
