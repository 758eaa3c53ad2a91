"""No edit can inject script: the sanitiser alone, and a real build of every vector."""

from __future__ import annotations

import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from cdp import serve, type_query
from conftest import FIXTURES, REPO, copy_repo, mkdocs_build, read
from ledgerlib import load_ledger
from ledgerlib.ledgerbuild import build_ledger
from ledgerlib.render import BYPASS_SLOT, Renderer, SiteOptions
from ledgerlib.sanitize import escape_meta, plain_to_html, sanitize_html

XSS = FIXTURES / "xss"
MARK = "xss-"  # every vector's payload carries this marker
URL_ATTRS = {"href", "src", "action", "formaction", "data", "xlink:href", "srcset"}


class _Unsafe(HTMLParser):
    """Everything in a page that a browser would run, or would load from a vector."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.open: list[str] = []  # enclosing script/style

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.open.append(tag)
        if tag in ("iframe", "object", "embed", "frame", "base"):
            self.found.append(f"<{tag}>")
        if tag == "meta" and dict(attrs).get("http-equiv") and MARK in (dict(attrs).get("content") or ""):
            self.found.append(f"<meta {attrs}>")  # a refresh to a javascript: URL
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}={value!r}>")
            if name in URL_ATTRS and re.sub(r"[\s\x00-\x1f]", "", value).lower().startswith(("javascript:", "data:text", "vbscript:")):
                self.found.append(f"<{tag} {name}={value!r}>")
            if MARK in value and (name in ("action", "formaction") or (name == "src" and tag != "a")):
                self.found.append(f"<{tag} {name}={value!r}>")  # a vector's target would load

    def handle_endtag(self, tag):
        if self.open and self.open[-1] == tag:
            self.open.pop()

    def handle_data(self, data):
        if self.open and MARK in data:
            self.found.append(f"<{self.open[-1]}>{data.strip()[:60]}")


def unsafe(html: str) -> list[str]:
    parser = _Unsafe()
    parser.feed(html)
    parser.close()
    return parser.found


# -- the sanitiser on its own ---------------------------------------------------

@pytest.mark.parametrize("dirty, clean", [
    ('<script>alert("xss-1")</script>文字', "文字"),
    ('<img src="a.png" onerror="alert(1)">', '<img src="a.png">'),
    ('<a href="javascript:alert(1)">链接</a>', "<a>链接</a>"),
    ('<a href="JaVaScRiPt&#x3A;alert(1)">链接</a>', "<a>链接</a>"),
    ('<a href="java&#x09;script:alert(1)">链接</a>', "<a>链接</a>"),
    ('<a href="data:text/html,x">链接</a>', "<a>链接</a>"),
    ('<p onclick="alert(1)">段落</p>', "<p>段落</p>"),
    ('<iframe src="http://evil.example/"></iframe>后文', "后文"),
    ("<style>body{display:none}</style>后文", "后文"),
    ('<table><tr><td style="position:fixed" align="right">格</td></tr></table>',
     '<table><tbody><tr><td align="right">格</td></tr></tbody></table>'),
    ("<form><input name=q></form>", ""),
    ('<svg onload="alert(1)"></svg>', ""),
])
def test_sanitiser_removes_vectors(dirty, clean):
    assert sanitize_html(dirty) == clean


def test_sanitiser_keeps_what_pages_need():
    kept = ('<h2 id="整改情况">整改情况<a class="headerlink" href="#整改情况" title="Permanent link">¶</a></h2>'
            '<div class="admonition note"><p class="admonition-title">注意</p><p>内容</p></div>'
            '<table class="ledger-table ledger-sortable"><thead><tr><th data-sort-method="number">序号</th></tr></thead>'
            '<tbody><tr class="ledger-row-none"><td data-sort="1">1</td></tr></tbody></table>'
            '<p><a href="../list/">清单</a> <img alt="照片" src="../evidence/a.png"> <a href="mailto:a@b.cn">邮件</a></p>'
            '<details class="note" open=""><summary>展开</summary><ol start="3"><li>三</li></ol></details>')
    assert sanitize_html(kept) == kept


class _Events(HTMLParser):
    """A page as (tag, attributes) and text events: equal events, equal page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.events: list = []

    def handle_starttag(self, tag, attrs):
        self.events.append(("start", tag, tuple(sorted((k, v or "") for k, v in attrs))))

    def handle_endtag(self, tag):
        self.events.append(("end", tag))

    def handle_data(self, data):
        if self.events and self.events[-1][0] == "text":
            data = self.events.pop()[1] + data
        self.events.append(("text", data))


def events(html: str) -> list:
    parser = _Events()
    parser.feed(html.replace("<br />", "<br>"))
    parser.close()
    # <br> and <img> have no end tag in HTML; html.parser reports one only for "<br />".
    return [e for e in parser.events if e not in (("end", "br"), ("end", "img"), ("end", "hr"))]


def _markdown() -> markdown.Markdown:
    """Python-Markdown configured with mkdocs.yml's own extensions."""
    text = read(REPO / "mkdocs.yml")
    config = yaml.load(text, Loader=_IgnoreTags)
    names, configs = [], {}
    for item in config["markdown_extensions"]:
        name, options = next(iter(item.items())) if isinstance(item, dict) else (item, {})
        names.append(name)
        configs[name] = {k: v for k, v in (options or {}).items() if k != "slugify"}
    return markdown.Markdown(extensions=names, extension_configs=configs)


class _IgnoreTags(yaml.SafeLoader):
    pass


_IgnoreTags.add_multi_constructor("!", lambda loader, suffix, node: None)
_IgnoreTags.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def test_sanitiser_changes_nothing_on_legitimate_pages():
    """Every generated page, every problem body and the guide, rendered as
    MkDocs does, come out of the sanitiser unchanged: the allowlist covers
    what our extensions and templates produce."""
    ledger = load_ledger(REPO / "issues")
    renderer = Renderer(build_ledger(ledger), SiteOptions(docs_dir=REPO / "docs"))
    renderer.sanitize = lambda html: html  # blocks kept out of Markdown, as generated
    pages = renderer.pages().pages
    sources = [p.markdown.split("---", 2)[2] for p in pages]
    bypassed = [html for p in pages for name, html in p.slots.items() if name.startswith(BYPASS_SLOT)]
    assert any("ledger-table" in html for html in bypassed) and any("ledger-meta" in html for html in bypassed)
    sources += bypassed
    sources += [read(p) for p in sorted((REPO / "docs").rglob("*.md"))]
    sources.append(read(XSS / "body.md").split("| 左对齐")[1])  # tables, lists, admonition, anchors
    assert len(sources) > 30
    md = _markdown()
    for source in sources:
        html = md.reset().convert(source)
        assert events(sanitize_html(html)) == events(html), source[:200]


def test_meta_titles_are_escaped_once_and_redirects_dropped():
    meta = {"title": '</title><script>alert(1)</script>', "description": "A &amp; B",
            "template": "redirect.html", "location": "javascript:alert(1)", "search": {"exclude": True}}
    assert escape_meta(meta) == ["template", "location"]
    assert meta == {"title": "&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;",
                    "description": "A &amp; B", "search": {"exclude": True}}
    assert plain_to_html(plain_to_html("<b>")) == "&lt;b&gt;"


# -- a real build ---------------------------------------------------------------

TITLE_VECTOR = '<script>alert("xss-30")</script>"><img src=x onerror=alert("xss-31")>'


def _plant_vectors(repo: Path) -> None:
    """Every vector where an author can type it: body, front-matter, ledger.yml, docs pages."""
    path = next((repo / "issues").glob("01-*.md"))
    text = read(path)
    text = re.sub(r"(?m)^title: .*$", "title: " + json.dumps(TITLE_VECTOR), text, count=1)
    text = re.sub(r"(?m)^leader: .*$", "leader: " + json.dumps('"><img src=x onerror=alert("xss-32")>'), text, count=1)
    text = re.sub(r"(?m)^owner: .*$", "owner: " + json.dumps('<img src=x onerror=alert("xss-33")>'), text, count=1)
    text = text.replace("## 整改情况", read(XSS / "body.md") + "\n## 整改情况", 1)
    path.write_text(text, encoding="utf-8")
    ledger_yml = repo / "issues/ledger.yml"
    ledger_yml.write_text(read(ledger_yml).replace(
        "  - name: 聚焦基层党组织建设\n", '  - name: "<script>alert(\\"xss-34\\")</script>聚焦基层党组织建设"\n'), encoding="utf-8")
    shutil.copy(XSS / "page.md", repo / "docs/page.md")
    shutil.copy(XSS / "heading.md", repo / "docs/heading.md")
    (repo / "docs/evidence/sample/photo.png").write_bytes(b"\x89PNG\r\n\x1a\n")


@pytest.fixture(scope="module")
def xss_site(tmp_path_factory):
    repo = copy_repo(tmp_path_factory.mktemp("xss") / "repo")
    _plant_vectors(repo)
    strict = mkdocs_build(repo, repo / "strict-site", quiet=False)
    # mkdocs.yml says strict: true; relax it to see what a lenient build publishes.
    config = repo / "mkdocs.yml"
    config.write_text(read(config).replace("\nstrict: true\n", "\nstrict: false\n"), encoding="utf-8")
    result = mkdocs_build(repo, strict=False, quiet=False)
    assert result.returncode == 0, result.stderr
    return repo / "site", strict


def test_no_vector_survives_anywhere_in_the_site(xss_site):
    site, _ = xss_site
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 30
    assert MARK in read(site / "problems/1/index.html")  # the vectors were really there
    for page in pages:
        assert unsafe(read(page)) == [], page.relative_to(site)


@pytest.mark.site
def test_search_shows_vectors_as_text(xss_site, browser):
    """The index holds what the author typed, literally; the search box puts
    it on screen as text, so nothing in it becomes an element or runs."""
    site, _ = xss_site
    with serve(site) as url:
        browser.goto(url)
        type_query(browser, "xss-30")
        shown = browser.evaluate("""(() => {
          const panel = document.querySelector('.ledger-search__panel');
          return {titles: [...panel.querySelectorAll('.ledger-search__title')].map(t => t.textContent),
                  elements: panel.querySelectorAll('script, img, iframe, [onerror]').length};
        })()""")
    assert "1. " + TITLE_VECTOR in shown["titles"]
    assert shown["elements"] == 0


def test_titles_and_names_show_as_text(xss_site):
    site, _ = xss_site
    html = read(site / "problems/1/index.html")
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert title == "1. " + plain_to_html(TITLE_VECTOR) + " - 整改台账"
    assert "&lt;script&gt;alert(&#34;xss-30&#34;)" in html or "&lt;script&gt;alert(&quot;xss-30&quot;)" in html
    page = read(site / "page/index.html")
    assert re.search(r"<title>&lt;/title&gt;&lt;script&gt;", page)
    assert "window.location.replace" not in page  # the redirect template was refused
    heading = read(site / "heading/index.html")
    assert re.search(r"<title>&lt;/title&gt;&lt;script&gt;alert\(&(quot|#34);xss-23", heading)


def test_forbidden_front_matter_fails_the_strict_build(xss_site):
    _, result = xss_site
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "page.md: front-matter 字段 template 不允许使用" in result.stderr
    assert "page.md: front-matter 字段 location 不允许使用" in result.stderr


def test_ordinary_markdown_still_renders(xss_site):
    site, _ = xss_site
    html = read(site / "problems/1/index.html")
    assert re.search(r'<th align="left">左对齐</th>\s*<th align="right">右对齐</th>', html)
    assert re.search(r"<ul>\s*<li>列表项一</li>\s*<li>列表项二</li>\s*</ul>", html)
    assert re.search(r'<div class="admonition note">\s*<p class="admonition-title">注意事项</p>', html)
    assert '<h3 id="custom-anchor">' in html and 'href="#custom-anchor"' in html
    assert "<p>一段带事件属性的文字</p>" in html
    assert "md_in_html 里的段落" in html
    link = re.search(r'<a href="([^"]+)">问题清单</a>', html).group(1)
    assert (site / "problems/1" / link / "index.html").resolve().is_file()
    image = re.search(r'<img alt="现场照片" src="([^"]+)"', html).group(1)
    assert (site / "problems/1" / image).resolve().is_file()


# -- the sanitiser on arbitrary HTML ---------------------------------------------

_TAGS = ["p", "a", "img", "div", "span", "script", "style", "iframe", "svg", "math", "object", "embed",
         "form", "input", "base", "meta", "link", "details", "table", "td", "template", "noscript", "textarea"]
_ATTRS = ["href", "src", "onerror", "onclick", "onload", "style", "class", "id", "data-sort", "action",
          "formaction", "srcset", "xlink:href", "http-equiv", "content", "open", "ontoggle"]
_VALUES = ["javascript:alert(1)", " JaVaScRiPt:alert(1)", "java\tscript:alert(1)", "&#106;avascript:alert(1)",
           "data:text/html,<script>alert(1)</script>", "vbscript:x", "../list/", "#a", "x\" onerror=\"alert(1)",
           "alert(1)", "0;url=javascript:alert(1)"]


@st.composite
def _html(draw, depth=0):
    parts = []
    for _ in range(draw(st.integers(0, 3))):
        tag = draw(st.sampled_from(_TAGS))
        attrs = "".join(f' {name}="{value}"' if quote else f" {name}={value.replace(' ', '')}"
                        for name, value, quote in draw(st.lists(st.tuples(
                            st.sampled_from(_ATTRS), st.sampled_from(_VALUES) | st.text(max_size=6), st.booleans()),
                            max_size=3)))
        inner = draw(_html(depth + 1)) if depth < 3 else draw(st.text(max_size=10))
        closing = draw(st.sampled_from([f"</{tag}>", "", "<!--", "]]>"]))
        parts.append(f"<{tag}{attrs}>{inner}{closing}")
    return "".join(parts)


@settings(max_examples=200, deadline=None)
@given(_html())
@example("<p><object></p>")  # nested <p>: a second cleaning re-parses it into siblings
def test_sanitiser_output_never_runs_script(dirty):
    clean = sanitize_html(dirty)
    found = [f for f in unsafe(clean) if f != "<base>"] + [f"<{t}>" for t in ("script", "style", "iframe", "svg", "math", "base", "meta", "form")
                                                           if re.search(rf"<{t}[\s>/]", clean, re.I)]
    assert not found, (dirty, clean)
    # Cleaning twice keeps the same text. (Not the same markup: the HTML5 parser
    # serialises <p> inside <p>, which parses back as siblings.)
    again = sanitize_html(clean)
    assert re.sub(r"<[^>]*>", "", again) == re.sub(r"<[^>]*>", "", clean)
    assert not unsafe(again)
