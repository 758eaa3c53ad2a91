"""整改评估 on the roll-up: the 扶风 example that init --rollup writes, scored by hand.

The figures below are worked out by hand from the units' ledgers (see
EXPECTED); the page, the Word 评估表 and the ranking must show them."""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO

import docx
import pytest
from lxml import html

from ledgerlib.errors import Diagnostics
from ledgerlib.rollup_settings import read_settings
from rollup_fixtures import Unit, sources_yml
from test_rollup_pull import build, pull, rollup_repo

pytestmark = pytest.mark.site

SCORES = """\
财政局:
  组织领导: 14
  群众满意度: 8.5
  报告与事实不符: 0
教育局:
  组织领导: 15
  群众满意度: 9
  报告与事实不符: 1
卫健委:
  组织领导: 12
  群众满意度: 7
  报告与事实不符: 5
"""

# 财政局: 4 problems, 2 done, 2 overdue (and so on the red rung), none signed off.
#   责任落实 15 - 2×1 (overdue) - 0 (extended) = 13
#   整改任务完成 60 - (100-50)×1 - min(100×0.2, 10) - 2×0.5 = 60 - 61 → 0
#   14 + 13 + 0 + 8.5 = 35.5 → 差 (under 60)
# 教育局: 3 of 3 done: 15 + 15 + (60 - 0 - 10 - 0) + 9 = 89 → 较好 (80 ≤ 89 < 90)
# 卫健委: 报告与事实不符 5 ≥ 5: vetoed, 0, 差 (before the veto: 12 + 13 + 0 + 7 = 32)
EXPECTED = {
    "财政局": ("35.5", "差", ["14", "13", "0", "8.5"]),
    "教育局": ("89", "较好", ["15", "15", "50", "9"]),
    "卫健委": ("0", "差", ["12", "13", "0", "7"]),
}


@pytest.fixture(scope="module")
def evaluated(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("evaluation")
    units = [Unit(tmp_path / "units", "财政局", "县财政局党组", ["已完成", "已完成", "基本完成", "整改中"]),
             Unit(tmp_path / "units", "教育局", "县教育局党委", ["已完成", "已完成", "已完成"]),
             Unit(tmp_path / "units", "卫健委", "县卫健委党组", ["整改中", "整改中"])]
    repo = rollup_repo(tmp_path)
    (repo / "sources.yml").write_text(sources_yml(units, {}), encoding="utf-8")
    assert pull(repo).returncode == 0
    (repo / "issues" / "evaluation.yml").write_text(SCORES, encoding="utf-8")
    build(repo, tmp_path / "site")
    return tmp_path / "site"


def cells(page, xpath: str) -> list[list[str]]:
    tree = html.fromstring(page.read_text(encoding="utf-8"))
    return [[td.text_content().strip() for td in tr.xpath("td")] for tr in tree.xpath(xpath)]


def test_each_unit_page_shows_scores_deductions_veto_and_grade(evaluated):
    for name, (total, grade, scores) in EXPECTED.items():
        page = evaluated / name / "evaluation" / "index.html"
        rows = cells(page, "//table[contains(@class, 'ledger-evaluation')]/tbody/tr")
        assert [r[0] for r in rows] == ["组织领导", "责任落实", "整改任务完成", "群众满意度"]
        assert [r[3] for r in rows] == scores
        text = page.read_text(encoding="utf-8")
        assert f'ledger-eval-total">{total}<' in text and f'ledger-eval-grade">{grade}<' in text
    fin = cells(evaluated / "财政局" / "evaluation" / "index.html", "//table[contains(@class, 'ledger-evaluation')]/tbody/tr")
    assert "逾期问题 2 个，每个扣 1 分，最多扣 10 分：扣 2 分" in fin[1][4]
    assert "整改完成率 50%，低于 100% 的每个百分点扣 1 分：扣 50 分" in fin[2][4]
    assert "销号率 0%，低于 100% 的每个百分点扣 0.2 分，最多扣 10 分：扣 10 分" in fin[2][4]
    vetoed = (evaluated / "卫健委" / "evaluation" / "index.html").read_text(encoding="utf-8")
    assert "一票否决" in vetoed and "报告与事实不符 5（达到 5 即否决）" in vetoed and "各项合计 32 分" in vetoed


def test_the_ranked_summary_orders_units_by_total(evaluated):
    rows = cells(evaluated / "evaluation" / "index.html", "//table[contains(@class, 'ledger-eval-rank')]/tbody/tr")
    assert [(r[0], r[1], r[-3], r[-2]) for r in rows] == [
        ("1", "县教育局党委", "89", "较好"), ("2", "县财政局党组", "35.5", "差"), ("3", "县卫健委党组", "0", "差")]
    assert "整改评估" in (evaluated / "index.html").read_text(encoding="utf-8")


def test_the_word_evaluation_table_says_the_same(evaluated):
    document = docx.Document(BytesIO((evaluated / "财政局" / "downloads" / "整改评估表.docx").read_bytes()))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "县财政局党组巡察整改评估表" in text and "总分 35.5 分，评估等次为“差”" in text
    table = [[c.text for c in row.cells] for row in document.tables[-1].rows]
    assert table[0] == ["评估指标", "满分", "扣分", "得分", "扣分依据"]
    assert [r[:4] for r in table[1:]] == [["组织领导", "15", "1", "14"], ["责任落实", "15", "2", "13"],
                                          ["整改任务完成", "60", "60", "0"], ["群众满意度", "10", "1.5", "8.5"],
                                          ["合计", "100", "64.5", "35.5"]]
    vetoed = docx.Document(BytesIO((evaluated / "卫健委" / "downloads" / "整改评估表.docx").read_bytes()))
    assert "触发一票否决（报告与事实不符5项），总分记 0 分" in "\n".join(p.text for p in vetoed.paragraphs)


def test_evaluation_settings_and_scores_are_checked_with_their_lines(tmp_path):
    issues = tmp_path / "issues"
    issues.mkdir()
    (issues / "summary.yml").write_text(
        "evaluation:\n  indicators:\n    - {name: 组织领导, points: 15, manual: true}\n"
        "    - name: 整改任务完成\n      points: 80\n      rules:\n        - {measure: rate, deduct: 1}\n"
        "        - {measure: completion_rate, deduct: 1}\n", encoding="utf-8")
    (issues / "evaluation.yml").write_text("财政局:\n  组织领导: 16\n  作风建设: 3\n", encoding="utf-8")
    diags = Diagnostics()
    settings = read_settings(issues, tmp_path, diags)
    messages = [str(d) for d in diags.items]
    assert any(m.startswith("issues/summary.yml:7: rules:") and "“rate”不是可用的指标数据" in m for m in messages)
    assert any(m.startswith("issues/summary.yml:8: rules:") and "请写 below" in m for m in messages)
    assert any("各指标满分合计为 95，应为 100" in m for m in messages)
    assert "issues/evaluation.yml:2: 财政局.组织领导: 得分 16 超过该指标满分 15。" in messages
    assert any(m.startswith("issues/evaluation.yml:3: 财政局.作风建设:") for m in messages)
    assert settings.evaluation.indicators[0].points == Decimal(15)


@pytest.mark.slow
def test_the_evaluation_table_opens_in_libreoffice_with_every_score(evaluated, tmp_path):
    import subprocess

    from pdf_layout import soffice_pdf

    pdf = soffice_pdf(evaluated / "财政局" / "downloads" / "整改评估表.docx", tmp_path)
    layout = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    lines = [" ".join(line.split()) for line in layout.splitlines()]
    assert "县财政局党组巡察整改评估表" in lines and "总分 35.5 分，评估等次为“差”。" in lines
    for row in ("组织领导 15 1 14", "责任落实 15 2 13", "整改任务完成 60 60 0", "群众满意度 10 1.5 8.5", "合计 100 64.5 35.5"):
        assert any(line.startswith(row) for line in lines), row
