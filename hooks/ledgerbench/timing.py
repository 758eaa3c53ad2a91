"""Timing a child process, and printing the bench's tables (shared by bench and rollupbench)."""

from __future__ import annotations

import os
import subprocess
import tempfile
import time
import unicodedata
from pathlib import Path
from typing import NamedTuple

SITE_INPUTS = ("mkdocs.yml", "docs", "hooks")


class BenchError(Exception):
    pass


class ChildRun(NamedTuple):
    """One timed child process. CPU time is the child's own (wait4), so it is
    less disturbed than wall time by other work on a shared machine; its
    system part still depends on the disk (on the development VM the same
    build took 0.6-4.3 s of system time, after how much the disk had just
    deleted), so the user part is kept apart too."""

    seconds: float  # wall clock
    cpu: float  # user + system
    user: float
    peak_kb: int
    stdout: str


def run_child(cmd: list[str], *, cwd: Path, env: dict | None = None) -> ChildRun:
    """Run ``cmd`` and time it. Raises BenchError on failure."""
    with tempfile.TemporaryFile("w+", encoding="utf-8") as out, tempfile.TemporaryFile("w+", encoding="utf-8") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=err, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if proc.returncode != 0:
        tail = "\n".join(stderr.strip().splitlines()[-20:])
        raise BenchError(f"命令失败（退出码 {proc.returncode}）：{' '.join(cmd)}\n{tail}")
    return ChildRun(seconds, usage.ru_utime + usage.ru_stime, usage.ru_utime, usage.ru_maxrss, stdout)


def width(text: str) -> int:
    """Terminal columns: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def print_table(rows: list[tuple[str, ...]]) -> None:
    widths = [max(width(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        cells = [row[0] + " " * (widths[0] - width(row[0]))]
        cells += [" " * (w - width(c)) + c for c, w in zip(row[1:], widths[1:], strict=True)]
        print("  ".join(cells))
