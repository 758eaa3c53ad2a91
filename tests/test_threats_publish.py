"""Threat: the public notice publishes what is internal.

``ledger.py publish notice --out DIR`` writes what a unit puts on a public
portal. A ledger with a withheld problem (public: false) carrying a result
figure, leaders and persons with distinctive names, a withheld ``##``
section and a commit is published, and each file is read as a reader would:
the page parsed as HTML, the PDF through pdftotext and pdfinfo, the docx's
XML and core properties."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import REPO, ledger_script
from git_fixtures import git
from ledgerlib import aggregate, load_ledger
from ledgerlib.report import build_report

LEADER, PERSON, MEMBER = "王建国", "李小明", "赵一凡"
PRIVATE_TITLE, PRIVATE_WORD, PRIVATE_OWNER = "违规发放津贴补贴", "秘密账户甲乙丙", "财务审计专班"
WITHHELD_HEADING, WITHHELD_TEXT = "内部核查情况", "已约谈相关同志丁戊己"
RESULTS = """\
results:
  - {key: rules, label: 制定完善制度, unit: 项}
"""


@pytest.fixture(scope="module")
def attacked(tmp_path_factory) -> Path:
    """The sample ledger in a git repository, with everything the notice must not show."""
    repo = tmp_path_factory.mktemp("publish") / "repo"
    repo.mkdir()
    shutil.copytree(REPO / "issues", repo / "issues")
    shutil.copytree(REPO / "docs", repo / "docs")
    issues = repo / "issues"
    yml = (issues / "ledger.yml").read_text(encoding="utf-8")
    yml = re.sub(r"leading_group:\n(  - .*\n)+", f"leading_group:\n  - {{role: 组长, name: {MEMBER}, post: 局长}}\n", yml)
    (issues / "ledger.yml").write_text(yml + RESULTS, encoding="utf-8")
    for n, path in enumerate(sorted(issues.glob("[0-9]*.md")), 1):
        text = re.sub(r"^leader: .*$", f"leader: {LEADER}", path.read_text(encoding="utf-8"), count=1, flags=re.M)
        if n == 1:  # a public problem with a measure whose person must not show
            text = text.replace("---\n\n", f"measures:\n  - text: 建立学习制度\n    person: {PERSON}\n    status: 已完成\n    completed: 2023-03-01\n"
                                          f"results: {{rules: 2}}\n---\n\n", 1)
        if n == 2:  # withheld, and the only source of a larger figure
            text = re.sub(r"^title: .*$", f"title: {PRIVATE_TITLE}", text, count=1, flags=re.M)
            text = re.sub(r"^owner: .*$", f"owner: {PRIVATE_OWNER}", text, count=1, flags=re.M)
            text = text.replace("---\n\n", "public: false\nresults: {rules: 5}\n---\n\n", 1)
            text = text.replace("## 整改情况\n", f"## 整改情况\n\n{PRIVATE_WORD}已清理。\n", 1)
        if n == 3:
            text = text.replace("---\n\n", "results: {rules: 1}\n---\n\n", 1)
        path.write_text(text, encoding="utf-8")
    narrative = issues / "report" / "notice-leadership.md"
    narrative.write_text(narrative.read_text(encoding="utf-8")
                         + f"\n## 【不公开】{WITHHELD_HEADING}\n\n{WITHHELD_TEXT}。\n\n### 具体名单\n\n名单略。\n"
                         + "\n## 持续整改\n\n坚持常态长效。\n", encoding="utf-8")
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "台账")
    return repo


@pytest.fixture(scope="module")
def bundle(attacked, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("bundle") / "公开"
    done = ledger_script("--ledger", str(attacked / "issues"), "publish", "notice", "--out", str(out))
    assert done.returncode == 0, done.stderr
    return out


def commit_ids(repo: Path) -> list[str]:
    full = git(repo, "rev-parse", "HEAD")
    return [full, full[:7], git(repo, "rev-parse", "--short", "HEAD")]


class Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def everything(bundle: Path) -> dict[str, str]:
    """Each file's readable content and metadata, as text."""
    page = bundle / "整改情况通报.html"
    pdf, word = page.with_suffix(".pdf"), page.with_suffix(".docx")
    with zipfile.ZipFile(word) as archive:
        docx = "\n".join(archive.read(name).decode("utf-8", "replace") for name in archive.namelist())
    return {
        "html": page.read_text(encoding="utf-8"),
        "pdf text": subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout,
        "pdf info": subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout,
        "pdf bytes": pdf.read_bytes().decode("latin-1"),
        "docx": docx,
    }


def test_threat_public_notice_bundle_is_three_files(bundle):
    assert sorted(p.name for p in bundle.iterdir()) == ["整改情况通报.docx", "整改情况通报.html", "整改情况通报.pdf"]


def test_threat_public_notice_links_nowhere_and_loads_nothing(bundle):
    html = (bundle / "整改情况通报.html").read_text(encoding="utf-8")
    page = Page()
    page.feed(html)
    tags = {tag for tag, _ in page.tags}
    assert not tags & {"script", "link", "iframe", "img", "form", "input", "nav", "a", "object", "embed"}
    assert not [attrs for _, attrs in page.tags if {"href", "src", "action"} & set(attrs)]
    assert not re.search(r"url\(|@import|https?:", html.split("</style>")[-1] + "".join(
        re.findall(r"<style>(.*?)</style>", html, re.S)))
    body = html.split("</head>", 1)[1]
    assert "gw-screen-note" not in body and "gw-omitted" not in body and "编辑" not in "".join(page.text) and "搜索" not in "".join(page.text)
    assert "区应急管理局党委关于巡察整改情况的通报" in "".join(page.text)


def test_threat_public_notice_names_no_withheld_problem_leader_or_person(bundle):
    for where, text in everything(bundle).items():
        for word in (LEADER, PERSON, MEMBER, PRIVATE_TITLE, PRIVATE_WORD, PRIVATE_OWNER):
            assert word not in text, (where, word)


def test_threat_public_notice_carries_no_commit(bundle, attacked):
    contents = everything(bundle)
    for where, text in contents.items():
        for commit in commit_ids(attacked):
            assert commit not in text, (where, commit)
        assert "版本" not in text and "另有未提交的修改" not in text, where
    assert "commit" not in contents["docx"] and "Keywords" not in contents["pdf info"]


def test_threat_withheld_heading_takes_its_section(bundle):
    for where, text in everything(bundle).items():
        if where in ("pdf bytes", "pdf info"):
            continue
        assert WITHHELD_HEADING not in text and WITHHELD_TEXT not in text and "名单略" not in text, where
        assert "持续整改" in text and "坚持常态长效" in text, where  # the next section of its level is back


def test_threat_results_figures_count_public_problems_only(bundle, attacked):
    for where, text in everything(bundle).items():
        if where in ("html", "pdf text", "docx"):
            flat = re.sub(r"\s+", "", text)
            assert "制定完善制度3项" in flat and "制定完善制度8项" not in flat, where
    # The site's notice page lays out the same model: its figures are the public ones too.
    ledger = load_ledger(attacked / "issues")
    doc = build_report(ledger, aggregate.standing(ledger), kind="notice")
    assert "制定完善制度3项" in "".join(doc.body_lines())
    report = build_report(ledger, aggregate.standing(ledger))  # the internal report counts everything
    assert "制定完善制度8项" in report.summary


def test_threat_internal_name_in_narrative_refuses_to_publish(attacked, tmp_path):
    repo = tmp_path / "repo"
    shutil.copytree(attacked, repo)
    narrative = repo / "issues" / "report" / "notice-leadership.md"
    narrative.write_text(narrative.read_text(encoding="utf-8") + f"\n{LEADER}同志亲自督办。\n", encoding="utf-8")
    out = tmp_path / "公开"
    done = ledger_script("--ledger", str(repo / "issues"), "publish", "notice", "--out", str(out))
    assert done.returncode == 1 and f"“{LEADER}”（责任领导）" in done.stderr and "Traceback" not in done.stderr
    assert not out.exists()
    kept = ledger_script("--ledger", str(repo / "issues"), "publish", "notice", "--out", str(out), "--keep", LEADER)
    assert kept.returncode == 0, kept.stderr


NEAR_MISSES = """\
【 不公开 】班子成员个人事项。

[不公开]约谈记录。

**【不公开】**信访线索。

会上决定（不公开）转交有关部门。

## 【不公开】这一节写对了

写对的小节下面的段落。
"""


def test_threat_near_miss_internal_marks_are_warned_with_path_and_line(attacked, tmp_path):
    repo = tmp_path / "repo"
    shutil.copytree(attacked, repo)
    narrative = repo / "issues" / "report" / "notice-leadership.md"
    before = len(narrative.read_text(encoding="utf-8").splitlines())
    narrative.write_text(narrative.read_text(encoding="utf-8") + NEAR_MISSES, encoding="utf-8")
    problem = next((repo / "issues").glob("03-*.md"))
    problem.write_text(problem.read_text(encoding="utf-8") + "\n[不公开]措施中的内部安排。\n", encoding="utf-8")
    done = ledger_script("--ledger", str(repo / "issues"), "validate")
    assert done.returncode == 0, done.stderr  # warnings: the ledger still loads
    lines = [line for line in done.stdout.splitlines() if "不公开标记" in line]
    where = "issues/report/notice-leadership.md"
    assert [line.split(": ", 1)[0] for line in lines if line.startswith(where)] == \
        [f"{where}:{before + n}" for n in (1, 3, 5, 7)]
    for typed in ("【 不公开 】", "[不公开]", "**【不公开】**", "（不公开）"):
        assert any(f"“{typed}”" in line for line in lines), typed
    assert any(line.startswith(f"issues/{problem.name}:") for line in lines)
    assert len(lines) == 5  # the heading written correctly is not warned about
    strict = ledger_script("--ledger", str(repo / "issues"), "validate", "--strict")
    assert strict.returncode == 1
