"""整改评估's rules and hand-entered scores, as the roll-up's settings give them.

``evaluation:`` in ``issues/summary.yml`` lists the indicators (指标) with
their points, each either computed from the data by deduction rules or
scored by hand (``manual: true``) in ``issues/evaluation.yml``; the veto
rules (一票否决, 衡水: 报告与事实不符 5 项以上); the grade thresholds
(好/较好/一般, below the last 差). Both files are checked like ledger.yml:
path:line, in Chinese, every error at once. ``evaluation.py`` computes.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from . import fields as F
from .errors import Diagnostics
from .fields import Where
from .measures import figure
from .textfile import is_empty, read_yaml
from .yamlnodes import Map, Seq

SCORES_FILE = "evaluation.yml"
# measure -> (Chinese name, "rate" in percent or "count")
MEASURES = {
    "completion_rate": ("整改完成率", "rate"),
    "signoff_rate": ("销号率", "rate"),
    "overdue": ("逾期问题", "count"),
    "extended": ("延期问题", "count"),
    "warnings": ("预警问题", "count"),
    "overdue_tasks": ("逾期措施", "count"),
}
LOWEST_GRADE = "差"
DEFAULT_GRADES = (("好", Decimal(90)), ("较好", Decimal(80)), ("一般", Decimal(60)))
FULL_MARKS = Decimal(100)


@dataclass(frozen=True)
class Rule:
    """Deduct ``deduct`` per unit of the measure (per percentage point under ``below`` for a rate), at most ``max``."""

    measure: str
    deduct: Decimal
    below: Decimal | None = None
    max: Decimal | None = None


@dataclass(frozen=True)
class Indicator:
    name: str
    points: Decimal
    manual: bool = False  # scored by hand in evaluation.yml
    rules: tuple[Rule, ...] = ()


@dataclass(frozen=True)
class Veto:
    """Grade 差 and 0 points when ``item`` (entered by hand) or ``measure`` (computed) reaches ``at_least``."""

    at_least: Decimal
    item: str = ""
    measure: str = ""

    @property
    def label(self) -> str:
        return self.item or MEASURES[self.measure][0]


@dataclass(frozen=True)
class EvaluationConfig:
    indicators: tuple[Indicator, ...]
    veto: tuple[Veto, ...] = ()
    grades: tuple[tuple[str, Decimal], ...] = DEFAULT_GRADES  # highest first

    @property
    def hand_items(self) -> set[str]:
        return {i.name for i in self.indicators if i.manual} | {v.item for v in self.veto if v.item}


# unit (folder name) -> item -> (value, line)
Scores = dict[str, dict[str, tuple[Decimal, int]]]


def read_config(node, where: Where, diags: Diagnostics) -> EvaluationConfig | None:
    if not isinstance(node, Map):
        F.error(diags, where, "evaluation 应包含 indicators（指标），可加 veto（一票否决）和 grades（等次分数线）。")
        return None
    F.check_keys(node, ("indicators", "veto", "grades"), where.path, diags)

    at = F.key_where(node.key_lines, where.path, where.line, "evaluation")

    items = node.entries.get("indicators")
    if not isinstance(items, Seq) or not items.items:
        F.error(diags, at("indicators"), "请列出评估指标，每项写 name、points，以及 rules（自动扣分）或 manual: true（手工打分）。")
        return None
    indicators = [i for i in (_indicator(item, at("indicators"), diags) for item in items.items) if i]
    total = sum((i.points for i in indicators), Decimal(0))
    if len(indicators) == len(items.items) and total != FULL_MARKS:
        F.error(diags, at("indicators"), f"各指标满分合计为 {total}，应为 100。")
    veto = _veto(node.entries.get("veto"), at("veto"), diags)
    grades = _grades(node.entries.get("grades"), at("grades"), diags)
    return EvaluationConfig(tuple(indicators), veto, grades)


def _number(node, w: Where, diags: Diagnostics) -> Decimal | None:
    text = F.text(node, w, diags, required=True)
    value = figure(text) if text is not None else None
    if text is not None and value is None:
        F.error(diags, w, f"“{text}”不是数字；请写 0 或正数，例如 15 或 0.5。")
    return value


def _indicator(item, where: Where, diags: Diagnostics) -> Indicator | None:
    w = Where(where.path, getattr(item, "line", where.line), where.field)
    if not isinstance(item, Map):
        F.error(diags, w, "每个指标应写成 name、points 和 rules 或 manual。")
        return None
    F.check_keys(item, ("name", "points", "manual", "rules"), where.path, diags)
    name = F.text(item.entries.get("name"), w, diags, required=True)
    points = _number(item.entries.get("points"), Where(w.path, item.key_lines.get("points", w.line), "points"), diags)
    manual = F.boolean(item.entries.get("manual"), w, diags, False)
    rules_node = item.entries.get("rules")
    if manual == (rules_node is not None):
        F.error(diags, w, f"指标“{name}”应写 rules（由台账数据扣分）或 manual: true（在 {SCORES_FILE} 中打分），二者取一。")
        return None
    rules = ()
    if rules_node is not None:
        if not isinstance(rules_node, Seq):
            F.error(diags, w, "rules 应为扣分规则的列表，例如 - {measure: overdue, deduct: 1}。")
            return None
        rules = tuple(r for r in (_rule(r, w, diags) for r in rules_node.items) if r)
    return Indicator(name, points, manual, rules) if name and points is not None else None


def _rule(node, where: Where, diags: Diagnostics) -> Rule | None:
    w = Where(where.path, getattr(node, "line", where.line), "rules")
    if not isinstance(node, Map):
        F.error(diags, w, "扣分规则应写成 {measure: 代号, deduct: 分数}，可加 below、max。")
        return None
    F.check_keys(node, ("measure", "deduct", "below", "max"), where.path, diags)
    measure = F.text(node.entries.get("measure"), w, diags, required=True)
    if measure is not None and measure not in MEASURES:
        F.error(diags, w, f"“{measure}”不是可用的指标数据；可用：{'、'.join(f'{k}（{v[0]}）' for k, v in MEASURES.items())}。")
        return None
    deduct = _number(node.entries.get("deduct"), w, diags)
    below = _number(node.entries["below"], w, diags) if "below" in node.entries else None
    cap = _number(node.entries["max"], w, diags) if "max" in node.entries else None
    if measure and MEASURES[measure][1] == "rate" and below is None:
        F.error(diags, w, f"{MEASURES[measure][0]}是百分数，请写 below：低于多少 % 开始扣分，例如 below: 100。")
        return None
    return Rule(measure, deduct, below, cap) if measure and deduct is not None else None


def _veto(node, where: Where, diags: Diagnostics) -> tuple[Veto, ...]:
    if node is None:
        return ()
    if not isinstance(node, Seq):
        F.error(diags, where, "veto 应为列表，例如 - {item: 报告与事实不符, at_least: 5}。")
        return ()
    found = []
    for item in node.items:
        w = Where(where.path, getattr(item, "line", where.line), "veto")
        if not isinstance(item, Map):
            F.error(diags, w, "一票否决项应写成 {item: 名称, at_least: 项数} 或 {measure: 代号, at_least: 数}。")
            continue
        F.check_keys(item, ("item", "measure", "at_least"), where.path, diags)
        name = F.text(item.entries.get("item"), w, diags) or ""
        measure = F.text(item.entries.get("measure"), w, diags) or ""
        at_least = _number(item.entries.get("at_least"), w, diags)
        if bool(name) == bool(measure) or (measure and measure not in MEASURES):
            F.error(diags, w, f"请写 item（手工填写的项目名称）或 measure（{'、'.join(MEASURES)}）之一。")
        elif at_least is not None:
            found.append(Veto(at_least, name, measure))
    return tuple(found)


def _grades(node, where: Where, diags: Diagnostics) -> tuple[tuple[str, Decimal], ...]:
    if node is None:
        return DEFAULT_GRADES
    if not isinstance(node, Map) or not node.entries:
        F.error(diags, where, "grades 应写成“等次: 最低分”，例如 {好: 90, 较好: 80, 一般: 60}。")
        return DEFAULT_GRADES
    grades = []
    for name, value in node.entries.items():
        score = _number(value, Where(where.path, node.key_lines[name], f"grades.{name}"), diags)
        if score is not None:
            grades.append((name, score))
    if [s for _, s in grades] != sorted((s for _, s in grades), reverse=True):
        F.error(diags, where, "等次应按分数从高到低排列，例如 好: 90、较好: 80、一般: 60。")
    return tuple(grades)


def read_scores(root: Path, rel: str, config: EvaluationConfig, diags: Diagnostics) -> Scores:
    """issues/evaluation.yml: unit -> hand-entered item -> value; absent file, no scores."""
    path = Path(root) / SCORES_FILE
    if not path.is_file():
        return {}
    usable, node = read_yaml(path, rel, SCORES_FILE, diags)
    if not usable or is_empty(node):
        return {}
    if not isinstance(node, Map):
        diags.error(rel, 1, SCORES_FILE, "应按单位分节：“单位名称:”下写“项目: 得分”。")
        return {}
    limits = {i.name: i.points for i in config.indicators if i.manual}
    scores: Scores = {}
    for unit, items in node.entries.items():
        w = Where(rel, node.key_lines[unit], unit)
        if not isinstance(items, Map):
            F.error(diags, w, "应在单位名称下逐行写“项目: 得分”，例如 组织领导: 14。")
            continue
        scores[unit] = {}
        for item, value in items.entries.items():
            iw = Where(rel, items.key_lines[item], f"{unit}.{item}")
            if item not in config.hand_items:
                F.error(diags, iw, f"“{item}”不是手工打分的项目；可用：{'、'.join(sorted(config.hand_items))}。")
                continue
            number = _number(value, iw, diags)
            if number is not None and item in limits and number > limits[item]:
                F.error(diags, iw, f"得分 {number} 超过该指标满分 {limits[item]}。")
            elif number is not None:
                scores[unit][item] = (number, iw.line)
    return scores
