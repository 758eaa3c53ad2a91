"""Threat: text from the ledger runs as a formula in the exported 台账.

A merge request can put "=HYPERLINK(…)" (or + - @, a tab) into any text the
workbook or CSV shows: a problem's fields, but also ledger.yml's unit, round,
category names and result labels, which become the title row and headers.
Every one must reach the spreadsheet as text (``spreadsheetcell``), and import
must give back exactly what was typed, a leading ``'`` or ``=`` included,
through xlsx, CSV and a workbook LibreOffice saved again."""

from __future__ import annotations

import csv
import io
import shutil
import zipfile

import pytest

from ledger_fixtures import write_ledger
from ledgerlib import aggregate, export, export_xlsx, load_ledger, plaintext
from ledgerlib.spreadsheetcell import FORMULA_START, csv_field, csv_text
from test_round_trip import round_trip

HOSTILE_YML = """\
title: 测试单位关于巡察整改情况的报告
unit: "=HYPERLINK(\\"x\\")区应急管理局党委"
round: "+四届区委第二轮常规巡察"
group: 区委第一巡察组
feedback_date: 2023-01-18
cutoff_date: 2023-06-30
categories:
  - name: "=1+1聚焦基层党组织建设"
    short: 党建
  - name: "'落实巡察整改情况"
    short: 整改
results:
  - {key: rules, label: "=SUM(1,2)制定完善制度", unit: 项}
  - {key: funds, label: "@追缴资金", unit: 万元}
"""

PROBLEM = """\
---
id: {id}
title: "{title}"
category: {category}
status: 整改中
owner: "{owner}"
leader: "{leader}"
deadline: 2023-03-31
results: {{rules: {id}}}
evidence:
  - "{evidence}"
---

## 问题描述

{text}

## 整改情况

{measures}
"""

# Texts that a spreadsheet would run, or that look like the CSV's own mark.
CASES = {
    1: dict(title="=CMD|' /C calc'!A0", category="党建", owner="@办公室", leader="-局长", evidence="=HYPERLINK(1)",
            text="'=这是用引号开头的原文。", measures="+1 与 @某人 都是原文。"),
    2: dict(title="'引号开头的标题", category="整改", owner="''两个引号", leader="#N/A", evidence="'佐证",
            text="-1/0 不是公式。", measures="\t=制表符开头。"),
}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    root = tmp_path_factory.mktemp("formulas")
    files = {f"{n:02d}-p.md": PROBLEM.format(id=n, **case) for n, case in CASES.items()}
    return load_ledger(write_ledger(root, files, HOSTILE_YML))


def everything(ledger) -> tuple:
    issues = {i.id: (i.title, i.category.name, i.owners, i.leader, plaintext.paragraphs(i.problem),
                     plaintext.paragraphs(i.measures), [e.name for e in i.evidence], dict(i.results))
              for i in ledger.issues}
    return ledger.unit, ledger.round, [(k.key, k.label, k.unit) for k in ledger.results], issues


def test_threat_formula_rule_is_inverted_exactly():
    for typed in ("=1", "'=1", "''", "'", "'abc", "+", "-1", "@a", "\t", "abc", "", "中文"):
        assert csv_text(csv_field(typed)) == typed
        assert not csv_field(typed).startswith(FORMULA_START)


def test_threat_formula_in_ledger_data_is_text_in_the_workbook(hostile):
    """No cell of the sheet is a formula or an error value: title row, header, data."""
    from xml.etree import ElementTree

    with zipfile.ZipFile(io.BytesIO(export_xlsx.to_xlsx(hostile, aggregate.standing(hostile)))) as book:
        sheet = ElementTree.fromstring(book.read("xl/worksheets/sheet1.xml"))
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    cells = sheet.findall(".//m:c", ns)
    assert cells and not sheet.findall(".//m:f", ns)
    assert {c.get("t") for c in cells} <= {"inlineStr", "s", "n", "d"}
    texts = {"".join(t.text or "" for t in c.iter(f"{{{ns['m']}}}t")) for c in cells}
    assert hostile.unit + hostile.round + "反馈问题整改台账" in texts
    for typed in ("=SUM(1,2)制定完善制度（项）", "@追缴资金（万元）", "=1+1聚焦基层党组织建设", "#N/A",
                  "=CMD|' /C calc'!A0"):
        assert typed in texts


def test_threat_formula_in_ledger_data_is_neutralised_in_the_csv(hostile):
    rows = list(csv.reader(io.StringIO(export.to_csv(hostile).decode("utf-8-sig"))))
    header = rows[0]
    assert "'=SUM(1,2)制定完善制度（项）" in header and "'@追缴资金（万元）" in header
    for row in rows:
        for value in row:
            assert not value.startswith(FORMULA_START), value
    first = rows[1]
    assert first[1] == "'=1+1聚焦基层党组织建设" and first[4] == "'-局长" and first[5] == "'@办公室"
    second = rows[2]
    assert second[1] == "''落实巡察整改情况" and second[5] == "'''两个引号"


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_threat_formula_text_comes_back_exactly_as_typed(tmp_path, hostile, kind):
    _, ledger = round_trip(hostile, kind, tmp_path)
    issues = everything(ledger)[3]
    assert issues == everything(hostile)[3]
    assert plaintext.paragraphs(issues and ledger.issues[0].problem) == ["'=这是用引号开头的原文。"]
    assert [c.name for c in ledger.categories] == [c.name for c in hostile.categories]
    assert [(k.label, k.unit) for k in ledger.results] == [(k.label, k.unit) for k in hostile.results]
    if kind == "xlsx":  # the CSV has no title row to carry them
        assert (ledger.unit, ledger.round) == (hostile.unit, hostile.round)


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_threat_formula_text_survives_a_libreoffice_resave(tmp_path, hostile):
    _, ledger = round_trip(hostile, "xlsx", tmp_path, resave=True)
    assert everything(ledger)[3] == everything(hostile)[3]
    assert [(k.label, k.unit) for k in ledger.results] == [(k.label, k.unit) for k in hostile.results]
