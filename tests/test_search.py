"""The site's search (ledgerlib.search + assets/js/search.js), typed into the
header box of the built sample site in the system Chromium.

Recall is checked against the pages themselves: every problem page whose
visible text (less the change log, which search leaves out) holds the query
must be listed. Needs chromium (.ci/run installs it).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from cdp import serve, show_all, type_query
from conftest import read
from ledgerlib.search import MAX_BLOCK, SearchDoc, bigram_hash, block_size, fold, postings, write_index
from site_checks import article_text, search_entries

pytestmark = pytest.mark.site

QUERIES = ("三会一课", "党风廉政", "整改", "安全生产", "民主生活会")
NO_RESULTS = "没有找到符合条件的结果"


@pytest.fixture(scope="module")
def site_url(sample_site):
    with serve(sample_site) as url:
        yield url


def page_of(url: str, site: Path) -> Path:
    return site / unquote(urlsplit(url).path).lstrip("/") / "index.html"


def problem_pages_with(site: Path, query: str) -> set[str]:
    return {p.parent.relative_to(site).as_posix() for p in (site / "problems").glob("*/index.html")
            if query in " ".join(article_text(p, searchable=True).split())}


def ask(browser, site_url, query):
    browser.goto(site_url)
    seconds = type_query(browser, query)
    return seconds, show_all(browser)


@pytest.mark.parametrize("query", QUERIES)
def test_every_problem_page_with_the_words_is_found_and_first_hits(browser, site_url, sample_site, query):
    _, results = ask(browser, site_url, query)
    found = [page_of(url, sample_site) for url in results["urls"]]
    found_problems = {p.parent.relative_to(sample_site).as_posix() for p in found
                      if p.parent.parent.name == "problems"}
    expected = problem_pages_with(sample_site, query)
    assert expected, query  # the sample holds every test query
    assert expected <= found_problems, f"{query}: missing {sorted(expected - found_problems)}"
    assert re.fullmatch(rf"找到 {len(results['urls'])} 个结果", results["status"])
    # Every listed page shows the words as typed: exact matches only here.
    for path in found:
        assert query in " ".join(article_text(path, searchable=True).split()) or path.parent.name == "report", (query, path)
    first = found[0]
    assert query in " ".join(article_text(first, searchable=True).split()) or query in results["excerpts"][0], (query, first)
    assert all(query in excerpt or query in title
               for excerpt, title in zip(results["excerpts"], results["titles"], strict=True)), results["excerpts"]
    assert len(set(results["urls"])) == len(results["urls"])


def test_title_hits_rank_first(browser, site_url):
    _, results = ask(browser, site_url, "三会一课")
    # Problem 17's title holds the phrase; 10 and 11 have it only in the text.
    assert results["titles"][0].startswith("17.")
    assert {t.split(".")[0] for t in results["titles"][1:3]} == {"10", "11"}


def test_no_hit_says_so_in_chinese(browser, site_url):
    _, results = ask(browser, site_url, "量子计算机")
    assert results["status"] == NO_RESULTS
    assert results["urls"] == []


def test_one_character_asks_for_two(browser, site_url):
    _, results = ask(browser, site_url, "党")
    assert results["status"] == "请至少输入两个字"


def test_words_apart_are_listed_after_a_notice(browser, site_url):
    # 党风 and 建设 each occur, and together in "党风廉政建设", never as "党风建设".
    _, results = ask(browser, site_url, "党风建设")
    assert results["status"].startswith("没有完全一致的结果")
    assert results["urls"]


def test_report_narrative_and_guide_are_indexed(sample_site):
    docs = search_entries(sample_site)
    urls = [url for url, _, _ in docs]
    assert "guide/" in urls and "report/" in urls
    assert sum(url.startswith("problems/") for url in urls) == 17
    assert urls[:17] == [f"problems/{n}/" for n in range(1, 18)]  # problems first, by number
    report_text = docs[urls.index("report/")][2]
    assert "主要负责人组织落实巡察整改情况" in report_text  # a narrative heading
    assert "附件" not in report_text  # the annex table repeats the problems


def test_search_box_is_in_the_header_of_every_page(browser, site_url):
    for path in ("", "guide/", "problems/3/", "report/"):
        browser.goto(site_url + path)
        assert browser.evaluate("!!document.querySelector('.md-header__inner .ledger-search__input')")
        assert browser.evaluate("document.querySelector('.ledger-search__input').placeholder") == "搜索台账"


def test_index_bytes_match_the_browser_hash(tmp_path):
    """The Python hash and delta coding, checked against a second reading."""
    docs = [SearchDoc("a/", "Alpha 标题", "正文 ABC 安全生产，安全生产。"), SearchDoc("b/", "乙", "生产安全")]
    figures = write_index(docs, tmp_path / "search")
    meta = json.loads(read(tmp_path / "search" / "meta.json"))
    assert meta["docs"] == figures["docs"] == 2
    assert meta["title_lengths"] == [8, 1]
    shard = json.loads(read(tmp_path / "search" / "s" / f"{bigram_hash('生产') % meta['shards']}.json"))
    flat = shard["生产"]
    block = json.loads(read(tmp_path / "search" / "d" / "0.json"))
    text = fold(block[0][2])
    first_doc_positions = [sum(flat[2:2 + k + 1]) for k in range(flat[1])]
    assert [text[p:p + 2] for p in first_doc_positions] == ["生产", "生产"]
    assert "abc" in text  # ASCII folded, so "ABC" and "abc" both find it
    assert "c 安" not in postings([text])  # no pair across a space


def test_engine_switch_rejects_an_unknown_name(tmp_path):
    import subprocess

    from conftest import REPO
    result = subprocess.run([sys.executable, str(REPO / "scripts" / "ledger.py"), "build", "--out", str(tmp_path / "s")],
                            capture_output=True, text=True, env={**os.environ, "LEDGER_ENGINE": "hugo"}, cwd=REPO)
    assert result.returncode == 2
    assert "LEDGER_ENGINE" in result.stderr and "Traceback" not in result.stderr


def test_blocks_hold_about_twelve_kilobytes_of_text():
    # Chinese is three bytes a character in UTF-8: 400 characters are 1,200 bytes.
    assert block_size(["字" * 400] * 50) == 10
    assert block_size(["字" * 20_000]) == 1  # a long page is a block of its own
    assert block_size(["字"] * 50) == MAX_BLOCK
    assert block_size([]) == 1


def test_texts_come_in_blocks_not_one_file_per_page(sample_site):
    meta = json.loads(read(sample_site / "search" / "meta.json"))
    blocks = sorted((sample_site / "search" / "d").glob("*.json"))
    assert len(blocks) == -(-meta["docs"] // meta["block"]) < meta["docs"]
    assert not (sample_site / "search" / "t").exists()


def test_an_index_of_another_format_asks_for_a_reload(browser, sample_site, tmp_path):
    # A browser may keep an old search.js or meta.json across an upgrade.
    site = tmp_path / "site"
    shutil.copytree(sample_site / "search", site / "search")
    shutil.copytree(sample_site / "assets", site / "assets")
    shutil.copy2(sample_site / "index.html", site / "index.html")
    meta = json.loads(read(site / "search" / "meta.json"))
    (site / "search" / "meta.json").write_text(json.dumps({**meta, "format": 1}), encoding="utf-8")
    with serve(site) as url:
        _, results = ask(browser, url, "整改")
    assert results["status"] == "搜索索引加载失败，请刷新页面后重试" and not results["urls"]
