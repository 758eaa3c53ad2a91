"""Measure the site search on a built site, as dev/performance.md reports it.

    .venv/bin/python scripts/ledger.py bench --issues 2000 --runs 1 --keep
    .venv/bin/python tests/search_figures.py /tmp/ledger-bench-2000-…/site

For each query, in a fresh Chromium page (empty cache): the bytes the first
query fetched from search/ (uncompressed, as `python -m http.server` serves),
the time from typing to the first results on screen, and recall and
precision over the problem pages (ground truth: the pages' own text).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from cdp import Browser, find_browser, serve, show_all, type_query
from site_checks import article_text

QUERIES = ("三会一课", "党风廉政", "整改", "安全生产", "民主生活会", "量子计算机")

FETCHED_JS = """performance.getEntriesByType('resource')
  .filter(e => e.name.includes('/search/') && e.startTime >= %f)
  .reduce((sum, e) => [sum[0] + e.decodedBodySize, sum[1] + e.transferSize, sum[2] + 1], [0, 0, 0])"""


def problem_texts(site: Path) -> dict[str, str]:
    return {f"problems/{p.parent.name}/": " ".join(article_text(p, searchable=True).split())
            for p in (site / "problems").glob("*/index.html")}


def measure(site: Path) -> list[dict]:
    texts = problem_texts(site)
    rows = []
    browser = Browser(find_browser())
    try:
        with serve(site) as url:
            for query in QUERIES:
                browser.call("Network.clearBrowserCache", browser.session)
                browser.goto(url)
                start = browser.evaluate("performance.now()")
                seconds = type_query(browser, query)
                body, transfer, requests = browser.evaluate(FETCHED_JS % start)
                first = browser.evaluate("document.querySelector('.ledger-search__status').textContent")
                results = show_all(browser)
                listed = [u.split("#")[0].removeprefix(url) for u in results["urls"]]
                exact = [u for u in listed[:_exact_count(results["status"], len(listed))]]
                expected = {u for u, t in texts.items() if query in t}
                found = {u for u in exact if u in texts}
                rows.append({
                    "query": query, "ms": round(seconds * 1000), "bytes": body, "transfer": transfer,
                    "requests": requests, "status": first, "expected": len(expected),
                    "recall": len(found & expected) / len(expected) if expected else 1.0,
                    "precision": len(found & expected) / len(found) if found else 1.0,
                    "first_ok": (not expected) or (listed and query in texts.get(listed[0], query)),
                })
    finally:
        browser.close()
    return rows


def _exact_count(status: str, listed: int) -> int:
    if status.startswith("找到 "):
        return int(status.split()[1])
    return 0 if status.startswith("没有") else listed


def main() -> None:
    site = Path(sys.argv[1])
    pages = len(list((site / "problems").glob("*/index.html")))
    print(f"{pages} 个问题页")
    print("| 查询 | 应找到的问题页 | 召回率 | 精确率 | 第一条含查询词 | 首次查询下载（KB，请求数） | 出结果（毫秒） |")
    print("| --- | ---: | ---: | ---: | --- | ---: | ---: |")
    for r in measure(site):
        print(f"| {r['query']} | {r['expected']} | {r['recall']:.2f} | {r['precision']:.2f} | "
              f"{'是' if r['first_ok'] else '否'} | {r['bytes'] / 1024:.0f}（{r['requests']}） | {r['ms']} |")


if __name__ == "__main__":
    main()
