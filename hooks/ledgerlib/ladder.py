"""ledger.yml's warning ladder (预警、督办) and what reaches people.

``warnings:`` is the escalation ladder: each level has a name, a trigger,
its recipients and its document kind. The default is the one 江津区委巡察办
publishes (三色预警): 20 days before the deadline a 绿色预警函 to the
整改主办人, 10 days before a 黄色预警函 to the 主办人 and the 分管领导,
once overdue a 红色预警函 to the 主办单位 and the unit's head::

    head: 局党委书记 张三            # 单位党组织主要负责人（红色预警函的收件人）
    warnings:
      number: "巡整督〔{year}〕{n}号"  # 函的编号；{n} 每年从 start 起连续编号
      start: 1
      reply_days: 5                  # 办复时限：收函后几日内回复
      issuer: 区应急管理局巡察整改工作领导小组办公室   # 落款（不写则为“单位+整改工作领导小组办公室”）
      levels:
        - {key: green, name: 绿色预警, before: 20, to: [person], document: 预警函}
        - {key: yellow, name: 黄色预警, before: 10, to: [person, leader], document: 预警函}
        - {key: red, name: 红色预警, overdue: 0, to: [owner, head], document: 预警函}
        - {key: admonish, name: 告诫, unanswered: 7, to: [owner, head], document: 告诫书, final_days: 15}

A trigger is one of ``before: N`` (N days or fewer before the deadline),
``overdue: N`` (more than N days past it; 0: from the first day overdue) or
``unanswered: N`` (N days after the previous level's letter, still without a
reply). ``final_days`` makes the letter a 告诫: it sets a new, last deadline.
``reporting:``, ``contacts:`` and ``reminders:`` say when progress reports
are due and where reminders go (reminders.py). Nothing here imports model.py:
model holds these as fields.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from dataclasses import dataclass, field

from . import fields as F
from .errors import Diagnostics
from .fields import Where
from .yamlnodes import Map, Scalar, Seq


class Trigger(enum.Enum):
    """When a level's letter falls due."""

    BEFORE = "before"  # days before the deadline
    OVERDUE = "overdue"  # days past the deadline
    UNANSWERED = "unanswered"  # days after the previous level's letter, no reply


class Recipient(enum.Enum):
    """Who a letter is addressed to, as a ledger knows them."""

    PERSON = "person"  # 整改主办人: a measure's person; a problem's measures' persons, else its departments
    OWNER = "owner"  # 主办单位: the responsible departments
    LEADER = "leader"  # 分管领导: the problem's leader
    HEAD = "head"  # 单位主要负责人: ledger.yml ``head:``


RECIPIENT_LABELS = {Recipient.PERSON: "整改主办人", Recipient.OWNER: "责任部门",
                    Recipient.LEADER: "分管领导", Recipient.HEAD: "单位主要负责人"}


@dataclass(frozen=True)
class Level:
    """One rung of the ladder."""

    key: str  # lowercase code, used in the register and CSS (ledger-light-<key>)
    name: str  # 绿色预警
    trigger: Trigger
    days: int
    recipients: tuple[Recipient, ...]
    document: str  # 预警函, 督办函, 告诫书
    color: str  # CSS colour word: green, yellow, red, orange, blue, purple
    final_days: int | None = None  # a 告诫: the new, last deadline, days after the letter

    @property
    def letter_title(self) -> str:
        """The name and the document kind, their overlap once: 绿色预警 + 预警函
        is 绿色预警函, 告诫 + 告诫书 is 告诫书."""
        for size in range(min(len(self.name), len(self.document)), 0, -1):
            if self.name.endswith(self.document[:size]):
                return self.name + self.document[size:]
        return self.name + self.document


@dataclass(frozen=True)
class Ladder:
    levels: tuple[Level, ...]
    number: str = "〔{year}〕{n}号"  # the letters' number (文号)
    start: int = 1  # the first number of each year
    reply_days: int = 5  # 办复时限
    issuer: str = ""  # who signs the letters; empty: the unit's 整改工作领导小组办公室

    def level(self, key: str) -> Level | None:
        return next((lv for lv in self.levels if lv.key == key), None)

    @property
    def dated(self) -> tuple[Level, ...]:
        """The levels a date reaches (the lights); unanswered ones follow letters."""
        return tuple(lv for lv in self.levels if lv.trigger is not Trigger.UNANSWERED)

    @property
    def first_window(self) -> int:
        """Days before the deadline from which an item is 'due soon' (reminders)."""
        return max((lv.days for lv in self.levels if lv.trigger is Trigger.BEFORE), default=0)

    def previous(self, level: Level) -> Level | None:
        index = self.levels.index(level)
        return self.levels[index - 1] if index else None


DEFAULT_LADDER = Ladder((
    Level("green", "绿色预警", Trigger.BEFORE, 20, (Recipient.PERSON,), "预警函", "green"),
    Level("yellow", "黄色预警", Trigger.BEFORE, 10, (Recipient.PERSON, Recipient.LEADER), "预警函", "yellow"),
    Level("red", "红色预警", Trigger.OVERDUE, 0, (Recipient.OWNER, Recipient.HEAD), "预警函", "red"),
))

_KEY = re.compile(r"^[a-z][a-z0-9_]*$")
_COLORS = ("green", "yellow", "orange", "red", "blue", "purple", "grey")
_LEVEL_KEYS = ("key", "name", "before", "overdue", "unanswered", "to", "document", "color", "final_days")
_EMAIL = re.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")
_HOST = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$")
_URL = re.compile(r"^https?://[^\s/]+(/\S*)?$")


def read_ladder(node, where: Where, diags: Diagnostics) -> Ladder:
    """``warnings:``; absent: the 江津 ladder."""
    if node is None or (isinstance(node, Scalar) and node.is_null):
        return DEFAULT_LADDER
    if not isinstance(node, Map):
        F.error(diags, where, "warnings 应写成 number（编号格式）、reply_days（办复天数）和 levels（预警等级列表）。")
        return DEFAULT_LADDER
    F.check_keys(node, ("number", "start", "reply_days", "issuer", "levels"), where.path, diags)
    e, lines = node.entries, node.key_lines

    at = F.key_where(lines, where.path, where.line, "warnings")

    number = F.text(e.get("number"), at("number"), diags) or DEFAULT_LADDER.number
    if "{n}" not in number:
        F.error(diags, at("number"), f"编号格式“{number}”里要有 {{n}}（序号），可加 {{year}}（年份），例如 巡整督〔{{year}}〕{{n}}号。")
    else:
        _check_placeholders(number, {"n", "year"}, at("number"), diags)
    start = F.positive_int(e["start"], at("start"), diags) if "start" in e else None
    reply = F.positive_int(e["reply_days"], at("reply_days"), diags) if "reply_days" in e else None
    levels = _read_levels(e.get("levels"), at("levels"), diags) if "levels" in e else DEFAULT_LADDER.levels
    return Ladder(levels, number, start or 1, reply or DEFAULT_LADDER.reply_days,
                  F.text(e.get("issuer"), at("issuer"), diags) or "")


def _check_placeholders(template: str, allowed: set[str], where: Where, diags: Diagnostics) -> None:
    names = set(re.findall(r"{([^{}]*)}", template))
    if names - allowed or template.count("{") != template.count("}"):
        F.error(diags, where, f"“{template}”只能使用 {'、'.join('{' + a + '}' for a in sorted(allowed))}，花括号要成对。")


def _read_levels(node, where: Where, diags: Diagnostics) -> tuple[Level, ...]:
    if not isinstance(node, Seq) or not node.items:
        F.error(diags, where, "levels 应为预警等级列表，至少一级，每级写 key、name、触发条件（before/overdue/unanswered）、to、document。")
        return DEFAULT_LADDER.levels
    levels: list[Level] = []
    for item, w in F.map_items(node, where, diags, "每一级写成 {key: green, name: 绿色预警, before: 20, to: [person], document: 预警函}。",
                               _LEVEL_KEYS):
        level = _read_level(item, Where(w.path, w.line, "warnings.levels"), diags, levels)
        if level is not None:
            levels.append(level)
    return tuple(levels)


def _read_level(item: Map, w: Where, diags: Diagnostics, before: list[Level]) -> Level | None:
    e = item.entries
    start = diags.error_count
    key = F.text(e.get("key"), w, diags, required=True) or ""
    name = F.text(e.get("name"), w, diags, required=True) or ""
    if key and not _KEY.match(key):
        F.error(diags, w, f"等级代号“{key}”只能用小写英文字母、数字和下划线，例如 green。")
    if any(lv.key == key or lv.name == name for lv in before):
        F.error(diags, w, f"预警等级“{key or name}”重复；每级的 key 和 name 都不能相同。")
    triggers = [t for t in Trigger if t.value in e]
    if len(triggers) != 1:
        F.error(diags, w, "每级写且只写一个触发条件：before: 天数（时限前）、overdue: 天数（逾期后，0 为一逾期即发）"
                "或 unanswered: 天数（上一级函发出后未回复的天数）。")
        return None
    trigger = triggers[0]
    days = _days(e[trigger.value], Where(w.path, item.key_lines[trigger.value], f"warnings.levels.{trigger.value}"), diags)
    if trigger is Trigger.UNANSWERED and not before:
        F.error(diags, w, "unanswered（上一级函未回复）不能用于第一级：它跟在上一级之后。")
    recipients = _recipients(e.get("to"), Where(w.path, item.key_lines.get("to", w.line), "warnings.levels.to"), diags)
    color = F.text(e.get("color"), w, diags) or _default_color(key)
    if color not in _COLORS:
        F.error(diags, w, f"颜色“{color}”无法识别；可用：{'、'.join(_COLORS)}。")
    final = F.positive_int(e["final_days"], w, diags) if "final_days" in e else None
    if diags.error_count > start or days is None:
        return None
    return Level(key, name, trigger, days, recipients, F.text(e.get("document"), w, diags) or "预警函", color, final)


def _default_color(key: str) -> str:
    return key if key in _COLORS else "red"


def _days(node, where: Where, diags: Diagnostics) -> int | None:
    value = F.text(node, where, diags, required=True)
    if value is None:
        return None
    if not value.isdigit() or (len(value) > 1 and value.startswith("0")):
        F.error(diags, where, f"“{value}”应为天数（非负整数），例如 20。")
        return None
    return int(value)


def _recipients(node, where: Where, diags: Diagnostics) -> tuple[Recipient, ...]:
    names = F.text_list(node, where, diags) or []
    known = {r.value: r for r in Recipient}
    found = []
    for name in names:
        if name not in known:
            choices = "、".join(f"{r.value}（{RECIPIENT_LABELS[r]}）" for r in Recipient)
            F.error(diags, where, f"收件人“{name}”无法识别；可用：{choices}。")
        else:
            found.append(known[name])
    if not names:
        F.error(diags, where, "请写明收件人 to，例如 [person, leader]。")
    return tuple(found)


# -- reporting, contacts, reminders -------------------------------------------

@dataclass(frozen=True)
class Reporting:
    """ledger.yml ``reporting:``: progress reports are due on a fixed day."""

    monthly_day: int | None = None  # 每月几日前报送整改进展

    def next_day(self, day: dt.date) -> dt.date | None:
        """This month's report day, or next month's once it has passed."""
        if not self.monthly_day:
            return None
        if day.day <= self.monthly_day:
            return day.replace(day=self.monthly_day)
        year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
        return dt.date(year, month, self.monthly_day)


@dataclass(frozen=True)
class Reminders:
    """ledger.yml ``reminders:``: how ``ledger.py remind --send`` sends."""

    host: str = ""
    port: int = 25
    starttls: bool = False
    sender: str = ""
    user: str = ""  # SMTP login; the password only from LEDGER_SMTP_PASSWORD
    webhook: str = ""  # intranet IM bot: the digests posted as JSON


@dataclass(frozen=True)
class Contacts:
    """ledger.yml ``contacts:``: department or person -> addresses. Never
    published: only reminders.py reads them."""

    addresses: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def of(self, name: str) -> tuple[str, ...]:
        return self.addresses.get(name, ())


NO_REPORTING, NO_CONTACTS, NO_REMINDERS = Reporting(), Contacts(), Reminders()


def read_reporting(node, where: Where, diags: Diagnostics) -> Reporting:
    if node is None or (isinstance(node, Scalar) and node.is_null):
        return Reporting()
    if not isinstance(node, Map):
        F.error(diags, where, "reporting 应写成 monthly_day: 5（每月几日前报送整改进展）。")
        return Reporting()
    F.check_keys(node, ("monthly_day",), where.path, diags)
    value = node.entries.get("monthly_day")
    if value is None:
        return Reporting()
    w = Where(where.path, node.key_lines["monthly_day"], "reporting.monthly_day")
    day = F.positive_int(value, w, diags)
    if day is not None and day > 28:
        F.error(diags, w, f"{day} 日不是每个月都有；请写 1 到 28 之间的日子。")
        day = None
    return Reporting(day)


def read_contacts(node, where: Where, diags: Diagnostics) -> Contacts:
    if node is None or (isinstance(node, Scalar) and node.is_null):
        return Contacts()
    if not isinstance(node, Map):
        F.error(diags, where, "contacts 应写成“部门或姓名: [邮箱地址, …]”，每行一个，例如 办公室: [bgs@example.gov.cn]。")
        return Contacts()
    found = {}
    for name, value in node.entries.items():
        w = Where(where.path, node.key_lines[name], f"contacts.{name}")
        addresses = F.text_list(value, w, diags) or []
        for address in addresses:
            if not _EMAIL.match(address):
                F.error(diags, w, f"“{address}”不是有效的邮箱地址；请写成 name@example.gov.cn 的形式。")
        if not addresses:
            F.error(diags, w, "请至少写一个邮箱地址，或删除这一行。")
        found[name] = tuple(addresses)
    return Contacts(found)


def read_reminders(node, where: Where, diags: Diagnostics) -> Reminders:
    if node is None or (isinstance(node, Scalar) and node.is_null):
        return Reminders()
    if not isinstance(node, Map):
        F.error(diags, where, "reminders 应写成 host、port、starttls、sender（发件地址）、user，或 webhook（网址）。")
        return Reminders()
    F.check_keys(node, ("host", "port", "starttls", "sender", "user", "webhook"), where.path, diags)
    e, lines = node.entries, node.key_lines

    at = F.key_where(lines, where.path, where.line, "reminders")

    host = F.text(e.get("host"), at("host"), diags) or ""
    if host and not _HOST.match(host):
        F.error(diags, at("host"), f"“{host}”不是有效的主机名；请写邮件服务器的名称或 IP 地址，例如 mail.example.gov.cn。")
    port = F.positive_int(e["port"], at("port"), diags) if "port" in e else None
    if port is not None and port > 65535:
        F.error(diags, at("port"), f"端口“{port}”超出范围（1 到 65535）。")
    sender = F.text(e.get("sender"), at("sender"), diags) or ""
    if sender and not _EMAIL.match(sender):
        F.error(diags, at("sender"), f"“{sender}”不是有效的发件地址；请写成 zhenggai@example.gov.cn 的形式。")
    webhook = F.text(e.get("webhook"), at("webhook"), diags) or ""
    if webhook and not _URL.match(webhook):
        F.error(diags, at("webhook"), f"“{webhook}”不是有效的网址；请写成 http://im.example.gov.cn/hook 的形式。")
    return Reminders(host, port or 25, F.boolean(e.get("starttls"), at("starttls"), diags, False), sender,
                     F.text(e.get("user"), at("user"), diags) or "", webhook)
