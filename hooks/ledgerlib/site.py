"""Everything a site build needs from the ledger, prepared in one call.

The site generator adapter (hooks/ledger_hooks.py) calls ``prepare_site`` and
only hands the result over; nothing here imports MkDocs. The environment
variables are the protocol of ``ledger.py build --as-of``, which builds a
temporary copy of an old ledger with the current hooks.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from .export import Download, site_downloads
from .history import History, read_history
from .ics import ALL_CALENDAR, collection_calendar, ledger_calendar
from .ledgers import Collection
from .render import CALENDAR_FILE, Renderer, SiteContent
from .report import build_report, git_commit, git_dirty
from .rollup import Rollup, follows_links


class SiteSetupError(Exception):
    """A build setting is wrong; the message is for the user, in Chinese."""


@dataclass
class PreparedSite:
    content: SiteContent
    downloads: list[Download]
    histories: list[History]  # one per ledger
    history_seconds: float

    @property
    def history(self) -> History:
        return self.histories[0]

    @property
    def slots(self) -> dict:
        """Generated markup to put back after sanitising, by page."""
        return {page.src_uri: page.slots for page in self.content.pages if page.slots}


def prepare_site(collection: Collection, repo: Path, docs_dir: Path, *,
                 directory_urls: bool = True, downloads: bool = True, site_url: str = "",
                 env: Mapping[str, str] = os.environ) -> PreparedSite:
    """Every ledger's pages (under "<name>/" when there are several) and, with
    several, the roll-up over them."""
    rebuild_date = _rebuild_date(env.get("LEDGER_AS_OF"))
    # An as-of build reads the original repository (LEDGER_HISTORY_DIR) up to
    # the chosen commit (LEDGER_HISTORY_REV): its temporary copy is no checkout.
    rebuild_rev = env.get("LEDGER_HISTORY_REV")
    if rebuild_rev:
        commit, dirty = rebuild_rev[:7], False
    else:
        commit = git_commit(repo)
        dirty = commit is not None and git_dirty(repo, (collection.root, docs_dir))
    links = follows_links(collection, directory_urls)
    pages, files, histories, seconds = [], [], [], 0.0
    sections = {}
    for ref, ledger in collection.entries:
        ledger.rebuild_date = rebuild_date
        started = time.perf_counter()
        history = read_history(Path(env.get("LEDGER_HISTORY_DIR") or collection.root) / ref.name, rebuild_rev or "HEAD",
                               after=ledger.history_after)
        seconds += time.perf_counter() - started
        # The 台账 workbook and the Word report are made in memory: writing them
        # into docs/ would make `mkdocs serve` rebuild forever.
        # One report model for the report page and the Word download.
        report = build_report(ledger, ledger.as_of(), commit=commit, dirty=dirty)
        ledger_files = [replace(f, src_uri=ref.prefix + f.src_uri)
                        for f in site_downloads(ledger, ledger.as_of(), report)] if downloads else []
        renderer = Renderer(ledger, ledger.as_of(), docs_dir=docs_dir, directory_urls=directory_urls,
                            commit=commit, dirty=dirty, history=history, rebuild_rev=rebuild_rev,
                            downloads=ledger_files, report=report, prefix=ref.prefix, links=links)
        content = renderer.pages()
        pages += content.pages
        sections.update(content.sections)
        files += ledger_files
        files.append(Download(ref.prefix + CALENDAR_FILE, "整改日历", ledger_calendar(ref, ledger, directory_urls, site_url)))
        histories.append(history)
    content = SiteContent(pages, sections)
    if collection.multi:
        rollup = Rollup(collection, directory_urls=directory_urls)
        content.pages += rollup.pages()
        content.nav_replace = rollup.nav_replace(pages)
        files.append(Download(ALL_CALENDAR, "全部整改日历", collection_calendar(collection, directory_urls, site_url)))
    return PreparedSite(content, files, histories, seconds)


def _rebuild_date(value: str | None) -> dt.date | None:
    """LEDGER_AS_OF is set by `ledger.py build --as-of` (validated there)."""
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise SiteSetupError(f"环境变量 LEDGER_AS_OF 的值“{value}”不是日期，应写成 2023-03-31 的格式。") from None
