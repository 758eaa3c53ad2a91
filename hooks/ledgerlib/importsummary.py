"""The summary chapter of a report (集中整改总体情况) read into wording templates.

"共有4个方面17项问题，具体包括…。目前，17项问题已全部整改完毕。" becomes
``report.wording.summary``/``all_done`` with {categories}/{total}/{breakdown}
in place of the figures, so that the generated summary reads like the
original and still counts for itself when problems change.
"""

from __future__ import annotations

import re

from . import constants as C
from .constants import StatusKey
from .importmodel import Chapter, ImportResult
from .textread import sentences, split_outside_quotes


def read_summary(chapter: Chapter, result: ImportResult) -> None:
    """Turn "共有4个方面17项问题，具体包括…。目前，17项问题已全部整改完毕。" into
    wording templates, so that the generated summary reads like the original
    and still counts for itself when problems change."""
    where = f"“{chapter.title}”部分"
    for p in chapter.paragraphs:
        if p.in_table or not _summary_wording(p.text, result):
            result.reject(p, f"{where}：由自动统计生成，原文未采用")
        else:
            result.place(p, "总体情况措辞（ledger.yml: report.wording）")


def _summary_wording(text: str, result: ImportResult) -> bool:
    parts = sentences(text)
    index = next((i for i, s in enumerate(parts) if re.search(r"\d+\s*个方面", s) and re.search(r"\d+\s*项", s)), None)
    if index is None or "summary" in result.wording:
        return False
    ncat, total = len(result.categories), len(result.problems)
    said = re.search(r"(\d+)\s*个方面\s*(\d+)\s*项", parts[index])
    if said and (int(said[1]), int(said[2])) != (ncat, total):
        result.notes.append(f"总体情况写的是{said[1]}个方面{said[2]}项问题，而逐项整改情况中有{ncat}个方面{total}项；生成的报告按实际数目统计，请核对。")
    summary = _braces(parts[index])
    summary = re.sub(r"\d+(\s*个方面)", r"{categories}\1", summary, count=1)
    summary = re.sub(r"(\{categories\}\s*个方面\s*)\d+(\s*项)", r"\1{total}\2", summary, count=1)
    if m := re.search(r"(具体包括|包括|分别是|其中)[：:]?(.+?)([。.；;]?)$", summary):
        _category_phrases(m[2], result)
        summary = summary[:m.start(2)] + "{breakdown}" + summary[m.end(2):]
    result.wording["summary"] = summary
    rest = "".join(parts[:index] + parts[index + 1:]).strip()
    if parts[:index]:
        return False  # text before the counting sentence has no place in the template
    if rest:
        done_all = all(p.status == StatusKey.DONE for p in result.problems)
        if not (done_all and re.search(rf"{total}\s*项", rest)):
            return False
        result.wording["all_done"] = re.sub(rf"{total}(\s*项)", r"{total}\1", _braces(rest), count=1)
    return True


def _braces(text: str) -> str:
    return text.replace("{", "{{").replace("}", "}}")


def _category_phrases(breakdown: str, result: ImportResult) -> None:
    """Each "“名称”方面3项" item of the breakdown, in category order; an item
    worded differently becomes that category's ``summary`` phrase."""
    items = split_outside_quotes(breakdown)
    counts = [sum(1 for p in result.problems if p.category == i) for i in range(len(result.categories))]
    if len(items) != len(result.categories):
        result.notes.append(f"总体情况列举了{len(items)}个方面，与{len(result.categories)}个问题方面不一致；各方面的列举写法已改用默认写法。")
        return
    for item, category, count in zip(items, result.categories, counts, strict=True):
        if item == C.default_category_summary(category.name).format(name=category.name, count=count):
            continue
        if re.search(r"\d+(?=\s*[项个条])", item):
            category.summary = re.sub(r"\d+(?=\s*[项个条][^\d]*$)", "{count}", _braces(item), count=1)

