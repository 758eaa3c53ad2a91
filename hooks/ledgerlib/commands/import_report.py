"""ledger.py import: turn an existing report (.txt/.md/.docx) or Excel 台账 (.xlsx) into a ledger folder."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from .. import importcols, importlimits
from ..atomicfs import Replacement
from ..constants import StatusKey
from ..fields import date_argument
from ..genre import chinese_date
from ..importer import import_report
from ..importmodel import ASK, ImportFailed, ImportResult
from ..ledgers import repo_root_of
from ..ledgerwriter import PENDING, LedgerExists, NotALedger, Written, write_ledger
from . import load_or_report
from .import_replace import history_tail, removed_lines, replaced_files

_MAX_SHOWN = 60  # characters of an unplaced paragraph shown in the summary


def add_arguments(parser) -> None:
    parser.add_argument("report", help="原有的整改情况报告（.txt、.md 或 .docx）、整改台账（.xlsx 或 .csv）或台账数据（.json）")
    parser.add_argument("--out", required=True, metavar="文件夹", help="生成的台账文件夹，例如 issues")
    parser.add_argument("--force", action="store_true", help="覆盖已有的台账（会删除该文件夹中原有的问题文件）")
    parser.add_argument("--completed", type=_date,
                        help="原文件没有写完成时间的已完成问题，完成时间填这一天，例如 2023-06-30（默认取报告落款日期，没有落款则取今天）")


def _date(value: str) -> dt.date:
    return date_argument(value)


def run(args) -> int:
    source, out = Path(args.report), Path(args.out)
    if not source.is_file():
        print(f"找不到文件“{source}”。", file=sys.stderr)
        return 1
    try:
        if source.suffix.lower() == ".json":  # published data (data/ledger.json), see import_json
            from .import_data import run_json
            importlimits.check(source)  # its size, before it is parsed
            return run_json(source, out, force=args.force) or check_written(out)
        result = read_source(source)
        replaced = replaced_files(out, result)
        # One swap: the imported ledger in, the replaced one's files outside the folder out (atomicfs).
        with Replacement() as swap:
            for path in replaced.narratives + replaced.evidence:
                swap.remove(path)
            written = write_ledger(result, out, force=args.force, completed=args.completed, tail=history_tail(out),
                                   swap=swap)
    except ImportFailed as exc:
        print(f"导入失败：{exc}", file=sys.stderr)
        return 1
    except LedgerExists:
        print(f"“{out}”中已有台账，未做任何修改；确需覆盖请加 --force。", file=sys.stderr)
        return 1
    except NotALedger:
        print(f"“{out}”不是台账文件夹（没有 ledger.yml）却有 .md 文件，未做任何修改；请换一个新的或空的文件夹。", file=sys.stderr)
        return 1
    replaced.tidy()
    print("\n".join(summary_lines(result, written) + removed_lines(replaced, repo_root_of(out))))
    return check_written(out)


def read_source(source: Path) -> ImportResult:
    importlimits.check(source)  # before openpyxl or python-docx expands anything
    if source.suffix.lower() in (".xlsx", ".xlsm"):
        from ..import_xlsx import import_workbook  # openpyxl loads only for a workbook
        return import_workbook(source)
    if source.suffix.lower() == ".csv":
        from ..import_xlsx import import_csv
        return import_csv(source)
    if source.suffix.lower() in (".xls", ".et"):
        raise ImportFailed("不支持旧版 Excel 文件（.xls/.et）；请用 Excel 或 WPS 打开后“另存为”.xlsx 再导入。")
    return import_report(source)


def check_written(out: Path) -> int:
    """The written ledger must load; anything else is a bug worth showing."""
    ledger = load_or_report(out, "生成的台账未通过校验，请按上面的提示修改。")
    if ledger is None:
        return 1
    print(f"台账校验通过：{len(ledger.issues)} 个问题，{len(ledger.categories)} 个方面。")
    return 0


def summary_lines(result: ImportResult, written: Written) -> list[str]:
    what = f"{result.paragraph_count} 行" if result.kind == "workbook" else f"{result.paragraph_count} 段文字"
    lines = [f"已从“{result.source.name}”导入 {what}，写入“{written.folder}”："]
    lines.append(f"问题方面 {len(result.categories)} 个，问题 {len(result.problems)} 项"
                 f"（{'全文连续编号' if result.numbering == 'continuous' else '每个方面重新编号'}）：")
    for n, category in enumerate(result.categories):
        count = sum(1 for p in result.problems if p.category == n)
        lines.append(f"  {n + 1}. {category.name}：{count} 项")
    lines.append("整改状态：" + "，".join(_status_counts(result)))
    lines += _column_lines(result)
    if result.kind != "workbook":
        lines += _narrative_lines(result)
    lines += _to_check_lines(result, written)
    lines += _unplaced_lines(result)
    return lines


# A unit's per-row columns that also go to each measure when rows become measures:.
_PER_MEASURE = {"measures": "text", "owner": "owner", "deadline": "deadline", "status": "status",
                "completed": "completed"}


def _field_name(field: str, result: ImportResult) -> str:
    measures = any(p.write_measures for p in result.problems)
    if field == "person" and not measures:  # a problem has no person of its own
        return "问题文件开头的注释（没有整改措施可写入责任人）"
    if field.startswith("result:"):  # a 整改成效 kind of our export
        return f"整改成效（results: {field.removeprefix('result:')}）"
    name = importcols.FIELD_NAMES[field]
    if measures and "task_text" not in result.columns and field in _PER_MEASURE:
        name += f"，并写入各项整改措施的 {_PER_MEASURE[field]}"
    return name


def _column_lines(result: ImportResult) -> list[str]:
    lines = []
    if result.columns:
        lines.append("表格各列的去向：" + "，".join(
            f"“{name}”→{_field_name(field, result)}" for field, name in result.columns.items()))
    rows = sum(1 for p in result.problems if p.write_measures and "task_text" not in result.columns)
    if rows:
        lines.append(f"有 {rows} 项问题的整改措施按行写为 measures 中的各项（各自的责任部门、责任人、整改时限、"
                     "整改状态、完成时间和备注），措施原文同时写入“整改情况”；问题本身的责任部门为各行合并，"
                     "整改时限取最晚的一行，全部措施完成才记为“已完成”。")
    # Rows that cannot be measures of their own (no measure text of their own) are combined.
    split = sum(1 for p in result.problems if len(p.measure_rows) > 1 and not p.write_measures)
    if split:
        lines.append(f"有 {split} 项问题在台账中分多行填写整改措施，已合并为一项问题：措施分段写入“整改情况”，"
                     "责任部门合并，整改时限取最晚的一行，全部措施完成才记为“已完成”。")
    if result.unplaced_columns:
        lines.append(f"没有对应字段的列：{'、'.join(f'“{c}”' for c in result.unplaced_columns)}。"
                     "这些列的内容已原样写在各问题文件开头（以“# 原台账”开头的注释行），不会出现在网页和报告中，请决定如何处理。")
    return lines


def _status_counts(result: ImportResult) -> list[str]:
    from ..ledgerwriter import status_label
    counts: dict[str, int] = {}
    for problem in result.problems:
        label = status_label(problem.status or StatusKey.DOING)["label"]
        counts[label] = counts.get(label, 0) + 1
    return [f"{label} {count} 项" for label, count in counts.items()]


def _narrative_lines(result: ImportResult) -> list[str]:
    parts = ["开头"] if result.preamble else []
    parts += [f"“{c.title}”" for c in result.chapters if c.kind == "narrative"]
    return [f"叙述部分（写入 report/ 文件夹）：{'、'.join(parts) or '无'}"]


def _to_check_lines(result: ImportResult, written: Written) -> list[str]:
    lines = ["请核对补充："]
    source = "台账" if result.kind == "workbook" else "原报告"
    if result.signature_date:
        lines.append(f"  - 落款：{result.signature_unit or '（无落款单位）'}，{chinese_date(result.signature_date)}"
                     "，已写入 ledger.yml 的 signature。")
    if result.annex_rows:
        lines.append(f"  - {result.annex_rows} 项问题的责任部门、责任领导、整改时限和完成时间取自报告附件的整改台账表格。")
    pending = [p.id for p in result.problems if not p.owners]
    if pending:
        lines.append(f"  - {_items(pending, result)}{source}未载明责任部门，暂记为“{PENDING}”，请补充 owner。")
    no_leader = [] if result.own_export else [p.id for p in result.problems if not p.leader]
    if no_leader:
        lines.append(f"  - {_items(no_leader, result)}{source}未载明责任领导，暂记为“{PENDING}”，请补充 leader。")
    no_deadline = [p.id for p in result.problems if not p.deadline]
    if no_deadline:
        lines.append(f"  - {_items(no_deadline, result)}没有整改时限（deadline），请补充。")
    guessed = [p.id for p in result.problems if p.status == StatusKey.DONE and not p.completed]
    if guessed and written.completed_date:
        lines.append(f"  - 已完成的{_items(guessed, result)}完成时间（completed）暂填 {chinese_date(written.completed_date)}"
                     f"（{written.completed_from}），请核对。")
    elif guessed:
        lines.append(f"  - 已完成的{_items(guessed, result)}{source}没有写完成时间，问题文件中没有填写 completed"
                     "（不用导入当天代替）：请逐项填写实际完成的日期，或重新导入时加 --completed 日期。")
    unknown = [p.id for p in result.problems if p.status is None]
    if unknown:
        lines.append(f"  - {_items(unknown, result)}没有找到整改进展表述，暂记为“整改中”。")
    for field, label in (("unit", "被巡察单位"), ("group", "巡察组"), ("round", "巡察轮次"), ("title", "报告标题")):
        if not getattr(result, field):
            lines.append(f"  - 没有找到{label}，ledger.yml 的 {field} 写作“{ASK}”，请填写。")
    if not result.feedback_date:
        lines.append("  - 没有找到巡察反馈日期（feedback_date），请在 ledger.yml 中补充。")
    if written.missing_files:
        ids = sorted({n for n, _ in written.missing_files})
        lines.append(f"  - {_items(ids, result)}的佐证材料文件在“{written.folder}”所在的仓库中找不到"
                     f"（如“{written.missing_files[0][1]}”），只导入了材料名称，路径写在问题文件中该材料下面的注释里；"
                     "请把文件放回仓库后改写为 file:。")
    if written.missing_follows:
        ids = sorted({n for n, _ in written.missing_follows})
        lines.append(f"  - {_items(ids, result)}延续的上一轮问题（如“{written.missing_follows[0][1]}”）不在本仓库的台账中，"
                     "没有写入 follows:，原文写在问题文件开头的注释里；把上一轮的台账放进同一个 issues/ 文件夹后可改回 follows:。")
    kept = [p for p in result.problems if p.kept]
    if kept:
        lines.append(f"  - {_items([p.id for p in kept], result)}的文件开头有“# 原台账”注释，是没有对应字段的原文"
                     "（文字写的时限或进展、没有对应字段的列等），请据此补充或改写后删除注释。未能归入字段的内容：")
        lines += [f"      第{p.id}项“{column}”：{_short(value)}" for p in kept for column, value in p.kept]
    lines += [f"  - {note}" for note in result.notes]
    return lines


def _items(ids: list[int], result: ImportResult) -> str:
    if len(ids) == len(result.problems):
        return f"全部 {len(ids)} 项问题"
    return f"第 {'、'.join(map(str, ids))} 项问题"


def _unplaced_lines(result: ImportResult) -> list[str]:
    unit, measure = ("行", "行") if result.kind == "workbook" else ("段落", "段")
    lines = []
    if result.regenerated:
        lines.append(f"生成报告或台账时会自动重写、因此未另存的{unit}：")
        lines += [f"  第{p.number}{measure}（{what}）：{_short(p.text)}" for p, what in sorted(result.regenerated, key=lambda r: r[0].number)]
    if result.leftovers:
        lines.append(f"网页残留（未导入）：{len(result.leftovers)} 段")
        lines += [f"  第{p.number}段：{_short(p.text)}" for p in result.leftovers]
    if result.unplaced:
        lines.append(f"未归入台账的{unit}：{len(result.unplaced)} {measure}（请确认是否需要手工补入）")
        lines += [f"  第{u.paragraph.number}{measure}（{u.reason}）：{_short(u.paragraph.text)}" for u in result.unplaced]
    else:
        lines.append(f"未归入台账的{unit}：无")
    return lines


def _short(text: str) -> str:
    return text if len(text) <= _MAX_SHOWN else text[:_MAX_SHOWN] + "……"
