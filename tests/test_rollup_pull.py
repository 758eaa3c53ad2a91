"""A 巡察办's roll-up over units' own repositories: pull, pins, offline builds, stale sources.

Three units are bare repositories reached as file:// remotes, a fourth is
the sample published as a site on a local HTTP server; the roll-up pulls
them, builds, and keeps building from its cache when they are gone."""

from __future__ import annotations

import hashlib
import json
import shutil
from urllib.parse import unquote

import pytest

from cdp import serve
from conftest import copy_repo, ledger_cli, mkdocs_build
from git_fixtures import git
from ledger_fixtures import issue_text
from rollup_fixtures import Unit, home_rows, problems, sources_yml
from site_checks import search_entries

pytestmark = pytest.mark.site


@pytest.fixture
def units(tmp_path):
    return [Unit(tmp_path / "units", "财政局", "县财政局党组", ["已完成", "已完成", "基本完成", "整改中"]),
            Unit(tmp_path / "units", "教育局", "县教育局党委", ["已完成", "已完成", "已完成"]),
            Unit(tmp_path / "units", "卫健委", "县卫健委党组", ["整改中", "整改中"])]


def rollup_repo(tmp_path):
    repo = copy_repo(tmp_path / "rollup")
    result = ledger_cli("--ledger", repo / "issues", "init", "--rollup", "--force")
    assert result.returncode == 0, result.stderr
    assert (repo / "sources.yml").is_file() and not (repo / "issues" / "ledger.yml").exists()
    git(repo, "init", "-q")
    return repo


def pull(repo, *args):
    return ledger_cli("--ledger", repo / "issues", "pull", *args)


def lock(repo) -> dict:
    return json.loads((repo / "sources.lock").read_text(encoding="utf-8"))["sources"]


def build(repo, site):
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--allow-empty", "-m", "拉取")
    result = mkdocs_build(repo, site)
    assert result.returncode == 0, result.stderr
    return home_rows(site)


def test_pull_pins_builds_offline_moves_one_pin_and_marks_failures(tmp_path, units, sample_site):
    repo = rollup_repo(tmp_path)
    with serve(sample_site) as base:
        url = base + "data/ledger.json"
        (repo / "sources.yml").write_text(sources_yml(units, {"应急局": url}), encoding="utf-8")
        result = pull(repo)
        pins = lock(repo)
        again = pull(repo)  # nothing new: the pins and the data stay as they were
    assert result.returncode == 0, result.stderr
    assert again.returncode == 0 and {n: (e["commit"], e["sha256"], e["fetched"]) for n, e in lock(repo).items()} == \
        {n: (e["commit"], e["sha256"], e["fetched"]) for n, e in pins.items()}
    for unit in units:
        assert pins[unit.name]["commit"] == git(unit.remote, "rev-parse", "main")
        assert pins[unit.name]["status"] == "ok" and pins[unit.name]["fetched"]
    assert pins["应急局"]["sha256"] == hashlib.sha256((sample_site / "data" / "ledger.json").read_bytes()).hexdigest()
    assert "已更新  财政局：提交" in result.stdout

    rows = build(repo, tmp_path / "site1")
    assert {name: (r["unit"], r["total"], r["done"], r["mostly"], r["overdue"], r["stale"]) for name, r in rows.items()} == {
        "财政局": ("县财政局党组", "4", "2", "1", "2", ""),
        "教育局": ("县教育局党委", "3", "3", "0", "0", ""),
        "卫健委": ("县卫健委党组", "2", "0", "0", "2", ""),
        "应急局": ("区应急管理局党委", "17", rows["应急局"]["done"], "0", rows["应急局"]["overdue"], ""),
    }
    sample = json.loads((sample_site / "data" / "ledger.json").read_text(encoding="utf-8"))["standing"]
    assert (rows["应急局"]["done"], rows["应急局"]["overdue"]) == (str(sample["done"]), str(sample["overdue"]))
    # Every page of a ledger works for a pulled unit: its dashboard, problem list, problem pages.
    assert (tmp_path / "site1" / "财政局" / "list" / "index.html").is_file()
    assert "问题4的描述" in (tmp_path / "site1" / "财政局" / "problems" / "4" / "index.html").read_text(encoding="utf-8")
    # The 汇总通报 from the pulled data, as page and Word file.
    notice = (tmp_path / "site1" / "summary" / "index.html").read_text(encoding="utf-8")
    assert "4个单位共有反馈问题26个" in notice and "县卫健委党组" in notice
    assert (tmp_path / "site1" / "汇总通报.docx").stat().st_size > 5000
    # One search box over every unit's problems.
    found = {unquote(url).split("/")[0] for url, _title, text in search_entries(tmp_path / "site1") if "问题2的描述" in text}
    assert {"财政局", "教育局", "卫健委"} <= found

    # 财政局 closes problem 4, 教育局 changes too; only 财政局's pin moves.
    units[0].commit({"04-p.md": issue_text(4, "已完成", "completed: 2023-04-01\n")}, "问题4已完成")
    moved = units[0].push()
    units[1].commit({"04-p.md": issue_text(4, "整改中")}, "新增问题4")
    units[1].push()
    before = lock(repo)
    result = pull(repo, "--update", "财政局")
    assert result.returncode == 0, result.stderr
    after = lock(repo)
    assert after["财政局"]["commit"] == moved != before["财政局"]["commit"]
    assert after["教育局"] == before["教育局"] and after["应急局"] == before["应急局"]
    rows = build(repo, tmp_path / "site2")
    assert (rows["财政局"]["done"], rows["财政局"]["overdue"]) == ("3", "1")
    assert rows["教育局"]["total"] == "3"

    # 卫健委 pushes an invalid ledger, 教育局's server is gone, the site is down.
    bad = problems(["整改中", "整改中"])
    bad["02-p.md"] = bad["02-p.md"].replace("status: 整改中", "status: 办理中")
    units[2].commit(bad, "写错了状态")
    units[2].push()
    shutil.rmtree(units[1].remote)
    result = pull(repo)
    assert result.returncode == 1
    assert "有 3 个单位未能更新" in result.stderr and "卫健委" in result.stderr
    failed = lock(repo)
    assert failed["卫健委"]["status"] == "stale" and "未通过校验" in failed["卫健委"]["reason"]
    assert "办理中" in failed["卫健委"]["reason"]
    assert failed["教育局"]["status"] == "stale" and "无法从" in failed["教育局"]["reason"]
    assert "仓库不存在" in failed["教育局"]["reason"]
    assert failed["应急局"]["status"] == "stale" and "无法连接" in failed["应急局"]["reason"]
    for name in ("卫健委", "教育局", "应急局"):  # the last good data and pin stay
        assert failed[name]["commit"] == after[name]["commit"] and failed[name]["sha256"] == after[name]["sha256"]

    # With every remote gone the roll-up still builds, from the lock and the cache only.
    for unit in units:
        shutil.rmtree(unit.remote, ignore_errors=True)
    rows = build(repo, tmp_path / "site3")
    assert {name: r["stale"] for name, r in rows.items()} == {"财政局": "", "教育局": "未更新", "卫健委": "未更新",
                                                              "应急局": "未更新"}
    assert (rows["财政局"]["done"], rows["卫健委"]["total"], rows["教育局"]["total"]) == ("3", "2", "3")
    home = (tmp_path / "site3" / "index.html").read_text(encoding="utf-8")
    assert "有单位的数据未能更新" in home and failed["卫健委"]["reason"][:20] in home


def test_data_older_than_stale_days_is_taken_and_marked(tmp_path, sample_site):
    repo = rollup_repo(tmp_path)
    with serve(sample_site) as base:
        (repo / "sources.yml").write_text(sources_yml([], {"应急局": base + "data/ledger.json"}, stale_days=30),
                                          encoding="utf-8")
        result = pull(repo)
    assert result.returncode == 1 and "未能更新" in result.stderr
    entry = lock(repo)["应急局"]
    assert entry["status"] == "stale" and entry["reason"].startswith("数据截至2023-06-30")
    assert (repo / "issues" / "应急局" / "ledger.yml").is_file()  # the newest there is, kept


def test_a_source_never_reached_is_listed_without_stopping_the_build(tmp_path, units):
    repo = rollup_repo(tmp_path)
    text = sources_yml(units[:1], {}) + "  教育局:\n    git: file:///nonexistent/remote.git\n"
    (repo / "sources.yml").write_text(text, encoding="utf-8")
    result = pull(repo)
    assert result.returncode == 1 and "1 个还没有任何数据" in result.stderr
    assert lock(repo)["教育局"]["status"] == "failed" and "仓库不存在，或地址写错" in lock(repo)["教育局"]["reason"]
    build(repo, tmp_path / "site")
    home = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert "还没有取得任何数据" in home and "教育局" in home


def test_sources_yml_errors_are_listed_with_their_lines(tmp_path):
    repo = rollup_repo(tmp_path)
    (repo / "sources.yml").write_text(
        "sources:\n  a/b:\n    git: x\n  县教育局:\n    git: http://a/b.git\n    url: http://a/data/ledger.json\n"
        "  县财政局:\n    url: ftp://a\n", encoding="utf-8")
    result = pull(repo)
    assert result.returncode == 1
    assert "sources.yml:2: sources.a/b:" in result.stderr and "sources.yml:4: sources.县教育局:" in result.stderr
    assert "sources.yml:7: sources.县财政局:" in result.stderr and "未拉取任何单位" in result.stderr


def test_git_failures_are_told_in_chinese_with_gits_own_line():
    from ledgerlib.pulling import git_reason

    assert git_reason("fatal: unable to access 'http://git.x/a.git/': Could not resolve host: git.x\n") == \
        "连不上服务器（fatal: unable to access 'http://git.x/a.git/': Could not resolve host: git.x）"
    assert git_reason("remote: HTTP Basic: Access denied\nfatal: Authentication failed for 'http://git.x/a.git/'\n") \
        .startswith("没有读取权限")
    assert git_reason("fatal: couldn't find remote ref dev\n").startswith("找不到这个分支或标签")
