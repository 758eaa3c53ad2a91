"""Property: whatever is in the ledger folder, the loader returns a ledger or
diagnostics — it never raises (a traceback in CI tells an editor nothing)."""

from __future__ import annotations

import datetime as dt
import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from ledger_fixtures import LEDGER_YML, issue_text, write_ledger
from ledgerlib.errors import Severity
from ledgerlib.parser import check_ledger

KEYS = ["id", "title", "category", "status", "owner", "leader", "deadline", "completed",
        "evidence", "status_note", "name", "file", "leaders", "<<", "? x", "", "标题"]
# Pieces of YAML that trip parsers and coercions: octal-looking numbers,
# booleans, impossible dates, times, aliases, tags, flow brackets, block
# scalars, full-width punctuation, tabs, control and surrogate-ish characters.
ATOMS = ["012", "0x1F", "1e3", "-1", "no", "~", "null", "2023-02-30", "2023-3-31", "12:30",
         "已完成", "整改中", "党建", "办公室", "&a", "*a", "&a [*a]", "!!python/object:os.system",
         "!!binary AAAA", "[", "]", "{", "}", "[a, b]", "{a: b}", "|", ">", "'", '"', "\"x\"",
         "- ", "? ", ": ", "：", "\u3000", "\t", "#", "%YAML 1.1", "---", "...", "\x00", "\x07",
         "\ufeff", "\r", "\u2028", "docs/evidence/x.pdf", "../../etc/passwd", "/etc/passwd", "\U0001F600"]

yaml_value = st.sampled_from(ATOMS) | st.lists(st.sampled_from(ATOMS) | st.text(max_size=8), max_size=4).map("".join)
yaml_line = st.tuples(st.sampled_from(["", "  ", "    ", "- ", "  - ", "\t", "\u3000"]),
                      st.sampled_from(KEYS), st.sampled_from([": ", ":", "：", " : ", ":\t", ""]),
                      yaml_value).map("".join)
front_matter = st.lists(yaml_line, max_size=12).map("\n".join)
body = st.lists(st.sampled_from(["## 问题描述", "## 整改情况", "## 备注", "### 小标题", "", "文字", "---",
                                 "<script>alert(1)</script>", "{: onclick=x }", "\x00"])
                | st.text(max_size=30), max_size=8).map("\n".join)


def _problem_file(fm: str, text: str, fence: bool) -> str:
    return f"---\n{fm}\n---\n{text}\n" if fence else f"{fm}\n{text}"


problem_file = st.one_of(
    st.builds(_problem_file, front_matter, body, st.booleans()),
    st.text(max_size=300),
    st.binary(max_size=300),
    # A valid file with one line, or one field's value, changed: close to
    # what people actually type.
    st.builds(lambda n, line: _replace_line(issue_text(), n, line), st.integers(1, 9), yaml_line),
    st.builds(lambda n, value: _replace_value(issue_text(), n, value), st.integers(1, 9), yaml_value),
)


def _replace_line(text: str, n: int, line: str) -> str:
    lines = text.split("\n")
    return "\n".join([*lines[:n], line, *lines[n + 1:]])


def _replace_value(text: str, n: int, value: str) -> str:
    lines = text.split("\n")
    key = lines[n].split(":", 1)[0]
    return _replace_line(text, n, f"{key}: {value}")
ledger_yml = st.one_of(
    st.just(LEDGER_YML),
    st.builds(lambda n, line: _replace_line(LEDGER_YML, n, line), st.integers(0, 11), yaml_line),
    st.builds(lambda n, value: _replace_value(LEDGER_YML, n, value), st.integers(0, 5), yaml_value),
    front_matter,
)
files = st.dictionaries(st.sampled_from(["01-a.md", "02-b.md", "03-c.MD", "notes.txt", "x.md"]),
                        problem_file, max_size=3)

DIAGNOSTIC = re.compile(r"^[^\n]+:\d+: [^\n]+: [^\n]+$")


def _encode(value: str | bytes) -> bytes:
    # Lone surrogates from st.text() cannot be written as UTF-8; keep them as escapes.
    return value if isinstance(value, bytes) else value.encode("utf-8", "backslashreplace")


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ledger_text=ledger_yml, issues=files)
# Inputs that once raised: a self-referencing alias (endless recursion),
# nested aliases (a "billion laughs" expansion), nesting deeper than Python's stack.
@example(ledger_text=LEDGER_YML, issues={"01-a.md": issue_text().replace("leader: 局长", "leader: &a [*a]")})
@example(ledger_text=LEDGER_YML + "".join(f"x{n}: &x{n} [{', '.join([f'*x{n - 1}'] * 9) if n else 'a'}]\n" for n in range(8)),
         issues={})
@example(ledger_text=LEDGER_YML, issues={"01-a.md": issue_text().replace("leader: 局长", "leader: " + "[" * 990 + "]" * 990)})
def test_loader_never_raises(ledger_text, issues):
    with tempfile.TemporaryDirectory() as tmp:
        folder = write_ledger(Path(tmp), {name: _encode(text) for name, text in issues.items()},
                              ledger_yml=ledger_text)
        ledger, diagnostics = check_ledger(folder, today=dt.date(2024, 1, 1))
    errors = [d for d in diagnostics if d.severity is Severity.ERROR]
    assert (ledger is None) == bool(errors)
    for d in diagnostics:
        assert d.line >= 1 and DIAGNOSTIC.match(str(d).replace("\r", " ").replace("\u2028", " ")), str(d)
    if ledger is not None:
        assert all(issue.problem and issue.measures for issue in ledger.issues)
