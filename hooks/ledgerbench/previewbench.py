"""ledger.py bench --preview: how soon an edit shows under make serve's live preview.

On the synthetic ledger of ``bench`` (N problems with a dated history), in the
same run: a full ``mkdocs build --strict`` (timed in its own process), then
``mkdocs serve --dirty`` as ``make serve`` starts it. Each of R edits appends a
sentence to one problem file, as a clerk saving in an editor does, and times
how long until the server answers that problem's page with the sentence
(what the clerk sees), then until the progress report has it too (the
background refresh published). After the edits every file of a clean build
of the same files (with the server's address as site_url) is fetched from
the server and compared. The last line is machine-readable:

    issues=N preview_median_s=… preview_max_s=… refresh_median_s=… full_build_s=… differing_files=…
"""

from __future__ import annotations

import io
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from pathlib import Path

from ledgerlib.mkdocsrun import mkdocs_command, mkdocs_env, serve_command

from .timing import BenchError, run_child

# Injected by MkDocs's live-reload server into every HTML answer.
LIVERELOAD = re.compile(r"<script>\s*var livereload.*?</script>\s*", re.S)
WAIT_S = 600  # the first build of a large ledger on a busy machine
POLL_S = 0.02
SETTLE_S = 6.0


def fetch(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return 0, b""


def same_file(rel: str, served: bytes, built: bytes) -> bool:
    """Whether the server answers ``rel`` as a clean build wrote it: HTML
    without the live-reload script, Word and Excel files part by part
    without their creation time."""
    if rel.endswith(".html"):
        served = LIVERELOAD.sub("", served.decode("utf-8")).encode("utf-8")
    if rel.endswith((".xlsx", ".docx")):
        return _parts(served) == _parts(built)
    return served == built


def _parts(data: bytes) -> dict[str, bytes] | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return {n: z.read(n) for n in z.namelist() if n != "docProps/core.xml"}
    except zipfile.BadZipFile:
        return None


def differences(base: str, repo: Path, work: Path) -> list[str]:
    """The files a clean build of ``repo`` (a copy, with ``base`` as site_url)
    writes that the server at ``base`` answers otherwise."""
    clean, site = work / "clean", work / "clean-site"
    shutil.rmtree(clean, ignore_errors=True)
    shutil.rmtree(site, ignore_errors=True)
    shutil.copytree(repo, clean, ignore=shutil.ignore_patterns("site"))
    config = clean / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("site_name:", f"site_url: {base}/\nsite_name:", 1), encoding="utf-8")
    run_child(mkdocs_command(config, site), cwd=clean, env=mkdocs_env())
    found = []
    for path in sorted(site.rglob("*")):
        if path.is_file():
            rel = path.relative_to(site).as_posix()
            status, served = fetch(f"{base}/{urllib.parse.quote(rel)}")
            if status != 200 or not same_file(rel, served, path.read_bytes()):
                found.append(rel if status == 200 else f"{rel}（{status}）")
    return found


def wait(what: str, check, server: subprocess.Popen, log: Path, limit: float = WAIT_S) -> float:
    """Seconds until ``check()`` holds; BenchError past ``limit`` or if the server exits."""
    start = time.perf_counter()
    while time.perf_counter() - start < limit:
        if server.poll() is not None:
            raise BenchError(f"预览服务器退出（{server.returncode}），等待{what}时：\n{log.read_text(encoding='utf-8')[-2000:]}")
        if check():
            return time.perf_counter() - start
        time.sleep(POLL_S)
    raise BenchError(f"等待{what}超过 {limit:.0f} 秒：\n{log.read_text(encoding='utf-8')[-2000:]}")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def measure(repo: Path, edits: int) -> dict:
    """Full build, then ``edits`` edits under the preview; seconds and differing files."""
    work = Path(tempfile.mkdtemp(prefix="preview-bench-"))
    env = mkdocs_env()
    try:
        full = run_child(mkdocs_command(repo / "mkdocs.yml", work / "full-site"), cwd=repo, env=env)
        port, log = free_port(), work / "serve.log"
        base = f"http://127.0.0.1:{port}"
        with open(log, "w", encoding="utf-8") as out:
            server = subprocess.Popen(serve_command(repo / "mkdocs.yml", f"127.0.0.1:{port}", dirty=True), cwd=repo,
                                      stdout=out, stderr=subprocess.STDOUT, env=env, start_new_session=True)
        try:
            return _edits(repo, base, server, log, edits, work) | {"full_build": full.seconds, "full_cpu": full.cpu}
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=60)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _edits(repo: Path, base: str, server, log: Path, edits: int, work: Path) -> dict:
    first = wait("第一次构建", lambda: fetch(f"{base}/list/")[0] == 200, server, log)
    files = sorted((repo / "issues").glob("*.md"))
    shown, refreshed = [], []
    for k in range(edits):
        # The publishing build writes the search index after the pages: each
        # edit is timed on a server that has finished, as a clerk's next edit
        # usually is (what an edit during a refresh costs is in dev/performance.md).
        time.sleep(SETTLE_S)
        path = files[(k * 677 + 5) % len(files)]  # spread over the ledger
        number = int(path.name.split("-")[0])
        marker = f"预览计时第{k + 1}句"
        text = path.read_text(encoding="utf-8").rstrip("\n") + f"\n\n{marker}。\n"
        start = time.perf_counter()  # as the editor saves
        path.write_text(text, encoding="utf-8")
        wait("问题页显示修改", _shows(f"{base}/problems/{number}/", marker), server, log)
        shown.append(time.perf_counter() - start)
        wait("整改报告显示修改", _shows(f"{base}/report/", marker), server, log)
        refreshed.append(time.perf_counter() - start)
        print(f"第 {k + 1}/{edits} 次修改（问题 {number}）：问题页 {shown[-1]:.2f} 秒，整改报告 {refreshed[-1]:.2f} 秒",
              flush=True)
    time.sleep(SETTLE_S)  # the refresh's publishing build has written everything
    return {"first": first, "shown": shown, "refreshed": refreshed, "differing": differences(base, repo, work)}


def _shows(url: str, text: str):
    data = text.encode("utf-8")
    return lambda: data in fetch(url)[1]


def report(n: int, figures: dict) -> None:
    shown, refreshed = figures["shown"], figures["refreshed"]
    print()
    print(f"完整构建（mkdocs build --strict，同一轮中单独的进程）：{figures['full_build']:.2f} 秒（CPU {figures['full_cpu']:.2f} 秒）")
    print(f"预览服务器启动到第一次构建完成：{figures['first']:.2f} 秒")
    print(f"保存到问题页显示修改：{'、'.join(f'{s:.2f}' for s in shown)} 秒，中位数 {statistics.median(shown):.2f} 秒"
          f"（完整构建的 {statistics.median(shown) / figures['full_build']:.0%}）")
    print(f"保存到后台刷新完成（整改报告显示修改）：{'、'.join(f'{s:.2f}' for s in refreshed)} 秒")
    differing = figures["differing"]
    print(f"修改后与重新完整构建逐个文件比较：{'全部相同' if not differing else '不同：' + '、'.join(differing[:20])}")
    print(f"issues={n} preview_median_s={statistics.median(shown):.2f} preview_max_s={max(shown):.2f} "
          f"refresh_median_s={statistics.median(refreshed):.2f} full_build_s={figures['full_build']:.2f} "
          f"differing_files={len(differing)}")


def run(repo: Path, n: int, edits: int) -> int:
    try:
        figures = measure(repo, edits)
    except BenchError as exc:
        print(exc, file=sys.stderr)
        return 1
    report(n, figures)
    return 1 if figures["differing"] else 0
