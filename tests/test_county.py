"""A county unit's documents, right the first time (issue 21).

A county bureau (县市场监督管理局党组, inspected by 县委第三巡察组) starts
its ledger with `init` and flags alone, registers 8 problems in 3 categories
with `new`, and produces the four documents of the round. Each is read back
from every real output: the built page, the Word file, the Chromium PDF
and LibreOffice's PDF of the Word file.
"""

from __future__ import annotations

import io
import itertools
import re
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest

from conftest import ledger_script, mkdocs_build, read
from git_fixtures import git
from ledgerlib import constants as C
from ledgerlib import load_ledger
from ledgerlib.gbt9704 import TITLE_WORDS
from pdf_layout import read_pages, require, soffice_pdf
from site_checks import article_text
from test_init import committed_sample, in_copy

UNIT, GROUP, ROUND = "县市场监督管理局党组", "县委第三巡察组", "十五届县委第五轮巡察"
PERIOD = "2025年3月10日至4月30日"
CATEGORIES = ("聚焦党中央决策部署落实方面", "聚焦群众身边问题方面", "聚焦基层党组织建设方面")
FLAGS = ("--unit", UNIT, "--round", ROUND, "--group", GROUP, "--feedback-date", "2025年5月20日",
         "--period", PERIOD, "--departments", "办公室，财务审计股，市场监管股，特种设备股",
         "--categories", "，".join(CATEGORIES), "--force")
PROBLEMS = (
    ("“三重一大”决策制度执行不严格", 0, "办公室"),
    ("食品安全监管存在薄弱环节", 0, "市场监管股"),
    ("特种设备隐患排查不彻底", 0, "特种设备股"),
    ("涉企收费检查流于形式", 1, "市场监管股"),
    ("财务报销审核把关不严", 1, "财务审计股"),
    ("公务用车管理不规范", 1, "办公室"),
    ("党支部“三会一课”落实不到位", 2, "办公室"),
    ("发展党员程序不规范", 2, "办公室"),
)
PAGES = {"plan": "documents/plan", "progress": "report", "final": "documents/final", "notice": "documents/notice"}
# Never in a document: doubled punctuation where a slot was empty, placeholders, the sample's committee.
NEVER = ("，，", "。，", "待定", "××", "区委", C.PLACEHOLDER, "【未填写")
# Words no title line may split, beside the genre's own (gbt9704.TITLE_WORDS).
NAMES = (UNIT, "县委", GROUP)


def write_problem(path: Path, n: int) -> None:
    text = read(path)
    front = text[:text.index("---", 3) + 3]
    path.write_text(front + f"\n\n## 问题描述\n\n第{n}项问题的原文，存在薄弱环节。\n\n"
                            f"## 整改情况\n\n针对第{n}项问题，制定了整改措施，完善了制度。\n", encoding="utf-8")


NARRATIVE = {
    "preamble.md": f"按照县委统一部署，{PERIOD}，{GROUP}对{UNIT}开展了{ROUND}。2025年5月20日，{GROUP}向{UNIT}"
                   "反馈了巡察意见，现将集中整改进展情况报告如下。\n",
    "leadership.md": "## 提高政治站位，扛起整改主体责任。\n\n党组书记主持召开专题会议，研究制定整改方案。\n",
    "next-steps.md": "持续巩固整改成果，建立健全长效机制。\n",
    "plan-guidance.md": "坚持问题导向，对照巡察反馈意见逐项制定整改措施。\n\n## 总体要求\n\n确保集中整改期内反馈问题整改到位。\n",
    "notice-leadership.md": "局党组成立巡察整改工作领导小组，召开专题会议研究部署整改工作。\n",
}


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    root = tmp_path_factory.mktemp("county")
    repo = committed_sample(root / "repo", "2025-05-01T10:00:00+08:00")
    init = in_copy(repo, "init", *FLAGS)
    assert init.returncode == 0, init.stderr
    fresh = mkdocs_build(repo, root / "fresh")  # straight after init, before anything is written
    for title, category, owner in PROBLEMS:
        made = in_copy(repo, "new", title, "--category", CATEGORIES[category], "--owner", owner,
                       "--leader", "党组副书记", "--deadline", "2025年8月31日")
        assert made.returncode == 0, made.stderr
    for n, path in enumerate(sorted((repo / "issues").glob("*.md")), 1):
        write_problem(path, n)
    drafts = in_copy(repo, "export", "--doc", "notice", "--out", str(root / "draft.docx"))
    for name, text in NARRATIVE.items():
        (repo / "issues" / "report" / name).write_text(text, encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "登记问题", when="2025-06-01T10:00:00+08:00")
    built = mkdocs_build(repo, root / "site")
    assert built.returncode == 0, built.stderr
    return repo, root, init, fresh, drafts


def test_init_with_flags_writes_what_the_documents_use(county):
    repo, _, init, _, _ = county
    ledger = load_ledger(repo / "issues", repo_root=repo)
    assert (ledger.committee, ledger.period, ledger.group) == ("县委", PERIOD, GROUP)
    assert ledger.departments == ("办公室", "财务审计股", "市场监管股", "特种设备股")
    assert ledger.documents["plan"].date.isoformat() == "2025-06-19"  # 30 days after feedback
    for name in ("plan-guidance.md", "notice-leadership.md", "leadership.md", "next-steps.md"):
        assert f"issues/report/{name}：" in init.stdout  # what is still to fill, by file
    assert "issues/report/preamble.md" not in init.stdout  # committee and period given: nothing to fill
    assert not list((repo / "docs").glob("report/*")) and not (repo / "docs" / "evidence" / "sample").exists()


def test_a_strict_build_straight_after_init_previews_and_counts_what_is_left(county):
    _, root, _, fresh, _ = county
    assert fresh.returncode == 0, fresh.stderr
    dashboard = read(root / "fresh" / "index.html")
    count = re.search(r'class="ledger-todo-count">(\d+)<', dashboard)
    assert count and count[1] == "4", dashboard[:200]  # four narrative files still to write
    plan = read(root / "fresh" / "documents" / "plan" / "index.html")
    assert f'<mark class="gw-todo">{C.PLACEHOLDER}</mark>' in plan


def test_a_document_with_scaffolds_is_refused_naming_the_file(county):
    *_, drafts = county
    assert drafts.returncode == 1
    assert "issues/report/notice-leadership.md" in drafts.stderr and "--draft" in drafts.stderr


def test_every_page_names_the_committee_and_the_period(county):
    _, root, *_ = county
    for kind, page in PAGES.items():
        text = article_text(root / "site" / page / "index.html")
        assert not [w for w in NEVER if w in text], kind
    notice = article_text(root / "site" / "documents" / "notice" / "index.html")
    assert f"根据县委统一部署，{PERIOD}，{GROUP}对{UNIT}进行了巡察" in notice
    assert "关于“‘三重一大’决策制度执行不严格”问题的整改" in notice


@pytest.fixture(scope="module")
def documents(county):
    """Each kind as Word file, Chromium PDF and LibreOffice PDF of the Word file."""
    require("chromium", "soffice", "pdftotext", "pdffonts", hint="apt-get install chromium libreoffice-writer-nogui poppler-utils")
    repo, root, *_ = county
    out = {}
    for kind in PAGES:
        word = root / f"{kind}.docx"
        made = in_copy(repo, "export", "--doc", kind, "--out", str(word))
        assert made.returncode == 0, made.stderr
        pdf = root / f"{kind}.pdf"
        printed = ledger_script("--ledger", str(repo / "issues"), "pdf", "--doc", kind, "--site", str(root / "site"),
                                "--out", str(pdf))
        assert printed.returncode == 0, printed.stderr
        out[kind] = (word, pdf, soffice_pdf(word, root / f"lo-{kind}"))
    return out


def pdf_text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def test_docx_and_both_pdfs_name_the_committee_and_period(documents):
    for kind, (word, chromium, office) in documents.items():
        texts = {"docx": "\n".join(p.text for p in docx.Document(io.BytesIO(word.read_bytes())).paragraphs),
                 "chromium": pdf_text(chromium), "libreoffice": pdf_text(office)}
        for name, text in texts.items():
            flat = re.sub(r"\s+", "", text)
            assert not [w for w in NEVER if w in flat], (kind, name)
            if kind == "notice":
                assert f"根据县委统一部署，{PERIOD}" in flat, name


def title_lines(pdf: Path) -> list[str]:
    """The title's lines: those above the first body line, on page 1, in the title's size."""
    first = read_pages(pdf)[0]
    lines = first.text_lines()
    heights = [w.y1 - w.y0 for w in lines[0].words]
    size = max(heights)
    return [line.text for line in lines if line.words and max(w.y1 - w.y0 for w in line.words) > size * 0.9]


def test_title_lines_are_whole_words_and_never_short(documents):
    for kind, (_, chromium, office) in documents.items():
        for name, pdf in (("chromium", chromium), ("libreoffice", office)):
            lines = title_lines(pdf)
            assert lines and min(map(len, lines)) >= 3, (kind, name, lines)
            for a, b in itertools.pairwise(lines):
                for word in (*TITLE_WORDS, *NAMES):
                    for cut in range(1, len(word)):
                        assert not (a.endswith(word[:cut]) and b.startswith(word[cut:])), (kind, name, a, b)


_TRACE = re.compile(r"本\S{1,2}根据整改台账自动生成，数据截至.*?）。")
_DATE = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日")


def test_no_page_holds_only_the_trace_or_only_the_signature(documents):
    for kind, (_, chromium, office) in documents.items():
        for name, pdf in (("chromium", chromium), ("libreoffice", office)):
            for n, page in enumerate(read_pages(pdf), 1):
                flat = "".join(line.text for line in page.text_lines())
                rest = _DATE.sub("", _TRACE.sub("", flat).replace(UNIT, ""))
                assert not flat or rest, (kind, name, n, flat)


def test_docx_declares_chinese_and_lists_its_chinese_fonts(documents):
    for kind, (word, _, office) in documents.items():
        with zipfile.ZipFile(word) as z:
            xml = {n: z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml")}
        assert not [n for n, x in xml.items() if "ja-JP" in x], kind
        assert 'w:eastAsia="zh-CN"' in xml["word/styles.xml"] and 'w:eastAsia="zh-CN"' in xml["word/settings.xml"]
        fonts = set(re.findall(r'<w:font w:name="([^"]+)"', xml["word/fontTable.xml"]))
        assert {"仿宋_GB2312", "方正小标宋简体", "黑体", "楷体_GB2312"} <= fonts, fonts
        assert not [f for f in fonts if "ＭＳ" in f or "明朝" in f or "ゴシック" in f]
        used = subprocess.run(["pdffonts", str(office)], capture_output=True, text=True, check=True).stdout
        assert not re.search(r"JP|Japanese|Mincho|Gothic|明朝|ゴシック", used), used
