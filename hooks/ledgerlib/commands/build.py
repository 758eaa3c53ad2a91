"""ledger.py build [--as-of YYYY-MM-DD] [--out DIR]: build the site and report.

With ``--as-of``, the ledger is rebuilt as it stood at the end of that day:
the last mainline commit on or before the day is found (dates as in the
problem timelines: the committer's local day), and its ledger folder, report
narratives (docs/report/) and evidence (docs/evidence/) are exported into a
temporary copy of the *current* site inputs, which is then built. The current
hooks, templates and styles are used on purpose: a unit regenerating an old
report wants today's fixes and layout with the old facts. The old ledger must
therefore still validate under today's rules; if not, the build stops with
the usual file:line messages.

MkDocs runs as a subprocess so that this package never imports it.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sys
import tempfile
from pathlib import Path

from .. import snapshot
from ..atomicfs import Replacement, SwapFailed
from ..buildenv import SITE_MARKER, BuildEnv
from ..cli import REPO
from ..fields import parse_date
from ..gitrun import run_git
from ..ledgers import collection_root
from ..mkdocsrun import run_mkdocs

# Taken from the old commit (with the ledger); everything else comes from the working tree.
HISTORICAL_PATHS = snapshot.HISTORICAL_PATHS
CURRENT_INPUTS = ("mkdocs.yml", "docs", "hooks")


class BuildError(Exception):
    """A Chinese message for the user; the command exits with 1."""


def add_arguments(parser) -> None:
    parser.add_argument("--as-of", metavar="YYYY-MM-DD",
                        help="按该日结束时的台账重建网站和报告（取该日及之前的最后一次提交）")
    parser.add_argument("--out", metavar="文件夹", help="输出文件夹（默认 site/；按日期重建时默认 site-YYYY-MM-DD/）")


def run(args) -> int:
    # The site holds every ledger beside the chosen one (issues/<name>/).
    ledger_dir = collection_root(Path(args.ledger)).resolve()
    try:
        if args.as_of is None:
            out = Path(args.out or REPO / "site").resolve()
            check_out(out)
            _mkdocs_build(REPO, out, BuildEnv(ledger_dir=_inside_repo(ledger_dir)))
            print(f"已生成网站：{out}")
            return 0
        day = _parse_day(args.as_of)
        out = Path(args.out or REPO / f"site-{day.isoformat()}").resolve()
        check_out(out)  # before the export from git, which takes a while
        commit = _build_as_of(ledger_dir, day, out)
    except BuildError as exc:
        print(exc, file=sys.stderr)
        return 1
    sha, when, author = commit
    print(f"已生成 {out}：台账在 {day} 当天结束时的状态（取自提交 {sha[:7]}，{when.date()}，{author}）。")
    return 0


def _parse_day(text: str) -> dt.date:
    try:
        return parse_date(text)
    except ValueError as exc:
        raise BuildError(str(exc)) from None


def _inside_repo(ledger_dir: Path) -> str:
    try:
        return ledger_dir.relative_to(REPO).as_posix()
    except ValueError:
        raise BuildError(f"台账文件夹 {ledger_dir} 不在仓库 {REPO} 之内，无法用本仓库的网站配置生成。") from None


def _build_as_of(ledger_dir: Path, day: dt.date, out: Path) -> tuple[str, dt.datetime, str]:
    ledger_rel = _inside_repo(ledger_dir)
    toplevel, shallow = _git_root(ledger_dir)
    commit = _last_commit_on(toplevel, day, shallow)
    repo_prefix = os.path.relpath(REPO, toplevel).replace(os.sep, "/")
    repo_prefix = "" if repo_prefix == "." else repo_prefix + "/"
    with tempfile.TemporaryDirectory(prefix="ledger-as-of-") as tmp:
        work = Path(tmp) / "repo"
        _copy_current_inputs(work)
        wanted = (ledger_rel, *HISTORICAL_PATHS)
        _export(toplevel, commit[0], repo_prefix, wanted, work)
        if not (work / ledger_rel).is_dir():
            raise BuildError(f"提交 {commit[0][:7]}（{commit[1].date()}）中还没有台账文件夹 {ledger_rel}，无法重建。")
        _mkdocs_build(work, out, BuildEnv(ledger_dir=ledger_rel, as_of=day, history_dir=str(ledger_dir),
                                          history_rev=commit[0]))
    return commit


def _git_root(ledger_dir: Path) -> tuple[Path, bool]:
    try:
        return snapshot.git_root(ledger_dir)
    except snapshot.SnapshotError as exc:
        raise BuildError(str(exc)) from None


def _last_commit_on(toplevel: Path, day: dt.date, shallow: bool) -> tuple[str, dt.datetime, str]:
    """The newest mainline commit whose (committer's local) date is on or before ``day``."""
    result = run_git(["log", "--first-parent", "--format=%H%x1f%cI%x1f%an", "HEAD"], toplevel)
    if result.returncode != 0:
        raise BuildError("Git 仓库中还没有任何提交，无法按日期重建。")
    earliest = None
    for line in result.stdout.decode("utf-8", "replace").splitlines():
        sha, when, author = line.split("\x1f", 2)
        moment = dt.datetime.fromisoformat(when)
        if moment.date() <= day:
            return sha, moment, author
        earliest = moment.date()
    hint = "（这是浅克隆，更早的提交没有下载；请先运行 git fetch --unshallow 取得完整历史。）" if shallow else ""
    raise BuildError(f"{day} 及之前没有任何提交，无法重建；仓库中最早的提交在 {earliest}。{hint}")


def _copy_current_inputs(work: Path) -> None:
    work.mkdir(parents=True)
    skip = shutil.ignore_patterns("__pycache__")
    for name in CURRENT_INPUTS:
        src = REPO / name
        if src.is_dir():
            shutil.copytree(src, work / name, ignore=skip)
        elif src.is_file():
            shutil.copy2(src, work / name)
    for rel in HISTORICAL_PATHS:  # replaced by the old commit's version, or absent as then
        shutil.rmtree(work / rel, ignore_errors=True)


def _export(toplevel: Path, sha: str, repo_prefix: str, wanted: tuple[str, ...], work: Path) -> None:
    try:
        snapshot.export(toplevel, sha, repo_prefix, wanted, work)
    except snapshot.SnapshotError as exc:
        raise BuildError(str(exc)) from None


def check_out(out: Path) -> None:
    """The output folder is replaced whole: only a previous build's (it holds
    buildenv.SITE_MARKER) or an empty one, never a folder of the user's."""
    if not out.exists():
        return
    if not out.is_dir():
        raise BuildError(f"“{out}”是一个文件，不是文件夹；未做任何修改。请用 --out 指定一个新的或空的文件夹。")
    if (out / SITE_MARKER).is_file() or not any(out.iterdir()):
        return
    raise BuildError(f"“{out}”不是空文件夹，也不是以前构建生成的网站（里面没有 {SITE_MARKER} 标记），"
                     f"构建会删除其中的全部内容，因此未做任何修改。请用 --out 指定一个新的或空的文件夹。")


def _mkdocs_build(config_dir: Path, out: Path, build_env: BuildEnv) -> None:
    """Strict build into a folder beside ``out`` (checked by check_out),
    swapped in only on success (atomicfs)."""
    try:
        with Replacement() as swap:
            staging = swap.folder(out)
            # Not captured: MkDocs's own messages (file:line of a bad problem) are for the user.
            result = run_mkdocs(config_dir / "mkdocs.yml", staging, build_env=build_env, capture=False)
            if result.returncode != 0:
                raise BuildError("网站生成失败（原因见上面的提示），输出文件夹未改动。")
    except SwapFailed as exc:
        raise BuildError(f"网站已生成，但{exc.strerror}；输出文件夹保持原样（可能有程序正在使用其中的文件）。") from None
