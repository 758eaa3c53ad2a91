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
from dataclasses import dataclass
from pathlib import Path

from .export import Download, site_downloads
from .history import History, read_history
from .model import Ledger
from .render import Renderer, SiteContent
from .report import build_report, git_commit, git_dirty


class SiteSetupError(Exception):
    """A build setting is wrong; the message is for the user, in Chinese."""


@dataclass
class PreparedSite:
    content: SiteContent
    downloads: list[Download]
    history: History
    history_seconds: float

    @property
    def slots(self) -> dict:
        """Generated markup to put back after sanitising, by page."""
        return {page.src_uri: page.slots for page in self.content.pages if page.slots}


def prepare_site(ledger: Ledger, ledger_dir: Path, repo: Path, docs_dir: Path, *,
                 directory_urls: bool = True, downloads: bool = True,
                 env: Mapping[str, str] = os.environ) -> PreparedSite:
    ledger.rebuild_date = _rebuild_date(env.get("LEDGER_AS_OF"))
    started = time.perf_counter()
    # An as-of build reads the original repository (LEDGER_HISTORY_DIR) up to
    # the chosen commit (LEDGER_HISTORY_REV): its temporary copy is no checkout.
    rebuild_rev = env.get("LEDGER_HISTORY_REV")
    history = read_history(Path(env.get("LEDGER_HISTORY_DIR") or ledger_dir), rebuild_rev or "HEAD",
                           after=ledger.history_after)
    history_seconds = time.perf_counter() - started
    if rebuild_rev:
        commit, dirty = rebuild_rev[:7], False
    else:
        commit = git_commit(repo)
        dirty = commit is not None and git_dirty(repo, (ledger_dir, docs_dir))
    # The 台账 workbook and the Word report are made in memory: writing them
    # into docs/ would make `mkdocs serve` rebuild forever.
    # One report model for the report page and the Word download.
    report = build_report(ledger, ledger.as_of(), commit=commit, dirty=dirty)
    files = site_downloads(ledger, ledger.as_of(), report) if downloads else []
    renderer = Renderer(ledger, ledger.as_of(), docs_dir=docs_dir, directory_urls=directory_urls,
                        commit=commit, dirty=dirty, history=history, rebuild_rev=rebuild_rev,
                        downloads=files, report=report)
    return PreparedSite(renderer.pages(), files, history, history_seconds)


def _rebuild_date(value: str | None) -> dt.date | None:
    """LEDGER_AS_OF is set by `ledger.py build --as-of` (validated there)."""
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise SiteSetupError(f"环境变量 LEDGER_AS_OF 的值“{value}”不是日期，应写成 2023-03-31 的格式。") from None
