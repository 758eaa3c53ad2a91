"""MkDocs adapter for the rectification ledger.

Thin on purpose: the ledger is loaded, validated and rendered by the plain
``ledgerlib`` package; this module only hands the rendered pages to MkDocs.
ProperDocs (MkDocs 1.x's continuation) runs this file unchanged: it answers
the ``mkdocs.*`` imports with its own modules (ledgerlib.mkdocsrun picks which
generator builds). Moving to another generator means rewriting this file only.
"""

from __future__ import annotations

import gc
import logging
import os
from dataclasses import dataclass
from html import escape as escape_html
from html import unescape
from pathlib import Path

import jinja2
import markdown
import mkdocs.structure.pages
from mkdocs.exceptions import Abort
from mkdocs.structure.files import File, Files, InclusionLevel

from ledgerlib import LedgerInvalid
from ledgerlib.buildenv import BuildEnv, SiteSetupError
from ledgerlib.errorpage import error_page
from ledgerlib.export import Download
from ledgerlib.ledgers import load_collection
from ledgerlib.render import SiteContent, fill_slots
from ledgerlib.sanitize import escape_meta, plain_to_html, sanitize_html
from ledgerlib.search import SearchCollector
from ledgerlib.site import prepare_site

# Under the "mkdocs" logger tree so that --strict counts our warnings.
log = logging.getLogger("mkdocs.hooks.ledger")



@dataclass(frozen=True)
class _Build:
    """What one build prepared in on_config, for the later events."""

    repo: Path
    content: SiteContent
    downloads: list[Download]
    slots: dict[str, dict[str, str]]  # src_uri -> slot name -> generated HTML
    search: SearchCollector  # the indexed pages, gathered as they render


# `mkdocs serve` imports this module once and rebuilds many times, so the
# state is replaced at the start of every build.
_build: _Build | None = None
# Under `mkdocs serve` (on_startup says so), the messages of a ledger that
# failed to load: this build shows them instead of the site.
_serving = False
_errors: list[str] | None = None


def on_startup(command, dirty, **kwargs):
    global _serving
    _serving = command == "serve"


def on_config(config, **kwargs):
    global _build, _errors
    _build, _errors = None, None
    _collect_less()
    repo = Path(config.config_file_path).resolve().parent
    try:
        build_env = BuildEnv.from_env(os.environ)
        ledger_dir = repo / (build_env.ledger_dir or config.extra.get("ledger_dir", "issues"))
        # One ledger, or one folder per ledger: all of them make the site.
        collection = load_collection(ledger_dir, repo_root=repo)
        site = prepare_site(collection, repo, Path(config.docs_dir),
                            directory_urls=config.use_directory_urls,
                            downloads=config.extra.get("downloads", True),
                            site_url=config.site_url or "", build_env=build_env)
    except LedgerInvalid as exc:
        return _failed(config, [str(d) for d in exc.diagnostics], str(exc))
    except SiteSetupError as exc:
        return _failed(config, [str(exc)], str(exc))
    for ledger in collection.ledgers:
        for warning in ledger.warnings:
            log.info(str(warning))
    history = site.history
    log.debug(f"ledger history: {history.commits} commits, {len(history.problems)} files, "
              f"{history.git_processes} git processes, {site.history_seconds:.2f} s")
    if not history.complete:
        log.info(history.message)
    _build = _Build(collection.repo, site.content, site.downloads, site.slots,
                    SearchCollector(site.content, site.reports))
    config.nav = _expand_nav(config.nav, site.content)
    _MarkdownPool.install(config)
    # What on_config made lives until the build ends: the collector need not
    # look at it again (on the next `mkdocs serve` build, _collect_less
    # hands it back).
    gc.freeze()
    return config


class _MarkdownPool:
    """One Markdown object for every page of a build, reset between pages.

    MkDocs's Page.render makes a new ``markdown.Markdown`` per page, which
    imports, configures and registers all nine extensions again: 0.3 ms a
    page, a third of the Markdown time of a 2,000-problem build. Python-
    Markdown's own way to convert many documents is one object and
    ``reset()``; the processors MkDocs registers per page replace the last
    page's (same names). So the page module sees this object as its
    ``markdown`` module: a Markdown with the build's settings comes from the
    pool, anything else (and every other attribute) from Python-Markdown.
    """

    def __init__(self, config):
        self.settings = dict(extensions=config.markdown_extensions, extension_configs=config.mdx_configs or {})
        self.md: markdown.Markdown | None = None

    @classmethod
    def install(cls, config) -> None:
        mkdocs.structure.pages.markdown = cls(config)  # replaced on every build (mkdocs serve)

    def Markdown(self, **settings):  # stands in for markdown.Markdown
        if settings != self.settings:
            return markdown.Markdown(**settings)
        if self.md is None:
            self.md = markdown.Markdown(**settings)
        return self.md.reset()

    def __getattr__(self, name):
        return getattr(markdown, name)


def _collect_less() -> None:
    """Python's cyclic garbage collector ran every 700 new objects and
    rescanned the ledger, the pages and their HTML each time: ~15% of a
    2,000-problem build's CPU (measured with it off). A build makes few
    cycles, so it runs less often; objects frozen by the previous build of
    a `mkdocs serve` session become collectable again."""
    gc.unfreeze()
    gc.set_threshold(20_000, 50, 100)


def _failed(config, messages: list[str], summary: str):
    """A build stops on any ledger error; a preview shows the errors instead.

    Under `mkdocs serve` a failed build leaves the browser waiting for a good
    one, so the build goes on with a single page listing the messages. They
    are logged at INFO there: mkdocs.yml is strict, and a warning would fail
    that build too.
    """
    global _errors
    if not _serving:
        for message in messages:
            log.error(message)
        # Abort before MkDocs cleans site_dir: the last good site stays published.
        raise Abort(f"{summary}，网站未生成。请按上面的提示修改后重新构建"
                    f"（也可以先运行 python3 scripts/ledger.py validate 检查）。")
    for message in messages:
        log.info(message)
    log.info(f"{summary}。预览网站只显示这份错误清单；修改并保存后会自动重新构建。")
    _errors = messages
    config.nav = None
    return config


def on_files(files, config, **kwargs):
    if _errors is not None:
        # Only the theme's assets; the error page is written after the build.
        return Files([f for f in files if not f.is_documentation_page()])
    content = _build.content
    docs_dir = Path(config.docs_dir).resolve()
    for page in content.pages:
        existing = files.get_file_from_path(page.src_uri)
        if existing is not None:
            files.remove(existing)  # a generated page replaces a placeholder
        inclusion = InclusionLevel.INCLUDED if page.in_nav else InclusionLevel.NOT_IN_NAV
        file = File.generated(config, page.src_uri, content=page.markdown, inclusion=inclusion)
        if page.edit_path:
            # Relative to docs/, so that edit_uri "…/edit/main/docs/" leads to issues/….
            file.edit_uri = os.path.relpath(_build.repo / page.edit_path, docs_dir).replace(os.sep, "/")
        files.append(file)
    for download in _build.downloads:
        files.append(File.generated(config, download.src_uri, content=download.data))
    return files


def on_env(env, config, files, **kwargs):
    _NavCache.install(env)
    return env


class _NavCache:
    """The theme's navigation, rendered once per folder for pages outside it.

    Material renders the whole nav into every page: for a page outside the
    nav (each problem, each department) it is the same HTML for every page
    of one folder, yet it was 45% of the theme's time, 10% of the build. The
    only input that differs between such pages is the page's URL, through
    the ``url`` filter's relative links; no nav entry is active. So the HTML
    is kept per (parent folder, depth) of the page's own folder, when no nav
    link points into that folder itself (the links would then differ). Pages
    in the nav render as the theme renders them.
    """

    TEMPLATE = "partials/nav.html"

    def __init__(self, render):
        self.render = render  # the template's own root render function
        self.html: dict[tuple, str] = {}
        self.nav_pages: set[int] | None = None
        self.targets: tuple[str, ...] = ()

    @classmethod
    def install(cls, env) -> None:
        # Jinja keeps one Template object per name for the build: the include
        # in base.html calls this object's root_render_func.
        try:
            template = env.get_template(cls.TEMPLATE)
        except jinja2.TemplateNotFound:  # a theme without Material's nav partial
            return
        template.root_render_func = cls(template.root_render_func)

    def __call__(self, context):
        key = self.key(context.get("page"), context.get("nav"))
        if key is None:
            yield from self.render(context)
            return
        if key not in self.html:
            self.html[key] = "".join(self.render(context))
        yield self.html[key]

    def key(self, page, nav) -> tuple | None:
        if page is None or nav is None or page.url is None:
            return None
        if self.nav_pages is None:
            self.nav_pages = {id(p) for p in nav.pages}
            self.targets = tuple(_nav_urls(nav.items))
        if id(page) in self.nav_pages:
            return None
        # The folder relative links start from (MkDocs's get_relative_url).
        folder, _, name = page.url.rpartition("/")
        own = folder if "." in name else page.url.rstrip("/")
        if any(t == own or t.startswith(own + "/") for t in self.targets):
            return None
        return own.rpartition("/")[0], own.count("/")


def _nav_urls(items):
    for item in items:
        url = getattr(item, "url", None)
        if isinstance(url, str):
            yield url.lstrip("/")
        yield from _nav_urls(getattr(item, "children", None) or ())


def on_page_content(html, page, config, files, **kwargs):
    # Every page, not only the generated ones: the narrative pages and the
    # guide are edited through merge requests too, and Python-Markdown passes
    # raw HTML and attr_list attributes through unchecked.
    for key in escape_meta(page.meta):
        log.warning(f"{page.file.src_uri}: front-matter 字段 {key} 不允许使用（可被用来插入脚本），已忽略；请删除这一行。")
    if "title" not in page.meta and page.title and not page.is_homepage:
        # A title taken from the first heading is HTML text; Material prints it
        # through `striptags`, which decodes &lt; back into a live "<".
        page.meta["title"] = plain_to_html(page.title)
    html = sanitize_html(html)
    generated = _build.slots.get(page.file.src_uri) if _build else None
    if generated:
        # Our own generated markup (the chart's SVG), put back after cleaning.
        html, missing = fill_slots(html, generated)
        for name in missing:
            log.warning(f"{page.file.src_uri}: 生成内容 {name} 的占位标记不见了，未能插入。")
    search_meta = page.meta.get("search")
    excluded = isinstance(search_meta, dict) and bool(search_meta.get("exclude"))
    if _build:
        _build.search.add(page.file.src_uri, page.url, unescape(str(page.title or "")), html, excluded)
    return html


def on_post_page(output, page, config, **kwargs):
    """Give <body> the class a page asks for (front-matter ``ledger_body_class``).

    The theme has no per-page body class, and the report's print stylesheet
    must hide the site chrome on that page only.
    """
    css_class = page.meta.get("ledger_body_class")
    if not css_class:
        return output
    return output.replace("<body ", f'<body class="{escape_html(str(css_class))}" ', 1)


def _expand_nav(nav, content: SiteContent):
    """Give each overview page in the nav its generated sub-pages."""
    if not nav:
        return nav
    # Category and department names are ledger data, and the theme prints nav
    # titles without escaping.
    result = []
    for item in nav:
        if isinstance(item, dict) and len(item) == 1:
            (title, value), = item.items()
            if isinstance(value, str) and value in content.nav_replace:
                if content.nav_replace[value] is None:
                    continue  # one ledger's page, with several ledgers in the site
                title, value = content.nav_replace[value]
            section = content.sections.get(value) if isinstance(value, str) else None
            if section is not None:
                value = [value] + [{plain_to_html(t): src} for t, src in section.children]
            elif isinstance(value, list):
                value = _expand_nav(value, content)
            item = {title: value}
        result.append(item)
    return result


def on_post_build(config, **kwargs):
    if _errors is not None:
        # index.html for the address a preview opens; 404.html, which
        # `mkdocs serve` answers for every other address, says the same.
        page = error_page(_errors)
        for name in ("index.html", "404.html"):
            (Path(config.site_dir) / name).write_text(page, encoding="utf-8")
        return
    # The site's own search (ledgerlib.search, read by assets/js/search.js);
    # the theme's search plugin is off in mkdocs.yml.
    figures = _build.search.write(Path(config.site_dir) / "search")
    log.debug(f"search index: {figures}")
