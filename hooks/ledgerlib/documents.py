"""The documents of a round, and the genre's defaults for each.

Over one round a unit writes several documents from the same facts:

* ``plan``: the 整改方案, within about a month of feedback, with the
  leading group, each problem's measures and the three lists as annexes;
* ``progress``: the 整改进展情况报告 (``report:`` in ledger.yml, the default);
* ``final``: the 整改完成情况报告 at the end;
* ``notice``: the public 整改情况通报, without what is not public.

Each is one ``report.ReportDoc`` built by ``report.build_report``: a kind is
a different selection and wording of the same facts. This module only says
what each kind is made of, merging ledger.yml's ``documents.<kind>`` over
the defaults below (``spec``).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from .model import DocumentSpec, Ledger, ReportSection


class DocKind(StrEnum):
    """The documents of a round, in the order a round writes them."""

    PLAN = "plan"
    """整改方案: what will be done, by whom, by when (with the three lists)."""
    PROGRESS = "progress"
    """整改进展情况报告: the report on progress, the site's 整改报告."""
    FINAL = "final"
    """整改完成情况报告: the report when the rectification closes."""
    NOTICE = "notice"
    """整改情况通报: the public notice; problems marked public: false are left out."""


KINDS = tuple(k.value for k in DocKind)  # plain strings: command-line choices and page keys
DEFAULT_KIND = DocKind.PROGRESS.value
# Kinds a unit publishes: without withheld problems, names, annexes, the
# trace line or any commit id (in the text or the files' properties).
PUBLIC_KINDS = frozenset({DocKind.NOTICE.value})

# A narrative paragraph starting with this is left out of the public notice,
# and a heading starting with it withholds its whole section (everything up
# to the next heading of its level or above); the mark itself is printed nowhere.
INTERNAL_MARK = "【不公开】"


@dataclass(frozen=True)
class Kind:
    key: DocKind
    label: str  # the page's title and the nav entry
    noun: str  # 本报告 / 本方案 / 本通报, in the trace note
    src: str  # the page, as a path under docs/
    nav: str  # its entry in the nav: short, and 整改报告 stays 整改报告


KIND_INFO = {
    DocKind.PLAN.value: Kind(DocKind.PLAN, "整改方案", "方案", "documents/plan.md", "整改方案"),
    DocKind.PROGRESS.value: Kind(DocKind.PROGRESS, "整改进展情况报告", "报告", "report.md", "整改报告"),
    DocKind.FINAL.value: Kind(DocKind.FINAL, "整改完成情况报告", "报告", "documents/final.md", "完成情况报告"),
    DocKind.NOTICE.value: Kind(DocKind.NOTICE, "整改情况通报", "通报", "documents/notice.md", "整改情况通报"),
}
INDEX_SRC = "documents/index.md"  # 整改文件: the documents of the round
ISSUED_SRC = "documents/issued.md"  # 已报送文件

# Annex tables a document may carry (``annexes:``), with their titles.
ANNEX_TITLES = {"ledger": "整改台账", "problems": "问题清单", "tasks": "任务清单", "owners": "责任清单"}

# What a section may generate instead of reading a narrative file.
GENERATED = {
    "summary": "总体情况（问题数和整改进度）",
    "problems": "逐项整改情况",
    "leading_group": "整改工作领导小组",
    "tasks": "整改任务和措施",
    "schedule": "时间安排",
    "count": "通报的整改数字",
    "contact": "联系方式",
}

# Placeholders any wording may use; report.wording_values fills them in.
WORDING_FIELDS = frozenset({
    "group", "committee", "unit", "round", "period", "feedback_date", "date", "categories", "total", "breakdown",
    "status_counts", "rate", "done", "undone", "window_days", "title", "owner", "leader", "deadline",
    "name", "results", "immediate", "number", "text", "person",
})

PROGRESS_SECTIONS = (ReportSection("集中整改总体情况", generate="summary"),
                     ReportSection("巡察整改落实情况", generate="problems"))

DEFAULTS = {
    "plan": DocumentSpec(
        title="{unit}关于落实{group}巡察反馈意见的整改方案",
        sections=(ReportSection("组织领导", generate="leading_group"),
                  ReportSection("整改任务和措施", generate="tasks"),
                  ReportSection("时间安排", generate="schedule")),
        wording={
            "preamble": "为认真落实{group}巡察反馈意见，切实抓好巡察整改工作，结合工作实际，制定本方案。",
            "leading_group": "成立巡察整改工作领导小组，负责巡察整改工作的统一领导、统筹部署、督促落实。领导小组组成如下：",
            "leading_group_none": "成立巡察整改工作领导小组，负责巡察整改工作的统一领导、统筹部署、督促落实。",
            "tasks": "对照{group}反馈的{categories}个方面{total}项问题，逐项明确整改措施、责任部门、责任领导和整改时限。",
            "assignment": "责任部门：{owner}；责任领导：{leader}；整改时限：{deadline}。",
            # A problem with measures (front-matter measures:): one line each, then its leader.
            "measure": "{number}{text}（责任部门：{owner}；责任人：{person}；整改时限：{deadline}）",
            "assignment_measures": "责任领导：{leader}。",
            "schedule": "{name}：{date}前完成。",
        },
        annexes=("problems", "tasks", "owners")),
    "final": DocumentSpec(
        title="{unit}关于{round}整改完成情况的报告",
        wording={"preamble": "{feedback_date}，{group}向{unit}反馈了巡察意见。{unit}把巡察整改作为重大政治任务，"
                             "逐项对照反馈问题抓好整改落实。现将巡察整改完成情况报告如下。"}),
    "notice": DocumentSpec(
        title="{unit}关于巡察整改情况的通报",
        sections=(ReportSection("整改工作总体情况", generate="count"),
                  ReportSection("巡察反馈问题整改情况", generate="problems"),
                  ReportSection("接受监督", generate="contact")),
        wording={
            "preamble": "根据{committee}统一部署，{period}，{group}对{unit}进行了巡察。{feedback_date}，{group}向{unit}反馈了巡察意见。"
                        "按照党务公开原则和巡察工作有关要求，现将巡察整改情况予以公布。",
            "count_all_done": "截至{date}，巡察反馈{total}个问题，已完成整改{done}个，整改完成率{rate}。",
            "count_partial": "截至{date}，巡察反馈{total}个问题，已完成整改{done}个、正在整改{undone}个，整改完成率{rate}。",
            "results": "在巡察整改工作中，{results}。",
            "problem": "关于“{title}”问题的整改",
            "contact": "欢迎广大干部群众对巡察整改落实情况进行监督。如有意见建议，请在本通报发布之日起{window_days}日内通过以下方式反映：",
            "contact_open": "欢迎广大干部群众对巡察整改落实情况进行监督。如有意见建议，请通过以下方式反映：",
            "contact_none": "欢迎广大干部群众对巡察整改落实情况进行监督。",
        },
        annexes=()),
}
# The report's own keys (report.wording) go with the kinds that reuse its sections.
REPORT_KINDS = ("progress", "final")


def spec(ledger: Ledger, kind: str) -> DocumentSpec:
    """The document's structure and wording: ledger.yml over the genre's defaults.

    ``progress`` is ledger.yml's ``report:``; ``final`` takes the same
    sections and wording unless it sets its own."""
    report = ledger.report
    if kind == DEFAULT_KIND:
        return DocumentSpec(title=ledger.title, preamble=report.preamble,
                            sections=report.sections or PROGRESS_SECTIONS, numbering=report.numbering,
                            wording=dict(report.wording), annexes=("ledger",) if report.annex else ())
    default = DEFAULTS[kind]
    own = ledger.documents.get(kind, DocumentSpec())
    base_sections = report.sections or PROGRESS_SECTIONS if kind in REPORT_KINDS else default.sections
    base_annexes = ("ledger",) if kind in REPORT_KINDS and report.annex else default.annexes
    base_wording = dict(report.wording)  # any kind may generate the report's summary
    return DocumentSpec(
        title=own.title or default.title,
        preamble=own.preamble,  # else the wording's preamble: the report's says 进展, not 完成
        sections=own.sections if own.sections is not None else base_sections,
        numbering=own.numbering or report.numbering,
        wording={**base_wording, **default.wording, **own.wording},
        annexes=own.annexes if own.annexes is not None else base_annexes,
        date=own.date,
    )


def wording_keys(kind: str, report_wording: dict[str, str]) -> list[str]:
    """The wording items ``documents.<kind>.wording`` may set."""
    return [*DEFAULTS[kind].wording, *(k for k in report_wording if k not in DEFAULTS[kind].wording)]
