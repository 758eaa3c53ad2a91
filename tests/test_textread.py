"""Each of the genre's writers (genre.py) read back by its reader (textread.py).

The importers read what the outputs write: a heading number, a Chinese date,
a run-in title, a status sentence or label. Each pair is tested here as a
round trip, so that a change to one side that the other does not follow fails.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ledgerlib import constants as C
from ledgerlib import genre, textread
from ledgerlib.importer import import_report

HOOKS = Path(__file__).resolve().parent.parent / "hooks" / "ledgerlib"


@given(st.integers(1, 4), st.integers(1, 99), st.text("巡察整改问题abc，。", min_size=1, max_size=12))
def test_heading_numbers_read_back(level, n, words):
    words = words.lstrip("，。")
    if level <= 2:
        assert textread.read_heading(genre.heading_number(level, n) + words) == (level, n, words)
    else:
        assert textread.read_heading(genre.heading_number(level, n) + words)[:2] == (level, n)


@pytest.mark.parametrize("typed, expected", [
    ("一、总体情况", (1, 1, "总体情况")), ("十二. 其他", (1, 12, "其他")), ("（三）作风方面", (2, 3, "作风方面")),
    ("(二十)x", (2, 20, "x")), ("15.党支部分工不明确", (3, 15, "党支部分工不明确")), ("3、标题", (3, 3, "标题")),
    ("（4）小点", (4, 4, "小点")), ("2)小点", (3, 2, "小点")), ("总体情况", None), ("一二、x", None)])
def test_typed_heading_numbers(typed, expected):
    assert textread.read_heading(typed) == expected


def test_heading_number_only_and_stripping():
    assert all(textread.heading_number_only(t) for t in ("一", "一、", "（一）", "(十二)"))
    assert not any(textread.heading_number_only(t) for t in ("一、党建", "1.", "作风", ""))
    assert textread.strip_heading_number("（二）下一步工作打算") == "下一步工作打算"
    assert textread.numbered_heading("一、") is None and textread.numbered_heading("（一）") == ""


@given(st.dates(dt.date(1990, 1, 1), dt.date(2099, 12, 31)))
def test_chinese_dates_read_back(day):
    assert textread.read_date(genre.chinese_date(day)) == day


@pytest.mark.parametrize("typed", ["二〇二三年六月三十日", "2023年06月30日", "2023-06-30", "2023.6.30", "2023/6/30",
                                   "2023 年 6 月 30 日", "二○二三年六月三十日"])
def test_hand_written_dates(typed):
    assert textread.read_date(typed) == dt.date(2023, 6, 30)


def test_not_dates():
    assert textread.read_date("2023年2月30日") is None
    assert textread.read_date("长期坚持") is None
    assert textread.read_date("十五届县委第五轮巡察") is None


@given(st.text("党支部分工不明确会议纪要缺失abc“”", min_size=1, max_size=20),
       st.text("问题描述文字，；", min_size=0, max_size=20))
def test_run_in_title_read_back_as_the_first_sentence(title, text):
    opening = genre.problem_opening(title, [text])[0]
    if genre.problem_lead(title, text):
        assert textread.strip_trailing(textread.sentences(opening)[0]) == title


@pytest.mark.parametrize("status", C.NEW_LEDGER_STATUSES, ids=lambda s: s["key"])
def test_status_sentences_and_labels_read_back(status):
    assert textread.status_of(status["sentence"]) == status["key"]
    assert textread.LEDGER_LABELS[status["label"]] == status["key"]
    assert status["label"] in textread.EXACT_STATUS


@pytest.mark.parametrize("key, wordings", genre.STATUS_WORDINGS)
def test_status_wordings_read_back_in_a_cell(key, wordings):
    for wording in wordings:
        assert textread.status_of_cell(wording) == key


@pytest.mark.parametrize("text, items", [
    ('"党建"方面3项、"作风"方面2项', ['"党建"方面3项', '"作风"方面2项']),
    ("“党建”方面3项、“作风”方面2项", ["“党建”方面3项", "“作风”方面2项"]),
    ("“落实‘三重一大’、议事规则”方面1项，其他2项", ["“落实‘三重一大’、议事规则”方面1项", "其他2项"]),
    ("「党建」方面3项，『作风』方面2项", ["「党建」方面3项", "『作风』方面2项"]),
])
def test_enumeration_split_outside_quotes_of_any_width(text, items):
    assert textread.split_outside_quotes(text) == items


def test_half_width_quoted_summary_gives_each_category_its_phrase(tmp_path):
    report = tmp_path / "report.txt"
    report.write_text("\n".join([
        "关于巡察整改情况的报告",
        "一、集中整改总体情况",
        '共有2个方面3项问题，具体包括"党建"方面2项、"作风"方面1项。',
        "二、整改落实情况",
        "（一）党建", "1.会议少。会议少。", "整改情况：开会。", "目前，此项问题已整改完毕。",
        "2.学习少。学习少。", "整改情况：学习。", "目前，此项问题已整改完毕。",
        "（二）作风", "3.迟到。迟到。", "整改情况：守时。", "目前，此项问题已整改完毕。",
    ]), encoding="utf-8")
    result = import_report(report)
    assert [c.summary for c in result.categories] == ['"党建"方面{count}项', '"作风"方面{count}项']
    assert not any("不一致" in note for note in result.notes)


# Modules that read input, and the output modules they must not lean on.
# (house's AST test will check this with function-level imports too.)
IMPORT_SIDE = ("importer", "importannex", "importsummary", "importmodel", "reportsource", "textread",
               "importcols", "tablecols", "import_xlsx", "xlsxrows", "importfields", "titlerow", "ledgerwriter")
OUTPUTS = ("export", "export_docx", "report", "render", "notice", "rollup", "plaintext", "site", "chart", "ics")


@pytest.mark.parametrize("module", IMPORT_SIDE)
def test_import_modules_import_no_output_module(module):
    source = (HOOKS / f"{module}.py").read_text(encoding="utf-8")
    imported = set(re.findall(r"^\s*from \.+(\w*) import ([\w, ]+)", source, re.M))
    names = {m for m, _ in imported if m} | {n.strip() for m, ns in imported if not m for n in ns.split(",")}
    assert not names & set(OUTPUTS)
