"""A real strict `mkdocs build` of the sample ledger, checked in the HTML."""

from __future__ import annotations

import re
from urllib.parse import unquote, urlparse

import pytest
import yaml

from conftest import REPO, mkdocs_build, read
from site_checks import article_text, outside_references, search_entries

pytestmark = pytest.mark.site  # make test runs these under ProperDocs too


def cells(html: str, row_label: str) -> list[str]:
    row = re.search(rf"<tr[^>]*><td>(?:<a [^>]*>)?{re.escape(row_label)}(?:</a>)?</td>(.*?)</tr>", html)
    assert row, row_label
    return re.findall(r"<td[^>]*>(.*?)</td>", row.group(1))


def test_dashboard_numbers_match_the_seed(sample_site):
    html = read(sample_site / "index.html")
    text = article_text(sample_site / "index.html")
    assert "17问题总数" in text and "17/17已完成" in text and "100%整改完成率" in text
    # columns: total, 未启动, 整改中, 已完成, 长期坚持, 完成率
    assert cells(html, "聚焦党中央各项决策部署在基层的落实情况") == ["3", "0", "0", "3", "0", "100%"]
    assert cells(html, "聚焦群众身边腐败问题和不正之风以及群众反映强烈的问题") == ["6", "0", "0", "6", "0", "100%"]
    assert cells(html, "聚焦基层党组织建设") == ["5", "0", "0", "5", "0", "100%"]
    assert cells(html, "落实巡视巡察整改情况") == ["3", "0", "0", "3", "0", "100%"]
    assert cells(html, "合计") == ["17", "0", "0", "17", "0", "100%"]
    assert "统计截至 2023-06-30" in text
    assert "没有超过整改时限仍未完成的问题" in text


def test_every_problem_has_a_page_with_its_texts(sample_site):
    pages = sorted(int(p.parent.name) for p in (sample_site / "problems").glob("*/index.html"))
    assert pages == list(range(1, 18))
    text = article_text(sample_site / "problems/15/index.html")
    assert "15. 党支部分工不明确" in text
    assert "问题描述\n党支部分工不明确；" in text
    assert "会议通过了《中共*区应急局党支部选举办法》" in text
    assert "整改状态\n已完成" in text and "责任部门\n局党支部" in text and "完成时间\n2023-06-16" in text


def test_problem_pages_are_not_in_the_nav(sample_site):
    html = read(sample_site / "list/index.html")
    nav = html[html.index('class="md-nav md-nav--primary"'):html.index('md-sidebar--secondary')]
    assert "problems/" not in nav
    for title in ("首页", "问题清单", "按问题方面", "责任清单", "按整改状态", "编写指南"):
        assert title in nav
    # Maintainers' notes (dev/) are not published to the clerks' site.
    assert "性能与规模" not in nav and not (sample_site / "performance").exists()
    # Categories and statuses are few and fixed in ledger.yml; departments grow
    # with the ledger and would make every page's nav (and the build) grow too.
    assert "局党支部" not in nav and "owners/" in nav  # only the 责任清单 index
    # navigation.prune: a section's pages are listed where the section is open,
    # elsewhere its title links to its index page (a problem page's nav is 4.7
    # KB instead of 11 KB at 2,000 problems).
    assert "聚焦基层党组织建设" not in nav and 'href="../categories/"' in nav
    for section, child in (("categories", "聚焦基层党组织建设"), ("status", "已完成")):
        opened = read(sample_site / section / "index.html")
        assert child in opened[opened.index('class="md-nav md-nav--primary"'):opened.index('md-sidebar--secondary')]


def test_edit_button_opens_the_problem_source(sample_site):
    # 编辑此页 opens the form (tests/test_form.py); the Git server's editor is the button beside it.
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8").split("\nhooks:")[0])
    html = read(sample_site / "problems/3/index.html")
    edit = re.search(r'<a href="([^"]+)" title="在 Git 服务器上编辑原文件"', html)
    assert edit, "no edit button"
    assert unquote(edit.group(1)) == config["repo_url"] + "/edit/main/issues/03-落实决策部署跟踪问效不到位.md"


def test_owner_pages_list_their_problems(sample_site):
    text = article_text(sample_site / "owners/安委办/index.html")
    assert "共 3 个问题" in text
    for title in ("落实决策部署跟踪问效不到位", "研究部署工作缺乏调研联系实际不紧密", "服务群众意识不强"):
        assert title in text
    index = read(sample_site / "owners/index.html")
    assert cells(index, "局党支部")[0] == "8"
    assert cells(index, "办公室")[0] == "7"


def test_category_and_status_pages(sample_site):
    text = article_text(sample_site / "categories/4/index.html")
    assert "共 3 个问题" in text and "党支部分工不明确" in text
    assert "共 17 个问题" in article_text(sample_site / "status/done/index.html")
    assert "共 0 个问题" in article_text(sample_site / "status/doing/index.html")


def test_problem_list_is_sortable_and_complete(sample_site):
    html = read(sample_site / "list/index.html")
    assert html.count('<tr class="ledger-row-') == 17
    assert 'class="ledger-table ledger-sortable"' in html
    assert re.search(r'<script src="[./]*assets/vendor/tablesort/tablesort.min.js"', html)


def test_evidence_file_is_linked(sample_site):
    html = read(sample_site / "problems/10/index.html")
    link = re.search(r'<a href="([^"]+)">局党委会议纪要（党建分工，示例）</a>', html)
    assert link and (sample_site / "problems/10" / unquote(link.group(1))).resolve().is_file()


def test_own_search_replaces_the_themes_and_anchors_are_chinese(sample_site):
    # The site's search (ledgerlib.search) is built; the theme's is off.
    assert (sample_site / "search/meta.json").is_file()
    assert not (sample_site / "search/search_index.json").exists()
    assert 'src="../assets/js/search.js"' in read(sample_site / "guide/index.html")
    assert 'id="整改进度"' in read(sample_site / "index.html")


def test_nothing_is_loaded_from_outside(sample_site):
    repo_host = urlparse(yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8").split("\nhooks:")[0])["repo_url"]).netloc
    assert outside_references(sample_site, allowed_link_hosts={repo_host}) == []
    for page in sample_site.rglob("*.html"):
        html = read(page)
        assert "fonts.googleapis" not in html and "unpkg.com" not in html and "cdn.jsdelivr" not in html


def test_invalid_ledger_stops_the_build_without_traceback(repo_copy):
    path = next((repo_copy / "issues").glob("03-*.md"))
    path.write_text(read(path).replace("status: 已完成", "status: 已完毕"), encoding="utf-8")
    site = repo_copy / "site"
    site.mkdir()
    (site / "index.html").write_text("上一次成功构建的网站", encoding="utf-8")
    for strict in (True, False):
        # The real process, as a clerk runs it: nothing but the messages may reach the terminal.
        result = mkdocs_build(repo_copy, site, strict=strict, process=True)
        assert result.returncode == 1
        assert "Traceback" not in result.stderr + result.stdout
        assert "issues/03-落实决策部署跟踪问效不到位.md:5: status: “已完毕”不是有效状态；可选：未启动、整改中、已完成、长期坚持" in result.stderr
        assert "网站未生成" in result.stdout + result.stderr
        assert read(site / "index.html") == "上一次成功构建的网站"


def test_change_log_is_kept_out_of_the_search_index(sample_site):
    """Each problem's text is indexed once, on its own page; the change log
    (dates, commit messages) is not indexed at all."""
    def squash(text: str) -> str:  # Material inserts zero-width spaces between Chinese words
        return re.sub(r"[\s\u200b]+", "", re.sub(r"<[^>]+>", "", text))

    html = read(sample_site / "problems/15/index.html")
    block = re.search(r"<div data-search-exclude>(.*?)</div>\s*</article>", html, re.S)
    assert block, "no search-excluded change log on the problem page"
    log_text = squash(block.group(1))
    assert len(log_text) > 5
    indexed = [squash(text) for _, _, text in search_entries(sample_site)]
    assert not any(log_text in text for text in indexed)
    problem = squash("党支部分工不明确；")
    assert sum(problem in text for text in indexed) == 1


def test_built_by_the_chosen_engine(sample_site):
    """LEDGER_ENGINE picks the generator (make test runs both)."""
    from ledgerlib.mkdocsrun import engine

    generator = re.search(r'<meta name="generator" content="([^"]+)"', read(sample_site / "index.html")).group(1)
    assert ("ProperDocs" in generator) == (engine() == "properdocs"), generator
