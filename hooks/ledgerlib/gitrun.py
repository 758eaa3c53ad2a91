"""The one way this package runs git.

Always in the C locale, so that messages and dates parse the same on every
desktop, and never prompting for a password (a build must not hang).
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

GIT_ENV = {"LC_ALL": "C", "GIT_TERMINAL_PROMPT": "0", "GIT_PAGER": "cat"}


def run_git(args: list[str], cwd: Path, *, stdin: bytes | None = None, timeout: float | None = None,
            env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    """Run ``git args`` in ``cwd``; raises OSError when git is not installed.
    ``env`` adds variables (e.g. commit dates) on top of ours."""
    return subprocess.run(["git", *args], cwd=cwd, input=stdin, capture_output=True, check=False,
                          env={**os.environ, **GIT_ENV, **(env or {})}, timeout=timeout)


def git_output(args: list[str], cwd: Path) -> str | None:
    """git's output as text, or None when git is missing or fails."""
    try:
        result = run_git(args, cwd, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout.decode("utf-8", "replace") if result.returncode == 0 else None


def git_commit(repo: Path) -> str | None:
    """Short commit of the checkout at ``repo``; None when it is not one (or git is missing)."""
    result = git_output(["rev-parse", "--short", "HEAD"], repo)
    return result.strip() or None if result is not None else None


def git_dirty(repo: Path, paths: tuple[Path, ...]) -> bool:
    """Whether files under ``paths`` differ from the commit (edited, added, deleted).

    Then the commit alone does not identify the figures, and the report says so.
    """
    rel = [os.path.relpath(p, repo) for p in paths]
    result = git_output(["status", "--porcelain", "--untracked-files=all", "--", *rel], repo)
    return bool(result and result.strip())
