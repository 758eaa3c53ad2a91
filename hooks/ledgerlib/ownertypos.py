"""Owners one character apart: a typo that would open a department of its own.

Without ``departments:`` in ledger.yml any owner is accepted, so 财物审计股
typed once beside 财务审计股 everywhere else becomes a ninth department on the
责任清单. Two names of four characters or more that differ in one character,
neither of them a number (第一党支部/第二党支部, 东城街道/西城街道 are real pairs), are
reported where the rarer one is written, with a did-you-mean for the other.

A warning, not an error: without the list nothing says which name is right,
and units do have departments one character apart (党建办/党政办 are short and
pass; a long pair that is real can be listed in ``departments:``, which then
decides). ``validate --strict`` treats the warning as an error.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

_MIN_CHARS = 4
# Characters that tell real departments apart: numbers, ordinals, letters,
# directions and their like (东城街道/西城街道, 上级/下级).
_COUNTING = set("0123456789０１２３４５６７８９一二三四五六七八九十甲乙丙丁戊己庚辛壬癸"
                "东西南北中上下前后左右内外正副新旧大小") | set(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")


@dataclass
class OwnerTally:
    """Every owner as written, with where: ``note`` each, then ``warnings``."""

    seen: dict[str, list[tuple[str, int, str]]] = field(default_factory=dict)  # owner -> (path, line, field)

    def note(self, owner: str, path: str, line: int, field_name: str) -> None:
        self.seen.setdefault(owner, []).append((path, line, field_name))

    def warnings(self) -> list[tuple[str, int, str, str]]:
        """(path, line, field, message) at each place the rarer name of a pair is written."""
        found = []
        for rare, common in _pairs(self.seen):
            path, line, _ = self.seen[common][0]
            more = f" 等 {len(self.seen[common])} 处" if len(self.seen[common]) > 1 else ""
            message = (f"责任部门“{rare}”与“{common}”（{path}:{line}{more}）只差一个字，是不是写错了？"
                       f"是同一个部门请改成“{common}”；确是两个部门的，请在 ledger.yml 的 departments 中列出全部部门。")
            found += [(p, n, f, message) for p, n, f in self.seen[rare]]
        return found


def _pairs(seen: dict[str, list]) -> list[tuple[str, str]]:
    """(rarer, commoner) names one non-counting character apart. Names are put in
    buckets by their text with one position blanked, so the work grows with
    the names' total length, not with the number of pairs."""
    buckets: dict[tuple[int, str], list[str]] = {}
    for name in seen:
        if len(name) >= _MIN_CHARS:
            for i in range(len(name)):
                buckets.setdefault((i, name[:i] + "\0" + name[i + 1:]), []).append(name)
    pairs = []
    for (i, _), names in buckets.items():
        for a, b in itertools.pairwise(names):
            if a[i] in _COUNTING or b[i] in _COUNTING:
                continue
            # The rarer one is the typo; on a tie, the one written later.
            pairs.append((a, b) if len(seen[a]) < len(seen[b]) else (b, a))
    return pairs
