"""Shared fixtures: the sample ledger, temporary copies of the repository,
and a real `mkdocs build` of such a copy."""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import settings

# CI replays the same examples every run, so that a green run on a developer's
# machine means a green CI; locally, hypothesis keeps exploring new inputs.
settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    settings.load_profile("ci")

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "hooks"))

from ledgerlib import cli  # noqa: E402  (found through the line above)
from ledgerlib.mkdocsrun import run_mkdocs  # noqa: E402

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEED_REPORT = FIXTURES / "seed" / "report.txt"

# What a site build needs from the repository.
SITE_INPUTS = ("mkdocs.yml", "issues", "docs", "hooks")


def copy_repo(dest: Path) -> Path:
    """A throw-away copy of the repository's site inputs, to edit freely."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in SITE_INPUTS:
        src = REPO / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(src, dest / name)
    return dest


def mkdocs_build(repo: Path, site: Path | None = None, *, strict: bool = True,
                 quiet: bool = True) -> subprocess.CompletedProcess:
    return run_mkdocs(repo / "mkdocs.yml", site or repo / "site", strict=strict, quiet=quiet, timeout=600)


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory) -> Path:
    """The sample ledger built once with the real mkdocs, strict."""
    root = tmp_path_factory.mktemp("sample")
    repo = copy_repo(root / "repo")
    site = root / "site"
    result = mkdocs_build(repo, site)
    assert result.returncode == 0, result.stderr
    return site


@pytest.fixture
def repo_copy(tmp_path) -> Path:
    return copy_repo(tmp_path / "repo")


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


@dataclass
class CliResult:
    returncode: int
    stdout: str
    stderr: str


def ledger_cli(*args, cwd: Path = REPO) -> CliResult:
    """``python scripts/ledger.py args``, run in this process: the same
    ``cli.main``, without starting Python and importing the package again
    (the suite runs the command line some fifty times). Tests whose point is
    the real process (the script entry, exit status, MkDocs's or Chromium's
    own output) start it with subprocess instead. An exception escapes, so a
    traceback the user would see fails the test."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.chdir(cwd), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = cli.main([str(a) for a in args])
        except SystemExit as exc:  # argparse's usage errors
            code = exc.code if isinstance(exc.code, int) else int(exc.code is not None)
    return CliResult(code, out.getvalue(), err.getvalue())


def ledger_script(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """``python scripts/ledger.py args`` as a real process: for the tests whose
    point is the process (Chromium printing, exit status, the script entry)."""
    return subprocess.run([sys.executable, str(REPO / "scripts/ledger.py"), *args],
                          capture_output=True, text=True, timeout=600, env=env)


@pytest.fixture(scope="session")
def report_pdf(sample_site, tmp_path_factory) -> Path:
    """The sample report printed by headless Chromium (``ledger.py pdf``)."""
    from pdf_layout import require

    require("chromium", "pdftotext", "pdfinfo", hint="apt-get install chromium poppler-utils fonts-noto-cjk")
    out = tmp_path_factory.mktemp("pdf") / "整改报告.pdf"
    result = ledger_script("pdf", "--site", str(sample_site), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert str(out) in result.stdout
    return out
