"""Every bad edit from issue 6, as a fixture file, with the message it gets.

Each case runs alone through the loader (exact messages), then all of them at
once through `ledger.py validate` and a real `mkdocs build`: every message at
once, exit code 1, no traceback.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES, REPO, copy_repo, mkdocs_build
from ledger_fixtures import write_ledger
from ledgerlib.parser import check_ledger
from ledgerlib.trust import SYMLINK_MESSAGE

BAD = FIXTURES / "bad"
TODAY = dt.date(2024, 1, 1)
SPACE = "这一行有全角空格（　）；YAML 只认半角空格，请切换到半角输入法，把它改成半角空格。"

# fixture file -> the diagnostics it produces, in order. Files that must come
# with a companion (the id they duplicate) name it after a "+".
CASES = {
    # -- encoding and layout
    "01-gbk.md": ["01-gbk.md:3: 编码: 文件可能以 GBK/GB2312 编码保存；请用编辑器“另存为 UTF-8”（记事本：另存为 → 编码选 UTF-8）后再提交。"],
    "02-binary.md": ["02-binary.md:1: 文件: 这是二进制文件（例如改了扩展名的 Word 文档或图片），不是文本；问题文件必须是 UTF-8 编码的 Markdown 文本，附件请放到 docs/evidence/ 下。"],
    "03-fullwidth-colon.md": ["03-fullwidth-colon.md:5: status: 字段名后用了全角冒号“：”；请改为半角冒号加空格“: ”。"],
    "04-fullwidth-space.md": [f"04-fullwidth-space.md:6: owner: {SPACE}", f"04-fullwidth-space.md:7: front-matter: {SPACE}"],
    "05-tab.md": ["05-tab.md:8: front-matter: 行首有制表符（Tab）；YAML 只能用空格缩进，请把 Tab 换成两个空格。"],
    "06-yaml-colon.md": ["06-yaml-colon.md:3: front-matter: YAML 格式错误：值里有半角冒号“:”，或这一行缩进多了；值里需要冒号时请给整个值加引号，例如 title: \"会议: 纪要\"（mapping values are not allowed in this context）。"],
    "07-yaml-quote.md": ["07-yaml-quote.md:3: front-matter: YAML 格式错误：引号不成对：值以引号开头，就要以同样的引号结束（found unexpected end of stream）。"],
    "08-no-front-matter.md": ["08-no-front-matter.md:1: front-matter: 文件开头缺少 front-matter；第一行应为 ---，随后是 id、title 等字段，再以 --- 结束。"],
    "09-not-mapping.md": ["09-not-mapping.md:2: front-matter: front-matter 应为“字段: 值”的形式，每行一个字段。"],
    "10-unclosed-front-matter.md": ["10-unclosed-front-matter.md:1: front-matter: front-matter 没有结束标记；请在字段之后加一行 ---。"],
    "27-yaml-alias.md": ["27-yaml-alias.md:7: front-matter: YAML 格式错误：不支持 YAML 锚点和别名（& 和 *）；请把内容直接写出来。"],
    "31-control-char.md": ["31-control-char.md:13: 文件: 第 27 个字符是看不见的控制字符（U+0007），Word、Excel 和网页都无法原样保存它；"
                           "它多半是从别的程序复制文字时带进来的，请删除这个字符后再提交。"],
    # -- fields and values
    "11-unknown-key.md": ["11-unknown-key.md:9: leaders: 警告：未知字段，将被忽略。是否应为“leader”？可用字段：id、title、category、status、owner、leader、deadline、completed、evidence、status_note、follows、public、measures、immediate、results、note"],
    "12-unknown-status.md": ["12-unknown-status.md:5: status: “已完毕”不是有效状态；可选：未启动、整改中、已完成、长期坚持"],
    "13-unknown-category.md": ["13-unknown-category.md:4: category: “落实巡察整改”不是 ledger.yml 中的问题方面；是否应为“落实巡察整改情况”？可选：党建、整改"],
    "15-duplicate-id.md+14-id-taken.md": ["15-duplicate-id.md:2: id: 序号 15 与 issues/14-id-taken.md 重复；每个问题的序号必须唯一，请改用未被占用的序号。"],
    "16-leading-zero-id.md": ["16-leading-zero-id.md:2: id: “016”不是正整数；请写 1、2、3 这样的序号，不要以 0 开头（YAML 会把 012 读成 10）。"],
    "17-bad-date.md": ["17-bad-date.md:8: deadline: “明年三月”不是日期；请写成 2023-03-31 或 2023年3月31日 的格式。"],
    "18-impossible-date.md": ["18-impossible-date.md:8: deadline: “2023-02-30”不是真实存在的日期，请核对年月日。"],
    "19-completed-before-feedback.md": ["19-completed-before-feedback.md:9: completed: 完成时间 2022-12-31 早于巡察反馈日期 2023-01-18；请核对。"],
    "20-completed-in-future.md": ["20-completed-in-future.md:9: completed: 完成时间 2024-05-01 晚于今天（2024-01-01）；尚未完成的问题请不要填写完成时间。"],
    "21-done-without-completed.md": ["21-done-without-completed.md:5: completed: 状态为“已完成”时必须填写完成时间 completed，例如 completed: 2023-03-31。"],
    "22-empty-problem.md": ["22-empty-problem.md:11: 正文: “## 问题描述”一节是空的，请填写内容。"],
    "23-empty-measures.md": ["23-empty-measures.md:15: 正文: “## 整改情况”一节是空的，请填写内容。"],
    # -- evidence and files
    "24-evidence-missing.md": ["24-evidence-missing.md:10: evidence: 找不到文件“docs/evidence/不存在.pdf”（路径相对于仓库根目录，例如 docs/evidence/会议纪要.pdf）；请检查文件名或先提交文件。"],
    "25-evidence-outside.md": ["25-evidence-outside.md:10: evidence: 文件“../../etc/passwd”在仓库之外；佐证材料必须放在仓库里，例如 docs/evidence/。"],
    "26-evidence-symlink.md": ["26-evidence-symlink.md:10: evidence: 文件“docs/evidence/link.pdf”在仓库之外；佐证材料必须放在仓库里，例如 docs/evidence/。"],
    "扫描件.pdf": ["扫描件.pdf:1: 文件: 台账文件夹里只能放问题文件（.md）；佐证材料请放到 docs/evidence/ 下，在 evidence 字段里引用。"],
    # accepted as is
    "28-bom-crlf-ok.md": [],
}

# Made at run time: too big to commit, or symlinks (which Windows checkouts lose).
GENERATED = {
    "29-huge.md": ["29-huge.md:1: 文件: 文件过大（1758 KB，上限 1000 KB）；附件请放到 docs/evidence/ 下，在 evidence 字段里引用。"],
    "30-symlink.md": ["30-symlink.md:1: 文件: " + SYMLINK_MESSAGE],
}


def test_every_fixture_has_a_case():
    names = {n for key in CASES for n in key.split("+")}
    assert names == {p.name for p in BAD.iterdir()}


def plant(repo: Path, names: list[str]) -> Path:
    """Put fixture files (and the run-time ones) into ``repo``'s issues/."""
    folder = repo / "issues"
    for name in names:
        if name == "29-huge.md":
            (folder / name).write_text((BAD / "28-bom-crlf-ok.md").read_text(encoding="utf-8-sig")
                                       + "很长的文字。" * 100_000, encoding="utf-8")
        elif name == "30-symlink.md":
            os.symlink("/etc/hostname", folder / name)
        else:
            shutil.copy(BAD / name, folder / name)
    evidence = repo / "docs/evidence"
    evidence.mkdir(parents=True, exist_ok=True)
    if not (evidence / "link.pdf").is_symlink():
        os.symlink("/etc/hostname", evidence / "link.pdf")  # points out of the repository
    return folder


@pytest.mark.parametrize("case", [*CASES, *GENERATED])
def test_each_bad_input_alone(tmp_path, case):
    folder = write_ledger(tmp_path, {})
    plant(tmp_path, case.split("+"))
    ledger, diagnostics = check_ledger(folder, today=TODAY)
    expected = {**CASES, **GENERATED}[case]
    assert [str(d) for d in diagnostics] == ["issues/" + e for e in expected]
    assert (ledger is None) == any("警告" not in e for e in expected)


def all_messages() -> list[str]:
    return ["issues/" + e for e in [*CASES.values(), *GENERATED.values()] for e in e]


def test_validate_reports_every_bad_input_at_once(tmp_path):
    folder = write_ledger(tmp_path, {})
    plant(tmp_path, [n for key in CASES for n in key.split("+")] + list(GENERATED))
    result = subprocess.run([sys.executable, str(REPO / "scripts/ledger.py"), "--ledger", str(folder), "validate"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    # validate's "today" is the real one, so 2024-05-01 is no longer in the future.
    expected = [m for m in all_messages() if "20-completed-in-future" not in m]
    # The symlink the evidence cases cite is itself refused, after the
    # ledger's own messages (boundary.check_trees, over the whole repository).
    link = f"docs/evidence/link.pdf:1: 文件: {SYMLINK_MESSAGE}"
    assert result.stderr.splitlines()[:-1] == [*sorted(expected, key=_file_order), link]
    expected.append(link)
    errors = sum("警告" not in m for m in expected)
    assert result.stderr.splitlines()[-1] == f"台账校验未通过：{errors} 处错误，{len(expected) - errors} 处警告。"


def _file_order(message: str) -> tuple:
    path, line, _ = message.split(":", 2)
    return path, int(line)


@pytest.mark.site
@pytest.mark.parametrize("strict", [True, False])
def test_build_reports_every_bad_input_at_once(tmp_path, strict):
    repo = copy_repo(tmp_path / "repo")
    for sample in (repo / "issues").glob("*.md"):
        sample.unlink()
    write_ledger(repo, {})
    plant(repo, [n for key in CASES for n in key.split("+")] + list(GENERATED))
    if not strict:
        config = repo / "mkdocs.yml"
        config.write_text(config.read_text(encoding="utf-8").replace("\nstrict: true\n", "\nstrict: false\n"), encoding="utf-8")
    result = mkdocs_build(repo, strict=strict)
    output = result.stdout + result.stderr
    assert result.returncode == 1 and "Traceback" not in output
    assert "网站未生成" in output
    for message in all_messages():
        if "警告" not in message and "20-completed-in-future" not in message:  # the build's today is today
            assert message in result.stderr, message
