"""在线填报 (/admin/): the generated Decap configuration, the edit links, and
the problem-file format (docs/admin/ledger-form.js) run under Node.

The format's promise: a save changes only what the clerk changed. Every
problem file of the sample, a synthetic ledger and hand-written tricky files
is loaded into the form's data and saved unchanged (the same bytes), then
saved with one field changed (only that field's lines differ, and the file
reads back with that field changed and every other one as it was).
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import quote

import pytest
import yaml

from conftest import REPO, copy_repo, mkdocs_build
from ledgerbench.synth import write_synthetic_ledger
from ledgerlib import constants as C
from ledgerlib.admin import FormSettings, config_file, form_link
from ledgerlib.commands.new import file_name
from ledgerlib.ledgers import LedgerRef, load_collection

NODE = shutil.which("node")
FORMAT_SCRIPT = REPO / "tests" / "node" / "form_format.js"
needs_node = pytest.mark.skipif(NODE is None and not os.environ.get("CI"), reason="Node.js 未安装")

TRICKY = {
    "comments.md": """---
# 问题 3：去年巡察遗留
id: 3            # 序号
title: "学习制度：执行不严"   # 标题里有冒号，须加引号
category: 党建
status: 整改中
owner: [办公室, 安委办]

leader: '张副局长'
deadline: 2023-03-31
completed:
evidence:
  # 会议材料
  - 会议纪要
  - name: 学习记录
    file: docs/evidence/学习记录.pdf
measures:
  - text: 修订学习制度   # 第一项
    status: 整改中
    deadline: 2023-02-28

  - text: 开展专题学习
    owner: 办公室
    status: 未启动
public: false
---

## 问题描述

学习制度执行不严。

   缩进的段落\x20\x20

## 整改情况

正在修订。
""",
    "crlf.md": "\ufeff---\r\nid: 4\r\ntitle: 窗口\r\ncategory: 党建\r\nstatus: 未启动\r\nowner: 办公室\r\n---\r\n\r\n"
               "## 问题描述\r\n\r\n原文。\r\n\r\n## 整改情况\r\n\r\n暂无。\r\n",
    "flow.md": """---
id: 6
title: 台账不全
category: 整改
status: 已完成
owner: 办公室、安委办
deadline: 2023-03-31
completed: 2023-03-20
evidence: [会议纪要, 制度文件]
results: {rules: 2}
immediate: true
---
## 问题描述
台账不全。
## 整改情况
已补全。""",
}


def run_format(cases: list[dict], stems: list | None = None) -> dict:
    env = {**os.environ, "FORM_STEMS": json.dumps(stems or [], ensure_ascii=False)}
    result = subprocess.run([NODE or "node", str(FORMAT_SCRIPT)], input=json.dumps(cases, ensure_ascii=False),
                            capture_output=True, text=True, encoding="utf-8", env=env, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def front_matter(text: str) -> tuple[dict, list[str]]:
    """The front-matter read without type guessing, and the file's lines (LF)."""
    lines = text.lstrip("\ufeff").replace("\r\n", "\n").split("\n")
    end = lines.index("---", 1)
    return yaml.load("\n".join(lines[1:end]), Loader=yaml.BaseLoader) or {}, lines


def key_spans(lines: list[str]) -> dict[str, range]:
    """Line numbers of each front-matter key and each body section, read independently of the JS."""
    end = lines.index("---", 1)
    spans: dict[str, range] = {}
    keys = [(i, m[1]) for i in range(1, end) if (m := re.match(r"^([a-z_]+)\s*:", lines[i]))]
    for (start, key), (stop, _) in zip(keys, [*keys[1:], (end, None)], strict=True):
        last = max(i for i in range(start, stop)
                   if (lines[i].strip() and not lines[i].lstrip().startswith("#")) or i == start)
        spans[key] = range(start, last + 1)
    heads = [(i, m[1]) for i in range(end + 1, len(lines)) if (m := re.match(r"^##\s+(\S+)", lines[i]))]
    names = {C.PROBLEM_HEADING: "problem_text", C.MEASURES_HEADING: "measures_text"}
    for (start, title), (stop, _) in zip(heads, [*heads[1:], (len(lines), None)], strict=True):
        spans[names.get(title, title)] = range(start + 1, stop)
    spans["__end"] = range(end, end + 1)
    return spans


def changed_lines(old: list[str], new: list[str]) -> set[int]:
    """Original line numbers replaced or deleted, and the positions of insertions."""
    touched = set()
    for tag, i1, i2, _j1, _j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag != "equal":
            touched.update(range(i1, i2) if i2 > i1 else {i1})
    return touched


def sample_files(tmp_path: Path) -> dict[str, str]:
    files = {p.name: p.read_text(encoding="utf-8") for p in sorted((REPO / "issues").glob("*.md"))}
    synth = tmp_path / "synth"
    copy_repo(synth)
    shutil.rmtree(synth / "issues")
    write_synthetic_ledger(synth, REPO / "issues", 40, commits=2)
    files.update({f"synth/{p.name}": p.read_text(encoding="utf-8") for p in sorted((synth / "issues").glob("*.md"))})
    files.update(TRICKY)
    files["bad/28"] = (REPO / "tests" / "fixtures" / "bad" / "28-bom-crlf-ok.md").read_text(encoding="utf-8")
    return files


def edits_for(data: dict) -> dict[str, object]:
    """One change per field, as a clerk would make it in the form."""
    other_status = "已完成" if data.get("status") != "已完成" else "整改中"
    return {
        "status": other_status,
        "title": (data.get("title") or "") + "（修订）",
        "completed": "2023-06-30",
        "leader": "新任分管领导",
        "deadline": "2023-12-31",
        "owner": ["办公室", "执法大队"],
        "evidence": [*data.get("evidence", []), {"name": "整改报告", "file": "docs/evidence/整改报告.pdf"}],
        "measures": [*data.get("measures", []), {"text": "建立长效机制", "status": "整改中", "deadline": "2023-09-30"}],
        "public": not data.get("public", True),
        "immediate": not data.get("immediate", False),
        "problem_text": (data.get("problem_text") or "") + "补充一句。",
        "measures_text": "整改情况：已全部完成。",
        "note": "配合：财务审计股",
    }


EXPECTED = {  # how each edit reads back from the YAML (BaseLoader: text only)
    "owner": "办公室、执法大队",
    "public": lambda new: "true" if new else "false",
    "immediate": lambda new: "true" if new else "false",
}


@needs_node
def test_saving_unchanged_gives_the_same_bytes_and_one_change_touches_only_its_lines(tmp_path):
    files = sample_files(tmp_path)
    loaded = run_format([{"raw": raw} for raw in files.values()])["cases"]
    cases, meta = [], []
    for (name, raw), first in zip(files.items(), loaded, strict=True):
        assert first["unchanged"] == raw, f"{name}: 未改动却写出了不同的内容"
        for key, value in edits_for(first["data"]).items():
            cases.append({"raw": raw, "edits": {key: value}})
            meta.append((name, raw, key, value))
    results = run_format(cases)["cases"]
    for (name, raw, key, value), result in zip(meta, results, strict=True):
        new_text = result["edited"]
        old_fm, old_lines = front_matter(raw)
        new_fm, new_lines = front_matter(new_text)
        assert new_text.startswith("\ufeff") == raw.startswith("\ufeff"), name
        assert ("\r\n" in new_text) == ("\r\n" in raw), name
        spans = key_spans(old_lines)
        touched = changed_lines(old_lines, new_lines)
        # A new key goes in after the keys before it, inside the front-matter.
        allowed = set(spans[key]) | {spans[key].stop} if key in spans else set(range(1, spans["__end"].stop))
        assert touched <= allowed, f"{name}: 修改 {key} 时改动了第 {sorted(touched - allowed)} 行"
        if key in ("problem_text", "measures_text"):
            assert new_fm == old_fm, name
            continue
        for other in set(old_fm) | set(new_fm):
            if other != key:
                assert new_fm.get(other) == old_fm.get(other), f"{name}: 修改 {key} 时 {other} 也变了"
        expect = EXPECTED.get(key, value)
        expect = expect(value) if callable(expect) else expect
        if key in ("evidence", "measures"):
            assert len(new_fm[key]) == len(old_fm.get(key) or []) + 1, name
            added = new_fm[key][-1]
            assert added == {k: v for k, v in value[-1].items() if v} or added == value[-1].get("name"), name
        else:
            assert new_fm[key] == expect, f"{name}: {key} 读回为 {new_fm.get(key)!r}"


@needs_node
def test_commit_message_names_the_problem_and_the_change():
    raw = next((REPO / "issues").glob("05-*.md")).read_text(encoding="utf-8")
    raw = raw.replace("status: 已完成", "status: 整改中").replace("completed: 2023-02-28\n", "")
    result = run_format([{"raw": raw, "edits": {"status": "已完成", "completed": "2023-06-30"}}])["cases"][0]
    assert result["message"] == "更新问题 5：整改状态 整改中 → 已完成；完成时间 （空） → 2023-06-30"


@needs_node
def test_a_new_problem_file_is_named_as_ledger_py_new_names_it():
    titles = [(18, "党支部分工不明确"), (5, "研究部署：工作（缺乏）调研联系实际不紧密"), (7, "!!!"), (120, "A b-c_d 学习")]
    stems = run_format([], stems=titles)["fileStems"]
    assert stems == [file_name(i, t).removesuffix(".md") for i, t in titles]


@needs_node
def test_the_forms_field_lists_are_the_file_formats():
    result = run_format([])
    assert result["issueKeys"] == list(C.ISSUE_FIELDS)
    assert result["measureKeys"] == list(C.MEASURE_FIELDS)


@needs_node
def test_signoff_register_keeps_its_lines():
    raw = "# 销号登记（巡察办）\n- {id: 1, by: 区委巡察办, date: 2023-04-10, note: 经审核同意销号}   # 首批\n\n"
    new_entry = {"id": 5, "by": "区委巡察办", "date": "2023-07-01", "note": "同意, 销号"}
    first, = run_format([{"raw": raw, "kind": "signoff"}])["cases"]
    result, = run_format([{"raw": raw, "kind": "signoff", "edits": {"entries": first["data"]["entries"] + [new_entry]}}])["cases"]
    assert first["unchanged"] == raw
    assert result["edited"].startswith(raw.rstrip("\n") + "\n")
    assert yaml.safe_load(result["edited"])[-1] == {**new_entry, "date": dt.date(2023, 7, 1)}


# -- the generated configuration and the edit links -------------------------------------

def test_config_holds_each_ledgers_choices(tmp_path):
    repo = copy_repo(tmp_path / "repo")
    ledger_yml = repo / "issues" / "ledger.yml"
    ledger_yml.write_text(ledger_yml.read_text(encoding="utf-8").replace(
        "# departments: [办公室, 安委办, 局党支部, 执法大队]", "departments: [办公室, 安委办, 局党支部, 执法大队]"),
        encoding="utf-8")
    collection = load_collection(repo / "issues", repo_root=repo)
    ledger = collection.ledgers[0]
    config = yaml.safe_load(config_file(collection, repo, FormSettings.read({}, "http://git.example/unit/ledger")))
    assert config["locale"] == "zh_Hans" and config["publish_mode"] == "editorial_workflow"
    assert config["backend"] | {} == config["backend"]
    assert config["backend"]["base_url"] == "http://git.example"
    assert config["backend"]["api_root"] == "http://git.example/api/v4"
    assert config["backend"]["repo"] == "unit/ledger" and config["backend"]["auth_type"] == "pkce"
    assert "local_backend" not in config  # the published site talks to the Git server only
    problems = next(c for c in config["collections"] if c["name"] == "issues")
    fields = {f["name"]: f for f in problems["fields"]}
    assert [o["value"] for o in fields["category"]["options"]] == [c.short or c.name for c in ledger.categories]
    assert fields["status"]["options"] == [s.label for s in ledger.statuses]
    assert fields["owner"]["options"] == list(ledger.departments) == ["办公室", "安委办", "局党支部", "执法大队"]
    assert fields["id"]["default"] == max(i.id for i in ledger.issues) + 1
    assert fields["deadline"]["format"] == "YYYY-MM-DD" and fields["deadline"]["time_format"] is False
    assert "已完成" in fields["completed"]["hint"]
    assert problems["folder"] == "issues" and problems["format"] == "ledger-problem"
    assert problems["media_folder"] == "/docs/evidence"
    measures = {f["name"]: f for f in fields["measures"]["fields"]}
    assert list(measures) == list(C.MEASURE_FIELDS)
    signoff = next(c for c in config["collections"] if c["name"] == "issues-signoff")
    assert "巡察办" in signoff["label"] and signoff["files"][0]["file"] == "issues/signoff.yml"
    narratives = next(c for c in config["collections"] if c["name"] == "issues-narratives")
    assert {f["file"] for f in narratives["files"]} >= {"docs/report/preamble.md", "issues/report/plan-guidance.md"}


def test_several_ledgers_get_a_collection_each(tmp_path):
    repo = copy_repo(tmp_path / "repo")
    (repo / "issues" / "2023-一轮").mkdir()
    for path in list((repo / "issues").iterdir()):
        if path.name != "2023-一轮" and path.name != "report":
            path.rename(repo / "issues" / "2023-一轮" / path.name)
    (repo / "issues" / "report").rename(repo / "issues" / "2023-一轮" / "report")
    shutil.copytree(repo / "issues" / "2023-一轮", repo / "issues" / "2024-二轮")
    collection = load_collection(repo / "issues", repo_root=repo)
    config = yaml.safe_load(config_file(collection, repo, FormSettings.read({"backend": "gitea"}, "http://g.example/u/l")))
    names = [c["name"] for c in config["collections"]]
    assert "2023-一轮" in names and "2024-二轮" in names
    problems = next(c for c in config["collections"] if c["name"] == "2024-二轮")
    assert problems["folder"] == "issues/2024-二轮" and problems["media_folder"] == "/docs/evidence/2024-二轮"
    assert config["backend"]["name"] == "gitea" and config["backend"]["api_root"] == "http://g.example/api/v1"


@pytest.mark.site
def test_site_has_the_form_and_problem_pages_open_it(sample_site):
    admin = sample_site / "admin"
    assert (admin / "index.html").is_file() and (admin / "vendor" / "decap-cms" / "decap-cms.js").is_file()
    assert (admin / "vendor" / "decap-cms" / "LICENSE").is_file()
    html = (admin / "index.html").read_text(encoding="utf-8")
    assert not re.search(r"(src|href)=\"(https?:)?//", html)
    config = yaml.safe_load((admin / "config.yml").read_text(encoding="utf-8"))
    assert config["locale"] == "zh_Hans"
    page = (sample_site / "problems" / "5" / "index.html").read_text(encoding="utf-8")
    slug = next((REPO / "issues").glob("05-*.md")).stem
    assert f'href="../../admin/#/collections/issues/entries/{quote(slug)}"' in page
    assert 'title="在 Git 服务器上编辑原文件"' in page
    assert re.search(r'href="http://git\.intranet\.local/[^"]*issues/05-[^"]*" title="在 Git 服务器上编辑原文件"', page)


def test_form_link_quotes_the_slug():
    link = form_link(LedgerRef("", REPO / "issues"), "issues/05-研究部署.md")
    assert link == "admin/#/collections/issues/entries/05-%E7%A0%94%E7%A9%B6%E9%83%A8%E7%BD%B2"


def test_form_proxy_build_uses_the_local_server(tmp_path, monkeypatch):
    repo = copy_repo(tmp_path / "repo")
    monkeypatch.setenv("LEDGER_FORM_PROXY", "http://127.0.0.1:8081/api/v1")
    result = mkdocs_build(repo, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    config = yaml.safe_load((tmp_path / "site" / "admin" / "config.yml").read_text(encoding="utf-8"))
    assert config["local_backend"] == {"url": "http://127.0.0.1:8081/api/v1"}
