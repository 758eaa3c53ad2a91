"""A ledger as it stood at an old commit, written out from git.

``ledger.py build --as-of`` rebuilds a whole site from an old commit, and
the 已报送文件 page rebuilds each issued document from its tag: both need
the ledger folder, its narratives (docs/report/) and its evidence
(docs/evidence/) as they were, which ``export`` writes into a folder.
"""

from __future__ import annotations

import io
import shutil
import tarfile
from pathlib import Path

from .gitrun import run_git

# Taken from the old commit besides the ledger folder.
HISTORICAL_PATHS = ("docs/report", "docs/evidence")


class SnapshotError(Exception):
    """A Chinese message for the user."""


def git_root(folder: Path) -> tuple[Path, bool]:
    """The repository holding ``folder``, and whether it is a shallow clone."""
    not_git = (f"台账文件夹 {folder} 不在 Git 仓库中（例如下载的压缩包），没有历史可以回溯；"
               f"请在仓库的克隆（git clone）中运行。")
    if not folder.is_dir():
        raise SnapshotError(f"找不到台账文件夹 {folder}。")
    try:
        result = run_git(["rev-parse", "--show-toplevel", "--is-shallow-repository"], folder)
    except OSError:
        raise SnapshotError("找不到 git 命令；需要安装 Git。") from None
    if result.returncode != 0:
        raise SnapshotError(not_git)
    toplevel, shallow = result.stdout.decode("utf-8", "replace").split("\n")[:2]
    return Path(toplevel), shallow.strip() == "true"


def export(toplevel: Path, sha: str, repo_prefix: str, wanted: tuple[str, ...], work: Path) -> None:
    """Write the old commit's versions of ``wanted`` (paths relative to the
    site's repository, which is ``repo_prefix`` inside git's) into ``work``."""
    paths = [repo_prefix + rel for rel in wanted]
    listed = run_git(["ls-tree", "-z", "--name-only", sha, "--", *paths], toplevel)
    present = [p for p in listed.stdout.decode("utf-8", "replace").split("\0") if p]
    if not present:
        return
    archive = run_git(["archive", "--format=tar", sha, "--", *present], toplevel)
    if archive.returncode != 0:
        raise SnapshotError(f"无法从提交 {sha[:7]} 导出台账：{archive.stderr.decode('utf-8', 'replace').strip()}")
    staging = work.parent / (work.name + "-old")
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(staging, filter="data")  # git's own output, still never trusted with paths
    for rel in wanted:
        src = staging / (repo_prefix + rel)
        if src.exists():
            dest = work / rel
            shutil.rmtree(dest, ignore_errors=True)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(src), dest)
