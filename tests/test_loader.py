"""The loader: one test per validation rule, each showing its message."""

from __future__ import annotations

import datetime as dt

import pytest

from ledger_fixtures import LEDGER_YML, issue_text, write_ledger
from ledgerlib import LedgerInvalid, load_ledger
from ledgerlib.parser import check_ledger

TODAY = dt.date(2024, 1, 1)


def errors_of(tmp_path, issues=None, **kwargs):
    folder = write_ledger(tmp_path, issues, **kwargs)
    ledger, diagnostics = check_ledger(folder, today=TODAY)
    return ledger, [str(d) for d in diagnostics]


def only(tmp_path, text, name="01-a.md"):
    return errors_of(tmp_path, {name: text})


def test_valid_ledger_loads_with_typed_fields(tmp_path):
    ledger = load_ledger(write_ledger(tmp_path), today=TODAY)
    assert [i.id for i in ledger.issues] == [1, 2]
    first = ledger.issues[0]
    assert first.status.key == "doing" and first.category.short == "党建"
    assert first.deadline == dt.date(2023, 3, 31)
    assert first.owners == ("办公室",)
    assert first.problem == "问题1的描述。" and first.measures == "问题1的整改措施。"
    assert ledger.issues[1].completed == dt.date(2023, 3, 1)
    assert [s.label for s in ledger.statuses] == ["未启动", "整改中", "已完成", "长期坚持"]


def test_unknown_status_names_file_line_and_choices(tmp_path):
    ledger, errors = only(tmp_path, issue_text(status="已完毕"))
    assert ledger is None
    assert errors == ["issues/01-a.md:5: status: “已完毕”不是有效状态；可选：未启动、整改中、已完成、长期坚持"]


def test_status_may_be_written_as_key(tmp_path):
    ledger, errors = only(tmp_path, issue_text(status="ongoing"))
    assert errors == [] and ledger.issues[0].status.label == "长期坚持"


def test_all_errors_are_reported_at_once(tmp_path):
    ledger, errors = errors_of(tmp_path, {
        "01-a.md": issue_text(1, status="已完毕"),
        "02-b.md": issue_text(2).replace("category: 党建", "category: 作风"),
        "03-c.md": issue_text(3).replace("deadline: 2023-03-31", "deadline: 2023-02-30"),
    })
    assert ledger is None
    assert len(errors) == 3
    assert errors[0].startswith("issues/01-a.md:5: status:")
    assert errors[1].startswith("issues/02-b.md:4: category: “作风”不是 ledger.yml 中的问题方面")
    assert errors[2] == "issues/03-c.md:8: deadline: “2023-02-30”不是真实存在的日期，请核对年月日。"


def test_unknown_category_suggests_close_name(tmp_path):
    _, errors = only(tmp_path, issue_text().replace("category: 党建", "category: 落实巡察整改"))
    assert "是否应为“落实巡察整改情况”？" in errors[0]


def test_duplicate_id_names_both_files(tmp_path):
    _, errors = errors_of(tmp_path, {"01-a.md": issue_text(1), "02-b.md": issue_text(1)})
    assert errors == ["issues/02-b.md:2: id: 序号 1 与 issues/01-a.md 重复；每个问题的序号必须唯一，请改用未被占用的序号。"]


@pytest.mark.parametrize("raw", ["012", "0", "-3", "1.5", "三", "true"])
def test_id_must_be_plain_positive_integer(tmp_path, raw):
    _, errors = only(tmp_path, issue_text().replace("id: 1", f"id: {raw}"))
    assert len(errors) == 1 and errors[0].startswith("issues/01-a.md:2: id: ")
    assert f"“{raw}”不是正整数" in errors[0]


def test_id_with_leading_zero_explains_yaml_octal(tmp_path):
    _, errors = only(tmp_path, issue_text().replace("id: 1", "id: 012"))
    assert "不要以 0 开头" in errors[0]


@pytest.mark.parametrize("raw", ["2023-13-01", "明年三月", "2023-02-29"])
def test_bad_dates(tmp_path, raw):
    _, errors = only(tmp_path, issue_text().replace("deadline: 2023-03-31", f"deadline: {raw}"))
    assert len(errors) == 1 and errors[0].startswith("issues/01-a.md:8: deadline: ")


def test_chinese_date_forms_are_accepted(tmp_path):
    ledger, errors = only(tmp_path, issue_text().replace("deadline: 2023-03-31", "deadline: 2023年3月31日"))
    assert errors == [] and ledger.issues[0].deadline == dt.date(2023, 3, 31)


def test_done_requires_completed_date(tmp_path):
    _, errors = only(tmp_path, issue_text(status="已完成"))
    assert errors == ["issues/01-a.md:5: completed: 状态为“已完成”时必须填写完成时间 completed，例如 completed: 2023-03-31。"]


def test_completed_before_feedback_or_in_future(tmp_path):
    _, errors = errors_of(tmp_path, {
        "01-a.md": issue_text(1, "已完成", "completed: 2022-12-31\n"),
        "02-b.md": issue_text(2, "已完成", "completed: 2024-05-01\n"),
    })
    assert "早于巡察反馈日期 2023-01-18" in errors[0]
    assert "晚于今天（2024-01-01）" in errors[1]


def test_missing_required_fields(tmp_path):
    _, errors = only(tmp_path, issue_text().replace("title: 问题1\n", "").replace("owner: 办公室\n", ""))
    assert errors == [
        "issues/01-a.md:1: owner: 缺少必填字段 owner（责任部门）。",
        "issues/01-a.md:1: title: 缺少必填字段 title（问题标题）。",
    ]


def test_unknown_key_is_a_warning_with_suggestion(tmp_path):
    ledger, errors = only(tmp_path, issue_text(extra="leaders: 张三\n"))
    assert ledger is not None
    assert errors == ["issues/01-a.md:9: leaders: 警告：未知字段，将被忽略。是否应为“leader”？可用字段：id、title、category、status、owner、leader、deadline、completed、evidence、status_note、follows、public、measures、immediate、results、note"]


def test_owner_list_and_separators(tmp_path):
    ledger, _ = errors_of(tmp_path, {
        "01-a.md": issue_text(1).replace("owner: 办公室", "owner: [办公室, 安委办]"),
        "02-b.md": issue_text(2).replace("owner: 办公室", "owner: 办公室、党支部"),
    })
    assert ledger.issues[0].owners == ("办公室", "安委办")
    assert ledger.issues[1].owners == ("办公室", "党支部")


def test_yaml_strings_are_not_coerced(tmp_path):
    ledger, errors = only(tmp_path, issue_text().replace("leader: 局长", "leader: no"))
    assert errors == [] and ledger.issues[0].leader == "no"


def test_empty_and_missing_sections(tmp_path):
    _, errors = errors_of(tmp_path, {
        "01-a.md": issue_text(1).replace("问题1的描述。", ""),
        "02-b.md": issue_text(2).replace("## 整改情况\n\n问题2的整改措施。\n", ""),
    })
    assert errors == [
        "issues/01-a.md:11: 正文: “## 问题描述”一节是空的，请填写内容。",
        "issues/02-b.md:10: 正文: 缺少“## 整改情况”一节。",
    ]


def test_unexpected_section_heading(tmp_path):
    _, errors = only(tmp_path, issue_text() + "\n## 备注\n\n其他。\n")
    assert errors == ["issues/01-a.md:19: 正文: 二级标题“备注”无效；正文只能有“## 问题描述”和“## 整改情况”两节，小标题请用 ###。"]


def test_missing_front_matter(tmp_path):
    _, errors = only(tmp_path, "## 问题描述\n\n文字\n")
    assert errors == ["issues/01-a.md:1: front-matter: 文件开头缺少 front-matter；第一行应为 ---，随后是 id、title 等字段，再以 --- 结束。"]


def test_front_matter_not_a_mapping(tmp_path):
    _, errors = only(tmp_path, "---\n- 一\n- 二\n---\n\n## 问题描述\n\n甲\n\n## 整改情况\n\n乙\n")
    assert errors == ["issues/01-a.md:2: front-matter: front-matter 应为“字段: 值”的形式，每行一个字段。"]


def test_yaml_syntax_error_has_line(tmp_path):
    _, errors = only(tmp_path, issue_text().replace("leader: 局长", "leader: [局长"))
    assert len(errors) == 1 and errors[0].startswith("issues/01-a.md:")
    assert "YAML 格式错误" in errors[0]


def test_full_width_colon(tmp_path):
    _, errors = only(tmp_path, issue_text().replace("status: 整改中", "status：已完成"))
    assert errors == ["issues/01-a.md:5: status: 字段名后用了全角冒号“：”；请改为半角冒号加空格“: ”。"]


def test_tab_indentation(tmp_path):
    text = issue_text().replace("leader: 局长\n", "evidence:\n\t- 会议纪要\n")
    _, errors = only(tmp_path, text)
    assert errors == ["issues/01-a.md:8: front-matter: 行首有制表符（Tab）；YAML 只能用空格缩进，请把 Tab 换成两个空格。"]


def test_gbk_file_is_explained(tmp_path):
    _, errors = only(tmp_path, issue_text().encode("gbk"))
    assert len(errors) == 1 and errors[0].startswith("issues/01-a.md:")
    assert "GBK" in errors[0] and "UTF-8" in errors[0]


def test_bom_and_crlf_are_accepted(tmp_path):
    text = "\ufeff" + issue_text().replace("\n", "\r\n")
    ledger, errors = only(tmp_path, text.encode("utf-8"))
    assert errors == [] and ledger.issues[0].title == "问题1"


def test_non_markdown_file_in_ledger_folder(tmp_path):
    _, errors = errors_of(tmp_path, {"01-a.md": issue_text(), "扫描件.pdf": b"%PDF-1.4\x00\x01"})
    assert errors[0].startswith("issues/扫描件.pdf:1: 文件: 台账文件夹里只能放问题文件（.md）")


def test_huge_file(tmp_path):
    _, errors = only(tmp_path, issue_text() + "很长的文字。" * 200_000)
    assert len(errors) == 1 and "文件过大" in errors[0]


def test_evidence_files_must_exist_inside_repository(tmp_path):
    (tmp_path / "docs/evidence").mkdir(parents=True)
    (tmp_path / "docs/evidence/纪要.txt").write_text("纪要", encoding="utf-8")
    ledger, errors = errors_of(tmp_path, {"01-a.md": issue_text(extra=(
        "evidence:\n"
        "  - 学习笔记\n"
        "  - name: 纪要\n    file: docs/evidence/纪要.txt\n"
        "  - name: 缺失\n    file: docs/evidence/缺失.pdf\n"
        "  - name: 外部\n    file: ../../etc/passwd\n"))})
    assert ledger is None
    assert errors[0].startswith("issues/01-a.md:13: evidence: 找不到文件“docs/evidence/缺失.pdf”")
    assert errors[1].startswith("issues/01-a.md:15: evidence: 文件“../../etc/passwd”在仓库之外")


def test_ledger_yml_problems(tmp_path):
    bad = "title: 标题\ncategories: []\nstatuses:\n  - key: Doing\n    label: 整改中\n"
    _, errors = errors_of(tmp_path, {}, ledger_yml=bad)
    assert "issues/ledger.yml:1: unit: 不能为空，请填写。" in errors
    assert any("请列出问题方面" in e for e in errors)
    assert any("只能用小写英文字母" in e for e in errors)
    assert any("done: true" in e for e in errors)


def test_wording_template_placeholders_are_checked(tmp_path):
    yml = write_ledger.__defaults__[1] + "report:\n  wording:\n    all_done: 目前，{总数}项问题已全部整改完毕。\n"
    _, errors = errors_of(tmp_path, None, ledger_yml=yml)
    assert len(errors) == 1 and "report.wording.all_done" in errors[0] and "{总数}" in errors[0]


def test_load_ledger_raises_with_all_diagnostics(tmp_path):
    folder = write_ledger(tmp_path, {"01-a.md": issue_text(status="已完毕"), "02-b.md": issue_text(1)})
    with pytest.raises(LedgerInvalid) as info:
        load_ledger(folder, today=TODAY)
    assert "共 2 处错误" in str(info.value)


@pytest.mark.parametrize("raw", ["~", "null", ""])
def test_yaml_null_leaves_an_optional_date_empty(tmp_path, raw):
    # libyaml (CSafeLoader) marks plain scalars with style "" rather than None;
    # both must count as plain, or "completed: ~" would be read as the text "~".
    ledger = load_ledger(write_ledger(tmp_path, {"01-a.md": issue_text(1, extra=f"completed: {raw}\n")}))
    assert ledger.issues[0].completed is None
    quoted = write_ledger(tmp_path / "q", {"01-a.md": issue_text(1, extra='completed: "~"\n')})
    assert check_ledger(quoted)[0] is None  # a quoted "~" is text, and not a date


def test_status_note_must_agree_with_status(tmp_path):
    _, errors = errors_of(tmp_path, {
        "01-a.md": issue_text(1, "整改中", "status_note: 目前，此项工作已经整改完毕。\n"),
        "02-b.md": issue_text(2, "已完成", "completed: 2023-03-01\nstatus_note: 目前，此项问题正在整改。\n"),
        "03-c.md": issue_text(3, "长期坚持", "status_note: 目前，此项问题已取得阶段性成效，需长期坚持。\n"),
    })
    assert errors == [
        "issues/01-a.md:9: status_note: 进展表述“目前，此项工作已经整改完毕。”说的是已经整改完毕，但状态是“整改中”；改状态时请同时改写或删除 status_note，否则报告会写成已完成。",
        "issues/02-b.md:10: status_note: 进展表述“目前，此项问题正在整改。”说的是尚未完成，但状态是“已完成”；请改写或删除 status_note。",
    ]


def test_report_trace_is_a_yes_or_no(tmp_path):
    assert load_ledger(write_ledger(tmp_path / "a"), today=TODAY).report.trace  # printed by default
    off = load_ledger(write_ledger(tmp_path / "b", ledger_yml=LEDGER_YML + "report:\n  trace: false\n"), today=TODAY)
    assert off.report.trace is False
    _, errors = errors_of(tmp_path / "c", ledger_yml=LEDGER_YML + "report:\n  trace: 草稿\n")
    assert any("report.trace" in e and "“草稿”应为 true 或 false" in e for e in errors), errors
