"""Run a measurement inside a built page in real headless Chromium.

``in_page(page, js, width=390)`` loads the page inside a 390 × 844 frame (a
headless window cannot be narrower than 500 px, but a frame's media queries
and layout follow the frame's width, as a phone's follow its screen), runs
``js`` (the body of a function returning something JSON can carry) once the
page has loaded and its scripts have run, and returns that value. The frame
posts it to the wrapper page, which writes it into its DOM, which
``chromium --dump-dom`` prints. No browser download, no extra package.
"""

from __future__ import annotations

import html
import json
import re
import subprocess
import tempfile
from pathlib import Path

from pdf_layout import require

PROBE = """<script>
window.addEventListener("load", function () {{
  setTimeout(function () {{
    var result;
    try {{ result = (function () {{ {js} }})(); }} catch (e) {{ result = {{error: String(e)}}; }}
    (window.parent === window ? window : window.parent).postMessage(JSON.stringify(result), "*");
  }}, 500);
}});
</script>"""

WRAPPER = """<!doctype html><html><head><meta charset="utf-8"></head><body style="margin:0">
<pre id="ledger-result"></pre>
<script>window.addEventListener("message", function (e) {{
  document.getElementById("ledger-result").textContent = e.data; }});</script>
<iframe src="{src}" style="width:{width}px;height:{height}px;border:0;display:block"></iframe>
</body></html>"""


def in_page(page: Path, js: str, *, width: int = 390, height: int = 844) -> object:
    require("chromium", hint="apt-get install chromium fonts-noto-cjk")
    probe = page.with_name("_ledger_probe.html")  # beside the page: its relative links still work
    wrapper = page.with_name("_ledger_frame.html")
    probe.write_text(page.read_text(encoding="utf-8").replace("</body>", PROBE.format(js=js) + "</body>"),
                     encoding="utf-8")
    wrapper.write_text(WRAPPER.format(src=probe.name, width=width, height=height), encoding="utf-8")
    try:
        with tempfile.TemporaryDirectory(prefix="ledger-chromium-") as profile:
            dom = subprocess.run(
                ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--window-size=800,900",
                 "--disable-background-networking", "--no-first-run", f"--user-data-dir={profile}",
                 "--virtual-time-budget=10000", "--dump-dom", wrapper.resolve().as_uri()],
                capture_output=True, text=True, timeout=180).stdout
    finally:
        probe.unlink()
        wrapper.unlink()
    found = re.search(r'<pre id="ledger-result">(.*?)</pre>', dom, re.S)
    assert found and found.group(1), f"no result from {page}"
    result = json.loads(html.unescape(found.group(1)))
    assert not (isinstance(result, dict) and "error" in result), result
    return result
