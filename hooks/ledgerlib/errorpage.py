"""The page `mkdocs serve` shows while the ledger has errors.

A preview that waits for a good build leaves the browser spinning with the
explanation hidden in a terminal. While serving, the adapter builds this one
page instead: the Chinese messages with file:line, nothing else. It is a
standalone HTML file (no theme, no script of ours), so that it can answer
any address of the site.
"""

from __future__ import annotations

from html import escape

_STYLE = ("body{font-family:sans-serif;max-width:60em;margin:2em auto;padding:0 1em;line-height:1.6}"
          "h1{color:#b71c1c;font-size:1.4em}li{margin:.4em 0}code{background:#f5f5f5;padding:0 .2em}")


def error_page(messages: list[str], *, title: str = "台账有错误，网站暂未更新") -> str:
    """HTML listing ``messages`` (each "path:line: field: message")."""
    items = "\n".join(f"<li><code>{escape(m)}</code></li>" for m in messages)
    return (
        "<!doctype html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
        f"<title>{escape(title)}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n"
        f"<h1>{escape(title)}</h1>\n"
        f"<p>共 {len(messages)} 条。请按提示修改文件并保存，本页会自动刷新；"
        f"也可以运行 <code>python3 scripts/ledger.py validate</code> 查看同样的清单。</p>\n"
        f"<ol>\n{items}\n</ol>\n</body>\n</html>\n"
    )
