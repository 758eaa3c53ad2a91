"""The environment protocol between ``ledger.py`` and the site build.

MkDocs runs as a separate process (``ledger.py build``, ``pdf``, ``bench``,
CI's ``mkdocs build``), and the hook can only learn what the command wants
from environment variables. They are named and read here only:

* ``LEDGER_DIR``: the ledger folder, relative to mkdocs.yml's folder or
  absolute (default: ``extra.ledger_dir`` in mkdocs.yml, else ``issues``);
* ``LEDGER_AS_OF``: ``build --as-of``'s day, YYYY-MM-DD; it stands in for a
  missing cut-off date (see ``aggregate.as_of``);
* ``LEDGER_HISTORY_DIR`` and ``LEDGER_HISTORY_REV``: an as-of build's copy is
  no checkout, so the history is read from the original ledger folder, up to
  the chosen commit;
* ``LEDGER_FORM_PROXY``: the address of a local ``decap-server``
  (``make serve``, the form's tests); the form at /admin/ then saves into the
  local repository instead of the Git server (Decap's ``local_backend``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

_DIR, _AS_OF, _HISTORY_DIR, _HISTORY_REV = "LEDGER_DIR", "LEDGER_AS_OF", "LEDGER_HISTORY_DIR", "LEDGER_HISTORY_REV"
_FORM_PROXY = "LEDGER_FORM_PROXY"  # not in NAMES: a child build keeps the caller's (make serve)
NAMES = (_DIR, _AS_OF, _HISTORY_DIR, _HISTORY_REV)


# Written into every built site's folder: ``ledger.py build --out`` replaces
# a folder only when it holds this file (a previous build) or is empty.
SITE_MARKER = ".ledger-site"
SITE_MARKER_TEXT = "这个文件夹由整改台账的网站构建生成，再次构建时会被整个替换。\n"


def mark_site(site_dir: str | Path) -> None:
    (Path(site_dir) / SITE_MARKER).write_text(SITE_MARKER_TEXT, encoding="utf-8")


class SiteSetupError(Exception):
    """A build setting is wrong; the message is for the user, in Chinese."""


@dataclass(frozen=True)
class BuildEnv:
    ledger_dir: str | None = None
    as_of: dt.date | None = None
    history_dir: str | None = None
    history_rev: str | None = None
    form_proxy: str | None = None  # e.g. http://127.0.0.1:8081/api/v1

    def to_env(self) -> dict[str, str]:
        """The variables to add to the MkDocs process's environment."""
        values = {_DIR: self.ledger_dir, _AS_OF: self.as_of.isoformat() if self.as_of else None,
                  _HISTORY_DIR: self.history_dir, _HISTORY_REV: self.history_rev, _FORM_PROXY: self.form_proxy}
        return {name: value for name, value in values.items() if value}

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> BuildEnv:
        return cls(env.get(_DIR) or None, _day(env.get(_AS_OF)), env.get(_HISTORY_DIR) or None,
                   env.get(_HISTORY_REV) or None, env.get(_FORM_PROXY) or None)


def _day(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise SiteSetupError(f"环境变量 {_AS_OF} 的值“{value}”不是日期，应写成 2023-03-31 的格式。") from None
