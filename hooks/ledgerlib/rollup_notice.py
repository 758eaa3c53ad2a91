"""The round-level summary (汇总通报) over several ledgers.

A 巡察办 reports on many units in one notice: how many units, how many
problems, done, the rate, the units under the threshold, and a per-unit
table. It is built as a ``report.ReportDoc``, so the report page's template
(GB/T 9704 layout, printable) and the .docx exporter lay it out unchanged.
Its wording is ``rollup_settings.NoticeSettings`` (issues/summary.yml).
(Not to be confused with the ``notice`` document kind, one unit's public
整改情况通报: see documents.py.)
"""

from __future__ import annotations

from .aggregate import format_rate
from .genre import chinese_date, heading_number
from .reportdoc import Annex, Heading, Paragraph, ReportDoc, Section
from .rollup_settings import NoticeSettings

ANNEX_COLUMNS = ("序号", "被巡察单位", "巡察轮次", "反馈日期", "问题数", "已完成", "完成率", "逾期")
SECTION_TITLES = ("总体情况", "各单位整改情况", "下一步工作要求")


def build_notice(rows, total, settings: NoticeSettings, *, commit: str | None = None,
                 dirty: bool = False) -> ReportDoc:
    """``rows``/``total`` are rollup.RollupRow values: one per ledger, and the sums."""
    as_of = total.as_of
    date = chinese_date(as_of)
    words = settings.wording
    threshold = f"{settings.threshold}%"
    low = [row for row in rows if row.low]
    overall = [words["overall"].format(date=date, units=len(rows), total=total.counts.total, done=total.counts.done,
                                       rate=total.counts.rate_text, overdue=total.overdue, continuing=total.continuing)]
    if low:
        names = "、".join(row.ledger.unit for row in low)
        overall.append(words["low"].format(threshold=threshold, count=len(low), names=names))
    else:
        overall.append(words["all_high"].format(threshold=threshold))
    units = [Paragraph(words["unit"].format(unit=row.ledger.unit, round=row.ledger.round, total=row.counts.total,
                                            done=row.counts.done, rate=row.counts.rate_text, overdue=row.overdue,
                                            continuing=row.continuing, feedback_date=row.ledger.feedback_date or ""),
                       lead=Heading(3, heading_number(3, n), _unit_lead(row)))
             for n, row in enumerate(rows, start=1)]
    bodies = ([Paragraph(t) for t in overall], units, [Paragraph(words["closing"])])
    sections = tuple(Section(heading_number(1, n), title, "notice", tuple(blocks))
                     for n, (title, blocks) in enumerate(zip(SECTION_TITLES, bodies, strict=True), start=1))
    return ReportDoc(
        title=settings.title,
        preamble=(Paragraph(words["preamble"].format(date=date, units=len(rows))),),
        sections=sections, summary=overall[0], signature_unit=settings.issuer, signature_date=as_of,
        cutoff_date=as_of, cutoff_from_ledger=all(row.ledger.cutoff_date for row in rows),
        commit=commit, dirty=dirty, annexes=(_annex(rows, total),))


def _unit_lead(row) -> str:
    return f"{row.ledger.unit}（{row.ledger.round}）。" if row.ledger.round else f"{row.ledger.unit}。"


def _annex(rows, total) -> Annex:
    table = [(str(n), row.ledger.unit, row.ledger.round,
              chinese_date(row.ledger.feedback_date) if row.ledger.feedback_date else "", str(row.counts.total),
              str(row.counts.done), row.counts.rate_text, str(row.overdue)) for n, row in enumerate(rows, start=1)]
    table.append(("合计", f"{len(rows)}个单位", "", "", str(total.counts.total), str(total.counts.done),
                  format_rate(total.counts.done, total.counts.total), str(total.overdue)))
    return Annex("各单位整改情况统计表", ANNEX_COLUMNS, tuple(table))
