"""ledger.py pdf: print the report page (整改报告) to an A4 PDF with headless Chromium.

The PDF is the browser's own print of the site's report page, so it is laid
out by the same print stylesheet (GB/T 9704) that users get with Ctrl+P.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from .. import pdfinfo
from ..buildenv import BuildEnv
from ..documents import DEFAULT_KIND, KIND_INFO, KINDS
from ..ledgers import LedgerRef, collection_root, repo_root_of
from ..mkdocsrun import run_mkdocs
from . import choose_or_report, document_ready, load_or_report

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
FONT_HINT = ("警告：系统中没有中文字体，PDF 中的汉字将无法显示。请安装：\n"
             "    sudo apt-get install fonts-noto-cjk")
INSTALL_HINT = ("未找到 Chromium 浏览器，无法生成 PDF。请先安装浏览器和中文字体：\n"
                "    sudo apt-get install chromium fonts-noto-cjk\n"
                "或用 --browser 指定浏览器程序的路径。也可以在浏览器中打开网站的“整改报告”页面，按 Ctrl+P 打印。")
# Where the report page (templates/report.md.j2) writes them.
_SOURCE = re.compile(r'<span class="gw-source">(.*?)</span>', re.S)
_TITLE = re.compile(r'<h1 class="gw-title">(.*?)</h1>', re.S)
SUMMARY_PAGE = Path("summary") / "index.html"  # the 汇总通报 of a site with several ledgers
BUILD_TIMEOUT = 1800  # seconds; a ledger of thousands of problems takes minutes
# Measured on 2 cores: the sample (20 pages) prints in ~5 s; a ledger of
# 2,000 problems (1,636 pages) took under 5 minutes for build and print.
PRINT_TIMEOUT = 1200


class PdfError(Exception):
    """A failure explained to the user in Chinese; no traceback."""


def add_arguments(parser) -> None:
    parser.add_argument("--out", default="整改报告.pdf", help="PDF 文件的保存位置（默认当前文件夹下的 整改报告.pdf）")
    parser.add_argument("--site", help="已构建好的网站文件夹（如 site/）；不指定时先在临时文件夹中构建网站")
    parser.add_argument("--browser", help="Chromium 浏览器程序（默认在 PATH 中查找 chromium）")
    parser.add_argument("--summary", action="store_true", help="打印多个台账的汇总通报，而不是一个台账的整改报告")
    parser.add_argument("--doc", choices=KINDS, default=DEFAULT_KIND,
                        help="打印哪份文件：plan 整改方案、progress 整改进展情况报告（默认）、final 整改完成情况报告、notice 整改情况通报")
    parser.add_argument("--draft", action="store_true", help="讨论稿：叙述中还有“【待填写】”也打印")


def run(args) -> int:
    try:
        browser = find_browser(args.browser)
        warn_if_no_chinese_font()
        out = Path(args.out).resolve()
        # With several ledgers: whose report, or the notice over all of them.
        ref = LedgerRef("", Path(args.ledger)) if args.summary else choose_or_report(args.ledger)
        if ref is None:
            return 1
        if not args.summary and not _ready(ref.path, args.doc, args.draft):
            return 1
        page = SUMMARY_PAGE if args.summary else Path(ref.prefix) / document_page(args.doc)
        with tempfile.TemporaryDirectory(prefix="ledger-pdf-") as tmp:
            site = Path(args.site).resolve() if args.site else build_site(ref.path, Path(tmp) / "site")
            print_pdf(browser, site / page, out, Path(tmp))
            add_source(out, site / page)
    except PdfError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(f"已生成 PDF：{out}")
    return 0


def _ready(ledger_dir: Path, kind: str, draft: bool) -> bool:
    ledger = load_or_report(ledger_dir, "台账有错误，未生成 PDF；请先修正（python3 scripts/ledger.py validate）。")
    return ledger is not None and document_ready(ledger, kind, draft=draft, then="未生成 PDF")


def add_source(pdf: Path, page: Path) -> None:
    """The report's title, and its trace note (commit, cut-off date) into the
    PDF's Subject and Keywords: printed or not (report.trace), a sent copy
    still says which version of the ledger it shows."""
    text = page.read_text(encoding="utf-8")
    fields = {}
    for key, pattern in (("Title", _TITLE), ("Subject", _SOURCE)):
        found = pattern.search(text)
        if found:
            fields[key] = html.unescape(re.sub(r"<[^>]+>", "", found.group(1)))  # title lines: <br>
    commit = re.search(r"版本 ([0-9a-f]{4,40})", fields.get("Subject", ""))
    if commit:
        fields["Keywords"] = f"commit {commit.group(1)}"
    if fields:
        pdfinfo.add_info(pdf, fields)


def document_page(kind: str) -> Path:
    """The built page of a document kind: report/index.html, documents/plan/index.html, …"""
    return Path(KIND_INFO[kind].src.removesuffix(".md")) / "index.html"


def find_browser(wanted: str | None) -> str:
    candidates = (wanted,) if wanted else BROWSERS
    for name in candidates:
        found = shutil.which(name)
        if found:
            return found
    raise PdfError(INSTALL_HINT if not wanted else f"找不到浏览器程序“{wanted}”。\n" + INSTALL_HINT)


def warn_if_no_chinese_font() -> None:
    """Chromium prints boxes for every character without a CJK font; say why before it does."""
    fc_list = shutil.which("fc-list")
    if not fc_list:  # not a fontconfig system: nothing to ask
        return
    try:
        result = subprocess.run([fc_list, ":lang=zh", "family"], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return
    if result.returncode == 0 and not result.stdout.strip():
        print(FONT_HINT, file=sys.stderr)


def build_site(ledger_dir: Path, site: Path) -> Path:
    """A strict build of the repository the ledger belongs to, into ``site``."""
    repo = repo_root_of(ledger_dir)
    ledger_dir = collection_root(ledger_dir)  # the site holds every ledger
    config = repo / "mkdocs.yml"
    if not config.is_file():
        raise PdfError(f"找不到网站配置文件 {config}；请在仓库中运行，或用 --site 指定已构建好的网站。")
    print("正在构建网站……", file=sys.stderr)
    try:
        result = run_mkdocs(config, site, build_env=BuildEnv(ledger_dir=str(ledger_dir)), timeout=BUILD_TIMEOUT)
    except subprocess.TimeoutExpired:
        raise PdfError(f"构建网站超过 {BUILD_TIMEOUT} 秒仍未完成，已停止。") from None
    if result.returncode != 0:
        raise PdfError(f"{result.stderr.strip()}\n网站构建失败，未生成 PDF。请按上面的提示修改后重试"
                       f"（可先运行 python3 scripts/ledger.py validate 检查台账）。")
    return site


def chromium_command(browser: str, page: Path, out: Path, profile: Path) -> list[str]:
    return [
        browser, "--headless",
        # Printing our own local file; the sandbox is unavailable as root and
        # in many containers, where Chromium would otherwise refuse to start.
        "--no-sandbox", "--disable-gpu",
        # Page numbers come from the stylesheet; Chromium's own header and
        # footer (URL, date) do not belong on a 公文.
        "--no-pdf-header-footer",
        # Offline intranet: no update checks, sync or other calls home.
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--no-first-run", f"--user-data-dir={profile}",
        f"--print-to-pdf={out}", page.as_uri(),
    ]


def print_pdf(browser: str, page: Path, out: Path, tmp: Path) -> None:
    if not page.is_file():
        what = "汇总通报（只在有多个台账时生成）" if page.parent.name == "summary" else "整改报告"
        raise PdfError(f"网站中没有{what}页面（{page}）；请确认 mkdocs.yml 的 nav 中有“整改报告: report.md”。")
    partial = tmp / "report.pdf"  # written beside, moved into place only when complete
    cmd = chromium_command(browser, page, partial, tmp / "profile")
    try:
        result = subprocess.run(cmd, capture_output=True, text=True, timeout=PRINT_TIMEOUT)
    except subprocess.TimeoutExpired:
        raise PdfError(f"浏览器打印超过 {PRINT_TIMEOUT} 秒仍未完成，已停止。") from None
    except OSError as exc:
        raise PdfError(f"无法启动浏览器 {browser}：{exc}") from None
    if result.returncode != 0 or not _is_pdf(partial):
        detail = "\n".join(result.stderr.strip().splitlines()[-5:])
        raise PdfError(f"浏览器未能生成 PDF（退出码 {result.returncode}）。\n{detail}")
    out.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(partial, out)


def _is_pdf(path: Path) -> bool:
    try:
        with path.open("rb") as f:
            return f.read(5) == b"%PDF-"
    except OSError:
        return False
