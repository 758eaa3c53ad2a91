"""MkDocs hook of the rectification ledger: the events it handles, nothing more.

The ledger is loaded, validated and rendered by the plain ``ledgerlib``
package; what depends on how MkDocs or Material work inside (generated files,
the nav, the error preview, the speed-ups) is in ``ledger_mkdocs`` beside this
file. Here are only the event handlers and their typed state. ProperDocs
(MkDocs 1.x's continuation) runs both unchanged: it answers the ``mkdocs.*``
imports with its own modules (ledgerlib.mkdocsrun picks which generator
builds). Moving to another generator means rewriting these two files only.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from html import unescape
from pathlib import Path

import ledger_mkdocs as adapter
from ledger_mkdocs import log
from ledgerlib import LedgerInvalid
from ledgerlib.admin import CONFIG_SRC, FormSettings, config_file, form_links
from ledgerlib.buildenv import BuildEnv, SiteSetupError, mark_site
from ledgerlib.downloads import Download
from ledgerlib.ledgers import load_collection
from ledgerlib.render import SiteContent, fill_slots
from ledgerlib.sanitize import sanitize_html
from ledgerlib.search import SearchCollector
from ledgerlib.site import prepare_site


@dataclass(frozen=True)
class _Build:
    """What one build prepared in on_config, for the later events."""

    repo: Path
    content: SiteContent
    downloads: list[Download]
    slots: dict[str, dict[str, str]]  # src_uri -> slot name -> generated HTML
    search: SearchCollector  # the indexed pages, gathered as they render
    form_config: str  # admin/config.yml (在线填报)
    form_links: dict[str, str]  # problem page src_uri -> its form address


@dataclass
class _State:
    """Between events. `mkdocs serve` imports this module once and builds many
    times, so on_config starts every build afresh."""

    serving: bool = False  # on_startup says so
    build: _Build | None = None
    errors: list[str] | None = None  # a preview whose ledger failed to load shows these


_state = _State()


def on_startup(command, dirty, **kwargs):
    _state.serving = command == "serve"


def on_config(config, **kwargs):
    _state.build, _state.errors = None, None
    adapter.collect_less()
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
    adapter.log_loaded(collection, site)
    form = FormSettings.read(config.extra.get("form"), config.repo_url or "", build_env.form_proxy)
    by_file = form_links(collection)
    links = {p.src_uri: by_file[p.edit_path] for p in site.content.pages if p.edit_path in by_file}
    _state.build = _Build(collection.repo, site.content, site.downloads, site.slots,
                          SearchCollector(site.content, site.reports), config_file(collection, repo, form), links)
    config.nav = adapter.expand_nav(config.nav, site.content)
    adapter.MarkdownPool.install(config)
    adapter.keep_until_build_end()
    return config


def _failed(config, messages: list[str], summary: str):
    config = adapter.stop_or_preview(config, messages, summary, serving=_state.serving)  # or Abort
    _state.errors = messages
    return config


def on_files(files, config, **kwargs):
    files = adapter.trusted_files(files, config)  # no symlink, no page script, quoted edit links
    if _state.errors is not None:
        return adapter.theme_assets_only(files)  # the error page is written after the build
    build = _state.build
    files = adapter.add_form_config(files, config, build.form_config, CONFIG_SRC)
    return adapter.add_generated(files, config, build.content.pages, build.downloads, build.repo)


def on_env(env, config, files, **kwargs):
    adapter.NavCache.install(env)
    return env


def on_page_content(html, page, config, files, **kwargs):
    # Every page, not only the generated ones: the narrative pages and the
    # guide are edited through merge requests too, and Python-Markdown passes
    # raw HTML and attr_list attributes through unchecked.
    for key in adapter.unsafe_meta(page, config):
        log.warning(f"{page.file.src_uri}: front-matter 字段 {key} 不允许使用（可被用来插入脚本或中断构建），已忽略；请删除这一行。")
    adapter.title_as_html(page)
    html = sanitize_html(html)
    build = _state.build
    generated = build.slots.get(page.file.src_uri) if build else None
    if generated:
        # Our own generated markup (the chart's SVG), put back after cleaning.
        html, missing = fill_slots(html, generated)
        for name in missing:
            log.warning(f"{page.file.src_uri}: 生成内容 {name} 的占位标记不见了，未能插入。")
    if build:
        build.search.add(page.file.src_uri, page.url, unescape(str(page.title or "")), html,
                         adapter.search_excluded(page))
    return html


def on_post_page(output, page, config, **kwargs):
    link = _state.build.form_links.get(page.file.src_uri) if _state.build else None
    if link:
        output = adapter.edit_in_form(output, page, link)  # 编辑此页 opens the problem in /admin/
    return adapter.add_body_class(output, page)


def on_post_build(config, **kwargs):
    mark_site(config.site_dir)  # build --out may replace this folder again
    if _state.errors is not None:
        adapter.write_error_page(config.site_dir, _state.errors)
        return
    # The site's own search (ledgerlib.search, read by assets/js/search.js);
    # the theme's search plugin is off in mkdocs.yml.
    figures = _state.build.search.write(Path(config.site_dir) / "search")
    log.debug(f"search index: {figures}")
