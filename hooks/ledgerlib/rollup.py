"""The roll-up over several ledgers: the 巡察办's home page.

One row per ledger (unit, round, feedback date, problems, done, rate,
overdue, continuing problems), rows under the threshold marked, totals.
Each ledger's own pages are linked from here and from each other (the menu
line under their titles), never from the nav: the nav is rendered into every
page, so anything in it that grows with the ledgers makes the build O(n²).
"""

from __future__ import annotations

from dataclasses import dataclass

import jinja2

from .aggregate import Counts, Standing
from .ledgers import Collection, LedgerRef
from .model import Ledger
from .render import CALENDAR_FILE, TEMPLATES, Links, Page, ledger_title, md_text, problem_src, relative_url

ROLLUP_THRESHOLD = 0.8  # rows under this completion rate are marked (published practice: 80%)


@dataclass(frozen=True)
class RollupRow:
    ref: LedgerRef
    ledger: Ledger
    counts: Counts
    overdue: int
    continuing: int  # problems that continue an earlier round (follows:)

    @property
    def low(self) -> bool:
        return self.counts.rate is not None and self.counts.rate < ROLLUP_THRESHOLD


def rollup_rows(collection: Collection, standings: dict[str, Standing]) -> list[RollupRow]:
    """One row per ledger, from each ledger's Standing (keyed by ledger name)."""
    return [RollupRow(ref, ledger, standings[ref.name].total, len(standings[ref.name].overdue),
                      sum(1 for issue in ledger.issues if collection.continues(ref, issue)))
            for ref, ledger in collection.entries]


def rollup_total(rows: list[RollupRow]) -> RollupRow | None:
    """The totals row; its counts are summed over ledgers whose statuses may differ."""
    if not rows:
        return None
    total = sum(r.counts.total for r in rows)
    done = sum(r.counts.done for r in rows)
    return RollupRow(LedgerRef("", rows[0].ref.path.parent), rows[0].ledger, Counts({}, total, done),
                     sum(r.overdue for r in rows), sum(r.continuing for r in rows))


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


class Rollup:
    def __init__(self, collection: Collection, standings: dict[str, Standing], *, directory_urls: bool = True):
        self.collection = collection
        self.standings = standings
        self.directory_urls = directory_urls
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True, trim_blocks=True,
            lstrip_blocks=True, keep_trailing_newline=True, undefined=jinja2.StrictUndefined)
        self.env.filters["md"] = md_text

    def pages(self) -> list[Page]:
        rows = rollup_rows(self.collection, self.standings)
        src = "index.md"
        text = self.env.get_template("rollup.md.j2").render(
            rows=rows, total=rollup_total(rows), threshold=f"{ROLLUP_THRESHOLD:.0%}",
            title=ledger_title, calendar=CALENDAR_FILE,
            link=lambda target: relative_url(src, target, self.directory_urls))
        return [Page(src, "首页", text)]

    def nav_replace(self, ledger_pages: list[Page]) -> dict[str, tuple[str, str] | None]:
        """mkdocs.yml's nav names one ledger's pages (report.md, list.md, …);
        with several there is none to stand for, so those entries go."""
        first = self.collection.entries[0][0].prefix
        names = {page.src_uri[len(first):] for page in ledger_pages if page.src_uri.startswith(first)}
        return {name: None for name in names if name != "index.md"}
