"""ledger.py import 台账数据.json: a ledger's published data back into a ledger folder."""

from __future__ import annotations

import sys
from pathlib import Path

from ..import_json import DataInvalid, read_data, write_folder
from ..ledgerwriter import existing_ledger


def run_json(source: Path, out: Path, *, force: bool) -> int:
    """Exit code as for the other imports; the written folder is then validated by the caller."""
    if existing_ledger(out) and not force:
        print(f"“{out}”中已有台账，未做任何修改；确需覆盖请加 --force。", file=sys.stderr)
        return 1
    try:
        data = read_data(source)
    except DataInvalid as exc:
        print("导入失败，台账数据有以下问题：\n" + "\n".join(exc.messages), file=sys.stderr)
        return 1
    written = write_folder(data, out, header=f"台账基本信息，由 ledger.py import 从“{source.name}”导入。")
    print(f"已从“{source.name}”导入 {written.issues} 个问题，写入“{out}”。")
    for note in written.notes:
        print(f"  请核对：{note}")
    return 0
