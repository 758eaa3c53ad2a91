"""Deadline calendars (.ics): clerks live in Outlook, WPS and their phones.

Built with the site, one per ledger (``calendar.ics`` beside its pages) and,
with several ledgers, one for everything (``calendar-all.ics``). Events are
all-day: each problem's and each measure's deadline (with owner and status; a done
one says 已完成 and when), and the round's milestones counted from the feedback date
(ledger.yml ``milestones``), the days the warning ladder's levels fall due
for open problems and measures (ledger.yml ``warnings``; from the as-of day
on), and the monthly progress report day (``reporting: {monthly_day: 5}``,
one repeating event). The files are regenerated on every build, so UIDs
are derived from the ledger and the problem: a subscribed calendar updates
the same events instead of adding copies.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable

from . import lists
from . import warnings as W
from .genre import chinese_date
from .ledgers import LedgerRef
from .model import Issue, Ledger, Measure
from .render import ledger_title
from .siteurls import page_url, problem_src

ALL_CALENDAR = "calendar-all.ics"
_PRODID = "-//整改台账//ledger//ZH"


def ledger_events(ref: LedgerRef, ledger: Ledger, as_of: dt.date, directory_urls: bool = True,
                  base_url: str = "") -> list[bytes]:
    """The ledger's events, each serialised once: the ledger's calendar and the
    one for everything are put together from the same bytes. ``as_of``
    (Standing.as_of) stamps them."""
    stamp = dt.datetime.combine(as_of, dt.time(), tzinfo=dt.UTC)
    home = base_url + page_url(ref.prefix + "index.md", directory_urls)
    events = [_milestone(ref, ledger, name, days, home, stamp) for name, days in ledger.milestones
              if ledger.feedback_date]
    if ledger.reporting.monthly_day:
        events.append(_report_day(ref, ledger, ledger.feedback_date or as_of, home, stamp))
    for issue in ledger.issues:
        url = base_url + page_url(ref.prefix + problem_src(issue), directory_urls)
        if issue.deadline:
            events.append(_deadline(ref, ledger, issue, url, stamp))
        events += _warning_dates(ref, ledger, issue, url, stamp, as_of)
        for measure in issue.tasks:
            if measure.deadline:
                events.append(_measure(ref, ledger, issue, measure, url, stamp))
            events += _warning_dates(ref, ledger, lists.Task(issue, measure), url, stamp, as_of)
    return events


def _warning_dates(ref: LedgerRef, ledger: Ledger, item: W.Item, url: str, stamp: dt.datetime,
                   as_of: dt.date) -> list[bytes]:
    """The days the ladder's dated levels fall due for an open item, from
    ``as_of`` on: what is past is on its page already."""
    if not W.tracked(item):
        return []
    found = []
    for level in ledger.ladder.dated:
        day = W.level_day(level, item.deadline)
        if day < as_of:
            continue
        task = isinstance(item, lists.Task)
        name = f"{item.number}. {item.measure.text}" if task else f"{item.id}. {item.title}"
        key = f"{ref.name}/{item.issue.id}/measure/{item.measure.index}" if task else f"{ref.name}/{item.id}"
        lines = [f"台账：{ledger_title(ledger)}", f"{'整改措施' if task else '问题'}：{name}",
                 f"整改时限：{chinese_date(item.deadline)}",
                 f"这一天起为{level.name}，应发{level.letter_title}（ledger.py warn）。", f"问题页面：{url}"]
        found.append(_event(f"{key}/warning/{level.key}", day, f"【{level.name}】{name}", "\n".join(lines), url, stamp))
    return found


def _report_day(ref: LedgerRef, ledger: Ledger, start: dt.date, url: str, stamp: dt.datetime) -> bytes:
    """The monthly progress report (reporting: monthly_day), twelve months from the feedback date."""
    monthly = ledger.reporting.monthly_day
    first = ledger.reporting.next_day(start)
    lines = [f"台账：{ledger_title(ledger)}", f"整改进展情况每月{monthly}日前报送。", f"台账总览：{url}"]
    return _event(f"{ref.name}/reporting/monthly", first, f"【整改进展报送】{ledger.unit}（每月{monthly}日前）",
                  "\n".join(lines), url, stamp, rrule=f"FREQ=MONTHLY;BYMONTHDAY={monthly};COUNT=12")


def _state(status, completed: dt.date | None) -> tuple[bool, str]:
    """Whether a problem or measure is done, and its state as an event says it."""
    done = bool(status.done and completed)
    return done, f"已完成（{chinese_date(completed)}完成）" if done else status.label


def _deadline(ref: LedgerRef, ledger: Ledger, issue: Issue, url: str, stamp: dt.datetime) -> bytes:
    done, state = _state(issue.status, issue.completed)
    lines = [f"台账：{ledger_title(ledger)}",
             f"问题：{issue.id}. {issue.title}",
             f"责任部门：{issue.owner_text or '—'}",
             f"责任领导：{issue.leader or '—'}",
             f"整改时限：{chinese_date(issue.deadline)}",
             f"整改状态：{state}",
             f"问题页面：{url}"]
    prefix = "【已完成】" if done else "【整改时限】"
    return _event(f"{ref.name}/{issue.id}/deadline", issue.deadline,
                  f"{prefix}{issue.id}. {issue.title}（{issue.owner_text}）", "\n".join(lines), url, stamp)


def _measure(ref: LedgerRef, ledger: Ledger, issue: Issue, measure: Measure, url: str, stamp: dt.datetime) -> bytes:
    """One 整改措施 of a problem split into measures (任务清单), on its own deadline."""
    done, state = _state(measure.status, measure.completed)
    lines = [f"台账：{ledger_title(ledger)}",
             f"问题：{issue.id}. {issue.title}",
             f"整改措施 {measure.index}：{measure.text}",
             f"责任部门：{measure.owner_text or '—'}",
             f"责任人：{measure.person or '—'}",
             f"措施时限：{chinese_date(measure.deadline)}",
             f"措施状态：{state}",
             f"问题页面：{url}"]
    prefix = "【已完成】" if done else "【措施时限】"
    return _event(f"{ref.name}/{issue.id}/measure/{measure.index}", measure.deadline,
                  f"{prefix}{issue.id}-{measure.index}. {measure.text}（{measure.owner_text}）", "\n".join(lines), url, stamp)


def _milestone(ref: LedgerRef, ledger: Ledger, name: str, days: int, url: str, stamp: dt.datetime) -> bytes:
    day = ledger.feedback_date + dt.timedelta(days=days)
    lines = [f"台账：{ledger_title(ledger)}",
             f"巡察反馈日期：{chinese_date(ledger.feedback_date)}，反馈后第 {days} 天",
             f"台账总览：{url}"]
    return _event(f"{ref.name}/milestone/{name}", day, f"【{name}】{ledger.unit}", "\n".join(lines), url, stamp)


def _event(key: str, day: dt.date, summary: str, description: str, url: str, stamp: dt.datetime,
           rrule: str = "") -> bytes:
    """One VEVENT, written as icalendar 7 writes an Event with these properties
    (its canonical order, TEXT escaping and line folding; the tests read it
    back with icalendar). Building an icalendar Event cost ~0.15 ms an event,
    a third of a second for 2,000 problems."""
    lines = ["BEGIN:VEVENT",
             "SUMMARY:" + _text(summary),
             f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
             f"DTEND;VALUE=DATE:{day + dt.timedelta(days=1):%Y%m%d}",
             f"DTSTAMP:{stamp.astimezone(dt.UTC):%Y%m%dT%H%M%SZ}",
             "UID:" + _text(hashlib.sha1(key.encode("utf-8")).hexdigest() + "@zhenggai-ledger"),
             *(["RRULE:" + rrule] if rrule else []),
             "DESCRIPTION:" + _text(description),
             "TRANSP:TRANSPARENT"]  # a deadline, not a meeting: the day stays free
    if "://" in url:  # only an absolute address means anything outside the site
        lines.append("URL:" + url)
    lines.append("END:VEVENT")
    return _content_lines(lines)


def _content_lines(lines: list[str]) -> bytes:
    """RFC 5545 content lines: each folded, each ended by CRLF, in UTF-8."""
    return "".join(_fold(line) + "\r\n" for line in lines).encode("utf-8")


def _text(value: str) -> str:
    """RFC 5545 TEXT escaping, in icalendar's order."""
    return (value.replace(r"\N", "\n").replace("\\", "\\\\").replace(";", r"\;").replace(",", r"\,")
            .replace("\r\n", r"\n").replace("\n", r"\n").replace("\r", r"\n"))


def _fold(line: str, limit: int = 75) -> str:
    """Lines of at most 74 octets, continued after CRLF and a space; an escape
    character is not left at a line's end (icalendar's _foldline)."""
    if len(line) * 4 < limit or len(line.encode("utf-8")) < limit:
        return line
    folded, current, size = [], [], 0
    for char in line:
        width = 1 if char < "\x80" else 2 if char < "\u0800" else 3 if char < "\U00010000" else 4
        if current and size + width >= limit:
            if len(current) > 1 and current[-1] in "\\^":
                carried = current.pop()
                folded.append("".join(current))
                current, size = [carried], 1
            else:
                folded.append("".join(current))
                current, size = [], 0
        current.append(char)
        size += width
    folded.append("".join(current))
    return "\r\n ".join(folded)


def calendar(name: str, events: Iterable[bytes]) -> bytes:
    """A VCALENDAR named ``name`` around already serialised VEVENTs, with the
    header icalendar 7 writes (its property order), the name as RFC 5545 TEXT."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:" + _PRODID, "CALSCALE:GREGORIAN",
             "X-WR-CALNAME:" + _text(name)]
    return _content_lines(lines) + b"".join(events) + b"END:VCALENDAR\r\n"
