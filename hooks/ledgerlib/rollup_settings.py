"""The roll-up's settings: ``issues/summary.yml`` beside the ledger folders.

Loading reads them (ledgers.check_collection); the 汇总通报 (rollup_notice)
and the roll-up page use them. All keys are optional (defaults below); the
wording templates are checked like ledger.yml's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from . import fields as F
from .errors import Diagnostics
from .evalconfig import SCORES_FILE, EvaluationConfig, Scores, read_config, read_scores
from .fields import Where
from .sources import LockEntry, read_lock
from .textfile import read_yaml
from .yamlnodes import Map

SETTINGS_FILE = "summary.yml"

# key -> (default, placeholders it may use)
WORDING = {
    "preamble": ("为推动巡察（审计）反馈问题整改落实落地，现将截至{date}各单位整改情况通报如下。", {"date", "units"}),
    "overall": ("截至{date}，{units}个单位共有反馈问题{total}个，已完成整改{done}个，整改完成率{rate}；"
                "逾期未完成{overdue}个，延续上一轮巡察（审计）的问题{continuing}个。",
                {"date", "units", "total", "done", "rate", "overdue", "continuing"}),
    "low": ("整改完成率低于{threshold}的单位有{count}个：{names}。请上述单位对照问题清单，倒排时间，加快整改。",
            {"threshold", "count", "names"}),
    "all_high": ("各单位整改完成率均达到{threshold}以上。", {"threshold"}),
    "unit": ("反馈问题{total}个，已完成整改{done}个，整改完成率{rate}，逾期未完成{overdue}个。",
             {"unit", "round", "total", "done", "rate", "overdue", "continuing", "feedback_date"}),
    "closing": ("各单位要切实履行整改主体责任，对已完成的问题适时开展“回头看”，对尚未完成的问题明确时限、压实责任，"
                "确保按期整改到位。", set()),
}


@dataclass
class NoticeSettings:
    title: str = "关于巡察反馈问题整改情况的通报"
    issuer: str = "巡察工作领导小组办公室"  # the signature
    threshold: int = 80  # percent: units under it are named and marked
    wording: dict[str, str] = field(default_factory=lambda: {k: v[0] for k, v in WORDING.items()})
    evaluation: EvaluationConfig | None = None  # 整改评估 (evalconfig), when summary.yml has evaluation:
    scores: Scores = field(default_factory=dict)  # issues/evaluation.yml
    # A roll-up over pulled units (sources.py): sources.lock's entries by name, and a warning when damaged.
    sources: dict[str, LockEntry] = field(default_factory=dict)
    lock_warning: str = ""


def read_settings(root: Path, repo: Path, diags: Diagnostics) -> NoticeSettings:
    """issues/summary.yml, or the defaults when there is none."""
    settings = NoticeSettings()
    settings.sources, settings.lock_warning = read_lock(repo)
    path = root / SETTINGS_FILE
    if not path.is_file():
        return settings
    rel = path.resolve().relative_to(repo).as_posix() if path.resolve().is_relative_to(repo) else path.as_posix()
    usable, node = read_yaml(path, rel, SETTINGS_FILE, diags)
    if not usable:
        return settings
    if not isinstance(node, Map):
        diags.error(rel, 1, SETTINGS_FILE, "内容应为“字段: 值”的形式。")
        return settings
    F.check_keys(node, ("title", "issuer", "threshold", "wording", "evaluation"), rel, diags)
    e = node.entries

    at = F.key_where(node.key_lines, rel, 1)

    settings.title = F.text(e.get("title"), at("title"), diags) or settings.title
    settings.issuer = F.text(e.get("issuer"), at("issuer"), diags) or settings.issuer
    if "threshold" in e:
        threshold = F.positive_int(e["threshold"], at("threshold"), diags)
        if threshold is not None and threshold > 100:
            F.error(diags, at("threshold"), f"“{threshold}”应为 1 到 100 之间的百分数，例如 80。")
        elif threshold is not None:
            settings.threshold = threshold
    wording = e.get("wording")
    if isinstance(wording, Map):
        for key, value in wording.entries.items():
            w = Where(rel, wording.key_lines[key], f"wording.{key}")
            if key not in WORDING:
                diags.warn(w.path, w.line, w.field, f"未知措辞项，将被忽略；可用：{'、'.join(WORDING)}")
                continue
            settings.wording[key] = F.text(value, w, diags) or settings.wording[key]
            F.check_template(settings.wording[key], WORDING[key][1], w, diags)
    elif wording is not None:
        F.error(diags, at("wording"), "wording 应写成“措辞项: 模板”，每行一个。")
    if "evaluation" in e:
        settings.evaluation = read_config(e["evaluation"], at("evaluation"), diags)
        if settings.evaluation is not None:
            settings.scores = read_scores(root, Path(rel).with_name(SCORES_FILE).as_posix(),
                                          settings.evaluation, diags)
    return settings
