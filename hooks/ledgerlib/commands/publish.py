"""ledger.py publish notice --out DIR: the notice as a unit may put it on a public portal.

Three files in DIR, named after the document (整改情况通报.html, .pdf, .docx):
the page stands alone (publicbundle.page_html), the PDF is Chromium's print
of that page as ``ledger.py pdf`` prints the site's, the docx is the same
model through export_docx. None names a commit, a leader, a person or a
withheld problem; if the text still contains such a name (written into a
narrative or a measure), nothing is written and each name is listed, unless
``--keep`` lets it through (a post such as 局党委书记, written as a leader).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from .. import aggregate, pdfinfo
from ..documents import PUBLIC_KINDS
from ..export_docx import render as render_docx
from ..publicbundle import leaks, page_html
from ..report import build_report
from . import document_ready, load_or_report
from .pdf import PdfError, find_browser, print_pdf, warn_if_no_chinese_font


def add_arguments(parser) -> None:
    parser.add_argument("kind", choices=sorted(PUBLIC_KINDS), help="要公开发布的文件：notice 整改情况通报")
    parser.add_argument("--out", required=True, metavar="文件夹", help="写入网页、PDF 和 Word 文件的文件夹（没有则新建）")
    parser.add_argument("--keep", action="append", default=[], metavar="名称",
                        help="允许出现在通报中的职务名称（如“局党委书记”），可写多次；人名不要用此项")
    parser.add_argument("--browser", help="打印 PDF 用的 Chromium 浏览器程序（默认在 PATH 中查找 chromium）")


def run(args) -> int:
    ledger = load_or_report(Path(args.ledger), "请按上面的提示修改后重新发布。")
    # An empty ledger fact, a narrative scaffold or doubled punctuation is never published.
    if ledger is None or not document_ready(ledger, args.kind, draft=False, then="未生成任何文件"):
        return 1
    doc = build_report(ledger, aggregate.standing(ledger), kind=args.kind)
    found = [leak for leak in leaks(doc, ledger) if leak.word not in args.keep]
    if found:
        print(f"{doc.label}中仍有不应公开的名称，未生成任何文件：", file=sys.stderr)
        for leak in found:
            print(f"  “{leak.word}”（{leak.what}）", file=sys.stderr)
        print("请在叙述文件或整改情况中删去这些名称，或在所在段落（或小标题）开头加【不公开】；"
              f"若是职务而不是人名，可加 --keep 放行，例如 --keep {found[0].word}。", file=sys.stderr)
        return 1
    out = Path(args.out)
    try:
        browser = find_browser(args.browser)
        warn_if_no_chinese_font()
        out.mkdir(parents=True, exist_ok=True)
        page = out / f"{doc.label}.html"
        page.write_text(page_html(doc, ledger.repo_root), encoding="utf-8")
        (out / f"{doc.label}.docx").write_bytes(render_docx(doc, author=ledger.unit))
        with tempfile.TemporaryDirectory(prefix="ledger-publish-") as tmp:
            pdf = out / f"{doc.label}.pdf"
            print_pdf(browser, page.resolve(), pdf.resolve(), Path(tmp))
            pdfinfo.add_info(pdf, {"Title": doc.title, "Author": ledger.unit})
    except PdfError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(f"已生成可公开发布的{doc.label}：{page}、{out / (doc.label + '.pdf')}、{out / (doc.label + '.docx')}")
    return 0
