"""Sanitising rendered page HTML, so that no edit can run script in a reader's browser.

Python-Markdown passes raw HTML through untouched, and ``attr_list`` lets a
plain paragraph carry ``{: onclick="…" }``. Every page is therefore cleaned
after Markdown rendering with nh3 (the ammonia HTML sanitiser), using an
allowlist: whatever is not listed here is dropped. The list is what our
Markdown extensions and our own templates produce, nothing more.

Known limit: ``id`` and ``class`` are allowed because anchors, admonitions,
highlighting and our badges need them; an author can thus pick any id or
class. That can restyle a page but never run script.
"""

from __future__ import annotations

import html
import re

import nh3

# Structure that Markdown (tables, lists, admonitions, details, code) and the
# generated pages emit.
TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "col", "colgroup",
    "dd", "del", "details", "div", "dl", "dt", "em", "figcaption", "figure",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li",
    "mark", "ol", "p", "pre", "s", "section", "small", "span", "strong", "sub",
    "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
})

# Dropped together with their content: their text is code or style, not prose.
CONTENT_DROPPED = frozenset({"script", "style"})

ATTRIBUTES = {
    # id: heading anchors (toc) and attr_list "#anchor"; class: admonitions,
    # code highlighting, our badges and tables; title: the toc's permalink.
    "*": {"id", "class", "title", "lang"},
    "a": {"href", "name"},  # name: highlighted code's line anchors
    "img": {"src", "alt", "width", "height"},
    "ol": {"start"},
    "details": {"open"},
    # align: Markdown tables' column alignment (use_align_attribute, so that
    # style="…" never needs to be allowed); data-sort*: tablesort.
    "th": {"align", "colspan", "rowspan", "data-sort", "data-sort-method"},
    "td": {"align", "colspan", "rowspan", "data-sort"},
    "col": {"span"},
    "colgroup": {"span"},
}

# Relative links (pages, evidence in the repository) are always kept; of the
# absolute ones only these schemes: no javascript:, data:, vbscript:.
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})

# Absolute ("http://host/…") or protocol-relative ("//host/…"): fetched from
# another host the moment the page opens.
_REMOTE_URL = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:)?//", re.IGNORECASE)


def _attribute(tag: str, name: str, value: str) -> str | None:
    """nh3's per-attribute check, after the allowlist.

    Material's script reads its configuration from ``#__config`` and finds
    its own widgets by ids starting with ``__`` (``__search``, ``__drawer``,
    ``__toc`` …); a page element with such an id or name would be read in
    their place. An image from another host is a beacon (or a GET to an
    intranet server): the site is offline, so its source is dropped (validate
    refuses it first, boundary.check_remote).
    """
    if name in ("id", "name") and value.lstrip().startswith("__"):
        return None
    if tag == "img" and name == "src" and _REMOTE_URL.match(value):
        return None
    return value


# Built once, so the options are converted for nh3 once rather than per page.
# Measured: about 0.1 ms per problem page (~1 KB of HTML), i.e. ~0.3 s for
# 2,000 pages against ~2.5 s of Markdown rendering.
_CLEANER = nh3.Cleaner(
    tags=set(TAGS),
    clean_content_tags=set(CONTENT_DROPPED),
    attributes={tag: set(names) for tag, names in ATTRIBUTES.items()},
    url_schemes=set(URL_SCHEMES),
    # The site is intranet-only and our own links must stay byte-for-byte as
    # rendered; rel="noopener" is moot without target="_blank", which we drop.
    link_rel=None,
    strip_comments=True,
    attribute_filter=_attribute,
)


def sanitize_html(html: str) -> str:
    """Return ``html`` with every tag, attribute and URL outside the allowlist removed."""
    return _CLEANER.clean(html)


# Front-matter values that MkDocs and Material print into the page without
# escaping (<title>, header, nav, <meta name="description">, the nav's
# status badge class).
META_TEXT = ("title", "subtitle", "description", "author", "status")
# Front-matter that chooses a template or a redirect target: "template:
# redirect.html" plus "location: javascript:…" runs script, so authors may
# not set them.
META_FORBIDDEN = ("template", "location")


def plain_to_html(value: str) -> str:
    """Escape text for HTML, leaving entities it already has as they are.

    Titles reach the theme either as typed (front-matter) or as HTML text
    (taken from the first heading); unescaping first makes both come out
    escaped exactly once.
    """
    return html.escape(html.unescape(value), quote=True)


def escape_meta(meta: dict) -> list[str]:
    """Escape ``meta``'s printed text fields in place; drop forbidden keys.

    Returns the names of the keys dropped, for the caller to report.
    """
    for key in META_TEXT:
        if key in meta and meta[key] is not None:
            meta[key] = plain_to_html(_as_text(meta[key]))
    dropped = [key for key in META_FORBIDDEN if key in meta]
    for key in dropped:
        del meta[key]
    return dropped


def _as_text(value) -> str:
    """A front-matter value as the text it reads as: a list (``description:
    [a, "<b>"]``, which the theme would print as Python's repr, raw) becomes
    its items joined; anything else its ``str``."""
    if isinstance(value, str):
        return value
    if isinstance(value, (list, tuple)):
        return "，".join(_as_text(item) for item in value)
    if isinstance(value, dict):
        return "，".join(f"{_as_text(k)}：{_as_text(v)}" for k, v in value.items())
    return str(value)
