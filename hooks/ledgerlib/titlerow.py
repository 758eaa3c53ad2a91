"""What the title row of a unit's 台账 says about the round.

“县市场监督管理局党组落实县委第三巡察组反馈意见整改台账” names the unit
(…党组), the group (县委第三巡察组) and, when it holds one, the round
(十五届县委第五轮巡察). Each is taken only when the title states it whole:
a fact the title does not hold stays empty, and ledger.yml asks for it
(``importmodel.ASK``) rather than keeping a fragment of the title.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_WORD = r"[^\s，,。、；;：:（）()“”\"《》]"
_UNIT = re.compile(r"^(.{2,30}?(?:党委|党组|党工委|党总支|党支部|委员会))(?!员)")
# Verbs and prepositions that lead into the group or round: not part of its name.
_LEAD = re.compile(r"^(?:关于|落实|根据|按照|针对|接受|对)+")
_GROUP = re.compile(rf"({_WORD}{{2,20}}?巡[察视]组)")
_ROUND = re.compile(rf"({_WORD}*?(?:届|轮|专项|常规|机动|提级){_WORD}{{0,10}}?巡[察视])(?![组办])")
_TABLE = re.compile(r"(?:整改)?(?:落实)?(?:情况)?(?:台账|清单|一览表|明细表|情况表|推进表)$")


@dataclass(frozen=True)
class TitleFacts:
    unit: str = ""
    group: str = ""
    round: str = ""
    title: str = ""  # the report's title, worded from the table's: "…关于…整改情况的报告"


def read_title(text: str) -> TitleFacts:
    """The unit, group, round and report title a 台账's title row states ("" where it does not)."""
    text = re.sub(r"\s+", "", text)
    unit_match = _UNIT.match(text)
    unit = unit_match[1] if unit_match else ""
    rest = text[len(unit):]
    group = ""
    if m := _GROUP.search(rest):
        group = _LEAD.sub("", m[1])
    round_ = ""
    if m := _ROUND.search(rest):
        round_ = _LEAD.sub("", m[1])
        if group and round_.startswith(group):
            round_ = _LEAD.sub("", round_[len(group):])
    return TitleFacts(unit, group, round_, _report_title(unit, rest))


def _report_title(unit: str, rest: str) -> str:
    """“…党组落实…反馈意见整改台账” → “…党组关于落实…反馈意见整改情况的报告”."""
    if not unit or not (m := _TABLE.search(rest)):
        return ""
    middle = re.sub(r"^关于", "", rest[:m.start()])
    return f"{unit}关于{middle}整改情况的报告" if middle else ""
