"""CODEOWNERS from the ledger: each problem file is reviewed by its departments.

ledger.yml maps departments to Git accounts::

    codeowners:
      "*": [zhenggaiban]          # reviews everything no department claims
      办公室: [wang.li, zhang.wei]

GitLab, GitHub and Gitea all read CODEOWNERS at the repository root with the
same basic syntax; the last matching line wins, so the catch-all comes first.
Only syntax all three share is written: no escapes for "#", "[", "!".
"""

from __future__ import annotations

import difflib
import re

from . import constants as C
from .model import Ledger

CATCH_ALL = "*"
HEADER = (
    "# 本文件由 scripts/ledger.py codeowners 根据 issues/ledger.yml 的 codeowners 生成，请勿手工修改；\n"
    "# 改动责任部门或审核人后重新运行该命令。每个问题文件由其责任部门的账号审核。\n"
)
_ACCOUNT = re.compile(r"^@?[\w.\-/]+$|^[^@\s]+@[^@\s]+\.[^@\s]+$")
_UNPORTABLE = re.compile(r"[#\[\]!*?\\\n]")  # no shared way to escape these


def account(name: str) -> str:
    """``wang.li`` -> ``@wang.li``; e-mail addresses stay as they are."""
    return name if name.startswith("@") or "@" in name else "@" + name


def render(ledger: Ledger) -> tuple[str, list[str]]:
    """Return the CODEOWNERS text and the problems found (in Chinese)."""
    text, problems = _lines(ledger, CATCH_ALL)
    return HEADER + text, problems


def render_all(ledgers: list[Ledger]) -> tuple[str, list[str]]:
    """One CODEOWNERS for several ledgers (issues/<name>/): each ledger's "*"
    reviews its own folder, not the whole repository."""
    texts, problems = [], []
    for ledger in ledgers:
        folder = ledger.root.relative_to(ledger.repo_root).as_posix()
        text, found = _lines(ledger, f"/{folder}/")
        texts.append(text)
        problems += found
    return HEADER + "".join(texts), problems


def _lines(ledger: Ledger, catch_all: str) -> tuple[str, list[str]]:
    problems = check_mapping(ledger)
    lines = []
    fallback = [account(a) for a in ledger.codeowners.get(CATCH_ALL, [])]
    if fallback:
        lines.append(f"{catch_all} {' '.join(fallback)}\n")
    for issue in sorted(ledger.issues, key=lambda i: i.rel_path):
        owners = _accounts_of(ledger, issue.owners)
        if not owners:
            problems.append(f"{issue.rel_path}: 责任部门“{issue.owner_text}”没有在 codeowners 中登记审核账号"
                            + ("，由“*”的账号审核。" if fallback else "，没有人负责审核。"))
            continue
        if _UNPORTABLE.search(issue.rel_path):
            problems.append(f"{issue.rel_path}: 文件名含有 # [ ] ! * ? \\ 等符号，无法写入 CODEOWNERS；请改用只含汉字、字母、数字和“-”的文件名。")
            continue
        path = "/" + issue.rel_path.replace(" ", "\\ ")
        lines.append(f"{path} {' '.join(owners)}\n")
    lines += signoff_lines(ledger, problems)
    return "".join(lines), problems


def signoff_path(ledger: Ledger) -> str:
    """issues/signoff.yml relative to the repository, whether it exists yet or not."""
    if ledger.signoff_path:
        return ledger.signoff_path
    try:
        folder = ledger.root.relative_to(ledger.repo_root).as_posix()
    except ValueError:  # a ledger folder outside the repository: name it as the loader does
        folder = ledger.root.name
    return C.SIGNOFF_FILE if folder in ("", ".") else f"{folder}/{C.SIGNOFF_FILE}"


def signoff_lines(ledger: Ledger, problems: list[str]) -> list[str]:
    """Only the 巡察办 (the 销号 accounts) may approve a sign-off: the register
    is theirs, last in the file so that no other line overrides it."""
    accounts = [account(a) for a in ledger.codeowners.get(C.SIGNOFF_OWNERS, [])]
    if not accounts:
        if ledger.signoff_path:
            problems.append(f"ledger.yml: codeowners 中没有“{C.SIGNOFF_OWNERS}”的审核账号，销号登记表 "
                            f"{ledger.signoff_path} 将由“*”的账号审核；请登记巡察办的账号，例如 {C.SIGNOFF_OWNERS}: [xunchaban]。")
        return []
    path = signoff_path(ledger)
    if _UNPORTABLE.search(path):
        problems.append(f"{path}: 路径含有 # [ ] ! * ? \\ 等符号，无法写入 CODEOWNERS。")
        return []
    escaped = "/" + path.replace(" ", "\\ ")
    return [f"{escaped} {' '.join(accounts)}\n"]


def _accounts_of(ledger: Ledger, departments: tuple[str, ...]) -> list[str]:
    found: list[str] = []
    for department in departments:
        for name in ledger.codeowners.get(department, []):
            if account(name) not in found:
                found.append(account(name))
    return found


def check_mapping(ledger: Ledger) -> list[str]:
    """Departments no problem uses (often a typo) and malformed accounts."""
    used = {owner for issue in ledger.issues for owner in issue.owners}
    problems = []
    for department, names in ledger.codeowners.items():
        if department not in (CATCH_ALL, C.SIGNOFF_OWNERS) and department not in used:
            close = difflib.get_close_matches(department, sorted(used), n=1, cutoff=0.5)
            hint = f"是否应为“{close[0]}”？" if close else ""
            problems.append(f"ledger.yml: codeowners 中的“{department}”不是任何问题的责任部门。{hint}")
        for name in names:
            if not _ACCOUNT.match(name):
                problems.append(f"ledger.yml: codeowners.{department} 的账号“{name}”格式不对；应为 Git 服务器上的用户名（如 wang.li）、@组名 或邮箱。")
    return problems
