"""ledger.py nest NAME: turn a single-ledger repository into a multi-ledger one.

Everything in issues/ moves into issues/NAME/. The report's narrative files
that ledger.yml names outside the ledger folder (the sample's
../docs/report/*.md) move into issues/NAME/report/, and ledger.yml is edited
in place to point at them: each ledger carries its own narratives. Evidence
paths are relative to the repository root and stay valid as they are.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from .. import constants as C
from ..atomicfs import Replacement, link_copy, link_tree, write_new
from ..ledgerfile import narrative_nodes
from ..ledgers import collection_root, discover
from ..yamlnodes import Scalar, YamlSyntaxError, parse

# A folder name that is also a URL segment and a follows: prefix.
_NAME = re.compile(r"^[^/\\:*?\"<>|#%\s.][^/\\:*?\"<>|#%\s]*$")
_KEEP = ("README.md",)  # describes issues/ itself


def add_arguments(parser) -> None:
    parser.add_argument("name", help="原台账的新文件夹名，例如 2023-区委巡察（不含空格和 / 等符号）")


def run(args) -> int:
    root = collection_root(Path(args.ledger)).resolve()
    if not (root / C.LEDGER_FILE).is_file():
        found = "、".join(ref.name for ref in discover(root))
        message = (f"{root} 已经是每个台账一个子文件夹的形式（{found}），无需再转换。" if found
                   else f"{root} 中没有 {C.LEDGER_FILE}，不是台账文件夹；请用 --ledger 指定。")
        print(message, file=sys.stderr)
        return 1
    if not _NAME.match(args.name):
        print(f"文件夹名“{args.name}”不可用：不能含空格、/、\\、:、*、?、\"、<、>、|、#、%，也不能以 . 开头。"
              f"例如 2023-区委巡察。", file=sys.stderr)
        return 2
    dest = root / args.name
    if dest.exists():
        print(f"{dest} 已存在；请换一个文件夹名。", file=sys.stderr)
        return 1
    ledger_text = (root / C.LEDGER_FILE).read_text(encoding="utf-8-sig")
    try:
        narratives = narrative_values(ledger_text)
    except YamlSyntaxError as exc:
        print(f"{root / C.LEDGER_FILE}:{exc.line}: YAML 格式错误：{exc.hint}。请先修正（ledger.py validate）。", file=sys.stderr)
        return 1
    # The new issues/ is built beside the old one and swapped in with the
    # narratives' removal, or nothing changes (atomicfs).
    with Replacement() as swap:
        stage = swap.folder(root, keep=_stays)
        moved = move_ledger(root, stage / args.name)
        ledger_text, outside = adopt_narratives(ledger_text, narratives, root, stage / args.name, swap)
        write_new(stage / args.name / C.LEDGER_FILE, ledger_text)
    for old, _ in outside:
        _remove_if_empty((root / old).resolve().parent, root)
    print(f"已把台账移入 {dest}（{moved} 个文件或文件夹）。")
    for old, new in outside:
        print(f"  叙述部分 {old} → {new}")
    print(f"页面地址改为 {args.name}/…；首页成为各台账的汇总。增加台账：ledger.py --ledger "
          f"{root.name}/新台账名 init …。如使用 CODEOWNERS，请重新运行 ledger.py codeowners。"
          f"确认无误后提交全部改动（git add -A）。")
    return 0


def narrative_values(text: str) -> list[Scalar]:
    """The report's narrative file paths in ledger.yml, with their lines."""
    return narrative_nodes(parse(text))


def _stays(rel: Path) -> bool:
    """What stays at the top of issues/ (README.md, hidden files)."""
    return rel.parts[0].startswith(".") or rel.parts[0] in _KEEP


def move_ledger(root: Path, dest: Path) -> int:
    """Copy (hard links) everything that moves into ``dest``; the swap drops the originals."""
    link_tree(root, dest, keep=lambda rel: not _stays(rel))
    return sum(1 for p in root.iterdir() if not _stays(Path(p.name)))


def _remove_if_empty(folder: Path, root: Path) -> None:
    if folder != root.parent and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()  # docs/report/ emptied: nothing else uses it


def adopt_narratives(text: str, values: list[Scalar], root: Path, dest: Path,
                     swap: Replacement) -> tuple[str, list[tuple[str, str]]]:
    """Move narratives from outside the ledger folder into dest/report/ (a
    copy there, the original removed by ``swap``) and point ledger.yml at
    them. The edit is made on the value's own line, so comments and layout
    stay as the user wrote them."""
    lines = text.split("\n")
    moved = []
    for value in values:
        source = (root / value.text).resolve()
        if source.is_relative_to(root) or not source.is_file():
            continue  # moved along with the folder (or missing: validate says so)
        target = dest / "report" / source.name
        n = 1
        while target.exists():
            n += 1
            target = dest / "report" / f"{source.stem}-{n}{source.suffix}"
        link_copy(source, target)
        swap.remove(source)
        new = target.relative_to(dest).as_posix()
        lines[value.line - 1] = lines[value.line - 1].replace(value.text, new, 1)
        moved.append((value.text, new))
    return "\n".join(lines), moved
