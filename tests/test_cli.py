"""scripts/ledger.py as users run it."""

from __future__ import annotations

import subprocess
import sys

from conftest import REPO, read

SCRIPT = str(REPO / "scripts" / "ledger.py")


def run(*args, cwd=REPO):
    return subprocess.run([sys.executable, SCRIPT, *args], cwd=cwd, capture_output=True, text=True, timeout=120)


def test_validate_sample_ledger_passes():
    result = run("validate")
    assert result.returncode == 0, result.stderr
    assert "台账校验通过：17 个问题，4 个方面" in result.stdout


def test_validate_reports_bad_status_with_file_and_field(repo_copy):
    path = next((repo_copy / "issues").glob("03-*.md"))
    path.write_text(read(path).replace("status: 已完成", "status: 已完毕"), encoding="utf-8")
    result = run("--ledger", str(repo_copy / "issues"), "validate")
    assert result.returncode == 1
    assert "issues/03-落实决策部署跟踪问效不到位.md:5: status: “已完毕”不是有效状态" in result.stderr
    assert "Traceback" not in result.stderr


def test_new_creates_next_problem_that_validates(repo_copy):
    ledger = str(repo_copy / "issues")
    result = run("--ledger", ledger, "new", "档案管理不规范", "--category", "基层党组织建设", "--owner", "办公室")
    assert result.returncode == 0, result.stderr
    created = repo_copy / "issues" / "18-档案管理不规范.md"
    text = read(created)
    assert "id: 18" in text and 'title: "档案管理不规范"' in text and "status: 未启动" in text
    # Unedited, the placeholders are refused, each on its own line.
    unedited = run("--ledger", ledger, "validate")
    assert unedited.returncode == 1
    assert [line.split(": ")[0] for line in unedited.stderr.splitlines() if "【待填写】" in line] == [
        "issues/18-档案管理不规范.md:15", "issues/18-档案管理不规范.md:19"]
    created.write_text(text.replace("【待填写】在此填写", "已填写"), encoding="utf-8")
    assert run("--ledger", ledger, "validate").returncode == 0
    again = run("--ledger", ledger, "new", "档案管理不规范", "--id", "18")
    assert again.returncode == 1 and "已被占用" in again.stderr


def test_file_errors_are_one_chinese_line_not_a_traceback(tmp_path):
    result = run("bench", "--issues", "5", "--runs", "1", "--workdir", str(tmp_path / "没有" / "这个"))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "文件操作失败" in result.stderr and "没有/这个" in result.stderr
