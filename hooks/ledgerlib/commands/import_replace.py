"""What an import replaces: the ledger that was in the folder, and its history.

An imported ledger is the unit's own from its first commit. The ledger it
replaces (the sample, or an earlier import) leaves nothing behind: its
problem files and ``report/`` go with the folder (ledgerwriter), and its
narratives elsewhere (the sample's docs/report/) and the evidence files its
problems cite go here, as ``init`` removes them. ledger.yml records
``history_after``, so that the history, the progress chart and the change
log start at the import, not with the sample's 17 problems.
"""

from __future__ import annotations

from pathlib import Path

from ..importmodel import ImportResult
from ..ledgers import repo_root_of
from .init import Removal, git_head, removal_plan


def replaced_files(folder: Path, result: ImportResult) -> Removal:
    """The previous ledger's files outside ``folder``, read before it is overwritten.
    Evidence the imported problems cite themselves (an export of this very
    ledger imported again) stays."""
    repo = repo_root_of(folder)
    plan = removal_plan(folder, repo)
    cited = [f for p in result.problems for f in (*p.evidence_files, *(f for m in p.measure_rows for f in m.evidence_files))]
    keep = {(repo / f).resolve() for f in cited if f}
    plan.evidence = [path for path in plan.evidence if path not in keep]
    inside = Path(folder).resolve()  # written anew by ledgerwriter, not removed afterwards
    plan.narratives = [path for path in plan.narratives if not path.is_relative_to(inside)]
    return plan


def history_tail(folder: Path) -> list[str]:
    """ledger.yml's last lines: the commit the imported ledger starts after."""
    start = git_head(repo_root_of(folder))
    if not start:
        return []
    return ["",
            "# 本台账由导入生成，从这次提交开始：变更记录和“整改进度变化”图只读取它之后的提交，",
            "# 此前（如示例台账）的历史不显示。由 ledger.py import 自动填写，请勿修改。",
            f"history_after: {start}"]


def removed_lines(plan: Removal, repo: Path) -> list[str]:
    """The summary's account of what the import removed besides the folder's own files."""
    outside = plan.narratives + plan.evidence
    if not outside:
        return []
    shown = "、".join(_shown(p, repo) for p in outside[:5]) + ("等" if len(outside) > 5 else "")
    return [f"原有台账的报告叙述和佐证材料 {len(outside)} 个文件已删除（{shown}），导入的台账不再沿用。"]


def _shown(path: Path, repo: Path) -> str:
    try:
        return path.resolve().relative_to(repo.resolve()).as_posix()
    except ValueError:
        return str(path)
