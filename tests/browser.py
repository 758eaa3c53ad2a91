"""Run a measurement inside a built page in real headless Chromium.

``in_page(browser, page, js, width=390)`` loads the page inside a 390 × 844
frame (a headless window cannot be narrower than 500 px, but a frame's media
queries and layout follow the frame's width, as a phone's follow its
screen), runs ``js`` (the body of a function returning something JSON can
carry) once the page has loaded and its scripts have run, and returns that
value. The frame posts it to the wrapper page, which writes it into its DOM,
where the test's Chromium (conftest's ``browser``, driven over CDP, one for
the session) reads it. No browser download, no extra package.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path

_LOADS = itertools.count()

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


def in_page(browser, page: Path, js: str, *, width: int = 390, height: int = 844) -> object:
    probe = page.with_name("_ledger_probe.html")  # beside the page: its relative links still work
    wrapper = page.with_name("_ledger_frame.html")
    probe.write_text(page.read_text(encoding="utf-8").replace("</body>", PROBE.format(js=js) + "</body>"),
                     encoding="utf-8")
    wrapper.write_text(WRAPPER.format(src=probe.name, width=width, height=height), encoding="utf-8")
    # A fresh address each time: the answer read is this load's, not the last one's.
    url = f"{wrapper.resolve().as_uri()}?load={next(_LOADS)}"
    try:
        browser.page("Page.navigate", url=url)
        answer = browser.wait_for(f"location.href === {json.dumps(url)} && "
                                  "document.getElementById('ledger-result')?.textContent", timeout=60)
    finally:
        probe.unlink()
        wrapper.unlink()
    result = json.loads(answer)
    assert not (isinstance(result, dict) and "error" in result), result
    return result
