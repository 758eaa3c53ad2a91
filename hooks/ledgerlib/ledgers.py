"""Where the ledgers are, and what ties them together.

``issues/`` holds either one ledger (``issues/ledger.yml``, as the sample
does) or one folder per ledger (``issues/<name>/ledger.yml``): every round of
a unit, every unit a 巡察办 follows. A ledger is a folder; nothing else in
the package assumes there is only one. ``discover`` finds them,
``check_collection`` loads and validates them all and resolves the
``follows:`` links between their problems.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from . import constants as C
from .boundary import check_site_pages, check_trees
from .errors import Diagnostic, Diagnostics, LedgerInvalid, errors_of, warnings_of
from .model import Issue, Ledger
from .parser import check_ledger
from .rollup_settings import NoticeSettings, read_settings


@dataclass(frozen=True)
class LedgerRef:
    name: str  # the folder name under issues/; "" for the one ledger of a single-ledger site
    path: Path  # the ledger folder

    @property
    def prefix(self) -> str:
        """Where the ledger's pages live in the site: "" or "<name>/"."""
        return f"{self.name}/" if self.name else ""


class LedgerChoiceError(Exception):
    """--ledger names no ledger, or several; the message says which exist."""


def discover(root: Path) -> list[LedgerRef]:
    """The ledgers under ``root``: itself, or each sub-folder with a ledger.yml."""
    root = Path(root)
    if (root / C.LEDGER_FILE).is_file():
        return [LedgerRef("", root)]
    return discover_folders(root)


def discover_folders(root: Path) -> list[LedgerRef]:
    """Sub-folders of ``root`` that hold a ledger.yml."""
    if not root.is_dir():
        return []
    return [LedgerRef(p.name, p) for p in sorted(root.iterdir())
            if p.is_dir() and not p.name.startswith((".", "_")) and (p / C.LEDGER_FILE).is_file()]


def repo_root_of(ledger_dir: Path) -> Path:
    """The repository a ledger folder belongs to: the nearest folder above it
    with mkdocs.yml or .git (issues/ or issues/<name>/), else its parent."""
    ledger_dir = Path(ledger_dir).resolve()
    for parent in list(ledger_dir.parents)[:2]:
        if (parent / "mkdocs.yml").is_file() or (parent / ".git").exists():
            return parent
    return ledger_dir.parent


def collection_root(ledger_dir: Path) -> Path:
    """The issues/ folder holding ``ledger_dir``: the folder itself for a
    single ledger (or a folder of ledgers), its parent for one of several."""
    ledger_dir = Path(ledger_dir).resolve()
    if (ledger_dir / C.LEDGER_FILE).is_file() and repo_root_of(ledger_dir) != ledger_dir.parent:
        return ledger_dir.parent
    return ledger_dir


def choose(path: Path, default_root: Path | None = None) -> LedgerRef:
    """The one ledger ``--ledger`` names: a ledger folder, a folder holding
    exactly one ledger, or a ledger's name under ``default_root`` (issues/)."""
    path = Path(path)
    if not path.exists() and default_root is not None and (Path(default_root) / path).is_dir():
        path = Path(default_root) / path
    if (path / C.LEDGER_FILE).is_file():
        root = collection_root(path)
        name = path.resolve().name if root != path.resolve() else ""
        return LedgerRef(name, path)
    found = discover(path)
    if len(found) == 1:
        return found[0]
    if not found:
        raise LedgerChoiceError(f"“{path}”不是台账文件夹：其中没有 {C.LEDGER_FILE}，也没有含 {C.LEDGER_FILE} 的子文件夹。"
                                f"请用 --ledger 指定台账文件夹，例如 --ledger issues。")
    names = "、".join(ref.name for ref in found)
    raise LedgerChoiceError(f"“{path}”下有 {len(found)} 个台账（{names}），不知道要用哪一个；"
                            f"请用 --ledger 指定其中一个，例如 --ledger {(path / found[0].name).as_posix()}。")


@dataclass
class Collection:
    """Every ledger of the site, in folder order, with the links between them."""

    root: Path  # issues/
    repo: Path
    entries: list[tuple[LedgerRef, Ledger]]
    # (ledger name, problem id) -> the problems it continues / that continue it
    settings: NoticeSettings = field(default_factory=NoticeSettings)  # issues/summary.yml
    follows: dict[tuple[str, int], list[tuple[LedgerRef, Issue]]] = field(default_factory=dict)
    followed_by: dict[tuple[str, int], list[tuple[LedgerRef, Issue]]] = field(default_factory=dict)

    @property
    def multi(self) -> bool:
        """A folder per ledger (even if only one so far): pages get a prefix."""
        return any(ref.name for ref, _ in self.entries)

    @property
    def ledgers(self) -> list[Ledger]:
        return [ledger for _, ledger in self.entries]

    def continues(self, ref: LedgerRef, issue: Issue) -> bool:
        return bool(self.follows.get((ref.name, issue.id)))


def check_collection(root: Path, *, repo_root: Path | None = None, only: LedgerRef | None = None,
                     today: dt.date | None = None, drafts: bool = False) -> tuple[Collection | None, list[Diagnostic]]:
    """Load and validate every ledger under ``root`` (or just ``only``, with its
    ``follows:`` still checked against the others), all errors at once.
    ``drafts``: as for ``parser.load_ledger``."""
    root = Path(root).resolve()
    refs = discover(root)
    repo = Path(repo_root).resolve() if repo_root else repo_root_of(refs[0].path if refs else root)
    if not refs:
        diag = Diagnostic(_rel(root, repo), 1, "台账",
                          f"缺少 {C.LEDGER_FILE}：台账文件夹里应有 {C.LEDGER_FILE}，或者每个台账一个子文件夹"
                          f"（如 issues/2023-区委巡察/{C.LEDGER_FILE}）。")
        return None, [diag]
    diagnostics: list[Diagnostic] = [_stray(ref, repo) for ref in discover_folders(root)] if refs[0].name == "" else []
    entries = []
    for ref in refs:
        ledger, found = check_ledger(ref.path, repo_root=repo, today=today, drafts=drafts)
        if only is None or ref.path.resolve() == Path(only.path).resolve():
            diagnostics += found
        if ledger is not None:
            ledger = dataclasses.replace(ledger, warnings=warnings_of(found))
            entries.append((ref, ledger))
    # The site's hand-written pages are read by the same build; a narrative
    # among them is already reported once. What the build would copy into the
    # site, and every file of the ledgers, is checked against the trust
    # boundary (boundary.py); a symlinked problem file is reported once.
    pages = Diagnostics()
    check_trees(repo, root, pages)
    check_site_pages(repo / "docs", repo, pages)
    diagnostics += [d for d in pages.items if d not in diagnostics]
    collection = Collection(root, repo, entries)
    if refs[0].name:  # settings of the roll-up and the summary notice, beside the ledgers
        found = Diagnostics()
        collection.settings = read_settings(root, repo, found)
        diagnostics += found.items
    wanted = [e for e in entries if only is None or e[0].path.resolve() == Path(only.path).resolve()]
    diagnostics += link_follows(collection, {id(ledger) for _, ledger in wanted}, complete=len(entries) == len(refs))
    if errors_of(diagnostics):
        return None, diagnostics
    if only is not None:
        collection.entries = wanted
    return collection, diagnostics


def load_collection(root: Path, *, repo_root: Path | None = None, today: dt.date | None = None) -> Collection:
    collection, diagnostics = check_collection(root, repo_root=repo_root, today=today)
    if collection is None:
        raise LedgerInvalid(diagnostics)
    return collection


def link_follows(collection: Collection, wanted: set[int], *, complete: bool) -> list[Diagnostic]:
    """Resolve ``follows:``; an unknown target is an error at its line. When a
    ledger failed to load, targets in it are not reported: its own errors are."""
    by_key = {(ref.name, issue.id): (ref, issue) for ref, ledger in collection.entries for issue in ledger.issues}
    names = {ref.name for ref, _ in collection.entries}
    diagnostics = []
    for ref, ledger in collection.entries:
        for issue in ledger.issues:
            for text, line in issue.follows:
                name, _, number = text.rpartition("/")
                key = (name if "/" in text else ref.name, int(number))
                target = by_key.get(key)
                if target is None:
                    if not complete and key[0] not in names:
                        continue
                    if id(ledger) in wanted:
                        diagnostics.append(Diagnostic(issue.rel_path, line, "follows", _missing(text, key, names)))
                    continue
                if target[1] is issue:
                    diagnostics.append(Diagnostic(issue.rel_path, line, "follows", "问题不能延续自己；请写上一轮问题的台账名和序号。"))
                    continue
                collection.follows.setdefault((ref.name, issue.id), []).append(target)
                collection.followed_by.setdefault(key, []).append((ref, issue))
    return diagnostics


def _stray(ref: LedgerRef, repo: Path) -> Diagnostic:
    return Diagnostic(_rel(ref.path / C.LEDGER_FILE, repo), 1, "台账",
                      f"issues/ 本身是一个台账（有 {C.LEDGER_FILE}），其中的“{ref.name}”又是一个台账，不会被读取。"
                      f"要放多个台账，请先运行 ledger.py nest 名称，把原台账移入自己的子文件夹。")


def _missing(text: str, key: tuple[str, int], names: set[str]) -> str:
    if key[0] not in names:
        known = "、".join(sorted(n for n in names if n)) or "（本仓库只有一个台账）"
        return f"找不到“{text}”：没有名为“{key[0]}”的台账。现有台账：{known}；请写成“台账文件夹名/序号”。"
    where = f"台账“{key[0]}”" if key[0] else "本台账"
    return f"找不到“{text}”：{where}中没有序号为 {key[1]} 的问题；请核对序号。"


def _rel(path: Path, repo: Path) -> str:
    try:
        return Path(path).resolve().relative_to(repo).as_posix()
    except ValueError:
        return Path(path).as_posix()
