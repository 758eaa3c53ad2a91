"""Issued documents (已报送文件): what was sent, frozen, and what changed since.

``ledger.py issue KIND --date D`` records a sent document as an annotated git
tag ``issued/[<ledger>/]<kind>/<date>`` on the commit it was made from. The
site lists those tags and rebuilds each document from its tag's commit with
snapshot.export (the machinery of ``build --as-of``): the ledger folder,
narratives and evidence as they were, laid out by today's code. A frozen copy
therefore never changes when the ledger moves on.

Cost: one ``git archive`` and one ledger load per tag, linear in tags times
problems; rebuilt documents are kept per commit for the life of the process,
so `mkdocs serve` does not rebuild them on every edit (a tag's commit never
changes).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from . import aggregate, plaintext, snapshot
from . import documents as D
from .downloads import Download
from .errors import Severity
from .export_docx import render as render_docx
from .gitrun import run_git
from .ledgers import repo_root_of
from .model import Issue, Ledger
from .parser import check_ledger
from .report import build_report
from .reportdoc import ReportDoc

TAG_ROOT = "issued"
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def tag_name(ledger_name: str, kind: str, day: dt.date) -> str:
    return "/".join(p for p in (TAG_ROOT, ledger_name, kind, day.isoformat()) if p)


@dataclass(frozen=True)
class Change:
    issue_id: int
    title: str
    field: str  # Chinese field name
    old: str
    new: str


@dataclass
class Issued:
    """One issued document: its tag, and the document rebuilt from it."""

    tag: str
    kind: str
    day: dt.date
    commit: str  # full sha of the tagged commit
    subject: str
    doc: ReportDoc | None = None
    ledger: Ledger | None = None
    error: str = ""  # why it could not be rebuilt
    changes: list[Change] | None = None  # since the previous issue of the same kind; None for the first
    previous: Issued | None = None

    @property
    def label(self) -> str:
        return D.KIND_INFO[self.kind].label

    @property
    def slug(self) -> str:
        return f"{self.kind}-{self.day.isoformat()}"

    @property
    def src(self) -> str:
        return f"documents/issued/{self.slug}.md"

    @property
    def changes_src(self) -> str:
        return f"documents/issued/{self.slug}-changes.md"

    @property
    def docx_src(self) -> str:
        return f"downloads/已报送/{self.label}-{self.day.isoformat()}.docx"


@dataclass
class Register:
    """The issued documents of one ledger, oldest first; ``message`` says
    why there are none to show (no git, a shallow clone)."""

    items: list[Issued] = field(default_factory=list)
    message: str = ""
    since: dict[str, list[Change]] = field(default_factory=dict)  # kind -> changes from its last issue to now

    def latest(self, kind: str) -> Issued | None:
        found = [i for i in self.items if i.kind == kind]
        return found[-1] if found else None

    def downloads(self, prefix: str) -> list[Download]:
        """Each frozen copy as the Word file it was sent as, built once per commit."""
        return [Download(prefix + item.docx_src, f"{item.label}（{item.day.isoformat()}，Word）", _docx(item))
                for item in self.items if item.doc is not None]


# -- reading the tags ---------------------------------------------------------------------

# A document rebuilt from a commit, by (commit, ledger folder, kind, day): the
# commit's content never changes, so neither does the document.
_CACHE: dict[tuple[str, str, str, dt.date], tuple[ReportDoc | None, Ledger | None, str]] = {}


def read_register(ledger_dir: Path, ledger_name: str, live: Ledger | None, *, rev: str = "HEAD") -> Register:
    """The issued documents of the ledger at ``ledger_dir`` (the original
    checkout, also in an as-of build), up to ``rev``, each rebuilt and
    compared with the previous issue of its kind; ``live`` is today's ledger."""
    try:
        toplevel, shallow = snapshot.git_root(Path(ledger_dir))
    except snapshot.SnapshotError:
        return Register(message="本台账不在 Git 仓库中（例如下载的压缩包），没有报送记录：报送记录保存在 Git 标签里，"
                                "请在仓库的完整克隆中构建网站。")
    if shallow:
        return Register(message="这是浅克隆（git clone --depth …），报送标签和当时的提交不全，无法重建已报送文件；"
                                "请取完整历史和标签（git fetch --unshallow --tags；GitLab 设 GIT_DEPTH: 0）后重新构建。")
    try:
        items = _tags(toplevel, "/".join(p for p in (TAG_ROOT, ledger_name) if p) + "/", rev)
    except snapshot.SnapshotError as exc:
        return Register(message=str(exc))
    # As build --as-of: paths relative to the site's repository, which may
    # sit inside git's.
    site = repo_root_of(Path(ledger_dir))
    site_prefix = os.path.relpath(site, toplevel.resolve()).replace(os.sep, "/")
    site_prefix = "" if site_prefix == "." else site_prefix + "/"
    ledger_rel = os.path.relpath(Path(ledger_dir).resolve(), site).replace(os.sep, "/")
    for item in items:
        item.doc, item.ledger, item.error = _rebuild(toplevel, site_prefix, ledger_rel, item)
    return _compared(items, live)


def _tags(toplevel: Path, prefix: str, rev: str) -> list[Issued]:
    """The tags ``<prefix><kind>/<date>`` reachable from ``rev``, oldest first."""
    listed = run_git(["for-each-ref", "--merged", rev, "--format=%(refname:short)%00%(objectname)%00%(*objectname)"
                      "%00%(contents:subject)", f"refs/tags/{prefix}"], toplevel)
    if listed.returncode != 0:
        raise snapshot.SnapshotError("无法读取报送标签：" + listed.stderr.decode("utf-8", "replace").strip())
    items = []
    for line in listed.stdout.decode("utf-8", "replace").splitlines():
        name, obj, target, subject = [*line.split("\0"), "", "", ""][:4]
        parts = name[len(prefix):].split("/")
        if len(parts) != 2 or parts[0] not in D.KINDS or not _DAY.match(parts[1]):
            continue  # another ledger's tag (issued/<ledger>/…), or not one of ours
        try:
            day = dt.date.fromisoformat(parts[1])
        except ValueError:
            continue
        items.append(Issued(name, parts[0], day, target or obj, subject))  # *objectname: an annotated tag's commit
    return sorted(items, key=lambda i: (i.day, D.KINDS.index(i.kind)))


def _compared(items: list[Issued], live: Ledger | None) -> Register:
    """Each issue linked to the previous one of its kind, with what changed;
    and for each kind, what changed since its last issue."""
    register = Register(items)
    for kind in D.KINDS:
        previous = None
        for item in (i for i in items if i.kind == kind):
            item.previous = previous
            if previous is not None and previous.ledger is not None and item.ledger is not None:
                item.changes = changes(previous.ledger, item.ledger)
            previous = item
        if previous is not None and previous.ledger is not None and live is not None:
            register.since[kind] = changes(previous.ledger, live)
    return register


_DOCX: dict[tuple[str, str], bytes] = {}  # by (tag, commit): the tag names the ledger, kind and day


def _docx(item: Issued) -> bytes:
    key = (item.tag, item.commit)
    if key not in _DOCX:
        _DOCX[key] = render_docx(item.doc)
    return _DOCX[key]


def _rebuild(toplevel: Path, site_prefix: str, ledger_rel: str,
             item: Issued) -> tuple[ReportDoc | None, Ledger | None, str]:
    key = (item.commit, site_prefix + ledger_rel, item.kind, item.day)
    if key not in _CACHE:
        _CACHE[key] = _rebuild_uncached(toplevel, site_prefix, ledger_rel, item)
    return _CACHE[key]


def _rebuild_uncached(toplevel: Path, site_prefix: str, ledger_rel: str,
                      item: Issued) -> tuple[ReportDoc | None, Ledger | None, str]:
    """The document of ``item`` from its commit: the ledger folder, narratives
    and evidence exported as ``build --as-of`` does, loaded, built."""
    with tempfile.TemporaryDirectory(prefix="ledger-issued-") as tmp:
        work = Path(tmp) / "repo"
        work.mkdir()
        try:
            snapshot.export(toplevel, item.commit, site_prefix, (ledger_rel, *snapshot.HISTORICAL_PATHS), work)
        except snapshot.SnapshotError as exc:
            return None, None, str(exc)
        folder = work / ledger_rel
        if not folder.is_dir():
            return None, None, f"提交 {item.commit[:7]} 中没有台账文件夹 {ledger_rel}。"
        ledger, found = check_ledger(folder, repo_root=work)
        if ledger is None:
            errors = "；".join(str(d) for d in found if d.severity is Severity.ERROR)
            return None, None, f"按现在的校验规则，报送时的台账有错误，无法重建：{errors}"
        doc = build_report(ledger, aggregate.standing(ledger, item.day), kind=item.kind, commit=item.commit[:7])
        return doc, ledger, ""


# -- what changed -------------------------------------------------------------------------------

FIELDS = (("status", "整改状态"), ("deadline", "整改时限"), ("owner", "责任部门"), ("title", "问题标题"),
          ("problem", "问题描述"), ("measures", "整改情况"))


def _facts(issue: Issue) -> dict[str, str]:
    return {"status": issue.status.label, "deadline": issue.deadline.isoformat() if issue.deadline else "",
            "owner": issue.owner_text, "title": issue.title,
            "problem": "\n".join(plaintext.paragraphs(issue.problem)),
            "measures": "\n".join(plaintext.paragraphs(issue.measures))}


def changes(old: Ledger, new: Ledger) -> list[Change]:
    """Problems whose status, deadline, owner or text differ, old → new; added and removed ones."""
    before = {i.id: i for i in old.issues}
    after = {i.id: i for i in new.issues}
    out = []
    for issue_id in sorted(before.keys() | after.keys()):
        a, b = before.get(issue_id), after.get(issue_id)
        if a is None or b is None:
            out.append(Change(issue_id, (a or b).title, "问题", "（无）" if a is None else "（有）",
                              "新增" if a is None else "已删除"))
            continue
        fa, fb = _facts(a), _facts(b)
        out += [Change(issue_id, b.title, label, fa[key], fb[key]) for key, label in FIELDS if fa[key] != fb[key]]
    return out
