"""The smaller points of issue 21, each checked on its own: the genre's
rules (title lines, nested quotes, the plan's lists, slots), one date reader,
spacing before full-width punctuation, the workbook's header, a quiet build,
and the Makefile's setup, test and init targets."""

from __future__ import annotations

import dataclasses
import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from conftest import REPO, copy_repo, ledger_cli, mkdocs_build, read
from git_fixtures import git
from ledgerlib import aggregate, export_xlsx, gbt9704, genre, load_ledger
from ledgerlib.aggregate import standing
from ledgerlib.docslots import committee_of, faults
from ledgerlib.fields import parse_date
from ledgerlib.model import ResultKind
from ledgerlib.report import build_report

# -- title lines (GB/T 9704 7.3.3) ------------------------------------------------------

TITLES = (
    ("县市场监督管理局党组关于巡察整改情况的通报", ("县市场监督管理局党组", "县委")),
    ("县市场监督管理局党组关于十五届县委第五轮巡察集中整改进展情况的报告",
     ("县市场监督管理局党组", "县委", "十五届县委第五轮巡察")),
    ("中共县市场监督管理局党组关于落实县委第三巡察组巡察反馈意见的整改方案",
     ("县市场监督管理局党组", "县委", "县委第三巡察组")),
    ("区应急管理局党委关于巡察集中整改进展情况的报告", ("区应急管理局党委", "区委")),
)


@pytest.mark.parametrize(("title", "names"), TITLES)
def test_title_lines_keep_words_whole_balanced_and_never_short(title, names):
    lines = gbt9704.title_lines(title, names)
    assert "".join(lines) == title and len(lines) > 1
    assert min(map(len, lines)) >= gbt9704.MIN_TITLE_LINE and max(map(len, lines)) <= gbt9704.TITLE_CHARS_PER_LINE
    offsets = {sum(map(len, lines[:n])) for n in range(1, len(lines))}
    for word in (*gbt9704.TITLE_WORDS, *names):
        for m in re.finditer(re.escape(word), title):
            assert not any(m.start() < cut < m.end() for cut in offsets), (word, lines)
    assert max(map(len, lines)) - min(map(len, lines)) <= 10


def test_a_short_title_is_one_line():
    assert gbt9704.title_lines("关于巡察整改情况的通报") == ("关于巡察整改情况的通报",)


# -- quotes, committee, faults ---------------------------------------------------------------


def test_quotes_nest_single_inside_double():
    assert genre.nest_quotes("关于““三重一大”决策制度执行不严格”问题的整改") == "关于“‘三重一大’决策制度执行不严格”问题的整改"
    assert genre.nest_quotes("“a“b“c”b”a”") == "“a‘b“c”b’a”"
    assert genre.nest_quotes("没有引号”的文字") == "没有引号”的文字"  # a stray closing mark stays as typed


@pytest.mark.parametrize(("group", "committee"), [("县委第三巡察组", "县委"), ("区委第一巡察组", "区委"),
                                                  ("市委巡察组", "市委"), ("第三巡察组", "")])
def test_committee_comes_from_a_plain_group_name(group, committee):
    assert committee_of(group) == committee


def test_faults_find_doubled_punctuation_and_empty_quotes():
    assert faults(["根据县委统一部署，，县委第三巡察组"]) and faults(["巡察。，向"]) and faults(["关于“”问题"])
    assert faults(["根据县委统一部署，2025年3月，县委第三巡察组对……进行了巡察。"]) == []


def test_an_empty_period_is_marked_on_the_page_and_named_when_produced(tmp_path):
    repo = copy_repo(tmp_path / "repo")
    yml = repo / "issues" / "ledger.yml"
    yml.write_text(re.sub(r"^period: .*$", 'period: ""', read(yml), flags=re.M), encoding="utf-8")
    ledger = load_ledger(repo / "issues")
    notice = build_report(ledger, standing(ledger), kind="notice")
    assert [s.key for s in notice.blank] == ["period"]
    assert "，，" not in "".join(notice.body_lines()) and "【未填写：巡察时间】" in notice.body_lines()[0]
    made = ledger_cli("--ledger", repo / "issues", "export", "--doc", "notice", "--out", tmp_path / "n.docx", cwd=repo)
    assert made.returncode == 1 and "ledger.yml: period: 巡察时间未填写" in made.stderr
    assert not (tmp_path / "n.docx").exists()


# -- the plan's lists ----------------------------------------------------------------------


def test_a_task_without_measures_is_its_measure_never_a_progress_sentence():
    progress = "6月9日，局党组向县委宣传部报送了整改报告。"
    assert genre.planned_measure("学习不到位", [progress, "建立理论学习制度。", "完善考勤制度。"]) == \
        "建立理论学习制度。完善考勤制度。"
    assert genre.planned_measure("“三重一大”执行不严", [progress, "目前已整改完毕。"]) == \
        "针对“‘三重一大’执行不严”问题，逐项制定整改措施，抓好整改落实。"


def test_the_sample_plan_lists_persons_and_separates_leaders():
    ledger = load_ledger(REPO / "issues")
    plan = build_report(ledger, standing(ledger), kind="plan")
    tasks = next(a for a in plan.annexes if a.title == "任务清单")
    for row in tasks.rows:
        assert row[2] and not genre.is_progress(row[2]) and " " not in row[2]
        assert row[5], row  # 责任人
    owners = next(a for a in plan.annexes if a.title == "责任清单")
    leaders = {i.leader for i in ledger.issues if i.leader}
    for row in owners.rows:
        assert all(part in leaders for part in row[2].split(genre.LEADER_SEPARATOR) if part), row


# -- one date reader -------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["2025-07-10", "2025/7/10", "2025.7.10", "2025年7月10日", " 2025年7月10日 "])
def test_every_date_form_reads_alike(text):
    assert parse_date(text).isoformat() == "2025-07-10"


def test_issue_takes_a_chinese_date_like_new_deadline(tmp_path):
    repo = copy_repo(tmp_path / "repo")
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "台账", when="2025-07-01T10:00:00+08:00")
    wrong = ledger_cli("--ledger", repo / "issues", "issue", "notice", "--date", "2025年2月30日", cwd=repo)
    assert wrong.returncode == 2 and "不是真实存在的日期" in wrong.stderr
    made = ledger_cli("--ledger", repo / "issues", "issue", "notice", "--date", "2025年7月10日", cwd=repo)
    assert made.returncode == 0, made.stderr
    assert "issued/notice/2025-07-10" in git(repo, "tag", "-l")
    new = ledger_cli("--ledger", repo / "issues", "new", "新问题", "--deadline", "2025年13月1日", cwd=repo)
    assert new.returncode == 2 and "日期" in new.stderr and "2025年13月1日" in new.stderr


# -- spacing ---------------------------------------------------------------------------------


def test_a_half_width_space_before_full_width_punctuation_is_a_warning_with_its_column(tmp_path):
    repo = copy_repo(tmp_path / "repo")
    path = next((repo / "issues").glob("03-*.md"))
    lines = read(path).split("\n")
    n = next(i for i, line in enumerate(lines) if line.startswith("## 整改情况")) + 2
    lines[n] = "整改 ，已完成。"
    path.write_text("\n".join(lines), encoding="utf-8")
    result = ledger_cli("--ledger", repo / "issues", "validate", cwd=repo)
    assert result.returncode == 0, result.stderr
    assert re.search(rf"03-[^:]*\.md:{n + 1}: 正文: (警告：)?第 3 列：全角标点“，”前有半角空格", result.stdout + result.stderr)


# -- the workbook --------------------------------------------------------------------------------


def test_xlsx_header_row_is_tall_enough_for_its_longest_header():
    ledger = load_ledger(REPO / "issues")
    ledger = dataclasses.replace(ledger, results=(ResultKind("equipment", "整改特种设备隐患", "台"),))
    sheet = openpyxl.load_workbook(io.BytesIO(export_xlsx.to_xlsx(ledger, aggregate.standing(ledger)))).active
    header = export_xlsx.HEADER_ROW
    names = [c.value for c in sheet[header]]
    label = next(n for n in names if n and n.startswith("整改特种设备隐患"))
    col = names.index(label) + 1
    width = sheet.column_dimensions[openpyxl.utils.get_column_letter(col)].width
    lines = -(-(len(label) * 2) // max(1, int(width) - 1))
    assert sheet.row_dimensions[header].height >= 15 * lines
    assert sheet.cell(header, col).alignment.wrap_text


def test_readme_says_which_paper_the_workbook_uses():
    line = next(x for x in read(REPO / "README.md").splitlines() if "export --out 整改台账.xlsx" in x)
    assert "A4" in line and "A3" in line
    ledger = load_ledger(REPO / "issues")
    sample = openpyxl.load_workbook(io.BytesIO(export_xlsx.to_xlsx(ledger, aggregate.standing(ledger)))).active
    assert str(sample.page_setup.paperSize) == sample.PAPERSIZE_A4  # "9": A4


# -- a quiet build ---------------------------------------------------------------------------------


def test_a_clean_build_logs_no_link_noise(tmp_path):
    built = mkdocs_build(REPO, tmp_path / "site", quiet=False, process=True)
    assert built.returncode == 0, built.stderr
    noise = [line for line in built.stderr.splitlines() if "INFO" in line
             and not re.search(r"Cleaning site|Building documentation|Documentation built", line)]
    assert noise == []


# -- the Makefile ------------------------------------------------------------------------------------


def make_dry(target: str, venv: Path) -> str:
    result = subprocess.run(["make", "-n", "-C", str(REPO), target, f"VENV={venv}"], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_make_setup_installs_the_runtime_only_and_make_test_the_test_stack(tmp_path):
    if not shutil.which("make"):
        pytest.skip("make missing")
    setup = make_dry("setup", tmp_path / "venv")
    assert "-r requirements.txt" in setup and "requirements-dev.txt" not in setup
    test = make_dry("test", tmp_path / "venv")
    assert "-r requirements-dev.txt" in test


def test_make_init_cancelled_ends_quietly(tmp_path):
    if not shutil.which("make"):
        pytest.skip("make missing")
    repo = copy_repo(tmp_path / "repo")
    shutil.copytree(REPO / "scripts", repo / "scripts", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("Makefile", "requirements.txt"):
        shutil.copy(REPO / name, repo / name)
    venv = tmp_path / "venv"  # the running interpreter's, marked installed
    (venv / "bin").mkdir(parents=True)
    python = venv / "bin" / "python"
    python.write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n', encoding="utf-8")
    python.chmod(0o755)
    (venv / ".installed").touch()
    controller, terminal = os.openpty()
    os.write(controller, b"\x04")  # Ctrl-D at the first question
    try:
        result = subprocess.run(["make", "-C", str(repo), "init", f"VENV={venv}"], stdin=terminal,
                                capture_output=True, text=True, timeout=120)
    finally:
        os.close(terminal)
        os.close(controller)
    assert result.returncode == 0, result.stderr
    assert "已取消，未做任何修改。" in result.stderr and "Error" not in result.stderr


# -- phones ------------------------------------------------------------------------------------------

PHONE_JS = """
var dates = Array.from(document.querySelectorAll(".ledger-date")).map(function (d) { return d.getClientRects().length; });
var box = document.querySelector(".ledger-scroll, .gw-table-scroll");
var hint = box ? getComputedStyle(box, "::before").content : "";
var legend = document.querySelector(".ledger-chart-legend text");
return {dates: dates, hint: hint, legend: legend ? legend.getBoundingClientRect().height : null};
"""


def test_on_a_phone_dates_stay_whole_the_legend_is_readable_and_tables_say_they_scroll(browser, sample_site, tmp_path):
    from browser import in_page

    site = shutil.copytree(sample_site, tmp_path / "site")
    listing = in_page(browser, site / "list" / "index.html", PHONE_JS, width=390)
    assert listing["dates"] and set(listing["dates"]) == {1}, listing["dates"]
    assert "滑动" in listing["hint"]
    assert "滑动" in in_page(browser, site / "report" / "index.html", PHONE_JS, width=390)["hint"]
    dashboard = in_page(browser, site / "index.html", PHONE_JS, width=390)
    if dashboard["legend"] is not None:  # the chart needs the sample's git history
        assert dashboard["legend"] >= 10, dashboard


def test_publish_and_pdf_refuse_what_export_refuses(tmp_path):
    repo = copy_repo(tmp_path / "repo")
    yml = repo / "issues" / "ledger.yml"
    yml.write_text(re.sub(r"^period: .*$", 'period: ""', read(yml), flags=re.M), encoding="utf-8")
    path = next((repo / "issues").glob("05-*.md"))
    path.write_text(re.sub(r"^owner: .*$", "owner: 待定", read(path), count=1, flags=re.M), encoding="utf-8")
    for args in (("publish", "notice", "--out", tmp_path / "out"), ("pdf", "--doc", "notice", "--out", tmp_path / "n.pdf")):
        result = ledger_cli("--ledger", repo / "issues", *args, cwd=repo)
        assert result.returncode == 1, (args, result.stderr)
        assert "ledger.yml: period:" in result.stderr and "05-" in result.stderr and "owner: 责任部门还是“待定”" in result.stderr
    assert not (tmp_path / "out").exists() and not (tmp_path / "n.pdf").exists()
