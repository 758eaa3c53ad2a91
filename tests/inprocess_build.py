"""``python -m mkdocs build …`` run inside the test process.

The same command line (the generator's own click entry, with the arguments
``ledgerlib.mkdocsrun`` would pass, in the environment and folder it would
use), without starting Python and importing MkDocs, Material, Markdown and
the extensions again: about 0.35 s of CPU a build, some forty builds a run.
Exit status, stdout and stderr are those of the process: the generator's
logging handler is made while stderr is redirected, an escaping exception
is printed as Python would print it, with status 1.

A process keeps its state to itself; here it is put back after each build:
environment, working folder, the generator's loggers, the warning filters
(MkDocs's CLI changes both), the garbage collector's settings (the hook
freezes objects and raises the thresholds), the hook module (MkDocs caches
it by path, so a second build of one copy would reuse it) and Markdown's
module in MkDocs's page module (the hook swaps it for its pool).

The hook imports ``ledgerlib`` by name, so every build here uses the one
already imported from this repository: ``can_build`` refuses a copy whose
``hooks/`` differs, and the caller starts a real process instead.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import importlib
import io
import logging
import os
import subprocess
import sys
import traceback
import warnings
from functools import cache
from pathlib import Path

from ledgerlib import mkdocsrun
from ledgerlib.buildenv import BuildEnv
from ledgerlib.mkdocsrun import engine, mkdocs_command, mkdocs_env

REPO = Path(__file__).resolve().parent.parent
LOGGER_TREES = ("mkdocs", "properdocs")


def _hooks_digest(repo: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted((repo / "hooks").rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(repo).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


@cache
def _our_hooks() -> str:
    return _hooks_digest(REPO)


def can_build(repo: Path) -> bool:
    """Whether the copy's hook code is this repository's, the code loaded here."""
    return _hooks_digest(repo) == _our_hooks()


def run_build(config: Path, site: Path, *, build_env: BuildEnv | None = None, strict: bool = True,
              quiet: bool = True, capture: bool = True) -> subprocess.CompletedProcess[str]:
    """``mkdocsrun.run_mkdocs``, in this process. Without ``capture`` the
    output goes where this process's goes, as the child's would."""
    cmd = mkdocs_command(config, site, strict=strict, quiet=quiet)
    name = engine()
    cli = importlib.import_module(f"{name}.__main__").cli
    out, err = (io.StringIO(), io.StringIO()) if capture else (sys.stdout, sys.stderr)
    with _process_state(name, config.parent, mkdocs_env(build_env)), \
            contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = _exit_status(cli, cmd[3:], f"python -m {name}")
    if not capture:
        return subprocess.CompletedProcess(cmd, code)
    return subprocess.CompletedProcess(cmd, code, out.getvalue(), err.getvalue())


def run_mkdocs(config: Path, site: Path, **options) -> subprocess.CompletedProcess[str]:
    """Stands in for ``mkdocsrun.run_mkdocs`` in the commands run by
    ``conftest.ledger_cli``: in this process when ``can_build``."""
    if not can_build(config.parent):
        return mkdocsrun.run_mkdocs(config, site, **options)
    options.pop("timeout", None)
    return run_build(config, site, **options)


def _exit_status(cli, args: list[str], prog: str) -> int:
    """What the interpreter would exit with after running ``cli``."""
    try:
        cli.main(args, prog_name=prog, standalone_mode=True)
    except SystemExit as exc:
        if exc.code is None or isinstance(exc.code, int):
            return exc.code or 0
        print(exc.code, file=sys.stderr)
        return 1
    except Exception:  # a traceback the user would see: the test shall see it too
        traceback.print_exc()
        return 1
    return 0


@contextlib.contextmanager
def _process_state(name: str, cwd: Path, env: dict[str, str]):
    saved_env = dict(os.environ)
    loggers = _logger_state()
    modules = set(sys.modules)
    hooks = importlib.import_module(f"{name}.config.config_options").Hooks._load_hook
    pages = importlib.import_module(f"{name}.structure.pages")
    page_markdown = pages.markdown
    threshold = gc.get_threshold()
    hooks.cache_clear()
    os.environ.clear()
    os.environ.update(env)
    try:
        with contextlib.chdir(cwd), warnings.catch_warnings():
            yield
    finally:
        os.environ.clear()
        os.environ.update(saved_env)
        _restore_loggers(loggers)
        hooks.cache_clear()
        _forget_modules_under(cwd, set(sys.modules) - modules)
        pages.markdown = page_markdown
        gc.unfreeze()
        gc.set_threshold(*threshold)


def _generator_loggers() -> list[logging.Logger]:
    names = [n for n in logging.root.manager.loggerDict
             if any(n == t or n.startswith(t + ".") for t in LOGGER_TREES)]
    return [logging.getLogger(n) for n in {*names, *LOGGER_TREES}]


def _logger_state() -> dict[logging.Logger, tuple]:
    return {lg: (lg.level, lg.propagate, lg.parent, lg.disabled, list(lg.handlers), list(lg.filters))
            for lg in _generator_loggers()}


def _restore_loggers(saved: dict[logging.Logger, tuple]) -> None:
    for lg in _generator_loggers():
        level, propagate, parent, disabled, handlers, filters = saved.get(
            lg, (logging.NOTSET, True, lg.parent, False, [], []))
        lg.setLevel(level)
        lg.propagate, lg.parent, lg.disabled = propagate, parent, disabled
        lg.handlers[:], lg.filters[:] = handlers, filters


def _forget_modules_under(folder: Path, names: set[str]) -> None:
    """Modules the build loaded from the copy (the hook) go with it."""
    folder = folder.resolve()
    for name in names:
        path = getattr(sys.modules.get(name), "__file__", None)
        if path and Path(path).resolve().is_relative_to(folder):
            del sys.modules[name]
