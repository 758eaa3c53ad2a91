"""The live preview of ``make serve`` (``mkdocs serve --dirty``): how much one edit rebuilds.

MkDocs rebuilds the whole site on every saved file: at 2,000 problems an
edit took 12-25 s to show. The preview keeps the last complete build and
decides, for each rebuild, what the change touches (``Preview.plan``):

- ``QUICK``: only problem files changed (edited, added, deleted). Those files
  alone are read and checked, the ledger is counted again, and only their
  pages are made; every other page stays as it was. The edited page shows in
  about a second.
- ``REFRESH``: a moment after the last quick build, the complete site (full
  load and validation, every page, downloads, search) is made again in a
  background thread (``Refresher``) and published by one more build, which
  writes only the pages whose content changed. The served site then equals a
  clean build's (tests/test_preview.py).
- ``FULL``: anything else (ledger.yml or another ledger file, docs/,
  mkdocs.yml, templates, a commit, a new day, a failed build) rebuilds
  everything, as a plain ``mkdocs serve`` does.

A quick build reports only the edited files' own errors; the refresh runs the
complete validation, and a ledger it finds invalid makes the next build a full
one, which shows the error page. Nothing here imports MkDocs: the hook asks
for the plan and the site, and tells which pages it wrote.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from . import aggregate, trust
from .buildenv import BuildEnv
from .errors import Diagnostics
from .gitrun import git_commit
from .ledgers import Collection, link_follows, load_collection
from .model import Issue, Ledger
from .problemfile import ProblemReader
from .render import Page, Renderer, SiteContent
from .search import SearchCollector, SearchDoc
from .site import PreparedSite, prepare_site, site_options
from .textfile import is_problem_file

# When a quick build's pages are made again completely: after this long
# without another edit (seconds), so that a clerk typing and saving in quick
# succession is not slowed down by the refresh running beside the builds.
REFRESH_DELAY_S = 1.0

Stamps = dict[str, tuple[int, int]]  # file path -> (mtime in ns, size)


class Kind(enum.Enum):
    """How much a rebuild makes again."""

    FULL = "full"
    """Everything, as a plain `mkdocs serve` does."""
    QUICK = "quick"
    """The pages of the problem files that changed; the rest as last built."""
    REFRESH = "refresh"
    """The complete site the background refresh made; pages written only where they changed."""


def take_stamps(roots: Iterable[Path]) -> Stamps:
    """Every file under ``roots`` (or the file itself) with its modification
    time and size: what `mkdocs serve` watches, compared build to build."""
    stamps: Stamps = {}
    for root in roots:
        if root.is_file():
            st = root.stat()
            stamps[str(root)] = (st.st_mtime_ns, st.st_size)
            continue
        for folder, dirs, names in os.walk(root):
            dirs[:] = [d for d in dirs if d not in (".git", "__pycache__", "node_modules")]
            for name in names:
                path = os.path.join(folder, name)
                try:
                    st = os.stat(path)
                except OSError:  # deleted while walking: the next build sees it
                    continue
                stamps[path] = (st.st_mtime_ns, st.st_size)
    return stamps


def changed_paths(before: Stamps, after: Stamps) -> set[Path]:
    """Files added, deleted or modified between two stamp sets."""
    return {Path(p) for p in before.keys() | after.keys() if before.get(p) != after.get(p)}


@dataclass(frozen=True)
class SiteInputs:
    """What a complete site is made from, as the hook read it from mkdocs.yml
    and the environment; the same for a full build and a background refresh."""

    repo: Path
    ledger_dir: Path
    docs_dir: Path
    directory_urls: bool
    downloads: bool
    site_url: str
    build_env: BuildEnv
    watched: tuple[Path, ...] = ()  # mkdocs.yml and what `mkdocs serve` watches: the preview compares them

    @classmethod
    def read(cls, config_file: str, extra: dict, docs_dir: str, directory_urls: bool, site_url: str | None,
             build_env: BuildEnv, watched: Iterable[str] = ()) -> SiteInputs:
        """From mkdocs.yml's settings (``extra``: ledger_dir, downloads) and what ledger.py asked for."""
        repo = Path(config_file).resolve().parent
        ledger_dir = repo / (build_env.ledger_dir or extra.get("ledger_dir", "issues"))
        return cls(repo, ledger_dir, Path(docs_dir), directory_urls, extra.get("downloads", True), site_url or "",
                   build_env, tuple(Path(p) for p in (config_file, *watched)))

    def load(self) -> tuple[Collection, PreparedSite]:
        """Load and validate every ledger and prepare the whole site; raises
        LedgerInvalid or SiteSetupError as the build does."""
        collection = load_collection(self.ledger_dir, repo_root=self.repo)
        return collection, prepare_site(collection, self.repo, self.docs_dir, directory_urls=self.directory_urls,
                                        downloads=self.downloads, site_url=self.site_url, build_env=self.build_env)



@dataclass(frozen=True)
class Made:
    """A site made by a build or by the refresh, with the inputs it was made from."""

    collection: Collection
    site: PreparedSite
    stamps: Stamps


@dataclass(frozen=True)
class Plan:
    kind: Kind
    stamps: Stamps  # the inputs now
    problems: frozenset[Path] = frozenset()  # QUICK: the problem files that changed
    made: Made | None = None  # REFRESH: what the refresh made


class Preview:
    """What the preview keeps from one build to the next (one per serve)."""

    def __init__(self):
        self.shown: Made | None = None  # what the served site shows
        self.head: str | None = None  # the commit it was made from
        self.today: dt.date | None = None
        self.written: dict[str, Page | bytes | str] = {}  # src_uri -> what was last written for it
        self.search: dict[str, SearchDoc] = {}  # src_uri -> what the search index holds of it
        self.generated: set[str] = set()  # the src_uri of every file the last build generated
        self.refresher = Refresher()
        self.trigger = Trigger()  # the server watches its folder: a rewrite asks for a build

    def plan(self, watched: tuple[Path, ...], head: str | None, today: dt.date) -> Plan:
        stamps = take_stamps(watched)
        made = self.refresher.take()
        if self.shown is None or head != self.head or today != self.today:
            return Plan(Kind.FULL, stamps)
        if made is not None and made.stamps == stamps:
            return Plan(Kind.REFRESH, stamps, made=made)
        folders = {ref.path.resolve() for ref, _ in self.shown.collection.entries}
        changed = {p for p in changed_paths(self.shown.stamps, stamps) if not _ignored(p, folders)}
        problems = frozenset(p for p in changed if p.parent.resolve() in folders and is_problem_file(p.name))
        if problems != changed or self.refresher.failed:
            return Plan(Kind.FULL, stamps)
        return Plan(Kind.QUICK, stamps, problems=problems)

    def quick(self, plan: Plan, inputs: SiteInputs) -> Made | None:
        """The shown site with the changed problem files read again and their
        pages made anew; None when a file has an error (a full build then
        reports it) or the change is more than the pages of those files."""
        shown = self.shown
        today = dt.date.today()
        entries, changed_ledgers = [], set()
        for ref, ledger in shown.collection.entries:
            mine = {p for p in plan.problems if p.parent.resolve() == ref.path.resolve()}
            if mine:
                ledger = reread(ledger, mine, inputs.repo, today)
                if ledger is None:
                    return None
                changed_ledgers.add(ref.name)
            entries.append((ref, ledger))
        collection = dataclasses.replace(shown.collection, entries=entries, follows={}, followed_by={})
        all_ledgers = {id(ledger) for _, ledger in entries}
        if link_follows(collection, all_ledgers, complete=True):
            return None  # a follows: that no longer resolves: a full build says where
        site = self._remake_pages(collection, changed_ledgers, plan.problems, inputs)
        return Made(collection, site, plan.stamps)

    def _remake_pages(self, collection: Collection, changed_ledgers: set[str], problems: frozenset[Path],
                      inputs: SiteInputs) -> PreparedSite:
        shown = self.shown.site
        options = site_options(collection, inputs.docs_dir, inputs.directory_urls, inputs.build_env)
        builds, fresh = [], {}
        for (ref, ledger), build in zip(collection.entries, shown.builds, strict=True):
            if ref.name in changed_ledgers:
                standing = aggregate.standing(ledger, inputs.build_env.as_of, None)
                if build.history is not None:
                    standing = aggregate.with_history(standing, ledger, build.history)
                build = dataclasses.replace(build, ledger=ledger, standing=standing)
                renderer = Renderer(build, options)
                resolved = {p.resolve() for p in problems}
                for issue in ledger.issues:
                    if issue.path in resolved:
                        page = renderer.problem_page(issue)
                        fresh[page.src_uri] = page
            builds.append(build)
        # A problem file deleted, or renumbered (its page moves), leaves its old page behind.
        changed = {_rel(path, inputs.repo) for path in problems}
        pages = []
        for page in shown.content.pages:
            if page.src_uri in fresh:
                pages.append(fresh.pop(page.src_uri))
            elif not (page.problem and page.edit_path in changed):
                pages.append(page)
        pages += fresh.values()  # problems added since
        content = SiteContent(pages, shown.content.sections, shown.content.nav_replace)
        return PreparedSite(content, shown.downloads, tuple(builds), 0.0)

    def make(self, inputs: SiteInputs) -> tuple[Kind, Made]:
        """The site this build shows, and how much of it is new; raises
        LedgerInvalid or SiteSetupError as a full build does."""
        head, today = git_commit(inputs.repo), dt.date.today()
        plan = self.plan(inputs.watched, head, today)
        made = plan.made if plan.kind is Kind.REFRESH else self.quick(plan, inputs) if plan.kind is Kind.QUICK else None
        kind = plan.kind if made is not None else Kind.FULL
        if made is None:
            self.refresher.done()
            self.shown_now(Kind.FULL, None, head, today)  # until it loads: a failure is shown in full
            collection, site = inputs.load()
            made = Made(collection, site, plan.stamps)
        self.shown_now(kind, made, head, today)
        return kind, made

    def refresh_later(self, inputs: SiteInputs, publish: Callable[[], None]) -> None:
        """After a quick build: make the complete site in the background, then ``publish``."""
        def make() -> Made:
            stamps = take_stamps(inputs.watched)  # before reading: an edit meanwhile makes it stale
            return Made(*inputs.load(), stamps)
        self.refresher.schedule(make, publish)

    def outputs(self, kind: Kind, generated: set[str], search: SearchCollector, dest: Callable[[str], str]) -> None:
        """The generated files of this build (their src_uri); removes what an
        earlier build wrote for a page the site no longer has (a deleted or
        renumbered problem, a department left without problems), and its
        search entry: a ``--dirty`` build leaves it in place, and the server
        would go on answering its address. ``dest``: where a src_uri is
        written. A full build starts clean (hand-written pages come and go
        only in one)."""
        if kind is not Kind.FULL:
            for src in self.generated - generated:
                search.found.pop(src, None)
                path = Path(dest(src))
                path.unlink(missing_ok=True)
                if path.name == "index.html" and path.parent.is_dir() and not any(path.parent.iterdir()):
                    path.parent.rmdir()
        self.generated = generated

    def built(self, kind: Kind, search: dict[str, SearchDoc], inputs: SiteInputs) -> None:
        """The build is written; after a quick one, the refresh follows."""
        self.search = search
        if kind is Kind.QUICK:
            self.refresh_later(inputs, self.trigger.fire)

    def forget(self) -> None:
        """A build failed part-way: what it wrote is unknown, the next one is full."""
        self.shown, self.written, self.search = None, {}, {}

    def shown_now(self, kind: Kind, made: Made | None, head: str | None, today: dt.date) -> None:
        """The build of ``kind`` made ``made`` (None: the ledger failed to load)."""
        self.shown, self.head, self.today = made, head, today
        if kind is Kind.FULL or made is None:
            self.written, self.search = {}, {}

    def unchanged(self, src_uri: str, content: Page | bytes | str) -> bool:
        """Whether ``content`` is what the last build wrote for ``src_uri``; notes it either way."""
        before = self.written.get(src_uri)
        self.written[src_uri] = content
        return before is not None and (before is content or before == content)


def _ignored(path: Path, ledger_folders: set[Path]) -> bool:
    """What no build reads: an editor's hidden swap or lock file (".03-….md.swp"),
    and in a ledger folder a draft the loader skips ("_草稿.md")."""
    return path.name.startswith(".") or (path.name.startswith("_") and path.parent.resolve() in ledger_folders)


def _rel(path: Path, repo: Path) -> str:
    """A path as the loader writes it (Issue.rel_path)."""
    return path.resolve().relative_to(repo.resolve()).as_posix()


def reread(ledger: Ledger, paths: set[Path], repo: Path, today: dt.date) -> Ledger | None:
    """``ledger`` with the problem files ``paths`` read again (a deleted one
    dropped); None when one has an error or two problems share a number.

    Only each file's own rules are checked here; what spans files (look-alike
    names, sign-offs, letters, 【不公开】 marks) is checked by the refresh."""
    if any(p.is_symlink() or trust.name_error(p.name) for p in paths):
        return None  # refused by the trust boundary: the full build says why (boundary.check_trees)
    diags = Diagnostics()
    reader = ProblemReader(ledger, repo, diags, today)
    changed = {p.resolve() for p in paths}  # the loader's Issue.path is resolved
    keep = [issue for issue in ledger.issues if issue.path not in changed]
    before = {issue.id: issue for issue in ledger.issues}
    fresh = []
    for path in sorted(changed):
        if path.is_file():
            issue = reader.read(path, _rel(path, repo))
            if issue is None:
                return None
            fresh.append(_keep_signoff(issue, before.get(issue.id)))
    ids = [issue.id for issue in keep + fresh]
    if diags.errors or len(ids) != len(set(ids)):
        return None
    return dataclasses.replace(ledger, issues=tuple(sorted(keep + fresh)))


def _keep_signoff(issue: Issue, before: Issue | None) -> Issue:
    """signoff.yml is read with the whole ledger: a problem read again keeps its 销号."""
    if before is None or before.signoff is None:
        return issue
    return dataclasses.replace(issue, signoff=before.signoff)


class Refresher:
    """Makes the complete site again in a background thread, ``REFRESH_DELAY_S``
    after the last quick build, then asks for one more build to publish it.

    One worker thread, one refresh at a time: a newer quick build makes the
    running refresh's result useless (its inputs changed), so ``schedule``
    starts a new generation; the worker drops the stale result and starts
    the newer one when it is due, rather than beside it (two refreshes would
    share the interpreter with each other and with the quick builds).
    ``failed``: the last refresh found the ledger invalid (or could not
    finish); the next build is a full one, which reports why."""

    def __init__(self, delay: float = REFRESH_DELAY_S):
        self.delay = delay
        self._cond = threading.Condition()
        self._generation = 0
        self._wanted: tuple[int, float, Callable[[], Made], Callable[[], None]] | None = None
        self._worker: threading.Thread | None = None
        self._made: Made | None = None
        self.failed = False

    def schedule(self, make: Callable[[], Made], publish: Callable[[], None]) -> None:
        with self._cond:
            self._generation += 1
            self._wanted = (self._generation, time.monotonic() + self.delay, make, publish)
            if self._worker is None:
                self._worker = threading.Thread(target=self._work, name="ledger-preview-refresh", daemon=True)
                self._worker.start()
            self._cond.notify_all()

    def _work(self) -> None:
        while True:
            with self._cond:
                if self._wanted is None or self._wanted[1] > time.monotonic():
                    self._cond.wait(None if self._wanted is None else max(0.0, self._wanted[1] - time.monotonic()))
                    continue  # woken or due: look again (it may have been rescheduled)
                generation, _, make, publish = self._wanted
                self._wanted = None
            try:
                made = make()
            except Exception:  # the full build that follows reports it, without a traceback
                made = None
            with self._cond:
                if generation != self._generation:
                    continue  # edited meanwhile: the newer one is waiting
                self._made, self.failed = made, made is None
            publish()

    def take(self) -> Made | None:
        """The refreshed site waiting to be published, once. Any other build
        makes a running or waiting refresh stale (a quick one schedules anew)."""
        with self._cond:
            made, self._made = self._made, None
            if made is None and not self.failed:
                self._generation += 1
                self._wanted = None
            return made

    def done(self) -> None:
        """A full build made everything: nothing to refresh."""
        with self._cond:
            self._generation += 1
            self._made, self._wanted, self.failed = None, None, False


class Trigger:
    """Asks `mkdocs serve` for one more build: the server watches this folder
    (the hook calls ``server.watch`` in on_serve), and ``fire`` rewrites the
    file in it; the server's watcher notices within its polling interval."""

    def __init__(self):
        self.folder: Path | None = None
        self.count = 0

    def open(self) -> Path:
        self.folder = Path(tempfile.mkdtemp(prefix="ledger-preview-"))
        return self.folder

    def fire(self) -> None:
        if self.folder is None:
            return  # not serving (a test's build): nothing to ask
        self.count += 1
        (self.folder / "refresh").write_text(f"{self.count} {time.time_ns()}", encoding="utf-8")

    def close(self) -> None:
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
