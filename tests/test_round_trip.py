"""Export, then import, gives the same ledger: the 台账 workbook and CSV.

The 问题描述 cell holds the title run into the text as the report prints it
(genre.problem_opening), so the title cannot be told from the text where it
is followed by "，" or "；"; the export's 问题标题 column (hidden in the
workbook) tells it. Tricky titles are written here as problem files, exported,
imported (also after LibreOffice saved the workbook again) and compared field
by field, with every paragraph, the evidence names and ``follows:``."""

from __future__ import annotations

import shutil

import pytest

from conftest import REPO
from import_fixtures import libreoffice_resave
from ledger_fixtures import LEDGER_YML, write_ledger
from ledgerlib import aggregate, export, export_xlsx, load_ledger, plaintext, tablecols
from ledgerlib.genre import problem_opening
from ledgerlib.import_xlsx import import_csv, import_workbook
from ledgerlib.ledgerwriter import write_ledger as write_imported

PROBLEM = """\
---
id: {id}
title: "{title}"
category: 党建
status: 整改中
owner: 办公室
leader: 局长
deadline: 2023-03-31
{extra}---

## 问题描述

{text}

## 整改情况

召开专题会议研究整改。
"""

# id -> (title, problem text, extra front-matter)
TRICKY = {
    1: ("党支部分工不明确", "党支部分工不明确，班子成员职责交叉。", ""),  # title, then "，"
    2: ("会议记录不规范", "会议记录不规范；部分记录缺少签名。", ""),  # title, then "；"
    3: ("理论学习是否到位？", "部分干部学习笔记内容雷同。", ""),  # title ending in punctuation
    4: ("整改台账不完整", "整改台账不完整；", ""),  # title equal to the whole text
    5: ("会议", "会议纪要缺失。", ""),  # the title is only the start of a word
    6: ("财务报销审批不严", "报销单据审核把关不严。\n\n个别单据缺少经办人签字。",  # run in, two paragraphs
        "evidence:\n  - 会议纪要\n  - 会议纪要\n"),  # the same name twice, as typed
    7: ("问题整改不彻底", "问题整改不彻底，反弹回潮。", "follows: 2023-区委巡察/15\n"),
    8: ("同类问题反复出现", "同类问题在多个科室反复出现。", "follows: [2023-区委巡察/3, \"4\"]\n"),
    9: ("台账管理不规范", "台账管理不规范。部分台账缺页。", ""),  # opens with "标题。": prints as "标题。" + text
}


@pytest.fixture(scope="module")
def tricky(tmp_path_factory):
    root = tmp_path_factory.mktemp("tricky")
    files = {f"{n:02d}-p.md": PROBLEM.format(id=n, title=title, text=text, extra=extra)
             for n, (title, text, extra) in TRICKY.items()}
    return load_ledger(write_ledger(root, files, LEDGER_YML))


def everything(ledger) -> dict[int, tuple]:
    return {i.id: (i.title, i.category.name, i.status.key, i.owners, i.leader, i.deadline, i.completed,
                   plaintext.paragraphs(i.problem), plaintext.paragraphs(i.measures),
                   [e.name for e in i.evidence], [text for text, _ in i.follows]) for i in ledger.issues}


def round_trip(ledger, kind: str, folder, *, resave: bool = False):
    source = folder / f"台账.{kind}"
    source.write_bytes(export_xlsx.to_xlsx(ledger, aggregate.standing(ledger)) if kind == "xlsx" else export.to_csv(ledger))
    if resave:
        source = libreoffice_resave(source, folder)
    result = import_workbook(source) if kind == "xlsx" else import_csv(source)
    # The earlier round the problems follow is beside the ledger, as in the
    # repository exported from (else follows: becomes a comment, see below).
    (folder / "2023-区委巡察").mkdir(exist_ok=True)
    (folder / "2023-区委巡察" / "ledger.yml").write_text(LEDGER_YML, encoding="utf-8")
    write_imported(result, folder / "issues")
    return result, load_ledger(folder / "issues")


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_tricky_titles_evidence_and_follows_come_back_the_same(tmp_path, tricky, kind):
    result, ledger = round_trip(tricky, kind, tmp_path)
    assert everything(ledger) == everything(tricky)
    assert {i.id: i.title for i in ledger.issues}[1] == "党支部分工不明确"  # not "…，班子成员职责交叉"
    assert result.unplaced == [] and result.unplaced_columns == []


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_tricky_titles_survive_a_workbook_saved_again_by_libreoffice(tmp_path, tricky):
    _, ledger = round_trip(tricky, "xlsx", tmp_path, resave=True)
    assert everything(ledger) == everything(tricky)


def test_the_sheet_reads_and_prints_as_before_with_the_title_hidden(tricky):
    from io import BytesIO

    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(export_xlsx.to_xlsx(tricky, aggregate.standing(tricky)))).active
    header = [c.value for c in sheet[tablecols.HEADER_ROW]]
    title = header.index(export.TITLE_COLUMN) + 1
    letter = sheet.cell(row=tablecols.HEADER_ROW, column=title).column_letter
    assert header[-2:] == [export.TITLE_COLUMN, export.AS_TYPED_COLUMN] and sheet.column_dimensions[letter].hidden
    first = [c.value for c in sheet[tablecols.HEADER_ROW + 1]]
    assert first[header.index("问题描述")] == "党支部分工不明确，班子成员职责交叉。"  # the report's paragraph
    assert first[title - 1] == "党支部分工不明确"
    # Hidden, it adds no width to the print: the sample still prints on A4 at
    # 100 % (test_export, test_office_clients).


def test_a_text_opening_with_its_title_sentence_is_told_apart_by_a_hidden_column(tricky, tmp_path):
    """Problem 9's text opens with "标题。" and prints exactly as a text
    without that sentence would; 问题描述即原文 says which it is. Without it (a
    sheet whose column was deleted) the text reads back without the sentence,
    as the report importer reads "1.标题。问题…", printing the same."""
    from io import BytesIO

    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(export_xlsx.to_xlsx(tricky, aggregate.standing(tricky)))).active
    header = [c.value for c in sheet[tablecols.HEADER_ROW]]
    column = header.index(export.AS_TYPED_COLUMN) + 1
    assert sheet.column_dimensions[sheet.cell(row=tablecols.HEADER_ROW, column=column).column_letter].hidden
    flags = {row[0]: row[column - 1] for row in sheet.iter_rows(min_row=tablecols.HEADER_ROW + 1, values_only=True)}
    assert {n for n, flag in flags.items() if flag == "是"} == {1, 2, 4, 7, 9}  # the texts that open with their titles
    sheet.delete_cols(column)
    book = tmp_path / "台账.xlsx"
    sheet.parent.save(book)
    write_imported(import_workbook(book), tmp_path / "issues")
    after = {i.id: i for i in load_ledger(tmp_path / "issues").issues}[9]
    assert after.title == "台账管理不规范" and plaintext.paragraphs(after.problem) == ["部分台账缺页。"]
    assert problem_opening(after.title, ["部分台账缺页。"]) == ["台账管理不规范。部分台账缺页。"]


def test_a_ledger_without_such_a_text_has_no_such_column():
    sample = load_ledger(REPO / "issues")
    names, widths = export.columns(sample)
    assert names[10] == export.TITLE_COLUMN and export.AS_TYPED_COLUMN not in names
    assert not any(widths[10:])  # everything after the ten columns is hidden


def units_workbook(path, rows):
    """A unit's own 台账: a header and rows, nothing of our export."""
    from openpyxl import Workbook

    book = Workbook()
    for values in rows:
        book.active.append(values)
    book.save(path)
    return path


def test_a_units_own_title_column_is_not_repeated_in_the_text(tmp_path):
    """A unit's 台账 with a title column beside the report's paragraph: the
    text is kept without the run-in title, and whole where it does not start
    with the title as a phrase."""
    result = import_workbook(units_workbook(tmp_path / "单位台账.xlsx", [
        ["序号", "问题概述", "存在问题", "整改措施", "责任单位", "整改时限"],
        [1, "安全生产检查不到位", "安全生产检查不到位。部分企业检查流于形式。", "开展专项检查。", "执法大队", "2023-06-30"],
        [2, "台账管理", "台账管理制度缺失。", "制定制度。", "办公室", "2023-06-30"]]))
    assert [(p.title, p.problem) for p in result.problems] == [
        ("安全生产检查不到位", ["部分企业检查流于形式。"]),
        ("台账管理", ["台账管理制度缺失。"]),
    ]


def test_a_follows_cell_of_another_form_stays_a_comment(tmp_path, tricky):
    """A clerk's "上一轮第15项" in 延续自 is no ``follows:`` validate would accept: kept word for word."""
    source = tmp_path / "台账.csv"
    source.write_bytes(export.to_csv(tricky).replace("2023-区委巡察/15".encode(), "上一轮第15项".encode()))
    problem = next(p for p in import_csv(source).problems if p.id == 7)
    assert problem.follows == [] and ("延续自", "上一轮第15项") in problem.kept


# -- every field of a problem file ------------------------------------------------------

FULL_YML = LEDGER_YML + """\
results:
  - {key: rules, label: 制定完善制度, unit: 项}
  - {key: funds, label: 追缴资金, unit: 万元}
  - {key: disciplined, label: 问责处理（含诫勉）}
"""

FULL = {
    "01-a.md": PROBLEM.format(id=1, title="学习制度落实不到位", text="学习制度落实不到位，学习流于形式。", extra="""\
completed: 2023-03-20
status_note: 目前，此项工作已经整改完毕。
note: 配合：安委办
immediate: true
results: {rules: 2, funds: 1.5}
evidence:
  - {name: 会议纪要, file: docs/evidence/会议纪要.pdf}
  - 学习笔记
  - file: docs/evidence/签到表.xlsx
""").replace("status: 整改中", "status: 已完成").replace("owner: 办公室", "owner: [办公室, 安委办]"),
    "02-b.md": PROBLEM.format(id=2, title="财务管理不规范", text="报销审核不严。\n\n个别单据缺少签字。", extra="""\
public: false
follows: ["4"]
results:
  disciplined: 3
  funds: 7.132
measures:
  - text: 修订财务报销制度
    owner: 财务科
    person: 张*
    deadline: 2023-04-30
    status: 已完成
    completed: 2023-04-20
    evidence:
      - {name: 制度文本, file: docs/evidence/制度.docx}
      - 学习记录
  - text: 开展报销单据专项检查
    person: 李*
    status: 整改中
    note: 配合：审计科
  - text: 建立长效机制
    owner: [财务科, 审计科]
    deadline: 2023-12-31
    status: 长期坚持
    evidence: [检查通报]
""").replace("owner: 办公室", "owner: 财务科"),
    "03-c.md": PROBLEM.format(id=3, title="作风建设有差距", text="服务意识不强。", extra="""\
public: false
status_note: 目前，此项问题已取得阶段性成效，需长期坚持。
results: {rules: 0}
""").replace("status: 整改中", "status: 长期坚持").replace("deadline: 2023-03-31\n", ""),
    "04-d.md": PROBLEM.format(id=4, title="台账不完整", text="台账不完整。", extra="")
    .replace("status: 整改中", "status: 未启动").replace("leader: 局长\n", "").replace("category: 党建", "category: 整改"),
    "signoff.yml": "- {id: 1, by: 区委巡察办（第一组，审核）, date: 2023-04-10, note: 经审核同意销号。}\n",
}
EVIDENCE_FILES = ("docs/evidence/会议纪要.pdf", "docs/evidence/签到表.xlsx", "docs/evidence/制度.docx")


def with_evidence(root):
    for name in EVIDENCE_FILES:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(b"evidence")
    return root


@pytest.fixture(scope="module")
def full(tmp_path_factory):
    root = with_evidence(tmp_path_factory.mktemp("full"))
    return load_ledger(write_ledger(root, FULL, FULL_YML))


def evidence(items) -> list[tuple]:
    return [(e.name, e.file) for e in items]


def every_field(ledger) -> dict[int, dict]:
    """Each problem's every field (constants.ISSUE_FIELDS), measures field by field."""
    return {i.id: dict(
        title=i.title, category=i.category.name, status=i.status.key, owner=i.owners, leader=i.leader,
        deadline=i.deadline, completed=i.completed, evidence=evidence(i.evidence), status_note=i.status_note,
        follows=[text for text, _ in i.follows], public=i.public, immediate=i.immediate, results=i.results,
        problem=plaintext.paragraphs(i.problem), narrative=plaintext.paragraphs(i.measures),
        measures=[(m.index, m.text, m.owners, m.person, m.deadline, m.status.key, m.completed, evidence(m.evidence),
                   m.note) for m in i.tasks],
        note=i.note,
        signoff=i.signoff and (i.signoff.by, i.signoff.date, i.signoff.note),  # issues/signoff.yml
    ) for i in ledger.issues}


def test_every_field_is_compared_and_used(full):
    """A field added to the format must be added here too (and to the sheet)."""
    from ledgerlib.constants import ISSUE_FIELDS

    fields = every_field(full)
    assert set(ISSUE_FIELDS) - {"id"} <= set(fields[1]) and fields[1]["signoff"]
    assert all(any(f[name] not in (None, (), [], {}, True) for f in fields.values()) for name in ISSUE_FIELDS if name != "id")


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_every_field_comes_back_the_same(tmp_path, full, kind):
    result, ledger = round_trip(full, kind, with_evidence(tmp_path))
    assert every_field(ledger) == every_field(full)
    assert ledger.results == full.results  # ledger.yml's kinds, keys included
    assert result.unplaced == [] and result.unplaced_columns == [] and result.notes == []
    assert all(not p.kept for p in result.problems)


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_every_field_survives_a_workbook_saved_again_by_libreoffice(tmp_path, full):
    _, ledger = round_trip(full, "xlsx", with_evidence(tmp_path), resave=True)
    assert every_field(ledger) == every_field(full)
    assert ledger.results == full.results


def test_machine_columns_are_hidden_and_the_public_flag_shows(full):
    from io import BytesIO

    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(export_xlsx.to_xlsx(full, aggregate.standing(full)))).active
    hidden = {c.value for c in sheet[tablecols.HEADER_ROW]
              if sheet.column_dimensions[c.column_letter].hidden}
    assert hidden == {export.TITLE_COLUMN, export.STATUS_NOTE_COLUMN, export.EVIDENCE_FILES_COLUMN,
                      export.TASK_EVIDENCE_FILES_COLUMN, export.RESULT_KINDS_COLUMN}
    header = [c.value for c in sheet[tablecols.HEADER_ROW]]
    flags = {row[0]: row[header.index(export.PUBLIC_COLUMN)]
             for row in sheet.iter_rows(min_row=tablecols.HEADER_ROW + 1, values_only=True) if row[0]}
    assert flags == {1: None, 2: "否", 3: "否", 4: None}
    # The measure files are the measure rows' own cells, not merged over the problem.
    letter = sheet.cell(row=tablecols.HEADER_ROW, column=header.index(export.TASK_EVIDENCE_FILES_COLUMN) + 1).column_letter
    assert not any(str(r).startswith(letter) for r in sheet.merged_cells.ranges)


def test_evidence_files_missing_from_the_repository_are_named_not_lost(tmp_path, full):
    """Imported into a repository without the files, an item keeps its name,
    its path goes into a comment, and the summary says so in Chinese: the
    ledger still validates (a file: that does not exist would not)."""
    from conftest import ledger_cli

    source = tmp_path / "台账.xlsx"
    source.write_bytes(export_xlsx.to_xlsx(full, aggregate.standing(full)))
    done = ledger_cli("import", source, "--out", tmp_path / "repo" / "issues")
    assert done.returncode == 0, done.stderr
    assert "第 1、2 项问题的佐证材料文件" in done.stdout and "找不到" in done.stdout and "台账校验通过" in done.stdout
    text = next((tmp_path / "repo" / "issues").glob("01-*.md")).read_text(encoding="utf-8")
    assert '  - "会议纪要"\n    # 原台账“佐证材料文件”：docs/evidence/会议纪要.pdf（仓库中没有这个文件' in text


def test_an_edited_evidence_cell_keeps_the_files_as_a_comment(tmp_path, full):
    """A clerk added a line to 佐证材料: the hidden files no longer line up;
    they are kept word for word, and the summary says which problem."""
    rows = export.to_csv(full).decode("utf-8-sig").replace("会议纪要\n学习笔记", "会议纪要\n补充材料\n学习笔记")
    source = tmp_path / "台账.csv"
    source.write_text(rows, encoding="utf-8-sig")
    result = import_csv(source)
    problem = next(p for p in result.problems if p.id == 1)
    assert problem.evidence == ["会议纪要", "补充材料", "学习笔记", "签到表.xlsx"] and problem.evidence_files == []
    assert ("佐证材料文件", "docs/evidence/会议纪要.pdf\n（无文件）\ndocs/evidence/签到表.xlsx") in problem.kept
    assert any(note.startswith("第1项问题的“佐证材料文件”与佐证材料的行数不一致") for note in result.notes)


def test_a_units_own_flag_columns_are_read_and_odd_cells_kept(tmp_path):
    """A unit's 台账 with 立行立改, 是否公开 and 销号 columns: ticks and 是/否
    are read, anything else stays a comment (a 销号 cell without who and
    when is no register entry); the leader left empty is 待定."""
    result = import_workbook(units_workbook(tmp_path / "单位台账.xlsx", [
        ["序号", "存在问题", "整改措施", "责任单位", "立行立改", "是否公开", "销号"],
        [1, "会议记录不全。", "补齐记录。", "办公室", "√", "否", ""],
        [2, "制度缺失。", "制定制度。", "办公室", "", "依申请公开", "已销号"]]))
    assert [(p.immediate, p.public, p.signoff, p.kept) for p in result.problems] == [
        (True, False, None, []), (False, True, None, [("是否公开", "依申请公开"), ("销号", "已销号")])]
    assert not result.own_export
    write_imported(result, tmp_path / "issues")
    ledger = load_ledger(tmp_path / "issues")
    assert [(i.immediate, i.public, i.leader) for i in ledger.issues] == [(True, False, "待定"), (False, True, "待定")]


def test_statuses_of_an_imported_ledger_come_back_and_a_ledgers_own_label_is_kept(tmp_path):
    """基本完成 (NEW_LEDGER_STATUSES, what import and init write) comes back
    as itself, on a problem and on a measure; a label only this ledger.yml
    knows cannot (the sheet has no ledger.yml): 整改中, with the cell kept."""
    from ledgerlib.ledgerwriter import _statuses_yml

    statuses = "\n".join(["statuses:", *_statuses_yml(),
                          "  - key: review", "    label: 待验收", "    sentence: 目前，此项问题正在验收。",
                          '    phrase: "待验收{count}项"'])
    mostly = PROBLEM.format(id=1, title="甲", text="甲问题。", extra="").replace("status: 整改中", "status: 基本完成")
    review = PROBLEM.format(id=2, title="乙", text="乙问题。", extra="measures:\n  - {text: 措施, status: 基本完成}\n")
    review = review.replace("status: 整改中\n", "status: 待验收\n", 1)
    ledger = load_ledger(write_ledger(tmp_path / "src", {"01-a.md": mostly, "02-b.md": review}, LEDGER_YML + statuses + "\n"))
    for kind in ("xlsx", "csv"):
        (tmp_path / kind).mkdir()
        result, back = round_trip(ledger, kind, tmp_path / kind)
        assert [(i.status.key, [m.status.key for m in i.tasks]) for i in back.issues] == [("mostly", []), ("doing", ["mostly"])]
        assert result.problems[1].kept == [("整改状态", "待验收")]


def test_follows_of_a_round_not_in_the_repository_become_comments(tmp_path, tricky):
    """Imported where the earlier round's ledger is not, ``follows:`` would
    fail validate: those lines are comments, named in the summary, and the
    ledger validates; a number of this ledger stays ``follows:``."""
    from conftest import ledger_cli

    source = tmp_path / "台账.csv"
    source.write_bytes(export.to_csv(tricky))
    done = ledger_cli("import", source, "--out", tmp_path / "repo" / "issues")
    assert done.returncode == 0, done.stderr
    assert "第 7、8 项问题延续的上一轮问题（如“2023-区委巡察/15”）不在本仓库的台账中" in done.stdout
    text = next((tmp_path / "repo" / "issues").glob("08-*.md")).read_text(encoding="utf-8")
    assert 'follows: ["4"]' in text and "# 原台账“延续自”：2023-区委巡察/3" in text
    # Beside that round's ledger, they are follows: again.
    (tmp_path / "repo" / "issues" / "2023-区委巡察").mkdir()
    (tmp_path / "repo" / "issues" / "2023-区委巡察" / "ledger.yml").write_text(LEDGER_YML, encoding="utf-8")
    result = import_csv(source)
    write_imported(result, tmp_path / "repo" / "issues" / "2024-区委巡察")
    assert [p.follows for p in result.problems if p.id in (7, 8)] == [["2023-区委巡察/15"], ["2023-区委巡察/3", "4"]]
