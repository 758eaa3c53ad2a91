"""整改评估: each unit's score from its standing and the hand-entered items.

Deduction from full points, indicator by indicator (扶风: 组织领导 15,
责任落实 15, 整改任务完成 60, 群众满意度 10). A computed indicator loses,
for each rule, ``deduct`` per unit of its measure (per percentage point
under ``below`` for a rate), at most ``max``, never below zero; a manual one
scores what evaluation.yml says. A veto (衡水: 报告与事实不符 ≥ 5) sets the
total to 0 and the grade to 差. A unit missing a manual score is not graded
(待评), so an unfinished evaluation never reads as a verdict.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from .aggregate import Standing
from .evalconfig import LOWEST_GRADE, MEASURES, EvaluationConfig, Indicator, Rule, Scores
from .measures import format_number

PENDING_GRADE = "待评"
_CENT = Decimal("0.01")


@dataclass(frozen=True)
class Deduction:
    rule: Rule
    value: Decimal  # the measure's value for the unit (percent for a rate)
    amount: Decimal  # points taken off, after the cap

    @property
    def text(self) -> str:
        """What was counted and what it cost, as the 评估表 prints it."""
        name, kind = MEASURES[self.rule.measure]
        if kind == "rate":
            basis = f"{name} {format_number(self.value)}%，低于 {format_number(self.rule.below)}% 的每个百分点扣 {format_number(self.rule.deduct)} 分"
        else:
            basis = f"{name} {format_number(self.value)} 个，每个扣 {format_number(self.rule.deduct)} 分"
        cap = f"，最多扣 {format_number(self.rule.max)} 分" if self.rule.max is not None else ""
        return f"{basis}{cap}：扣 {format_number(self.amount)} 分"


@dataclass(frozen=True)
class IndicatorScore:
    indicator: Indicator
    score: Decimal | None  # None: a manual score not entered yet
    deductions: tuple[Deduction, ...] = ()

    @property
    def lost(self) -> Decimal | None:
        return None if self.score is None else self.indicator.points - self.score


@dataclass(frozen=True)
class VetoHit:
    label: str
    value: Decimal
    at_least: Decimal


@dataclass(frozen=True)
class UnitEvaluation:
    name: str  # the ledger's folder name (sources.yml)
    unit: str
    indicators: tuple[IndicatorScore, ...]
    vetoes: tuple[VetoHit, ...]  # the veto rules the unit triggered
    points: Decimal | None  # the sum before any veto; None when a score is missing
    total: Decimal | None  # 0 after a veto
    grade: str
    missing: tuple[str, ...] = ()  # hand-entered items not yet given

    @property
    def vetoed(self) -> bool:
        return bool(self.vetoes)


def measures(standing: Standing) -> dict[str, Decimal]:
    """Every measure a rule may use, from the unit's one standing."""
    total = standing.total.total

    def rate(part: int) -> Decimal:
        return Decimal(100) if not total else Decimal(part) * 100 / Decimal(total)

    return {
        "completion_rate": rate(standing.total.done),
        "signoff_rate": rate(standing.signed_off),
        "overdue": Decimal(len(standing.overdue)),
        "extended": Decimal(standing.extended),
        "warnings": Decimal(sum(standing.lights.problem_counts.values())),
        "overdue_tasks": Decimal(len(standing.overdue_tasks)),
    }


def deduction(rule: Rule, values: dict[str, Decimal]) -> Deduction:
    value = values[rule.measure]
    units = max(Decimal(0), rule.below - value) if rule.below is not None else value
    amount = (units * rule.deduct).quantize(_CENT, rounding=ROUND_HALF_UP)
    if rule.max is not None:
        amount = min(amount, rule.max)
    return Deduction(rule, value.quantize(_CENT, rounding=ROUND_HALF_UP), amount)


def evaluate(config: EvaluationConfig, name: str, unit: str, standing: Standing, scores: Scores) -> UnitEvaluation:
    values = measures(standing)
    given = {item: value for item, (value, _line) in scores.get(name, {}).items()}
    results, missing = [], []
    for indicator in config.indicators:
        if indicator.manual:
            if indicator.name not in given:
                missing.append(indicator.name)
            results.append(IndicatorScore(indicator, given.get(indicator.name)))
            continue
        found = tuple(deduction(rule, values) for rule in indicator.rules)
        score = max(Decimal(0), indicator.points - sum((d.amount for d in found), Decimal(0)))
        results.append(IndicatorScore(indicator, score, found))
    vetoes = []
    for veto in config.veto:
        value = values[veto.measure] if veto.measure else given.get(veto.item)
        if veto.item and value is None:
            missing.append(veto.item)
        elif value >= veto.at_least:
            vetoes.append(VetoHit(veto.label, value, veto.at_least))
    points = None if any(r.score is None for r in results) else sum((r.score for r in results), Decimal(0))
    if vetoes:  # decided whatever else is missing
        return UnitEvaluation(name, unit, tuple(results), tuple(vetoes), points, Decimal(0), LOWEST_GRADE, tuple(missing))
    if missing or points is None:
        return UnitEvaluation(name, unit, tuple(results), (), points, None, PENDING_GRADE, tuple(missing))
    return UnitEvaluation(name, unit, tuple(results), (), points, points, grade(config, points))


def grade(config: EvaluationConfig, total: Decimal) -> str:
    return next((name for name, least in config.grades if total >= least), LOWEST_GRADE)


def ranked(evaluations: list[UnitEvaluation]) -> list[tuple[int | None, UnitEvaluation]]:
    """Highest total first; units without a total (待评) last and unranked; ties share a rank."""
    scored = sorted((e for e in evaluations if e.total is not None), key=lambda e: (-e.total, e.name))
    result: list[tuple[int | None, UnitEvaluation]] = []
    for position, e in enumerate(scored, start=1):
        rank = result[-1][0] if result and result[-1][1].total == e.total else position
        result.append((rank, e))
    return result + [(None, e) for e in evaluations if e.total is None]
