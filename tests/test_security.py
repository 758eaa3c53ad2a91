"""One merge request harms no one (issue 20, the site and build half).

Each test is named after the threat it covers; dev/security.md lists them.
An attack is either refused by `validate` (ledgers.check_collection, which
every build runs first) with a Chinese path:line message, or neutralised in
the built site; the strict build of an attacked repository publishes nothing.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import time
from pathlib import Path

import pytest

from conftest import copy_repo, mkdocs_build, read
from ledger_fixtures import LEDGER_YML, issue_text, write_ledger
from ledgerlib.ledgers import check_collection
from ledgerlib.trust import SYMLINK_MESSAGE, skeleton

TODAY = dt.date(2024, 1, 1)


def messages(repo: Path) -> list[str]:
    """What validate prints for the repository's ledger (every message, errors and warnings)."""
    collection, diagnostics = check_collection(repo / "issues", today=TODAY)
    return [str(d) for d in diagnostics] + ([] if collection is None else ["通过"])


def errors_at(repo: Path, prefix: str) -> list[str]:
    return [m for m in messages(repo) if m.startswith(prefix)]


def small_repo(tmp_path: Path, issues: dict[str, str] | None = None, ledger_yml: str = LEDGER_YML) -> Path:
    write_ledger(tmp_path, issues, ledger_yml)
    (tmp_path / "docs/evidence").mkdir(parents=True)
    (tmp_path / "mkdocs.yml").write_text("site_name: t\n", encoding="utf-8")
    return tmp_path


def with_extra(extra: str, body: str = "") -> str:
    text = issue_text(1, extra=extra)
    return text.replace("问题1的描述。", "问题1的描述。\n" + body) if body else text


# -- 2. nothing from outside the repository ---------------------------------------

def test_threat_symlink_publishes_host_file(tmp_path):
    repo = small_repo(tmp_path)
    os.symlink("/proc/self/environ", repo / "docs/evidence/env.txt")
    os.symlink("/etc/passwd", repo / "docs/passwd.md")
    (repo / "docs/sub").mkdir()
    os.symlink("/etc", repo / "docs/sub/etc")
    os.symlink("/etc/passwd", repo / "issues/03-link.md")
    found = messages(repo)
    for rel in ("docs/evidence/env.txt", "docs/passwd.md", "docs/sub/etc", "issues/03-link.md"):
        assert f"{rel}:1: 文件: {SYMLINK_MESSAGE}" in found
    assert "通过" not in found
    assert len([m for m in found if m.startswith("issues/03-link.md")]) == 1  # reported once
    assert not any("root:" in m for m in found)  # /etc/passwd was not read


def test_threat_narrative_source_reads_git_config(tmp_path):
    yml = LEDGER_YML + "report:\n  preamble: ../.git/config\n  sections:\n    - title: 甲\n      source: ../../../etc/passwd\n" \
                       "    - title: 乙\n      source: ../.env\n"
    repo = small_repo(tmp_path, ledger_yml=yml)
    (repo / ".git").mkdir()
    (repo / ".git/config").write_text('[remote "origin"]\n\turl = https://oauth2:TOKEN@git.example/x\n', encoding="utf-8")
    (repo / ".env").write_text("SECRET=1\n", encoding="utf-8")
    found = messages(repo)
    assert any(m.startswith("issues/ledger.yml:12: report.preamble: 文件“../.git/config”在隐藏文件夹（如 .git/）里") for m in found)
    assert any(m.startswith("issues/ledger.yml:14: report.sections: 文件“../../../etc/passwd”在仓库之外") for m in found)
    assert any(m.startswith("issues/ledger.yml:16: report.sections: 文件“../.env”在隐藏文件夹") for m in found)
    assert not any("TOKEN" in m for m in found)


def test_threat_evidence_path_escapes_repository(tmp_path):
    repo = small_repo(tmp_path, {"01-a.md": with_extra(
        "evidence:\n  - file: /etc/passwd\n  - file: .git/config\n  - file: docs/evidence/link/x.txt\n")})
    (repo / ".git").mkdir()
    (repo / ".git/config").write_text("[core]\n", encoding="utf-8")
    os.symlink(repo / "issues", repo / "docs/evidence/link")
    found = messages(repo)
    assert any(m.startswith("issues/01-a.md:10: evidence: 文件“/etc/passwd”在仓库之外") for m in found)
    assert any(m.startswith("issues/01-a.md:11: evidence: 文件“.git/config”在隐藏文件夹") for m in found)
    assert any(m.startswith("issues/01-a.md:12: evidence: 文件“docs/evidence/link/x.txt”") for m in found)
    assert f"docs/evidence/link:1: 文件: {SYMLINK_MESSAGE}" in found


# -- 3. no author-controlled text runs in a browser -----------------------------------

@pytest.mark.parametrize("name", ["x.svg", "x.html", "x.htm", "x.xhtml", "x.xml", "x.js", "sub/y.SVG", "report/x.html"])
def test_threat_evidence_file_runs_in_browser(tmp_path, name):
    repo = small_repo(tmp_path, {"01-a.md": with_extra(f"evidence:\n  - file: docs/evidence/{name}\n")})
    path = repo / "docs/evidence" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>", encoding="utf-8")
    found = messages(repo)
    assert any(m.startswith(f"docs/evidence/{name}:1: 文件: “") and "会被浏览器当作网页或脚本执行" in m for m in found)
    assert any(m.startswith("issues/01-a.md:10: evidence: “") for m in found)


def test_site_code_may_hold_script_and_pages(tmp_path):
    """The project's own code shipped with the site (docs/assets/, docs/admin/,
    reviewed as code) stays allowed; the same file elsewhere in docs/ does not."""
    repo = small_repo(tmp_path)
    for rel in ("assets/js/site.js", "assets/site.css", "admin/index.html", "admin/vendor/cms.js"):
        (repo / "docs" / rel).parent.mkdir(parents=True, exist_ok=True)
        (repo / "docs" / rel).write_text("/* ours */\n", encoding="utf-8")
    assert messages(repo) == ["通过"]
    (repo / "docs/report/page.html").parent.mkdir(parents=True)
    (repo / "docs/report/page.html").write_text("<script></script>", encoding="utf-8")
    assert any(m.startswith("docs/report/page.html:1: 文件:") for m in messages(repo))


@pytest.mark.parametrize("name", ['18-"><img src=x onerror=alert(1)>.md', "18-a'b.md", "18-a#b.md", "18-a%22.md",
                                  "18-a\u200bb.md"])
def test_threat_file_name_breaks_out_of_edit_link(tmp_path, name):
    repo = small_repo(tmp_path)
    (repo / "issues" / name).write_text(issue_text(18), encoding="utf-8")
    found = messages(repo)
    assert any(m.startswith(f"issues/{name}:1: 文件: 文件名或文件夹名含有字符") for m in found), found
    assert "通过" not in found


def test_chinese_file_names_keep_working(tmp_path):
    repo = small_repo(tmp_path, {"01-党支部分工不明确（2023）.md": issue_text(1)})
    (repo / "docs/evidence/局党委会议纪要 第1次.pdf").write_bytes(b"%PDF-1.4\n")
    assert messages(repo) == ["通过"]


def test_threat_remote_image_beacon(tmp_path):
    body = ('<img src="http://evil.example/beacon.png">\n\n![照片](https://intranet.host/x.png)\n\n'
            "<img src=//evil.example/y.png>\n\n![参考图][r]\n\n[r]: http://evil.example/ref.png\n\n"
            "[普通链接](http://example.com/) 不会在打开页面时请求。\n")
    repo = small_repo(tmp_path, {"01-a.md": with_extra("", body)})
    found = [m for m in messages(repo) if m.startswith("issues/01-a.md")]
    lines = [int(m.split(":")[1]) for m in found]
    assert lines == [14, 16, 18, 22], found
    assert all("外部网址的图片或资源" in m for m in found)


def test_threat_remote_image_in_site_page(tmp_path):
    repo = small_repo(tmp_path)
    (repo / "docs/page.md").write_text("# 页\n\n正文\n![x](http://evil.example/x.png)\n", encoding="utf-8")
    assert any(m.startswith("docs/page.md:4: 正文: 引用了外部网址的图片或资源“http://evil.example/x.png”")
               for m in messages(repo))


# -- 4. bounded work, no traceback -----------------------------------------------------

LAUGHS = ("---\ntitle: 页\na: &a [\"哈\",\"哈\",\"哈\",\"哈\",\"哈\",\"哈\",\"哈\",\"哈\",\"哈\"]\n"
          + "".join(f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},"
                    f"*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)}]\n" for i in range(8))
          + "description: *i\n---\n\n# 页\n")


def test_threat_billion_laughs_in_site_page_front_matter(tmp_path):
    repo = small_repo(tmp_path)
    (repo / "docs/laughs.md").write_text(LAUGHS, encoding="utf-8")
    started = time.perf_counter()
    found = messages(repo)
    assert time.perf_counter() - started < 5
    assert any(m.startswith("docs/laughs.md:3: front-matter: YAML 格式错误：不支持 YAML 锚点和别名") for m in found), found


def test_threat_format_spec_exhausts_memory(tmp_path):
    yml = LEDGER_YML + "report:\n  wording:\n    summary: \"{unit:>1500000000}\"\n    partial: \"{rate!r}\"\n"
    repo = small_repo(tmp_path, ledger_yml=yml)
    found = messages(repo)
    assert any(m.startswith("issues/ledger.yml:13: report.wording.summary: 措辞模板里的“{unit:>1500000000}”带有格式说明")
               for m in found), found
    assert any(m.startswith("issues/ledger.yml:14: report.wording.partial: 措辞模板里的“{rate!r}”带有格式说明") for m in found)


@pytest.mark.parametrize("extra, line, field", [
    ('title: "问题\\x01一"\n', 3, "title"),
    ('evidence:\n  - file: "docs/evidence/a\\0b.pdf"\n', 10, "front-matter"),
    ('leader: "局长\\a"\n', 7, "leader"),
])
def test_threat_control_character_from_yaml_escape(tmp_path, extra, line, field):
    text = issue_text(1)
    if extra.startswith(("title", "leader")):
        key = extra.split(":")[0]
        text = re.sub(rf"(?m)^{key}: .*\n", lambda _: extra, text)
    else:
        text = with_extra(extra)
    repo = small_repo(tmp_path, {"01-a.md": text})
    found = messages(repo)
    assert any(m.startswith(f"issues/01-a.md:{line}: front-matter: YAML 格式错误：含有看不见的控制字符") for m in found), found


# -- 5. look-alike names -----------------------------------------------------------------

@pytest.mark.parametrize("owner", ["办公室\u200b", "\u200d办公室", "办\u202e公室", "办公室\ufeff"])
def test_threat_zero_width_owner_makes_a_second_department(tmp_path, owner):
    repo = small_repo(tmp_path, {"01-a.md": issue_text(1).replace("owner: 办公室", f"owner: {owner}")})
    found = messages(repo)
    assert any(m.startswith("issues/01-a.md:6: owner: 第") and "看不见的字符" in m for m in found), found


def test_zero_width_in_title_and_person(tmp_path):
    text = issue_text(1).replace("title: 问题1", "title: 问题\u200b1").replace(
        "deadline: 2023-03-31\n", "deadline: 2023-03-31\nmeasures:\n  - text: 措施\n    owner: 办公室\n    person: 张\u200c三\n")
    repo = small_repo(tmp_path, {"01-a.md": text})
    found = messages(repo)
    assert any(m.startswith("issues/01-a.md:3: title: 第 3 个字符是看不见的字符（U+200B，零宽空格）") for m in found), found
    assert any(m.startswith("issues/01-a.md:") and "person: " in m and "U+200C" in m for m in found), found


def test_skeleton_folds_what_prints_alike():
    assert skeleton("IT部") == skeleton("ІТ部") == skeleton("ＩＴ部") == skeleton("I T部")
    assert skeleton("办公室") != skeleton("办公厅")


# -- the strict build of an attacked repository publishes nothing ----------------------

@pytest.fixture(scope="module")
def attacked_build(tmp_path_factory):
    """The sample repository with the refused attacks in place, built strict and lenient."""
    repo = copy_repo(tmp_path_factory.mktemp("attacked") / "repo")
    os.symlink("/proc/self/environ", repo / "docs/evidence/env.txt")
    os.symlink("/etc/passwd", repo / "docs/evidence/passwd.txt")
    (repo / "docs/evidence/x.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>",
                                              encoding="utf-8")
    (repo / "docs/evidence/x.html").write_text("<script>alert(1)</script>", encoding="utf-8")
    (repo / "docs/laughs.md").write_text(LAUGHS, encoding="utf-8")
    (repo / ".git").mkdir()
    (repo / ".git/config").write_text("[remote]\n\turl = https://oauth2:TOKEN-20@git.example/x\n", encoding="utf-8")
    ledger_yml = repo / "issues/ledger.yml"
    ledger_yml.write_text(read(ledger_yml).replace("source: ../docs/report/next-steps.md", "source: ../.git/config")
                          .replace("all_done: 目前", "all_done: 目前{unit:>1500000000}"), encoding="utf-8")
    path = next((repo / "issues").glob("01-*.md"))
    path.write_text(re.sub(r"(?m)^leader: .*$", lambda _: 'leader: "局长\\x01"', read(path)), encoding="utf-8")
    results = {}
    for strict in (True, False):
        site = repo / f"site-{strict}"
        started = time.perf_counter()
        result = mkdocs_build(repo, site, strict=strict, quiet=False)
        results[strict] = (result, site, time.perf_counter() - started)
    return repo, results


@pytest.mark.site
@pytest.mark.parametrize("strict", [True, False])
def test_threat_attacked_build_publishes_nothing(attacked_build, strict):
    _, results = attacked_build
    result, site, seconds = results[strict]
    assert result.returncode == 1 and "Traceback" not in result.stderr + result.stdout
    assert seconds < 60
    for line in ("docs/evidence/env.txt:1: 文件: 这是符号链接", "docs/evidence/passwd.txt:1: 文件: 这是符号链接",
                 "docs/evidence/x.svg:1: 文件: “.svg”文件会被浏览器当作网页或脚本执行",
                 "docs/evidence/x.html:1: 文件: “.html”文件", "docs/laughs.md:3: front-matter: YAML 格式错误",
                 "report.sections: 文件“../.git/config”在隐藏文件夹", "report.wording.all_done: 措辞模板里的“{unit:>1500000000}”",
                 "front-matter: YAML 格式错误：含有看不见的控制字符（U+0001）"):
        assert line in result.stderr, line
    published = [p for p in site.rglob("*")] if site.exists() else []
    assert not [p for p in published if p.name in ("env.txt", "passwd.txt", "x.svg", "x.html")]
    assert not any(b"TOKEN-20" in p.read_bytes() or b"root:x:0" in p.read_bytes() for p in published if p.is_file())


def test_threat_homoglyph_owner_makes_a_second_department(tmp_path):
    issues = {"01-a.md": issue_text(1).replace("owner: 办公室", "owner: IT部"),
              "02-b.md": issue_text(2).replace("owner: 办公室", "owner: ІТ部"),  # Cyrillic І and Т
              "03-c.md": issue_text(3).replace("owner: 办公室", "owner: ＩＴ部"),  # full-width
              "04-d.md": issue_text(4).replace("owner: 办公室", "owner: 办公室、安委办")}
    repo = small_repo(tmp_path, issues)
    found = [m for m in messages(repo) if "看起来相同" in m or "混用" in m]
    assert any(m.startswith("issues/02-b.md:6: owner: “ІТ部”与 issues/01-a.md:6 的“IT部”看起来相同") for m in found), found
    assert any(m.startswith("issues/03-c.md:6: owner: “ＩＴ部”与 issues/01-a.md:6 的“IT部”看起来相同") for m in found), found
    assert any(m.startswith("issues/02-b.md:6: owner: “ІТ部”里混用了") or "混用" not in m for m in found)
    assert not any("办公室" in m or "安委办" in m for m in found)


def test_homoglyph_person_in_a_measure(tmp_path):
    measure = "measures:\n  - text: 措施\n    owner: 办公室\n    person: {}\n"
    issues = {"01-a.md": issue_text(1).replace("leader: 局长", "leader: Zhang Wei"),
              "02-b.md": issue_text(2).replace("deadline: 2023-03-31\n", "deadline: 2023-03-31\n" + measure.format("Zhаng Wei"))}
    repo = small_repo(tmp_path, issues)
    found = [m for m in messages(repo) if "看起来相同" in m]
    assert len(found) == 1 and found[0].startswith("issues/02-b.md:12: measures[1].person: “Zhаng Wei”与 issues/01-a.md:7")


# -- build-time layer: the adapter and the sanitiser -----------------------------------------

def test_sanitiser_drops_theme_ids_and_remote_sources():
    from ledgerlib.sanitize import sanitize_html
    html = ('<div id="__config">{"base": "http://evil.example"}</div><p id="__search" name="x">a</p>'
            '<a name="__drawer" href="#x">b</a><p data-md-component="search">c</p>'
            '<img src="http://evil.example/b.png" alt="甲"><img src="//evil.example/c.png"><img src="../evidence/d.png">'
            '<h2 id="ok">标题</h2>')
    clean = sanitize_html(html)
    assert clean == ('<div>{"base": "http://evil.example"}</div><p>a</p><a href="#x">b</a><p>c</p>'
                     '<img alt="甲"><img><img src="../evidence/d.png"><h2 id="ok">标题</h2>')


def test_trusted_files_drops_what_mkdocs_would_copy(tmp_path):
    """The build's own last check (mkdocs serve previews a ledger that failed to load)."""
    from types import SimpleNamespace

    from mkdocs.structure.files import File, Files

    from ledger_mkdocs import trusted_files

    docs, site = tmp_path / "docs", tmp_path / "site"
    (docs / "evidence").mkdir(parents=True)
    os.symlink("/etc/passwd", docs / "evidence/passwd.txt")
    (docs / "evidence/x.svg").write_text("<svg/>", encoding="utf-8")
    (docs / "手写 页.md").write_text("# 页\n", encoding="utf-8")
    (docs / "assets").mkdir()
    (docs / "assets/site.js").write_text("//\n", encoding="utf-8")
    files = Files([File(name, str(docs), str(site), True)
                   for name in ("evidence/passwd.txt", "evidence/x.svg", "手写 页.md", "assets/site.js")])
    kept = trusted_files(files, SimpleNamespace(docs_dir=str(docs)))
    assert sorted(f.src_uri for f in kept) == ["assets/site.js", "手写 页.md"]
    page = kept.get_file_from_path("手写 页.md")
    assert page.edit_uri == "%E6%89%8B%E5%86%99%20%E9%A1%B5.md"


PAGE_META = """---
title: ['<img src=x onerror=alert("xss-40")>', 标题]
description: ['"><script>alert("xss-41")</script>']
author: [{'"><svg onload=alert("xss-42")>': 1}]
subtitle: '<script>alert("xss-43")</script>'
status: 'new"><img src=x onerror=alert("xss-44")>'
icon: nonexistent/thing
---

# 手写页

<div id="__config">{"base": "http://evil.example/xss-45", "features": [], "search": "http://evil.example/s.js"}</div>

<p data-md-component="search" id="__search">xss-46</p>
"""


@pytest.fixture(scope="module")
def neutralised_site(tmp_path_factory):
    """The sample with every attack the build neutralises (rather than refuses)
    in place, and the vectors of test_sanitize: built as a lenient build would."""
    from test_sanitize import _plant_vectors

    repo = copy_repo(tmp_path_factory.mktemp("neutralised") / "repo")
    _plant_vectors(repo)
    (repo / "docs/手写 页.md").write_text(PAGE_META, encoding="utf-8")
    config = repo / "mkdocs.yml"
    config.write_text(read(config).replace("\nstrict: true\n", "\nstrict: false\n")
                      .replace("  - 编写指南: guide.md\n", "  - 编写指南: guide.md\n  - 手写页: 手写 页.md\n"), encoding="utf-8")
    result = mkdocs_build(repo, strict=False, quiet=False)
    assert result.returncode == 0, result.stderr
    return repo / "site"


def test_threat_page_front_matter_prints_script(neutralised_site):
    html = read(neutralised_site / "手写 页/index.html")
    for mark in ("xss-40", "xss-41", "xss-42", "xss-43", "xss-44"):
        assert mark in html or mark == "xss-43"
    assert "<script>alert" not in html and "<img src=x" not in html and "<svg onload" not in html
    assert re.search(r'<meta name="description" content="&#34;&gt;&lt;script&gt;|'
                     r'<meta name="description" content="&quot;&gt;&lt;script&gt;', html)
    home = read(neutralised_site / "index.html")  # the nav of every page shows the status badge
    assert 'md-status--new&#34;&gt;' in home or 'md-status--new&quot;&gt;' in home
    assert '<img src=x onerror=alert("xss-44")>' not in home


def test_unknown_icon_is_dropped_not_a_traceback(tmp_path):
    """Material includes .icons/<icon>.svg for a nav entry: an unknown one ended
    the build in a traceback. The neutralised site above has one in its nav;
    here the rule itself, with a real icon kept."""
    from types import SimpleNamespace

    from ledger_mkdocs import unsafe_meta

    theme = tmp_path / "theme"
    (theme / ".icons/material").mkdir(parents=True)
    (theme / ".icons/material/home.svg").write_text("<svg/>", encoding="utf-8")
    config = SimpleNamespace(theme=SimpleNamespace(dirs=[str(theme)]))
    for icon, kept in (("material/home", True), ("nonexistent/thing", False), ("../material/home", False),
                       (["material/home"], False)):
        page = SimpleNamespace(meta={"icon": icon, "title": "<b>"})
        assert unsafe_meta(page, config) == ([] if kept else ["icon"])
        assert ("icon" in page.meta) == kept and page.meta["title"] == "&lt;b&gt;"


def test_threat_theme_config_clobbered(neutralised_site):
    html = read(neutralised_site / "手写 页/index.html")
    assert html.count('id="__config"') == 1  # the theme's own
    assert 'id="__search"' not in html.split('class="md-content"', 1)[1]
    assert "data-md-component=\"search\">xss-46" not in html
    assert "evil.example/xss-45" not in html.split('id="__config"', 1)[1].split("</script>", 1)[0]


def test_threat_edit_link_is_quoted(neutralised_site):
    html = read(neutralised_site / "手写 页/index.html")
    edit = re.search(r'<a href="([^"]*)" title="[^"]*" class="md-content__button md-icon[^"]*" rel="edit"', html)
    assert edit and edit.group(1).endswith("/edit/main/docs/%E6%89%8B%E5%86%99%20%E9%A1%B5.md"), edit


# -- the browser: no dialog, no script error, no other host -----------------------------------

_WATCH = """(() => {
  window.__ledgerDialogs = [];
  window.__ledgerErrors = [];
  for (const name of ["alert", "confirm", "prompt", "print"]) {
    window[name] = (...args) => { window.__ledgerDialogs.push(name + ":" + args.join(",")); };
  }
  // Script errors only: an image that fails to load (the vectors' src=x) is not one.
  window.addEventListener("error", (e) => { if (e instanceof ErrorEvent) window.__ledgerErrors.push(e.message); }, true);
})();"""

PAGES = ("", "problems/1/", "page/", "heading/", "手写 页/", "list/", "owners/", "report/")


def visit(browser, url: str) -> dict:
    """Open ``url`` in the watched browser: its dialogs, script errors,
    uncaught exceptions and every request it made (Network events)."""
    browser.goto(url)
    time.sleep(0.3)  # late scripts, lazy images
    found = browser.evaluate("({dialogs: window.__ledgerDialogs, errors: window.__ledgerErrors, title: document.title})")
    found["requests"] = [e["params"]["request"]["url"] for e in browser.events
                         if e.get("method") == "Network.requestWillBeSent"]
    found["exceptions"] = [e["params"]["exceptionDetails"].get("text") for e in browser.events
                           if e.get("method") == "Runtime.exceptionThrown"]
    return found


@contextlib.contextmanager
def watched(browser):
    """Dialogs recorded instead of shown (an alert would block the page), script errors kept, requests seen."""
    watch = browser.page("Page.addScriptToEvaluateOnNewDocument", source=_WATCH)["identifier"]
    browser.page("Network.enable")
    try:
        yield
    finally:
        browser.page("Page.removeScriptToEvaluateOnNewDocument", identifier=watch)
        browser.page("Network.disable")


def harm(found: dict, origin: str) -> list[str]:
    from urllib.parse import urlsplit

    other = [r for r in found["requests"] if urlsplit(r).scheme in ("http", "https") and urlsplit(r).netloc != origin]
    return found["dialogs"] + found["errors"] + found["exceptions"] + other


@pytest.mark.site
def test_threat_browser_sees_no_script_and_no_other_host(neutralised_site, browser):
    from urllib.parse import quote, urlsplit

    from cdp import serve

    # The watch itself can fail: a planted page with each harm is caught.
    probe = neutralised_site / "_probe.html"
    probe.write_text('<html><body><input class="ledger-search__input"><img src="http://evil.example/b.png">'
                     '<script>alert("probe"); undefinedFunction();</script></body></html>', encoding="utf-8")
    seen = {}
    try:
        with watched(browser), serve(neutralised_site) as url:
            origin = urlsplit(url).netloc
            caught = harm(visit(browser, url + "_probe.html"), origin)
            for path in PAGES:
                seen[path] = visit(browser, url + quote(path))
    finally:
        probe.unlink()
    assert len(caught) == 4 and caught[0] == "alert:probe" and "evil.example" in caught[-1], caught
    assert {path: harm(found, origin) for path, found in seen.items()} == {path: [] for path in PAGES}
    assert all(found["requests"] for found in seen.values())  # the pages did load their own resources
    assert "xss-40" in seen["手写 页/"]["title"]


# -- git metadata is untrusted too ------------------------------------------------------------

@pytest.mark.site
def test_threat_git_metadata_runs_script(tmp_path):
    """Commit messages and author names reach the change log: text, never markup."""
    from git_fixtures import git

    repo = copy_repo(tmp_path / "repo")
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "登记", when="2023-01-20T10:00:00+08:00")
    path = next((repo / "issues").glob("01-*.md"))
    path.write_text(re.sub(r"(?m)^leader: .*$", "leader: 新领导", read(path)), encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", '<img src=x onerror=alert("xss-50")>\x01调整', when="2023-02-01T10:00:00+08:00",
        author='"><script>alert("xss-51")</script>')
    result = mkdocs_build(repo, tmp_path / "site", quiet=False)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    html = read(tmp_path / "site/problems/1/index.html")
    assert "xss-50" in html and "xss-51" in html
    assert '<img src=x onerror' not in html and '<script>alert("xss-51")' not in html
    assert "&lt;img src=x onerror=alert(" in html


# -- dev/security.md and the tests agree -----------------------------------------------------

def test_security_md_names_real_tests_and_every_threat_test():
    """Every test dev/security.md names exists, and every test named after a
    threat (test_threat_*) is in its table, linked to the threat it covers."""
    from conftest import REPO

    doc = read(REPO / "dev/security.md")
    rows = [line for line in doc.splitlines() if line.startswith("| ") and "`test_" in line]
    named = {name for row in rows for name in re.findall(r"`(?:tests/[\w.]+::)?(test_\w+)`", row)}
    defined = {m for path in (REPO / "tests").glob("test_*.py")
               for m in re.findall(r"(?m)^def (test_\w+)", read(path))}
    assert named and named <= defined, sorted(named - defined)
    # This file's threats; the data side's (tests of imports, spreadsheets
    # and the notice) fill their own section of the document.
    threats = set(re.findall(r"(?m)^def (test_threat_\w+)", read(Path(__file__))))
    assert threats <= named, sorted(threats - named)
