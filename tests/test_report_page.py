"""The report page (整改报告) of a real strict build of the sample ledger."""

from __future__ import annotations

import re

import pytest

from conftest import SEED_REPORT, mkdocs_build, read
from site_checks import article_text, search_entries

pytestmark = pytest.mark.site  # make test runs these under ProperDocs too

NAV_START = 'class="md-nav md-nav--primary"'


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def seed_lines() -> list[str]:
    return [line.strip() for line in read(SEED_REPORT).splitlines() if line.strip()]


def between(lines: list[str], start: str, end: str) -> list[str]:
    return lines[lines.index(start):lines.index(end)]


def report_lines(site) -> list[str]:
    return article_text(site / "report/index.html").splitlines()


def test_report_reproduces_the_seed(sample_site):
    lines = report_lines(sample_site)
    seed = seed_lines()
    # Section 三, every problem with its text, measures and status sentence, in order.
    ours = between(lines, "三、巡察整改落实情况", "四、下一步工作打算")
    assert squeeze("".join(ours)) == squeeze("".join(between(seed, "三、巡察整改落实情况", "四、下一步工作打算")))
    assert [line.split(".")[0] for line in ours if re.match(r"\d+\.", line)] == [str(n) for n in range(1, 18)]
    # Section 二's sentence, line for line.
    assert lines[lines.index("二、集中整改总体情况") + 1] == seed[seed.index("二、集中整改总体情况") + 1]
    # And the whole seed, preamble to the end of 四, in one piece.
    assert squeeze("".join(seed)) in squeeze("".join(lines))


def test_report_frame_title_signature_and_traceability(sample_site):
    lines = report_lines(sample_site)
    title = lines.index("区应急管理局党委关于巡察集中整改进展情况的报告")
    assert lines[title + 1].startswith("按照区委统一部署")
    end = lines.index("附件：整改台账")
    assert lines[end + 1:end + 3] == ["中共区应急管理局委员会", "2023年6月30日"]
    # The test copy is not a git checkout, and says so instead of inventing a version.
    assert lines[end + 3] == "本报告根据整改台账自动生成，数据截至2023年6月30日（非 Git 仓库构建，无版本号）。"
    annex = lines.index("附件", end)
    assert lines[annex + 1] == "整改台账"


def test_annex_table_lists_every_problem(sample_site):
    html = read(sample_site / "report/index.html")
    table = html[html.index('<table class="gw-table">'):html.index("</table>")]
    rows = [re.findall(r"<t[hd]>(.*?)</t[hd]>", row) for row in re.findall(r"<tr>(.*?)</tr>", table)]
    assert rows[0] == ["序号", "问题方面", "问题", "责任部门", "责任领导", "整改时限", "完成时间", "整改状态"]
    assert [r[0] for r in rows[1:]] == [str(n) for n in range(1, 18)]
    assert rows[15] == ["15", "巡察整改落实", "党支部分工不明确", "局党支部", "分管党务工作副局长",
                        "2023年6月30日", "2023年6月16日", "已完成"]


def test_report_is_in_the_nav_and_its_narrative_in_search(sample_site):
    html = read(sample_site / "documents" / "index.html")  # its section open (navigation.prune)
    nav = html[html.index(NAV_START):]
    assert nav.index("首页") < nav.index("整改方案") < nav.index("整改报告") < nav.index("问题清单")
    report = {url: text for url, _, text in search_entries(sample_site)}["report/"]
    assert "局党委书记高度重视巡察反馈意见" in report  # the narrative
    assert "整改情况：局党委以问题为导向" not in report  # the problems: on their own pages


def test_print_styles_apply_to_the_report_page_only(sample_site):
    report = read(sample_site / "report/index.html")
    assert re.search(r'<body class="ledger-report-page"', report)
    assert 'class="gw-report"' in report and 'class="gw-title"' in report
    for other in ("index.html", "list/index.html", "problems/1/index.html"):
        assert "ledger-report-page" not in read(sample_site / other), other
    css = read(sample_site / "assets/css/report.css")
    # Every rule of the print layout is tied to the report: its body class,
    # its wrapper, or a named page that only the report uses.
    assert "@page gongwen" in css and not re.search(r"@page\s*[{:]", css)
    # Justified text with negative letter-spacing breaks copying from the PDF.
    assert "justify" not in re.sub(r"/\*.*?\*/", "", css, flags=re.S)


def test_status_change_shows_in_the_report(repo_copy):
    path = next((repo_copy / "issues").glob("01-*.md"))
    text = read(path)
    path.write_text(text.replace("status: 已完成", "status: 整改中").replace("completed: 2023-03-20\n", ""),
                    encoding="utf-8")
    result = mkdocs_build(repo_copy)
    assert result.returncode == 0, result.stderr
    lines = report_lines(repo_copy / "site")
    summary = lines[lines.index("二、集中整改总体情况") + 1]
    assert summary.endswith("目前，已完成整改16项，正在整改1项，整改完成率94.1%。")
    assert "全部整改完毕" not in summary
    first = lines.index("1.思想政治学习不到位。" + text.split("## 问题描述\n\n")[1].split("\n")[0])
    sentences = [line for line in lines[first:] if line.startswith("目前，")]
    assert sentences[0] == "目前，此项问题正在整改中。"
    assert sentences[1] == "目前，此项问题已经整改完毕。"  # problem 2 unchanged
