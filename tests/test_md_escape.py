"""genre.md_escape through the site's real Markdown: the extensions and their
settings as mkdocs.yml lists them (issue 25, item 6), not a stand-in with
``tables`` only. Whatever a clerk types as a title or a cell reaches the page
as typed: no attributes (attr_list's ``{: .x}``), no admonition, no details
block, no code block, no emphasis, link, list or HTML."""

from __future__ import annotations

import functools
import re
from html.parser import HTMLParser

import markdown
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from conftest import REPO, copy_repo, mkdocs_build, read
from ledgerlib.genre import md_escape

# The contexts md_escape's output is placed in by the templates.
CONTEXTS = {"heading": "# 1. {}", "paragraph": "{}", "cell": "| 列 |\n|---|\n| {} |"}
# The elements each context may produce, and nothing else.
EXPECTED_TAGS = {"heading": {"h1", "a"}, "paragraph": {"p"}, "cell": {"table", "thead", "tbody", "tr", "th", "td"}}


@functools.cache
def site_markdown() -> markdown.Markdown:
    """A Markdown with mkdocs.yml's extensions and settings, as MkDocs makes it."""
    from mkdocs.config import load_config

    config = load_config(str(REPO / "mkdocs.yml"))
    return markdown.Markdown(extensions=config["markdown_extensions"], extension_configs=config["mdx_configs"])


class _Page(HTMLParser):
    """The text inside the ``within`` element, the tags and the attributes."""

    def __init__(self, within: str):
        super().__init__()
        self.within, self.inside = within, 0
        self.text, self.tags, self.attributes, self._skip = [], set(), [], 0

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.inside += tag == self.within
        attrs = dict(attrs)
        if tag == "a" and attrs.get("class") == "headerlink":
            self._skip += 1  # toc's permalink "¶"
        elif tag not in ("h1",):  # the heading's id is toc's slug
            self.attributes += [(tag, k) for k in attrs]

    def handle_endtag(self, tag):
        self.inside -= tag == self.within
        if tag == "a" and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if self.inside and not self._skip:
            self.text.append(data)


def rendered(text: str, context: str) -> tuple[str, set[str], list]:
    md = site_markdown()
    md.reset()
    page = _Page({"heading": "h1", "paragraph": "p", "cell": "td"}[context])
    page.feed(md.convert(CONTEXTS[context].format(md_escape(text))))
    return as_html_shows("".join(page.text)), page.tags, page.attributes


def typed(text: str, context: str) -> str:
    """What the page should show: the text, after the heading's number."""
    return as_html_shows(("1. " if context == "heading" else "") + text)


def as_html_shows(text: str) -> str:
    """HTML collapses runs of ASCII white space, and a block's edges."""
    return re.sub(r"[ \t\n]+", " ", text).strip(" ")


TRICKY = [
    "问题1 {: .x}", "问题 {#id .c key=v}", "!!! note", "??? note \"标题\"", "???+ note", "~~~", "```python",
    "    缩进四格", "\t制表符", ":smile: :+1:", "==高亮==", "^^插入^^", "~~删除~~", "++ctrl+alt++",
    "{--删除--}{++添加++}", "[[双括号]]", "[^1] 脚注", "*[HTML]: 缩写", "&amp; &#169; &copy;",
    "[TOC]", "<div markdown>x</div>", "1) 不是列表", "- 不是列表", "+ 也不是", "> 不是引用", "# 不是标题",
    "a|b", "*同志_报告_", "[链接](x)", "![图](x.png)", "<https://example.com>", "\\*已转义\\*", "2023.6.30",
]


@pytest.mark.parametrize("context", CONTEXTS)
@pytest.mark.parametrize("text", TRICKY)
def test_tricky_text_renders_as_typed_through_the_sites_markdown(text, context):
    shown, tags, attributes = rendered(text, context)
    assert shown == typed(text, context)
    assert tags <= EXPECTED_TAGS[context] and attributes == []


# Characters Markdown and its extensions give a meaning, over-represented.
SPECIALS = "\\`*_{}[]()#+-.!|<>&;:=^~?\"' \t"
texts = st.text(alphabet=st.one_of(st.sampled_from(list(SPECIALS)), st.sampled_from(list("问题abc1 ")),
                                   st.characters(blacklist_categories=("Cc", "Cs"))), max_size=40)


@settings(max_examples=300, deadline=None)
@given(text=texts, context=st.sampled_from(list(CONTEXTS)))
@example(text="问题1 {: .x}", context="heading")
@example(text="??? note", context="paragraph")
def test_md_escape_renders_back_to_the_same_text_under_the_real_extensions(text, context):
    shown, tags, attributes = rendered(text, context)
    assert shown == typed(text, context)
    assert tags <= EXPECTED_TAGS[context] and attributes == []


def test_the_markdown_here_is_the_sites_configuration():
    """Every extension mkdocs.yml lists is loaded above, not a subset."""
    from mkdocs.config import load_config

    listed = load_config(str(REPO / "mkdocs.yml"))["markdown_extensions"]
    assert {"attr_list", "admonition", "md_in_html", "pymdownx.details", "pymdownx.superfences"} <= set(listed)
    md = site_markdown()
    assert {"admonition", "details", "markdown_block", "table"} <= {p.name for p in md.parser.blockprocessors._priority}
    assert "fenced_code_block" in {p.name for p in md.preprocessors._priority}  # superfences
    assert {"attr_list", "toc"} <= {p.name for p in md.treeprocessors._priority}


@pytest.mark.site
def test_a_title_ending_in_attributes_reaches_the_problem_page_intact(tmp_path):
    repo = copy_repo(tmp_path / "repo")
    path = next((repo / "issues").glob("01-*.md"))
    text = read(path)
    title = re.search(r"^title: (.*)$", text, re.M)
    path.write_text(text.replace(title[0], "title: '问题1 {: .x} !!! note'"), encoding="utf-8")
    result = mkdocs_build(repo, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    page = read(tmp_path / "site" / "problems" / "1" / "index.html")
    heading = re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S)
    assert 'class="x"' not in heading[0]
    assert re.sub(r"<[^>]+>", "", heading[1]).replace("¶", "").strip() == "1. 问题1 {: .x} !!! note"
