"""Warning letters (预警函、督办函、告诫书) as documents.

A registered letter (letterbook.Letter) becomes one ``ReportDoc``, the model
the Word writer (export_docx.render, GB/T 9704) already lays out, and the
same model gives the letter's HTML page, which Chromium prints to PDF: the
three cannot disagree. A letter holds what practice requires of one: its
number, the addressees, 督查内容, 任务来源, 承办单位, 完成时限 and 办复要求
(reply by when, 一事一文), and for an escalation the letter before it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from . import lists
from . import warnings as W
from .genre import chinese_date
from .ladder import Ladder, Level
from .letterbook import Letter
from .model import Issue, Ledger
from .reportdoc import Heading, Paragraph, ReportDoc


def issuer_of(ledger: Ledger) -> str:
    return ledger.ladder.issuer or f"{ledger.unit}整改工作领导小组办公室"


def _number_pattern(template: str) -> re.Pattern:
    parts = re.split(r"(\{year\}|\{n\})", template)
    regex = "".join({"{year}": r"(?P<year>\d{4})", "{n}": r"(?P<n>\d+)"}.get(p, re.escape(p)) for p in parts)
    return re.compile(f"^{regex}$")


def numbers(ladder: Ladder, letters: tuple[Letter, ...], day: dt.date, count: int) -> list[str]:
    """The next ``count`` numbers of ``day``'s year, after the register's last."""
    pattern = _number_pattern(ladder.number)
    used = [int(m["n"]) for x in letters if (m := pattern.match(x.number))
            and ("year" not in pattern.groupindex or m["year"] == str(day.year))]
    first = max(used, default=ladder.start - 1) + 1
    return [ladder.number.format(year=day.year, n=n) for n in range(first, first + count)]


def register_entries(ledger: Ledger, due: list[W.Due], day: dt.date) -> list[Letter]:
    """The register's entries for the letters due on ``day``, numbered."""
    reply_by = day + dt.timedelta(days=ledger.ladder.reply_days)
    return [Letter(number, d.level.key, W.item_key(d.item), day, d.deadline, reply_by, d.recipients,
                   final_deadline=day + dt.timedelta(days=d.level.final_days) if d.level.final_days else None)
            for number, d in zip(numbers(ledger.ladder, ledger.letters, day, len(due)), due, strict=True)]


@dataclass(frozen=True)
class Subject:
    """What a letter is about: a problem, or one of its measures."""

    issue: Issue
    task: lists.Task | None

    @property
    def deadline(self) -> dt.date | None:
        return self.task.deadline if self.task else self.issue.deadline

    @property
    def owners(self) -> str:
        return self.task.measure.owner_text if self.task else self.issue.owner_text


class Lookup:
    """The ledger's problems by id and its letters by item, made once for all
    its letters: each letter looks up its subject and the letter before it."""

    def __init__(self, ledger: Ledger):
        self.issues = {i.id: i for i in ledger.issues}
        self.by_item: dict = {}
        for letter in ledger.letters:
            self.by_item.setdefault(letter.item, []).append(letter)


def subject_of(ledger: Ledger, letter: Letter, lookup: Lookup | None = None) -> Subject:
    issue_id = letter.item[0] if isinstance(letter.item, tuple) else letter.item
    issue = (lookup or Lookup(ledger)).issues[issue_id]
    if isinstance(letter.item, tuple):
        measure = next(m for m in issue.tasks if m.index == letter.item[1])
        return Subject(issue, lists.Task(issue, measure))
    return Subject(issue, None)


def _state(deadline: dt.date, day: dt.date) -> str:
    left = (deadline - day).days
    if left > 0:
        return f"距整改时限还有{left}天"
    return "今日到期" if left == 0 else f"已逾期{-left}天"


def _lead(label: str, text: str) -> Paragraph:
    return Paragraph(text, lead=Heading(1, "", f"{label}："))


def letter_doc(ledger: Ledger, letter: Letter, lookup: Lookup | None = None) -> ReportDoc:
    """The letter, laid out by export_docx.render and by the letter pages;
    ``lookup`` (Lookup(ledger)) spares a pass over the ledger per letter."""
    lookup = lookup or Lookup(ledger)
    level = ledger.ladder.level(letter.level)
    subject = subject_of(ledger, letter, lookup)
    issue = subject.issue
    item = f"巡察反馈问题{issue.id}“{issue.title}”"
    if subject.task:
        item += f"的第{subject.task.measure.index}项整改措施“{subject.task.measure.text}”"
    paragraphs = [
        Paragraph(letter.number, role="number"),
        Paragraph(f"{'、'.join(letter.to)}：", role="addressee"),
        Paragraph(f"下列整改事项{_state(letter.deadline, letter.date)}，现发出"
                  f"{level.letter_title if level else letter.level}，请抓紧推进，按时整改到位。"),
        _lead("督查内容", f"{item}的整改落实情况。目前该事项为“{(subject.task or issue).status.label}”。"),
        _lead("任务来源", _source(ledger, issue, subject)),
        _lead("承办单位", _undertaker(subject)),
    ]
    paragraphs.append(_lead("完成时限", f"{chinese_date(letter.deadline)}（{_state(letter.deadline, letter.date)}）。"))
    if letter.final_deadline:
        paragraphs.append(_lead("最后期限", f"{chinese_date(letter.final_deadline)}前必须整改到位。此为告诫，"
                                f"不属于延期；逾期仍未完成的，将依规依纪严肃问责。"))
    paragraphs.append(_lead("办复要求", f"请于{chinese_date(letter.reply_by)}前书面回复整改进展情况（一事一文，加盖公章）；"
                            "已完成的，附佐证材料；确实无法按期完成的，说明进展情况、原因和预计完成时间。"))
    previous = _previous(ledger, letter, lookup)
    if previous:
        paragraphs.append(_lead("前次预警", previous))
    return ReportDoc(title=level.letter_title if level else "督办函", preamble=tuple(paragraphs), sections=(),
                     summary="", signature_unit=issuer_of(ledger), signature_date=letter.date,
                     cutoff_date=letter.date, cutoff_from_ledger=False, commit=None, trace=False)


def _undertaker(subject: Subject) -> str:
    """承办单位, with the 整改主办人 and the 分管领导 the ledger names."""
    people = []
    if subject.task and subject.task.measure.person:
        people.append(f"整改主办人：{subject.task.measure.person}")
    if subject.issue.leader:
        people.append(f"分管领导：{subject.issue.leader}")
    return (subject.owners or "—") + (f"（{'；'.join(people)}）" if people else "")


def _source(ledger: Ledger, issue: Issue, subject: Subject) -> str:
    where = ledger.round + (f"（{ledger.group}）" if ledger.group else "")
    text = f"{where or '巡察'}反馈问题{issue.id}（{issue.category.name}）"
    if subject.task:
        text += f"，整改措施{subject.task.number}：{subject.task.measure.text}"
    return text + "。"


def _previous(ledger: Ledger, letter: Letter, lookup: Lookup) -> str:
    """The latest earlier letter about the same item and deadline, as the next level knows it."""
    earlier = [x for x in lookup.by_item.get(letter.item, ()) if x.deadline == letter.deadline
               and (x.date, x.number) < (letter.date, letter.number) and x.number != letter.number]
    if not earlier:
        return ""
    last = earlier[-1]
    reply = f"已于{chinese_date(last.answered)}回复" if last.answered else "至今未回复"
    return f"已于{chinese_date(last.date)}发出{W.level_title(ledger, last)}（{last.number}），{reply}。"


def level_of(ledger: Ledger, letter: Letter) -> Level | None:
    return ledger.ladder.level(letter.level)
