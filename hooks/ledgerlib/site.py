"""Everything a site build needs from the ledger, prepared in one call.

The site generator adapter (hooks/ledger_hooks.py) calls ``prepare_site`` and
only hands the result over; nothing here imports MkDocs. What ``ledger.py
build --as-of`` asks for arrives as a ``BuildEnv`` (see buildenv).
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from pathlib import Path

from . import letterpages
from .buildenv import BuildEnv
from .downloads import Download
from .gitrun import git_commit, git_dirty
from .history import read_history
from .ics import ALL_CALENDAR, calendar, ledger_events
from .issued import read_register
from .ledgerbuild import LedgerBuild, build_ledger
from .ledgerdata import INDEX_DATA, LEDGER_DATA, dumps, index_data, ledger_data
from .ledgers import Collection
from .render import CALENDAR_FILE, REPORT_SRC, Renderer, SiteContent, SiteOptions, ledger_title
from .reportdoc import ReportDoc
from .rollup import Rollup, follows_links


@dataclass
class PreparedSite:
    content: SiteContent
    downloads: list[Download]
    builds: tuple[LedgerBuild, ...]  # one per ledger, in the collection's order
    history_seconds: float  # reading every ledger's history

    @property
    def reports(self) -> dict[str, ReportDoc]:
        """Each ledger's progress report, by its page's src_uri."""
        return {build.prefix + REPORT_SRC: build.report for build in self.builds}

    @property
    def slots(self) -> dict:
        """Generated markup to put back after sanitising, by page."""
        return {page.src_uri: page.slots for page in self.content.pages if page.slots}


def site_options(collection: Collection, docs_dir: Path, directory_urls: bool, build_env: BuildEnv) -> SiteOptions:
    """What the site adds to every ledger's pages (render.SiteOptions), the
    follows: links between ledgers included."""
    return SiteOptions(docs_dir, directory_urls, build_env.as_of, build_env.history_rev,
                       follows_links(collection, directory_urls))


def prepare_site(collection: Collection, repo: Path, docs_dir: Path, *,
                 directory_urls: bool = True, downloads: bool = True, site_url: str = "",
                 build_env: BuildEnv | None = None, today: dt.date | None = None) -> PreparedSite:
    """Every ledger's pages (under "<name>/" when there are several) and, with
    several, the roll-up over them. ``build_env`` is what ``ledger.py`` asked
    for (see buildenv); ``today`` stands in for a missing cut-off date when it
    is not an as-of build."""
    build_env = build_env or BuildEnv()
    rebuild_rev = build_env.history_rev
    if rebuild_rev:
        commit, dirty = rebuild_rev[:7], False
    else:
        commit = git_commit(repo)
        dirty = commit is not None and git_dirty(repo, (collection.root, docs_dir))
    options = site_options(collection, docs_dir, directory_urls, build_env)
    pages, files, builds, seconds, all_events = [], [], [], 0.0, []
    sections = {}
    published: list[tuple[str, dict]] = []  # (prefix, data/ledger.json) for data/index.json
    for ref, ledger in collection.entries:
        started = time.perf_counter()
        # An as-of build's copy is no checkout: it reads the original folder's history.
        original = Path(build_env.history_dir or collection.root) / ref.name
        history = read_history(original, rebuild_rev or "HEAD", after=ledger.history_after)
        seconds += time.perf_counter() - started
        issued = read_register(original, ref.name, ledger, rev=rebuild_rev or "HEAD")
        # The 台账 workbook and the Word files are made in memory: writing them
        # into docs/ would make `mkdocs serve` rebuild forever.
        build = build_ledger(ledger, as_of=build_env.as_of, today=today, history=history, commit=commit, dirty=dirty,
                             downloads=downloads, issued=issued, prefix=ref.prefix)
        builds.append(build)
        renderer = Renderer(build, options)
        content = renderer.pages()
        pages += content.pages + letterpages.pages(renderer, ledger, ref.prefix)
        sections.update(content.sections)
        if downloads:
            files += [*build.downloads.files, *issued.downloads(ref.prefix), *letterpages.downloads(ledger, ref.prefix)]
        events = ledger_events(ref, ledger, build.standing.as_of, directory_urls, site_url)
        files.append(Download(ref.prefix + CALENDAR_FILE, "整改日历", calendar(ledger_title(ledger), events)))
        all_events += events
        published.append((ref.prefix, ledger_data(ledger, build.standing, commit=commit, dirty=dirty)))
        files.append(Download(ref.prefix + LEDGER_DATA, "台账数据（JSON）", dumps(published[-1][1])))
    files.append(Download(INDEX_DATA, "数据目录（JSON）", dumps(index_data(published))))
    content = SiteContent(pages, sections)
    if collection.multi:
        # The roll-up counts each ledger's own standing, extensions included.
        standings = {ref.name: build.standing for (ref, _), build in zip(collection.entries, builds, strict=True)}
        rollup = Rollup(collection, standings, directory_urls=directory_urls, commit=commit, dirty=dirty)
        content.pages += rollup.pages()
        content.nav_replace = rollup.nav_replace(pages)
        if downloads:
            files += rollup.downloads()
        files.append(Download(ALL_CALENDAR, "全部整改日历", calendar("全部整改台账", all_events)))
    return PreparedSite(content, files, tuple(builds), seconds)
