"""Reading a built site: text of the article, outside references."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlparse

LOAD_ATTRS = {
    "script": ("src",), "link": ("href",), "img": ("src", "srcset"), "iframe": ("src",),
    "source": ("src", "srcset"), "video": ("src", "poster"), "audio": ("src",),
    "embed": ("src",), "object": ("data",), "image": ("href", "xlink:href"), "use": ("href", "xlink:href"),
}
CSS_URL = re.compile(r"""(?:url\(\s*['"]?|@import\s+['"])(https?:)?//""", re.I)


class _Refs(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.loads: list[str] = []  # what the browser fetches by itself
        self.links: list[str] = []  # what a click leads to

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in LOAD_ATTRS.get(tag, ()):
            if attrs.get(name):
                self.loads.extend(part.strip().split(" ")[0] for part in attrs[name].split(","))
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if attrs.get("style") and CSS_URL.search(attrs["style"]):
            self.loads.append(attrs["style"])


def is_outside(url: str) -> bool:
    parsed = urlparse(url)
    return bool(parsed.netloc) or parsed.scheme in ("http", "https")


def outside_references(site: Path, allowed_link_hosts: set[str]) -> list[str]:
    """Every reference in the built site that would reach another host."""
    found = []
    for path in site.rglob("*.html"):
        refs = _Refs()
        refs.feed(path.read_text(encoding="utf-8"))
        rel = path.relative_to(site)
        found += [f"{rel}: loads {u}" for u in refs.loads if is_outside(u)]
        found += [f"{rel}: links {u}" for u in refs.links
                  if is_outside(u) and urlparse(u).netloc not in allowed_link_hosts]
    for path in site.rglob("*.css"):
        for m in CSS_URL.finditer(path.read_text(encoding="utf-8", errors="replace")):
            found.append(f"{path.relative_to(site)}: {m.group(0)}")
    return found


class _Text(HTMLParser):
    """Visible text of the page's article, blocks separated by newlines."""

    BLOCKS = frozenset({"p", "h1", "h2", "h3", "h4", "li", "tr", "dt", "dd", "div", "table"})

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth = 0  # inside <article>
        self.hidden: list[str] = []  # open tags whose text is not content
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "article":
            self.depth += 1
        if tag in ("script", "style") or (tag == "a" and dict(attrs).get("class") == "headerlink"):
            self.hidden.append(tag)
        if self.depth and tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag == "article":
            self.depth -= 1
        if self.hidden and self.hidden[-1] == tag:
            self.hidden.pop()

    def handle_data(self, data):
        if self.depth and not self.hidden:
            self.parts.append(data)


def article_text(path: Path, *, searchable: bool = False) -> str:
    """searchable=True: without the change log, which search leaves out
    (marked data-search-exclude; ledgerlib.search.page_text)."""
    html = path.read_text(encoding="utf-8")
    if searchable:
        html = re.sub(r"<div data-search-exclude>.*?</ol>\s*</div>", "", html, flags=re.S)
    parser = _Text()
    parser.feed(html)
    text = "".join(parser.parts)
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def search_entries(site: Path) -> list[tuple[str, str, str]]:
    """(url, title, text) of every document in the site's search index, in the
    index's order (ledgerlib.search's layout: search/d/<block>.json)."""
    import json

    blocks = sorted((site / "search" / "d").glob("*.json"), key=lambda p: int(p.stem))
    return [tuple(entry) for block in blocks for entry in json.loads(block.read_text(encoding="utf-8"))]
