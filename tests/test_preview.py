"""The live preview of make serve (`mkdocs serve --dirty`, ledgerlib.preview).

The whole-build test edits problem files under a real server the way a clerk
does (a sentence, a status, a deletion, a new problem, a renumbered one, then
a change to ledger.yml, which rebuilds everything), checks each edit shows on
its page, and after the background refresh compares every file the server
answers with a clean build of the same files. The pure parts (stamps, which
files are re-read, the refresher's generations) are tested on their own."""

from __future__ import annotations

import datetime as dt
import os
import re
import signal
import subprocess
import threading
import time
from pathlib import Path

import pytest

from conftest import read
from ledgerbench.previewbench import differences
from ledgerlib.ledgers import load_collection
from ledgerlib.mkdocsrun import serve_command
from ledgerlib.preview import Kind, Made, Preview, Refresher, changed_paths, reread, take_stamps
from test_serve import fetch, free_port, wait_for

pytestmark = pytest.mark.site  # make test runs these under ProperDocs too

TODAY = dt.date.today()


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def preview(repo_copy, tmp_path):
    git(repo_copy, "init", "-q", "-b", "main")
    git(repo_copy, "-c", "user.name=测试", "-c", "user.email=t@example.invalid", "add", "-A")
    git(repo_copy, "-c", "user.name=测试", "-c", "user.email=t@example.invalid", "commit", "-qm", "台账")
    port = free_port()
    log_path = tmp_path / "serve.log"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    env.pop("LEDGER_DIR", None)
    with open(log_path, "w", encoding="utf-8") as log:
        proc = subprocess.Popen(serve_command(repo_copy / "mkdocs.yml", f"127.0.0.1:{port}", dirty=True),
                                cwd=repo_copy, stdout=log, stderr=subprocess.STDOUT, env=env,
                                start_new_session=True)
    try:
        yield proc, f"http://127.0.0.1:{port}", log_path
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=30)


def settle(base: str, repo: Path, tmp_path: Path, proc, log_path) -> None:
    """Wait until the refresh has published: the served site equals a clean build."""
    left: list[str] = []

    def equal() -> bool:
        nonlocal left
        left = differences(base, repo, tmp_path)
        return not left
    try:
        wait_for("the refresh to publish the complete site", equal, proc, log_path)
    except pytest.fail.Exception:
        pytest.fail(f"served files differ from a clean build: {left[:20]}\n{read(log_path)[-3000:]}")


def problem(repo: Path, number: int) -> Path:
    return next((repo / "issues").glob(f"{number:02d}-*.md"))


@pytest.mark.slow
def test_edits_under_the_preview_show_at_once_and_end_equal_to_a_clean_build(preview, repo_copy, tmp_path):
    proc, base, log_path = preview
    wait_for("the first build", lambda: fetch(f"{base}/problems/3/")[0] == 200, proc, log_path)

    # A sentence added to 整改情况: its page at once, the report after the refresh.
    path = problem(repo_copy, 3)
    path.write_text(read(path).rstrip("\n") + "\n\n本句为预览测试新增的整改措施。\n", encoding="utf-8")
    wait_for("the edited page", lambda: "本句为预览测试新增的整改措施" in fetch(f"{base}/problems/3/")[1],
             proc, log_path)
    wait_for("the report", lambda: "本句为预览测试新增的整改措施" in fetch(f"{base}/report/")[1], proc, log_path)

    # A status change, a deletion, a new problem and a renumbered one, in quick succession.
    path = problem(repo_copy, 2)
    text = read(path)
    assert "status: 已完成\n" in text
    text = re.sub(r"(completed|status_note): .*\n", "", text.replace("status: 已完成\n", "status: 整改中\n", 1))
    path.write_text(text, encoding="utf-8")
    problem(repo_copy, 17).unlink()
    new = repo_copy / "issues" / "18-预览测试新增问题.md"
    # …whose owner is new: the 责任清单 gains a department page with the refresh.
    text = re.sub(r"owner: .*\n", "owner: 预览测试科\n", read(problem(repo_copy, 4)).replace("id: 4\n", "id: 18\n", 1))
    new.write_text(text, encoding="utf-8")
    moved = problem(repo_copy, 16)
    moved.write_text(read(moved).replace("id: 16\n", "id: 19\n", 1), encoding="utf-8")
    wait_for("the new problem", lambda: fetch(f"{base}/problems/18/")[0] == 200, proc, log_path)
    wait_for("the renumbered problem", lambda: fetch(f"{base}/problems/19/")[0] == 200, proc, log_path)
    settle(base, repo_copy, tmp_path, proc, log_path)
    for gone in ("problems/17/", "problems/16/"):
        assert fetch(f"{base}/{gone}")[0] == 404, gone
    assert "预览测试科" in fetch(f"{base}/owners/")[1]

    # ledger.yml feeds every page: a full rebuild, with the edits above kept.
    ledger_yml = repo_copy / "issues" / "ledger.yml"
    ledger_yml.write_text(read(ledger_yml).replace("unit: ", "unit: 预览", 1), encoding="utf-8")
    wait_for("the new unit name", lambda: "预览" in fetch(f"{base}/")[1], proc, log_path)
    settle(base, repo_copy, tmp_path, proc, log_path)
    # The server logs each 404 it answered (the test's own requests) as a warning.
    log = "\n".join(line for line in read(log_path).splitlines() if '"GET /' not in line)
    assert "Traceback" not in log and "WARNING" not in log and "ERROR" not in log, log[-3000:]


@pytest.mark.slow
def test_an_error_in_an_edited_file_shows_the_error_page_and_a_fix_restores_the_site(preview, repo_copy):
    proc, base, log_path = preview
    wait_for("the first build", lambda: fetch(f"{base}/problems/3/")[0] == 200, proc, log_path)
    path = problem(repo_copy, 3)
    good = read(path)
    path.write_text(good.replace("status: ", "status: 已完毕\nold_status: ", 1), encoding="utf-8")
    wait_for("the error page", lambda: "不是有效状态" in fetch(f"{base}/")[1], proc, log_path)
    assert "不是有效状态" in fetch(f"{base}/problems/3/")[1]  # every address answers with the list
    path.write_text(good, encoding="utf-8")
    wait_for("the site again", lambda: fetch(f"{base}/problems/3/")[0] == 200, proc, log_path)
    assert "Traceback" not in read(log_path)


def test_stamps_see_an_edit_an_addition_and_a_deletion(tmp_path):
    (tmp_path / "a.md").write_text("一", encoding="utf-8")
    (tmp_path / "b.md").write_text("二", encoding="utf-8")
    before = take_stamps([tmp_path])
    (tmp_path / "a.md").write_text("一二", encoding="utf-8")
    (tmp_path / "b.md").unlink()
    (tmp_path / "c.md").write_text("三", encoding="utf-8")
    assert changed_paths(before, take_stamps([tmp_path])) == {tmp_path / n for n in ("a.md", "b.md", "c.md")}
    assert changed_paths(before, before) == set()


def test_reread_reads_only_the_changed_files_and_refuses_errors(repo_copy):
    ledger = load_collection(repo_copy / "issues", repo_root=repo_copy).ledgers[0]
    path = problem(repo_copy, 3)
    path.write_text(read(path).replace("title: ", "title: 改过的", 1), encoding="utf-8")
    again = reread(ledger, {path}, repo_copy, TODAY)
    assert next(i.title for i in again.issues if i.id == 3).startswith("改过的")
    assert [i for i in again.issues if i.id != 3] == [i for i in ledger.issues if i.id != 3]  # the others as they were
    assert list(again.issues) == sorted(again.issues)
    gone = problem(repo_copy, 17)
    gone.unlink()
    assert 17 not in {i.id for i in reread(ledger, {gone}, repo_copy, TODAY).issues}
    link = repo_copy / "issues" / "20-链接.md"
    link.symlink_to(path)  # the trust boundary's, not the quick path's, to judge
    assert reread(ledger, {link}, repo_copy, TODAY) is None
    path.write_text(read(path).replace("status: ", "status: 已完毕\nx: ", 1), encoding="utf-8")
    assert reread(ledger, {path}, repo_copy, TODAY) is None  # the full build reports it
    path.write_text(read(problem(repo_copy, 4)), encoding="utf-8")  # now two files say id: 4
    assert reread(ledger, {path}, repo_copy, TODAY) is None


def test_refresher_publishes_the_newest_generation_only_one_at_a_time():
    published, started = [], threading.Event()
    running, peak = [0], [0]
    refresher = Refresher(delay=0.01)
    made = Made(None, None, {"x": (1, 1)})

    def counted(seconds: float, event: threading.Event | None = None):
        def make() -> Made:
            running[0] += 1
            peak[0] = max(peak[0], running[0])
            if event:
                event.set()
            time.sleep(seconds)
            running[0] -= 1
            return made
        return make
    refresher.schedule(counted(0.3, started), lambda: published.append("old"))
    assert started.wait(5)
    refresher.schedule(counted(0.05), lambda: published.append("new"))  # edited again meanwhile
    deadline = time.monotonic() + 5
    while "new" not in published and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(0.4)
    assert published == ["new"] and refresher.take() is made and refresher.take() is None
    assert peak[0] == 1  # the newer refresh waited for the stale one to end

    def broken() -> Made:
        raise OSError("磁盘已满")
    refresher.schedule(broken, lambda: published.append("failed"))
    while "failed" not in published and time.monotonic() < deadline + 5:
        time.sleep(0.01)
    assert refresher.failed and refresher.take() is None  # the next build is a full one
    refresher.done()
    assert not refresher.failed


def test_plan_rebuilds_problem_edits_quickly_and_everything_else_in_full(repo_copy):
    collection = load_collection(repo_copy / "issues", repo_root=repo_copy)
    watched = (repo_copy / "mkdocs.yml", repo_copy / "docs", repo_copy / "issues")
    preview = Preview()
    preview.shown_now(Kind.FULL, Made(collection, None, take_stamps(watched)), "abc1234", TODAY)

    def plan(head="abc1234", today=TODAY) -> tuple[Kind, set[str]]:
        found = preview.plan(watched, head, today)
        return found.kind, {p.name for p in found.problems}

    assert plan() == (Kind.QUICK, set())  # nothing changed: nothing to make
    (repo_copy / "issues" / ".03-落实.md.swp").write_bytes(b"\0")  # an editor's swap file
    (repo_copy / "issues" / "_草稿.md").write_text("草稿", encoding="utf-8")  # a draft the loader skips
    assert plan() == (Kind.QUICK, set())
    path = problem(repo_copy, 3)
    path.write_text(read(path) + "\n补充。\n", encoding="utf-8")
    assert plan() == (Kind.QUICK, {path.name})
    assert plan(head="def5678")[0] is Kind.FULL  # a commit: the change log differs
    assert plan(today=TODAY + dt.timedelta(days=1))[0] is Kind.FULL  # deadlines count from today
    (repo_copy / "docs" / "新页面.md").write_text("# 新页面\n", encoding="utf-8")
    assert plan() == (Kind.FULL, set())  # the nav may change
    (repo_copy / "docs" / "新页面.md").unlink()
    ledger_yml = repo_copy / "issues" / "ledger.yml"
    ledger_yml.write_text(read(ledger_yml) + "\n", encoding="utf-8")
    assert plan() == (Kind.FULL, set())  # every page reads ledger.yml
