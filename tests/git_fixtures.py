"""Temporary git repositories with commits at fixed dates and fixed authors."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from conftest import REPO
from ledger_fixtures import issue_text

# No cut-off date: as-of builds then count overdue problems as of their day.
HISTORY_LEDGER_YML = """\
title: 测试单位关于巡察整改情况的报告
unit: 测试单位党委
group: 区委第一巡察组
feedback_date: 2023-01-18
warn_days: 15
categories:
  - name: 聚焦基层党组织建设
    short: 党建
  - name: 落实巡察整改情况
    short: 整改
"""


def git(repo: Path, *args: str, author: str = "测试员", when: str | None = None) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": author, "GIT_AUTHOR_EMAIL": "a@example.invalid",
           "GIT_COMMITTER_NAME": author, "GIT_COMMITTER_EMAIL": "a@example.invalid",
           "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(repo.parent)}
    if when:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = when
    result = subprocess.run(["git", "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main", *args],
                            cwd=repo, env=env, capture_output=True, text=True, check=True)
    return result.stdout.strip()


def problem(id: int, status: str, deadline: str, extra: str = "") -> str:
    return issue_text(id, status, extra).replace("deadline: 2023-03-31", f"deadline: {deadline}")


def commit(repo: Path, message: str, author: str, when: str,
           files: dict[str, str] | None = None, moves: dict[str, str] | None = None) -> str:
    for old, new in (moves or {}).items():
        git(repo, "mv", f"issues/{old}", f"issues/{new}")
    for name, text in (files or {}).items():
        (repo / "issues" / name).write_text(text, encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message, author=author, when=when)
    return git(repo, "rev-parse", "HEAD")


def make_history_repo(repo: Path, *, site_inputs: bool = True) -> dict[str, str]:
    """Five problems moved through their statuses over three months.

    Returns the commit ids by name. Problem 2 is renamed (with a change) on
    2023-03-05; problem 3's front-matter is broken on 2023-03-06 and repaired
    on 2023-03-20; problem 2 is completed on a branch authored 2023-04-12 and
    merged into main on 2023-04-15.
    """
    repo.mkdir(parents=True, exist_ok=True)
    if site_inputs:
        for name in ("mkdocs.yml", "docs", "hooks", "scripts"):
            src = REPO / name
            copy = shutil.copytree if src.is_dir() else shutil.copy2
            kwargs = {"ignore": shutil.ignore_patterns("__pycache__")} if src.is_dir() else {}
            copy(src, repo / name, **kwargs)
    (repo / "issues").mkdir(exist_ok=True)
    (repo / "issues" / "ledger.yml").write_text(HISTORY_LEDGER_YML, encoding="utf-8")
    git(repo, "init", "-q")
    shas = {}
    shas["register"] = commit(repo, "登记巡察反馈问题", "王科员", "2023-01-20T10:00:00+08:00", {
        "01-a.md": problem(1, "未启动", "2023-03-31"),
        "02-b.md": problem(2, "未启动", "2023-02-28"),
        "03-c.md": problem(3, "未启动", "2023-05-10"),
        "04-d.md": problem(4, "未启动", "2023-03-31"),
        "05-e.md": problem(5, "整改中", "2023-12-31"),
    })
    shas["start1"] = commit(repo, "问题1开始整改", "李主任", "2023-02-10T09:00:00+08:00",
                            {"01-a.md": problem(1, "整改中", "2023-03-31")})
    shas["done1"] = commit(repo, "问题1整改完毕，问题2改名", "张局长", "2023-03-05T16:00:00+08:00",
                           {"01-a.md": problem(1, "已完成", "2023-03-31", "completed: 2023-03-01\n"),
                            "02-b-改名.md": problem(2, "整改中", "2023-02-28").replace("leader: 局长", "leader: 副局长")},
                           moves={"02-b.md": "02-b-改名.md"})
    shas["broken3"] = commit(repo, "误改问题3", "王科员", "2023-03-06T11:00:00+08:00",
                             {"03-c.md": problem(3, "[整改中", "2023-05-10")})
    shas["fix3"] = commit(repo, "修正问题3", "王科员", "2023-03-20T11:00:00+08:00",
                          {"03-c.md": problem(3, "整改中", "2023-05-10")})
    git(repo, "checkout", "-q", "-b", "fix-2")
    shas["branch2"] = commit(repo, "问题2整改完毕", "李主任", "2023-04-12T10:00:00+08:00",
                             {"02-b-改名.md": problem(2, "已完成", "2023-02-28", "completed: 2023-04-10\n")
                              .replace("leader: 局长", "leader: 副局长")})
    git(repo, "checkout", "-q", "main")
    git(repo, "merge", "-q", "--no-ff", "-m", "合并请求：问题2整改完毕", "fix-2",
        author="张局长", when="2023-04-15T15:00:00+08:00")
    shas["merge2"] = git(repo, "rev-parse", "HEAD")
    return shas
