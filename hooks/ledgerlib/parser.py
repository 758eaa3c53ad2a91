"""The one loader: read a ledger folder, validate everything, return a Ledger.

``load_ledger(path)`` either returns a fully valid ``Ledger`` or raises
``LedgerInvalid`` with every error found, each located as path:line: field.
Hooks, scripts and tests all go through here.

The work is split along the files' seams: ``ledgerfile`` reads ledger.yml,
``problemfile`` reads each problem file, and ``textfile`` holds the rules
every file shares (encoding, front-matter, layout slips).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from . import constants as C
from . import internalmark
from .errors import Diagnostic, Diagnostics, LedgerInvalid, Severity, warnings_of
from .ledgerfile import LedgerFileReader
from .letterbook import read_letters
from .model import Ledger
from .problemfile import ProblemReader
from .signoff import read_signoffs
from .textfile import is_problem_file
from .trust import SYMLINK_MESSAGE


def load_ledger(path: str | Path, *, repo_root: str | Path | None = None,
                today: dt.date | None = None, drafts: bool = False) -> Ledger:
    """Load and validate the ledger in folder ``path``.

    ``repo_root`` is where evidence paths and messages are relative to; it
    defaults to the ledger folder's parent. ``today`` fixes the date used for
    "completed in the future" checks (tests pass one). ``drafts`` lets the
    placeholder text of `new` and `init` pass: commands that add to a ledger
    still being written (new, codeowners) need it, publishing never does.
    """
    ledger, diagnostics = check_ledger(path, repo_root=repo_root, today=today, drafts=drafts)
    if ledger is None:
        raise LedgerInvalid(diagnostics)
    return dataclasses.replace(ledger, warnings=warnings_of(diagnostics))


def check_ledger(path: str | Path, *, repo_root: str | Path | None = None, today: dt.date | None = None,
                 drafts: bool = False) -> tuple[Ledger | None, list[Diagnostic]]:
    """Like load_ledger, but returns (ledger or None, all diagnostics)."""
    root = Path(path).resolve()
    repo = Path(repo_root).resolve() if repo_root else root.parent
    diags = Diagnostics()
    ledger = _read(root, repo, diags, today or dt.date.today(), drafts)
    items = sorted(diags.items, key=_sort_key)
    return (None if diags.errors else ledger), items


def _sort_key(d: Diagnostic) -> tuple:
    return (d.path, d.line, d.severity is Severity.WARNING, d.field)


def _read(root: Path, repo: Path, diags: Diagnostics, today: dt.date, drafts: bool) -> Ledger | None:
    paths = RepoPaths(repo)
    ledger_path = root / C.LEDGER_FILE
    if not root.is_dir():
        diags.error(paths.rel(root), 1, "台账", "台账文件夹不存在。")
        return None
    if not ledger_path.is_file():
        diags.error(paths.rel(ledger_path), 1, "台账", f"缺少 {C.LEDGER_FILE}；请从示例台账复制一份再修改。")
        return None
    ledger = LedgerFileReader(root, repo, diags, drafts).read(ledger_path, paths.rel(ledger_path))
    issue_files = list_problem_files(root, paths, diags)
    if ledger is None:
        return None
    reader = ProblemReader(ledger, repo, diags, today, drafts)
    issues = [issue for file in issue_files if (issue := reader.read(file, paths.rel(file))) is not None]
    for path, line, field, message in reader.names.found:
        diags.error(path, line, field, message)
    for path, line, field, message in reader.owners.warnings():
        diags.warn(path, line, field, message)
    ledger = dataclasses.replace(ledger, issues=tuple(sorted(issues)))
    ledger = read_signoffs(ledger, paths, diags, today, reader.seen_ids)
    internalmark.check(ledger, paths.rel, diags)
    return read_letters(ledger, paths, diags)


def list_problem_files(root: Path, paths: RepoPaths, diags: Diagnostics) -> list[Path]:
    """The problem files of the ledger folder; anything else there is reported."""
    found = []
    for path in sorted(root.iterdir()):
        name = path.name
        if name in (C.LEDGER_FILE, C.SIGNOFF_FILE, C.WARNINGS_FILE) or name.startswith((".", "_")) or name == "README.md":
            continue
        if path.is_symlink():
            # Git keeps symlinks; one could make the build read (and
            # publish) any file on the build server.
            diags.error(paths.rel(path), 1, "文件", SYMLINK_MESSAGE)
            continue
        if path.is_dir():
            continue
        if not is_problem_file(name):
            diags.error(paths.rel(path), 1, "文件", "台账文件夹里只能放问题文件（.md）；佐证材料请放到 docs/evidence/ 下，在 evidence 字段里引用。")
            continue
        found.append(path)
    return found


class RepoPaths:
    """Paths as messages show them: relative to the repository root."""

    def __init__(self, repo: Path):
        self.repo = repo
        self._prefix = str(repo).rstrip("/") + "/"

    def rel(self, path: Path) -> str:
        # Files listed from the (resolved) ledger folder are already absolute
        # and under the repository: a string prefix test spares a resolve() —
        # several system calls — per file, a third of loading 2,000 problems.
        text = str(path)
        if text.startswith(self._prefix):
            return text[len(self._prefix):]
        # The link's own place first: a symlink resolves to somewhere else.
        for candidate in (path.absolute(), path.resolve()):
            try:
                return candidate.relative_to(self.repo).as_posix()
            except ValueError:
                pass
        return path.as_posix()
