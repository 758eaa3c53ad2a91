"""The files a site build publishes for download beside the pages: the
workbook, the Word report and the other documents' Word files, built in
memory (bytes), never written to the ledger's folder."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from . import aggregate
from .documents import DEFAULT_KIND
from .export_docx import render as render_docx
from .export_xlsx import to_xlsx
from .model import Ledger
from .reportdoc import ReportDoc


@dataclass(frozen=True)
class Download:
    src_uri: str  # path in the built site, as if under docs/
    label: str  # link text on the 问题清单 page
    data: bytes


XLSX_SRC = "downloads/整改台账.xlsx"
DOCX_SRC = "downloads/整改报告.docx"


@dataclass(frozen=True)
class LedgerDownloads:
    """One ledger's downloads, each made once, under the ledger's prefix."""

    workbook: Download  # 整改台账（Excel）
    documents: Mapping[str, Download]  # kind -> its Word file; the progress report's too

    @property
    def listed(self) -> tuple[Download, ...]:
        """The two linked from the 问题清单 page: the workbook and the report."""
        return (self.workbook, self.documents[DEFAULT_KIND])

    @property
    def files(self) -> tuple[Download, ...]:
        return (self.workbook, *self.documents.values())  # the progress report's first, as listed


def ledger_downloads(ledger: Ledger, standing: aggregate.Standing, documents: Mapping[str, ReportDoc],
                     prefix: str = "") -> LedgerDownloads:
    """The workbook and every document's Word file, built in memory for the
    site. ``documents`` are the models the site's pages show (every kind), so
    that each Word file says the same as its page."""
    words = {DEFAULT_KIND: Download(prefix + DOCX_SRC, "整改报告（Word）",
                                    render_docx(documents[DEFAULT_KIND], author=ledger.unit))}
    words.update({kind: Download(f"{prefix}downloads/{doc.label}.docx", f"{doc.label}（Word）", render_docx(doc))
                  for kind, doc in documents.items() if kind != DEFAULT_KIND})
    return LedgerDownloads(Download(prefix + XLSX_SRC, "整改台账（Excel）", to_xlsx(ledger, standing)), words)
