"""The roll-up over several ledgers: the 巡察办's home page.

One row per ledger (unit, round, feedback date, problems, done, rate,
overdue, continuing problems), rows under the threshold marked, totals.
Each ledger's own pages are linked from here and from each other (the menu
line under their titles), never from the nav: the nav is rendered into every
page, so anything in it that grows with the ledgers makes the build O(n²).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from markupsafe import Markup

from .aggregate import Counts, Standing
from .documents import INDEX_SRC
from .downloads import Download
from .export_docx import render as render_docx
from .ledgerdata import mostly_done
from .ledgers import Collection, LedgerRef
from .model import Ledger
from .render import CALENDAR_FILE, Links, Page, ledger_title, template_env
from .rollup_evaluation import EVALUATION_PAGE, EvaluationPages
from .rollup_notice import build_notice
from .siteurls import problem_src, relative_url
from .sources import LockEntry


@dataclass(frozen=True)
class RollupRow:
    ref: LedgerRef
    ledger: Ledger
    counts: Counts
    overdue: int
    continuing: int  # problems that continue an earlier round (follows:)
    as_of: dt.date  # the ledger's own day of counting
    extended: int = 0  # problems whose deadline (or a measure's) moved later (延期)
    signed_off: int = 0  # problems closed in issues/signoff.yml (销号)
    low: bool = False  # under the completion-rate threshold (summary.yml, default 80%)
    lights: tuple[tuple[str, str, int], ...] = ()  # (level name, colour, open problems at it), ladder order
    mostly: int = 0  # problems in a status labelled 基本完成
    source: LockEntry | None = None  # a pulled unit's pin and freshness (sources.lock)


def rollup_rows(collection: Collection, standings: dict[str, Standing]) -> list[RollupRow]:
    """One row per ledger, from each ledger's Standing (keyed by ledger name)."""
    threshold = collection.settings.threshold / 100
    rows = []
    for ref, ledger in collection.entries:
        standing = standings[ref.name]
        rate = standing.total.rate
        rows.append(RollupRow(ref, ledger, standing.total, len(standing.overdue),
                              sum(1 for issue in ledger.issues if collection.continues(ref, issue)),
                              standing.as_of, standing.extended, standing.signed_off,
                              low=rate is not None and rate < threshold, mostly=mostly_done(ledger, standing),
                              lights=tuple((lv.name, lv.color, standing.lights.problem_counts.get(lv.key, 0))
                                           for lv in ledger.ladder.levels),
                              source=collection.settings.sources.get(ref.name)))
    return rows


def rollup_total(rows: list[RollupRow]) -> RollupRow | None:
    """The totals row; its counts are summed over ledgers whose statuses may differ."""
    if not rows:
        return None
    total = sum(r.counts.total for r in rows)
    done = sum(r.counts.done for r in rows)
    return RollupRow(LedgerRef("", rows[0].ref.path.parent), rows[0].ledger, Counts({}, total, done),
                     sum(r.overdue for r in rows), sum(r.continuing for r in rows), max(r.as_of for r in rows),
                     sum(r.extended for r in rows), sum(r.signed_off for r in rows),
                     lights=_light_totals(rows), mostly=sum(r.mostly for r in rows))


def _light_totals(rows: list[RollupRow]) -> tuple[tuple[str, str, int], ...]:
    """Counts per level summed by the level's name: ledgers may keep different ladders."""
    totals: dict[str, list] = {}
    for row in rows:
        for name, color, n in row.lights:
            totals.setdefault(name, [color, 0])[1] += n
    return tuple((name, color, n) for name, (color, n) in totals.items())


def follows_links(collection: Collection, directory_urls: bool = True) -> Links:
    """Both directions of every follows: link, as (title, page) for the templates."""
    links = Links()
    issues = {(ref.name, issue.id): issue for ref, ledger in collection.entries for issue in ledger.issues}

    def item(ref: LedgerRef, issue) -> tuple[str, str]:
        where = f"{ref.name} · " if ref.name else ""
        return f"{where}{issue.id}. {issue.title}", ref.prefix + problem_src(issue)

    for (name, issue_id), targets in collection.follows.items():
        links.follows[id(issues[(name, issue_id)])] = [item(ref, issue) for ref, issue in targets]
    for (name, issue_id), sources in collection.followed_by.items():
        links.followed_by[id(issues[(name, issue_id)])] = [item(ref, issue) for ref, issue in sources]
    return links


NOTICE_PAGE = "summary.md"
NOTICE_DOCX = "汇总通报.docx"


class Rollup:
    def __init__(self, collection: Collection, standings: dict[str, Standing], *, directory_urls: bool = True,
                 commit: str | None = None, dirty: bool = False):
        self.collection = collection
        self.standings = standings
        self.directory_urls = directory_urls
        self.rows = rollup_rows(collection, standings)
        self.total = rollup_total(self.rows)
        # One model for the printable page and the Word file.
        self.notice = build_notice(self.rows, self.total, collection.settings, commit=commit, dirty=dirty)
        self.env = template_env()
        # The report template keeps its HTML out of Markdown with this filter;
        # the notice is a few paragraphs per unit, so it simply passes through.
        self.env.filters["bypass"] = lambda html, search=True: Markup(html)
        settings = collection.settings
        self.evaluation = EvaluationPages(collection, standings, self.env, directory_urls) \
            if settings.evaluation is not None else None

    def pages(self) -> list[Page]:
        rows, total = self.rows, self.total
        threshold = f"{self.collection.settings.threshold}%"
        pages = [Page("index.md", "首页", self.render(
            "rollup.md.j2", "index.md", rows=rows, total=total, threshold=threshold, title=ledger_title,
            calendar=CALENDAR_FILE, notice=NOTICE_PAGE, notice_docx=NOTICE_DOCX, missing=self.missing_sources(),
            lock_warning=self.collection.settings.lock_warning, pulled=bool(self.collection.settings.sources),
            evaluation=EVALUATION_PAGE if self.evaluation else None))]
        pages.append(Page(NOTICE_PAGE, "汇总通报", self.render(
            "report.md.j2", NOTICE_PAGE, doc=self.notice, page_title="汇总通报", menu=self.notice_menu(),
            source_note="通报措辞在 issues/summary.yml 中修改。",
            pdf_command="python3 scripts/ledger.py pdf --summary")))
        if self.evaluation:
            pages += self.evaluation.pages()
        return pages

    def missing_sources(self) -> list[LockEntry]:
        """Sources in sources.lock with no ledger here: never pulled successfully."""
        names = {ref.name for ref, _ in self.collection.entries}
        return [entry for name, entry in sorted(self.collection.settings.sources.items()) if name not in names]

    def render(self, template: str, src: str, **context) -> str:
        return self.env.get_template(template).render(
            link=lambda target: relative_url(src, target, self.directory_urls), **context)

    def notice_menu(self) -> Markup:
        home = relative_url(NOTICE_PAGE, "index.md", self.directory_urls)
        docx = relative_url(NOTICE_PAGE, NOTICE_DOCX, self.directory_urls)
        return Markup(f'<p class="ledger-menu"><a href="{home}">全部台账</a> · <a href="{docx}">下载 Word 版（.docx）</a></p>')

    def nav_replace(self, ledger_pages: list[Page]) -> dict[str, tuple[str, str] | None]:
        """mkdocs.yml's nav names one ledger's pages (report.md, list.md, …);
        with several there is none to stand for, so those entries go."""
        first = self.collection.entries[0][0].prefix
        names = {page.src_uri[len(first):] for page in ledger_pages if page.src_uri.startswith(first)}
        replace = {name: None for name in names if name != "index.md"}
        # The round's documents are the notice: in mkdocs.yml's 整改文件 entry
        # (or an older nav's 整改报告 entry).
        for name in (INDEX_SRC, "report.md"):
            replace[name] = ("汇总通报", NOTICE_PAGE)
        return replace

    def downloads(self) -> list[Download]:
        evaluation = self.evaluation.downloads() if self.evaluation else []
        return [Download(NOTICE_DOCX, "汇总通报（Word）", render_docx(self.notice)), *evaluation]
