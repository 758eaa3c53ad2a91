"""ledger.py import: the seed report and its variations become ledgers."""

from __future__ import annotations

import re
import shutil

import pytest

from conftest import REPO, SEED_REPORT, ledger_cli, mkdocs_build, read
from import_fixtures import VARIANTS, half_width, write_docx
from ledger_fixtures import report_of
from ledgerlib import load_ledger, plaintext
from ledgerlib.importer import import_report
from ledgerlib.ledgerwriter import md_escape, write_ledger
from site_checks import article_text

SCRIPT = str(REPO / "scripts" / "ledger.py")


def run(*args):
    return ledger_cli(*args)


def imported(source, folder):
    write_ledger(import_report(source), folder)
    return load_ledger(folder)


def problem_texts(ledger, convert=lambda s: s):
    return {i.id: (convert(i.title), i.category.name, convert(i.problem), convert(i.measures),
                   convert(i.report_sentence)) for i in ledger.issues}


@pytest.fixture(scope="module")
def sample():
    return load_ledger(REPO / "issues")


@pytest.fixture(scope="module")
def seed_ledger(tmp_path_factory):
    return imported(SEED_REPORT, tmp_path_factory.mktemp("seed") / "issues")


def test_seed_gives_four_categories_seventeen_done_problems(seed_ledger):
    counts = [sum(1 for i in seed_ledger.issues if i.category is c) for c in seed_ledger.categories]
    assert counts == [3, 6, 5, 3]
    assert [i.id for i in seed_ledger.issues] == list(range(1, 18))
    assert {i.status.key for i in seed_ledger.issues} == {"done"}
    assert seed_ledger.unit == "区应急管理局党委" and seed_ledger.group == "区委第一巡察组"
    assert str(seed_ledger.feedback_date) == "2023-01-18" and seed_ledger.period == "*年*月31日至*月20日"


def test_seed_texts_are_verbatim_as_in_the_sample(seed_ledger, sample):
    assert problem_texts(seed_ledger) == problem_texts(sample)
    assert [(c.name, c.summary, c.intro) for c in seed_ledger.categories] == \
        [(c.name, c.summary, c.intro) for c in sample.categories]
    assert seed_ledger.report.wording == sample.report.wording
    assert [s.title for s in seed_ledger.report.sections] == [s.title for s in sample.report.sections]


def test_seed_narratives_equal_the_sample_pages(seed_ledger, sample):
    def narratives(ledger):
        return [read(ledger.report.preamble)] + [read(s.source) for s in ledger.report.sections if s.source]
    assert narratives(seed_ledger) == narratives(sample)


def test_every_seed_paragraph_is_placed():
    result = import_report(SEED_REPORT)
    lines = [line for line in read(SEED_REPORT).splitlines() if line.strip()]
    assert result.paragraph_count == len(lines) == 70
    assert sorted(result.placed) == list(range(1, 71))
    assert result.unplaced == [] and result.leftovers == []


def test_half_width_punctuation_gives_the_same_ledger(tmp_path, sample):
    source = tmp_path / "half.txt"
    source.write_text(half_width(read(SEED_REPORT)), encoding="utf-8")
    ledger = imported(source, tmp_path / "issues")
    assert problem_texts(ledger) == problem_texts(sample, half_width)
    assert [half_width(c.intro) for c in sample.categories] == [c.intro for c in ledger.categories]


def test_docx_seed_gives_the_same_ledger(tmp_path, seed_ledger):
    source = write_docx(read(SEED_REPORT).splitlines(), tmp_path / "report.docx")
    ledger = imported(source, tmp_path / "issues")
    assert problem_texts(ledger) == problem_texts(seed_ledger)
    assert ledger.report.wording == seed_ledger.report.wording


def test_gbk_text_file_is_read(tmp_path, seed_ledger):
    source = tmp_path / "gbk.txt"
    source.write_bytes(read(SEED_REPORT).encode("gb18030"))
    assert problem_texts(imported(source, tmp_path / "issues")) == problem_texts(seed_ledger)


@pytest.mark.parametrize("bom, encoding", [(b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")])
def test_notepad_unicode_text_file_is_read(tmp_path, seed_ledger, bom, encoding):
    # Notepad's "Unicode" and "Unicode big endian": UTF-16 with a byte-order mark.
    source = tmp_path / "unicode.txt"
    source.write_bytes(bom + read(SEED_REPORT).replace("\n", "\r\n").encode(encoding))
    assert problem_texts(imported(source, tmp_path / "issues")) == problem_texts(seed_ledger)


@pytest.fixture
def variants(tmp_path):
    source = tmp_path / "variants.txt"
    source.write_text(VARIANTS, encoding="utf-8")
    result = import_report(source)
    write_ledger(result, tmp_path / "issues")
    return result, load_ledger(tmp_path / "issues")


def test_variants_problems_and_statuses(variants):
    _result, ledger = variants
    assert [c.name for c in ledger.categories] == ["在贯彻落实党中央决策部署方面", "在全面从严治党方面"]
    assert [(i.id, i.title, i.status.key) for i in ledger.issues] == [
        (1, "河长制落实不到位", "done"), (2, "水资源管理制度执行不严", "doing"),
        (3, "党组理论学习不深入", "done"), (4, "干部作风建设有差距", "ongoing")]
    assert ledger.report.numbering == "per_category"  # numbers restarted at 1


def test_variants_labels_and_status_at_paragraph_end(variants):
    _, ledger = variants
    issue = {i.id: i for i in ledger.issues}
    assert issue[1].problem == "部分河段巡河记录不全." and issue[1].measures == "建立巡河记录月检查制度,补齐巡河记录."
    assert issue[2].measures == "一是修订取水许可审批规程。二是开展取水口专项检查。"
    assert issue[2].report_sentence == "目前，该问题正在整改。"
    # no label: the paragraph after the problem is its measures; the status is split off its end
    assert issue[3].measures == "修订党组理论学习中心组学习制度，全年安排学习12次。"
    assert issue[3].report_sentence == "截至目前，该问题已完成整改。"
    assert issue[4].measures == "开展作风建设专项行动，公开承诺服务事项。"


def test_variants_narrative_facts_and_leftovers(variants):
    result, ledger = variants
    assert ledger.title == "县水务局党组关于巡察整改情况的通报"
    assert ledger.group == "县委第二巡察组" and str(ledger.feedback_date) == "2023-05-10"
    assert ledger.signature_unit == "县水务局党组" and str(ledger.signature_date) == "2023-07-05"
    # 1. 2. under 一、 are narrative, not problems
    assert "1.召开专题会议。" in read(ledger.report.sections[0].source)
    assert [p.text[:3] for p in result.leftovers] == ["索引号", "来源：", "【字体", "分享到"]
    assert result.paragraph_count == len(result.placed) + len(result.leftovers) + len(result.unplaced)


def test_stray_paragraph_is_reported_not_dropped(tmp_path):
    text = VARIANTS.replace("（二）在全面从严治党方面", "另附：本问题涉及的文件已归档。\n（二）在全面从严治党方面")
    source = tmp_path / "stray.txt"
    source.write_text(text, encoding="utf-8")
    result = import_report(source)
    assert [(u.paragraph.text, u.reason) for u in result.unplaced] == [
        ("另附：本问题涉及的文件已归档。", "位于第2项问题的整改进展表述之后")]


def test_cli_prints_summary_and_refuses_to_overwrite(tmp_path):
    out = tmp_path / "issues"
    first = run("import", str(SEED_REPORT), "--out", str(out), "--completed", "2023-06-30")
    assert first.returncode == 0, first.stderr
    assert "问题方面 4 个，问题 17 项" in first.stdout
    assert "聚焦基层党组织建设：5 项" in first.stdout and "整改状态：已完成 17 项" in first.stdout
    assert "未归入台账的段落：无" in first.stdout and "台账校验通过：17 个问题，4 个方面" in first.stdout
    assert "completed: 2023-06-30" in read(next(out.glob("01-*.md")))
    (out / "01-思想政治学习不到位.md").write_text("edited", encoding="utf-8")
    again = run("import", str(SEED_REPORT), "--out", str(out))
    assert again.returncode == 1 and "--force" in again.stderr
    assert read(out / "01-思想政治学习不到位.md") == "edited"
    forced = run("import", str(SEED_REPORT), "--out", str(out), "--force")
    assert forced.returncode == 0 and "id: 1" in read(out / "01-思想政治学习不到位.md")


def test_cli_reports_unreadable_input(tmp_path):
    source = tmp_path / "notes.txt"
    source.write_text("会议纪要\n今天开会。\n", encoding="utf-8")
    result = run("import", str(source), "--out", str(tmp_path / "issues"))
    assert result.returncode == 1 and "导入失败" in result.stderr and "Traceback" not in result.stderr


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def seed_lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def section_three(lines: list[str]) -> list[str]:
    start = next(n for n, line in enumerate(lines) if line.startswith("三、"))
    end = next(n for n, line in enumerate(lines) if line.startswith("四、"))
    return lines[start:end]


def report_section_three(ledger) -> list[str]:
    doc = report_of(ledger, ledger.feedback_date)
    lines = doc.body_lines()
    three = section_three(lines)
    # Seed problem 6 runs its status sentence on at the end of the measures;
    # the report prints status sentences on their own line.
    six = next(n for n, line in enumerate(three) if line.rstrip("。.") == "此项问题已经整改完毕")
    return [*three[:six - 1], three[six - 1] + three[six], *three[six + 1:]]


def test_round_trip_report_section_three_equals_the_seed(seed_ledger):
    assert report_section_three(seed_ledger) == section_three(seed_lines(read(SEED_REPORT)))
    doc = report_of(seed_ledger, seed_ledger.feedback_date)
    seed = seed_lines(read(SEED_REPORT))
    assert doc.section("summary").blocks[0].text == seed[seed.index("二、集中整改总体情况") + 1]
    assert doc.body_lines()[:seed.index("二、集中整改总体情况")] == seed[:seed.index("二、集中整改总体情况")]


def test_round_trip_docx_and_half_width(tmp_path):
    seed = read(SEED_REPORT)
    docx_ledger = imported(write_docx(seed.splitlines(), tmp_path / "r.docx"), tmp_path / "a")
    assert report_section_three(docx_ledger) == section_three(seed_lines(seed))
    source = tmp_path / "half.txt"
    source.write_text(half_width(seed), encoding="utf-8")
    half_ledger = imported(source, tmp_path / "b")
    # The report itself writes "。" after a run-in title and "整改情况："; all
    # other punctuation is the input's own.
    ours = [half_width(line) for line in report_section_three(half_ledger)]
    assert ours == section_three(seed_lines(half_width(seed)))
    assert report_section_three(half_ledger) != section_three(seed_lines(seed))  # the half-width text was kept


def test_round_trip_builds_the_site(repo_copy):
    shutil.rmtree(repo_copy / "issues")
    shutil.rmtree(repo_copy / "docs" / "report")
    write_ledger(import_report(SEED_REPORT), repo_copy / "issues")
    result = mkdocs_build(repo_copy)
    assert result.returncode == 0, result.stderr
    page = read(repo_copy / "site" / "problems" / "15" / "index.html")
    assert "党支部分工不明确；" in page and "会议通过了《中共*区应急局党支部选举办法》" in page
    # The built report page: section 三 as the seed has it, character for character.
    report = article_text(repo_copy / "site" / "report" / "index.html").splitlines()
    seed = seed_lines(read(SEED_REPORT))
    assert squeeze("".join(section_three(report))) == squeeze("".join(section_three(seed)))
    assert sum(1 for line in section_three(report) if line.startswith("整改情况：")) == 17


@pytest.mark.parametrize("text", [
    "1. 第一项", "2) 第二项", "*年*月", "a_b_c 与 __init__", "<script>alert(1)</script>", "# 不是标题",
    "- 不是列表", "+ 也不是", "> 不是引用", "[链接](http://x)", "反斜杠\\在此", "`代码`", "&lt; 与 &amp; 和 &#36;",
    "1.正常的编号", "=号开头",
])
def test_markdown_escaping_renders_back_to_the_same_text(text):
    assert plaintext.paragraphs(md_escape(text)) == [text]


def test_markdown_report_is_read_like_text(tmp_path, seed_ledger):
    lines = seed_lines(read(SEED_REPORT))
    blocks = []
    for line in lines:  # chapter headings as Markdown headings, "*" escaped, blank lines between
        heading = "## " if re.match(r"^[一二三四]、", line) else ""
        blocks.append(heading + line.replace("*", "\\*"))
    source = tmp_path / "report.md"
    source.write_text("\n\n".join(blocks) + "\n", encoding="utf-8")
    assert problem_texts(imported(source, tmp_path / "issues")) == problem_texts(seed_ledger)


def test_docx_tables_are_reported_not_dropped(tmp_path):
    import docx

    document = docx.Document()
    for line in read(SEED_REPORT).splitlines():
        document.add_paragraph(line)
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "序号", "问题"
    table.cell(1, 0).text, table.cell(1, 1).text = "1", "思想政治学习不到位"
    document.save(str(tmp_path / "with-table.docx"))
    result = import_report(tmp_path / "with-table.docx")
    assert [(u.paragraph.text, u.reason) for u in result.unplaced] == [
        ("序号 | 问题", "表格内容（“下一步工作打算”部分）"), ("1 | 思想政治学习不到位", "表格内容（“下一步工作打算”部分）")]
    assert len(result.problems) == 17


def test_cli_rejects_a_bad_completed_date_in_chinese(tmp_path):
    result = run("import", str(SEED_REPORT), "--out", str(tmp_path / "issues"), "--completed", "2023/13/01")
    assert result.returncode == 2 and "不是真实存在的日期" in result.stderr and not (tmp_path / "issues").exists()


def test_force_never_wipes_a_folder_that_is_not_a_ledger(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "guide.md").write_text("编写指南", encoding="utf-8")
    result = run("import", str(SEED_REPORT), "--out", str(docs), "--force")
    assert result.returncode == 1 and "不是台账文件夹" in result.stderr
    assert [p.name for p in docs.iterdir()] == ["guide.md"]


def test_progress_label_holding_only_the_status(tmp_path):
    text = VARIANTS.replace("目前，该问题正在整改。", "整改进展：目前，该问题正在整改。")
    source = tmp_path / "progress.txt"
    source.write_text(text, encoding="utf-8")
    result = import_report(source)
    second = result.problems[1]
    assert (second.status, second.status_sentence) == ("doing", "目前，该问题正在整改。")
    assert second.measures == ["一是修订取水许可审批规程。二是开展取水口专项检查。"]
