"""MkDocs hook of the rectification ledger: the events it handles, nothing more.

The ledger is loaded, validated and rendered by the plain ``ledgerlib`` package (the
live preview of `make serve`, ``mkdocs serve --dirty``, is ledgerlib.preview); what
depends on how MkDocs or Material work inside (generated files, the nav, the error
preview, the speed-ups) is in ``ledger_mkdocs`` beside this file. Here are only the
event handlers and their typed state. ProperDocs (MkDocs 1.x's continuation) runs both
unchanged: it answers the ``mkdocs.*`` imports with its own modules (ledgerlib.mkdocsrun
picks which generator builds). Moving to another generator means rewriting these two files.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from html import unescape
from pathlib import Path

import ledger_mkdocs as adapter
from ledger_mkdocs import log
from ledgerlib import LedgerInvalid
from ledgerlib.admin import CONFIG_SRC, FormSettings
from ledgerlib.buildenv import BuildEnv, SiteSetupError, mark_site
from ledgerlib.preview import Kind, Preview, SiteInputs
from ledgerlib.render import fill_slots
from ledgerlib.sanitize import sanitize_html
from ledgerlib.sitebuild import SiteBuild, start_build


@dataclass
class _State:
    """Between events. `mkdocs serve` imports this module once and builds many times, so
    on_config starts every build afresh; only the live preview keeps its last build."""

    serving: bool = False  # on_startup says so
    build: SiteBuild | None = None
    errors: list[str] | None = None  # a preview whose ledger failed to load shows these
    preview: Preview | None = None  # mkdocs serve --dirty: the live preview (ledgerlib.preview)


_state = _State()


def on_startup(command, dirty, **kwargs):
    _state.serving = command == "serve"
    if _state.serving and dirty:
        _state.preview = Preview()
        adapter.quiet_dirty_warning()


def on_config(config, **kwargs):
    _state.build, _state.errors = None, None
    adapter.collect_less()
    try:
        build_env = BuildEnv.from_env(os.environ)
        inputs = SiteInputs.read(config.config_file_path, config.extra, config.docs_dir, config.use_directory_urls,
                                 config.site_url, build_env, watched=(config.docs_dir, *config.watch))
        form = FormSettings.read(config.extra.get("form"), config.repo_url or "", build_env.form_proxy)
        _state.build, made = start_build(inputs, form, _state.preview)
    except (LedgerInvalid, SiteSetupError) as exc:
        return _failed(config, [str(d) for d in getattr(exc, "diagnostics", [exc])], str(exc))
    adapter.log_loaded(made.collection, made.site)
    config.nav = adapter.expand_nav(config.nav, made.site.content)
    adapter.MarkdownPool.install(config)
    adapter.keep_until_build_end()
    return config


def _failed(config, messages: list[str], summary: str):
    config = adapter.stop_or_preview(config, messages, summary, serving=_state.serving)  # or Abort
    _state.errors = messages
    return config


def on_pre_build(config, **kwargs):
    if _state.preview and (_state.build is None or _state.build.kind is Kind.FULL):
        adapter.clean_site(config.site_dir)  # a full preview build starts clean, as a plain one does


def on_files(files, config, **kwargs):
    files = adapter.trusted_files(files, config)  # no symlink, no page script, quoted edit links
    if _state.errors is not None:
        return adapter.theme_assets_only(files)  # the error page is written after the build
    build, preview = _state.build, _state.preview
    unchanged = preview.unchanged if preview else None  # a full build only records
    files = adapter.add_form_config(files, config, build.form_config, CONFIG_SRC, unchanged)
    files = adapter.add_generated(files, config, build.content.pages, build.downloads, build.repo, unchanged)
    if preview:
        preview.outputs(build.kind, adapter.generated_srcs(files), build.search, adapter.dest_of(config))
    return files


def on_env(env, config, files, **kwargs):
    adapter.NavCache.install(env)
    return env


def on_page_content(html, page, config, files, **kwargs):
    # Every page: the narrative pages and the guide are edited through merge requests too,
    # and Python-Markdown passes raw HTML and attr_list attributes through unchecked.
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
    build = _state.build
    if _state.preview:
        _state.preview.built(build.kind, build.search.found, build.inputs)
    if build.kind is not Kind.QUICK:  # after a quick build, search follows with the refresh (ledgerlib.preview)
        # The site's own search (ledgerlib.search, assets/js/search.js); the theme's is off.
        log.debug(f"search index: {build.search.write(Path(config.site_dir) / 'search')}")


def on_build_error(error, **kwargs):
    if _state.preview:  # what this build wrote is unknown: the next one is full
        _state.preview.forget()


def on_serve(server, config, builder, **kwargs):
    if _state.preview:
        server.watch(str(_state.preview.trigger.open()))  # the refresh's build is asked for through it


def on_shutdown(**kwargs):
    if _state.preview:
        _state.preview.trigger.close()
