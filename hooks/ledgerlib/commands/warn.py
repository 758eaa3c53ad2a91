"""ledger.py warn: issue every warning letter (预警函、督办函、告诫书) due on a day.

For each letter: a page (.html), a Word file (.docx, GB/T 9704) and a PDF
printed by Chromium from that page, in ``--out``; then one entry per letter
in the register issues/warnings.yml (letterbook.py), so that a second run on
the same day issues none and the next level knows this one. ``--dry-run``
only lists them. The register is written last: a failed print registers
nothing, and the run can simply be repeated.
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

from .. import constants as C
from .. import letterbook, letters
from .. import warnings as W
from ..export_docx import render as render_docx
from ..genre import chinese_date
from ..paths import REPO
from ..render import template_env
from . import load_or_report
from .pdf import PdfError, find_browser, print_pdf, warn_if_no_chinese_font

REPORT_CSS = REPO / "docs" / "assets" / "css" / "report.css"


def add_arguments(parser) -> None:
    parser.add_argument("--date", metavar="日期", help="发函日期（默认今天），例如 2023-06-20；按这一天计算应发的预警函")
    parser.add_argument("--dry-run", action="store_true", help="只列出应发的函，不生成文件、不登记")
    parser.add_argument("--out", default="预警函", metavar="文件夹", help="函件（.html、.docx、.pdf）的保存文件夹（默认当前文件夹下的 预警函/）")
    parser.add_argument("--browser", help="打印 PDF 用的 Chromium 浏览器程序（默认在 PATH 中查找 chromium）")


def parse_day(text: str | None) -> dt.date | None:
    if not text:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        print(f"--date “{text}”不是日期；请写成 2023-06-20 的格式。", file=sys.stderr)
        return None


def day_and_ledger(args, then: str):
    """The day of ``--date`` and the chosen ledger, or the exit status after saying why not."""
    day = parse_day(args.date)
    if day is None:
        return 2, None
    ledger = load_or_report(Path(args.ledger), then)
    return (1, None) if ledger is None else (day, ledger)


def run(args) -> int:
    day, ledger = day_and_ledger(args, "请先改正以上错误，再发预警函。")
    if ledger is None:
        return day
    due = W.due(ledger, day)
    if not due:
        print(f"{chinese_date(day)}没有应发的预警函（已发的见 {C.WARNINGS_FILE}）。")
        return 0
    entries = letters.register_entries(ledger, due, day)
    ledger = replace(ledger, letters=ledger.letters + tuple(entries))  # the next level sees this one
    lookup = letters.Lookup(ledger)
    for entry in entries:
        print(describe(ledger, entry, lookup))
    if args.dry_run:
        print(f"试运行：以上 {len(entries)} 份函未生成、未登记。")
        return 0
    out = Path(args.out).resolve()
    try:
        write_letters(ledger, entries, out, args.browser)
    except PdfError as exc:
        print(exc, file=sys.stderr)
        print("未登记任何函；解决后重新运行即可。", file=sys.stderr)
        return 1
    letterbook.append(ledger.root / C.WARNINGS_FILE, entries)
    print(f"已发出 {len(entries)} 份函，保存在 {out}，并登记在 {ledger.root / C.WARNINGS_FILE}。")
    return 0


def describe(ledger, entry: letterbook.Letter, lookup: letters.Lookup) -> str:
    subject = letters.subject_of(ledger, entry, lookup)
    what = f"问题 {subject.issue.id}" + (f" 措施 {subject.task.measure.index}" if subject.task else "")
    return (f"{entry.number} {W.level_title(ledger, entry)}：{what}（时限 {entry.deadline}）"
            f" → {'、'.join(entry.to)}；{entry.reply_by} 前回复")


def write_letters(ledger, entries: list[letterbook.Letter], out: Path, browser: str | None) -> None:
    browser = find_browser(browser)
    warn_if_no_chinese_font()
    out.mkdir(parents=True, exist_ok=True)
    template, lookup = template_env().get_template("letter.html.j2"), letters.Lookup(ledger)
    css = REPORT_CSS.read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory(prefix="ledger-warn-") as tmp:
        for entry in entries:
            doc = letters.letter_doc(ledger, entry, lookup)
            stem = out / file_stem(entry)
            page = stem.with_suffix(".html")
            page.write_text(template.render(doc=doc, number=entry.number, css=css), encoding="utf-8")
            stem.with_suffix(".docx").write_bytes(render_docx(doc, author=letters.issuer_of(ledger)))
            print_pdf(browser, page, stem.with_suffix(".pdf"), Path(tmp))


def file_stem(entry: letterbook.Letter) -> str:
    """The files' name: the number and the level, readable in a file manager."""
    safe = "".join(c for c in entry.number if c not in '\\/:*?"<>|')
    return f"{safe}-{entry.item_text}"
