"""History on the built site: timelines, chart, overdue flags, as-of rebuilds."""

from __future__ import annotations

import re
import subprocess

import pytest

from conftest import ledger_cli, mkdocs_build, read
from git_fixtures import make_history_repo
from site_checks import article_text

pytestmark = pytest.mark.site  # make test runs these under ProperDocs too


@pytest.fixture(scope="module")
def history_repo(tmp_path_factory):
    repo = tmp_path_factory.mktemp("hsite") / "repo"
    return repo, make_history_repo(repo)


def ledger_py(repo, *args):
    return ledger_cli(*args, cwd=repo, repo=repo)


@pytest.fixture(scope="module")
def head_site(history_repo, tmp_path_factory):
    """The latest ledger with a cut-off date set (uncommitted, as when preparing a report)."""
    repo, _ = history_repo
    clone = tmp_path_factory.mktemp("head") / "repo"
    subprocess.run(["git", "clone", "-q", str(repo), str(clone)], check=True)
    yml = clone / "issues" / "ledger.yml"
    yml.write_text(read(yml) + "cutoff_date: 2023-04-30\n", encoding="utf-8")
    result = mkdocs_build(clone, clone / "site")
    assert result.returncode == 0, result.stderr
    return clone / "site"


def page(site, id):
    return article_text(site / "problems" / str(id) / "index.html")


def test_problem_page_shows_who_changed_status_and_when(head_site, history_repo):
    _, shas = history_repo
    text = page(head_site, 1)
    assert "首次登记\n2023-01-20" in text and "最近修改\n2023-03-05" in text
    lines = text[text.index("变更记录"):].splitlines()[1:]
    assert lines[0].startswith("2023-01-20 王科员 登记此问题：整改状态“未启动”，责任部门“办公室”")
    assert lines[1] == f"2023-02-10 李主任 将整改状态从“未启动”改为“整改中”。 提交 {shas['start1'][:7]}：问题1开始整改"
    assert lines[2].startswith("2023-03-05 张局长 将整改状态从“整改中”改为“已完成”；填写完成时间“2023-03-01”。")


def test_renamed_problem_page_keeps_history_and_names_the_merge(head_site, history_repo):
    _, shas = history_repo
    text = page(head_site, 2)
    assert "2023-03-05 张局长 将问题文件由 02-b.md 改名为 02-b-改名.md。" in text
    assert "将责任领导从“局长”改为“副局长”" in text
    assert f"2023-04-15 张局长 将整改状态从“整改中”改为“已完成”；填写完成时间“2023-04-10”。 合并 {shas['merge2'][:7]}" in text


def test_overdue_flags_at_the_cutoff_date(head_site):
    dashboard = article_text(head_site / "index.html")
    assert "统计截至 2023-04-30（台账设定的截至日期）。" in dashboard
    overdue = dashboard[dashboard.index("逾期问题\n截至"):dashboard.index("临近时限")]
    assert "问题4" in overdue and "逾期30天" in overdue and "问题3" not in overdue
    due_soon = dashboard[dashboard.index("临近时限"):]
    assert "问题3" in due_soon and "剩10天" in due_soon
    html = read(head_site / "list" / "index.html")
    rows = {id: level for level, id in re.findall(r'<tr class="ledger-row-(\w+)"><td data-sort="(\d+)"', html)}
    assert rows == {"1": "none", "2": "none", "3": "warn", "4": "overdue", "5": "ok"}
    assert '<span class="ledger-due ledger-due-ok">剩245天</span>' in html
    assert "整改状态\n未启动 逾期30天（截至 2023-04-30）" in page(head_site, 4)
    assert "整改状态\n已完成\n" in page(head_site, 1)
    report = article_text(head_site / "report" / "index.html")
    assert "数据截至2023年4月30日" in report and "目前，已完成整改2项" in report


def test_dashboard_chart_shows_counts_by_date(head_site):
    html = read(head_site / "index.html")
    svg = re.search(r'<svg class="ledger-chart-svg".*?</svg>', html, re.S)
    assert svg, "no chart"
    labels = re.findall(r"<text [^>]*>([^<]+)</text>", svg.group(0))
    for end_label in ("未启动 1", "整改中 2", "已完成 2", "长期坚持 0", "统计截至", "2023-01-20", "2023-04-30"):
        assert end_label in labels
    assert svg.group(0).count("<polyline") == 4
    table = re.search(r'<details class="ledger-chart-data">.*?</details>', html, re.S).group(0)
    rows = [re.findall(r"<td>([^<]*)</td>", row) for row in re.findall(r"<tr><td>.*?</tr>", table)]
    assert rows == [
        ["2023-01-20", "4", "1", "0", "0", "5"],
        ["2023-02-10", "3", "2", "0", "0", "5"],
        ["2023-03-05", "2", "2", "1", "0", "5"],
        ["2023-03-20", "1", "3", "1", "0", "5"],
        ["2023-04-15", "1", "2", "2", "0", "5"],
    ]


def test_as_of_build_shows_the_old_state(history_repo, tmp_path):
    repo, shas = history_repo
    out = tmp_path / "site-0305"
    result = ledger_py(repo, "build", "--as-of", "2023-03-05", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert f"取自提交 {shas['done1'][:7]}" in result.stdout
    dashboard = article_text(out / "index.html")
    assert "统计截至 2023-03-05（按重建日期计；台账当时未设截至日期）。" in dashboard
    assert f"本网站是台账在 2023-03-05 当天结束时的状态（取自该日及之前的最后一次提交 {shas['done1'][:7]}）" in dashboard
    assert "整改状态\n已完成" in page(out, 1)
    two = page(out, 2)
    assert "整改状态\n整改中 逾期5天（截至 2023-03-05）" in two
    assert "2023-04-15" not in two  # later history is not there either
    assert "2023-03-20" not in read(out / "index.html")
    report = article_text(out / "report" / "index.html")
    assert "已完成整改1项，尚未启动整改2项，正在整改2项，整改完成率20%" in report
    assert "2.问题2。问题2的描述。\n整改情况：问题2的整改措施。\n目前，此项问题正在整改中。" in report
    assert f"数据截至2023年3月5日（版本 {shas['done1'][:7]}）" in report


def test_as_of_sees_a_merge_request_only_once_merged(history_repo, tmp_path):
    repo, _ = history_repo
    out = tmp_path / "site-0414"
    result = ledger_py(repo, "build", "--as-of", "2023-04-14", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "整改状态\n整改中" in page(out, 2)  # authored 04-12 on a branch, merged 04-15
    assert "整改状态\n整改中" in page(out, 3)
    assert "2.问题2。问题2的描述。\n整改情况：问题2的整改措施。\n目前，此项问题正在整改中。" \
        in article_text(out / "report" / "index.html")


def test_as_of_before_the_first_commit_is_refused_in_chinese(history_repo, tmp_path):
    repo, _ = history_repo
    result = ledger_py(repo, "build", "--as-of", "2023-01-19", "--out", str(tmp_path / "x"))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "2023-01-19 及之前没有任何提交，无法重建；仓库中最早的提交在 2023-01-20。" in result.stderr
    assert not (tmp_path / "x").exists()
    bad = ledger_py(repo, "build", "--as-of", "2023-02-30")
    assert bad.returncode == 1 and "“2023-02-30”不是真实存在的日期" in bad.stderr  # fields.parse_date, as in files


def test_outside_git_the_site_says_history_is_unavailable(sample_site):
    # sample_site is built from a plain copy of the repository: no .git.
    assert "本网站不是从 Git 仓库构建的（例如下载的压缩包），无法显示变更记录。无法绘制整改进度变化图。" \
        in article_text(sample_site / "index.html")
    text = page(sample_site, 3)
    assert "变更记录\n本网站不是从 Git 仓库构建的" in text and "首次登记" not in text


def test_as_of_outside_git_is_refused(repo_copy):
    result = ledger_py(repo_copy, "build", "--as-of", "2023-03-05")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "不在 Git 仓库中（例如下载的压缩包），没有历史可以回溯" in result.stderr


def test_shallow_clone_says_history_is_incomplete(history_repo, tmp_path):
    repo, _ = history_repo
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", repo.as_uri(), str(clone)], check=True)
    result = mkdocs_build(clone, clone / "site")
    assert result.returncode == 0, result.stderr
    text = page(clone / "site", 1)
    assert "变更记录不完整，最早只能追溯到 2023-04-15" in text
    assert "首次登记\n2023-04-15" in text  # as far as the clone knows
    assert "变更记录不完整" in article_text(clone / "site" / "index.html")
