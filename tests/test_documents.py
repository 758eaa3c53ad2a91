"""The documents of a round (issue 15): 整改方案, 进展报告, 完成情况报告 and
the public 整改情况通报, as site pages, Word files and printed PDFs.

The notice's promise is checked in every real output: the built page, the
.docx read back with python-docx, and the PDF printed by Chromium and read
back with pdftotext.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
from pathlib import Path

import docx
import pytest

from conftest import REPO, CliResult, ledger_cli, mkdocs_build, read
from ledger_fixtures import LEDGER_YML, issue_text, write_ledger
from ledgerlib import load_ledger, plaintext
from ledgerlib.aggregate import standing
from ledgerlib.documents import INTERNAL_MARK, KINDS
from ledgerlib.parser import check_ledger
from ledgerlib.report import build_report, narrative
from site_checks import article_text

PAGES = {"plan": "documents/plan", "progress": "report", "final": "documents/final", "notice": "documents/notice"}


def run(*args: str, cwd: Path = REPO) -> CliResult:
    return ledger_cli(*args, cwd=cwd)


def page_text(site: Path, kind: str) -> str:
    return article_text(site / PAGES[kind] / "index.html")


def squeeze(text: str) -> str:
    """Text without any whitespace: PDF lines break every 28 characters."""
    return re.sub(r"\s+", "", text)


def set_field(path: Path, key: str, value: str | None) -> None:
    """Set (or with None, delete) one front-matter line of a problem file."""
    text = path.read_text(encoding="utf-8")
    head, sep, body = text.partition("\n---\n")
    lines = [line for line in head.split("\n") if not line.startswith(f"{key}:")]
    if value is not None:
        lines.append(f"{key}: {value}")
    path.write_text("\n".join(lines) + sep + body, encoding="utf-8")


def problem_file(repo: Path, issue_id: int) -> Path:
    return next((repo / "issues").glob(f"{issue_id:02d}-*.md"))


# -- the sample: four pages ------------------------------------------------------------


def test_the_sample_builds_a_page_for_each_kind_under_one_nav_section(sample_site):
    for kind in KINDS:
        assert (sample_site / PAGES[kind] / "index.html").is_file(), kind
    opened = read(sample_site / "documents" / "index.html")  # the section open (navigation.prune)
    nav = opened[opened.index('class="md-nav'):]
    assert nav.index("整改文件") < nav.index("整改方案") < nav.index("整改报告") < nav.index("完成情况报告") \
        < nav.index("整改情况通报")
    index = page_text(sample_site, "plan")
    assert index.count("区应急管理局党委关于落实区委第一巡察组巡察反馈意见的整改方案") == 1
    listing = article_text(sample_site / "documents" / "index.html")
    for label in ("整改方案", "整改进展情况报告", "整改完成情况报告", "整改情况通报"):
        assert label in listing


def test_each_kind_is_a_selection_of_the_same_facts(sample_site):
    ledger = load_ledger(REPO / "issues")
    docs = {kind: build_report(ledger, standing(ledger), kind=kind) for kind in KINDS}
    first_measure = plaintext.paragraphs(ledger.issues[0].measures)[0]
    # the same measures text in the reports and the notice, as typed
    for kind in ("progress", "final", "notice"):
        assert any(first_measure in line for line in docs[kind].body_lines()), kind
    assert docs["final"].title == "区应急管理局党委关于四届区委第二轮常规巡察整改完成情况的报告"
    assert docs["final"].summary == docs["progress"].summary
    assert [a.title for a in docs["plan"].annexes] == ["问题清单", "任务清单", "责任清单"]
    assert docs["plan"].annex_lines == ["附件：1.问题清单", "2.任务清单", "3.责任清单"]
    assert not docs["notice"].annexes
    assert docs["plan"].signature_date_text == "2023年2月17日"  # documents.plan.date
    assert docs["progress"].signature_date_text == docs["notice"].signature_date_text == "2023年6月30日"


# -- the notice --------------------------------------------------------------------------


def test_notice_counts_contact_and_what_it_leaves_out(sample_site):
    text = page_text(sample_site, "notice")
    assert "截至2023年6月30日，巡察反馈17个问题，已完成整改17个，整改完成率100%。" in text
    assert "联系电话：0451-00000000（演示虚拟）" in text
    assert "请在本通报发布之日起10日内通过以下方式反映" in text
    html = read(sample_site / PAGES["notice"] / "index.html")
    note = html[html.index("gw-screen-note"):html.index("gw-title")]
    assert "notice-leadership.md 中标记为【不公开】的 1 段" in note
    # the internal paragraph is nowhere on the page; the mark itself neither
    assert "转交有关部门核实处理" not in html
    assert INTERNAL_MARK not in text[text.index("区应急管理局党委关于巡察整改情况的通报"):]
    assert "转交有关部门核实处理" not in page_text(sample_site, "progress")


def test_notice_wording_is_configurable(repo_copy, tmp_path):
    yml = repo_copy / "issues" / "ledger.yml"
    yml.write_text(read(yml).replace("  notice:\n    sections:", "  notice:\n    wording:\n"
                                     "      count_all_done: 截至{date}，{total}个反馈问题已全部完成整改。\n"
                                     "    sections:", 1), encoding="utf-8")
    built = mkdocs_build(repo_copy, tmp_path / "site")
    assert built.returncode == 0, built.stderr
    assert "截至2023年6月30日，17个反馈问题已全部完成整改。" in page_text(tmp_path / "site", "notice")


@pytest.fixture(scope="module")
def private_16(tmp_path_factory):
    """The sample with problem 16 marked public: false: site, notice .docx and PDF."""
    from conftest import copy_repo
    root = tmp_path_factory.mktemp("private16")
    repo = copy_repo(root / "repo")
    set_field(problem_file(repo, 16), "public", "false")
    site = root / "site"
    built = mkdocs_build(repo, site)
    assert built.returncode == 0, built.stderr
    word = root / "通报.docx"
    exported = run("--ledger", str(repo / "issues"), "export", "--doc", "notice", "--out", str(word))
    assert exported.returncode == 0, exported.stderr
    return repo, site, word


@pytest.fixture(scope="module")
def notice_outputs(private_16, tmp_path_factory) -> dict[str, str]:
    """The notice of ``private_16`` in every output, printed once for the tests below."""
    _, site, word = private_16
    tmp_path = tmp_path_factory.mktemp("notice")
    outputs = {"html": read(site / PAGES["notice"] / "index.html"),
               "docx": "\n".join(p.text for p in docx.Document(str(word)).paragraphs)}
    if shutil.which("chromium") and shutil.which("pdftotext"):
        pdf = tmp_path / "通报.pdf"
        printed = run("pdf", "--site", str(site), "--doc", "notice", "--out", str(pdf))
        assert printed.returncode == 0, printed.stderr
        outputs["pdf"] = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                                        text=True, check=True).stdout
    if shutil.which("soffice") and shutil.which("pdftotext"):
        # The Word file as LibreOffice (and so WPS users) sees it, printed.
        subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path / "lo"), str(word)],
                       capture_output=True, timeout=300, check=True,
                       env={**os.environ, "HOME": str(tmp_path)})
        outputs["docx-libreoffice"] = subprocess.run(["pdftotext", str(tmp_path / "lo" / "通报.pdf"), "-"],
                                                     capture_output=True, text=True, check=True).stdout
    return outputs


def test_a_non_public_problem_is_in_no_output_of_the_notice(private_16, notice_outputs):
    repo, site, _ = private_16
    ledger = load_ledger(repo / "issues")
    hidden = next(i for i in ledger.issues if i.id == 16)
    texts = [hidden.title, *plaintext.paragraphs(hidden.problem), *plaintext.paragraphs(hidden.measures)]
    outputs = notice_outputs
    for name, output in outputs.items():
        assert "巡察反馈17个问题" in squeeze(output), name  # the count is of all problems
        for text in texts:
            # a distinctive stretch of each text, whitespace-free for the PDF's lines
            assert squeeze(text)[:24] not in squeeze(output), (name, text[:24])
    assert set(outputs) >= {"html", "docx"}
    assert "序号 16" in outputs["html"]  # listed for the approver, by number only
    assert "序号16" not in squeeze(outputs["docx"])
    progress = page_text(site, "progress")
    assert squeeze(texts[1])[:24] in squeeze(progress)  # the internal report keeps it
    assert "对外公开否：不写入整改情况通报" in squeeze(article_text(site / "problems" / "16" / "index.html"))


def test_no_leader_value_in_the_notice_beyond_what_the_texts_say(private_16, notice_outputs):
    repo, _, _ = private_16
    ledger = load_ledger(repo / "issues")
    narratives = [s.source for s in build_spec_sections(ledger, "notice") if s.source]
    allowed = "".join([*(i.title + i.measures for i in ledger.issues if i.public),
                       *(p.read_text(encoding="utf-8") for p in narratives),
                       *(c.intro for c in ledger.categories)])
    leaders = {i.leader for i in ledger.issues if i.leader}
    assert leaders
    for name, output in notice_outputs.items():
        for leader in leaders:
            assert squeeze(output).count(leader) <= squeeze(allowed).count(leader), (name, leader)


def build_spec_sections(ledger, kind):
    from ledgerlib.documents import spec
    return spec(ledger, kind).sections


def test_internal_mark_is_dropped_from_public_and_stripped_elsewhere():
    source = f"第一段。\n\n{INTERNAL_MARK}内部情况。\n\n## 小标题\n\n第三段。\n"
    public = [p.full for p in narrative(source, public=True)]
    internal = [p.full for p in narrative(source)]
    assert public == ["第一段。", "（一）小标题。第三段。"]
    assert internal == ["第一段。", "内部情况。", "（一）小标题。第三段。"]


# -- the plan ------------------------------------------------------------------------------


def test_plan_reads_right_when_nothing_has_started(repo_copy, tmp_path):
    titles = []
    for path in sorted((repo_copy / "issues").glob("*.md")):
        set_field(path, "status", "未启动")
        set_field(path, "completed", None)
        set_field(path, "status_note", None)
        titles.append(re.search(r"^title: (.*)$", read(path), re.M).group(1))
    built = mkdocs_build(repo_copy, tmp_path / "site")
    assert built.returncode == 0, built.stderr
    text = page_text(tmp_path / "site", "plan")
    assert len(titles) == 17 and all(t in text for t in titles)
    for word in ("组织领导", "组长：*（局党委书记、局长）", "附件：1.问题清单", "问题清单", "任务清单", "责任清单",
                 "责任部门：办公室；责任领导：局党委书记；整改时限：2023年3月31日。", "整改方案：2023年2月17日前完成。"):
        assert word in text, word
    body = text[:text.index("附件：1.问题清单")]
    for word in ("已完成", "整改完毕", "整改完成率", "尚未启动", "整改情况："):
        assert word not in body, word


# -- exports and PDFs of every kind -----------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_cli_exports_each_kind_as_word(tmp_path, kind):
    out = tmp_path / f"{kind}.docx"
    result = run("export", "--doc", kind, "--out", str(out))
    assert result.returncode == 0, result.stderr
    texts = [p.text for p in docx.Document(io.BytesIO(out.read_bytes())).paragraphs]
    ledger = load_ledger(REPO / "issues")
    doc = build_report(ledger, standing(ledger), kind=kind)
    assert texts[0].split("\n") == list(doc.title_lines)  # the lines gbt9704.title_lines chose
    assert texts[2:2 + len(doc.body_lines())] == doc.body_lines()


def test_cli_refuses_doc_for_a_spreadsheet(tmp_path):
    result = run("export", "--doc", "plan", "--out", str(tmp_path / "x.xlsx"))
    assert result.returncode == 2 and "--doc 只用于导出 Word" in result.stderr


@pytest.mark.parametrize("kind", KINDS)
def test_cli_prints_each_kind(sample_site, tmp_path, kind):
    if not (shutil.which("chromium") and shutil.which("pdftotext")):
        pytest.skip("chromium and poppler-utils are needed to print")
    out = tmp_path / f"{kind}.pdf"
    result = run("pdf", "--site", str(sample_site), "--doc", kind, "--out", str(out))
    assert result.returncode == 0, result.stderr
    text = squeeze(subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout)
    ledger = load_ledger(REPO / "issues")
    doc = build_report(ledger, standing(ledger), kind=kind)
    assert squeeze(doc.title) in text and "—1—" in text
    assert "本页按党政机关公文格式" not in text  # the screen note is not printed


# -- ledger.yml settings ---------------------------------------------------------------------------


def test_document_settings_are_checked(tmp_path):
    yml = LEDGER_YML + """\
documents:
  progress: {title: 进展}
  minutes: {title: 纪要}
  plan:
    annexes: [problems, photos]
    sections:
      - {title: 组织领导, generate: leaders}
    wording:
      assignment: 由{owner}负责，{nobody}督办。
leading_group:
  - {role: 组长}
notice:
  window_days: 十天
"""
    root = write_ledger(tmp_path, {"01-a.md": issue_text(1)}, yml)
    _, found = check_ledger(root, repo_root=tmp_path)
    messages = "\n".join(str(d) for d in found)
    assert "documents.progress: 整改进展情况报告的结构和措辞写在 report: 下" in messages
    assert "未知的文件种类“minutes”" in messages
    assert "附件“photos”无法识别" in messages
    assert "generate 不能是“leaders”" in messages
    assert "{nobody}" in messages
    assert "leading_group" in messages and "notice.window_days" in messages


def test_a_ledger_without_leading_group_or_contact_still_reads_right(tmp_path):
    root = write_ledger(tmp_path, {"01-a.md": issue_text(1)})
    ledger, found = check_ledger(root, repo_root=tmp_path)
    assert ledger is not None, found
    plan = build_report(ledger, standing(ledger), kind="plan")
    notice = build_report(ledger, standing(ledger), kind="notice")
    assert "成立巡察整改工作领导小组，负责巡察整改工作的统一领导、统筹部署、督促落实。" in plan.body_lines()
    assert not any("组成如下" in line for line in plan.body_lines())
    assert notice.body_lines()[-1] == "欢迎广大干部群众对巡察整改落实情况进行监督。"
    assert plan.missing == ("领导小组成员（ledger.yml 的 leading_group）",)
    assert notice.missing == ("联系方式（ledger.yml 的 notice.contact）",)
    assert notice.title == "测试单位党委关于巡察整改情况的通报"


MEASURES = """\
measures:
  - text: 措施甲
    person: 张*
    status: 整改中
  - text: 措施乙
    owner: 安委办
    person: 李*
    deadline: 2023-02-28
    status: 整改中
results: {rules: 2}
"""


def test_plan_lists_measures_with_persons_and_the_notice_leaves_persons_out(tmp_path):
    yml = LEDGER_YML + "results:\n  - {key: rules, label: 制定完善制度, unit: 项}\n"
    root = write_ledger(tmp_path, {"01-a.md": issue_text(1, "整改中", MEASURES),
                                   "02-b.md": issue_text(2, "已完成", "completed: 2023-03-01\n")}, yml)
    ledger, found = check_ledger(root, repo_root=tmp_path)
    assert ledger is not None, found
    plan = build_report(ledger, standing(ledger), kind="plan")
    lines = plan.body_lines()
    assert "整改措施：（1）措施甲（责任部门：办公室；责任人：张*；整改时限：2023年3月31日）" in lines
    assert "（2）措施乙（责任部门：安委办；责任人：李*；整改时限：2023年2月28日）" in lines
    assert "责任领导：局长。" in lines
    assert "责任部门：办公室；责任领导：局长；整改时限：2023年3月31日。" in lines  # problem 2 has no measures
    _, tasks, owners = plan.annexes
    assert [r[0] for r in tasks.rows] == ["1-1", "1-2", "2"] and tasks.rows[1][5] == "李*"
    assert owners.rows[1][1:5] == ("安委办", "局长", "李*", "1")
    notice = build_report(ledger, standing(ledger), kind="notice")
    text = "\n".join(notice.body_lines())
    assert "在巡察整改工作中，制定完善制度2项。" in text
    assert "张*" not in text and "李*" not in text and "局长" not in text
