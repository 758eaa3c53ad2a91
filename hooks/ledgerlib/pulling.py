"""``ledger.py pull``: fetch each unit's ledger, check it, keep it as ``issues/<name>/``.

A Git source is fetched with the least the protocol allows without server
settings: one commit (``--depth 1``), no tags, no history, into a bare cache
repository under ``.ledger-cache/`` (not committed) that later pulls reuse.
Its tree is unpacked into a temporary folder (``tarfile``'s ``data`` filter:
no path outside it, no device, no link out) and loaded by the ordinary
loader, as the unit's own ``validate`` would. A URL source is read with a
timeout and a size limit and checked against the schema. Either way the
ledger then goes through its published form (``ledgerdata`` →
``import_json``), is written and loaded again in a staging folder, and only
then replaces ``issues/<name>/``: the cache only ever holds data that loads.

A failure (unreachable, invalid) keeps the last good folder and pin and marks
the source stale with the reason; so does data older than ``stale_days``
(that data is taken, being the newest there is). The caller prints the
summary and exits non-zero when any source is not fresh.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import shutil
import subprocess
import tarfile
import tempfile
import urllib.error
import urllib.request
from dataclasses import dataclass, replace
from pathlib import Path

from .aggregate import standing
from .errors import errors_of
from .gitrun import run_git
from .import_json import MAX_BYTES, DataInvalid, parse_data, write_folder
from .ledgerdata import ledger_data
from .ledgers import LedgerChoiceError, check_collection, choose, collection_root
from .sources import LockEntry, Source, SourcesConfig, now, read_lock, write_lock

CACHE_DIR = ".ledger-cache"
GIT_TIMEOUT = 300  # seconds for one fetch
HTTP_TIMEOUT = 30
_SHOWN_ERRORS = 3


class SourceFailed(Exception):
    """The source gave no usable data; the message says why, in Chinese."""


@dataclass(frozen=True)
class Fetched:
    data: dict | None  # None: the same commit or file as the pin, already in issues/<name>/
    commit: str = ""
    sha256: str = ""


def pull(repo: Path, config: SourcesConfig, *, only: set[str] | None = None,
         today: dt.date | None = None) -> list[LockEntry]:
    """Pull every source (or those in ``only``), update the lock; the entries pulled, in order."""
    repo = Path(repo)
    today = today or dt.date.today()
    lock, _ = read_lock(repo)
    lock = {name: entry for name, entry in lock.items() if name in {s.name for s in config.sources}}
    pulled = []
    for source in config.sources:
        if only is not None and source.name not in only:
            continue
        lock[source.name] = pull_one(repo, source, lock.get(source.name), config.stale_days, today)
        pulled.append(lock[source.name])
        write_lock(repo, lock)  # after each: an interrupted pull keeps what it finished
    write_lock(repo, lock)
    return pulled


def pull_one(repo: Path, source: Source, previous: LockEntry | None, stale_days: int,
             today: dt.date) -> LockEntry:
    checked = now()
    kept = previous if previous and previous.status != "failed" and (repo / "issues" / source.name).is_dir() else None
    try:
        fetched = fetch_git(repo, source, today, kept) if source.git else fetch_url(source, kept)
        if fetched.data is not None:
            store(repo, source.name, fetched.data)
    except SourceFailed as exc:
        if kept is None:
            return LockEntry(source.name, source.kind, source.location, "failed", str(exc), checked=checked)
        return replace(kept, status="stale", reason=str(exc), checked=checked, location=source.location)
    if fetched.data is None:  # the pinned data again: nothing to write, only its age to check
        as_of, unit, fetched_at = kept.as_of, kept.unit, kept.fetched
    else:
        as_of, unit, fetched_at = fetched.data["as_of"], fetched.data["ledger"]["unit"], checked
    age = (today - dt.date.fromisoformat(as_of)).days
    status, reason = ("stale", f"数据截至{as_of}，已 {age} 天未更新（超过 {stale_days} 天）") if age > stale_days else ("ok", "")
    return LockEntry(source.name, source.kind, source.location, status, reason, commit=fetched.commit,
                     sha256=fetched.sha256, fetched=fetched_at, checked=checked, as_of=as_of, unit=unit)


# -- Git ---------------------------------------------------------------------------------


def fetch_git(repo: Path, source: Source, today: dt.date, kept: LockEntry | None) -> Fetched:
    cache = repo / CACHE_DIR / "git" / source.name
    if not (cache / "HEAD").is_file():
        cache.mkdir(parents=True, exist_ok=True)
        _git(["init", "--bare", "--quiet", str(cache)], repo, "无法建立缓存仓库")
    _git(["fetch", "--quiet", "--depth", "1", "--no-tags", "--no-write-fetch-head", source.git,
          f"+{source.ref}:refs/pulled/head"], cache, f"无法从“{source.git}”取得“{source.ref}”")
    commit = _git(["rev-parse", "--verify", "refs/pulled/head^{commit}"], cache, "取回的不是提交").decode().strip()
    if kept is not None and kept.commit == commit:
        return Fetched(None, commit=commit)
    tar = _git(["archive", "--format=tar", commit], cache, "无法读出提交的文件")
    with tempfile.TemporaryDirectory(prefix="ledger-pull-") as tmp:
        tree = Path(tmp) / "tree"
        tree.mkdir()
        try:
            with tarfile.open(fileobj=io.BytesIO(tar)) as archive:
                archive.extractall(tree, filter="data")
        except (tarfile.TarError, OSError) as exc:
            raise SourceFailed(f"提交 {commit[:7]} 的文件无法展开（{exc}）") from None
        (tree / ".git").mkdir(exist_ok=True)  # the repository's root, where evidence paths start
        ledger = _load(tree, source, commit)
        return Fetched(ledger_data(ledger, standing(ledger, None, today), commit=commit[:7]), commit=commit)


def _load(tree: Path, source: Source, commit: str):
    try:
        ref = choose(tree / source.path)
    except LedgerChoiceError as exc:
        raise SourceFailed(f"提交 {commit[:7]} 的 {source.path}：{exc}") from None
    collection, diagnostics = check_collection(collection_root(ref.path), repo_root=tree, only=ref)
    if collection is None:
        errors = errors_of(diagnostics)
        shown = "；".join(str(d) for d in errors[:_SHOWN_ERRORS])
        more = f"等 {len(errors)} 处" if len(errors) > _SHOWN_ERRORS else ""
        raise SourceFailed(f"提交 {commit[:7]} 的台账未通过校验：{shown}{more}")
    return collection.ledgers[0]


def _git(args: list[str], cwd: Path, what: str) -> bytes:
    try:
        result = run_git(args, cwd, timeout=GIT_TIMEOUT)
    except subprocess.TimeoutExpired:
        raise SourceFailed(f"{what}：超过 {GIT_TIMEOUT} 秒没有完成") from None
    except OSError:
        raise SourceFailed("没有安装 Git，无法拉取 Git 仓库") from None
    if result.returncode != 0:
        raise SourceFailed(f"{what}：{git_reason(result.stderr.decode('utf-8', 'replace'))}")
    return result.stdout


# git's messages (C locale) -> what IT is to check, in Chinese
_GIT_REASONS = (
    (("does not appear to be a git repository", "repository not found", "not found"), "仓库不存在，或地址写错"),
    (("could not resolve host", "connection refused", "timed out", "failed to connect", "network is unreachable"),
     "连不上服务器"),
    (("authentication failed", "could not read username", "permission denied", "403", "401"),
     "没有读取权限（请信息化部门授予只读权限，见编写指南“汇总仓库”一节）"),
    (("couldn't find remote ref",), "找不到这个分支或标签"),
)


def git_reason(stderr: str) -> str:
    """The reason in Chinese, with git's own first error line for IT."""
    lower = stderr.lower()
    first = next((line.strip() for line in stderr.splitlines() if line.lower().startswith(("fatal:", "error:"))),
                 stderr.strip().splitlines()[0] if stderr.strip() else "")
    reason = next((text for keys, text in _GIT_REASONS if any(k in lower for k in keys)), "Git 出错")
    return f"{reason}（{first}）" if first else reason


# -- HTTP --------------------------------------------------------------------------------


def fetch_url(source: Source, kept: LockEntry | None) -> Fetched:
    request = urllib.request.Request(source.url, headers={"User-Agent": "ledger-rollup"})
    try:
        with urllib.request.urlopen(request, timeout=HTTP_TIMEOUT) as response:
            raw = response.read(MAX_BYTES + 1)
    except urllib.error.HTTPError as exc:
        raise SourceFailed(f"“{source.url}”返回 {exc.code}（{exc.reason}）") from None
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise SourceFailed(f"无法连接“{source.url}”（{reason}）") from None
    digest = hashlib.sha256(raw).hexdigest()
    if kept is not None and kept.sha256 == digest:
        return Fetched(None, sha256=digest)
    try:
        data = parse_data(raw, "data/ledger.json")
    except DataInvalid as exc:
        shown = "；".join(exc.messages[:_SHOWN_ERRORS])
        raise SourceFailed(f"“{source.url}”的数据不符合格式：{shown}") from None
    return Fetched(data, sha256=digest)


# -- the cache -----------------------------------------------------------------------------


def store(repo: Path, name: str, data: dict) -> None:
    """Write ``issues/<name>/`` from ``data`` once a staging copy has loaded."""
    staging = repo / CACHE_DIR / "staging"
    shutil.rmtree(staging, ignore_errors=True)
    (staging / ".git").mkdir(parents=True)
    try:
        write_folder(data, staging / "issues" / name, freeze_as_of=True)
        collection, diagnostics = check_collection(staging / "issues", repo_root=staging)
        if collection is None:
            errors = errors_of(diagnostics)
            raise SourceFailed("数据未通过校验：" + "；".join(str(d) for d in errors[:_SHOWN_ERRORS]))
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    write_folder(data, repo / "issues" / name, freeze_as_of=True,
                 header=f"由 ledger.py pull 从单位数据生成（{data['ledger']['unit']}），请勿手改：下次拉取会覆盖。")
