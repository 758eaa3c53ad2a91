"""The genre's rules are written once (ledgerlib.genre), so every output words
a problem the same way: the report page, the xlsx and csv 台账, the Word report."""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil

import docx
import openpyxl
import pytest

from conftest import copy_repo, mkdocs_build
from ledger_fixtures import LEDGER_YML, write_ledger
from ledgerlib import load_ledger
from ledgerlib.aggregate import standing
from ledgerlib.export import COLUMNS, to_csv
from ledgerlib.export_xlsx import to_xlsx
from ledgerlib.genre import chinese_date, chinese_number, md_escape, problem_opening, stated_statuses
from ledgerlib.ledgerbuild import build_ledger, to_docx
from ledgerlib.plaintext import paragraphs
from site_checks import article_text

DAY = dt.date(2023, 6, 30)

TRICKY = """\
---
id: {id}
title: {title}
category: 党建
status: 整改中
owner: 办公室
{extra}---

## 问题描述

{problem}

## 整改情况

已制定整改方案。
"""

# (title, problem text, the opening every output must print)
CASES = [
    # the title is the first word of the text, but not a whole phrase: run in
    ("会议", "会议纪要缺失。", "会议。会议纪要缺失。"),
    # the text opens with its own title: printed once
    ("党支部分工不明确", "党支部分工不明确；支委职责未落实。", "党支部分工不明确；支委职责未落实。"),
    # a title ending in punctuation gets no second stop
    ("制度不健全？", "三项制度未修订。", "制度不健全？三项制度未修订。"),
    # an empty status note: as if there were none
    ("台账不全", "台账缺少签字。", "台账不全。台账缺少签字。"),
]


@pytest.fixture(scope="module")
def tricky(tmp_path_factory):
    repo = copy_repo(tmp_path_factory.mktemp("genre") / "repo")
    shutil.rmtree(repo / "issues")
    extras = ["", "", "", 'status_note: ""\n']
    write_ledger(repo, {
        f"{n:02d}.md": TRICKY.format(id=n, title=title, problem=problem, extra=extra)
        for n, ((title, problem, _), extra) in enumerate(zip(CASES, extras, strict=True), 1)
    }, LEDGER_YML)
    ledger = load_ledger(repo / "issues", repo_root=repo, today=DAY)
    result = mkdocs_build(repo)
    assert result.returncode == 0, result.stderr
    return repo, ledger


def test_every_output_prints_the_same_problem_opening(tricky):
    repo, ledger = tricky
    expected = [opening for _, _, opening in CASES]
    page = article_text(repo / "site" / "report" / "index.html").splitlines()
    # the report page: "1." then the opening, on one line
    assert [next(line for line in page if line.startswith(f"{n}.")) for n in range(1, 5)] == \
        [f"{n}.{text}" for n, text in enumerate(expected, 1)]
    column = COLUMNS.index("问题描述")
    sheet = openpyxl.load_workbook(io.BytesIO(to_xlsx(ledger, standing(ledger, today=DAY)))).active
    assert [row[column] for row in sheet.iter_rows(min_row=4, values_only=True)] == expected
    rows = list(csv.reader(io.StringIO(to_csv(ledger).decode("utf-8-sig"))))[1:]
    assert [row[column] for row in rows] == expected
    word = [p.text for p in docx.Document(io.BytesIO(to_docx(build_ledger(ledger, today=DAY)))).paragraphs]
    assert [next(t for t in word if t.startswith(f"{n}.")) for n in range(1, 5)] == \
        [f"{n}.{text}" for n, text in enumerate(expected, 1)]


def test_an_empty_status_note_falls_back_to_the_status_sentence(tricky):
    repo, ledger = tricky
    page = article_text(repo / "site" / "report" / "index.html")
    word = "\n".join(p.text for p in docx.Document(io.BytesIO(to_docx(build_ledger(ledger, today=DAY)))).paragraphs)
    sentence = "目前，此项问题正在整改中。"
    # problem 4 (status_note: "") like the others: no empty paragraph, no lost sentence
    assert page.count(sentence) == word.count(sentence) == 4
    assert page.index("台账不全") < page.rindex(sentence)


def test_problem_opening_rules():
    assert problem_opening("会议", ["会议纪要缺失。", "二段"]) == ["会议。会议纪要缺失。", "二段"]
    assert problem_opening("  标题 ", []) == ["标题。"]
    assert problem_opening("制度；", ["制度；未修订"]) == ["制度；未修订"]


def test_chinese_numbers_and_dates():
    assert [chinese_number(n) for n in (1, 9, 10, 11, 20, 21, 99)] == ["一", "九", "十", "十一", "二十", "二十一", "九十九"]
    assert chinese_date(dt.date(2023, 6, 30)) == "2023年6月30日"
    assert chinese_date(dt.date(2024, 1, 5)) == "2024年1月5日"


@pytest.mark.parametrize("text", ["*同志_报告_", "1. 不是列表", "# 不是标题", "a|b", "<b>x</b> &lt;", "- 项", "[链接](x)"])
def test_md_escape_renders_back_to_the_same_text(text):
    assert paragraphs(md_escape(text)) == [text]


def test_status_wordings_first_hit_and_all_hits():
    assert stated_statuses("目前，此项问题尚未完成整改。") == ["doing", "done"]
    assert stated_statuses("目前，此项问题已整改完毕。") == ["done"]
    assert stated_statuses("需长期坚持。") == ["ongoing"]
