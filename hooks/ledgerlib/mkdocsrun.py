"""The one way this package starts MkDocs: a separate process.

The package never imports MkDocs (the adapter is hooks/ledger_hooks.py with
hooks/ledger_mkdocs.py), so
``ledger.py build``, ``pdf`` and ``bench`` run it as ``python -m mkdocs``
with the same Python, and tell the hook what they want through ``BuildEnv``.

Which generator: MkDocs 1.x, or ProperDocs, its maintained continuation,
which builds this project unchanged (it answers the hook's ``mkdocs.*``
imports with its own modules). The environment variable LEDGER_ENGINE
(``mkdocs``, the default, or ``properdocs``) chooses, here only; make test
runs the site tests under both.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

from .buildenv import NAMES, BuildEnv

ENGINES = ("mkdocs", "properdocs")


class EngineError(Exception):
    """LEDGER_ENGINE names no known generator; the message is in Chinese."""


def engine(env: Mapping[str, str] = os.environ) -> str:
    name = env.get("LEDGER_ENGINE", "").strip().lower() or ENGINES[0]
    if name not in ENGINES:
        raise EngineError(f"环境变量 LEDGER_ENGINE 的值“{name}”无效，应为 {' 或 '.join(ENGINES)}。")
    return name


def serve_command(config: Path, address: str, *, dirty: bool = False) -> list[str]:
    """``dirty``: the live preview of make serve (ledgerlib.preview)."""
    cmd = [sys.executable, "-m", engine(), "serve", "-f", str(config), "-a", address]
    return [*cmd, "--dirty"] if dirty else cmd


def mkdocs_command(config: Path, site: Path, *, strict: bool = True, quiet: bool = True) -> list[str]:
    cmd = [sys.executable, "-m", engine(), "build", "-f", str(config), "-d", str(site)]
    if quiet:  # -q hides warnings too: strict builds still fail on them
        cmd.append("-q")
    return [*cmd, "--strict"] if strict else cmd


def mkdocs_env(build_env: BuildEnv | None = None) -> dict[str, str]:
    """The process environment: ours, with exactly the build's LEDGER_*
    variables (a stray one from the shell must not redirect the build), and no
    MkDocs 2 advertisement on stderr."""
    inherited = {k: v for k, v in os.environ.items() if k not in NAMES}
    return {**inherited, "NO_MKDOCS_2_WARNING": "1", **(build_env or BuildEnv()).to_env()}


def run_mkdocs(config: Path, site: Path, *, build_env: BuildEnv | None = None, strict: bool = True,
               quiet: bool = True, capture: bool = True,
               timeout: float | None = None) -> subprocess.CompletedProcess[str]:
    """Build the site of ``config`` into ``site``; the caller reads returncode and stderr.
    Raises subprocess.TimeoutExpired past ``timeout`` seconds."""
    return subprocess.run(mkdocs_command(config, site, strict=strict, quiet=quiet), cwd=config.parent,
                          env=mkdocs_env(build_env), capture_output=capture, text=True, timeout=timeout,
                          check=False)
