"""Reminders that reach people: one digest per recipient, sent once a day.

A digest gathers, for one person or department, the open problems and
measures due within the ladder's first window (ledger.yml ``warnings:``,
20 days by default), those overdue, the letters addressed to them still
awaiting a reply (issues/warnings.yml) and the day the monthly progress
report is due (``reporting: {monthly_day: 5}``). ``ledger.py remind`` prints
them; ``--send`` mails them (SMTP, ledger.yml ``reminders:``) or posts them
as JSON to an intranet IM bot's webhook. Addresses come from ledger.yml
``contacts:`` and from nowhere else; no page or export reads them.

What was sent is kept in a sent-log outside the published site (by default
``.ledger/reminders-sent.json`` at the repository root; CI keeps it in its
cache), keyed by day, channel, recipient and the digest's content, so that
a second run on the same day sends nothing new.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import smtplib
import urllib.request
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from . import lists
from . import warnings as W
from .genre import chinese_date
from .ladder import Reminders
from .model import Ledger

PASSWORD_ENV = "LEDGER_SMTP_PASSWORD"


@dataclass
class Digest:
    """What one recipient is told on one day."""

    name: str  # a department or a person, as the ledger names them
    addresses: tuple[str, ...]
    due_soon: list[str] = field(default_factory=list)  # one line per item
    overdue: list[str] = field(default_factory=list)
    letters: list[str] = field(default_factory=list)
    report_day: dt.date | None = None

    @property
    def empty(self) -> bool:
        return not (self.due_soon or self.overdue or self.letters)

    def subject(self, ledger: Ledger, day: dt.date) -> str:
        parts = [f"临期{len(self.due_soon)}项"] if self.due_soon else []
        parts += [f"逾期{len(self.overdue)}项"] if self.overdue else []
        parts += [f"待回复函件{len(self.letters)}份"] if self.letters else []
        return f"【整改提醒】{ledger.unit}：{'，'.join(parts)}（{chinese_date(day)}）"

    def text(self, ledger: Ledger, day: dt.date) -> str:
        lines = [f"{self.name}：", "",
                 f"截至{chinese_date(day)}，{ledger.round or ledger.title}整改台账中与您有关的事项如下。", ""]
        parts = [(t, i) for t, i in (("已逾期", self.overdue), ("临近整改时限", self.due_soon),
                                      ("待回复的预警督办函", self.letters)) if i]
        for number, (title, items) in zip("一二三", parts, strict=False):
            lines += [f"{number}、{title}", *items, ""]
        if self.report_day:
            lines += [f"整改进展情况请于{chinese_date(self.report_day)}前报送。", ""]
        lines.append("本提醒由整改台账自动发送（ledger.py remind），请勿直接回复。")
        return "\n".join(lines)

    def key(self, ledger: Ledger, day: dt.date) -> str:
        """What the sent-log remembers: the same digest is sent once a day."""
        body = f"{self.subject(ledger, day)}\n{self.text(ledger, day)}".encode()
        return f"{day}|{self.name}|{hashlib.sha256(body).hexdigest()[:16]}"


def digests(ledger: Ledger, day: dt.date) -> list[Digest]:
    """One digest per recipient with something to be told, in the order met."""
    found: dict[str, Digest] = {}

    def to(name: str) -> Digest:
        if name not in found:
            found[name] = Digest(name, ledger.contacts.of(name), report_day=ledger.reporting.next_day(day))
        return found[name]

    window = ledger.ladder.first_window
    for item in W.items(ledger):
        if not W.tracked(item):
            continue
        left = (item.deadline - day).days
        if left > window:
            continue
        line = _item_line(item, left)
        # Its 主办人 and departments, and whom the ladder's level reached addresses (分管领导, head).
        level = W.dated_level(ledger.ladder, left)
        names = _people(item) + list(W.recipients(item, level, ledger) if level else ())
        for name in dict.fromkeys(names):
            (to(name).overdue if left < 0 else to(name).due_soon).append(line)
    for letter in ledger.letters:
        if letter.answered is None:
            for name in letter.to:
                to(name).letters.append(f"{letter.number} {W.level_title(ledger, letter)}（事项 {letter.item_text}），"
                                        f"请于{chinese_date(letter.reply_by)}前回复")
    return [d for d in found.values() if not d.empty]


def _people(item: W.Item) -> list[str]:
    """The item's 整改主办人 and its departments."""
    owners = list(item.measure.owners) if isinstance(item, lists.Task) else list(item.owners)
    return [p for p in W.persons(item) if p not in owners] + owners


def _item_line(item: W.Item, left: int) -> str:
    state = f"已逾期{-left}天" if left < 0 else ("今日到期" if left == 0 else f"剩{left}天")
    if isinstance(item, lists.Task):
        what = f"问题{item.issue.id}“{item.issue.title}”的整改措施{item.number}：{item.measure.text}"
    else:
        what = f"问题{item.id}：{item.title}"
    return f"- {what}（整改时限 {item.deadline}，{state}）"


# -- sending ------------------------------------------------------------------------


class SendError(Exception):
    """A failure explained to the user in Chinese."""


class SentLog:
    """The digests already sent, by key; a JSON file outside the published site."""

    def __init__(self, path: Path):
        self.path = path
        try:
            self.keys = set(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError):
            self.keys = set()

    def __contains__(self, key: str) -> bool:
        return key in self.keys

    def add(self, key: str) -> None:
        self.keys.add(key)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text(json.dumps(sorted(self.keys), ensure_ascii=False, indent=0), encoding="utf-8")


def email_message(ledger: Ledger, digest: Digest, day: dt.date, sender: str) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = digest.subject(ledger, day)
    message["From"] = sender
    message["To"] = ", ".join(digest.addresses)
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain=sender.rsplit("@", 1)[-1])
    message.set_content(digest.text(ledger, day), charset="utf-8")
    return message


def send_smtp(settings: Reminders, host: str, port: int, messages: list[EmailMessage], password: str | None) -> None:
    try:
        with smtplib.SMTP(host, port, timeout=60) as smtp:
            if settings.starttls:
                smtp.starttls()
            if settings.user and password:
                smtp.login(settings.user, password)
            for message in messages:
                smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        raise SendError(f"邮件服务器 {host}:{port} 发送失败：{exc}。请检查 ledger.yml 的 reminders 设置、"
                        f"网络和环境变量 {PASSWORD_ENV}。") from None


def post_webhook(url: str, payload: dict) -> None:
    data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(url, data=data, method="POST",
                                     headers={"Content-Type": "application/json; charset=utf-8"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            response.read()
    except OSError as exc:
        raise SendError(f"网络钩子 {url} 发送失败：{exc}。请检查 ledger.yml 的 reminders.webhook 和网络。") from None


def webhook_payload(ledger: Ledger, digest: Digest, day: dt.date) -> dict:
    """What an IM bot receives: plain fields, the text ready to show."""
    return {"recipient": digest.name, "addresses": list(digest.addresses), "date": day.isoformat(),
            "subject": digest.subject(ledger, day), "text": digest.text(ledger, day),
            "overdue": len(digest.overdue), "due_soon": len(digest.due_soon), "letters": len(digest.letters)}
