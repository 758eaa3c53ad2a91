"""The scheduled reminder job: in GitLab only schedule pipelines run it, and
they run nothing else; GitHub Actions' equivalent runs on a schedule only."""

from __future__ import annotations

import re

import yaml

from ci_rules import evaluate, jobs_run
from conftest import REPO, read

GITLAB = REPO / ".gitlab-ci.yml"
REMIND_WORKFLOW = REPO / ".github/workflows/remind.yml"
LEDGER_WORKFLOW = REPO / ".github/workflows/ledger.yml"


def workflow(path) -> dict:
    config = yaml.safe_load(read(path))
    config["on"] = config.pop(True, config.get("on"))  # YAML 1.1 reads "on" as True
    return config


def test_the_rule_reader_reads_gitlab_expressions():
    env = {"CI_PIPELINE_SOURCE": "schedule", "CI_COMMIT_BRANCH": "main", "CI_DEFAULT_BRANCH": "main"}
    assert evaluate('$CI_PIPELINE_SOURCE == "schedule"', env)
    assert not evaluate('$CI_PIPELINE_SOURCE != "schedule"', env)
    assert evaluate('$CI_PIPELINE_SOURCE == "push" || $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH', env)
    assert not evaluate('$CI_PIPELINE_SOURCE == "schedule" && $CI_COMMIT_BRANCH == "topic"', env)


def test_gitlab_remind_runs_only_on_schedule_pipelines():
    config = yaml.safe_load(read(GITLAB))
    job = config["remind"]
    assert job["rules"] == [{"if": '$CI_PIPELINE_SOURCE == "schedule"'}]
    assert any("make remind" in line for line in job["script"]) and job["variables"]["REMIND_ARGS"] == "--send"
    assert {"paths": [".ledger/"], "key": "ledger-reminders-sent", "when": "always"} in job["cache"]
    assert jobs_run(config, "schedule") == {"remind"}
    for pipeline in ("merge_request", "push_main"):
        assert "remind" not in jobs_run(config, pipeline)
    # What ran before the reminders still runs as before.
    assert jobs_run(config, "merge_request") == {"validate", "build"}
    assert jobs_run(config, "push_main") == {"validate", "build", "pages"}
    assert jobs_run(config, "push_branch") == set()


def test_make_remind_passes_the_arguments(tmp_path):
    makefile = read(REPO / "Makefile")
    assert "remind: setup\n\t$(BIN)/python scripts/ledger.py remind $(REMIND_ARGS)" in makefile


def test_github_remind_workflow_runs_on_a_schedule_only():
    config = workflow(REMIND_WORKFLOW)
    assert set(config["on"]) == {"schedule", "workflow_dispatch"} and config["on"]["schedule"][0]["cron"]
    steps = config["jobs"]["remind"]["steps"]
    run = next(s for s in steps if "run" in s)
    assert run["run"].startswith("make remind") and run["env"]["REMIND_ARGS"] == "--send"
    assert run["env"]["LEDGER_SMTP_PASSWORD"] == "${{ secrets.LEDGER_SMTP_PASSWORD }}"
    assert any(s.get("with", {}).get("path") == ".ledger" for s in steps)  # the sent-log survives runs
    assert "schedule" not in workflow(LEDGER_WORKFLOW)["on"]  # the checks and Pages do not run on it


def test_no_password_in_the_templates_or_the_sample():
    for path in (GITLAB, REMIND_WORKFLOW, REPO / "issues" / "ledger.yml"):
        assert not re.search(r"(?<![\w])password\s*:", read(path), re.I), path
