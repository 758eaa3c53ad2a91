"""One ledger in one build: everything computed once, read by every output.

``build_ledger`` counts the ledger (aggregate.standing, with the history's
extensions), builds every document's model (report.build_report, one per
kind) and, when asked, the downloads, and returns them frozen in a
``LedgerBuild``. The site (site.prepare_site, for each ledger) and the
command line (``ledger.py export``) both start from it; the pages
(render.Renderer), the workbook and the Word files take it or its parts and
never compute a standing or a report themselves.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from . import aggregate
from .documents import DEFAULT_KIND, KINDS
from .downloads import LedgerDownloads, ledger_downloads
from .export_docx import render as render_docx
from .history import History
from .issued import Register
from .model import Ledger
from .report import build_report
from .reportdoc import ReportDoc


@dataclass(frozen=True)
class LedgerBuild:
    ledger: Ledger
    standing: aggregate.Standing  # with the history's extensions (延期) when a history was read
    documents: Mapping[str, ReportDoc]  # kind -> model, every kind of documents.KINDS
    history: History | None = None  # None: not read at all (pages then omit it)
    downloads: LedgerDownloads | None = None  # None: a build without downloads
    issued: Register | None = None  # the issued documents; None: not read
    prefix: str = ""  # "<name>/" for one ledger of several

    @property
    def report(self) -> ReportDoc:
        """The progress report (整改报告)."""
        return self.documents[DEFAULT_KIND]


def build_ledger(ledger: Ledger, *, as_of: dt.date | None = None, today: dt.date | None = None,
                 history: History | None = None, commit: str | None = None, dirty: bool = False,
                 downloads: bool = False, issued: Register | None = None, prefix: str = "") -> LedgerBuild:
    """``as_of`` is an as-of build's day; ``today`` stands in for a missing
    cut-off date otherwise (aggregate.as_of). ``commit`` and ``dirty`` are
    printed in the documents' trace note."""
    standing = aggregate.standing(ledger, as_of, today)
    if history is not None:
        standing = aggregate.with_history(standing, ledger, history)
    documents = {kind: build_report(ledger, standing, kind=kind, commit=commit, dirty=dirty) for kind in KINDS}
    files = ledger_downloads(ledger, standing, documents, prefix) if downloads else None
    return LedgerBuild(ledger, standing, documents, history, files, issued, prefix)


def to_docx(build: LedgerBuild, *, kind: str = DEFAULT_KIND, built: dt.datetime | None = None) -> bytes:
    """The Word document of ``kind`` (the progress report by default) of a
    ledger's build, signed by its unit (``ledger.py export``)."""
    return render_docx(build.documents[kind], author=build.ledger.unit, built=built)
