"""The three lists on a built site: problem 11 of the sample split into three measures."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import REPO, copy_repo, mkdocs_build, read

MEASURES_11 = """\
measures:
  - text: 重新健全完善“三会一课”制度
    person: 张*
    status: 已完成
    completed: 2023-02-10
    evidence: [“三会一课”制度]
  - text: 会议记录本细化分类、专本专用
    person: 李*
    deadline: 2023-02-28
    status: 已完成
    completed: 2023-02-20
  - text: 提高民主生活会和组织生活会质量
    owner: 办公室
    person: 王*
    status: 整改中
"""


def with_measures(repo, status: str):
    """Problem 11 with three measures (two done, one 整改中), in ``status``."""
    path = next((repo / "issues").glob("11-*.md"))
    text = read(path)
    head = "status: 已完成\n" if status == "已完成" else f"status: {status}\n"
    text = text.replace("status: 已完成\n", head)
    if status != "已完成":
        text = text.replace("completed: 2023-02-24\n", "").replace("status_note: 目前，此项已经整改完毕。\n", "")
    text = text.replace("---\n\n## 问题描述", MEASURES_11 + "---\n\n## 问题描述", 1)
    path.write_text(text, encoding="utf-8")
    return path


def validate(repo):
    return subprocess.run([sys.executable, str(REPO / "scripts" / "ledger.py"), "--ledger", str(repo / "issues"), "validate"],
                          capture_output=True, text=True, cwd=repo)


@pytest.fixture(scope="module")
def measured_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("measures")
    repo = copy_repo(root / "repo")
    with_measures(repo, "整改中")
    result = mkdocs_build(repo, root / "site")
    assert result.returncode == 0, result.stderr
    return root / "site"


def test_done_problem_with_an_open_measure_fails_validate(tmp_path):
    repo = copy_repo(tmp_path / "repo")
    path = with_measures(repo, "已完成")
    result = validate(repo)
    assert result.returncode != 0
    assert f"issues/{path.name}:5: status: 问题状态为“已完成”，但第3项整改措施“提高民主生活会和组织生活会质量”仍为“整改中”" in result.stdout + result.stderr
    assert "Traceback" not in result.stderr


def test_task_list_lists_every_measure_with_its_person(measured_site):
    html = read(measured_site / "tasks" / "index.html")
    for text, person in (("重新健全完善“三会一课”制度", "张*"), ("会议记录本细化分类、专本专用", "李*"),
                         ("提高民主生活会和组织生活会质量", "王*")):
        assert text in html and f"<td>{person}</td>" in html
    assert 'href="../problems/11/"' in html and "ledger-sortable" in html
    assert "3 项整改措施，分属 1 个问题：已完成 2 项，截至 2023-06-30 逾期 1 项" in html
    assert "ledger-row-overdue" in html  # the third measure's deadline is the problem's, 2023-03-31


def test_owner_pages_show_problems_led_and_measures_owned(measured_site):
    party = read(measured_site / "owners" / "局党支部" / "index.html")
    assert "负责的整改措施" in party and "牵头的问题" in party
    assert "重新健全完善“三会一课”制度" in party and "会议记录本细化分类、专本专用" in party
    assert "提高民主生活会和组织生活会质量" not in party  # owned by 办公室
    office = read(measured_site / "owners" / "办公室" / "index.html")
    assert "提高民主生活会和组织生活会质量" in office


def test_dashboard_and_problem_page_show_the_measures(measured_site):
    html = read(measured_site / "index.html")
    assert '<span class="ledger-kpi-value">3</span><span class="ledger-kpi-label">整改措施</span>' in html
    assert '<span class="ledger-kpi-value">2/3</span><span class="ledger-kpi-label">措施已完成</span>' in html
    assert '<span class="ledger-kpi-value">1</span><span class="ledger-kpi-label">逾期措施</span>' in html
    page = read(measured_site / "problems" / "11" / "index.html")
    assert "整改措施" in page and "“三会一课”制度" in page and "2023-02-20" in page


def test_sample_without_measures_has_an_explanatory_task_list(sample_site):
    html = read(sample_site / "tasks" / "index.html")
    assert "还没有分解为整改措施" in html
    assert "整改措施</span>" not in read(sample_site / "index.html")
