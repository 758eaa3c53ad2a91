"""The site's pages of the letters in issues/warnings.yml: one page per
letter (the report page's GB/T 9704 layout, printable with Ctrl+P) and its
Word file, linked from the problem's page (预警督办). Nothing about how to
reach people (ledger.yml ``contacts:``) is read here."""

from __future__ import annotations

from .downloads import Download
from .export_docx import render as render_docx
from .letterbook import letter_src
from .letters import Lookup, issuer_of, letter_doc
from .model import Ledger
from .render import Page, Renderer


def pages(renderer: Renderer, ledger: Ledger, prefix: str) -> list[Page]:
    found, lookup = [], Lookup(ledger)
    for letter in ledger.letters:
        src = prefix + letter_src(letter)
        doc = letter_doc(ledger, letter, lookup)
        note = (f"本函由 ledger.py warn 于{doc.signature_date_text}发出，登记在 {ledger.letters_path}"
                f"（第 {letter.line} 行）；收到回复后在该条补写 answered。")
        page = Page(src, f"{letter.number} {doc.title}", renderer.render(
            "report.md.j2", src, doc=doc, page_title=f"{letter.number} {doc.title}", notes=(note,),
            source_note="", pdf_command="ledger.py warn"), in_nav=False)
        page.slots.update(renderer.bypassed.get(src, {}))  # the letter itself, kept out of Markdown
        found.append(page)
    return found


def downloads(ledger: Ledger, prefix: str) -> list[Download]:
    lookup = Lookup(ledger)
    return [Download(prefix + letter_src(letter)[:-3] + ".docx", f"{letter.number}（Word）",
                     render_docx(letter_doc(ledger, letter, lookup), author=issuer_of(ledger)))
            for letter in ledger.letters]
