"""The slots of a document that come from ledger.yml, and what is still unwritten.

A document of the round (documents.py) is the genre's wording with the
ledger's facts put in: 根据{committee}统一部署，{period}，{group}对{unit}…
A slot left empty printed "根据区委统一部署，，县委第三巡察组…" and a
placeholder (待定, ××, 【待填写】) printed as such. Here:

* ``Slots`` is the mapping every wording is filled from: it records each
  ledger fact a document used that is empty or a placeholder, and puts a
  visible marker in its place (never an empty string, so no "，，");
* ``committee_of`` derives the committee (县委, 区委 …) from the group's name;
* ``scaffolds`` counts the narrative placeholders a document still prints;
* ``faults`` finds punctuation that must never be printed (``，，``, ``。，``,
  empty quotes) in a document's text.

The page shows all of it as a warning; producing the document (export
--doc, pdf, issue, publish) refuses it (``refusals``) naming ledger.yml's key.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from markupsafe import Markup, escape

from .constants import ASK, PLACEHOLDER

# The ledger facts a wording may name, with their ledger.yml key and Chinese name.
LEDGER_SLOTS = {
    "committee": ("committee", "党委（巡察的部署机关，如 县委、区委）"),
    "unit": ("unit", "被巡察单位"),
    "group": ("group", "巡察组"),
    "round": ("round", "巡察轮次"),
    "period": ("period", "巡察时间"),
    "feedback_date": ("feedback_date", "巡察反馈日期"),
    "window_days": ("notice.window_days", "受理意见的天数"),
}
# What the genre's scaffolds and unit templates write for "not known yet".
PLACEHOLDERS = (PLACEHOLDER, ASK, "待定", "××", "XX", "＊＊")
MARK_OPEN = "【未填写："  # the visible marker of an empty slot, on the page only
_MARKER = re.compile(re.escape(MARK_OPEN) + r"[^】]*】")
# Never printed: doubled punctuation where a slot was empty, empty quotes.
_FAULTS = re.compile(r"[，、；][，。、；]|。，|「」|“”|‘’")
# The committees a group name may start with, longest first: 县委第三巡察组 → 县委.
_COMMITTEE = re.compile(r"^(?:中共)?(.{0,12}?(?:省委|市委|州委|盟委|县委|区委|旗委|党委|党组|党工委))(?:第[一二三四五六七八九十\d]+)?巡察")


def committee_of(group: str) -> str:
    """The committee a plain group name names: 县委第三巡察组 → 县委,
    区委第一巡察组 → 区委, 市委巡察组 → 市委; "" when it names none."""
    m = _COMMITTEE.match(group.strip())
    return m[1] if m else ""


def placeholder_in(value: str) -> str | None:
    """The placeholder ``value`` holds, or None."""
    return next((p for p in PLACEHOLDERS if p in value), None)


def is_blank(value: object) -> bool:
    text = str(value).strip() if value is not None else ""
    return not text or placeholder_in(text) is not None


@dataclass(frozen=True)
class BlankSlot:
    """A ledger.yml key a document needed and found empty or a placeholder."""

    key: str  # ledger.yml key: "period", "notice.window_days"
    label: str  # 巡察时间

    @property
    def message(self) -> str:
        return f"{self.label}未填写（ledger.yml 的 {self.key}）"


class Slots(dict):
    """The wording values: a ledger fact that is empty or a placeholder is
    recorded in ``blank`` when a template uses it, and printed as a marker."""

    def __init__(self, values: dict, blank: list[BlankSlot]):
        super().__init__(values)
        self.blank = blank

    def __getitem__(self, name: str):
        value = super().__getitem__(name)
        if name in LEDGER_SLOTS and is_blank(value):
            key, label = LEDGER_SLOTS[name]
            slot = BlankSlot(key, label)
            if slot not in self.blank:
                self.blank.append(slot)
            return f"{MARK_OPEN}{label}】"
        return value

    def with_(self, **extra) -> Slots:
        """These values with ``extra`` set, recording into the same list."""
        return Slots({**self, **extra}, self.blank)


def scaffolds(lines: Iterable[str]) -> int:
    """How many of a document's lines still hold the narrative placeholder."""
    return sum(PLACEHOLDER in line for line in lines)


def faults(lines: Iterable[str]) -> list[str]:
    """Each line printing what a 公文 never prints, with the fault quoted."""
    out = []
    for line in lines:
        found = _FAULTS.search(_MARKER.sub("", line))
        if found:
            out.append(f"“{found[0]}”：{line[:40]}")
    return out


_TODO = re.compile(re.escape(PLACEHOLDER) + "|" + _MARKER.pattern)


def highlight(text: str) -> Markup:
    """Page text with each placeholder and blank-slot marker in a <mark>."""
    escaped = str(escape(text))
    if "【" not in escaped:
        return Markup(escaped)
    return Markup(_TODO.sub(lambda m: f'<mark class="gw-todo">{m[0]}</mark>', escaped))


def refusals(doc, *, draft: bool, ledger_yml: str) -> list[str]:
    """Why ``doc`` (a report.ReportDoc) cannot be produced yet, one line each
    as ``path: field: message``; empty when it can. ``draft`` lets narrative
    scaffolds pass (a draft for discussion), never an empty ledger fact."""
    out = [f"{ledger_yml}: {s.key}: {s.label}未填写，{doc.label}中这一处会空缺；请在 ledger.yml 中填写 {s.key}。"
           for s in doc.blank]
    if not draft:
        out += [f"{rel}: 叙述: 还有占位文字“{PLACEHOLDER}”；请改写成实际内容后再生成{doc.label}"
                "（只要讨论稿可加 --draft）。" for rel in doc.scaffolds]
    out += [f"{doc.label}: 正文: 含有{f}；请检查相应的问题文件或叙述文件。" for f in faults([doc.title, *doc.body_lines()])]
    return out


@dataclass(frozen=True)
class Todo:
    """What the round's documents still lack, for the dashboard."""

    narratives: tuple[str, ...]  # narrative files holding the placeholder
    blank: tuple[BlankSlot, ...]  # ledger facts a document needs


def todo(docs: Iterable) -> Todo:
    """Over the documents (report.ReportDoc) of one ledger, each file and key once."""
    docs = list(docs)
    return Todo(tuple(dict.fromkeys(f for d in docs for f in d.scaffolds)),
                tuple(dict.fromkeys(s for d in docs for s in d.blank)))


def problem_placeholders(issues: Iterable) -> list[str]:
    """The problems whose 责任部门 or 责任领导 is still a placeholder (`new`
    writes owner 待定 when none is given): the plan and the reports would
    print it. One line each as ``path: field: message``."""
    out = []
    for issue in issues:
        for key, label, value in (("owner", "责任部门", issue.owner_text), ("leader", "责任领导", issue.leader)):
            held = placeholder_in(value or "")
            if held:
                out.append(f"{issue.rel_path}: {key}: {label}还是“{held}”；请写明实际的{label}后再生成文件。")
    return out
