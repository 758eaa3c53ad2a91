"""The three lists on a built site: problem 11 of the sample split into three measures."""

from __future__ import annotations

import csv
import io

import pytest

from conftest import REPO, copy_repo, ledger_cli, mkdocs_build, read

MEASURES_11 = """\
measures:
  - text: 重新健全完善“三会一课”制度
    person: 张*
    status: 已完成
    completed: 2023-02-10
    evidence: [“三会一课”制度]
  - text: 会议记录本细化分类、专本专用
    person: 李*
    deadline: 2023-02-28
    status: 已完成
    completed: 2023-02-20
  - text: 提高民主生活会和组织生活会质量
    owner: 办公室
    person: 王*
    status: 整改中
"""


def with_measures(repo, status: str):
    """Problem 11 with three measures (two done, one 整改中), in ``status``."""
    path = next((repo / "issues").glob("11-*.md"))
    text = read(path)
    head = "status: 已完成\n" if status == "已完成" else f"status: {status}\n"
    text = text.replace("status: 已完成\n", head)
    if status != "已完成":
        text = text.replace("completed: 2023-02-24\n", "").replace("status_note: 目前，此项已经整改完毕。\n", "")
    text = text.replace("---\n\n## 问题描述", MEASURES_11 + "---\n\n## 问题描述", 1)
    path.write_text(text, encoding="utf-8")
    return path


def validate(repo):
    return ledger_cli("--ledger", repo / "issues", "validate", cwd=repo)


@pytest.fixture(scope="module")
def measured_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("measures")
    repo = copy_repo(root / "repo")
    with_measures(repo, "整改中")
    result = mkdocs_build(repo, root / "site")
    assert result.returncode == 0, result.stderr
    return root / "site"


def test_done_problem_with_an_open_measure_fails_validate(tmp_path):
    repo = copy_repo(tmp_path / "repo")
    path = with_measures(repo, "已完成")
    result = validate(repo)
    assert result.returncode != 0
    assert f"issues/{path.name}:5: status: 问题状态为“已完成”，但第3项整改措施“提高民主生活会和组织生活会质量”仍为“整改中”" in result.stdout + result.stderr
    assert "Traceback" not in result.stderr


def test_task_list_lists_every_measure_with_its_person(measured_site):
    html = read(measured_site / "tasks" / "index.html")
    for text, person in (("重新健全完善“三会一课”制度", "张*"), ("会议记录本细化分类、专本专用", "李*"),
                         ("提高民主生活会和组织生活会质量", "王*")):
        assert text in html and f"<td>{person}</td>" in html
    assert 'href="../problems/11/"' in html and "ledger-sortable" in html
    assert "3 项整改措施，分属 1 个问题：已完成 2 项，截至 2023-06-30 逾期 1 项" in html
    assert "ledger-row-overdue" in html  # the third measure's deadline is the problem's, 2023-03-31


def test_owner_pages_show_problems_led_and_measures_owned(measured_site):
    party = read(measured_site / "owners" / "局党支部" / "index.html")
    assert "负责的整改措施" in party and "牵头的问题" in party
    assert "重新健全完善“三会一课”制度" in party and "会议记录本细化分类、专本专用" in party
    assert "提高民主生活会和组织生活会质量" not in party  # owned by 办公室
    office = read(measured_site / "owners" / "办公室" / "index.html")
    assert "提高民主生活会和组织生活会质量" in office


def test_dashboard_and_problem_page_show_the_measures(measured_site):
    html = read(measured_site / "index.html")
    assert '<span class="ledger-kpi-value">3</span><span class="ledger-kpi-label">整改措施</span>' in html
    assert '<span class="ledger-kpi-value">2/3</span><span class="ledger-kpi-label">措施已完成</span>' in html
    assert '<span class="ledger-kpi-value">1</span><span class="ledger-kpi-label">逾期措施</span>' in html
    assert "## 逾期措施" not in html and "有 1 项整改措施超过时限仍未完成" in html
    page = read(measured_site / "problems" / "11" / "index.html")
    assert "整改措施" in page and "“三会一课”制度" in page and "2023-02-20" in page


def test_sample_without_measures_has_an_explanatory_task_list(sample_site):
    html = read(sample_site / "tasks" / "index.html")
    assert "还没有分解为整改措施" in html
    assert "整改措施</span>" not in read(sample_site / "index.html")


def test_xlsx_writes_one_row_per_measure_with_merged_problem_cells(tmp_path):
    import openpyxl

    from ledgerlib import aggregate, load_ledger
    from ledgerlib.export import (
        COLUMNS,
        EVIDENCE_FILES_COLUMN,
        MEASURE_COLUMNS,
        STATUS_NOTE_COLUMN,
        TITLE_COLUMN,
        to_csv,
    )
    from ledgerlib.export_xlsx import to_xlsx

    repo = copy_repo(tmp_path / "repo")
    with_measures(repo, "整改中")
    ledger = load_ledger(repo / "issues")
    path = tmp_path / "台账.xlsx"
    path.write_bytes(to_xlsx(ledger, aggregate.standing(ledger)))
    sheet = openpyxl.load_workbook(path).active
    header = [c.value for c in sheet[3]]
    assert header == [*COLUMNS, *MEASURE_COLUMNS, TITLE_COLUMN, STATUS_NOTE_COLUMN, EVIDENCE_FILES_COLUMN]
    assert str(sheet.page_setup.paperSize) == sheet.PAPERSIZE_A3  # wider than A4 at 100 %: printed on A3
    data = list(sheet.iter_rows(min_row=4, values_only=True))
    assert len(data) == 19
    first = next(n for n, values in enumerate(data, start=4) if values[0] == 11)
    rows_11 = [first, first + 1, first + 2]
    assert data[first - 4 + 3][0] == 12  # the next problem follows its three rows
    first, last = rows_11[0], rows_11[-1]
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert f"A{first}:A{last}" in merged and f"C{first}:C{last}" in merged  # 序号, 问题描述
    assert not any(r.startswith("K") for r in merged)  # measure cells are their own
    measure_texts = [sheet.cell(row=r, column=len(COLUMNS) + 1).value for r in rows_11]
    assert measure_texts == ["重新健全完善“三会一课”制度", "会议记录本细化分类、专本专用", "提高民主生活会和组织生活会质量"]
    assert [sheet.cell(row=r, column=len(COLUMNS) + 3).value for r in rows_11] == ["张*", "李*", "王*"]
    problem_text = sheet.cell(row=first, column=3).value
    assert problem_text.startswith("党内政治生活不严肃。落实“三会一课”制度不到位")
    heights = sum(sheet.row_dimensions[r].height for r in rows_11)
    assert heights >= 15 * (len(problem_text) * 2 // 47)  # the merged text fits its rows
    # Other problems keep one row, with empty measure cells; CSV repeats the problem's cells.
    assert sum(1 for values in data if values[0] == 1) == 1
    csv_rows = list(csv.reader(io.StringIO(to_csv(ledger).decode("utf-8-sig"))))
    assert len(csv_rows) == 20 and [r[0] for r in csv_rows].count("11") == 3


def test_sample_xlsx_keeps_its_layout(tmp_path):
    import openpyxl

    from ledgerlib import aggregate, load_ledger
    from ledgerlib.export import COLUMNS, EVIDENCE_FILES_COLUMN, STATUS_NOTE_COLUMN, TITLE_COLUMN
    from ledgerlib.export_xlsx import to_xlsx

    path = tmp_path / "台账.xlsx"
    sample = load_ledger(REPO / "issues")
    path.write_bytes(to_xlsx(sample, aggregate.standing(sample)))
    sheet = openpyxl.load_workbook(path).active
    assert [c.value for c in sheet[3]] == [*COLUMNS, TITLE_COLUMN, STATUS_NOTE_COLUMN, EVIDENCE_FILES_COLUMN]
    assert sheet.max_row - 3 == 17 and len(sheet.merged_cells.ranges) == 2  # the title rows only


def commit_all(repo, message, when):
    from git_fixtures import git

    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message, when=when)


def test_a_committed_deadline_move_shows_as_an_extension(tmp_path):
    from git_fixtures import git

    repo = copy_repo(tmp_path / "repo")
    git(repo, "init", "-q")
    commit_all(repo, "台账", "2023-02-01T10:00:00+08:00")
    path = next((repo / "issues").glob("07-*.md"))
    path.write_text(read(path).replace("deadline: 2023-03-31", "deadline: 2023-06-30"), encoding="utf-8")
    commit_all(repo, "问题7申请延期", "2023-03-25T10:00:00+08:00")
    site = tmp_path / "site"
    result = mkdocs_build(repo, site)
    assert result.returncode == 0, result.stderr
    page = read(site / "problems" / "7" / "index.html")
    assert "整改时限由 2023-03-31 延至 2023-06-30（2023-03-25）" in page
    dashboard = read(site / "index.html")
    assert '<span class="ledger-kpi-value">1</span><span class="ledger-kpi-label">延期问题</span>' in dashboard
    assert "延至" not in read(site / "problems" / "6" / "index.html")


def test_signoff_shows_on_the_page_and_codeowners_gives_it_to_the_inspection_office(tmp_path):
    repo = copy_repo(tmp_path / "repo")
    (repo / "issues" / "signoff.yml").write_text(
        "# 销号登记表：由巡察办在合并请求中添加\n- {id: 1, by: 区委巡察办, date: 2023-04-10, note: 经审核同意销号}\n",
        encoding="utf-8")
    ledger_yml = repo / "issues" / "ledger.yml"
    ledger_yml.write_text(read(ledger_yml).replace('  "*": [zhenggaiban]\n', '  "*": [zhenggaiban]\n  销号: [xunchaban.zhao]\n'),
                          encoding="utf-8")
    site = tmp_path / "site"
    result = mkdocs_build(repo, site)
    assert result.returncode == 0, result.stderr
    page = read(site / "problems" / "1" / "index.html")
    assert '<span class="ledger-signoff">已销号</span>（区委巡察办，2023-04-10） 经审核同意销号' in page
    assert "已销号" not in read(site / "problems" / "2" / "index.html")
    assert '<span class="ledger-kpi-value">1/17</span><span class="ledger-kpi-label">已销号</span>' in read(site / "index.html")
    assert "已销号 1 个" in read(site / "list" / "index.html")
    out = ledger_cli("--ledger", repo / "issues", "codeowners", "--out", tmp_path / "CODEOWNERS")
    assert out.returncode == 0, out.stderr
    lines = read(tmp_path / "CODEOWNERS").splitlines()
    assert lines[-1] == "/issues/signoff.yml @xunchaban.zhao"
    assert "销号" not in out.stderr  # 销号 is not taken for a department name
    # Problem 2 is done but has no evidence: its sign-off is refused, naming the register.
    (repo / "issues" / "signoff.yml").write_text("- {id: 2, by: 区委巡察办, date: 2023-04-10}\n", encoding="utf-8")
    result = validate(repo)
    assert result.returncode == 1
    assert "issues/signoff.yml:1: id: 问题 2“学与做统筹兼顾不到位”没有佐证材料，不能销号" in result.stdout + result.stderr


def test_immediate_and_results_on_dashboard_report_and_xlsx(tmp_path):
    import openpyxl

    from ledgerlib import aggregate, load_ledger
    from ledgerlib.export_xlsx import to_xlsx

    repo = copy_repo(tmp_path / "repo")
    ledger_yml = repo / "issues" / "ledger.yml"
    ledger_yml.write_text(read(ledger_yml) + "\nresults:\n  - {key: rules, label: 制定完善制度, unit: 项}\n"
                          "  - {key: funds, label: 追缴资金, unit: 万元}\n", encoding="utf-8")
    for pattern, extra in (("01-*.md", "immediate: true\nresults: {rules: 2, funds: 1.5}\n"),
                           ("04-*.md", "results:\n  rules: 1\n  funds: 5.632\n")):
        path = next((repo / "issues").glob(pattern))
        path.write_text(read(path).replace("---\n\n## 问题描述", extra + "---\n\n## 问题描述", 1), encoding="utf-8")
    site = tmp_path / "site"
    result = mkdocs_build(repo, site)
    assert result.returncode == 0, result.stderr
    dashboard = read(site / "index.html")
    assert '<span class="ledger-kpi-value">1</span><span class="ledger-kpi-label">立行立改</span>' in dashboard
    assert "<td>制定完善制度</td><td>3</td><td>项</td>" in dashboard
    assert "<td>追缴资金</td><td>7.132</td><td>万元</td>" in dashboard
    report = read(site / "report" / "index.html")
    assert "其中立行立改1项。" in report and "通过整改，制定完善制度3项、追缴资金7.132万元。" in report
    assert "制定完善制度2项、追缴资金1.5万元" in read(site / "problems" / "1" / "index.html")
    path = tmp_path / "台账.xlsx"
    ledger = load_ledger(repo / "issues")
    path.write_bytes(to_xlsx(ledger, aggregate.standing(ledger)))
    sheet = openpyxl.load_workbook(path).active
    header = [c.value for c in sheet[3]]
    shown = header[:header.index("问题标题")]  # the hidden columns follow
    assert shown[-3:] == ["制定完善制度（项）", "追缴资金（万元）", "立行立改"]
    first = [c.value for c in sheet[4]]
    assert first[0] == 1 and first[len(shown) - 3:len(shown)] == [2, 1.5, "是"]
    assert "整改成效：制定完善制度3项、追缴资金7.132万元" in sheet["A2"].value


def test_a_measures_deadline_move_shows_on_the_task_list(tmp_path):
    from git_fixtures import git

    repo = copy_repo(tmp_path / "repo")
    path = with_measures(repo, "整改中")
    git(repo, "init", "-q")
    commit_all(repo, "分解措施", "2023-02-01T10:00:00+08:00")
    path.write_text(read(path).replace("deadline: 2023-02-28", "deadline: 2023-04-30"), encoding="utf-8")
    commit_all(repo, "措施2延期", "2023-02-25T10:00:00+08:00")
    site = tmp_path / "site"
    result = mkdocs_build(repo, site)
    assert result.returncode == 0, result.stderr
    moved = "整改时限由 2023-02-28 延至 2023-04-30（2023-02-25）"
    assert moved in read(site / "tasks" / "index.html")
    assert moved in read(site / "problems" / "11" / "index.html")
    assert '<span class="ledger-kpi-value">1</span><span class="ledger-kpi-label">延期问题</span>' in read(site / "index.html")


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_export_then_import_keeps_the_measures(tmp_path, fmt):
    from ledgerlib import aggregate, export, export_xlsx, load_ledger, plaintext
    from ledgerlib.import_xlsx import import_csv, import_workbook
    from ledgerlib.ledgerwriter import write_ledger

    repo = copy_repo(tmp_path / "repo")
    with_measures(repo, "整改中")
    sample = load_ledger(repo / "issues")
    source = tmp_path / f"台账.{fmt}"
    source.write_bytes(export_xlsx.to_xlsx(sample, aggregate.standing(sample)) if fmt == "xlsx" else export.to_csv(sample))
    result = import_workbook(source) if fmt == "xlsx" else import_csv(source)
    write_ledger(result, tmp_path / "issues")
    ledger = load_ledger(tmp_path / "issues")

    def fields(led):
        return {i.id: (i.title, i.status.label, i.owners, i.leader, i.deadline, i.completed,
                       [e.name for e in i.evidence], plaintext.paragraphs(i.problem), plaintext.paragraphs(i.measures),
                       [(m.text, m.owners, m.person, m.deadline, m.status.label, m.completed, [e.name for e in m.evidence])
                        for m in i.tasks]) for i in led.issues}

    assert fields(ledger) == fields(sample)
    assert len(ledger.issues[10].tasks) == 3 and result.unplaced == []


def test_plan_task_list_has_a_row_per_measure(tmp_path):
    from ledgerlib import load_ledger
    from ledgerlib.aggregate import standing
    from ledgerlib.report import build_report

    repo = copy_repo(tmp_path / "repo")
    with_measures(repo, "整改中")
    ledger = load_ledger(repo / "issues")
    plan = build_report(ledger, standing(ledger), kind="plan")
    tasks = next(a for a in plan.annexes if a.title == "任务清单")
    rows = {row[0]: row for row in tasks.rows}
    assert "11" not in rows and len(tasks.rows) == 16 + 3
    assert rows["11-3"][2:] == ("提高民主生活会和组织生活会质量", "办公室", "分管党务工作副局长", "王*", "2023年3月31日")
    assert rows["12"][0] == "12"  # a problem without measures keeps its one row
