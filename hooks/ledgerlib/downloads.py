"""The files a site build publishes for download beside the pages: the
workbook, the Word report and the other documents' Word files, built in
memory (bytes), never written to the ledger's folder."""

from __future__ import annotations

from dataclasses import dataclass

from . import aggregate
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


def site_downloads(ledger: Ledger, standing: aggregate.Standing, report: ReportDoc) -> list[Download]:
    """The workbook and the Word report, built in memory for the site.

    ``report`` is the report model the site's report page shows, so that the
    Word file says the same and the model is built once per site build."""
    return [
        Download(XLSX_SRC, "整改台账（Excel）", to_xlsx(ledger, standing)),
        Download(DOCX_SRC, "整改报告（Word）", render_docx(report, author=ledger.unit)),
    ]


def document_downloads(docs: dict[str, ReportDoc]) -> dict[str, Download]:
    """The other documents of the round (整改方案, …) as Word files, by kind."""
    return {kind: Download(f"downloads/{doc.label}.docx", f"{doc.label}（Word）", render_docx(doc))
            for kind, doc in docs.items()}
