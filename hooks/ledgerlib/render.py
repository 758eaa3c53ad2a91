"""Rendering: turn a Ledger into the site's generated Markdown pages.

The result is a list of ``Page`` objects (path, Markdown text, whether it is
in the nav, which source file the edit button opens). The site generator
adapter (hooks/ledger_hooks.py) only hands them over; nothing here imports
MkDocs. The pages do rely on these conventions of MkDocs 1.6 and
mkdocs-material 9, which a port to another generator must keep or replace:

* URLs: a page is named by its path as if under docs/ (``src_uri``); its URL
  is MkDocs's (``page_url``): "a/b.md" is "a/b/" with ``use_directory_urls``
  (the adapter passes the setting on), else "a/b.html"; links between pages
  are relative (``relative_url``), so the site works under any base path.
* Markdown: Python-Markdown with the extensions in mkdocs.yml (tables,
  attr_list, md_in_html, admonition ``!!! info``); front-matter keys are
  Material's (``hide: [navigation]``, ``search: {exclude: true}``) and ours
  (``ledger_body_class``, put on <body> by the adapter).
* Slots: generated HTML kept out of Markdown (``slot_html``) is put back by
  the adapter after the page is rendered and sanitised (``fill_slots``, in
  MkDocs's on_page_content); ``data-search-exclude`` is Material's search.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
from markupsafe import Markup, escape

from . import aggregate, chart, docslots, lists
from . import documents as D
from . import warnings as W
from .genre import chinese_date, literal_marks, md_escape
from .history import FieldChange
from .issued import Register
from .ledgerbuild import LedgerBuild
from .letterbook import letter_src
from .measures import format_number
from .model import Evidence, Issue, Ledger
from .revfields import TRACKED
from .sanitize import sanitize_html
from .siteurls import category_src, owner_src, problem_src, relative_url, status_src
from .timeline import timeline_html

TEMPLATES = Path(__file__).with_name("templates")


@dataclass
class Page:
    src_uri: str  # path as if it were a file under docs/
    title: str
    markdown: str
    in_nav: bool = True
    edit_path: str | None = None  # source file relative to the repository root
    problem: bool = False  # a problem's own page (search lists these first)
    # Generated HTML that the sanitiser would strip (the chart's inline SVG),
    # keyed by slot name. The Markdown carries only an empty placeholder
    # (slot_html), filled in after sanitising (fill_slots), so authors still
    # cannot write SVG themselves.
    slots: dict[str, str] = field(default_factory=dict)

    def full_markdown(self) -> str:
        """The Markdown with the blocks kept out of it (BYPASS_SLOT) put back:
        what the page says, for readers of the Markdown other than MkDocs."""
        bypassed = {k: v for k, v in self.slots.items() if k.startswith(BYPASS_SLOT)}
        return fill_slots(self.markdown, bypassed)[0]


REPORT_SRC = D.KIND_INFO[D.DEFAULT_KIND].src  # the report page (整改报告)
BYPASS_SLOT = "html-"  # slot names of blocks kept out of Markdown (Renderer._bypass)


def slot_html(name: str) -> str:
    return f'<div id="ledger-slot-{name}"></div>'


def fill_slots(html: str, slots: dict[str, str]) -> tuple[str, list[str]]:
    """Replace each slot's placeholder; returns (html, names of slots not found)."""
    missing = []
    for name, content in slots.items():
        placeholder = slot_html(name)
        if placeholder not in html:
            missing.append(name)
        html = html.replace(placeholder, content, 1)
    return html, missing


CALENDAR_FILE = "calendar.ics"  # each ledger's deadline calendar, beside its pages


def ledger_title(ledger: Ledger) -> str:
    return f"{ledger.unit} · {ledger.round}" if ledger.round else ledger.unit


@dataclass
class Links:
    """follows: links between problems, by id() of the Issue: (title, src_uri)."""

    follows: dict[int, list[tuple[str, str]]] = field(default_factory=dict)
    followed_by: dict[int, list[tuple[str, str]]] = field(default_factory=dict)


@dataclass
class NavSection:
    """An overview page and the pages listed under it in the nav."""

    index_src: str
    children: list[tuple[str, str]] = field(default_factory=list)  # (title, src_uri)


@dataclass
class SiteContent:
    pages: list[Page]
    sections: dict[str, NavSection]  # keyed by index_src
    # nav entries (by page) to replace with (title, page), or drop (None): with
    # several ledgers, the per-ledger pages of mkdocs.yml's nav have no single
    # page to stand for.
    nav_replace: dict[str, tuple[str, str] | None] = field(default_factory=dict)


class CompiledTemplates(jinja2.BytecodeCache):
    """Compiled templates kept in memory for the whole process. Each Renderer
    has its own Environment (its globals are its ledger's), and compiling the
    templates again for each of 40 ledgers cost a sixth of the build. The key
    includes the template's source checksum, so `mkdocs serve` still sees
    edits. The site adapter keeps the theme's templates in another one."""

    def __init__(self):
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        if bucket.key in self.code:
            bucket.bytecode_from_string(self.code[bucket.key])

    def dump_bytecode(self, bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()


_COMPILED = CompiledTemplates()


def template_env() -> jinja2.Environment:
    """The Jinja environment every generated page is rendered with."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
        bytecode_cache=_COMPILED,
        # An environment lives for one build (each Renderer makes its own), so
        # checking every template file's time stamp on each use (2,000 times
        # per template at 2,000 problems) finds nothing to reload.
        auto_reload=False,
    )
    env.filters["md"] = md_text
    env.filters["todo"] = docslots.highlight  # placeholders marked on the document pages
    return env


def md_text(value: object) -> Markup:
    """Escape a plain value for a Markdown line: no markup, no HTML."""
    return Markup(md_escape(str(value)))


@dataclass(frozen=True)
class SiteOptions:
    """What the site adds to a ledger's pages: where docs/ is (evidence
    links), the URL style, the day and commit of an as-of build (named on the
    dashboard) and the follows: links between ledgers."""

    docs_dir: Path | None = None
    directory_urls: bool = True
    rebuild_date: dt.date | None = None
    rebuild_rev: str | None = None
    links: Links = field(default_factory=Links)


class Renderer:
    def __init__(self, build: LedgerBuild, site: SiteOptions | None = None):
        """``build`` is the ledger's one LedgerBuild of this build: its
        standing, history, documents, downloads and issued documents."""
        site = site or SiteOptions()
        ledger, standing, prefix, history = build.ledger, build.standing, build.prefix, build.history
        self.build = build
        self.ledger = ledger
        self.standing = standing
        self.prefix = prefix
        self.links = site.links
        self.letters = W.letters_by_problem(ledger)  # the 预警督办 table of each problem page
        self.report = build.report
        self.documents = build.documents
        self.document_downloads = build.downloads.documents if build.downloads else {}
        self.issued = build.issued
        self.as_of = standing.as_of
        self.history = history
        self.docs_dir = site.docs_dir.resolve() if site.docs_dir else None
        self.directory_urls = site.directory_urls
        self.env = template_env()
        # What clerks typed as prose: "*" and "_" print as themselves.
        self.env.filters["prose"] = lambda source: Markup(literal_marks(source))
        self.env.globals["slot"] = lambda name: Markup(slot_html(name))
        self.env.filters["bypass"] = self._bypass
        self.bypassed: dict[str, dict[str, str]] = {}  # src_uri -> slot name -> sanitised HTML
        self._bypassed: dict[str, str] | None = None  # the page being rendered
        self.sanitize = sanitize_html  # tests swap in identity to check the allowlist
        self.env.globals.update(
            ledger=ledger,
            standing=standing,
            as_of=standing.as_of,
            statuses=ledger.statuses,
            status_order={s.key: n for n, s in enumerate(ledger.statuses)},
            deadline_of=standing.deadline_of,
            light_of=standing.light_of,
            letters_of=lambda issue, measures=False: [x for x in self.letters.get(issue.id, ())
                                                      if measures or x.item == issue.id],
            letter_src=lambda letter: prefix + letter_src(letter),
            level_name=lambda letter: W.level_title(ledger, letter),
            problem_src=lambda issue: prefix + problem_src(issue),
            category_src=lambda category: prefix + category_src(category),
            owner_src=lambda owner: prefix + owner_src(owner),
            calendar_src=prefix + CALENDAR_FILE,
            follows_of=lambda issue: self.links.follows.get(id(issue), ()),
            followed_by=lambda issue: self.links.followed_by.get(id(issue), ()),
            evidence_src=self.evidence_src,
            history=history,
            history_of=self.history_of,
            uncommitted=self.uncommitted,
            timeline=self.timeline,
            status_label=self.status_label,
            rebuild_date=site.rebuild_date,
            rebuild_rev=site.rebuild_rev,
            downloads=build.downloads.listed if build.downloads else [],  # linked from 问题清单
            tasks_of=lambda issue: [lists.Task(issue, m) for m in issue.tasks],
            extensions_of=standing.extensions_of,
            result_number=format_number,
        )
        self._status_labels = {}
        for status in ledger.statuses:
            self._status_labels[status.key] = self._status_labels[status.label] = status.label

    def timeline(self, issue: Issue) -> Markup:
        """A problem page's 变更记录 (see timeline.timeline_html)."""
        past = self.history_of(issue) if self.history.available else None
        return timeline_html(self.history, past, lambda: self.uncommitted(issue), self.status_label)

    def history_of(self, issue: Issue):
        return self.history.of(issue.path.name) if self.history else None

    def uncommitted(self, issue: Issue) -> tuple[FieldChange, ...]:
        """Front-matter edits not committed yet, e.g. while previewing with
        `mkdocs serve`: the page shows the file, the timeline only commits."""
        past = self.history_of(issue)
        if past is None or past.state is None:
            return ()
        now = {"status": issue.status.label, "owner": issue.owner_text or None, "leader": issue.leader or None,
               "deadline": issue.deadline.isoformat() if issue.deadline else None,
               "completed": issue.completed.isoformat() if issue.completed else None}
        before = {**past.state, "status": self.status_label(past.state.get("status"))}
        return tuple(FieldChange(k, before.get(k), now[k]) for k in TRACKED if before.get(k) != now[k])

    def status_label(self, raw: str | None) -> str | None:
        """A historical status as today's label; a retired one as it was written."""
        return self._status_labels.get(raw, raw) if raw is not None else None

    def progress_chart(self) -> tuple[chart.ProgressData | None, chart.ChartLayout | None]:
        if self.history is None or not self.history.available:
            return None, None
        data = chart.progress_series(self.history.moves, self.ledger.statuses)
        return data, chart.chart_layout(data, self.ledger.statuses, self.as_of)

    def evidence_src(self, item: Evidence) -> str | None:
        """Evidence under docs/ is published with the site and can be linked."""
        if not item.file or self.docs_dir is None:
            return None
        path = (self.ledger.repo_root / item.file).resolve()
        try:
            return path.relative_to(self.docs_dir).as_posix()
        except ValueError:
            return None

    def render(self, template: str, src_uri: str, **context) -> str:
        link = lambda target: relative_url(src_uri, target, self.directory_urls)  # noqa: E731
        self._bypassed = self.bypassed.setdefault(src_uri, {})
        try:
            return self.env.get_template(template).render(link=link, menu=self.ledger_menu(src_uri), **context)
        finally:
            self._bypassed = None

    def _bypass(self, html: str, search: bool = True) -> Markup:
        """``{% filter bypass %}…{% endfilter %}``: keep a block of generated
        HTML out of Python-Markdown. The block is sanitised here, as the page
        would have been, and the Markdown carries an empty slot for it, filled
        in on_page_content. Markdown passes raw HTML through unchanged, but
        md_in_html and MkDocs each parse it with html.parser first: for the
        tables of a large ledger (tens of thousands of rows over the lists
        and overviews) that was a fifth of the build."""
        if self._bypassed is None:  # rendered outside a page
            return Markup(html)
        # search=false: the block is not indexed (a problem's change log is
        # dates and commit messages, not the problem's text).
        name = f"{BYPASS_SLOT}{len(self._bypassed)}"
        clean = self.sanitize(str(html))
        if not search:
            # Added after cleaning, by us: Material's search skips the block.
            clean = f"<div data-search-exclude>{clean}</div>"
        self._bypassed[name] = clean
        return Markup(slot_html(name))

    def pages(self) -> SiteContent:
        ledger, standing = self.ledger, self.standing
        total = standing.total
        progress_data, progress_chart = self.progress_chart()
        slots = {}
        if progress_chart is not None:
            slots["progress-chart"] = self.env.get_template("progress_chart.svg.j2").render(progress_chart=progress_chart)
        p = self.prefix
        pages = [
            Page(p + "index.md", "首页", self.render(
                "dashboard.md.j2", p + "index.md", total=total,
                progress_data=progress_data, progress_chart=progress_chart,
                progress_rows=[*((g.label, g.counts, p + category_src(g.category)) for g in standing.by_category),
                               ("合计", total, None)],
                overdue=standing.overdue, due_soon=standing.due_soon,
                todo=docslots.todo(self.documents.values())), slots=slots),
            Page(p + "list.md", "问题清单", self.render("list.md.j2", p + "list.md", total=total)),
            Page(p + "tasks.md", "任务清单", self.render("tasks.md.j2", p + "tasks.md")),
            Page(p + REPORT_SRC, "整改报告", self.render(
                "report.md.j2", p + REPORT_SRC, doc=self.report, page_title="整改报告", notes=())),
        ]
        sections = {}
        document_pages, sections[p + D.INDEX_SRC] = self.document_pages()
        pages += document_pages
        for spec in group_specs(self.ledger, self.standing):
            index_src = p + spec["index_src"]
            section = NavSection(index_src)
            rows = [(g.label, g.counts, p + spec["src"](g)) for g in spec["groups"]]
            rows.append(("合计", total, None))
            pages.append(Page(index_src, spec["title"], self.render(
                "group_index.md.j2", index_src, heading=spec["title"], intro=spec["intro"],
                rows=rows, first_header=spec["first_header"])))
            for group in spec["groups"]:
                src = p + spec["src"](group)
                title = spec["child_title"](group)
                if spec["in_nav"]:
                    section.children.append((title, src))
                pages.append(Page(src, title, self.render(
                    "group.md.j2", src, heading=title, group=group, columns=spec["columns"],
                    tasks=spec.get("tasks", lambda g: [])(group)),
                    in_nav=spec["in_nav"]))
            sections[index_src] = section
        pages += [self.problem_page(issue) for issue in ledger.issues]
        for page in pages:
            page.slots.update(self.bypassed.get(page.src_uri, {}))
            # One ledger of several: its pages are linked from the roll-up and
            # its menu line, never from the nav (rendered into every page).
            page.in_nav = page.in_nav and not p
        return SiteContent(pages, sections)

    def problem_page(self, issue: Issue) -> Page:
        """One problem's page (pages() makes every one; the live preview
        remakes only the problems just edited)."""
        p = self.prefix
        src = p + problem_src(issue)
        # With several ledgers, "15. 党支部分工不明确" exists once per round:
        # the browser tab and the search results name the ledger too.
        title = (f"{p.rstrip('/')} · " if p else "") + f"{issue.id}. {issue.title}"
        page = Page(src, title, self.render("problem.md.j2", src, issue=issue, page_title=title),
                    in_nav=False, edit_path=issue.rel_path, problem=True)
        page.slots.update(self.bypassed.get(src, {}))
        return page

    def document_pages(self) -> tuple[list[Page], NavSection]:
        """整改文件: the documents of the round (plan, final, notice; the
        progress report is report.md), their index, and 已报送文件."""
        p = self.prefix
        pages = []
        for kind in D.KINDS:
            info = D.KIND_INFO[kind]
            if kind != D.DEFAULT_KIND:
                pages.append(Page(p + info.src, info.label, self.render(
                    "report.md.j2", p + info.src, doc=self.documents[kind], page_title=info.label, notes=())))
        rows = [(D.KIND_INFO[k], self.documents[k], self.document_downloads.get(k)) for k in D.KINDS]
        pages.append(Page(p + D.INDEX_SRC, "整改文件", self.render(
            "documents.md.j2", p + D.INDEX_SRC, rows=rows, issued_src=p + D.ISSUED_SRC if self.issued is not None else None, prefix=p)))
        if self.issued is not None:
            pages += issued_pages(self, self.issued, p)
        section = NavSection(p + D.INDEX_SRC, [(D.KIND_INFO[k].nav, p + D.KIND_INFO[k].src) for k in D.KINDS])
        if self.issued is not None:
            section.children.append(("已报送文件", p + D.ISSUED_SRC))
        return pages, section

    def ledger_menu(self, src_uri: str) -> Markup:
        """With several ledgers, a line of links under each page's title to the
        ledger's other pages and back to the roll-up: these pages stay out of
        the nav, which is rendered into every page and must not grow with the
        number of ledgers."""
        if not self.prefix:
            return Markup("")
        p = self.prefix
        items = [("index.md", "总览"), ("report.md", "整改报告"), (D.INDEX_SRC, "整改文件"), ("list.md", "问题清单"), ("tasks.md", "任务清单"),
                 ("categories/index.md", "按问题方面"), ("owners/index.md", "责任清单"),
                 ("status/index.md", "按整改状态"), (CALENDAR_FILE, "整改日历")]
        links = [f'<a href="{relative_url(src_uri, "index.md", self.directory_urls)}">全部台账</a>', str(escape(self.title))]
        links += [f'<a href="{relative_url(src_uri, p + target, self.directory_urls)}">{label}</a>' for target, label in items]
        return Markup('<p class="ledger-menu">' + " · ".join(links) + "</p>")

    @property
    def title(self) -> str:
        """The ledger's name on its pages: unit and round."""
        return ledger_title(self.ledger)


def group_specs(ledger: Ledger, standing: aggregate.Standing) -> list[dict]:
    """The three overviews (方面, 责任部门, 状态): their index page and one page per group."""
    return [
        dict(index_src="categories/index.md", title="按问题方面", first_header="问题方面",
             intro=f"反馈问题共分 {len(ledger.categories)} 个方面，按报告中的顺序排列。",
             groups=standing.by_category,
             src=lambda g: category_src(g.category),
             child_title=lambda g: g.label,
             columns=("owner", "leader", "deadline", "status"), in_nav=True),
        dict(index_src="owners/index.md", title="责任清单", first_header="责任部门",
             intro=("各责任部门牵头的问题和负责的整改措施；一个问题有多个责任部门时，在每个部门下都列出。"
                    if standing.tasks else "各责任部门牵头的问题；一个问题有多个责任部门时，在每个部门下都列出。"),
             groups=standing.by_owner,
             src=lambda g: owner_src(g.key),
             tasks=lambda g: standing.tasks_by_owner.get(g.key, ()),
             child_title=lambda g: f"{g.label}",
             columns=("category", "leader", "deadline", "status"),
             # Departments grow with the ledger (hundreds in a district), and
             # the nav is rendered into every page: listing them there made
             # each page O(departments) and the build O(n²). The index page's
             # table links them all.
             in_nav=False),
        dict(index_src="status/index.md", title="按整改状态", first_header="整改状态",
             intro="按整改状态分列的问题。",
             groups=standing.by_status,
             src=lambda g: status_src(g.status.key),
             child_title=lambda g: g.label,
             columns=("category", "owner", "leader", "deadline"), in_nav=True),
    ]


def issued_pages(renderer: Renderer, register: Register, prefix: str) -> list[Page]:
    """已报送文件: the register, each frozen copy as it was sent, and what changed since."""
    pages = [Page(prefix + D.ISSUED_SRC, "已报送文件", renderer.render(
        "issued.md.j2", prefix + D.ISSUED_SRC, register=register, prefix=prefix, kinds=D.KIND_INFO))]
    for item in register.items:
        if item.doc is not None:
            note = (f"这是{chinese_date(item.day)}报送的{item.label}，按报送时的台账（标签 {item.tag}，提交 {item.commit[:7]}）"
                    f"重建；此后台账的修改不会改变本页。")
            pages.append(Page(prefix + item.src, f"{item.label}（{item.day.isoformat()}报送）", renderer.render(
                "report.md.j2", prefix + item.src, doc=item.doc, page_title=f"{item.label}（{item.day.isoformat()}报送）",
                notes=(note,)), in_nav=False))
        pages.append(Page(prefix + item.changes_src, f"{item.label}（{item.day.isoformat()}）的变化", renderer.render(
            "issued_changes.md.j2", prefix + item.changes_src, item=item, prefix=prefix), in_nav=False))
    return pages
