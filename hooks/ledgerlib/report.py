"""The documents of a round (整改报告 and the kinds of documents.py), built.

``build_report(ledger, standing)`` returns a ``ReportDoc`` (reportdoc.py):
headings and paragraphs of plain text, already numbered (一、 （一） 1. （1）)
and worded the way the genre writes them. Renderers only lay it out: the
site's report page (templates/report.md.j2, printed to PDF) and the .docx
exporter consume the same object, so the two can never say different things.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import aggregate, plaintext
from . import documents as D
from .annexes import annexes
from .constants import PLACEHOLDER, default_category_summary
from .docslots import BlankSlot, Slots, is_blank
from .genre import chinese_date, heading_number, nest_quotes, with_stop
from .measures import result_totals, results_text
from .model import DocumentSpec, Issue, Ledger, Numbering, ReportSection
from .reportdoc import Heading, Paragraph, ProblemBlock, ReportDoc, Section, SectionItem
from .textread import strip_heading_number

PLAN_MEASURES_LABEL = "整改措施："


# --- the parts ---------------------------------------------------------------

def narrative(source: str, *, public: bool = False) -> list[Heading | Paragraph]:
    """A narrative file's blocks, with ``## heading`` turned into run-in headings.

    ``##`` is the （一） level, ``###`` the 1. level and ``####`` the （1）
    level; numbers are counted here, and one typed by habit is dropped rather
    than printed twice. A heading followed by a paragraph is printed at the
    start of that paragraph, ending with a full stop; a heading followed by
    another heading (or nothing) stands alone, as written.

    A block starting with documents.INTERNAL_MARK is internal: the mark is
    never printed, and a ``public`` document leaves the block out (before
    numbering, so that the public copy's numbers have no gaps).
    """
    counters = {2: 0, 3: 0, 4: 0}
    out: list[Heading | Paragraph] = []
    pending: Heading | None = None
    for block in visible_blocks(source, public=public):
        if block.level:
            if pending:
                out.append(pending)
            level = min(max(block.level, 2), 4)
            counters[level] += 1
            for deeper in range(level + 1, 5):
                counters[deeper] = 0
            pending = Heading(level, heading_number(level, counters[level]), strip_heading_number(block.text))
        else:
            run_in = Heading(pending.level, pending.number, with_stop(pending.text)) if pending else None
            out.append(Paragraph(block.text, run_in))
            pending = None
    if pending:
        out.append(pending)
    return out


def visible_blocks(source: str, *, public: bool) -> list[plaintext.TextBlock]:
    """The narrative's blocks without the internal mark; without internal
    blocks when ``public`` (a marked heading takes its section with it)."""
    out = []
    for block, internal in marked_blocks(source):
        if internal and public:
            continue
        if block.text.startswith(D.INTERNAL_MARK):
            block = plaintext.TextBlock(block.text[len(D.INTERNAL_MARK):].lstrip(), block.level)
        out.append(block)
    return out


def marked_blocks(source: str) -> list[tuple[plaintext.TextBlock, bool]]:
    """Each block, and whether it is internal: marked itself, or under a marked
    heading until a heading of the same level or above."""
    out = []
    withheld_level = 0  # the level of the marked heading whose section we are in; 0: none
    for block in plaintext.blocks(source):
        if block.level and withheld_level and block.level <= withheld_level:
            withheld_level = 0
        marked = block.text.startswith(D.INTERNAL_MARK)
        if marked and block.level and not withheld_level:
            withheld_level = block.level
        out.append((block, marked or bool(withheld_level)))
    return out


def internal_count(source: str) -> int:
    return sum(internal for _, internal in marked_blocks(source))


def summary_sentence(ledger: Ledger, standing: aggregate.Standing, wording: dict[str, str] | None = None,
                     blank: list[BlankSlot] | None = None) -> str:
    """Section 二: how many problems in which categories, and how far along they are."""
    wording = wording or ledger.report.wording
    values = wording_values(ledger, standing, blank)
    counts = standing.total
    progress = "all_done" if counts.total and counts.done == counts.total else "partial"
    # The 立行立改 and 整改成效 sentences only when the ledger has such figures.
    return (wording["summary"].format_map(values)
            + (wording["immediate"].format_map(values) if values["immediate"] else "")
            + wording[progress].format_map(values)
            + (wording["results"].format_map(values) if values["results"] else ""))


def wording_values(ledger: Ledger, standing: aggregate.Standing, blank: list[BlankSlot] | None = None) -> Slots:
    """The ledger's facts by placeholder name, for every document's wording
    (documents.WORDING_FIELDS); a fact used while empty goes to ``blank``."""
    counts = standing.total
    groups = [g for g in standing.by_category if g.issues]  # empty categories are not mentioned
    breakdown = nest_quotes("、".join(
        (g.category.summary or default_category_summary(g.category.name)).format(name=g.category.name,
                                                                                   count=len(g.issues))
        for g in groups))
    return Slots(dict(
        group=ledger.group, committee=ledger.committee, unit=ledger.unit, round=ledger.round, period=ledger.period,
        feedback_date=chinese_date(ledger.feedback_date) if ledger.feedback_date else "",
        date=chinese_date(standing.as_of), categories=len(groups), total=counts.total,
        breakdown=breakdown, status_counts=status_counts(ledger, counts),
        rate=counts.rate_text, done=counts.done, undone=counts.total - counts.done,
        window_days=ledger.notice.window_days or "",
        results=results_text(standing.results), immediate=standing.immediate,
        title="", owner="", leader="", deadline="", name="",
    ), [] if blank is None else blank)


def status_counts(ledger: Ledger, counts: aggregate.Counts) -> str:
    """"已完成整改16项，正在整改1项": done statuses first, then the rest in ledger order."""
    ordered = sorted(ledger.statuses, key=lambda s: not s.done)  # stable: keeps ledger order
    return "，".join(s.phrase.format(count=counts.by_status[s.key])
                    for s in ordered if counts.by_status[s.key])


def problem_block(issue: Issue, number: int) -> ProblemBlock:
    return ProblemBlock(
        number=heading_number(3, number),
        issue_id=issue.id,
        title=issue.title.strip(),
        problem=tuple(plaintext.paragraphs(issue.problem)),
        measures=tuple(plaintext.paragraphs(issue.measures)),
        status_key=issue.status.key,
        status_label=issue.status.label,
        status_sentence=issue.report_sentence.strip(),
        done=issue.status.done,
    )


def plan_block(issue: Issue, number: int, wording: dict[str, str], values: Slots) -> ProblemBlock:
    """The plan's problem: its text, its measures (front-matter ``measures:``)
    with department, person and deadline, then who answers for it; nothing
    about progress, so it reads right before anything has started."""
    facts = values.with_(owner=issue.owner_text, leader=issue.leader or TO_BE_SET, deadline=_deadline(issue.deadline))
    steps = tuple(wording["measure"].format_map(
        facts.with_(number=heading_number(4, m.index), text=m.text.strip(), owner=m.owner_text,
                    person=m.person or TO_BE_SET, deadline=_deadline(m.deadline))) for m in issue.tasks)
    closing = wording["assignment_measures" if steps else "assignment"].format_map(facts)
    return replace(problem_block(issue, number), measures=steps, status_sentence=closing,
                   measures_label=PLAN_MEASURES_LABEL)


TO_BE_SET = "另行确定"  # a plan's blank: who or when is not decided yet


def _deadline(day: dt.date | None) -> str:
    return chinese_date(day) if day else TO_BE_SET


def notice_block(issue: Issue, number: int, wording: dict[str, str], values: Slots) -> ProblemBlock:
    """The notice's problem: 关于“标题”问题的整改, then the measures taken;
    the problem's own text stays out (it may name people)."""
    heading = nest_quotes(wording["problem"].format_map(values.with_(title=issue.title.strip())))
    measures = tuple(b.text for b in visible_blocks(issue.measures, public=True))
    return replace(problem_block(issue, number), title="", problem=(heading,), measures=measures)


def problem_blocks(ledger: Ledger, standing: aggregate.Standing, numbering: Numbering | None = None,
                   make=None) -> list[SectionItem]:
    """Section 三: each category's heading and lead paragraph, then its
    problems, each made by ``make(issue, number)`` (default problem_block);
    a category without any problem ``make`` keeps is left out."""
    make = make or problem_block
    out: list[SectionItem] = []
    number = 0
    n = 0
    for group in standing.by_category:
        if numbering == Numbering.PER_CATEGORY or (numbering is None and ledger.report.numbering == Numbering.PER_CATEGORY):
            number = 0
        blocks = []
        for issue in sorted(group.issues, key=lambda i: i.id):
            block = make(issue, number + 1)
            if block is not None:
                number += 1
                blocks.append(block)
        if not blocks:
            continue
        n += 1
        category = group.category
        out.append(Heading(2, heading_number(2, n), category.name))
        out += [Paragraph(p) for p in plaintext.paragraphs(category.intro)]
        out += blocks
    return out


@dataclass
class _Builder:
    """One document of one kind: the spec's sections, filled from the ledger."""

    ledger: Ledger
    standing: aggregate.Standing
    kind: str
    spec: DocumentSpec
    omitted: list[str]
    missing: list[str] = field(default_factory=list)  # settings the genre needs that ledger.yml lacks
    blank: list[BlankSlot] = field(default_factory=list)  # ledger facts a wording used while empty
    scaffolds: list[str] = field(default_factory=list)  # narrative files still holding the placeholder

    @property
    def public(self) -> bool:
        return self.kind in D.PUBLIC_KINDS

    def values(self) -> Slots:
        return wording_values(self.ledger, self.standing, self.blank)

    def narrative(self, path: Path | None) -> list[Heading | Paragraph]:
        if path is None:
            return []
        source = path.read_text(encoding="utf-8-sig")
        if PLACEHOLDER in source:
            self.scaffolds.append(self.rel(path))
        if self.public:
            hidden = internal_count(source)
            if hidden:
                self.omitted.append(f"叙述文件 {self.rel(path)} 中标记为{D.INTERNAL_MARK}的 {hidden} 段")
        return narrative(source, public=self.public)

    def rel(self, path: Path) -> str:
        try:
            return path.resolve().relative_to(self.ledger.repo_root.resolve()).as_posix()
        except ValueError:
            return path.name

    def section(self, spec: ReportSection, number: int) -> Section:
        make = getattr(self, f"gen_{spec.generate}", None) if spec.generate else None
        blocks = make() if make else self.narrative(spec.source)
        return Section(heading_number(1, number), spec.title, spec.generate or "narrative", tuple(blocks))

    def gen_summary(self) -> list[SectionItem]:
        return [Paragraph(summary_sentence(self.ledger, self.standing, self.spec.wording, self.blank))]

    def gen_problems(self) -> list[SectionItem]:
        if not self.public:
            return problem_blocks(self.ledger, self.standing, self.spec.numbering)
        values, wording = self.values(), self.spec.wording
        hidden = [i.id for i in sorted(self.ledger.issues) if not i.public]
        if hidden:
            self.omitted.append("标记为不公开（public: false）的问题：序号 " + "、".join(map(str, sorted(hidden))))
        return problem_blocks(self.ledger, self.standing, self.spec.numbering,
                              lambda issue, n: notice_block(issue, n, wording, values) if issue.public else None)

    def gen_tasks(self) -> list[SectionItem]:
        values, wording = self.values(), self.spec.wording
        return [Paragraph(wording["tasks"].format_map(values)),
                *problem_blocks(self.ledger, self.standing, self.spec.numbering,
                                lambda issue, n: plan_block(issue, n, wording, values))]

    def gen_leading_group(self) -> list[SectionItem]:
        members = [Paragraph(f"{m.role}：{m.name}" + (f"（{m.post}）" if m.post else ""))
                   for m in self.ledger.leading_group]
        if not members:  # "组成如下：" with nobody after it would be printed as is
            self.missing.append("领导小组成员（ledger.yml 的 leading_group）")
        key = "leading_group" if members else "leading_group_none"
        return [Paragraph(self.spec.wording[key].format_map(self.values())), *members]

    def gen_schedule(self) -> list[SectionItem]:
        feedback = self.ledger.feedback_date
        if feedback is None:
            return []
        values = self.values()
        return [Paragraph(self.spec.wording["schedule"].format_map(
                    values.with_(name=name, date=chinese_date(feedback + dt.timedelta(days=days)))))
                for name, days in self.ledger.milestones]

    def gen_count(self) -> list[SectionItem]:
        counts = self.standing.total
        key = "count_all_done" if counts.total and counts.done == counts.total else "count_partial"
        values = self.values()
        out = [Paragraph(self.spec.wording[key].format_map(values))]
        if values["results"]:
            out.append(Paragraph(self.spec.wording["results"].format_map(values)))
        return out

    def gen_contact(self) -> list[SectionItem]:
        notice = self.ledger.notice
        key = "contact" if notice.window_days else "contact_open"
        if not notice.contact:
            self.missing.append("联系方式（ledger.yml 的 notice.contact）")
            key = "contact_none"
        return [Paragraph(self.spec.wording[key].format_map(self.values())),
                *(Paragraph(line) for line in notice.contact)]

    def title(self) -> str:
        if self.kind == D.DEFAULT_KIND:
            return self.spec.title  # the ledger's own title, as typed
        return self.spec.title.format_map(self.values())

    def preamble(self) -> tuple[Paragraph, ...]:
        found = self.narrative(self.spec.preamble)
        if not found and "preamble" in self.spec.wording:
            found = [Paragraph(self.spec.wording["preamble"].format_map(self.values()))]
        return tuple(p if isinstance(p, Paragraph) else Paragraph("", p) for p in found)


def build_report(ledger: Ledger, standing: aggregate.Standing, *, kind: str = D.DEFAULT_KIND,
                 commit: str | None = None, dirty: bool = False) -> ReportDoc:
    """The whole document of ``kind`` (documents.KINDS; the progress report by default).

    ``standing.as_of`` is the data cut-off it states (ledger.yml's
    cutoff_date, else the rebuild or build date); ``commit`` and ``dirty`` say
    which version of the ledger it shows (see ``gitrun.git_commit`` and ``git_dirty``).
    """
    spec = D.spec(ledger, kind)
    public = kind in D.PUBLIC_KINDS
    if public:  # its figures count the public problems only, and it names no commit
        standing = replace(standing, results=tuple(result_totals(ledger, public_only=True)))
        commit, dirty = None, False
    builder = _Builder(ledger, standing, kind, spec, [])
    cutoff = standing.as_of
    preamble = builder.preamble()
    sections = tuple(builder.section(s, n) for n, s in enumerate(spec.sections, 1))
    if public:
        builder.omitted.append("各问题的责任领导、责任人（leader、person 字段）和问题原文")
        if spec.annexes:
            builder.omitted.append("附件（" + "、".join(D.ANNEX_TITLES[a] for a in spec.annexes) + "）：公开的文件不带附件")
    return ReportDoc(
        title=builder.title(),
        preamble=preamble,
        sections=sections,
        summary=summary_sentence(ledger, standing, spec.wording, builder.blank),
        signature_unit=ledger.signature_unit or ledger.unit,
        signature_date=spec.date or ledger.signature_date or cutoff,
        cutoff_date=cutoff,
        cutoff_from_ledger=ledger.cutoff_date is not None,
        commit=commit,
        dirty=bool(commit) and dirty,
        trace=ledger.report.trace and not public,
        annexes=() if public else annexes(spec.annexes, ledger, standing),
        kind=kind,
        omitted=tuple(builder.omitted),
        missing=tuple(builder.missing),
        blank=tuple(builder.blank) + _own_blanks(ledger, kind),
        scaffolds=tuple(dict.fromkeys(builder.scaffolds)),
        names=(ledger.unit, ledger.signature_unit, ledger.committee, ledger.group, ledger.round),
    )


def _own_blanks(ledger: Ledger, kind: str) -> tuple[BlankSlot, ...]:
    """The facts printed as typed, not through a wording: the progress
    report's title and the 落款 unit."""
    found = []
    if kind == D.DEFAULT_KIND and is_blank(ledger.title):
        found.append(BlankSlot("title", "报告标题"))
    if is_blank(ledger.signature_unit or ledger.unit):
        found.append(BlankSlot("signature.unit" if ledger.signature_unit else "unit", "落款单位"))
    return tuple(found)
