"""The register of warning letters (预警函、督办函、告诫书): issues/warnings.yml.

``ledger.py warn`` appends one entry per letter it issues; a clerk adds
``answered:`` when the reply (办复) comes in. The register is what makes a
letter never issued twice, lets the next level know the previous one, and
lists on a problem's page the letters it received::

    - number: 巡整督〔2023〕3号
      level: yellow                # ledger.yml warnings.levels 的 key
      item: "12"                   # 问题序号；整改措施写 "12-2"（问题 12 的第 2 项措施）
      date: 2023-06-20             # 发函日期
      deadline: 2023-06-30         # 函所针对的整改时限
      reply_by: 2023-06-25         # 办复时限
      to: [张三, 分管副局长]
      answered: 2023-06-24         # 收到回复的日期（收到后填写）
      final_deadline: 2023-07-15   # 告诫书设定的最后期限（只有告诫才有）

A letter counts for its item only while the item keeps the deadline it was
about: once a deadline is extended, the ladder starts again for the new one.
The 告诫's last deadline is recorded here, never written over the problem's
own deadline, so that it is not counted as an ordinary extension (延期).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from pathlib import Path

from . import constants as C
from . import fields as F
from .fields import Where
from .model import Ledger
from .textfile import is_empty, read_yaml
from .yamlnodes import Map, Seq

FIELDS = ("number", "level", "item", "date", "deadline", "reply_by", "to", "answered", "final_deadline")
_ITEM = re.compile(r"^([1-9][0-9]*)(?:-([1-9][0-9]*))?$")


@dataclass(frozen=True)
class Letter:
    """One issued letter, as the register records it."""

    number: str
    level: str  # the ladder level's key
    item: tuple[int, int] | int  # problem id, or (problem id, measure index)
    date: dt.date
    deadline: dt.date
    reply_by: dt.date
    to: tuple[str, ...]
    answered: dt.date | None = None
    final_deadline: dt.date | None = None
    line: int = 0

    @property
    def item_text(self) -> str:
        return f"{self.item[0]}-{self.item[1]}" if isinstance(self.item, tuple) else str(self.item)

    @property
    def slug(self) -> str:
        """The letter's page name: its number's digits and letters, and the item."""
        digits = "-".join(re.findall(r"\d+", self.number))
        return f"{self.date:%Y%m%d}-{digits}-{self.item_text}"


def letter_src(letter: Letter) -> str:
    """The letter's page in the site (letterpages.py)."""
    return f"letters/{letter.slug}.md"


def read_letters(ledger: Ledger, paths, diags) -> Ledger:
    """The ledger with its register's letters (Ledger.letters), each checked."""
    path = ledger.root / C.WARNINGS_FILE
    if not path.is_file():
        return ledger
    rel = paths.rel(path)
    usable, node = read_yaml(path, rel, "预警函登记", diags)
    if not usable:
        return ledger
    if is_empty(node):
        return replace(ledger, letters_path=rel)
    if not isinstance(node, Seq):
        diags.error(rel, 1, "预警函登记", "warnings.yml 应为发函记录列表，每条写 number、level、item、date 等；"
                    "它由 ledger.py warn 写入，收到回复后只需补写 answered。")
        return ledger
    known = _known_items(ledger)
    letters, numbers = [], {}
    for item, _ in F.map_items(node, Where(rel, 1, "预警函登记"), diags, _SHAPE, FIELDS):
        letter = _read_entry(item, rel, ledger, known, diags)
        if letter is None:
            continue
        if letter.number in numbers:
            F.error(diags, Where(rel, item.line, "number"),
                    f"文号“{letter.number}”已在第 {numbers[letter.number]} 行使用；每份函的文号不能重复。")
            continue
        numbers[letter.number] = item.line
        letters.append(letter)
    return replace(ledger, letters=tuple(letters), letters_path=rel)


def _known_items(ledger: Ledger) -> set:
    return {i.id for i in ledger.issues} | {(i.id, m.index) for i in ledger.issues for m in i.tasks}


_SHAPE = "每条记录写成 number、level、item、date、deadline、reply_by、to，收到回复后加 answered。"


def _read_entry(item: Map, rel: str, ledger: Ledger, known: set, diags) -> Letter | None:
    e = item.entries
    at = F.key_where(item.key_lines, rel, item.line)

    before = diags.error_count
    number = F.text(e.get("number"), at("number"), diags, required=True)
    level = F.text(e.get("level"), at("level"), diags, required=True)
    if level and ledger.ladder.level(level) is None:
        keys = "、".join(lv.key for lv in ledger.ladder.levels)
        F.error(diags, at("level"), f"预警等级“{level}”不在 ledger.yml 的 warnings.levels 里；可用：{keys}。")
    target = _item(e.get("item"), at("item"), known, diags)
    dates = {key: F.date(e.get(key), at(key), diags, required=key in ("date", "deadline", "reply_by"))
             for key in ("date", "deadline", "reply_by", "answered", "final_deadline")}
    to = F.text_list(e.get("to"), at("to"), diags) or []
    if dates["answered"] and dates["date"] and dates["answered"] < dates["date"]:
        F.error(diags, at("answered"), f"回复日期 {dates['answered']} 早于发函日期 {dates['date']}；请核对。")
    if diags.error_count > before or target is None:
        return None
    return Letter(number, level, target, dates["date"], dates["deadline"], dates["reply_by"], tuple(to),
                  dates["answered"], dates["final_deadline"], item.line)


def _item(node, where: Where, known: set, diags) -> tuple[int, int] | int | None:
    value = F.text(node, where, diags, required=True)
    if value is None:
        return None
    m = _ITEM.match(value)
    if not m:
        F.error(diags, where, f"“{value}”应为问题序号（如 12）或整改措施编号（如 12-2）。")
        return None
    target = (int(m[1]), int(m[2])) if m[2] else int(m[1])
    if target not in known:
        F.error(diags, where, f"台账里没有“{value}”这个{'整改措施' if m[2] else '问题'}；请核对编号。")
        return None
    return target


def append(path: Path, letters: list[Letter]) -> None:
    """Add issued letters at the end of the register, leaving what is there as typed."""
    existing = path.read_text(encoding="utf-8") if path.is_file() else _HEADER
    if existing and not existing.endswith("\n"):
        existing += "\n"
    path.write_text(existing + "".join(_entry_text(letter) for letter in letters), encoding="utf-8")


_HEADER = ("# 预警函、督办函登记簿：由 ledger.py warn 写入，每份函一条。\n"
           "# 收到回复（办复）后，在该条下补写 answered: 回复日期；其余内容请勿修改。\n")


def _entry_text(letter: Letter) -> str:
    lines = [f"- number: {_quote(letter.number)}",
             f"  level: {letter.level}",
             f'  item: "{letter.item_text}"',
             f"  date: {letter.date}",
             f"  deadline: {letter.deadline}",
             f"  reply_by: {letter.reply_by}",
             f"  to: [{', '.join(_quote(n) for n in letter.to)}]"]
    if letter.final_deadline:
        lines.append(f"  final_deadline: {letter.final_deadline}")
    return "\n".join(lines) + "\n"


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
