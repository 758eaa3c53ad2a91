"""ledger.py import: turn an existing report (.txt/.md/.docx) into a ledger folder."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from ..importer import ImportError_, ImportResult, import_report
from ..ledgerwriter import PENDING, LedgerExists, NotALedger, Written, write_ledger
from . import load_or_report

_MAX_SHOWN = 60  # characters of an unplaced paragraph shown in the summary


def add_arguments(parser) -> None:
    parser.add_argument("report", help="原有的整改情况报告：.txt、.md 或 .docx")
    parser.add_argument("--out", required=True, metavar="文件夹", help="生成的台账文件夹，例如 issues")
    parser.add_argument("--force", action="store_true", help="覆盖已有的台账（会删除该文件夹中原有的问题文件）")
    parser.add_argument("--completed", type=_date,
                        help="已完成问题的完成时间，例如 2023-06-30（默认取报告落款日期，没有落款则取今天）")


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{value}”不是日期；请写成 2023-06-30 的格式") from None


def run(args) -> int:
    source, out = Path(args.report), Path(args.out)
    if not source.is_file():
        print(f"找不到文件“{source}”。", file=sys.stderr)
        return 1
    try:
        result = import_report(source)
        written = write_ledger(result, out, force=args.force, completed=args.completed)
    except ImportError_ as exc:
        print(f"导入失败：{exc}", file=sys.stderr)
        return 1
    except LedgerExists:
        print(f"“{out}”中已有台账，未做任何修改；确需覆盖请加 --force。", file=sys.stderr)
        return 1
    except NotALedger:
        print(f"“{out}”不是台账文件夹（没有 ledger.yml）却有 .md 文件，未做任何修改；请换一个新的或空的文件夹。", file=sys.stderr)
        return 1
    print("\n".join(summary_lines(result, written)))
    return check_written(out)


def check_written(out: Path) -> int:
    """The written ledger must load; anything else is a bug worth showing."""
    ledger = load_or_report(out, "生成的台账未通过校验，请按上面的提示修改。")
    if ledger is None:
        return 1
    print(f"台账校验通过：{len(ledger.issues)} 个问题，{len(ledger.categories)} 个方面。")
    return 0


def summary_lines(result: ImportResult, written: Written) -> list[str]:
    lines = [f"已从“{result.source.name}”导入 {result.paragraph_count} 段文字，写入“{written.folder}”："]
    lines.append(f"问题方面 {len(result.categories)} 个，问题 {len(result.problems)} 项"
                 f"（{'全文连续编号' if result.numbering == 'continuous' else '每个方面重新编号'}）：")
    for n, category in enumerate(result.categories):
        count = sum(1 for p in result.problems if p.category == n)
        lines.append(f"  {n + 1}. {category.name}：{count} 项")
    lines.append("整改状态：" + "，".join(_status_counts(result)))
    lines += _narrative_lines(result)
    lines += _to_check_lines(result, written)
    lines += _unplaced_lines(result)
    return lines


def _status_counts(result: ImportResult) -> list[str]:
    from ..ledgerwriter import status_label
    counts: dict[str, int] = {}
    for problem in result.problems:
        label = status_label(problem.status or "doing")["label"]
        counts[label] = counts.get(label, 0) + 1
    return [f"{label} {count} 项" for label, count in counts.items()]


def _narrative_lines(result: ImportResult) -> list[str]:
    parts = ["开头"] if result.preamble else []
    parts += [f"“{c.title}”" for c in result.chapters if c.kind == "narrative"]
    return [f"叙述部分（写入 report/ 文件夹）：{'、'.join(parts) or '无'}"]


def _to_check_lines(result: ImportResult, written: Written) -> list[str]:
    lines = ["请核对补充："]
    lines.append(f"  - 责任部门（owner）、责任领导（leader）原报告未载明，{written.pending_owner} 项问题都暂记为“{PENDING}”；整改时限未填写。")
    done = sum(1 for p in result.problems if p.status == "done")
    if done:
        lines.append(f"  - 已完成的 {done} 项问题，完成时间（completed）暂填 {written.completed_date}（{written.completed_from}）。")
    unknown = [p.number for p in result.problems if p.status is None]
    if unknown:
        lines.append(f"  - 第 {'、'.join(map(str, unknown))} 项没有找到整改进展表述，暂记为“整改中”。")
    for field, label in (("unit", "被巡察单位"), ("title", "报告标题")):
        if not getattr(result, field):
            lines.append(f"  - 没有找到{label}，ledger.yml 中暂记为“{PENDING}”。")
    if not result.feedback_date:
        lines.append("  - 没有找到巡察反馈日期（feedback_date），请在 ledger.yml 中补充。")
    lines += [f"  - {note}" for note in result.notes]
    return lines


def _unplaced_lines(result: ImportResult) -> list[str]:
    lines = []
    if result.leftovers:
        lines.append(f"网页残留（未导入）：{len(result.leftovers)} 段")
        lines += [f"  第{p.number}段：{_short(p.text)}" for p in result.leftovers]
    if result.unplaced:
        lines.append(f"未归入台账的段落：{len(result.unplaced)} 段（请确认是否需要手工补入）")
        lines += [f"  第{u.paragraph.number}段（{u.reason}）：{_short(u.paragraph.text)}" for u in result.unplaced]
    else:
        lines.append("未归入台账的段落：无")
    return lines


def _short(text: str) -> str:
    return text if len(text) <= _MAX_SHOWN else text[:_MAX_SHOWN] + "……"
