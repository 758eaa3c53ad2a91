"""The report's document model (ledgerlib.report), checked against the seed report."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess

import pytest

from conftest import REPO, SEED_REPORT, read
from ledger_fixtures import LEDGER_YML, issue_text, report_of, write_ledger
from ledgerlib import load_ledger, plaintext
from ledgerlib.gitrun import git_commit, git_dirty
from ledgerlib.report import narrative
from ledgerlib.reportdoc import Heading, Paragraph, ProblemBlock

BUILD_DAY = dt.date(2024, 1, 1)


def seed_lines() -> list[str]:
    return [line.strip() for line in read(SEED_REPORT).splitlines() if line.strip()]


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def seed_section(lines: list[str], start: str, end: str | None) -> list[str]:
    first = lines.index(start)
    last = lines.index(end) if end else len(lines)
    return lines[first:last]


@pytest.fixture(scope="module")
def sample_doc():
    return report_of(load_ledger(REPO / "issues", today=BUILD_DAY), BUILD_DAY, commit="abc1234")


def edited_sample(tmp_path, file_name: str, edit):
    """The sample report after editing one file of a copy of the ledger."""
    folder = tmp_path / "issues"
    shutil.copytree(REPO / "issues", folder)
    shutil.copytree(REPO / "docs", tmp_path / "docs")  # narrative and evidence files
    path = folder / file_name
    path.write_text(edit(read(path)), encoding="utf-8")
    return report_of(load_ledger(folder, today=BUILD_DAY), BUILD_DAY)


def test_whole_body_reproduces_the_seed_whitespace_normalised(sample_doc):
    # Preamble, 一 to 四: every character of the seed, in order.
    assert squeeze("".join(sample_doc.body_lines())) == squeeze("".join(seed_lines()))


def test_section_three_lines_match_the_seed(sample_doc):
    seed = seed_section(seed_lines(), "三、巡察整改落实情况", "四、下一步工作打算")
    ours = [sample_doc.section("problems").heading.full] + [p.full for p in sample_doc.section("problems").paragraphs()]
    assert squeeze("".join(ours)) == squeeze("".join(seed))
    # Line for line, except that seed problem 6 runs its status sentence on
    # in the measures paragraph, where the report gives it its own line.
    six = ours.index("此项问题已经整改完毕。")
    assert ours[:six - 1] == seed[:six - 1]
    assert ours[six - 1] + ours[six] == seed[six - 1]
    assert ours[six + 1:] == seed[six:]


def test_section_two_is_the_seeds_sentence(sample_doc):
    seed = seed_lines()
    expected = seed[seed.index("二、集中整改总体情况") + 1]
    assert sample_doc.summary == expected
    assert [p.full for p in sample_doc.section("summary").paragraphs()] == [expected]
    assert "共有4个方面17项问题" in expected and expected.endswith("目前，17项问题已全部整改完毕。")


def test_problems_are_numbered_in_order_under_their_categories(sample_doc):
    blocks = sample_doc.section("problems").blocks
    problems = [b for b in blocks if isinstance(b, ProblemBlock)]
    assert [p.number for p in problems] == [f"{n}." for n in range(1, 18)]
    assert [p.issue_id for p in problems] == list(range(1, 18))
    headings = [b.full for b in blocks if isinstance(b, Heading)]
    assert headings == ["（一）聚焦党中央各项决策部署在基层的落实情况",
                        "（二）聚焦群众身边腐败问题和不正之风以及群众反映强烈的问题",
                        "（三）聚焦基层党组织建设", "（四）落实巡视巡察整改情况"]
    assert [s.heading.full for s in sample_doc.sections] == [
        "一、主要负责人组织落实巡察整改情况", "二、集中整改总体情况", "三、巡察整改落实情况", "四、下一步工作打算"]


def test_problem_paragraph_rules(sample_doc):
    problems = {b.issue_id: b for b in sample_doc.section("problems").blocks if isinstance(b, ProblemBlock)}
    first = problems[1].paragraphs()
    assert first[0].lead == Heading(3, "1.", "思想政治学习不到位。")
    assert first[1].text.startswith("整改情况：局党委以问题为导向")
    assert first[-1] == Paragraph("目前，此项问题已整改完毕。", role="status")
    # The whole problem text is the heading: printed once, with its own punctuation.
    assert problems[15].paragraphs()[0].full == "15.党支部分工不明确；"
    # Redaction asterisks are escaped in Markdown and must print as *.
    assert "《中共*区应急局党支部选举办法》，会议拟定新一届支委会设委员3名，*1名" in problems[15].measures[0]


def test_problem_block_with_several_paragraphs_or_no_measures():
    block = ProblemBlock("3.", 3, "台账不全", ("台账缺2021年度。", "记录簿缺页。"), ("一是补齐台账。", "二是建立制度。"),
                         "doing", "整改中", "目前，此项问题正在整改中。", False)
    assert [p.full for p in block.paragraphs()] == [
        "3.台账不全。台账缺2021年度。", "记录簿缺页。", "整改情况：一是补齐台账。", "二是建立制度。",
        "目前，此项问题正在整改中。"]
    # Not started: no measures yet, so no empty "整改情况：" line.
    todo = ProblemBlock("4.", 4, "制度缺失？", ("制度缺失？尚无制度。",), (), "todo", "未启动", "目前，此项问题尚未启动整改。", False)
    assert [p.full for p in todo.paragraphs()] == ["4.制度缺失？尚无制度。", "目前，此项问题尚未启动整改。"]


def test_narrative_run_in_headings(sample_doc):
    body = list(sample_doc.section("narrative").paragraphs())
    assert body[0].lead is None and body[0].text.startswith("局党委书记高度重视巡察反馈意见")
    assert [p.lead.full for p in body[1:]] == ["（一）召开专题会议研究部署巡察整改工作。",
                                               "（二）召开专题民主生活会反思巡察反馈问题。",
                                               "（三）成立领导机构，加强组织领导。"]
    assert body[1].text.startswith("1月18日，区委第一巡察组") and "局长*当场表态" in body[1].text


def test_signature_cutoff_commit_and_annex(sample_doc):
    assert sample_doc.title == "区应急管理局党委关于巡察集中整改进展情况的报告"
    assert (sample_doc.signature_unit, sample_doc.signature_date_text) == ("中共区应急管理局委员会", "2023年6月30日")
    assert sample_doc.cutoff_text == "2023年6月30日" and sample_doc.cutoff_from_ledger
    assert "数据截至2023年6月30日" in sample_doc.trace_note and "abc1234" in sample_doc.trace_note
    assert sample_doc.annex_lines == ["附件：整改台账"]
    rows = sample_doc.annex.rows
    assert len(rows) == 17 and rows[14][:3] == ("15", "巡察整改落实", "党支部分工不明确")
    assert rows[0][5:] == ("2023年3月31日", "2023年3月20日", "已完成")  # the report's one date style


def test_one_problem_back_to_in_progress(tmp_path):
    def reopen(text):
        return text.replace("status: 已完成", "status: 整改中").replace("completed: 2023-03-20\n", "")

    doc = edited_sample(tmp_path, "01-思想政治学习不到位.md", reopen)
    assert doc.summary.endswith("目前，已完成整改16项，正在整改1项，整改完成率94.1%。")
    assert "全部整改完毕" not in doc.summary
    first = next(b for b in doc.section("problems").blocks if isinstance(b, ProblemBlock))
    assert first.paragraphs()[-1].text == "目前，此项问题正在整改中。"
    assert doc.annex.rows[0][6:] == ("", "整改中")


def test_wording_comes_from_ledger_yml(tmp_path):
    def reword(text):
        return text.replace("all_done: 目前，{total}项问题已全部整改完毕。",
                            "all_done: 截至目前，{done}项问题均已完成整改，完成率{rate}。")

    doc = edited_sample(tmp_path, "ledger.yml", reword)
    assert doc.summary.endswith("截至目前，17项问题均已完成整改，完成率100%。")


def test_per_category_numbering_defaults_and_empty_categories(tmp_path):
    # Category 党建 has problems 1 and 3, 整改 has 2; a third category has none.
    yml = LEDGER_YML.replace("cutoff_date: 2023-06-30\n", "") + (
        "  - name: 空方面\n    short: 空\n"
        "report:\n  numbering: per_category\n  annex: false\n")
    folder = write_ledger(tmp_path, {
        "01-a.md": issue_text(1),
        "02-b.md": issue_text(2, "已完成", "completed: 2023-03-01\n").replace("category: 党建", "category: 整改"),
        "03-c.md": issue_text(3, "长期坚持"),
    }, ledger_yml=yml)
    doc = report_of(load_ledger(folder, today=BUILD_DAY), BUILD_DAY)
    # Without sections in ledger.yml the report still has the two generated ones.
    assert [s.heading.full for s in doc.sections] == ["一、集中整改总体情况", "二、巡察整改落实情况"]
    assert [b.full for b in doc.section("problems").blocks if isinstance(b, Heading)] == [
        "（一）聚焦基层党组织建设", "（二）落实巡察整改情况"]
    assert doc.summary == ("根据区委第一巡察组反馈意见，经细化分解，共有2个方面3项问题，"
                           "具体包括“聚焦基层党组织建设”方面2项、“落实巡察整改情况”方面1项。"
                           "目前，已完成整改1项，正在整改1项，需长期坚持1项，整改完成率33.3%。")
    # No cutoff_date in ledger.yml: the build date is the cut-off and the signature date.
    assert doc.cutoff_date == BUILD_DAY and not doc.cutoff_from_ledger
    assert doc.signature_date_text == "2024年1月1日" and doc.signature_unit == "测试单位党委"
    assert doc.annex is None


def test_per_category_numbering_restarts(tmp_path):
    yml = LEDGER_YML + (
        "report:\n  sections:\n    - title: 整改情况\n      generate: problems\n  numbering: per_category\n")
    folder = write_ledger(tmp_path, {
        "01-a.md": issue_text(1),
        "02-b.md": issue_text(2).replace("category: 党建", "category: 整改"),
        "03-c.md": issue_text(3),
    }, ledger_yml=yml)
    doc = report_of(load_ledger(folder, today=BUILD_DAY), BUILD_DAY)
    lines = [p.full for p in doc.section("problems").paragraphs() if not isinstance(p, Paragraph) or p.lead]
    assert lines == ["（一）聚焦基层党组织建设", "1.问题1。问题1的描述。", "2.问题3。问题3的描述。",
                     "（二）落实巡察整改情况", "1.问题2。问题2的描述。"]
    assert doc.sections[0].heading.full == "一、整改情况"


def test_narrative_numbering_levels_and_markup():
    doc = narrative(
        "开头一段，\n接着一行。\n\n## 第一件事\n\n内容甲，**加粗**和[链接](x.md)只留文字。\n\n"
        "### 细项\n\n细项内容\\*。\n\n### 2. 又一细项\n\n1. 甲\n2. 乙\n\n## 第二件事。\n\n## （三）第三件事\n")
    assert [(p.full if isinstance(p, Paragraph) else ("H", p.full)) for p in doc] == [
        "开头一段，接着一行。",
        "（一）第一件事。内容甲，**加粗**和链接只留文字。",  # "*" is a character: no emphasis
        "1.细项。细项内容*。",
        "2.又一细项。（1）甲",  # "2. " typed by habit is not printed twice
        "（2）乙",
        ("H", "（二）第二件事。"),
        ("H", "（三）第三件事"),  # standing alone: no full stop added, typed number dropped
    ]


def test_plaintext_blocks():
    assert plaintext.paragraphs("第一段\n续行\n\n第二段") == ["第一段续行", "第二段"]
    assert plaintext.paragraphs("Mixed line\nwraps here") == ["Mixed line wraps here"]
    assert plaintext.paragraphs("a &amp; b <script>x()</script>") == ["a & b"]
    assert plaintext.paragraphs("") == []


def test_git_commit(tmp_path):
    assert git_commit(tmp_path) is None
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / "a").write_text("x")
    subprocess.run(["git", "-C", str(tmp_path), "add", "a"], check=True)
    subprocess.run(["git", "-C", str(tmp_path), "-c", "user.name=t", "-c", "user.email=t@t",
                    "commit", "-q", "-m", "x"], check=True)
    full = subprocess.run(["git", "-C", str(tmp_path), "rev-parse", "HEAD"], capture_output=True, text=True).stdout
    short = git_commit(tmp_path)
    assert short and full.startswith(short) and len(short) >= 7
    assert not git_dirty(tmp_path, (tmp_path,))
    (tmp_path / "a").write_text("changed")
    assert git_dirty(tmp_path, (tmp_path,))
    (tmp_path / "sub").mkdir()
    assert not git_dirty(tmp_path, (tmp_path / "sub",))
    (tmp_path / "sub" / "new.md").write_text("new")  # an added problem file counts too
    assert git_dirty(tmp_path, (tmp_path / "sub",))


def test_trace_note_says_what_the_figures_come_from(tmp_path):
    ledger = load_ledger(REPO / "issues", today=BUILD_DAY)
    assert "（版本 abc1234）" in report_of(ledger, BUILD_DAY, commit="abc1234").trace_note
    assert "（版本 abc1234，另有未提交的修改）" in report_of(ledger, BUILD_DAY, commit="abc1234", dirty=True).trace_note
    assert "（非 Git 仓库构建，无版本号）" in report_of(ledger, BUILD_DAY, dirty=True).trace_note
