"""Measures (整改措施), 立行立改, results (整改成效) and sign-off (销号) in the loader."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from ledger_fixtures import LEDGER_YML, issue_text, write_ledger
from ledgerlib import load_ledger
from ledgerlib.aggregate import standing
from ledgerlib.errors import LedgerInvalid
from ledgerlib.measures import results_text

TODAY = dt.date(2023, 7, 1)

MEASURES = """\
measures:
  - text: 重新健全完善“三会一课”制度
    person: 张*
    status: 已完成
    completed: 2023-02-10
    evidence: [三会一课制度]
  - text: 会议记录本细化分类、专本专用
    owner: 办公室
    person: 李*
    deadline: 2023-02-28
    status: 已完成
    completed: 2023-02-20
  - text: 提高民主生活会和组织生活会质量
    person: 王*
    status: 整改中
"""

RESULTS_YML = LEDGER_YML + """\
results:
  - {key: rules, label: 制定完善制度, unit: 项}
  - {key: funds, label: 追缴资金, unit: 万元}
"""


def load(tmp_path, issues, ledger_yml=LEDGER_YML):
    return load_ledger(write_ledger(tmp_path, issues, ledger_yml), today=TODAY)


def errors(tmp_path, issues, ledger_yml=LEDGER_YML) -> list[str]:
    with pytest.raises(LedgerInvalid) as info:
        load(tmp_path, issues, ledger_yml)
    return [str(d) for d in info.value.diagnostics if d.severity.name == "ERROR"]


def test_measures_load_with_defaults_from_the_problem(tmp_path):
    ledger = load(tmp_path, {"01-a.md": issue_text(1, "整改中", MEASURES)})
    issue = ledger.issues[0]
    assert issue.measures == "问题1的整改措施。"  # the body narrative is untouched
    first, second, third = issue.tasks
    assert [m.index for m in issue.tasks] == [1, 2, 3]
    assert first.text == "重新健全完善“三会一课”制度" and first.person == "张*"
    assert first.owners == ("办公室",) and first.deadline == dt.date(2023, 3, 31)  # the problem's
    assert first.status.key == "done" and first.completed == dt.date(2023, 2, 10)
    assert [e.name for e in first.evidence] == ["三会一课制度"]
    assert second.owners == ("办公室",) and second.deadline == dt.date(2023, 2, 28)
    assert third.status.label == "整改中" and third.completed is None


def test_problem_without_measures_is_as_before(tmp_path):
    ledger = load(tmp_path, None)
    assert all(i.tasks == () and not i.immediate and i.results == {} and i.signoff is None
               for i in ledger.issues)


def test_done_problem_with_open_measure_fails_naming_it(tmp_path):
    text = issue_text(1, "已完成", "completed: 2023-03-01\n" + MEASURES)
    found = errors(tmp_path, {"01-a.md": text})
    assert len(found) == 1
    assert found[0].startswith("issues/01-a.md:5: status: ")
    assert "第3项整改措施“提高民主生活会和组织生活会质量”仍为“整改中”" in found[0]


def test_measure_rules_are_located(tmp_path):
    bad = """\
measures:
  - text: 措施甲
    status: 已完成
  - person: 李*
    status: 整改中
    deadline: 2023-02-30
  - 只写了一句话
  - text: 措施丁
    status: 已完毕
    perosn: 王*
"""
    found = errors(tmp_path, {"01-a.md": issue_text(1, "整改中", bad)})
    text = "\n".join(found)
    assert "issues/01-a.md:11: measures[1].status: 状态为“已完成”时必须填写完成时间" in text
    assert "issues/01-a.md:12: measures[2].text: 不能为空" in text
    assert "issues/01-a.md:14: measures[2].deadline: “2023-02-30”不是真实存在的日期" in text
    assert "issues/01-a.md:15: measures[3]: 第3项整改措施应写成“- text: 措施内容”" in text
    assert "issues/01-a.md:17: measures[4].status: “已完毕”不是有效状态" in text
    assert len(found) == 5
    early = "measures:\n  - text: 措施甲\n    status: 整改中\n    completed: 2023-01-02\n"
    found = errors(tmp_path / "b", {"01-a.md": issue_text(1, "整改中", early)})
    assert found[0].startswith("issues/01-a.md:12: measures[1].completed: 状态为“整改中”（尚未完成）却填写了完成时间")
    assert found[1].startswith("issues/01-a.md:12: measures[1].completed: 完成时间 2023-01-02 早于巡察反馈日期")


def test_measure_unknown_key_is_a_warning(tmp_path):
    extra = "measures:\n  - text: 措施甲\n    status: 整改中\n    perosn: 王*\n"
    ledger = load(tmp_path, {"01-a.md": issue_text(1, "整改中", extra)})
    assert any("perosn" in str(w) and "person" in str(w) for w in ledger.warnings)


def test_immediate_flag(tmp_path):
    ledger = load(tmp_path, {"01-a.md": issue_text(1, "整改中", "immediate: true\n"), "02-b.md": issue_text(2)})
    assert [i.immediate for i in ledger.issues] == [True, False]
    found = errors(tmp_path, {"01-a.md": issue_text(1, "整改中", "immediate: 立刻\n")})
    assert found == ["issues/01-a.md:9: immediate: “立刻”应为 true 或 false。"]


def test_results_sum_and_validate(tmp_path):
    ledger = load(tmp_path, {"01-a.md": issue_text(1, "整改中", "results: {rules: 2, funds: 1.5}\n"),
                             "02-b.md": issue_text(2, "整改中", "results:\n  rules: 1\n  funds: 0.132\n")},
                  RESULTS_YML)
    assert ledger.issues[0].results == {"rules": Decimal(2), "funds": Decimal("1.5")}
    assert results_text(standing(ledger).results) == "制定完善制度3项、追缴资金1.632万元"
    for bad in ("-1", "１", "1e3", "1,000", "两项"):
        found = errors(tmp_path / bad, {"01-a.md": issue_text(1, "整改中", f"results: {{funds: '{bad}'}}\n")}, RESULTS_YML)
        assert found == ["issues/01-a.md:9: results.funds: 追缴资金应为不小于 0 的数字，例如 2 或 1.5（单位：万元）。"], bad
    found = errors(tmp_path, {"01-a.md": issue_text(1, "整改中", "results: {rule: 2, funds: -1}\n")}, RESULTS_YML)
    assert found[0] == "issues/01-a.md:9: results.funds: 追缴资金应为不小于 0 的数字，例如 2 或 1.5（单位：万元）。"
    assert found[1].startswith("issues/01-a.md:9: results.rule: “rule”不是 ledger.yml 中声明的整改成效种类；是否应为“rules”？")


SIGNED = "evidence: [会议纪要]\ncompleted: 2023-03-01\n"


def signoff_ledger(tmp_path, register: str):
    issues = {"01-a.md": issue_text(1, "已完成", SIGNED), "02-b.md": issue_text(2, "已完成", "completed: 2023-03-01\n"),
              "03-c.md": issue_text(3)}
    folder = write_ledger(tmp_path, issues)
    (folder / "signoff.yml").write_text(register, encoding="utf-8")
    return folder


def test_signoff_attaches_to_the_problem(tmp_path):
    folder = signoff_ledger(tmp_path, "- {id: 1, by: 区委巡察办, date: 2023-04-10, note: 经审核同意销号}\n")
    ledger = load_ledger(folder, today=TODAY)
    signed = {i.id: i.signoff for i in ledger.issues}
    assert signed[1].by == "区委巡察办" and signed[1].date == dt.date(2023, 4, 10) and signed[1].note == "经审核同意销号"
    assert signed[2] is None and ledger.signoff_path == "issues/signoff.yml"


def test_signoff_violations_name_the_register(tmp_path):
    register = ("- {id: 1, by: 区委巡察办, date: 2023-04-10}\n"
                "- {id: 2, by: 区委巡察办, date: 2023-04-10}\n"
                "- {id: 3, by: 区委巡察办, date: 2023-04-10}\n"
                "- {id: 9, by: 区委巡察办, date: 2023-04-10}\n"
                "- {id: 1, by: 区委巡察办, date: 2023-02-01}\n")
    with pytest.raises(LedgerInvalid) as info:
        load_ledger(signoff_ledger(tmp_path, register), today=TODAY)
    found = [str(d) for d in info.value.diagnostics]
    assert found[0].startswith("issues/signoff.yml:2: id: 问题 2“问题2”没有佐证材料，不能销号")
    assert found[1].startswith("issues/signoff.yml:3: id: 问题 3“问题3”的状态是“整改中”，尚未完成，不能销号")
    assert found[2].startswith("issues/signoff.yml:3: id: 问题 3“问题3”没有佐证材料")
    assert found[3] == "issues/signoff.yml:4: id: 没有序号为 9 的问题；请核对序号。"
    assert found[4].startswith("issues/signoff.yml:5: id: 问题 1 已在第 1 行销号")
    assert len(found) == 5


def test_signoff_entry_that_is_not_a_record_names_its_line_and_field(tmp_path):
    register = ("- {id: 1, by: 区委巡察办, date: 2023-04-10}\n"
                "- 问题2已销号\n"
                "- {id: 1, by: 区委巡察办, date: 2023-04-11, reviewer: 纪委}\n")
    with pytest.raises(LedgerInvalid) as info:
        load_ledger(signoff_ledger(tmp_path, register), today=TODAY)
    found = [str(d) for d in info.value.diagnostics]
    assert "issues/signoff.yml:2: 销号: 每条销号记录写成 {id: 问题序号, by: 审核单位或人员, date: 销号日期, note: 说明}。" in found
    assert any(f.startswith("issues/signoff.yml:3: reviewer: ") for f in found)
    assert any(f.startswith("issues/signoff.yml:3: id: 问题 1 已在第 1 行销号") for f in found)


def test_signoff_before_completion_fails(tmp_path):
    with pytest.raises(LedgerInvalid) as info:
        load_ledger(signoff_ledger(tmp_path, "- {id: 1, by: 区委巡察办, date: 2023-02-01}\n"), today=TODAY)
    assert [str(d) for d in info.value.diagnostics] == [
        "issues/signoff.yml:1: id: 销号日期 2023-02-01 早于问题 1“问题1”的完成时间 2023-03-01；销号应在完成之后。"]


def test_report_summary_counts_immediate_mostly_and_results(tmp_path):
    from ledgerlib.constants import NEW_LEDGER_STATUSES
    from ledgerlib.report import build_report

    statuses = "statuses:\n" + "".join(
        f"  - {{key: {s['key']}, label: {s['label']}, phrase: \"{s['phrase']}\", done: {str(bool(s.get('done'))).lower()}}}\n"
        for s in NEW_LEDGER_STATUSES)
    ledger = load(tmp_path, {
        "01-a.md": issue_text(1, "已完成", "completed: 2023-03-01\nimmediate: true\nresults: {rules: 2, funds: 1.5}\n"),
        "02-b.md": issue_text(2, "基本完成", "immediate: true\nresults: {rules: 1}\n"),
        "03-c.md": issue_text(3, "整改中")}, RESULTS_YML + statuses)
    summary = build_report(ledger, standing(ledger, today=TODAY)).summary
    assert summary.endswith("其中立行立改2项。目前，已完成整改1项，正在整改1项，基本完成整改1项，整改完成率33.3%。"
                            "通过整改，制定完善制度3项、追缴资金1.5万元。")
    custom = RESULTS_YML.replace("results:", "report:\n  wording:\n    immediate: 立行立改{immediate}个。\n"
                                 "    results: 共{results}。\nresults:", 1)
    ledger = load(tmp_path / "b", {"01-a.md": issue_text(1, "整改中", "immediate: true\nresults: {funds: 7.132}\n")}, custom)
    summary = build_report(ledger, standing(ledger, today=TODAY)).summary
    assert "立行立改1个。" in summary and summary.endswith("共追缴资金7.132万元。")


def guide_block(starts: str) -> str:
    """The guide's YAML example that starts with ``starts``: what clerks copy must load."""
    from conftest import REPO

    text = (REPO / "docs" / "guide.md").read_text(encoding="utf-8")
    blocks = [b.split("```", 1)[0] for b in text.split("```yaml\n")[1:]]
    return next(b for b in blocks if b.startswith(starts))


def test_the_guides_examples_load(tmp_path):
    ledger_yml = LEDGER_YML + guide_block("results:\n  - {key")
    extra = guide_block("measures:") + guide_block("results: {")
    ledger = load(tmp_path, {"01-a.md": issue_text(1, "整改中", extra)}, ledger_yml)
    assert len(ledger.issues[0].tasks) == 3 and ledger.issues[0].results
    folder = write_ledger(tmp_path / "b", {"01-a.md": issue_text(1, "已完成", SIGNED),
                                           "05-e.md": issue_text(5, "已完成", SIGNED)})
    (folder / "signoff.yml").write_text(guide_block("# 销号登记表"), encoding="utf-8")
    assert [i.signoff.by for i in load_ledger(folder, today=TODAY).issues] == ["区委巡察办", "区委巡察办"]
