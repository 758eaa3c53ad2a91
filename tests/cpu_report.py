"""``pytest --cpu-report``: where the suite's CPU goes, per test module.

CPU is user + system time of this process and of the child processes it has
waited for (MkDocs, Chromium, LibreOffice, git), across each test's setup,
call and teardown, so a shared fixture is counted in the first test that
uses it. A child is counted when it is reaped, which for a long-lived one
(the shared Chromium) is at its fixture's teardown. See dev/performance.md.
"""

from __future__ import annotations

import resource
from collections import defaultdict

import pytest

_by_module: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0])


def _cpu() -> tuple[float, float]:
    own, children = (resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


def pytest_addoption(parser):
    parser.addoption("--cpu-report", action="store_true", help="print the CPU seconds of each test module")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    if not item.config.getoption("--cpu-report"):
        yield
        return
    before = _cpu()
    yield
    after = _cpu()
    row = _by_module[item.nodeid.split("::")[0]]
    row[0] += after[0] - before[0]
    row[1] += after[1] - before[1]
    row[2] += 1


def pytest_terminal_summary(terminalreporter, config):
    if not config.getoption("--cpu-report"):
        return
    own, children = _cpu()
    tests = sum(n for _, _, n in _by_module.values())
    write = terminalreporter.write_line
    write(f"CPU {own + children:.1f} s (this process {own:.1f} s, children {children:.1f} s) "
          f"for {tests} tests: {(own + children) / max(tests, 1):.3f} s a test")
    write("   CPU   own  children tests  module")
    for module, (mine, theirs, n) in sorted(_by_module.items(), key=lambda kv: -kv[1][0] - kv[1][1]):
        write(f"{mine + theirs:6.1f} {mine:5.1f} {theirs:9.1f} {n:5d}  {module}")
