"""The review workflow shipped for the users' repository: CI templates,
pre-commit hook, merge-request templates and CODEOWNERS."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from ci_rules import jobs_run
from conftest import REPO, copy_repo, read
from ledgerlib import load_ledger
from ledgerlib.codeowners import render
from ledgerlib.parser import check_ledger

GITLAB = REPO / ".gitlab-ci.yml"
GITHUB = REPO / ".github/workflows/ledger.yml"
STAGES_RUN = ("validate", "build", "publish")


def gitlab() -> dict:
    return yaml.safe_load(read(GITLAB))


def github() -> dict:
    config = yaml.safe_load(read(GITHUB))
    # YAML 1.1 reads the key "on" as True: the very trap the ledger loader avoids.
    config["on"] = config.pop(True, config.get("on"))
    return config


def gitlab_jobs(config: dict) -> dict[str, dict]:
    return {name: job for name, job in config.items()
            if isinstance(job, dict) and "script" in job and not name.startswith(".")}


def github_runs(config: dict) -> list[str]:
    return [step["run"] for job in config["jobs"].values() for step in job.get("steps", []) if "run" in step]


def test_gitlab_checks_every_merge_request_and_publishes_main():
    config = gitlab()
    rules = [r["if"] for r in config["workflow"]["rules"]]
    assert '$CI_PIPELINE_SOURCE == "merge_request_event"' in rules
    jobs = gitlab_jobs(config)
    scripts = {name: job["script"] for name, job in jobs.items()}
    assert scripts["validate"] == ["make lint", "make validate"] and scripts["build"] == ["make build"]
    for name in ("validate", "build"):  # on merge requests and main, never on a schedule
        assert name in jobs_run(config, "merge_request") and name in jobs_run(config, "push_main")
        assert name not in jobs_run(config, "schedule")
    assert jobs["build"]["artifacts"]["paths"] == ["site/"]
    assert jobs["pages"]["artifacts"]["paths"] == ["public/"]
    assert jobs_run(config, "push_main") >= {"pages"} and "pages" not in jobs_run(config, "merge_request")
    assert config["variables"]["GIT_DEPTH"] == "0"


def test_github_checks_every_pull_request_and_publishes_main():
    config = github()
    assert "pull_request" in config["on"] and config["on"]["push"]["branches"] == ["main"]
    check = config["jobs"]["check"]
    assert "if" not in check
    assert [s["run"] for s in check["steps"] if "run" in s] == ["make lint", "make validate", "make build"]
    assert check["steps"][0]["with"]["fetch-depth"] == 0
    assert config["jobs"]["pages"]["needs"] == "check"
    assert "push" in config["jobs"]["pages"]["if"]


def test_both_ci_templates_call_the_same_make_targets():
    config = gitlab()
    checks = jobs_run(config, "merge_request") | jobs_run(config, "push_main")  # the scheduled reminder apart
    gitlab_make = {line for name, job in gitlab_jobs(config).items() if name in checks
                   for line in job["script"] if line.startswith("make ")}
    github_make = {run for run in github_runs(github()) if run.startswith("make ")}
    assert gitlab_make == github_make == {"make lint", "make validate", "make build"}


# -- running the CI's own commands on a copy of the repository ---------------------

def workspace(tmp_path: Path) -> Path:
    """A checkout as CI sees it, with the test's venv standing in for `make setup`."""
    repo = copy_repo(tmp_path / "repo")
    for name in ("Makefile", "pyproject.toml", "requirements.txt", "requirements-dev.txt", "scripts", "tests", ".gitlab-ci.yml",
                 ".github", ".pre-commit-config.yaml"):
        src = REPO / name
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, repo / name)
    venv = repo / ".venv"
    venv.mkdir()
    shared = (REPO / ".venv").resolve()
    for part in shared.iterdir():  # bin, lib, pyvenv.cfg…: the venv, without installing
        if part.name != ".installed":
            (venv / part.name).symlink_to(part)
    (venv / ".installed").touch()  # newer than the requirement files: setup has nothing to do
    (venv / ".installed-test").touch()  # nor setup-test (make lint, make test)
    return repo


def run_shell(command: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", "-ec", command], cwd=cwd, capture_output=True, text=True, timeout=600,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})


def test_gitlab_pipeline_commands_pass_on_the_sample(tmp_path):
    repo = workspace(tmp_path)
    config = gitlab()
    jobs = gitlab_jobs(config)
    assert config["stages"] == list(STAGES_RUN)
    echoed = ""
    for stage in config["stages"]:
        for name, job in jobs.items():
            if job["stage"] == stage and name in jobs_run(config, "push_main"):
                for line in job["script"]:
                    result = run_shell(line, repo)
                    assert result.returncode == 0, f"{name}: {line}\n{result.stderr[-2000:]}"
                    echoed += result.stdout
    assert "mkdocs build --strict" in echoed and "pip install" not in echoed  # nothing was installed
    assert (repo / "public/index.html").is_file() and (repo / "public/problems/17/index.html").is_file()


def test_ci_validate_fails_a_bad_merge_request(tmp_path):
    repo = workspace(tmp_path)
    path = next((repo / "issues").glob("03-*.md"))
    path.write_text(read(path).replace("status: 已完成", "status: 已完毕"), encoding="utf-8")
    for run in github_runs(github()):
        if run == "make lint":  # checks the code, not the ledger
            continue
        result = run_shell(run, repo)
        assert result.returncode != 0, run
        assert "03-落实决策部署跟踪问效不到位.md:5: status: “已完毕”不是有效状态" in result.stderr
        assert "Traceback" not in result.stderr


def test_pre_commit_hook_runs_validate_offline(tmp_path):
    config = yaml.safe_load(read(REPO / ".pre-commit-config.yaml"))
    (repo_entry,) = config["repos"]
    (hook,) = repo_entry["hooks"]
    assert repo_entry["repo"] == "local" and hook["language"] == "system"  # nothing to download
    assert hook["pass_filenames"] is False
    repo = workspace(tmp_path)
    ok = subprocess.run(shlex.split(hook["entry"]), cwd=repo, capture_output=True, text=True, timeout=120)
    assert ok.returncode == 0 and "台账校验通过" in ok.stdout
    bad = next((repo / "issues").glob("05-*.md"))
    bad.write_text(read(bad).replace("id: 5", "id: 05"), encoding="utf-8")
    failed = subprocess.run(shlex.split(hook["entry"]), cwd=repo, capture_output=True, text=True, timeout=120)
    assert failed.returncode == 1 and "“05”不是正整数" in failed.stderr


def test_merge_request_templates_share_one_checklist():
    gitlab_template = read(REPO / ".gitlab/merge_request_templates/Default.md")
    assert gitlab_template == read(REPO / ".github/pull_request_template.md")
    checklist = [line for line in gitlab_template.splitlines() if line.startswith("- [ ] ")]
    assert len(checklist) >= 6
    done_item = next(line for line in checklist if "已完成" in line)
    assert "completed" in done_item and "evidence" in done_item


# -- CODEOWNERS -----------------------------------------------------------------

def test_codeowners_maps_each_problem_to_its_departments():
    ledger = load_ledger(REPO / "issues")
    text, problems = render(ledger)
    assert problems == []
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    assert lines[0] == "* @zhenggaiban"  # first: the last matching line wins
    owners = dict(line.split(" ", 1) for line in lines[1:])
    assert len(owners) == 17
    assert owners["/issues/07-服务群众意识不强.md"] == "@bangongshi.wang @anweiban.li"
    assert owners["/issues/12-党内制度执行不规范.md"] == "@dangzhibu.zhang @dangzhibu.liu @bangongshi.wang"
    for issue in ledger.issues:
        expected = {"@" + a for owner in issue.owners for a in ledger.codeowners[owner]}
        assert set(owners["/" + issue.rel_path].split()) == expected


def test_codeowners_warns_about_typos_and_unowned_problems(tmp_path):
    repo = copy_repo(tmp_path / "repo")
    ledger_yml = repo / "issues/ledger.yml"
    text = read(ledger_yml).replace("  执法大队: [zhifadadui.chen]\n", "  执法大队队: [zhifadadui.chen]\n")
    text = text.replace("  安委办: [anweiban.li]\n", "  安委办: [anweiban li]\n")
    ledger_yml.write_text(text, encoding="utf-8")
    (repo / "issues/03-落实决策部署跟踪问效不到位.md").rename(repo / "issues/03-落实 决策部署.md")
    out, problems = render(load_ledger(repo / "issues"))
    assert "ledger.yml: codeowners 中的“执法大队队”不是任何问题的责任部门。是否应为“执法大队”？" in problems
    assert any("账号“anweiban li”格式不对" in p for p in problems)
    assert "issues/06-开展能力作风建设举措不实.md: 责任部门“执法大队”没有在 codeowners 中登记审核账号，由“*”的账号审核。" in problems
    assert "/issues/03-落实\\ 决策部署.md @anweiban" in out  # spaces escaped, as both GitLab and GitHub read it


def test_codeowners_command_writes_the_file(tmp_path):
    repo = workspace(tmp_path)
    result = subprocess.run([sys.executable, "scripts/ledger.py", "codeowners"], cwd=repo,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "17 个问题文件指定了审核人" in result.stdout
    assert read(repo / "CODEOWNERS") == render(load_ledger(repo / "issues"))[0]


def test_codeowners_command_explains_a_missing_mapping(tmp_path):
    repo = workspace(tmp_path)
    ledger_yml = repo / "issues/ledger.yml"
    ledger_yml.write_text(read(ledger_yml).split("\ncodeowners:")[0] + "\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "scripts/ledger.py", "codeowners"], cwd=repo,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1 and "ledger.yml 中没有 codeowners" in result.stderr
    assert not (repo / "CODEOWNERS").exists()


@pytest.mark.parametrize("name", ["03-a#b.md", "03-[草稿].md"])
def test_codeowners_refuses_file_names_it_cannot_write(tmp_path, name):
    repo = copy_repo(tmp_path / "repo")
    (repo / "issues/03-落实决策部署跟踪问效不到位.md").rename(repo / "issues" / name)
    out, problems = render(load_ledger(repo / "issues"))
    assert any(p.startswith(f"issues/{name}: 文件名含有") for p in problems)
    assert name not in out


def test_codeowners_that_is_not_a_mapping_is_an_error(tmp_path):
    repo = copy_repo(tmp_path / "repo")
    ledger_yml = repo / "issues/ledger.yml"
    text = read(ledger_yml).split("\ncodeowners:")[0] + "\ncodeowners:\n  - 办公室\n  - wang.li\n"
    ledger_yml.write_text(text, encoding="utf-8")
    line = text.split("\n").index("codeowners:") + 1
    ledger, diagnostics = check_ledger(repo / "issues")
    assert ledger is None
    assert [str(d) for d in diagnostics] == [
        f"issues/ledger.yml:{line}: codeowners: codeowners 应写成“责任部门: [账号, …]”，每个部门一行，例如 办公室: [wang.li]。"]
