"""Issuing and freezing documents (issue 15, part 4): `ledger.py issue`, the
已报送文件 page, frozen copies rebuilt from their tags and the change view.

A real git repository holding a copy of the sample; real `mkdocs build`s.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import docx
import pytest

import conftest
from conftest import CliResult, copy_repo, mkdocs_build, read
from git_fixtures import git
from site_checks import article_text
from test_documents import problem_file, set_field


def ledger_cli(repo: Path, *args: str, ledger: Path | None = None) -> CliResult:
    """The command as a clerk 王科员 runs it (the tag's author), in this process."""
    env = {"GIT_AUTHOR_NAME": "王科员", "GIT_AUTHOR_EMAIL": "a@example.invalid",
           "GIT_COMMITTER_NAME": "王科员", "GIT_COMMITTER_EMAIL": "a@example.invalid",
           "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(repo.parent)}
    with pytest.MonkeyPatch.context() as patch:
        for name, value in env.items():
            patch.setenv(name, value)
        return conftest.ledger_cli("--ledger", ledger or repo / "issues", *args)


def text_of(site: Path, page: str) -> str:
    return article_text(site / page / "index.html")


@pytest.fixture(scope="module")
def issued_repo(tmp_path_factory):
    """The sample committed, the progress report issued on 2023-06-30, then
    problem 1 set back to 整改中 in a new commit."""
    root = tmp_path_factory.mktemp("issued")
    repo = copy_repo(root / "repo")
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "整改台账", when="2023-06-30T10:00:00+08:00")
    issued = ledger_cli(repo, "issue", "progress", "--date", "2023-06-30")
    assert issued.returncode == 0, issued.stderr
    assert "issued/progress/2023-06-30" in issued.stdout
    path = problem_file(repo, 1)
    set_field(path, "status", "整改中")
    set_field(path, "completed", None)
    set_field(path, "status_note", None)
    git(repo, "commit", "-q", "-am", "问题1重新整改", when="2023-07-05T10:00:00+08:00")
    site = root / "site"
    built = mkdocs_build(repo, site)
    assert built.returncode == 0, built.stderr
    return repo, site


def test_issue_makes_an_annotated_tag_on_the_current_commit(issued_repo):
    repo, _ = issued_repo
    assert git(repo, "cat-file", "-t", "issued/progress/2023-06-30") == "tag"
    assert git(repo, "rev-parse", "issued/progress/2023-06-30^{commit}") == git(repo, "rev-parse", "HEAD~1")
    assert "报送整改进展情况报告（2023年6月30日）" in git(repo, "tag", "-n1", "issued/progress/2023-06-30")


def test_live_report_moves_on_and_the_frozen_copy_does_not(issued_repo):
    _, site = issued_repo
    live = text_of(site, "report")
    assert "整改完成率94.1%" in live and "全部整改完毕" not in live
    frozen = text_of(site, "documents/issued/progress-2023-06-30")
    assert "目前，17项问题已全部整改完毕。" in frozen and "94.1%" not in frozen
    assert "2023年6月30日报送的整改进展情况报告" in frozen
    word = docx.Document(str(site / "downloads" / "已报送" / "整改进展情况报告-2023-06-30.docx"))
    assert "目前，17项问题已全部整改完毕。" in "\n".join(p.text for p in word.paragraphs)
    register = text_of(site, "documents/issued")
    assert "2023-06-30" in register and "issued/progress/2023-06-30" in register and "首次报送" in register


def test_change_view_lists_problem_1_old_to_new(issued_repo):
    _, site = issued_repo
    html = read(site / "documents" / "issued" / "index.html")
    since = html[html.index("报送以来的变化"):]
    row = since[since.index("<td>1</td>"):]
    row = row[:row.index("</tr>")]
    assert "思想政治学习不到位" in row and "整改状态" in row and "<td>已完成</td>" in row and "→ 整改中" in row
    assert "<td>2</td>" not in since  # only what changed


def test_second_issue_compares_with_the_first(issued_repo, tmp_path):
    repo, _ = issued_repo
    again = ledger_cli(repo, "issue", "progress", "--date", "2023-07-10")
    assert again.returncode == 0, again.stderr
    try:
        site = tmp_path / "site"
        assert mkdocs_build(repo, site).returncode == 0
        changes = text_of(site, "documents/issued/progress-2023-07-10-changes")
        assert "与上一次报送（2023-06-30" in changes
        assert "整改状态" in changes and "已完成" in changes and "整改中" in changes
        assert "94.1%" in text_of(site, "documents/issued/progress-2023-07-10")
        assert "全部整改完毕" in text_of(site, "documents/issued/progress-2023-06-30")
    finally:
        git(repo, "tag", "-d", "issued/progress/2023-07-10")


def test_issue_refuses_a_dirty_tree_a_second_tag_and_a_bad_date(issued_repo):
    repo, _ = issued_repo
    narrative = repo / "docs" / "report" / "next-steps.md"
    before = narrative.read_bytes()
    narrative.write_bytes(before + "补充一段。\n".encode())
    try:
        dirty = ledger_cli(repo, "issue", "notice", "--date", "2023-07-06")
    finally:
        narrative.write_bytes(before)
    assert dirty.returncode == 1 and "有未提交的修改" in dirty.stderr and "Traceback" not in dirty.stderr
    draft = repo / "docs" / "report" / "草稿.md"  # new, where documents are made from
    draft.write_text("草稿\n", encoding="utf-8")
    try:
        untracked = ledger_cli(repo, "issue", "notice", "--date", "2023-07-06")
    finally:
        draft.unlink()
    assert untracked.returncode == 1 and "docs/report/草稿.md" in untracked.stderr
    twice = ledger_cli(repo, "issue", "progress", "--date", "2023-06-30")
    assert twice.returncode == 1 and "已经记录过" in twice.stderr
    bad = ledger_cli(repo, "issue", "progress", "--date", "6月30日")
    assert bad.returncode == 2 and "不是日期" in bad.stderr
    assert "issued/notice" not in git(repo, "tag", "-l")
    exported = repo / "整改情况通报.docx"  # an export lying about is no change to the ledger
    exported.write_bytes(b"PK")
    try:
        allowed = ledger_cli(repo, "issue", "notice", "--date", "2023-07-06")
        assert allowed.returncode == 0, allowed.stderr
    finally:
        exported.unlink()
        git(repo, "tag", "-d", "issued/notice/2023-07-06")


def test_without_git_the_page_says_why_it_is_empty(sample_site):
    text = text_of(sample_site, "documents/issued")
    assert "不在 Git 仓库中" in text


def test_a_shallow_clone_says_why_it_is_empty(issued_repo, tmp_path):
    repo, _ = issued_repo
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo}", str(clone)], check=True,
                   capture_output=True)
    site = tmp_path / "site"
    assert mkdocs_build(clone, site).returncode == 0
    assert "这是浅克隆" in text_of(site, "documents/issued")


def test_issue_outside_git_is_refused(repo_copy):
    result = ledger_cli(repo_copy, "issue", "progress", "--date", "2023-06-30")
    assert result.returncode == 1 and "不在 Git 仓库中" in result.stderr and "Traceback" not in result.stderr


def test_with_several_ledgers_each_keeps_its_own_issues(tmp_path):
    from test_ledgers import NEW, OLD, two_rounds
    repo = copy_repo(tmp_path / "repo")
    two_rounds(repo)
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "两个台账", when="2024-06-30T10:00:00+08:00")
    whole = ledger_cli(repo, "issue", "progress", "--date", "2024-06-30")
    assert whole.returncode == 1 and "--ledger" in whole.stderr  # which ledger's report?
    issued = ledger_cli(repo, "issue", "notice", "--date", "2024-06-30", ledger=repo / "issues" / OLD)
    assert issued.returncode == 0, issued.stderr
    assert f"issued/{OLD}/notice/2024-06-30" in git(repo, "tag", "-l")
    site = tmp_path / "site"
    assert mkdocs_build(repo, site).returncode == 0
    assert "巡察反馈17个问题" in text_of(site, f"{OLD}/documents/issued/notice-2024-06-30")
    assert f"issued/{OLD}/notice/2024-06-30" in text_of(site, f"{OLD}/documents/issued")
    assert "还没有报送记录" in text_of(site, f"{NEW}/documents/issued")


def test_an_issue_that_no_longer_validates_says_why(tmp_path):
    repo = copy_repo(tmp_path / "repo")
    path = problem_file(repo, 2)
    good = path.read_bytes()
    path.write_text("---\nid: 2\n", encoding="utf-8")  # broken, committed and tagged by hand
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "误改", when="2023-06-29T10:00:00+08:00")
    git(repo, "tag", "-a", "issued/progress/2023-06-29", "-m", "报送")
    path.write_bytes(good)
    git(repo, "commit", "-q", "-am", "修正", when="2023-06-30T10:00:00+08:00")
    site = tmp_path / "site"
    built = mkdocs_build(repo, site)
    assert built.returncode == 0, built.stderr
    register = text_of(site, "documents/issued")
    assert "无法重建" in register and "issues/" in register and "Traceback" not in register
    assert not (site / "documents" / "issued" / "progress-2023-06-29").exists()
