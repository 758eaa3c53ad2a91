"""`mkdocs serve` on a copy of the repository: editing or deleting a problem
file rebuilds the site, and nothing from the previous build survives in the
hook's module-level state (the hook module is imported once per serve)."""

from __future__ import annotations

import os
import signal
import subprocess
import time
import urllib.error
import urllib.request

import pytest

from conftest import read
from ledgerbench.previewbench import free_port
from ledgerlib.mkdocsrun import serve_command

pytestmark = pytest.mark.site  # make test runs these under ProperDocs too

DEADLINE_S = 180  # per wait; a rebuild of the sample takes a few seconds


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8", errors="replace")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8", errors="replace")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return 0, ""


def wait_for(what: str, check, server: subprocess.Popen, log_path) -> None:
    end = time.monotonic() + DEADLINE_S
    while time.monotonic() < end:
        if server.poll() is not None:
            pytest.fail(f"mkdocs serve exited ({server.returncode}) while waiting for {what}:\n{read(log_path)[-3000:]}")
        if check():
            return
        time.sleep(0.5)
    pytest.fail(f"timed out after {DEADLINE_S} s waiting for {what}:\n{read(log_path)[-3000:]}")


@pytest.fixture
def server(repo_copy, tmp_path):
    yield from _serve(repo_copy, tmp_path)


BAD_STATUS = ("status: 已完成", "status: 已完毕")
BAD_MESSAGE = "issues/03-落实决策部署跟踪问效不到位.md:5: status: “已完毕”不是有效状态"


@pytest.fixture
def bad_server(repo_copy, tmp_path):
    """A server started on a ledger that already has an error."""
    path = next((repo_copy / "issues").glob("03-*.md"))
    path.write_text(read(path).replace(*BAD_STATUS), encoding="utf-8")
    yield from _serve(repo_copy, tmp_path)


def _serve(repo_copy, tmp_path):
    port = free_port()
    log_path = tmp_path / "serve.log"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    env.pop("LEDGER_DIR", None)
    with open(log_path, "w", encoding="utf-8") as log:
        proc = subprocess.Popen(
            serve_command(repo_copy / "mkdocs.yml", f"127.0.0.1:{port}"),
            cwd=repo_copy, stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    try:
        yield proc, f"http://127.0.0.1:{port}", log_path
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)  # the group we created for this server only
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=15)


@pytest.mark.slow
def test_serve_rebuilds_on_problem_edit_without_stale_state(server, repo_copy):
    proc, base, log_path = server
    page = f"{base}/problems/3/"
    wait_for("the first build", lambda: fetch(page)[0] == 200, proc, log_path)
    status, html = fetch(f"{base}/list/")
    assert status == 200 and "共 17 个问题" in html
    marker = "本句为服务预览测试新增的整改措施"
    assert marker not in fetch(page)[1]

    # Edit one problem file: its page shows the new text after the rebuild.
    path = next((repo_copy / "issues").glob("03-*.md"))
    path.write_text(read(path).rstrip("\n") + f"\n\n{marker}。\n", encoding="utf-8")
    wait_for("the edited text", lambda: marker in fetch(page)[1], proc, log_path)

    # Delete another: a leaked cache would keep serving its page or counting it.
    gone = next((repo_copy / "issues").glob("17-*.md"))
    gone.unlink()
    wait_for("the deletion", lambda: "共 16 个问题" in fetch(f"{base}/list/")[1], proc, log_path)
    assert fetch(f"{base}/problems/17/")[0] == 404
    assert marker in fetch(page)[1]  # the earlier edit is still there



def assert_error_page(base: str, log_path) -> None:
    status, html = fetch(f"{base}/")
    assert status == 200 and BAD_MESSAGE in html
    assert "Traceback" not in html and "Error" not in html
    # Any other address answers with the same list (served as the 404 page).
    assert BAD_MESSAGE in fetch(f"{base}/problems/3/")[1]
    log = read(log_path)
    assert BAD_MESSAGE in log and "Traceback" not in log


@pytest.mark.slow
def test_serve_started_on_a_bad_ledger_shows_the_errors(bad_server, repo_copy):
    proc, base, log_path = bad_server
    started = time.monotonic()
    wait_for("the error page", lambda: BAD_MESSAGE in fetch(f"{base}/")[1], proc, log_path)
    assert time.monotonic() - started < 20
    assert_error_page(base, log_path)


@pytest.mark.slow
def test_serve_shows_a_new_error_then_the_fixed_site(server, repo_copy):
    proc, base, log_path = server
    wait_for("the first build", lambda: fetch(f"{base}/list/")[0] == 200, proc, log_path)
    path = next((repo_copy / "issues").glob("03-*.md"))
    good = read(path)
    path.write_text(good.replace(*BAD_STATUS), encoding="utf-8")
    started = time.monotonic()
    # The error list within seconds, not a browser left waiting for a good build.
    wait_for("the error page", lambda: BAD_MESSAGE in fetch(f"{base}/")[1], proc, log_path)
    assert time.monotonic() - started < 20
    assert_error_page(base, log_path)
    path.write_text(good, encoding="utf-8")
    wait_for("the fixed site", lambda: "共 17 个问题" in fetch(f"{base}/list/")[1], proc, log_path)
