"""What the ledger's hook needs to know about MkDocs 1.x and mkdocs-material 9.

The hook (``ledger_hooks.py``) is the list of MkDocs events the ledger
handles; the plain-Python core (``ledgerlib``) never imports MkDocs. This
module holds everything in between that depends on how MkDocs or Material
work inside: the generated files, the nav, the error preview of `mkdocs
serve`, and three speed-ups. Each function or class names the convention it
relies on, so that a port to another generator (or a new MkDocs/Material
release) knows what to check. ProperDocs runs it unchanged: it answers the
``mkdocs.*`` imports with its own modules.

Nothing here keeps state between builds except what MkDocs itself keeps
(module attributes it looks up, the theme's template objects), each replaced
on every build, and the theme's compiled templates, checked against their
source on every use.
"""

from __future__ import annotations

import gc
import logging
import os
import posixpath
from collections.abc import Callable
from html import escape as escape_html
from pathlib import Path
from urllib.parse import quote

import jinja2
import markdown
import mkdocs.commands.build
import mkdocs.structure.pages
import mkdocs.utils
from mkdocs.exceptions import Abort
from mkdocs.structure.files import File, Files, InclusionLevel

from ledgerlib.downloads import Download
from ledgerlib.errorpage import error_page
from ledgerlib.ledgers import Collection
from ledgerlib.render import CompiledTemplates, Page, SiteContent
from ledgerlib.sanitize import escape_meta, plain_to_html
from ledgerlib.site import PreparedSite
from ledgerlib.trust import site_file_error

# Under the "mkdocs" logger tree: --strict counts only warnings logged there.
log = logging.getLogger("mkdocs.hooks.ledger")


# --- Messages --------------------------------------------------------------

def log_loaded(collection: Collection, site: PreparedSite) -> None:
    """What loading noticed, at INFO: mkdocs.yml is strict, and these notes
    (a ledger's warnings, a history cut short) must not fail the build."""
    for ledger in collection.ledgers:
        for warning in ledger.warnings:
            log.info(str(warning))
    for build in site.builds:  # every ledger's history, not only the first one's
        history, name = build.history, build.prefix.rstrip("/") or "ledger"
        log.debug(f"{name} history: {history.commits} commits, {len(history.problems)} files, "
                  f"{history.git_processes} git processes")
        if not history.complete:
            log.info(f"{build.prefix}{history.message}" if build.prefix else history.message)
    log.debug(f"ledger histories read in {site.history_seconds:.2f} s")


# --- Generated files and the nav ------------------------------------------

Unchanged = Callable[[str, object], bool]  # (src_uri, content) -> written so by the last preview build


def add_generated(files: Files, config, pages: list[Page], downloads: list[Download], repo: Path,
                  unchanged: Unchanged | None = None) -> Files:
    """Hand the generated pages and downloads to MkDocs (in on_files).

    ``File.generated`` keeps the content in memory (writing into docs/ would
    make `mkdocs serve` rebuild forever); a page out of the nav is
    ``NOT_IN_NAV`` so that strict builds do not warn about it. MkDocs leaves
    ``edit_uri`` empty for generated files; a path relative to docs/ makes
    edit_uri "…/edit/main/docs/" lead to the problem file under issues/.
    ``unchanged``: the live preview's record; such files are not written again.
    """
    # Problem files are under the repository, not docs/: "../issues/…" (one
    # relpath for all, not one per page: os.path.relpath asks getcwd each time).
    repo_from_docs = os.path.relpath(repo, Path(config.docs_dir).resolve()).replace(os.sep, "/")
    for page in pages:
        existing = files.get_file_from_path(page.src_uri)
        if existing is not None:
            files.remove(existing)  # a generated page replaces a placeholder
        inclusion = InclusionLevel.INCLUDED if page.in_nav else InclusionLevel.NOT_IN_NAV
        kind = _Kept if unchanged and unchanged(page.src_uri, page) else File
        file = kind.generated(config, page.src_uri, content=page.markdown, inclusion=inclusion)
        if page.edit_path:
            file.edit_uri = quote(posixpath.normpath(f"{repo_from_docs}/{page.edit_path}"))
        files.append(file)
    for download in downloads:
        kind = _Kept if unchanged and unchanged(download.src_uri, download.data) else File
        files.append(kind.generated(config, download.src_uri, content=download.data))
    return files


def trusted_files(files: Files, config) -> Files:
    """Drop what MkDocs must not copy; percent-encode every page's edit path.

    The loader has refused these already (boundary.check_trees) and a build
    stops there; this is the build's own last check, for `mkdocs serve`,
    which previews a ledger that failed to load with the theme's files and
    every other file of docs/. MkDocs's ``File.edit_uri`` is the source path
    as typed, and Material prints ``page.edit_url`` into ``href="…"`` without
    escaping: a file named ``"><img onerror=…>.md`` broke out of the link.
    Percent-encoded, a Chinese name still opens on the Git server, which
    decodes it.
    """
    docs_dir = Path(config.docs_dir)
    for file in list(files):
        path = Path(file.abs_src_path) if file.abs_src_path and not file.generated_by else None
        if path is None or not path.is_relative_to(docs_dir):
            continue  # generated in memory, or the theme's own
        refused = site_file_error(path, docs_dir)
        if refused:
            log.error(f"{Path(config.docs_dir).name}/{file.src_uri}: {refused}")
            files.remove(file)
        elif file.edit_uri is not None:
            file.edit_uri = quote(file.edit_uri)
    return files


def expand_nav(nav, content: SiteContent):
    """Give each overview page in mkdocs.yml's ``nav:`` its generated sub-pages.

    The nav is the config's list of one-key mappings (title → path or list);
    MkDocs builds it after on_files, so it may name generated pages. Category
    and department names are ledger data, and the theme prints nav titles
    without escaping, hence ``plain_to_html``.
    """
    if not nav:
        return nav
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
                value = expand_nav(value, content)
            item = {title: value}
        result.append(item)
    return result


# --- Pages -----------------------------------------------------------------

def unsafe_meta(page, config) -> list[str]:
    """Neutralise the page's front-matter (sanitize.escape_meta) and drop an
    ``icon`` the theme does not have; the names of the keys dropped.

    Material includes ``.icons/<icon>.svg`` for a nav entry with an icon: an
    unknown name ended the build in Jinja's TemplateNotFound traceback.
    """
    dropped = escape_meta(page.meta)
    icon = page.meta.get("icon")
    if icon is not None:
        dirs = [Path(d) / ".icons" for d in getattr(config.theme, "dirs", ())]
        known = isinstance(icon, str) and ".." not in icon and any((d / f"{icon}.svg").is_file() for d in dirs)
        if not known:
            del page.meta["icon"]
            dropped.append("icon")
    return dropped


def title_as_html(page) -> None:
    """Keep a title taken from the page's first heading escaped.

    MkDocs takes it from the rendered heading, so it is HTML text; Material
    prints ``page.meta.title`` (when set) through ``striptags``, which
    decodes &lt; back into a live "<". A title from front-matter or the
    homepage's is left as MkDocs has it.
    """
    if "title" not in page.meta and page.title and not page.is_homepage:
        page.meta["title"] = plain_to_html(page.title)


def search_excluded(page) -> bool:
    """Material's front-matter ``search: {exclude: true}``, which the site's
    own search (ledgerlib.search) honours as the theme's would."""
    search_meta = page.meta.get("search")
    return isinstance(search_meta, dict) and bool(search_meta.get("exclude"))


def add_body_class(output: str, page) -> str:
    """Give <body> the class a page asks for (front-matter ``ledger_body_class``).

    Material has no per-page body class, and the report's print stylesheet
    must hide the site chrome on that page only. Material's base.html writes
    ``<body dir=…``, so the first "<body " is the element.
    """
    css_class = page.meta.get("ledger_body_class")
    if not css_class:
        return output
    return output.replace("<body ", f'<body class="{escape_html(str(css_class))}" ', 1)


# --- The form (在线填报, /admin/) -------------------------------------------

# Material's "file-code-outline" icon, for the raw-file link beside the edit button.
_SOURCE_ICON = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path d="M14 2H6a2 2 0 0 0-2 2v16c0 '
                '1.11.89 2 2 2h12c1.11 0 2-.89 2-2V8zm4 18H6V4h7v5h5zm-8.46-4.35 2.09 2.09L10.35 19 7 15.65l3.35-3.35 '
                '1.28 1.26zm7.46 0L13.65 19l-1.27-1.26 2.09-2.09-2.09-2.09 1.27-1.26z"/></svg>')
_EDIT_MARK = 'rel="edit"'


def add_form_config(files: Files, config, text: str, src_uri: str, unchanged: Unchanged | None = None) -> Files:
    """admin/config.yml, generated in memory like the downloads."""
    kind = _Kept if unchanged and unchanged(src_uri, text) else File
    files.append(kind.generated(config, src_uri, content=text.encode("utf-8")))
    return files


def edit_in_form(output: str, page, form_link: str) -> str:
    """Point a problem page's edit button at the form; keep the raw file's
    editor as a second button beside it.

    Material's ``partials/actions.html`` writes the button as ``<a
    href="{{ page.edit_url }}" title=… class="md-content__button md-icon"
    rel="edit">…</a>``; the href (whatever MkDocs and the edit-link checks
    made of it) moves to the copy. ``form_link`` is relative to the site root.
    """
    mark = output.find(_EDIT_MARK)
    start = output.rfind("<a ", 0, mark)
    end = output.find("</a>", mark)
    if mark < 0 or start < 0 or end < 0:
        return output
    end += len("</a>")
    anchor = output[start:end]
    href_at = anchor.find('href="')
    if href_at < 0:
        return output
    href_end = anchor.index('"', href_at + 6)
    root = "../" * page.url.count("/") if page.url else ""
    target = root + (form_link if page.file.use_directory_urls else form_link.replace("admin/#", "admin/index.html#"))
    form = anchor[:href_at + 6] + escape_html(target) + anchor[href_end:]
    form = form.replace(" md-icon", " md-icon ledger-form-edit", 1)
    raw = (f'<a {anchor[href_at:href_end + 1]} title="在 Git 服务器上编辑原文件" '
           f'class="md-content__button md-icon ledger-raw-edit">{_SOURCE_ICON}</a>')
    return output[:start] + form + raw + output[end:]


# --- A ledger that fails to load -------------------------------------------

def stop_or_preview(config, messages: list[str], summary: str, *, serving: bool):
    """A build stops on any ledger error; a preview shows the errors instead.

    ``Abort`` in on_config ends `mkdocs build` with our message and no stack
    trace, before MkDocs cleans site_dir: the last good site stays published.
    Under `mkdocs serve` a failed build leaves the browser waiting for a good
    one, so the build goes on without pages (nav None, ``theme_assets_only``)
    and ``write_error_page`` lists the messages. They are logged at INFO
    there: mkdocs.yml is strict, and a warning would fail that build too.
    """
    if not serving:
        for message in messages:
            log.error(message)
        raise Abort(f"{summary}，网站未生成。请按上面的提示修改后重新构建"
                    f"（也可以先运行 python3 scripts/ledger.py validate 检查）。")
    for message in messages:
        log.info(message)
    log.info(f"{summary}。预览网站只显示这份错误清单；修改并保存后会自动重新构建。")
    config.nav = None
    return config


def theme_assets_only(files: Files) -> Files:
    """The files of a failed preview: the theme's assets, no page to render."""
    return Files([f for f in files if not f.is_documentation_page()])


def write_error_page(site_dir: str, messages: list[str]) -> None:
    """index.html for the address a preview opens; 404.html, which `mkdocs
    serve` answers for every other address, says the same."""
    page = error_page(messages)
    for name in ("index.html", "404.html"):
        (Path(site_dir) / name).write_text(page, encoding="utf-8")


# --- The live preview (make serve: mkdocs serve --dirty; ledgerlib.preview) ---

class _Kept(File):
    """A generated file the last preview build wrote with this same content.

    MkDocs's ``--dirty`` build skips every file whose ``is_modified()`` is
    False: it neither reads nor renders such a page, nor copies such a file,
    and the one already in site_dir stays. MkDocs asks the source file's time
    for that; a generated file has none, so the preview says."""

    def is_modified(self) -> bool:
        return False


class _DirtyNotice(logging.Filter):
    """MkDocs warns on every ``--dirty`` build that its navigation may be
    inaccurate, and strict mode makes any warning fatal. The preview decides
    itself what is stale (a change to the nav's inputs is a full build), so
    that one warning is dropped from MkDocs's build logger."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("A 'dirty' build is being performed")


def quiet_dirty_warning() -> None:
    logger = mkdocs.commands.build.log
    if not any(isinstance(f, _DirtyNotice) for f in logger.filters):
        logger.addFilter(_DirtyNotice())


def clean_site(site_dir: str) -> None:
    """What a build without ``--dirty`` does first (MkDocs's own function)."""
    mkdocs.utils.clean_directory(site_dir)


def generated_srcs(files: Files) -> set[str]:
    return {f.src_uri for f in files if f.generated_by}


def dest_of(config) -> Callable[[str], str]:
    """Where MkDocs writes a generated file of a src_uri in site_dir."""
    return lambda src_uri: File.generated(config, src_uri, content=b"").abs_dest_path


# --- Speed-ups (a 2,000-problem build; figures in dev/performance.md) -------

def collect_less() -> None:
    """Run Python's cyclic garbage collector less often during a build.

    It ran every 700 new objects and rescanned the ledger, the pages and their
    HTML each time: ~15% of a 2,000-problem build's CPU (measured with it
    off). Safe because a build makes few cycles (MkDocs's pages and files
    are trees with back references the collector still frees, only later);
    objects frozen by the previous build of a `mkdocs serve` session
    (``keep_until_build_end``) become collectable again here.
    """
    gc.unfreeze()
    gc.set_threshold(20_000, 50, 100)


def keep_until_build_end() -> None:
    """What on_config made (ledger, pages, exports) lives until the build
    ends: the collector need not look at it again. Called at the end of
    on_config; the next `mkdocs serve` build's ``collect_less`` unfreezes it."""
    gc.freeze()


class MarkdownPool:
    """One Markdown object for every page of a build, reset between pages.

    MkDocs 1.6's ``Page.render`` calls ``markdown.Markdown(extensions=…,
    extension_configs=…)`` through the ``markdown`` name of
    ``mkdocs.structure.pages`` for every page, which imports, configures and
    registers all nine extensions again: 0.3 ms a page, a third of the
    Markdown time of a 2,000-problem build. Python-Markdown's own way to
    convert many documents is one object and ``reset()``; the processors
    MkDocs registers per page (its relative-path and link treeprocessors)
    replace the last page's, being registered under the same names. So that
    module sees this object as its ``markdown`` module: a Markdown with the
    build's settings comes from the pool, anything else (other settings,
    every other attribute) from Python-Markdown itself. Installed in
    on_config, so that a `mkdocs serve` rebuild with a changed mkdocs.yml
    gets a fresh pool.
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


# MkDocs makes the theme's Jinja environment anew for every build, and
# compiling Material's templates (main.html for 404.html, sitemap.xml) took a
# third of a live-preview build at 2,000 problems; kept by source checksum.
THEME_COMPILED = CompiledTemplates()


class NavCache:
    """The theme's navigation, rendered once per folder for pages outside it.

    Material renders the whole nav (``partials/nav.html``) into every page:
    for a page outside the nav (each problem, each department) it is the same
    HTML for every page of one folder, yet it was 45% of the theme's time, 10%
    of the build. The only input that differs between such pages is the
    page's URL, through the ``url`` filter's relative links; no nav entry is
    active. So the HTML is kept per (parent folder, depth) of the page's own
    folder, when no nav link points into that folder itself (the links would
    then differ). Pages in the nav render as the theme renders them, and a
    theme without that partial is left alone. Installed in on_env, whose
    Jinja environment is new for every build.
    """

    TEMPLATE = "partials/nav.html"

    def __init__(self, render):
        self.render = render  # the template's own root render function
        self.html: dict[tuple, str] = {}
        self.nav_pages: set[int] | None = None
        self.targets: tuple[str, ...] = ()

    @classmethod
    def install(cls, env) -> None:
        env.bytecode_cache = THEME_COMPILED
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
