"""A roll-up repository's sources: ``sources.yml`` (what to pull) and ``sources.lock`` (what was pulled).

A 巡察办's roll-up keeps no unit's repository: ``ledger.py pull`` fetches each
unit's ledger (a Git remote, or the ``data/ledger.json`` its site publishes),
checks it, writes it as ``issues/<name>/`` and records the pin here. The
build reads only the lock and those folders: offline and reproducible.

``sources.yml`` is typed by people and checked like ledger.yml (path:line,
Chinese, all errors at once); ``sources.lock`` is written by ``pull`` only
(JSON, one entry per source) and read back leniently: a damaged lock is a
warning on the roll-up page, never a failed build.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import asdict, dataclass
from pathlib import Path

from . import fields as F
from .errors import Diagnostics
from .fields import Where
from .textfile import read_yaml
from .yamlnodes import Map, Scalar

SOURCES_FILE = "sources.yml"
LOCK_FILE = "sources.lock"
LOCK_VERSION = 1
DEFAULT_STALE_DAYS = 45  # a unit reports monthly; half a month of grace
# A source's name becomes its folder under issues/ and its pages' URL prefix.
_NAME = re.compile(r"^[\w\u4e00-\u9fff][\w\u4e00-\u9fff.-]{0,63}$")
_SCHEMES = ("http://", "https://", "file://", "ssh://", "git@", "/")


@dataclass(frozen=True)
class Source:
    """One entry of sources.yml: a Git remote (``git``, ``ref``, ``path``) or a published file (``url``)."""

    name: str
    git: str = ""
    ref: str = "main"
    path: str = "issues"  # the ledger folder inside the unit's repository
    url: str = ""  # a unit site's data/ledger.json
    line: int = 1

    @property
    def kind(self) -> str:
        return "git" if self.git else "url"

    @property
    def location(self) -> str:
        return f"{self.git} {self.ref}:{self.path}" if self.git else self.url


@dataclass(frozen=True)
class SourcesConfig:
    sources: tuple[Source, ...]
    stale_days: int = DEFAULT_STALE_DAYS


@dataclass(frozen=True)
class LockEntry:
    """What ``pull`` last found for a source; ``status`` "ok", "stale" or "failed" (never any data)."""

    name: str
    kind: str
    location: str
    status: str
    reason: str = ""  # why stale or failed, in Chinese
    commit: str = ""  # the pinned commit (git)
    sha256: str = ""  # the pinned file's hash (url)
    fetched: str = ""  # when the pinned data was fetched (UTC, ISO 8601)
    checked: str = ""  # the last attempt, successful or not
    as_of: str = ""  # the data's own as-of day
    unit: str = ""

    @property
    def pin(self) -> str:
        return self.commit or self.sha256

    @property
    def stale(self) -> bool:
        return self.status != "ok"


def read_config(repo: Path, diags: Diagnostics) -> SourcesConfig | None:
    """sources.yml, every fault reported; None when it cannot be read at all."""
    path = Path(repo) / SOURCES_FILE
    if not path.is_file():
        diags.error(SOURCES_FILE, 1, SOURCES_FILE, "找不到 sources.yml；汇总仓库请先运行 ledger.py init --rollup。")
        return None
    usable, node = read_yaml(path, SOURCES_FILE, SOURCES_FILE, diags)
    if not usable:
        return None
    if not isinstance(node, Map):
        diags.error(SOURCES_FILE, 1, SOURCES_FILE, "内容应为“字段: 值”的形式（stale_days 和 sources）。")
        return None
    F.check_keys(node, ("stale_days", "sources"), SOURCES_FILE, diags)
    at = Where(SOURCES_FILE, node.key_lines.get("stale_days", 1), "stale_days")
    stale_days = F.positive_int(node.entries["stale_days"], at, diags) if "stale_days" in node.entries else None
    listed = node.entries.get("sources")
    if not isinstance(listed, Map) or not listed.entries:
        diags.error(SOURCES_FILE, node.key_lines.get("sources", 1), "sources",
                    "请在 sources 下按“名称: 来源”列出各单位，例如 县财政局: {git: http://git.example/czj/zg.git}。")
        return None
    found = [_source(name, value, listed.key_lines[name], diags) for name, value in listed.entries.items()]
    for name, line in listed.duplicates:
        diags.error(SOURCES_FILE, line, f"sources.{name}", "名称重复；每个单位只写一次。")
    return SourcesConfig(tuple(s for s in found if s), stale_days or DEFAULT_STALE_DAYS)


def _source(name: str, node, line: int, diags: Diagnostics) -> Source | None:
    w = Where(SOURCES_FILE, line, f"sources.{name}")
    if not _NAME.match(name):
        F.error(diags, w, f"名称“{name}”将作为文件夹名和网址，只能用汉字、字母、数字、“-”“_”“.”，不以“.”开头。")
        return None
    if isinstance(node, Scalar):  # 名称: http://…/data/ledger.json
        node = Map({"url": node}, {"url": node.line}, node.line)
    if not isinstance(node, Map):
        F.error(diags, w, "应写成 git: 仓库地址（可加 ref、path）或 url: 网站上的 data/ledger.json 地址。")
        return None
    F.check_keys(node, ("git", "ref", "path", "url"), SOURCES_FILE, diags)
    e = node.entries

    def text(key: str) -> str:
        return F.text(e.get(key), Where(SOURCES_FILE, node.key_lines.get(key, line), f"sources.{name}.{key}"), diags) or ""

    git, url = text("git"), text("url")
    if bool(git) == bool(url):
        F.error(diags, w, "git 和 url 须写且只写一个：git 是单位台账仓库的地址，url 是其网站 data/ledger.json 的地址。")
        return None
    if git and not git.startswith(_SCHEMES):
        F.error(diags, w, f"“{git}”不像 Git 仓库地址；请写 http(s)://、ssh:// 或 file:// 开头的地址。")
        return None
    if url and not url.startswith(("http://", "https://")):
        F.error(diags, w, f"“{url}”不是网址；请写 http:// 或 https:// 开头的 data/ledger.json 地址。")
        return None
    path = text("path") or "issues"
    if path.startswith("/") or ".." in Path(path).parts:
        F.error(diags, w, f"path“{path}”应为仓库内的相对路径，例如 issues 或 issues/2024-县委巡察。")
        return None
    return Source(name, git=git, ref=text("ref") or "main", path=path, url=url, line=line)


def read_lock(repo: Path) -> tuple[dict[str, LockEntry], str]:
    """The lock's entries by name, and a warning ("" when fine): a damaged
    lock is shown on the roll-up, it never stops a build."""
    path = Path(repo) / LOCK_FILE
    if not path.is_file():
        return {}, ""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        entries = {name: LockEntry(name=name, **{k: str(v) for k, v in item.items() if k != "name"})
                   for name, item in data["sources"].items()}
    except (ValueError, KeyError, TypeError, AttributeError):
        return {}, f"{LOCK_FILE} 已损坏，无法读取；请重新运行 ledger.py pull。"
    return entries, ""


def write_lock(repo: Path, entries: dict[str, LockEntry]) -> None:
    """Sorted by name, one field a line: a pull's change is a readable diff."""
    data = {"lock_version": LOCK_VERSION,
            "sources": {name: {k: v for k, v in asdict(entries[name]).items() if k != "name"} for name in sorted(entries)}}
    target = Path(repo) / LOCK_FILE
    staging = target.with_name(LOCK_FILE + ".writing")
    staging.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    staging.replace(target)


def now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
