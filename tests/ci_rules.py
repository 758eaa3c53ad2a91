"""Which jobs of .gitlab-ci.yml a pipeline runs: GitLab's ``workflow:rules``
and each job's ``rules`` (first match wins; no match: not run; no rules: run),
for the ``if:`` expressions the template uses (==, !=, &&, ||, variables)."""

from __future__ import annotations

import re

# Pipelines the template is written for: their predefined variables.
PIPELINES = {
    "merge_request": {"CI_PIPELINE_SOURCE": "merge_request_event", "CI_DEFAULT_BRANCH": "main"},
    "push_main": {"CI_PIPELINE_SOURCE": "push", "CI_COMMIT_BRANCH": "main", "CI_DEFAULT_BRANCH": "main"},
    "push_branch": {"CI_PIPELINE_SOURCE": "push", "CI_COMMIT_BRANCH": "topic", "CI_DEFAULT_BRANCH": "main"},
    "schedule": {"CI_PIPELINE_SOURCE": "schedule", "CI_COMMIT_BRANCH": "main", "CI_DEFAULT_BRANCH": "main"},
}
_TERM = re.compile(r'^\s*(\$\w+|"[^"]*")\s*(==|!=)\s*(\$\w+|"[^"]*")\s*$')


def _value(token: str, env: dict) -> str | None:
    return env.get(token[1:]) if token.startswith("$") else token[1:-1]


def evaluate(expression: str, env: dict) -> bool:
    """``a == b && c != d || …``: && binds tighter than ||, as in GitLab."""
    for alternative in expression.split("||"):
        terms = []
        for term in alternative.split("&&"):
            m = _TERM.match(term)
            if not m:
                raise ValueError(f"expression not understood: {term!r}")
            equal = _value(m[1], env) == _value(m[3], env)
            terms.append(equal if m[2] == "==" else not equal)
        if all(terms):
            return True
    return False


def _rules_allow(rules: list[dict] | None, env: dict) -> bool:
    if rules is None:
        return True
    for rule in rules:
        if "if" not in rule or evaluate(rule["if"], env):
            return rule.get("when", "on_success") != "never"
    return False


def jobs_run(config: dict, pipeline: str) -> set[str]:
    """The jobs a pipeline of kind ``pipeline`` (see PIPELINES) runs; none
    when the workflow's rules keep the pipeline from being created."""
    env = PIPELINES[pipeline]
    if not _rules_allow(config.get("workflow", {}).get("rules"), env):
        return set()
    return {name for name, job in config.items()
            if isinstance(job, dict) and "script" in job and not name.startswith(".")
            and _rules_allow(job.get("rules"), env)}
