"""The 整改评估 pages and 评估表 of a roll-up: a ranked summary, a page and a Word file per unit.

The scores come from ``evaluation.evaluate`` (one per ledger, from the
standing the roll-up already counted). The Word 评估表 is a ``ReportDoc``
(a result paragraph, one paragraph per indicator with its deductions, and
the table as its annex), so the .docx writer lays it out like every other
document of the site.
"""

from __future__ import annotations

import datetime as dt

import jinja2

from .aggregate import Standing
from .downloads import Download
from .evaluation import UnitEvaluation, evaluate, ranked
from .export_docx import render as render_docx
from .genre import chinese_date, heading_number
from .ledgers import Collection
from .measures import format_number
from .render import Page
from .reportdoc import Annex, Paragraph, ReportDoc, Section
from .siteurls import relative_url

EVALUATION_PAGE = "evaluation.md"
UNIT_PAGE = "evaluation.md"  # under each ledger's prefix
UNIT_DOCX = "downloads/整改评估表.docx"
SUMMARY_DOCX = "downloads/整改评估汇总表.docx"
TABLE_COLUMNS = ("评估指标", "满分", "扣分", "得分", "扣分依据")


def _n(value) -> str:
    return "—" if value is None else format_number(value)


class EvaluationPages:
    def __init__(self, collection: Collection, standings: dict[str, Standing], env: jinja2.Environment,
                 directory_urls: bool = True):
        settings = collection.settings
        self.config = settings.evaluation
        self.env, self.directory_urls = env, directory_urls
        self.prefixes = {ref.name: ref.prefix for ref, _ in collection.entries}
        self.as_of = {ref.name: standings[ref.name].as_of for ref, _ in collection.entries}
        self.results = [evaluate(self.config, ref.name, ledger.unit, standings[ref.name], settings.scores)
                        for ref, ledger in collection.entries]
        self.unknown = sorted(set(settings.scores) - set(self.prefixes))  # evaluation.yml names no ledger

    def pages(self) -> list[Page]:
        pages = [Page(EVALUATION_PAGE, "整改评估", self.render(
            "evaluation_rank.md.j2", EVALUATION_PAGE, ranked=ranked(self.results), config=self.config,
            unknown=self.unknown, page=lambda e: self.prefixes[e.name] + UNIT_PAGE, docx=SUMMARY_DOCX))]
        for e in self.results:
            src = self.prefixes[e.name] + UNIT_PAGE
            pages.append(Page(src, f"{e.unit} · 整改评估", self.render(
                "evaluation.md.j2", src, e=e, config=self.config, rows=table_rows(e), columns=TABLE_COLUMNS,
                verdict=verdict(e),
                home=self.prefixes[e.name] + "index.md", docx=self.prefixes[e.name] + UNIT_DOCX), in_nav=False))
        return pages

    def render(self, template: str, src: str, **context) -> str:
        return self.env.get_template(template).render(
            link=lambda target: relative_url(src, target, self.directory_urls), n=_n, **context)

    def downloads(self) -> list[Download]:
        files = [Download(self.prefixes[e.name] + UNIT_DOCX, "整改评估表（Word）",
                          render_docx(unit_doc(e, self.as_of[e.name]), author=e.unit)) for e in self.results]
        day = max(self.as_of.values())
        files.append(Download(SUMMARY_DOCX, "整改评估汇总表（Word）", render_docx(summary_doc(self.results, day))))
        return files


def table_rows(e: UnitEvaluation) -> list[tuple[str, ...]]:
    rows = []
    for r in e.indicators:
        if r.indicator.manual:
            basis = "手工评分（evaluation.yml）" if r.score is not None else "未填写"
        else:
            basis = "；".join(d.text for d in r.deductions if d.amount) or "未扣分"
        rows.append((r.indicator.name, _n(r.indicator.points), _n(r.lost), _n(r.score), basis))
    total = sum((r.indicator.points for r in e.indicators), start=0)
    rows.append(("合计", _n(total), _n(None if e.points is None else total - e.points), _n(e.points),
                 "；".join(f"一票否决：{v.label} {_n(v.value)}（达到 {_n(v.at_least)}）" for v in e.vetoes)))
    return rows


def verdict(e: UnitEvaluation) -> str:
    """The result in one sentence, as the 评估表 and the page open."""
    if e.vetoed:
        hits = "、".join(f"{v.label}{_n(v.value)}项" for v in e.vetoes)
        return f"触发一票否决（{hits}），总分记 0 分，评估等次为“{e.grade}”。"
    if e.total is None:
        return f"尚未评定：{'、'.join(e.missing)}未填写（在 evaluation.yml 中填写后重新生成）。"
    return f"总分 {_n(e.total)} 分，评估等次为“{e.grade}”。"


def unit_doc(e: UnitEvaluation, day: dt.date) -> ReportDoc:
    paragraphs = [Paragraph(f"{r.indicator.name}（满分{_n(r.indicator.points)}分）：得分{_n(r.score)}分。"
                            + "".join(f"{d.text}。" for d in r.deductions if d.amount)) for r in e.indicators]
    sections = (Section(heading_number(1, 1), "评估结果", "summary", (Paragraph(verdict(e)),)),
                Section(heading_number(1, 2), "各项指标得分", "summary", tuple(paragraphs)))
    return ReportDoc(title=f"{e.unit}巡察整改评估表", preamble=(), sections=sections, summary=verdict(e),
                     signature_unit="", signature_date=day, cutoff_date=day, cutoff_from_ledger=True, commit=None,
                     trace=False, annexes=(Annex("整改评估得分表", TABLE_COLUMNS, tuple(table_rows(e))),))


def summary_doc(results: list[UnitEvaluation], day: dt.date) -> ReportDoc:
    rows = tuple((str(rank or "—"), e.unit, _n(e.total), e.grade, "是" if e.vetoed else "")
                 for rank, e in ranked(results))
    counts = {}
    for e in results:
        counts[e.grade] = counts.get(e.grade, 0) + 1
    text = f"截至{chinese_date(day)}，共评估{len(results)}个单位：" + "，".join(f"{g}{c}个" for g, c in counts.items()) + "。"
    return ReportDoc(title="巡察整改评估结果汇总表", preamble=(), sections=(
        Section(heading_number(1, 1), "总体情况", "summary", (Paragraph(text),)),), summary=text,
        signature_unit="", signature_date=day, cutoff_date=day, cutoff_from_ledger=True, commit=None, trace=False,
        annexes=(Annex("各单位评估结果（按总分排序）", ("名次", "被巡察单位", "总分", "等次", "一票否决"), rows),))
