"""The benchmark at a tiny size: its synthetic ledger and its output format.
Timings are not asserted: they are the bench's to measure, not the tests'."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

import pytest

from conftest import REPO
from ledgerbench.synth import department_pool, write_synthetic_ledger
from ledgerlib import load_ledger
from ledgerlib.ledgers import load_collection

LAST_LINE = re.compile(r"^issues=(\d+) ledgers=(\d+) load_s=(\d+\.\d+) build_s=(\d+\.\d+) baseline_s=(\d+\.\d+) ratio=(\d+\.\d+)$")


def git(repo, *args) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True).stdout


def synth(tmp_path, n=30, seed=7, name="repo"):
    repo = tmp_path / name
    shutil.copytree(REPO / "docs", repo / "docs")
    info = write_synthetic_ledger(repo, REPO / "issues", n, seed=seed, source_repo=REPO)
    return repo, info


def test_synthetic_ledger_validates_and_is_spread(tmp_path):
    repo, _info = synth(tmp_path)
    ledger = load_ledger(repo / "issues", repo_root=repo)
    assert len(ledger.issues) == 30 and ledger.warnings == ()
    assert len({i.category.index for i in ledger.issues}) >= 3
    assert len({i.status.key for i in ledger.issues}) >= 3
    assert len({o for i in ledger.issues for o in i.owners}) >= 5
    assert len({i.deadline for i in ledger.issues}) >= 10
    sample = load_ledger(REPO / "issues")
    sample_lengths = sorted(len(i.problem) + len(i.measures) for i in sample.issues)
    for issue in ledger.issues:  # seed-like length, from the sample's sentences
        assert sample_lengths[0] <= len(issue.problem) + len(issue.measures) <= sample_lengths[-1] + 400
        han = len(re.findall(r"[\u4e00-\u9fff]", issue.measures))
        assert han > 0.7 * len(issue.measures)


def test_synthetic_history_moves_statuses_on_fixed_dates(tmp_path):
    repo, info = synth(tmp_path)
    log = git(repo, "log", "--format=%ad %s", "--date=short").splitlines()
    assert len(log) == info.commits == 4
    assert log[-1].startswith("2023-01-18 录入巡察反馈问题 30 个")
    assert all("状态变化" in line for line in log[:-1])
    # The first commit has every problem open; later ones change some of them.
    first = git(repo, "rev-list", "--max-parents=0", "HEAD").strip()
    assert "status: 已完成" not in git(repo, "grep", "-h", "^status:", first, "--", "issues")
    assert int(git(repo, "rev-list", "--count", "HEAD")) == 4
    # Deterministic: the same seed writes the same files.
    again, _ = synth(tmp_path, seed=7, name="again")
    assert git(repo, "rev-parse", "HEAD^{tree}") == git(again, "rev-parse", "HEAD^{tree}")


def test_department_pool_grows_with_the_ledger():
    assert len(department_pool(30)) == 8
    assert len(department_pool(2000)) == 100
    assert len(set(department_pool(8000))) == len(department_pool(8000)) > 300


@pytest.mark.slow
def test_bench_prints_table_and_last_line():
    result = subprocess.run([sys.executable, str(REPO / "scripts" / "ledger.py"), "bench", "--issues", "30", "--runs", "1"],
                            cwd=REPO, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    m = LAST_LINE.match(lines[-1])
    assert m, lines[-1]
    n, k, _load, build, baseline, ratio = m.groups()
    assert n == "30" and k == "1"
    assert abs(float(build) / float(baseline) - float(ratio)) < 0.01
    out = result.stdout
    for stage in ("加载+校验", "完整构建（含 hooks）", "基线（纯 mkdocs-material）"):
        assert re.search(rf"^{re.escape(stage)}.*\s\d+\.\d\d\s+\d+$", out, re.M), stage  # …, CPU, peak MB
    assert "问题页面数：30" in out
    size = re.search(r"问题页面 HTML 最大：(\d+\.\d) KB", out)
    assert size and 5 < float(size.group(1)) < 50
    # Each problem page is indexed, with the guide and the report's narrative;
    # the aggregated pages that repeat problem text are not.
    index = re.search(r"搜索索引：(\d+) 个页面，(\d+) 个分片", out)
    assert index, out
    assert 30 < int(index.group(1)) <= 30 + 4 and int(index.group(2)) >= 1
    assert re.search(r"基线 search_index\.json：\d+\.\d MB", out)  # the baseline keeps the theme's search
    assert "临时文件夹" not in out  # cleaned up without --keep


def test_synthetic_problems_spread_over_several_ledgers(tmp_path):
    repo = tmp_path / "repo"
    shutil.copytree(REPO / "docs", repo / "docs")
    (repo / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")  # marks the repository root
    write_synthetic_ledger(repo, REPO / "issues", 30, source_repo=REPO, ledgers=4)
    collection = load_collection(repo / "issues")
    assert [ref.name for ref, _ in collection.entries] == ["01-单位1", "02-单位2", "03-单位3", "04-单位4"]
    assert [len(ledger.issues) for ledger in collection.ledgers] == [8, 8, 7, 7]
    assert len({ledger.unit for ledger in collection.ledgers}) == 4
    assert all(ledger.report.preamble and ledger.report.preamble.is_file() for ledger in collection.ledgers)


@pytest.mark.slow
def test_bench_spreads_problems_over_ledgers():
    result = subprocess.run([sys.executable, str(REPO / "scripts" / "ledger.py"), "bench", "--issues", "30",
                             "--ledgers", "3", "--runs", "1"], cwd=REPO, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    assert LAST_LINE.match(result.stdout.strip().splitlines()[-1]).groups()[:2] == ("30", "3")
    assert "分属 3 个台账" in result.stdout and "问题页面数：30" in result.stdout


ROLLUP_LAST_LINE = re.compile(r"^units=(\d+) issues=(\d+) pull_s=[\d.]+ repull_s=[\d.]+ build_s=[\d.]+ "
                              r"pull_per_unit_s=[\d.]+ build_per_issue_ms=[\d.]+$")


@pytest.mark.slow
def test_the_rollup_bench_pulls_every_unit_and_builds(tmp_path):
    result = subprocess.run([sys.executable, str(REPO / "scripts" / "ledger.py"), "bench", "--units", "3", "--issues", "9",
                             "--runs", "1", "--workdir", str(tmp_path)], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    match = ROLLUP_LAST_LINE.match(result.stdout.strip().splitlines()[-1])
    assert match and match.groups() == ("3", "9")
    assert "首次拉取（全部单位）" in result.stdout and list(tmp_path.iterdir()) == []  # cleaned up
