"""Shared fixtures: the sample ledger, temporary copies of the repository,
and a real `mkdocs build` of such a copy."""

from __future__ import annotations

import contextlib
import importlib
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

import inprocess_build  # noqa: E402  (imports ledgerlib, found through the line above)
from ledgerlib import cli  # noqa: E402  (found through the line above)
from ledgerlib.mkdocsrun import run_mkdocs  # noqa: E402

pytest_plugins = ["cpu_report"]  # pytest --cpu-report

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


def mkdocs_build(repo: Path, site: Path | None = None, *, strict: bool = True, quiet: bool = True,
                 process: bool = False) -> subprocess.CompletedProcess:
    """``mkdocs build`` (or ProperDocs's, see LEDGER_ENGINE) of ``repo`` into
    ``site``: its exit status, stdout and stderr. Run in this process
    (``inprocess_build``) unless ``process`` is set, for the tests whose point
    is what the real process prints and exits with, or the copy's hook code is
    not this repository's."""
    config, site = repo / "mkdocs.yml", site or repo / "site"
    if process or not inprocess_build.can_build(repo):
        return run_mkdocs(config, site, strict=strict, quiet=quiet, timeout=600)
    return inprocess_build.run_build(config, site, strict=strict, quiet=quiet)


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


def ledger_cli(*args, cwd: Path = REPO, repo: Path = REPO) -> CliResult:
    """``python repo/scripts/ledger.py args``, run in this process: the same
    ``cli.main``, without starting Python and importing the package again
    (the suite runs the command line some fifty times); the MkDocs build a
    command starts runs in this process too (``inprocess_build``). Tests whose
    point is the real process (the script entry, exit status, MkDocs's or
    Chromium's own output) start it with subprocess instead. An exception
    escapes, so a traceback the user would see fails the test."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.chdir(cwd), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), \
            _commands_of(repo):
        try:
            code = cli.main([str(a) for a in args])
        except SystemExit as exc:  # argparse's usage errors
            code = exc.code if isinstance(exc.code, int) else int(exc.code is not None)
    return CliResult(code, out.getvalue(), err.getvalue())


@contextlib.contextmanager
def _commands_of(repo: Path):
    """The commands as ``repo``'s copy of scripts/ledger.py runs them, with
    no terminal on stdin: the script's location is the repository they build
    (``cli.REPO``), and the MkDocs builds they start run in this process."""
    for module_name, _ in cli.COMMANDS.values():
        importlib.import_module(module_name)  # imported on demand: patch them all now
    modules = [m for n, m in list(sys.modules.items()) if n.startswith("ledgerlib")]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO()))  # as subprocess.DEVNULL
        for module in modules:
            if repo != REPO and getattr(module, "REPO", None) == REPO:
                patch.setattr(module, "REPO", repo)
            if getattr(module, "run_mkdocs", None) is run_mkdocs:
                patch.setattr(module, "run_mkdocs", inprocess_build.run_mkdocs)
        yield


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


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium driven over CDP (tests/cdp.py) for the session:
    the search box and the phone-width measurements (browser.in_page) open
    their pages in it, as a start costs more than a page."""
    from cdp import Browser, find_browser

    binary = find_browser()
    if binary is None:
        message = "missing chromium (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    started = Browser(binary)
    yield started
    started.close()
