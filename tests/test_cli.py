"""scripts/ledger.py as users run it."""

from __future__ import annotations

import contextlib
import io
import os
import re
import shlex
import shutil
import subprocess
import sys

import pytest

from conftest import REPO, copy_repo, ledger_cli, ledger_script, read
from ledgerlib import cli

SCRIPT = str(REPO / "scripts" / "ledger.py")


script = ledger_script  # the real entry, as users start it: exit status and output of the process
run = ledger_cli  # the same main(), in this process


def test_validate_sample_ledger_passes():
    result = script("validate")
    assert result.returncode == 0, result.stderr
    assert "台账校验通过：17 个问题，4 个方面" in result.stdout


def test_validate_reports_bad_status_with_file_and_field(repo_copy):
    path = next((repo_copy / "issues").glob("03-*.md"))
    path.write_text(read(path).replace("status: 已完成", "status: 已完毕"), encoding="utf-8")
    result = script("--ledger", str(repo_copy / "issues"), "validate")
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


ARGPARSE_ENGLISH = ("usage:", "show this help message and exit", "invalid choice", "positional arguments",
                    "options:", "error:", "the following arguments are required", "unrecognized arguments")


@pytest.mark.parametrize("argv", [
    ["--help"], ["nope"], [], ["new", "--help"], ["new"], ["export", "--format", "x", "--out", "a"],
    ["bench", "--issues", "x"], ["validate", "--bogus"], ["import", "--help"], ["build", "--help"],
    ["init", "--help"], ["nest", "--help"], ["nest"],
])
def test_command_line_speaks_chinese(argv, capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(argv)
    out, err = capsys.readouterr()
    text = out + err
    assert exit_info.value.code == (0 if "--help" in argv else 2)
    assert "用法：ledger.py" in text
    assert not [word for word in ARGPARSE_ENGLISH if word in text.lower()], text
    assert not re.search(r"\b[A-Z]{3,}\b", text.replace("PDF", "").replace("CODEOWNERS", "").replace("CSV", "")
                         .replace("UTF", "").replace("YYYY-MM-DD", "").replace("PATH", "")), text


def test_argparse_is_english_again_after_the_command_line():
    import argparse
    with pytest.raises(SystemExit), contextlib.redirect_stderr(io.StringIO()):
        cli.main(["nope"])
    assert argparse._("usage: ") == "usage: "


def test_script_reruns_itself_under_the_venv_from_a_bare_python():
    # -S: a Python without site-packages, i.e. without PyYAML and Jinja2.
    result = subprocess.run([sys.executable, "-S", SCRIPT, "validate"], cwd=REPO, capture_output=True,
                            text=True, timeout=120, env={k: v for k, v in os.environ.items() if k != "LEDGER_REEXEC"})
    assert result.returncode == 0, result.stderr
    assert "台账校验通过" in result.stdout


def test_script_without_a_venv_says_run_make_setup(tmp_path):
    for name in ("scripts", "hooks", "issues"):
        shutil.copytree(REPO / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    result = subprocess.run([sys.executable, "-S", str(tmp_path / "scripts" / "ledger.py"), "validate"],
                            cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert result.stdout == "" and len(result.stderr.strip().splitlines()) == 1
    assert "make setup" in result.stderr and "Traceback" not in result.stderr


def test_the_guides_new_command_works_as_written(tmp_path):
    # From a bare Python (-S: no site-packages), as a clerk's shell would run it.
    guide = read(REPO / "docs" / "guide.md")
    command = re.search(r"`(python3 scripts/ledger\.py new [^`]+)`", guide)[1]
    repo = copy_repo(tmp_path / "repo")
    shutil.copytree(REPO / "scripts", repo / "scripts", ignore=shutil.ignore_patterns("__pycache__"))
    (repo / ".venv").symlink_to((REPO / ".venv").resolve())
    argv = [sys.executable, "-S", *shlex.split(command)[1:]]
    result = subprocess.run(argv, cwd=repo, capture_output=True, text=True, timeout=120,
                            env={k: v for k, v in os.environ.items() if k != "LEDGER_REEXEC"})
    assert result.returncode == 0, result.stderr
    assert (repo / "issues" / "18-档案管理不规范.md").is_file()
