"""ledger.py init: a fresh ledger for a new unit, with nothing of the sample left."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import REPO, CliResult, copy_repo, ledger_cli, mkdocs_build, read
from git_fixtures import git
from ledgerlib import constants as C
from ledgerlib import load_ledger
from ledgerlib.errors import LedgerInvalid
from site_checks import article_text

FLAGS = ("--unit", "区财政局党组", "--round", "五届区委第三轮常规巡察", "--group", "区委第二巡察组",
         "--feedback-date", "2024-05-16", "--categories", "财务管理方面，工程项目")
SAMPLE_WORD = "应急管理局"
TEXT_SUFFIXES = {".html", ".json", ".xml", ".txt", ".svg", ".csv", ".js", ".md"}


def ledger_py(repo: Path, *args: str, stdin: int) -> subprocess.CompletedProcess:
    """The copy's scripts/ledger.py as a real process, ``stdin`` its terminal."""
    return subprocess.run([sys.executable, str(repo / "scripts" / "ledger.py"), *args],
                          cwd=repo, stdin=stdin, capture_output=True, text=True, timeout=120)


def in_copy(repo: Path, *args: str, ledger: Path | None = None) -> CliResult:
    """``ledger_py`` without a terminal, run in this process."""
    ledger_args = ("--ledger", ledger) if ledger else ()
    return ledger_cli(*ledger_args, *args, cwd=repo, repo=repo)


def repo_with_scripts(dest: Path) -> Path:
    repo = copy_repo(dest)
    shutil.copytree(REPO / "scripts", repo / "scripts", ignore=shutil.ignore_patterns("__pycache__"))
    return repo


def committed_sample(dest: Path, when: str) -> Path:
    """The sample repository with its scripts, committed once on ``when``:
    the history a unit has before it runs init or import."""
    repo = repo_with_scripts(dest)
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "示例台账", when=when)
    return repo


def tree(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


# -- refusing and asking --------------------------------------------------------


def test_missing_flags_without_a_terminal_are_named_in_one_chinese_line(tmp_path):
    repo = repo_with_scripts(tmp_path / "repo")
    before = tree(repo / "issues")
    result = in_copy(repo, "init", "--unit", "区财政局党组")
    assert result.returncode == 2 and result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("缺少参数：")
    assert "--round（巡察轮次）" in lines[0] and "--group（巡察组）" in lines[0] and "--feedback-date" in lines[0]
    assert "--unit" not in lines[0].split("；")[0] and "usage" not in result.stderr
    assert tree(repo / "issues") == before


def test_bad_feedback_date_is_refused(tmp_path):
    repo = repo_with_scripts(tmp_path / "repo")
    flags = list(FLAGS)
    flags[flags.index("2024-05-16")] = "2024-02-30"
    result = in_copy(repo, "init", *flags, "--force")
    assert result.returncode == 2 and "--feedback-date" in result.stderr and "不是真实存在的日期" in result.stderr
    assert (repo / "docs" / "report" / "preamble.md").exists()


def test_refuses_naming_what_it_would_delete(tmp_path):
    repo = repo_with_scripts(tmp_path / "repo")
    before = tree(repo)
    result = in_copy(repo, "init", *FLAGS)
    assert result.returncode == 1 and "--force" in result.stderr and "Traceback" not in result.stderr
    assert "问题文件 17 个" in result.stderr and "issues/01-思想政治学习不到位.md" in result.stderr
    assert "……另有 7 个" in result.stderr
    for path in ("docs/report/preamble.md", "docs/report/leadership.md", "docs/report/next-steps.md",
                 "docs/evidence/sample/局党委会议纪要（示例）.txt"):
        assert path in result.stderr
    assert tree(repo) == before


def at_terminal(repo: Path, answers: str, *args: str) -> subprocess.CompletedProcess:
    """Run init with a pseudo-terminal as stdin, the answers typed in advance."""
    controller, terminal = os.openpty()
    os.write(controller, answers.encode())
    try:
        return ledger_py(repo, "init", *args, stdin=terminal)
    finally:
        os.close(terminal)
        os.close(controller)


def test_asks_in_chinese_at_a_terminal_and_confirms_the_deletion(tmp_path):
    repo = repo_with_scripts(tmp_path / "repo")
    # A wrong date is asked again; an empty answer for categories takes the default.
    # Then committee (Enter: 区委, from the group), period, plan date (Enter: +30 days), departments.
    answers = ("区财政局党组\n五届区委第三轮常规巡察\n区委第二巡察组\n2024年2月30日\n2024年5月16日\n\n"
               "\n2024年3月至4月\n\n财务科，办公室\n删除\n")
    result = at_terminal(repo, answers)
    assert result.returncode == 0, result.stderr
    for question in ("被巡察单位（例如", "巡察轮次（例如", "巡察组（例如", "巡察反馈日期（例如", "问题方面",
                     "issues/01-思想政治学习不到位.md", "请输入“删除”"):
        assert question in result.stdout
    assert "不是真实存在的日期" in result.stderr
    ledger = load_ledger(repo / "issues", repo_root=repo, drafts=True)  # narratives still placeholders
    assert ledger.unit == "区财政局党组" and str(ledger.feedback_date) == "2024-05-16"
    assert (ledger.committee, ledger.period, ledger.departments) == ("区委", "2024年3月至4月", ("财务科", "办公室"))
    assert ledger.documents["plan"].date.isoformat() == "2024-06-15"
    assert [c.name for c in ledger.categories][:3] == ["聚焦党中央各项决策部署在基层的落实情况",
                                                       "聚焦群众身边腐败问题和不正之风以及群众反映强烈的问题",
                                                       "聚焦基层党组织建设"]


def test_at_a_terminal_anything_but_the_confirmation_changes_nothing(tmp_path):
    repo = repo_with_scripts(tmp_path / "repo")
    before = tree(repo)
    result = at_terminal(repo, "好\n", *FLAGS)
    assert result.returncode == 3 and "已取消，未做任何修改。" in result.stderr  # make init: no "Error"
    assert tree(repo) == before


def test_a_second_ledger_in_its_own_folder_leaves_the_first_alone(tmp_path):
    # How the multi-ledger layout will use it: --ledger issues/<name> init.
    repo = repo_with_scripts(tmp_path / "repo")
    before = tree(repo)
    second = repo / "issues" / "2024-区审计"
    result = in_copy(repo, "init", *FLAGS, ledger=second)
    assert result.returncode == 0, result.stderr
    assert tree(second) == ["ledger.yml", "report/leadership.md", "report/next-steps.md", "report/notice-leadership.md",
                            "report/plan-guidance.md", "report/preamble.md"]
    for name in ("leadership.md", "next-steps.md", "preamble.md"):
        assert C.PLACEHOLDER in read(second / "report" / name)  # documents refuse them until rewritten
    assert [p for p in tree(repo) if not p.startswith("issues/2024-区审计/")] == before
    ledger = load_ledger(second, repo_root=repo)  # narrative scaffolds are warnings: the site previews
    assert sum(C.PLACEHOLDER in str(w) for w in ledger.warnings) == 7  # a line each, in five files
    assert ledger.issues == () and ledger.title == "区财政局党组关于五届区委第三轮常规巡察集中整改进展情况的报告"
    sources = [s.source for s in ledger.report.sections if s.source] + [ledger.report.preamble]
    assert all(Path(s).resolve().is_relative_to(second.resolve()) for s in sources), sources


def test_history_after_that_is_no_commit_id_is_an_error(tmp_path):
    repo = copy_repo(tmp_path / "repo")
    yml = repo / "issues" / "ledger.yml"
    yml.write_text(read(yml) + "history_after: 上一次提交\n", encoding="utf-8")
    with pytest.raises(LedgerInvalid) as caught:
        load_ledger(repo / "issues", repo_root=repo)
    assert any(d.field == "history_after" and "Git 提交号" in d.message for d in caught.value.diagnostics)


def test_a_category_named_fangmian_is_not_doubled():
    assert C.default_category_summary("财务管理方面").format(name="财务管理方面", count=3) == "“财务管理方面”3项"
    assert C.default_category_summary("聚焦基层党组织建设").format(name="聚焦基层党组织建设", count=5) \
        == "“聚焦基层党组织建设”方面5项"


# -- the whole first week, on a git copy of the sample --------------------------

NEW_PROBLEMS = (
    ("专项资金拨付不及时", "财务管理方面", "财务科"),
    ("政府采购程序不规范", "工程项目", "办公室"),
    ("工程结算审核不严", "工程项目", "基建科"),
)
NARRATIVES = {
    "preamble.md": "按照区委统一部署，2024年3月至4月，区委第二巡察组对区财政局党组开展了五届区委第三轮常规巡察。"
                   "2024年5月16日，区委第二巡察组向区财政局党组反馈了巡察意见，现将集中整改进展情况报告如下。\n",
    "leadership.md": "## 提高政治站位，扛起整改主体责任。\n\n党组书记主持召开专题会议，研究制定整改方案。\n",
    "next-steps.md": "持续巩固整改成果，建立健全长效机制。\n",
}


def rewrite_problem(path: Path, n: int) -> None:
    """What a clerk does after `new`: the body written anew, the front-matter kept."""
    text = read(path)
    front = text[:text.index("---", 3) + 3]
    body = f"\n\n## 问题描述\n\n第{n}项问题的原文。\n\n## 整改情况\n\n第{n}项问题的整改措施。\n"
    path.write_text(front + body, encoding="utf-8")
    assert C.PLACEHOLDER not in read(path)


@pytest.fixture(scope="module")
def first_week(tmp_path_factory):
    root = tmp_path_factory.mktemp("init")
    repo = committed_sample(root / "repo", "2023-01-20T10:00:00+08:00")
    first = repo / "issues" / "01-思想政治学习不到位.md"
    first.write_text(read(first).replace("leader: ", "leader: 副", 1), encoding="utf-8")
    git(repo, "commit", "-q", "-am", "示例：改责任领导", when="2023-03-01T10:00:00+08:00")
    sample_head = git(repo, "rev-parse", "HEAD")

    init = in_copy(repo, "init", *FLAGS, "--force")
    assert init.returncode == 0, init.stderr
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "新建台账", when="2024-05-20T10:00:00+08:00")
    for title, category, owner in NEW_PROBLEMS:
        made = in_copy(repo, "new", title, "--category", category, "--owner", owner, "--deadline", "2024-08-31")
        assert made.returncode == 0, made.stderr
    problems = sorted((repo / "issues").glob("*.md"))
    assert len(problems) == 3
    for n, path in enumerate(problems, start=1):
        rewrite_problem(path, n)
    for name, text in NARRATIVES.items():
        (repo / "issues" / "report" / name).write_text(text, encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "登记三个问题", when="2024-06-01T10:00:00+08:00")

    validate = in_copy(repo, "validate")
    built = mkdocs_build(repo, root / "site")
    return repo, root / "site", init, validate, built, sample_head


def test_init_output_lists_the_settings_left_to_the_user(first_week):
    repo, _, init, *_ = first_week
    assert "已删除原有台账的文件 23 个" in init.stdout
    for setting in ("repo_url", "codeowners", "leading_group", "notice", "statuses", C.PLACEHOLDER):
        assert setting in init.stdout
    assert not (repo / "docs" / "report").exists()
    assert not (repo / "docs" / "evidence" / "sample").exists()


def test_ledger_yml_is_the_new_units(first_week):
    repo, *_, sample_head = first_week
    text = read(repo / "issues" / "ledger.yml")
    assert f"history_after: {sample_head}" in text
    assert "note:" not in text and SAMPLE_WORD not in text
    assert re.search(r"^codeowners:", text, re.M) is None and "# codeowners:" in text
    ledger = load_ledger(repo / "issues", repo_root=repo)
    assert ledger.signature_unit == "区财政局党组" and ledger.codeowners == {}
    assert "{group}" in ledger.report.wording["summary"]


def test_plan_and_notice_settings_wait_commented_out_and_read_once_filled_in(first_week, tmp_path):
    repo, *_ = first_week
    text = read(repo / "issues" / "ledger.yml")
    assert re.search(r"^leading_group:", text, re.M) is None and "# leading_group:" in text
    folder = tmp_path / "issues"
    shutil.copytree(repo / "issues", folder)
    filled = re.sub(r"^# (leading_group:|notice:|  - \{role|  contact|  window_days)", r"\1", text, flags=re.M)
    (folder / "ledger.yml").write_text(filled.replace("name: 姓名, post: 职务}", "name: 张三, post: 局长}", 1),
                                       encoding="utf-8")
    ledger = load_ledger(folder, repo_root=tmp_path)
    assert next((m.role, m.name, m.post) for m in ledger.leading_group) == ("组长", "张三", "局长")
    assert ledger.notice.contact == ("联系电话：电话号码", "电子邮箱：邮箱地址") and ledger.notice.window_days == 10


def test_validate_and_the_strict_build_pass(first_week):
    _, _, _, validate, built, _ = first_week
    assert validate.returncode == 0, validate.stderr
    assert "3 个问题" in validate.stdout
    assert built.returncode == 0, built.stderr


def test_the_site_holds_the_three_problems_only(first_week):
    _, site, *_ = first_week
    pages = sorted(p.parent.name for p in (site / "problems").glob("*/index.html"))
    assert pages == ["1", "2", "3"]
    listing = article_text(site / "list" / "index.html")
    assert "共 3 个问题" in listing
    assert [title in listing for title, _, _ in NEW_PROBLEMS] == [True] * 3


def test_nothing_of_the_sample_is_anywhere_in_the_site(first_week):
    _, site, *_ = first_week
    found = []
    for path in site.rglob("*"):
        if path.suffix in TEXT_SUFFIXES:
            if SAMPLE_WORD in path.read_text(encoding="utf-8", errors="replace"):
                found.append(path.relative_to(site).as_posix())
        elif path.suffix in (".xlsx", ".docx"):
            with zipfile.ZipFile(path) as z:
                if any(SAMPLE_WORD in z.read(n).decode("utf-8", "replace") for n in z.namelist()):
                    found.append(path.relative_to(site).as_posix())
    assert found == []
    assert "局党委会议纪要" not in "".join(tree(site))


def test_unit_on_the_dashboard_and_in_the_report_title(first_week):
    _, site, *_ = first_week
    assert "区财政局党组" in article_text(site / "index.html")
    report = read(site / "report" / "index.html")
    title = re.sub(r"<[^>]+>", "", re.search(r"<h1[^>]*>(.*?)</h1>", report, re.S).group(1))
    assert "区财政局党组关于五届区委第三轮常规巡察集中整改进展情况的报告" in title
    text = article_text(site / "report" / "index.html")
    assert "“财务管理方面”1项" in text and "方面”方面" not in text
    assert "根据区委第二巡察组反馈意见" in text


def chart_rows(html: str) -> list[list[str]]:
    table = re.search(r'<details class="ledger-chart-data">.*?</details>', html, re.S).group(0)
    return [re.findall(r"<td>([^<]*)</td>", row) for row in re.findall(r"<tr><td>.*?</tr>", table)]


def test_history_and_chart_start_with_the_new_ledger(first_week):
    _, site, *_ = first_week
    dashboard = read(site / "index.html")
    # A new ledger has five statuses (基本完成 included), one chart column each.
    assert chart_rows(dashboard) == [["2024-06-01", "3", "0", "0", "0", "0", "3"]]
    for page in (site / "problems").glob("*/index.html"):
        text = article_text(page)
        assert "2023-" not in text
        history = text[text.index("变更记录"):]
        assert history.count("登记此问题") == 1 and "2024-06-01" in history


def test_as_of_builds_before_and_after_the_init(first_week, tmp_path):
    repo, *_ = first_week
    after = in_copy(repo, "build", "--as-of", "2024-06-01", "--out", str(tmp_path / "after"))
    assert after.returncode == 0, after.stderr
    assert chart_rows(read(tmp_path / "after" / "index.html")) == [["2024-06-01", "3", "0", "0", "0", "0", "3"]]
    before = in_copy(repo, "build", "--as-of", "2023-03-01", "--out", str(tmp_path / "before"))
    assert before.returncode == 0, before.stderr
    assert len(list((tmp_path / "before" / "problems").glob("*/index.html"))) == 17
    assert SAMPLE_WORD in article_text(tmp_path / "before" / "index.html")
