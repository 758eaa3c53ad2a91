"""Everything a site build needs from the ledger, prepared in one call.

The site generator adapter (hooks/ledger_hooks.py) calls ``prepare_site`` and
only hands the result over; nothing here imports MkDocs. What ``ledger.py
build --as-of`` asks for arrives as a ``BuildEnv`` (see buildenv).
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, replace
from pathlib import Path

from . import aggregate, letterpages
from .buildenv import BuildEnv
from .documents import DEFAULT_KIND, KINDS
from .downloads import DOCX_SRC, Download, document_downloads, site_downloads
from .gitrun import git_commit, git_dirty
from .history import History, read_history
from .ics import ALL_CALENDAR, calendar, ledger_events
from .issued import read_register
from .ledgerdata import INDEX_DATA, LEDGER_DATA, dumps, index_data, ledger_data
from .ledgers import Collection
from .render import CALENDAR_FILE, REPORT_SRC, Renderer, SiteContent, ledger_title
from .report import build_report
from .reportdoc import ReportDoc
from .rollup import Rollup, follows_links


@dataclass
class PreparedSite:
    content: SiteContent
    downloads: list[Download]
    histories: list[History]  # one per ledger
    history_seconds: float
    reports: dict[str, ReportDoc]  # by the report page's src_uri, one per ledger

    @property
    def history(self) -> History:
        return self.histories[0]

    @property
    def slots(self) -> dict:
        """Generated markup to put back after sanitising, by page."""
        return {page.src_uri: page.slots for page in self.content.pages if page.slots}


def prepare_site(collection: Collection, repo: Path, docs_dir: Path, *,
                 directory_urls: bool = True, downloads: bool = True, site_url: str = "",
                 build_env: BuildEnv | None = None, today: dt.date | None = None) -> PreparedSite:
    """Every ledger's pages (under "<name>/" when there are several) and, with
    several, the roll-up over them. ``build_env`` is what ``ledger.py`` asked
    for (see buildenv); ``today`` stands in for a missing cut-off date when it
    is not an as-of build."""
    build_env = build_env or BuildEnv()
    # One standing per ledger, computed once: every page, the report, the
    # workbook, the calendars and the roll-up read it.
    standings = {ref.name: aggregate.standing(ledger, build_env.as_of, today) for ref, ledger in collection.entries}
    rebuild_rev = build_env.history_rev
    if rebuild_rev:
        commit, dirty = rebuild_rev[:7], False
    else:
        commit = git_commit(repo)
        dirty = commit is not None and git_dirty(repo, (collection.root, docs_dir))
    links = follows_links(collection, directory_urls)
    pages, files, histories, seconds, all_events = [], [], [], 0.0, []
    reports: dict[str, ReportDoc] = {}
    sections = {}
    published: list[tuple[str, dict]] = []  # (prefix, data/ledger.json) for data/index.json
    for ref, ledger in collection.entries:
        standing = standings[ref.name]
        started = time.perf_counter()
        # An as-of build's copy is no checkout: it reads the original folder's history.
        original = Path(build_env.history_dir or collection.root) / ref.name
        history = read_history(original, rebuild_rev or "HEAD", after=ledger.history_after)
        seconds += time.perf_counter() - started
        issued = read_register(original, ref.name, ledger, rev=rebuild_rev or "HEAD")
        standing = aggregate.with_history(standing, ledger, history)  # adds the extensions (延期)
        standings[ref.name] = standing  # the roll-up counts them too
        # The 台账 workbook and the Word report are made in memory: writing them
        # into docs/ would make `mkdocs serve` rebuild forever.
        # One report model for the report page and the Word download.
        report = build_report(ledger, standing, commit=commit, dirty=dirty)
        reports[ref.prefix + REPORT_SRC] = report
        documents = {kind: build_report(ledger, standing, kind=kind, commit=commit, dirty=dirty)
                     for kind in KINDS if kind != DEFAULT_KIND}
        ledger_files = [replace(f, src_uri=ref.prefix + f.src_uri)
                        for f in site_downloads(ledger, standing, report)] if downloads else []
        document_files = {kind: replace(f, src_uri=ref.prefix + f.src_uri)
                          for kind, f in document_downloads(documents).items()} if downloads else {}
        # The progress report's Word file is the list page's download already.
        word = [f for f in ledger_files if f.src_uri == ref.prefix + DOCX_SRC]
        renderer = Renderer(ledger, standing, report, docs_dir=docs_dir, directory_urls=directory_urls,
                            history=history, rebuild_date=build_env.as_of, rebuild_rev=rebuild_rev,
                            downloads=ledger_files, prefix=ref.prefix, links=links, documents=documents,
                            document_downloads={**document_files, DEFAULT_KIND: word[0]} if word else document_files,
                            issued=issued)
        content = renderer.pages()
        pages += content.pages + letterpages.pages(renderer, ledger, ref.prefix)
        sections.update(content.sections)
        files += ledger_files + list(document_files.values()) + (issued.downloads(ref.prefix) if downloads else [])
        files += letterpages.downloads(ledger, ref.prefix) if downloads else []
        events = ledger_events(ref, ledger, standing.as_of, directory_urls, site_url)
        files.append(Download(ref.prefix + CALENDAR_FILE, "整改日历", calendar(ledger_title(ledger), events)))
        all_events += events
        histories.append(history)
        published.append((ref.prefix, ledger_data(ledger, standing, commit=commit, dirty=dirty)))
        files.append(Download(ref.prefix + LEDGER_DATA, "台账数据（JSON）", dumps(published[-1][1])))
    files.append(Download(INDEX_DATA, "数据目录（JSON）", dumps(index_data(published))))
    content = SiteContent(pages, sections)
    if collection.multi:
        rollup = Rollup(collection, standings, directory_urls=directory_urls, commit=commit, dirty=dirty)
        content.pages += rollup.pages()
        content.nav_replace = rollup.nav_replace(pages)
        if downloads:
            files += rollup.downloads()
        files.append(Download(ALL_CALENDAR, "全部整改日历", calendar("全部整改台账", all_events)))
    return PreparedSite(content, files, histories, seconds, reports)
