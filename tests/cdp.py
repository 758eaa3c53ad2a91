"""Drive the system Chromium from tests, over the DevTools protocol on a pipe.

``--remote-debugging-pipe`` speaks CDP as NUL-terminated JSON on file
descriptors 3 (to the browser) and 4 (from it): no websocket library and no
browser download. Also a static file server, as `python -m http.server` serves
(no compression), on a free loopback port.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import os
import shutil
import subprocess
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

BROWSERS = ("chromium", "chromium-browser", "google-chrome")


def find_browser() -> str | None:
    return next((path for name in BROWSERS if (path := shutil.which(name))), None)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextmanager
def serve(directory: Path):
    """Serve ``directory`` on 127.0.0.1:<free port>; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


class Browser:
    """One headless Chromium with one page (flattened CDP session)."""

    def __init__(self, binary: str):
        self.profile = tempfile.mkdtemp(prefix="ledger-chromium-")
        to_browser_r, self._to_browser = os.pipe()
        self._from_browser, from_browser_w = os.pipe()
        cmd = [binary, "--headless=new", "--remote-debugging-pipe", "--no-sandbox", "--disable-gpu",
               "--no-first-run", "--no-default-browser-check", "--disable-extensions",
               f"--user-data-dir={self.profile}", "--window-size=1280,900", "about:blank"]
        # The child gets the pipe ends as fds 3 and 4 (dup2 in preexec_fn;
        # listing 3 and 4 keeps them open past close_fds, which runs after it).
        self.process = subprocess.Popen(cmd, pass_fds=sorted({3, 4, to_browser_r, from_browser_w}),
                                        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL,
                                        preexec_fn=lambda: (os.dup2(to_browser_r, 3), os.dup2(from_browser_w, 4)))
        os.close(to_browser_r)
        os.close(from_browser_w)
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict] = []
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        self.page("Page.enable")
        self.page("Runtime.enable")

    def _send(self, message: dict) -> None:
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")

    def _receive(self) -> dict:
        while b"\0" not in self._buffer:
            chunk = os.read(self._from_browser, 1 << 16)
            if not chunk:
                raise RuntimeError("Chromium closed the DevTools pipe")
            self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(raw)

    def call(self, method: str, session: str | None = None, **params) -> dict:
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        self._send(message)
        while True:
            reply = self._receive()
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            if "method" in reply:
                self.events.append(reply)

    def page(self, method: str, **params) -> dict:
        return self.call(method, self.session, **params)

    def goto(self, url: str) -> None:
        self.events.clear()
        self.page("Page.navigate", url=url)
        self.wait_for("document.readyState === 'complete' && !!document.querySelector('.ledger-search__input')")

    def evaluate(self, expression: str):
        result = self.page("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def wait_for(self, expression: str, timeout: float = 10.0, interval: float = 0.01):
        deadline = time.perf_counter() + timeout
        while True:
            value = self.evaluate(expression)
            if value:
                return value
            if time.perf_counter() > deadline:
                raise TimeoutError(expression)
            time.sleep(interval)

    def close(self) -> None:
        with contextlib.suppress(RuntimeError, OSError):  # already gone
            self.call("Browser.close")
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self._to_browser)
        os.close(self._from_browser)
        shutil.rmtree(self.profile, ignore_errors=True)


# What the tests read back from the search box once it has answered.
RESULTS_JS = """(() => {
  const box = document.querySelector('.ledger-search');
  const items = [...box.querySelectorAll('.ledger-search__result a')];
  return {status: box.querySelector('.ledger-search__status').textContent,
          urls: items.map(a => a.getAttribute('href')),
          titles: items.map(a => a.querySelector('.ledger-search__title').textContent),
          excerpts: items.map(a => (a.querySelector('.ledger-search__excerpt') || {}).textContent || null),
          more: !box.querySelector('.ledger-search__more').hidden};
})()"""

# True once the answer to the typed query is on screen: a status other than
# "searching", and every shown result has its title and excerpt.
ANSWERED_JS = """(() => {
  const box = document.querySelector('.ledger-search');
  const status = box.querySelector('.ledger-search__status').textContent;
  if (!status || status.startsWith('正在搜索')) return false;
  return [...box.querySelectorAll('.ledger-search__link')].every(
    a => a.querySelector('.ledger-search__title').textContent !== '…' && a.querySelector('.ledger-search__excerpt'));
})()"""


def type_query(browser: Browser, query: str) -> float:
    """Type ``query`` into the header box; seconds until the answer shows."""
    browser.evaluate("document.querySelector('.ledger-search__input').focus()")
    started = time.perf_counter()
    browser.page("Input.insertText", text=query)
    browser.wait_for(ANSWERED_JS)
    return time.perf_counter() - started


def show_all(browser: Browser) -> dict:
    """Press 显示更多 until every result is listed; returns RESULTS_JS."""
    while True:
        browser.wait_for(ANSWERED_JS)
        results = browser.evaluate(RESULTS_JS)
        if not results["more"]:
            return results
        browser.evaluate("document.querySelector('.ledger-search__more').click()")
