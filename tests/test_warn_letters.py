"""ledger.py warn: the letters due on a day, as page, Word and Chromium PDF,
registered once, escalated on their day, and listed on the problem's page."""

from __future__ import annotations

import datetime as dt
import re
import subprocess

import docx
import pytest

from conftest import copy_repo, ledger_cli, mkdocs_build, read
from ledgerlib.parser import load_ledger
from pdf_layout import soffice_pdf
from site_checks import article_text
from warning_fixtures import CUTOFF, add_to_ledger_yml, shift

ESCALATION = """\
warnings:
  number: "巡整督〔{year}〕{n}号"
  start: 3
  levels:
    - {key: green, name: 绿色预警, before: 20, to: [person], document: 预警函}
    - {key: yellow, name: 黄色预警, before: 10, to: [person, leader], document: 预警函}
    - {key: red, name: 红色预警, overdue: 0, to: [owner, head], document: 预警函}
    - {key: admonish, name: 告诫, unanswered: 7, to: [owner, head], document: 告诫书, final_days: 15}
"""


def warn(repo, day, *more):
    return ledger_cli("--ledger", repo / "issues", "warn", "--date", day, "--out", repo / "letters", *more, cwd=repo)


def pdf_text(path) -> str:
    """The PDF's text in one run: no spaces, line or page breaks, nor page numbers."""
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout.replace(" ", "").replace("\x0c", "\n")
    return "".join(line for line in text.splitlines() if not re.fullmatch(r"—\d+—", line))


@pytest.fixture(scope="module")
def issued(tmp_path_factory):
    repo = copy_repo(tmp_path_factory.mktemp("warn") / "repo")
    shift(repo)
    add_to_ledger_yml(repo, ESCALATION)
    result = warn(repo, CUTOFF)
    assert result.returncode == 0, result.stderr
    return repo, result


def test_dry_run_lists_and_writes_nothing(tmp_path):
    repo = copy_repo(tmp_path / "repo")
    shift(repo)
    result = warn(repo, CUTOFF, "--dry-run")
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("〔2023〕") == 7 and "试运行" in result.stdout
    assert not (repo / "issues" / "warnings.yml").exists() and not (repo / "letters").exists()


def test_letters_due_on_the_day_are_written_and_registered(issued):
    repo, _ = issued
    ledger = load_ledger(repo / "issues")
    got = {(x.item, x.level): x for x in ledger.letters}
    # 20 and 11 days: green; 10 and 0: yellow; −1: red; 21 days: none. Problem 7's
    # measures: 20 days green, −1 red, the done one nothing.
    assert set(got) == {(2, "green"), (3, "green"), (4, "yellow"), (5, "yellow"), (6, "red"),
                        ((7, 1), "green"), ((7, 2), "red")}
    assert [x.number for x in ledger.letters] == [f"巡整督〔2023〕{n}号" for n in range(3, 10)]
    assert got[(6, "red")].to == ("执法大队", "局党委书记")  # owner + head
    assert got[(4, "yellow")].to == ("办公室", "局党委书记")  # person (no measures: the department) + leader
    assert got[((7, 1), "green")].to == ("张*",)
    assert all(x.reply_by == CUTOFF + dt.timedelta(days=5) for x in ledger.letters)
    files = sorted(p.name for p in (repo / "letters").iterdir())
    assert len(files) == 21 and {p.rsplit(".", 1)[1] for p in files} == {"html", "docx", "pdf"}


def test_each_letter_states_what_practice_requires(issued):
    repo, _ = issued
    stem = repo / "letters" / "巡整督〔2023〕7号-6"
    needed = ("红色预警函", "巡整督〔2023〕7号", "执法大队、局党委书记", "督查内容", "巡察反馈问题6",
              "任务来源", "反馈问题6", "承办单位", "完成时限", "2023年6月29日", "已逾期1天",
              "办复要求", "2023年7月5日前", "区应急管理局党委整改工作领导小组办公室")
    page = read(stem.with_suffix(".html"))
    word = "".join(p.text for p in docx.Document(stem.with_suffix(".docx")).paragraphs)
    printed = pdf_text(stem.with_suffix(".pdf"))
    for text in needed:
        assert text in page and text in word and text in printed, text
    measure = pdf_text(repo / "letters" / "巡整督〔2023〕9号-7-2.pdf")
    assert "整改措施7-2：建立学习台账" in measure and "整改主办人：李*" in measure
    assert "href=" not in page and "src=" not in page  # nothing loaded: prints offline


def test_letter_docx_opens_in_libreoffice(issued, tmp_path):
    repo, _ = issued
    pdf = soffice_pdf(repo / "letters" / "巡整督〔2023〕5号-4.docx", tmp_path)
    text = pdf_text(pdf)
    assert "黄色预警函" in text and "巡察反馈问题4" in text and "办公室、局党委书记" in text


def test_a_second_run_writes_none(issued):
    repo, _ = issued
    before = read(repo / "issues" / "warnings.yml")
    again = warn(repo, CUTOFF)
    assert again.returncode == 0 and "没有应发的预警函" in again.stdout
    assert read(repo / "issues" / "warnings.yml") == before


def test_next_levels_on_their_days(issued):
    repo, _ = issued
    # Six days on: problem 3 (due 07-11) reaches yellow, problem 1 (07-21)
    # green, problem 5 (06-30) is overdue: red; the red letters to problem 6 and
    # measure 7-2 are 6 days unanswered: no 告诫 yet.
    day = CUTOFF + dt.timedelta(days=6)
    assert warn(repo, day).returncode == 0
    levels = {x.item: x.level for x in load_ledger(repo / "issues").letters if x.date == day}
    assert levels == {3: "yellow", 1: "green", 5: "red"}
    # The seventh day: the 告诫 after the unanswered red letters, nothing else.
    day = CUTOFF + dt.timedelta(days=7)
    result = warn(repo, day)
    assert result.returncode == 0, result.stderr
    ledger = load_ledger(repo / "issues")
    new = [x for x in ledger.letters if x.date == day]
    assert {x.item: x.level for x in new} == {6: "admonish", (7, 2): "admonish"}
    admonish = next(x for x in new if x.item == 6)
    assert admonish.final_deadline == day + dt.timedelta(days=15)
    text = pdf_text(repo / "letters" / f"{admonish.number}-6.pdf")
    assert "告诫书" in text and "最后期限" in text and "不属于延期" in text
    assert "前次预警" in text and "巡整督〔2023〕7号" in text and "至今未回复" in text
    # The problem file keeps its deadline: a 告诫 is not an extension.
    assert "deadline: 2023-06-29" in read(next((repo / "issues").glob("06-*.md")))


def test_an_answered_letter_is_not_escalated(tmp_path):
    repo = copy_repo(tmp_path / "repo")
    shift(repo, offsets={6: -1}, measures=False)
    add_to_ledger_yml(repo, ESCALATION)
    assert warn(repo, CUTOFF).returncode == 0
    register = repo / "issues" / "warnings.yml"
    register.write_text(read(register) + "  answered: 2023-07-03\n", encoding="utf-8")
    result = warn(repo, CUTOFF + dt.timedelta(days=10))
    assert "没有应发的预警函" in result.stdout, result.stdout


def test_register_errors_name_the_line(tmp_path):
    repo = copy_repo(tmp_path / "repo")
    (repo / "issues" / "warnings.yml").write_text(
        "- {number: 〔2023〕1号, level: purple, item: '99', date: 2023-06-01, deadline: 2023-05-31,"
        " reply_by: 2023-06-06, to: [办公室]}\n"
        "- {number: 〔2023〕1号, level: red, item: '1', date: 2023-06-01, deadline: 2023-05-31,"
        " reply_by: 2023-06-06, to: [办公室], answered: 2023-05-01}\n"
        "- 〔2023〕2号已回复\n", encoding="utf-8")
    result = ledger_cli("--ledger", repo / "issues", "validate", cwd=repo)
    out = result.stdout + result.stderr
    assert result.returncode == 1
    assert "issues/warnings.yml:1: level: 预警等级“purple”" in out
    assert "issues/warnings.yml:1: item: 台账里没有“99”" in out
    assert "issues/warnings.yml:2: answered: 回复日期 2023-05-01 早于发函日期" in out
    assert "issues/warnings.yml:3: 预警函登记: 每条记录写成 number、level、item、date、deadline、reply_by、to" in out


@pytest.mark.site
def test_problem_page_lists_its_letters_and_the_last_deadline(issued, tmp_path):
    repo, _ = issued
    # The 告诫 of the seventh day, whether or not test_next_levels_on_their_days
    # ran first (`make test` reruns only the site tests under ProperDocs); a
    # day already issued issues nothing again.
    for days in (6, 7):
        assert warn(repo, CUTOFF + dt.timedelta(days=days)).returncode == 0
    site = tmp_path / "site"
    assert mkdocs_build(repo, site).returncode == 0
    page = article_text(site / "problems" / "6" / "index.html")
    assert "预警督办" in page and "巡整督〔2023〕7号" in page and "红色预警函" in page
    assert "最后期限" in page and "告诫设定，不属于延期" in page
    letters = sorted((site / "letters").glob("*/index.html"))
    assert len(letters) == len(load_ledger(repo / "issues").letters)
    html = read(site / "problems" / "6" / "index.html")
    assert "../../letters/" in html
    assert list((site / "letters").glob("*.docx"))


def test_letter_pdf_is_laid_out_on_the_gbt9704_grid(issued):
    """A4, text block from 28 mm on the left, body lines of at most 28 characters, a page number."""
    from ledgerlib import gbt9704 as G
    from pdf_layout import read_pages

    repo, _ = issued
    pages = read_pages(repo / "letters" / "巡整督〔2023〕7号-6.pdf")
    assert pages and all(p.portrait and round(p.width) == 595 and round(p.height) == 842 for p in pages)
    left = G.mm_to_pt(G.MARGIN_LEFT_MM)
    lines = pages[0].text_lines()
    assert min(line.x0 for line in lines) == pytest.approx(left, abs=3)
    assert max(line.x1 for line in lines) <= G.PAGE_MM[0] / 25.4 * 72 - G.mm_to_pt(G.MARGIN_RIGHT_MM) + 3
    assert max(len(line.text.replace(" ", "")) for line in lines) <= G.CHARS_PER_LINE
    assert any(line.text.replace(" ", "") == "—1—" for line in pages[0].lines)
