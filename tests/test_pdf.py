"""`ledger.py pdf`: the sample report printed by real headless Chromium, read back with poppler.

Needs chromium, poppler-utils and fonts-noto-cjk (.ci/run installs them).
Without them the tests are skipped locally but fail on CI, so that a CI
machine missing the browser cannot pass silently.
"""

from __future__ import annotations

import functools
import math
import os
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest

from conftest import SEED_REPORT, ledger_cli, ledger_script, mkdocs_build, read
from pdf_layout import require

pytestmark = pytest.mark.site  # make test runs these under ProperDocs too

A4 = (595, 842)  # points, rounded
LINES_PER_PAGE = 22
CHARS_PER_LINE = 28
PAGE_NUMBER = re.compile(r"^—\s*(\d+)\s*—$")
TOOLS = ("chromium", "pdftotext", "pdfinfo")


def _require_tools():
    require(*TOOLS, hint="apt-get install chromium poppler-utils fonts-noto-cjk")


def page_sizes(pdf: Path) -> list[tuple[int, int]]:
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "9999", str(pdf)], capture_output=True, text=True).stdout
    return [(round(float(w)), round(float(h)))
            for w, h in re.findall(r"^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", info, re.M)]


def page_texts(pdf: Path) -> list[list[str]]:
    """Non-empty lines of each page, in reading order."""
    stat = pdf.stat()
    return [list(page) for page in _page_texts(pdf, stat.st_mtime_ns, stat.st_size)]


@functools.cache
def _page_texts(pdf: Path, _mtime_ns: int, _size: int) -> tuple[tuple[str, ...], ...]:
    """Read once per version of the file: several tests read the shared report's."""
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    return tuple(tuple(line.strip() for line in page.splitlines() if line.strip()) for page in text.split("\f"))[:-1]


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def seed_lines() -> list[str]:
    return [line.strip() for line in read(SEED_REPORT).splitlines() if line.strip()]


def test_pages_are_a4_portrait_with_a_landscape_annex(report_pdf):
    sizes = page_sizes(report_pdf)
    portrait = [s for s in sizes if s == A4]
    landscape = [s for s in sizes if s == A4[::-1]]
    assert len(portrait) + len(landscape) == len(sizes), sizes
    # The body comes first, in portrait; the annex table follows, in landscape.
    assert sizes == portrait + landscape and landscape


def test_page_count_fits_22_lines_of_28_characters(report_pdf):
    # The body's lines at 28 characters (two of them the indent), plus the
    # title (2 lines and a blank), the annex note and the signature (5 lines).
    seed_rows = sum(math.ceil((len(line) + 2) / CHARS_PER_LINE) for line in seed_lines())
    expected = math.ceil((seed_rows + 3 + 5) / LINES_PER_PAGE)
    body_pages = page_sizes(report_pdf).count(A4)
    assert expected - 1 <= body_pages <= expected + 1, (body_pages, expected)


def test_lines_hold_28_characters_and_pages_22_lines(report_pdf):
    pages = page_texts(report_pdf)
    body = pages[:page_sizes(report_pdf).count(A4)]
    lines = [line for page in body for line in page if not PAGE_NUMBER.match(line)]
    # Lines of Chinese only: full ones hold 28. Digits, Latin letters and the
    # curly quotes (full width in 仿宋_GB2312, narrower in Noto) are left out.
    lengths = Counter(len(line) for line in lines if not re.search(r"[0-9A-Za-z*“”‘’]", line))
    assert lengths.most_common(1)[0][0] == CHARS_PER_LINE
    assert max(lengths) == CHARS_PER_LINE
    # Every page but the first (title) and the last (end of text) is full,
    # except for one line left free where a heading moved on to stay with its text.
    heading = re.compile(r"^(（[一二三四五六七八九十]+）|[一二三四五六七八九十]+、)")
    counts = [len([line for line in page if not PAGE_NUMBER.match(line)]) for page in body]
    for n in range(1, len(body) - 1):
        kept_with_text = counts[n] == LINES_PER_PAGE - 1 and heading.match(body[n + 1][0])
        assert counts[n] == LINES_PER_PAGE or kept_with_text, (n + 1, counts)
    assert counts.count(LINES_PER_PAGE) >= len(body) - 3, counts


def test_text_copies_out_in_order(report_pdf):
    text = "".join(line for page in page_texts(report_pdf) for line in page if not PAGE_NUMBER.match(line))
    assert "\ufffd" not in text  # the justify + negative letter-spacing trap
    flat = squeeze(text)
    assert flat.startswith("区应急管理局党委关于巡察集中整改进展情况的报告按照区委统一部署")
    assert squeeze("".join(seed_lines())) in flat
    # The test's site is a plain copy, not a git checkout.
    ending = ("附件：整改台账中共区应急管理局委员会2023年6月30日"
              "本报告根据整改台账自动生成，数据截至2023年6月30日（非Git仓库构建，无版本号）。")
    assert ending in flat
    assert flat.index(ending) > flat.index("做出部门最突出的贡献！")


def test_annex_pages_hold_the_ledger_table(report_pdf):
    pages = page_texts(report_pdf)
    annex = pages[page_sizes(report_pdf).count(A4):]
    assert annex[0][0] == "附件" and "整改台账" in annex[0]
    starts = {line.split()[0] for page in annex for line in page if line.split()[0].isdigit()}
    assert {str(n) for n in range(1, 18)} <= starts


def test_page_numbers_on_every_page_at_the_outside(report_pdf):
    pages = page_texts(report_pdf)
    numbers = [next((int(m.group(1)) for line in page if (m := PAGE_NUMBER.match(line))), None) for page in pages]
    assert numbers == list(range(1, len(pages) + 1))
    bbox = subprocess.run(["pdftotext", "-bbox", str(report_pdf), "-"], capture_output=True, text=True).stdout
    for n, page in enumerate(bbox.split("<page ")[1:], 1):
        width = float(re.search(r'width="([\d.]+)"', page).group(1))
        number = re.search(rf'<word xMin="([\d.]+)"[^>]*>—</word>\s*<word[^>]*>{n}</word>\s*<word[^>]*>—</word>', page)
        assert number, f"page {n} has no number"
        x = float(number.group(1))
        assert (x > width / 2) if n % 2 else (x < width / 2), f"page {n}: number at x={x}"


def test_no_site_chrome_in_print(report_pdf):
    text = "\n".join(line for page in page_texts(report_pdf) for line in page)
    for chrome in ("搜索", "问题清单", "责任清单", "按整改状态", "编写指南", "跳转至", "回到页面顶部",
                   "编辑此页", "Ctrl+P", "Material", "整改台账仓库"):
        assert chrome not in text, chrome


def test_a_broken_ledger_stops_before_printing(repo_copy, tmp_path):
    _require_tools()
    path = next((repo_copy / "issues").glob("03-*.md"))
    path.write_text(read(path).replace("status: 已完成", "status: 做完了"), encoding="utf-8")
    out = tmp_path / "x.pdf"
    result = ledger_script("--ledger", str(repo_copy / "issues"), "pdf", "--out", str(out))
    assert result.returncode == 1
    assert "03-落实决策部署跟踪问效不到位.md" in result.stderr and "未生成 PDF" in result.stderr
    assert "Traceback" not in result.stderr and not out.exists()


def test_missing_chinese_fonts_are_reported(tmp_path, monkeypatch, capsys):
    if not shutil.which("fc-list"):
        pytest.skip("no fontconfig")
    from ledgerlib.commands import pdf

    pdf.warn_if_no_chinese_font()
    assert capsys.readouterr().err == ""  # the machine running the tests has them
    empty = tmp_path / "fonts.conf"  # fontconfig with no font directories at all
    empty.write_text('<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
                     f'<cachedir>{tmp_path}</cachedir></fontconfig>')
    monkeypatch.setenv("FONTCONFIG_FILE", str(empty))
    pdf.warn_if_no_chinese_font()
    assert "apt-get install fonts-noto-cjk" in capsys.readouterr().err


def test_missing_browser_says_what_to_install(tmp_path):
    # A PATH with no browser on it (the CLI itself runs from sys.executable).
    env = {**os.environ, "PATH": str(tmp_path)}
    result = ledger_script("pdf", "--out", str(tmp_path / "x.pdf"), env=env)
    assert result.returncode == 1
    assert "apt-get install chromium fonts-noto-cjk" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "x.pdf").exists()


def test_trace_false_removes_the_machine_line_from_page_pdf_and_docx(repo_copy, tmp_path):
    """The sent copy: ``report: {trace: false}``; the commit stays in the docx's properties."""
    import io

    import docx

    from ledgerlib import load_ledger
    from ledgerlib.ledgerbuild import build_ledger, to_docx

    _require_tools()
    yml = repo_copy / "issues" / "ledger.yml"
    text = read(yml)
    assert "  trace: true" in text
    yml.write_text(text.replace("  trace: true", "  trace: false"), encoding="utf-8")
    site = tmp_path / "site"
    result = mkdocs_build(repo_copy, site)
    assert result.returncode == 0, result.stderr
    page = read(site / "report" / "index.html")
    printed_part = page.split('<h1 class="gw-title">')[1]  # the screen-only note above it is not printed
    assert "自动生成" not in printed_part and "gw-trace" not in page
    assert "中共区应急管理局委员会" in page  # the signature is still there
    out = tmp_path / "sent.pdf"
    assert ledger_cli("pdf", "--site", site, "--out", out).returncode == 0
    printed = squeeze("".join(line for page in page_texts(out) for line in page))
    assert "自动生成" not in printed and "中共区应急管理局委员会2023年6月30日" in printed
    assert pdf_info(out)["Subject"].startswith("本报告根据整改台账自动生成")  # still in the properties
    word = docx.Document(io.BytesIO(to_docx(build_ledger(load_ledger(repo_copy / "issues"), commit="abc1234"))))
    assert not [p.text for p in word.paragraphs if "自动生成" in p.text]
    assert "abc1234" in word.core_properties.comments and "abc1234" in word.core_properties.keywords


def pdf_info(pdf: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return dict((k.strip(), v.strip()) for k, _, v in (line.partition(":") for line in out.splitlines()))


def test_pdf_properties_carry_title_and_source(report_pdf):
    info = pdf_info(report_pdf)
    assert info["Title"] == "区应急管理局党委关于巡察集中整改进展情况的报告"
    assert info["Subject"] == "本报告根据整改台账自动生成，数据截至2023年6月30日（非 Git 仓库构建，无版本号）。"
    assert "Keywords" not in info  # no commit to name outside a git checkout


def test_pdf_properties_take_the_commit_and_keep_the_pages(report_pdf, tmp_path):
    from ledgerlib import pdfinfo

    copy = tmp_path / "copy.pdf"
    shutil.copy(report_pdf, copy)
    assert pdfinfo.add_info(copy, {"Keywords": "commit abc1234", "Subject": "数据截至2023年6月30日（版本 abc1234）"})
    info = pdf_info(copy)
    assert info["Keywords"] == "commit abc1234" and info["Subject"].endswith("（版本 abc1234）")
    assert info["Title"] == "区应急管理局党委关于巡察集中整改进展情况的报告"  # earlier entries kept
    assert page_texts(copy) == page_texts(report_pdf) and page_sizes(copy) == page_sizes(report_pdf)
    garbage = tmp_path / "x.pdf"
    garbage.write_bytes(b"%PDF-1.4\nnot really\n")
    assert not pdfinfo.add_info(garbage, {"Keywords": "x"}) and garbage.read_bytes() == b"%PDF-1.4\nnot really\n"
