"""The trust boundary applied to a repository: what validate and every build refuse.

``trust`` says what is refused; this module walks the repository and records
each refusal as a diagnostic (path:line: field: message), so that
``ledgers.check_collection`` (validate, and on_config of every build) stops a
merge request that would make the build publish a file from outside the
repository, run script in a reader's browser or fetch from another host.
"""

from __future__ import annotations

import re
from pathlib import Path

from . import trust
from .errors import Diagnostics
from .textfile import read_text
from .yamlnodes import Map, YamlSyntaxError, parse

# MkDocs's own front-matter pattern (mkdocs.utils.meta.YAML_RE; ProperDocs has
# the same): what it would hand to yaml.load for a hand-written page.
_MKDOCS_FRONT = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.DOTALL)


def check_trees(repo: Path, ledger_root: Path, diags: Diagnostics) -> None:
    """Symlinks, unsafe names and browser-run files under docs/ and the ledgers' folder."""
    for folder, site in ((repo / "docs", True), (ledger_root, False)):
        for refusal in trust.check_tree(folder, repo, site=site):
            diags.error(refusal.rel, 1, "文件", refusal.message)


def check_site_pages(docs_dir: Path, repo: Path, diags: Diagnostics) -> None:
    """The hand-written pages (docs/**/*.md): encoding, front-matter, remote resources.

    MkDocs reads them itself: it ends in a traceback on one saved as GBK, and
    reads their front-matter with yaml.load, whose aliases (a "billion
    laughs") print as gigabytes where the theme writes a value into the page.
    Each page's front-matter is read here first, by our reader, which refuses
    aliases, deep nesting and control characters; the build stops before
    MkDocs reads any page. A symlinked page is not read (check_trees reports it).
    """
    if not docs_dir.is_dir():
        return
    for path in sorted(docs_dir.rglob("*.md")):
        if path.is_symlink() or not path.is_file() or any(p.is_symlink() for p in path.parents if p != docs_dir):
            continue
        rel = path.relative_to(repo).as_posix() if path.is_relative_to(repo) else path.as_posix()
        text = read_text(path, rel, diags)
        if text is None:
            continue
        check_page_front_matter(text, rel, diags)
        check_remote(text, rel, 1, "正文", diags)


def check_page_front_matter(text: str, rel: str, diags: Diagnostics) -> None:
    """A hand-written page's front-matter, as MkDocs will find it, read by our bounded reader."""
    m = _MKDOCS_FRONT.match(text)
    if m is None:
        return
    try:
        node = parse(m[1], line_offset=1)
    except YamlSyntaxError as exc:
        diags.error(rel, exc.line, "front-matter", f"YAML 格式错误：{exc.hint}。")
        return
    if isinstance(node, Map):
        for key, line in node.key_lines.items():
            value = node.entries[key]
            if key in PRINTED_KEYS and not hasattr(value, "text"):
                diags.warn(rel, line, key, "主题把这个字段原样印在网页标题和导航里，应写成一行文字；"
                                           "构建时会把它转成文字显示。")


# Front-matter the theme prints (sanitize.META_TEXT, plus status in the nav).
PRINTED_KEYS = ("title", "subtitle", "description", "author", "status")


def check_remote(text: str, rel: str, first_line: int, field: str, diags: Diagnostics) -> None:
    """Every image or resource ``text`` (Markdown) would fetch from another host."""
    if "//" not in text:
        return
    for line, url in trust.remote_resources(text):
        diags.error(rel, first_line + line - 1, field, trust.REMOTE_MESSAGE.format(url=url))
