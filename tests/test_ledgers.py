"""Many ledgers in one site (issue 14): the sample moved into a folder of its
own beside a second round, validated together, built strict, rolled up."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import lxml.html
import pytest
from icalendar import Calendar

from conftest import REPO, copy_repo, ledger_cli, mkdocs_build, read
from ledgerlib.aggregate import standing, with_history
from ledgerlib.ledgers import load_collection
from ledgerlib.rollup import Rollup
from site_checks import article_text, search_entries

SCRIPT = str(REPO / "scripts" / "ledger.py")
OLD, NEW = "2023-区委巡察", "2024-区审计"

# The second round, as the issue starts it.
INIT = ("init", "--unit", "区应急管理局", "--round", "2024年度经济责任审计", "--group", "区审计局",
        "--feedback-date", "2024-05-16", "--categories", "财务管理,工程项目")
NEW_TITLE = "区应急管理局关于2024年度经济责任审计集中整改进展情况的报告"
NARRATIVES = {
    "preamble.md": "按照区委统一部署，区审计局对区应急管理局开展了2024年度经济责任审计，现将整改进展情况报告如下。\n",
    "leadership.md": "## 提高政治站位，扛起整改主体责任。\n\n局党委召开专题会议，研究制定整改方案。\n",
    "next-steps.md": "巩固整改成果，建立财务和工程管理的长效机制。\n",
}

# Problem 2 of the second round, split into two measures (任务清单).
MEASURES = """\
measures:
  - text: 补齐2023年公务接待凭证
    person: 王*
    deadline: 2024-06-30
    status: 整改中
  - text: 修订公务接待管理办法
    owner: 办公室
    person: 李*
    deadline: 2024-07-31
    status: 未启动
"""
# The 巡察办 closes (销号) one problem of the first round.
SIGNOFF = "- {id: 15, by: 区委巡察办, date: 2023-06-20}\n"

PROBLEMS = [
    ("上一轮巡察指出的支部分工问题仍未完全解决", "财务管理", "局党支部",
     "审计发现，党支部委员分工调整后，财务审批的监督责任仍未落实到人。",
     "重新明确支部委员分工，由纪检委员负责财务审批监督，每季度报告一次。"),
    ("公务接待费用报销凭证不全", "财务管理", "办公室",
     "2023年有12笔公务接待费用缺少接待清单和公函。",
     "补齐凭证，修订公务接待管理办法，报销时由财务人员逐项核对。"),
    ("应急物资仓库改造工程未按规定招标", "工程项目", "执法大队",
     "应急物资仓库改造工程合同金额超过限额，未按规定公开招标。",
     "对相关责任人进行约谈，今后限额以上工程一律进入公共资源交易平台。"),
]


def run(*args, cwd=REPO):
    return ledger_cli(*args, cwd=cwd)


def rewrite_body(path: Path, problem: str, measures: str, follows: str = "", extra: str = "") -> None:
    text = read(path)
    head = text[:text.index("## 问题描述")]
    if follows:
        extra = f"follows: {follows}\n" + extra
    head = head.replace("\n---\n", f"\n{extra}---\n", 1)
    path.write_text(f"{head}## 问题描述\n\n{problem}\n\n## 整改情况\n\n{measures}\n", encoding="utf-8")


def two_rounds(repo: Path) -> Path:
    """The issue's scenario, up to the build: nest, a second ledger, three problems."""
    issues = repo / "issues"
    result = run("--ledger", str(issues), "nest", OLD)
    assert result.returncode == 0, result.stderr
    second = issues / NEW
    made = run("--ledger", str(second), *INIT)
    assert made.returncode == 0, made.stderr
    for name, text in NARRATIVES.items():  # init's drafts, rewritten as a clerk would
        (second / "report" / name).write_text(text, encoding="utf-8")
    for n, (title, category, owner, problem, measures) in enumerate(PROBLEMS, start=1):
        made = run("--ledger", str(second), "new", title, "--category", category, "--owner", owner,
                   "--deadline", "2024-08-31")
        assert made.returncode == 0, made.stderr
        rewrite_body(next(second.glob(f"{n:02d}-*.md")), problem, measures, f"{OLD}/15" if n == 1 else "",
                     MEASURES if n == 2 else "")
    return issues


@pytest.fixture(scope="module")
def two_round_site(tmp_path_factory) -> Path:
    repo = copy_repo(tmp_path_factory.mktemp("ledgers") / "repo")
    two_rounds(repo)
    (repo / "issues" / OLD / "signoff.yml").write_text(SIGNOFF, encoding="utf-8")
    result = run("--ledger", str(repo / "issues"), "validate")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 个台账，共 20 个问题" in result.stdout
    site = repo / "site"
    built = mkdocs_build(repo, site)
    assert built.returncode == 0, built.stderr
    return site


def test_nest_moves_the_ledger_and_its_narratives(repo_copy):
    before = sorted(p.name for p in (repo_copy / "issues").iterdir() if p.name != "report")
    result = run("--ledger", str(repo_copy / "issues"), "nest", OLD)
    assert result.returncode == 0, result.stderr
    folder = repo_copy / "issues" / OLD
    assert sorted(p.name for p in folder.iterdir() if p.name != "report") == before
    assert sorted(p.name for p in (folder / "report").iterdir()) == [
        "leadership.md", "next-steps.md", "notice-leadership.md", "plan-guidance.md", "preamble.md"]
    assert not (repo_copy / "docs" / "report").exists()
    ledger_yml = read(folder / "ledger.yml")
    assert "preamble: report/preamble.md" in ledger_yml and "../docs/report" not in ledger_yml
    assert "# 报告标题" in ledger_yml  # comments kept: the file is edited, not rewritten
    assert run("--ledger", str(repo_copy / "issues"), "validate").returncode == 0
    again = run("--ledger", str(repo_copy / "issues"), "nest", "再来")
    assert again.returncode == 1 and "已经是每个台账一个子文件夹" in again.stderr


def test_home_rolls_up_both_ledgers(two_round_site):
    html = read(two_round_site / "index.html")
    tree = lxml.html.fromstring(html)
    header = [th.text_content() for th in tree.xpath("//table[contains(@class, 'ledger-rollup')]/thead/tr/th")]
    cells = {}
    for tr in tree.xpath("//table[contains(@class, 'ledger-rollup')]/tbody/tr"):
        texts = [td.text_content().strip() for td in tr.xpath("td")]
        cells[texts[0]] = (tr.get("class").split()[0].removeprefix("ledger-row-"), dict(zip(header, texts, strict=True)))
    old_class, old = cells["区应急管理局党委"]
    new_class, new = cells["区应急管理局"]
    assert [old[k] for k in ("问题数", "已完成", "完成率")] == ["17", "17", "100%"] and old_class == "ok"
    assert [new[k] for k in ("问题数", "已完成")] == ["3", "0"] and new["完成率"].startswith("0%")
    assert "未达80%" in new["完成率"] and new_class == "low"
    assert new["巡察轮次"] == "2024年度经济责任审计" and new["反馈日期"] == "2024-05-16"
    assert new["延续问题"] == "1"  # problem 1 continues the previous round
    # 预警: the second round's open problems are past their deadline (no cut-off date: today).
    assert new["预警"] == "红色预警 3" and old["预警"] == "—"
    assert old["已销号"] == "1" and new["已销号"] == "0"  # 已销号: problem 15 of the first round
    total = [td.text_content() for td in tree.xpath("//table[contains(@class, 'ledger-rollup')]/tfoot/tr/td")]
    assert dict(zip(header, total, strict=True))["问题数"] == "20" and total[3:6] == ["20", "17", "85%"]
    assert dict(zip(header, total, strict=True))["预警"] == "红色预警 3"
    # Each ledger's dashboard is one click away; nothing per ledger in the nav.
    assert f'href="{OLD}/"' in html and f'href="{NEW}/"' in html
    nav = html[html.index('class="md-nav md-nav--primary"'):html.index("md-sidebar--secondary")]
    assert OLD not in nav and NEW not in nav and "问题清单" not in nav


def test_each_ledger_keeps_its_pages_and_report(two_round_site):
    for name, title in ((OLD, "区应急管理局党委关于巡察集中整改进展情况的报告"),
                        (NEW, NEW_TITLE)):
        report = read(two_round_site / name / "report" / "index.html")
        printed = re.search(r'<h1 class="gw-title">(.*?)</h1>', report, re.S)[1]
        assert re.sub(r"<br[^>]*>", "", printed) == title
        for page in ("index.html", "list/index.html", "categories/index.html", "owners/index.html",
                     "status/index.html", "problems/1/index.html", "calendar.ics"):
            assert (two_round_site / name / page).is_file(), (name, page)
    report = article_text(two_round_site / OLD / "report" / "index.html")
    assert "主要负责人组织落实巡察整改情况" in report and "目前，17项问题已全部整改完毕。" in report
    # The ledger's own menu leads back to the roll-up and to its other pages.
    dashboard = read(two_round_site / NEW / "index.html")
    assert 'href="../">全部台账</a>' in dashboard and 'href="list/">问题清单</a>' in dashboard


def test_continuing_problems_link_both_ways(two_round_site):
    new = read(two_round_site / NEW / "problems" / "1" / "index.html")
    old = read(two_round_site / OLD / "problems" / "15" / "index.html")
    assert re.search(rf'<dt>延续自</dt><dd><a href="../../../{OLD}/problems/15/">{OLD} · 15. 党支部分工不明确</a>', new)
    assert re.search(rf'<dt>后续问题</dt><dd><a href="../../../{NEW}/problems/1/">{NEW} · 1. 上一轮巡察', old)


def test_calendar_holds_every_deadline_and_milestone(two_round_site):
    calendar = Calendar.from_ical((two_round_site / "calendar-all.ics").read_bytes())
    events = list(calendar.walk("VEVENT"))
    assert len(events) >= 20
    summaries = [str(e["SUMMARY"]) for e in events]
    assert len(set(str(e["UID"]) for e in events)) == len(events)
    done = next(e for e in events if "15. 党支部分工不明确" in str(e["SUMMARY"]))
    assert str(done["SUMMARY"]).startswith("【已完成】") and "2023年6月16日完成" in str(done["DESCRIPTION"])
    assert done.decoded("DTSTART").isoformat() == "2023-06-30" and "局党支部" in str(done["DESCRIPTION"])
    assert f"{OLD}/problems/15/" in str(done["DESCRIPTION"])
    # Milestones from the feedback date: 2024-05-16 + 30 / 60 / 90 days.
    plan = next(e for e in events if str(e["SUMMARY"]) == "【整改方案】区应急管理局")
    assert plan.decoded("DTSTART").isoformat() == "2024-06-15"
    assert "【集中整改期结束】区应急管理局党委" in summaries
    own = Calendar.from_ical((two_round_site / NEW / "calendar.ics").read_bytes())
    own_events = list(own.walk("VEVENT"))
    assert len(own_events) == 3 + 3 + 2  # problems, milestones, measures
    measure = next(e for e in own_events if "修订公务接待管理办法" in str(e["SUMMARY"]))
    assert str(measure["SUMMARY"]) == "【措施时限】2-2. 修订公务接待管理办法（办公室）"
    assert measure.decoded("DTSTART").isoformat() == "2024-07-31" and "责任人：李*" in str(measure["DESCRIPTION"])
    assert 'href="calendar.ics"' in read(two_round_site / NEW / "index.html")


def test_follows_to_a_missing_problem_fails_validate(repo_copy):
    issues = two_rounds(repo_copy)
    path = next((issues / NEW).glob("01-*.md"))
    path.write_text(read(path).replace(f"follows: {OLD}/15", f"follows: {OLD}/99"), encoding="utf-8")
    result = run("--ledger", str(issues), "validate")
    assert result.returncode == 1
    line = read(path).split("\n").index(f"follows: {OLD}/99") + 1
    assert f"issues/{NEW}/{path.name}:{line}: follows: 找不到“{OLD}/99”" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_command_on_several_ledgers_asks_which(repo_copy):
    issues = two_rounds(repo_copy)
    result = run("--ledger", str(issues), "export", "--out", str(repo_copy / "a.xlsx"))
    assert result.returncode == 1
    assert f"下有 2 个台账（{OLD}、{NEW}），不知道要用哪一个" in result.stderr and "--ledger" in result.stderr
    chosen = run("--ledger", str(issues / NEW), "export", "--out", str(repo_copy / "a.xlsx"))
    assert chosen.returncode == 0, chosen.stderr
    assert "已导出 3 个问题" in chosen.stdout


def test_single_ledger_site_is_unchanged(sample_site):
    # Same URLs as before several ledgers existed, plus the calendar.
    for page in ("index.html", "report/index.html", "list/index.html", "problems/17/index.html"):
        assert (sample_site / page).is_file()
    assert "全部台账" not in read(sample_site / "index.html")
    assert 'href="calendar.ics"' in read(sample_site / "index.html")
    events = list(Calendar.from_ical((sample_site / "calendar.ics").read_bytes()).walk("VEVENT"))
    assert len(events) == 17 + 3 + 1  # problems, milestones, the monthly report day (reporting:)


def test_a_ledger_inside_the_single_ledger_is_not_silently_ignored(repo_copy):
    made = run("--ledger", str(repo_copy / "issues" / NEW), *INIT)
    assert made.returncode == 0, made.stderr
    result = run("--ledger", str(repo_copy / "issues"), "validate")
    assert result.returncode == 1
    assert f"issues/{NEW}/ledger.yml:1: 台账:" in result.stderr and "ledger.py nest" in result.stderr


def test_roll_up_fits_a_phone(browser, two_round_site):
    """The 11-column roll-up scrolls in its own box on a 390 px phone (see test_phone.py)."""
    from browser import in_page
    from test_phone import MEASURE, MIN_CELL_PX, PHONE_WIDTH

    result = in_page(browser, two_round_site / "index.html", MEASURE, width=PHONE_WIDTH)
    assert result["scrollWidth"] <= PHONE_WIDTH, result["scrollWidth"]
    assert len(result["cells"]) > 20 and min(w for w, _ in result["cells"]) >= MIN_CELL_PX


def test_codeowners_covers_every_ledger(repo_copy):
    issues = two_rounds(repo_copy)
    with (issues / NEW / "ledger.yml").open("a", encoding="utf-8") as f:
        f.write("codeowners:\n  \"*\": [shenji]\n  办公室: [bangongshi.wang]\n")
    result = run("--ledger", str(issues / NEW), "codeowners")
    assert result.returncode == 0, result.stderr
    text = read(repo_copy / "CODEOWNERS")
    assert f"/issues/{OLD}/ @zhenggaiban\n" in text and f"/issues/{NEW}/ @shenji\n" in text
    assert "\n* " not in text  # no ledger's catch-all reviews the others
    assert f"/issues/{OLD}/15-党支部分工不明确.md @dangzhibu.zhang @dangzhibu.liu\n" in text
    assert f"/issues/{NEW}/02-公务接待费用报销凭证不全.md @bangongshi.wang\n" in text
    # The problem files' lines come after their folder's: the last match wins.
    assert text.index(f"/issues/{NEW}/ @shenji") < text.index(f"/issues/{NEW}/02-")


NOTICE_LINES = (
    "关于巡察反馈问题整改情况的通报",
    "一、总体情况",
    "2个单位共有反馈问题20个，已完成整改17个，整改完成率85%",
    "整改完成率低于80%的单位有1个：区应急管理局。",
    "1.区应急管理局党委（四届区委第二轮常规巡察）。反馈问题17个，已完成整改17个，整改完成率100%",
    "2.区应急管理局（2024年度经济责任审计）。反馈问题3个，已完成整改0个，整改完成率0%",
    "巡察工作领导小组办公室",
    "各单位整改情况统计表",
)


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_summary_notice_page(two_round_site):
    text = squeeze(article_text(two_round_site / "summary" / "index.html"))
    for line in NOTICE_LINES:
        assert squeeze(line) in text, line
    html = read(two_round_site / "summary" / "index.html")
    assert 'class="ledger-report-page' in html  # the report's GB/T 9704 print layout
    nav = html[html.index('class="md-nav md-nav--primary"'):html.index("md-sidebar--secondary")]
    assert "汇总通报" in nav and "整改报告" not in nav


def test_summary_notice_as_word_opens_in_libreoffice(two_round_site, tmp_path):
    if not shutil.which("soffice") or not shutil.which("pdftotext"):
        pytest.skip("needs LibreOffice and poppler-utils")
    docx = tmp_path / "汇总通报.docx"
    shutil.copy(two_round_site / "汇总通报.docx", docx)
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(docx)], capture_output=True, timeout=180, check=True)
    text = squeeze(subprocess.run(["pdftotext", "-layout", str(tmp_path / "汇总通报.pdf"), "-"],
                                  capture_output=True, text=True, check=True).stdout)
    text = re.sub(r"—\d+—", "", text)  # page numbers, where a paragraph crosses a page
    for line in NOTICE_LINES:
        assert squeeze(line) in text, line


def test_summary_notice_prints_to_pdf(two_round_site, tmp_path):
    if not shutil.which("chromium") or not shutil.which("pdftotext"):
        pytest.skip("needs chromium and poppler-utils")
    out = tmp_path / "汇总通报.pdf"
    result = run("--ledger", str(two_round_site.parent / "issues"), "pdf", "--summary",
                 "--site", str(two_round_site), "--out", str(out))
    assert result.returncode == 0, result.stderr
    text = squeeze(subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout)
    for line in NOTICE_LINES:
        assert squeeze(line) in text, line
    assert "全部台账" not in text and "下载Word版" not in text  # screen-only lines stay off paper


def test_summary_wording_comes_from_summary_yml(repo_copy):
    issues = two_rounds(repo_copy)
    (issues / "summary.yml").write_text(
        "title: 关于2024年度巡察审计整改情况的通报\nissuer: 区委巡察办\nthreshold: 90\n"
        "wording:\n  all_high: 全部达标。\n  unit: 共{total}个，完成{done}个，{oops}。\n", encoding="utf-8")
    result = run("--ledger", str(issues), "validate")
    assert result.returncode == 1
    assert "issues/summary.yml:6: wording.unit: 措辞模板里的“{oops}”无法识别" in result.stderr
    (issues / "summary.yml").write_text(read(issues / "summary.yml").replace("，{oops}", ""), encoding="utf-8")
    collection = load_collection(issues)
    rollup = Rollup(collection, {ref.name: standing(ledger) for ref, ledger in collection.entries})
    lines = rollup.notice.body_lines()
    assert rollup.notice.title == "关于2024年度巡察审计整改情况的通报"
    assert rollup.notice.signature_unit == "区委巡察办"
    assert "1.区应急管理局党委（四届区委第二轮常规巡察）。共17个，完成17个。" in lines
    assert any("整改完成率低于90%的单位有1个" in line for line in lines)


def test_old_narrative_paths_keep_working_in_a_ledger_folder(repo_copy):
    """A ledger moved by hand (not by nest) still finds ../docs/report/."""
    issues = repo_copy / "issues"
    folder = issues / OLD
    folder.mkdir()
    for path in list(issues.iterdir()):
        if path != folder:
            path.rename(folder / path.name)
    assert "preamble: ../docs/report/preamble.md" in read(folder / "ledger.yml")
    collection = load_collection(issues)
    ledger = collection.ledgers[0]
    assert ledger.report.preamble == (repo_copy / "docs" / "report" / "preamble.md").resolve()


def test_search_indexes_both_ledgers_and_both_reports(two_round_site):
    from urllib.parse import unquote

    urls = [unquote(url) for url, _, _ in search_entries(two_round_site)]
    assert sum(u.startswith(f"{OLD}/problems/") for u in urls) == 17
    assert sum(u.startswith(f"{NEW}/problems/") for u in urls) == 3
    assert f"{OLD}/report/" in urls and f"{NEW}/report/" in urls
    assert urls.index(f"{NEW}/problems/1/") < urls.index(f"{OLD}/report/")  # problem pages first
    assert "" not in urls  # the roll-up home is an overview, not indexed


def test_problem_titles_name_their_ledger_in_search_and_tab(two_round_site):
    # Both rounds have a problem 1: a result or a tab saying only "1. …" is ambiguous.
    from urllib.parse import unquote

    titles = {unquote(url): title for url, title, _ in search_entries(two_round_site)}
    assert titles[f"{OLD}/problems/15/"] == f"{OLD} · 15. 党支部分工不明确"
    assert titles[f"{NEW}/problems/1/"].startswith(f"{NEW} · 1. ")
    assert f"<title>{OLD} · 15. 党支部分工不明确" in read(two_round_site / OLD / "problems" / "15" / "index.html")


def test_each_ledger_has_its_documents_out_of_the_nav(two_round_site):
    for name in (OLD, NEW):
        for page in ("documents", "documents/plan", "documents/final", "documents/notice", "documents/issued"):
            assert (two_round_site / name / page / "index.html").is_file(), (name, page)
    notice = read(two_round_site / OLD / "documents" / "notice" / "index.html")
    assert "巡察反馈17个问题" in squeeze(article_text(two_round_site / OLD / "documents" / "notice" / "index.html"))
    menu = notice[notice.index('class="ledger-menu"'):]
    assert "整改文件" in menu[:menu.index("</p>")]
    home = read(two_round_site / "index.html")
    nav = home[home.index('class="md-nav md-nav--primary"'):home.index("md-sidebar--secondary")]
    assert "整改方案" not in nav and "已报送文件" not in nav  # the nav does not grow with the ledgers
    assert "汇总通报" in nav


def test_pdf_prints_one_ledgers_document(two_round_site, tmp_path):
    if not shutil.which("chromium"):
        pytest.skip("chromium is needed to print")
    out = tmp_path / "方案.pdf"
    result = run("--ledger", str(two_round_site.parent / "issues" / OLD), "pdf", "--site", str(two_round_site), "--doc", "plan", "--out", str(out))
    assert result.returncode == 0, result.stderr
    text = squeeze(subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout)
    assert "关于落实区委第一巡察组巡察反馈意见的整改方案" in text and "责任清单" in text


def test_roll_up_counts_extensions_from_each_ledgers_history(repo_copy):
    from git_fixtures import git
    from ledgerlib.history import read_history
    from ledgerlib.rollup import rollup_rows

    issues = two_rounds(repo_copy)
    git(repo_copy, "init", "-q", "-b", "main")
    git(repo_copy, "add", "-A")
    git(repo_copy, "commit", "-q", "-m", "两个台账", when="2024-05-20T10:00:00+08:00")
    path = next((issues / NEW).glob("03-*.md"))
    path.write_text(read(path).replace("deadline: 2024-08-31", "deadline: 2024-10-31"), encoding="utf-8")
    git(repo_copy, "commit", "-q", "-am", "问题3延期", when="2024-08-20T10:00:00+08:00")
    collection = load_collection(issues)
    standings = {ref.name: with_history(standing(ledger), ledger, read_history(ref.path))
                 for ref, ledger in collection.entries}
    rows = {row.ref.name: row for row in rollup_rows(collection, standings)}
    assert (rows[OLD].extended, rows[NEW].extended) == (0, 1)


def test_follows_reaches_the_workbook_and_the_csv(repo_copy, tmp_path):
    import csv
    import io

    from openpyxl import load_workbook

    issues = two_rounds(repo_copy)
    for name in ("a.xlsx", "a.csv"):
        result = run("--ledger", str(issues / NEW), "export", "--out", str(tmp_path / name))
        assert result.returncode == 0, result.stderr
    rows = list(csv.reader(io.StringIO((tmp_path / "a.csv").read_text(encoding="utf-8-sig"))))
    column = rows[0].index("延续自")
    assert [row[column] for row in rows[1:]].count(f"{OLD}/15") == 1
    sheet = load_workbook(tmp_path / "a.xlsx").active
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row]
    assert "延续自" in values and f"{OLD}/15" in values


def test_validate_reports_every_ledgers_errors_at_once(repo_copy):
    issues = two_rounds(repo_copy)
    old = next((issues / OLD).glob("03-*.md"))
    old.write_text(read(old).replace("status: 已完成", "status: 已完毕"), encoding="utf-8")
    new = next((issues / NEW).glob("02-*.md"))
    new.write_text(read(new).replace("category: \"财务管理\"", "category: \"财务\""), encoding="utf-8")
    result = run("--ledger", str(issues), "validate")
    assert result.returncode == 1
    assert f"issues/{OLD}/{old.name}:5: status: “已完毕”不是有效状态" in result.stderr
    assert f"issues/{NEW}/{new.name}:" in result.stderr and "category" in result.stderr
    assert "2 处错误" in result.stderr


def test_calendar_events_link_to_their_pages_when_the_site_has_an_address(repo_copy):
    from ledgerlib.ics import calendar, ledger_events

    issues = two_rounds(repo_copy)
    collection = load_collection(issues)
    ref, ledger = collection.entries[1]
    events = ledger_events(ref, ledger, standing(ledger).as_of, base_url="http://zhenggai.intranet/")
    parsed = list(Calendar.from_ical(calendar("测试", events)).walk("VEVENT"))
    urls = {str(e["SUMMARY"]): str(e.get("URL", "")) for e in parsed}
    first = next(u for s, u in urls.items() if s.startswith("【整改时限】1."))
    assert first == f"http://zhenggai.intranet/{NEW}/problems/1/"
    assert urls["【整改方案】区应急管理局"] == f"http://zhenggai.intranet/{NEW}/"


def test_calendar_header_is_written_as_icalendar_reads_it():
    from ledgerlib.ics import calendar

    data = calendar("区应急管理局 2023 年巡察整改", [])
    assert data == ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//整改台账//ledger//ZH\r\nCALSCALE:GREGORIAN\r\n"
                    "X-WR-CALNAME:区应急管理局 2023 年巡察整改\r\nEND:VCALENDAR\r\n").encode()
    parsed = Calendar.from_ical(data)
    assert str(parsed["X-WR-CALNAME"]) == "区应急管理局 2023 年巡察整改" and str(parsed["VERSION"]) == "2.0"
