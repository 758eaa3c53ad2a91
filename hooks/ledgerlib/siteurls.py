"""The site's URL scheme for the pages the core generates: where each page
lives (as a path under docs/) and the links between them, worked out as
strings, the way MkDocs maps a Markdown file to its URL."""

from __future__ import annotations

import functools
import posixpath
import re

from .model import Category, Issue


def problem_src(issue: Issue) -> str:
    return f"problems/{issue.id}.md"


def category_src(category: Category) -> str:
    return f"categories/{category.index}.md"


def owner_src(owner: str) -> str:
    # Department names become URLs; keep the Chinese, drop what breaks paths.
    safe = re.sub(r'[\\/:*?"<>|#%\s]+', "-", owner).strip("-") or "owner"
    return f"owners/{safe}.md"


def status_src(key: str) -> str:
    return f"status/{key}.md"


def page_url(src_uri: str, directory_urls: bool = True) -> str:
    """The URL MkDocs gives a Markdown file, relative to the site root."""
    stem = src_uri[:-3]
    if not directory_urls:
        return stem + ".html"
    if stem == "index" or stem.endswith("/index"):
        return stem[:-5]
    return stem + "/"


@functools.lru_cache(maxsize=65536)
def relative_url(from_src: str, to_src: str, directory_urls: bool = True) -> str:
    """The link from one page to another page or file, both given as paths
    under docs/. Pure string work on site-relative paths: the generated
    tables hold one link per row, tens of thousands for a large ledger, and
    posixpath.relpath (abspath, getcwd) cost a second of the build."""
    here = page_url(from_src, directory_urls)
    here_dir = here if here.endswith("/") or not here else posixpath.dirname(here) + "/"
    target = to_src if not to_src.endswith(".md") else page_url(to_src, directory_urls)
    from_parts = [p for p in here_dir.split("/") if p]
    to_parts = target.split("/")
    common = 0
    while common < len(from_parts) and common < len(to_parts) - 1 and from_parts[common] == to_parts[common]:
        common += 1
    rel = "/".join([".."] * (len(from_parts) - common) + to_parts[common:])
    return rel or "./"
