"""The site's search index: character bigrams with positions, in shards.

Why not the theme's search: it downloads one index of the whole site before
the first result (11 MB at 2,000 problems) and segments Chinese with jieba,
so a query that jieba cuts differently from the text misses pages. Here every
pair of adjacent characters is indexed with its positions, so a query is
found exactly where its characters stand side by side (recall 1.0, no word
list), and the browser fetches only the few shards its bigrams hash to.

Layout written under ``search/`` of the built site (read by
docs/assets/js/search.js, which must agree on ``bigram_hash`` and ``fold``):

- ``meta.json``: format version, shard count, block size, and per document
  the length of its title (a hit inside the title ranks first);
- ``s/<k>.json``: ``{bigram: postings}`` for the bigrams whose hash is k;
  postings are flat integers ``[doc delta, n, position delta × n, …]``;
- ``d/<b>.json``: ``[[url, title, text], …]`` for documents b*block …
  b*block+block-1, the text for the excerpt under each result. ``block`` (in
  meta.json) is chosen so that a block weighs about BLOCK_TARGET_BYTES: the
  ten results of a first query fetch at most ten small blocks, and a large
  ledger writes a few hundred files rather than one per page (each small file
  costs the build file-system time).

A document's text is its title, a space, and its body, with runs of
whitespace folded to one space; positions count code points in that text.
Nothing here knows about MkDocs.
"""

from __future__ import annotations

import json
import math
import operator
import re
import shutil
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import lxml.html

from .render import SiteContent
from .reportdoc import ProblemBlock, ReportDoc

FORMAT = 2
BLOCK_TARGET_BYTES = 12_000  # mean document block: ten results fetch at most ten of them
MAX_BLOCK = 64
SHARD_TARGET_BYTES = 64_000  # shards average a half to a whole of this; a query fetches one per two characters
_SPACE = re.compile(r"\s+")


@dataclass
class SearchDoc:
    url: str  # relative to the site root
    title: str
    body: str


def fold(text: str) -> str:
    """Whitespace runs to one space, ASCII letters to lower case: the same
    code point count as the displayed text, so positions stay valid."""
    return _SPACE.sub(" ", text).strip().translate(_ASCII_LOWER)


_ASCII_LOWER = {c: c + 32 for c in range(ord("A"), ord("Z") + 1)}


def page_text(html: str) -> str:
    """The readable text of a rendered page body, without the blocks marked
    ``data-search-exclude`` (a problem's change log: dates and commit
    messages, not the problem's words) and the ¶ anchor links."""
    if not html.strip():
        return ""
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    for element in root.xpath("//*[@data-search-exclude] | //a[contains(concat(' ', @class, ' '), ' headerlink ')]"
                              " | //script | //style"):
        element.drop_tree()
    # Block elements end with a space, so that two paragraphs do not join
    # into one run of text with a bigram across them.
    for element in root.iter("p", "li", "dd", "dt", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "div", "br"):
        element.tail = " " + (element.tail or "")
    return _SPACE.sub(" ", root.text_content()).strip()


def report_text(doc: ReportDoc) -> str:
    """The report's own words: title, preamble, section headings and the
    narrative paragraphs. The problems in it are indexed on their own pages."""
    parts = [doc.title] + [p.full for p in doc.preamble]
    for section in doc.sections:
        parts.append(section.heading.full)
        parts += [block.full for block in section.blocks if not isinstance(block, ProblemBlock)]
    return " ".join(parts)


def _clean(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def document_text(doc: SearchDoc) -> str:
    title, body = _clean(doc.title), _clean(doc.body)
    # The page body usually starts with its own title (the h1); not twice.
    if body.startswith(title):
        body = body[len(title):].lstrip()
    return f"{title} {body}".strip()


def bigram_hash(bigram: str) -> int:
    """32-bit FNV-1a over the code points (search.js computes the same)."""
    h = 2166136261
    for ch in bigram:
        h = ((h ^ ord(ch)) * 16777619) & 0xFFFFFFFF
    return h


def postings(texts: list[str]) -> dict[str, list[int]]:
    """Every bigram without a space → flat delta-coded (doc, positions) list,
    bigrams in order of first appearance.

    One dictionary per document, then one append per (bigram, document):
    at 2,000 problems this is 1.3 million characters, and the per-character
    work is kept to a dictionary lookup (it was a third of the build's
    on_post_build)."""
    flats: dict[str, list[int]] = {}
    last_doc: dict[str, int] = {}
    for doc_id, text in enumerate(texts):
        folded = fold(text)
        places_of: dict[str, list[int]] = {}
        get = places_of.get
        for i, bigram in enumerate(map(operator.add, folded, folded[1:])):
            places = get(bigram)
            if places is None:
                places_of[bigram] = [i]
            else:
                places.append(i)
        for bigram, places in places_of.items():
            flat = flats.get(bigram)
            if flat is None:
                flats[bigram] = flat = [doc_id, len(places)]
            else:
                flat += (doc_id - last_doc[bigram], len(places))
            last_doc[bigram] = doc_id
            if len(places) == 1:
                flat.append(places[0])
            else:
                flat += map(operator.sub, places, [0, *places[:-1]])  # position deltas
    return {bigram: flat for bigram, flat in flats.items() if " " not in bigram}


def shard_count(total_bytes: int) -> int:
    """The power of two at or above total / SHARD_TARGET_BYTES: shards average
    between half of SHARD_TARGET_BYTES and all of it. Larger shards mean
    fewer files to write (each costs the build file-system time) and more
    bytes per query: at 2,000 problems, 256 shards and 200–260 KB for a
    first query, against 1,024 and 160–210 KB with a quarter of the target."""
    wanted = max(1, total_bytes // SHARD_TARGET_BYTES)
    return 1 << math.ceil(math.log2(wanted)) if wanted > 1 else 1


def block_size(texts: list[str]) -> int:
    """Documents per block, so that a block holds about BLOCK_TARGET_BYTES of text."""
    if not texts:
        return 1
    mean = sum(len(t.encode("utf-8")) for t in texts) / len(texts)
    return max(1, min(MAX_BLOCK, round(BLOCK_TARGET_BYTES / max(mean, 1))))


def _dump(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def write_index(docs: list[SearchDoc], out: Path) -> dict:
    """Write the index of ``docs`` into ``out`` (replaced); returns figures."""
    texts = [document_text(d) for d in docs]
    index = postings(texts)
    encoded = {b: _dump(p) for b, p in index.items()}
    total = sum(len(b) * 3 + len(p) + 4 for b, p in encoded.items())
    shards = shard_count(total)
    buckets: dict[int, list[str]] = defaultdict(list)
    for bigram, data in encoded.items():
        buckets[bigram_hash(bigram) % shards].append(f"{_dump(bigram)}:{data}")
    if out.exists():
        shutil.rmtree(out)
    for sub in ("s", "d"):
        (out / sub).mkdir(parents=True)
    for k in range(shards):
        (out / "s" / f"{k}.json").write_text("{" + ",".join(buckets.get(k, ())) + "}", encoding="utf-8")
    block = block_size(texts)
    for b in range(0, len(docs), block):
        entries = [[d.url, _clean(d.title), text] for d, text in zip(docs[b:b + block], texts[b:b + block], strict=True)]
        (out / "d" / f"{b // block}.json").write_text(_dump(entries), encoding="utf-8")
    meta = {"format": FORMAT, "shards": shards, "block": block, "docs": len(docs),
            "title_lengths": [len(_clean(d.title)) for d in docs]}
    (out / "meta.json").write_text(_dump(meta), encoding="utf-8")
    return {"docs": len(docs), "bigrams": len(index), "shards": shards}


class SearchCollector:
    """Gathers the indexed pages during a build, then writes the index.

    Indexed: every page not marked ``search: exclude`` in its front-matter
    (each problem page, the guide), and each report page's narrative parts
    (``reports``: src_uri → report, one per ledger). Problem pages come
    first, in the order the ledgers list them: on equal scores they rank
    first; the other pages follow by their path. ``kept``: the live
    preview's pages of the last build, for the pages this build does not
    render again; a page added again replaces its entry.
    """

    def __init__(self, content: SiteContent, reports: dict[str, ReportDoc],
                 kept: dict[str, SearchDoc] | None = None):
        problems = [p.src_uri for p in content.pages if p.problem]
        self.problem_order = {src: n for n, src in enumerate(problems)}
        self.narratives = {src: report_text(report) for src, report in reports.items()}
        self.found: dict[str, SearchDoc] = dict(kept or {})  # src_uri -> what is indexed

    def add(self, src_uri: str, url: str, title: str, html: str, excluded: bool) -> None:
        if src_uri in self.narratives:
            body = self.narratives[src_uri]
        elif excluded:
            self.found.pop(src_uri, None)
            return
        else:
            body = page_text(html)
        self.found[src_uri] = SearchDoc(url, title, body)

    def order(self, src_uri: str) -> tuple:
        return (0, self.problem_order[src_uri], "") if src_uri in self.problem_order else (1, 0, src_uri)

    def write(self, out: Path) -> dict:
        return write_index([self.found[src] for src in sorted(self.found, key=self.order)], out)
