"""What clerks really type: redaction marks, placeholders left behind, typos,
Notepad encodings. Each either reaches every output unchanged or is refused
with file:line and a Chinese message; nothing ends in a traceback."""

from __future__ import annotations

import csv
import datetime as dt
import io

import docx
import openpyxl
import pytest

from conftest import mkdocs_build, read
from ledger_fixtures import LEDGER_YML, issue_text, write_ledger
from ledgerlib import aggregate, load_ledger
from ledgerlib.constants import PLACEHOLDER
from ledgerlib.export import to_csv
from ledgerlib.export_xlsx import to_xlsx
from ledgerlib.ledgerbuild import build_ledger, to_docx
from ledgerlib.parser import check_ledger
from ledgerlib.plaintext import literal_marks, paragraphs
from site_checks import article_text as text_of

TODAY = dt.date(2024, 1, 1)
REDACTED = "*同志负责、*同志审核"
UNDERSCORED = "编号_2023_01"


def messages(folder) -> list[str]:
    return [str(d) for d in check_ledger(folder, today=TODAY)[1]]


# -- "*" and "_" are characters ----------------------------------------------

@pytest.mark.parametrize("source, expected", [
    (REDACTED, REDACTED),
    ("局长\\*当场表态", "局长*当场表态"),  # an escape already typed stays one "*"
    ("*年*月31日至*月20日", "*年*月31日至*月20日"),
    ("**不是粗体** 与 _不是斜体_", "**不是粗体** 与 _不是斜体_"),
    ("见 `a*b` 与 [办法](docs/a_b.pdf)", "见 a*b 与 办法"),
])
def test_marks_print_literally_in_plain_text(source, expected):
    assert paragraphs(source) == [expected]


def test_list_bullets_stay_lists():
    assert literal_marks("* 一是*同志\n* 二是") == "* 一是\\*同志\n* 二是"


@pytest.fixture(scope="module")
def redacted_repo(tmp_path_factory):
    """The sample with redaction marks in problem 1's text and measures and in the preamble."""
    from conftest import copy_repo
    repo = copy_repo(tmp_path_factory.mktemp("redacted") / "repo")
    path = next((repo / "issues").glob("01-*.md"))
    text = read(path).replace("开展学习教育活动质量不高，", f"开展学习教育活动质量不高，{REDACTED}，{UNDERSCORED}，", 1)
    text = text.replace("局党委以问题为导向，", f"局党委以问题为导向，由{REDACTED}，", 1)
    path.write_text(text, encoding="utf-8")
    preamble = repo / "docs" / "report" / "preamble.md"
    preamble.write_text(read(preamble).rstrip("\n") + f"由{REDACTED}。\n", encoding="utf-8")
    return repo


def test_redaction_marks_on_problem_and_report_pages(redacted_repo, tmp_path):
    result = mkdocs_build(redacted_repo, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    problem_html = read(tmp_path / "site" / "problems" / "1" / "index.html")
    assert "<em>" not in problem_html and "<strong>" not in problem_html
    problem = text_of(tmp_path / "site" / "problems" / "1" / "index.html")
    assert f"质量不高，{REDACTED}，{UNDERSCORED}，" in problem
    assert f"以问题为导向，由{REDACTED}，" in problem
    report = text_of(tmp_path / "site" / "report" / "index.html")
    assert f"质量不高，{REDACTED}，{UNDERSCORED}，" in report
    assert f"以问题为导向，由{REDACTED}，" in report
    assert f"由{REDACTED}。" in report  # the narrative
    assert "局长*当场表态" in report  # the sample's own "\*"


def test_redaction_marks_in_xlsx_csv_and_docx(redacted_repo):
    ledger = load_ledger(redacted_repo / "issues", today=TODAY)
    sheet = openpyxl.load_workbook(io.BytesIO(to_xlsx(ledger, aggregate.standing(ledger)))).active
    row = [c.value for c in sheet[4]]
    assert f"{REDACTED}，{UNDERSCORED}，" in row[2] and f"由{REDACTED}，" in row[3]
    csv_row = list(csv.reader(io.StringIO(to_csv(ledger).decode("utf-8-sig"))))[1]
    assert f"{REDACTED}，{UNDERSCORED}，" in csv_row[2] and f"由{REDACTED}，" in csv_row[3]
    word = "".join(p.text for p in docx.Document(io.BytesIO(to_docx(build_ledger(ledger, today=TODAY)))).paragraphs)
    assert f"{REDACTED}，{UNDERSCORED}，" in word and f"由{REDACTED}，" in word and f"由{REDACTED}。" in word


# -- refused with file:line ----------------------------------------------------

def test_placeholder_left_in_a_problem_file_fails(tmp_path):
    text = issue_text(1).replace("问题1的整改措施。", f"{PLACEHOLDER}在此填写整改措施和进展。")
    assert messages(write_ledger(tmp_path, {"01-a.md": text})) == [
        f"issues/01-a.md:17: 正文: 这里还是占位文字“{PLACEHOLDER}”；请改写成实际内容（并删去“{PLACEHOLDER}”）后再提交。"]


def test_placeholder_left_in_a_narrative_is_a_warning(tmp_path):
    # A scaffold init wrote: the site previews; producing the document refuses it (test_county).
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "preamble.md").write_text(f"第一段。\n\n{PLACEHOLDER}\n", encoding="utf-8")
    folder = write_ledger(tmp_path, ledger_yml=LEDGER_YML + "report:\n  preamble: ../docs/preamble.md\n")
    assert messages(folder) == [f"docs/preamble.md:3: 叙述: 警告：叙述还是占位文字“{PLACEHOLDER}”，页面上会突出显示；"
                                       "生成正式文件（导出 Word、打印 PDF、记录报送）前请改写成实际内容。"]


def test_open_status_with_completed_date_fails_on_completed(tmp_path):
    folder = write_ledger(tmp_path, {"01-a.md": issue_text(1, "整改中", "completed: 2023-03-01\n")})
    assert messages(folder) == [("issues/01-a.md:9: completed: 状态为“整改中”（尚未完成）却填写了完成时间 2023-03-01；"
                                 "已经完成请把状态改为“已完成”，否则请删去完成时间。")]


def test_unknown_department_names_the_closest(tmp_path):
    yml = LEDGER_YML + "departments: [办公室, 安委办, 执法大队]\n"
    folder = write_ledger(tmp_path, {"01-a.md": issue_text(1).replace("owner: 办公室", "owner: [安委办, 办工室]")}, yml)
    assert messages(folder) == [("issues/01-a.md:6: owner: “办工室”不在 ledger.yml 的部门名单（departments）中；"
                                 "是否应为“办公室”？新部门请先加入名单。")]
    assert load_ledger(write_ledger(tmp_path / "ok", None, yml), today=TODAY).departments == ("办公室", "安委办", "执法大队")


def test_owner_with_a_space_is_a_warning_without_a_department_list(tmp_path):
    folder = write_ledger(tmp_path, {"01-a.md": issue_text(1).replace("owner: 办公室", "owner: 办公室 安委办")})
    ledger = load_ledger(folder, today=TODAY)
    assert [str(w) for w in ledger.warnings] == [
        "issues/01-a.md:6: owner: 警告：责任部门“办公室 安委办”中间有空格，是两个部门吗？多个部门请用顿号分隔，例如 办公室、安委办。"]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_is_named_not_called_binary(tmp_path, encoding):
    folder = write_ledger(tmp_path, {"01-a.md": issue_text(1).encode(encoding)})
    [message] = messages(folder)
    assert message.startswith("issues/01-a.md:1: 编码: 文件是 UTF-16 编码（记事本“另存为”里叫“Unicode”")
    assert "二进制" not in message


def test_missing_space_after_colon_is_reported_on_its_own_line(tmp_path):
    folder = write_ledger(tmp_path, {"01-a.md": issue_text(1).replace("status: 整改中", "status:整改中")})
    assert messages(folder) == ["issues/01-a.md:5: status: 字段名的冒号后面缺少空格；请写成“字段: 值”，冒号后加一个半角空格。"]


def test_fullwidth_colon_in_ledger_yml_is_reported_on_its_own_line(tmp_path):
    folder = write_ledger(tmp_path, None, LEDGER_YML.replace("group: ", "group："))
    assert messages(folder) == ["issues/ledger.yml:3: group: 字段名后用了全角冒号“：”；请改为半角冒号加空格“: ”。"]


def test_gbk_narrative_fails_validate_and_build_without_traceback(repo_copy, tmp_path):
    path = repo_copy / "docs" / "report" / "next-steps.md"
    path.write_bytes(read(path).encode("gbk"))
    assert any(m.startswith("docs/report/next-steps.md:1: 编码: 文件可能以 GBK/GB2312 编码保存")
               for m in messages(repo_copy / "issues"))
    result = mkdocs_build(repo_copy, tmp_path / "site", quiet=False)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    assert "docs/report/next-steps.md:1: 编码" in result.stderr


@pytest.mark.parametrize("name, data", [
    ("random.docx", bytes(range(256)) * 8),
    ("zip.docx", b"PK\x03\x04" + b"\x00" * 40),
    ("empty.txt", b""),
    ("unicode.txt", "一、问题\n".encode("utf-16")),
    ("gbk.md", "# 标题\n\n一、问题".encode("gbk")),
    ("binary.md", b"\x00\x01\x02\xff" * 100),
])
def test_import_of_any_file_ends_in_a_chinese_line_not_a_traceback(tmp_path, capsys, name, data):
    from ledgerlib import cli
    source = tmp_path / name
    source.write_bytes(data)
    code = cli.main(["import", str(source), "--out", str(tmp_path / "out")])
    out, err = capsys.readouterr()
    assert code == 1 and "Traceback" not in out + err
    assert err.strip() and not err.isascii()


def test_export_and_pdf_of_a_gbk_narrative_fail_cleanly(repo_copy, tmp_path, capsys):
    from ledgerlib import cli
    path = repo_copy / "docs" / "report" / "preamble.md"
    path.write_bytes(read(path).encode("gbk"))
    for argv in (["export", "--out", str(tmp_path / "a.docx")], ["pdf", "--out", str(tmp_path / "a.pdf")]):
        assert cli.main(["--ledger", str(repo_copy / "issues"), *argv]) == 1
        out, err = capsys.readouterr()
        assert "Traceback" not in out + err
        assert "docs/report/preamble.md:1: 编码" in err


def test_a_gbk_site_page_fails_validate_and_build_without_traceback(repo_copy, tmp_path):
    from ledgerlib import cli
    path = repo_copy / "docs" / "guide.md"
    path.write_bytes(read(path).encode("gbk"))
    assert cli.main(["--ledger", str(repo_copy / "issues"), "validate"]) == 1
    result = mkdocs_build(repo_copy, tmp_path / "site", quiet=False)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    assert "docs/guide.md:1: 编码: 文件可能以 GBK/GB2312 编码保存" in result.stderr


def test_fullwidth_colon_in_a_list_item_of_ledger_yml(tmp_path):
    folder = write_ledger(tmp_path, None, LEDGER_YML.replace("  - name: 落实巡察整改情况", "  - name：落实巡察整改情况"))
    assert messages(folder) == ["issues/ledger.yml:9: name: 字段名后用了全角冒号“：”；请改为半角冒号加空格“: ”。"]
    # An evidence line that merely contains "：" is text, not a field.
    text = issue_text(1, extra="evidence:\n  - PPT：会议材料\n")
    assert messages(write_ledger(tmp_path / "ok", {"01-a.md": text})) == []
