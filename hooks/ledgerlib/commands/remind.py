"""ledger.py remind: one digest per recipient, printed, or sent by mail or webhook.

See reminders.py for what a digest holds and where the sent-log lives. The
SMTP password comes only from the environment (LEDGER_SMTP_PASSWORD): it is
never written in ledger.yml, which every clerk can read.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .. import constants as C
from .. import reminders as R
from ..genre import chinese_date
from ..ledgers import discover
from .warn import day_and_ledger

SENT_LOG = Path(".ledger") / "reminders-sent.json"


def add_arguments(parser) -> None:
    parser.add_argument("--date", metavar="日期", help="按哪一天汇总（默认今天），例如 2023-06-20")
    parser.add_argument("--send", action="store_true", help="发送（默认只打印）：邮件按 ledger.yml 的 reminders 设置，或发到网络钩子")
    parser.add_argument("--smtp", metavar="主机:端口", help="邮件服务器，覆盖 ledger.yml 的 reminders.host 和 port，例如 mail.example.gov.cn:25")
    parser.add_argument("--webhook", metavar="网址", help="网络钩子（内网即时通讯机器人），覆盖 ledger.yml 的 reminders.webhook")
    parser.add_argument("--sent-log", metavar="文件", help=f"发送记录（默认仓库下的 {SENT_LOG}）：同一天同样的提醒只发一次")


def run(args) -> int:
    """Every ledger's reminders when --ledger holds several (the scheduled job's case)."""
    folder = Path(args.ledger)
    refs = discover(folder) if folder.is_dir() and not (folder / C.LEDGER_FILE).is_file() else []
    if len(refs) > 1:
        codes = []
        for ref in refs:
            print(f"## 台账 {ref.name}")
            codes.append(run_one(argparse.Namespace(**{**vars(args), "ledger": str(ref.path)})))
        return max(codes)
    return run_one(args)


def run_one(args) -> int:
    day, ledger = day_and_ledger(args, "请先改正以上错误，再发提醒。")
    if ledger is None:
        return day
    found = R.digests(ledger, day)
    if not found:
        print(f"{chinese_date(day)}没有需要提醒的事项。")
        return 0
    if not args.send:
        for digest in found:
            where = f"（{len(digest.addresses)} 个地址）" if digest.addresses else "（contacts 中没有地址）"
            print(f"=== {digest.name}{where}\n主题：{digest.subject(ledger, day)}\n\n{digest.text(ledger, day)}\n")
        print(f"共 {len(found)} 份提醒，未发送；加 --send 发送。")
        return 0
    try:
        return send(args, ledger, found, day)
    except R.SendError as exc:
        print(exc, file=sys.stderr)
        return 1


def _smtp_target(args, settings) -> tuple[str, int] | None:
    if args.smtp:
        host, _, port = args.smtp.rpartition(":")
        if not host or not port.isdigit():
            raise R.SendError(f"--smtp “{args.smtp}”应写成 主机:端口，例如 127.0.0.1:2525。")
        return host, int(port)
    return (settings.host, settings.port) if settings.host else None


def send(args, ledger, found: list[R.Digest], day) -> int:
    settings = ledger.reminders
    smtp = _smtp_target(args, settings)
    webhook = args.webhook or settings.webhook
    if not smtp and not webhook:
        raise R.SendError("没有发送方式：请在 ledger.yml 的 reminders 中写 host（邮件服务器）或 webhook，"
                          "或用 --smtp 主机:端口、--webhook 网址 指定。")
    log = R.SentLog(Path(args.sent_log) if args.sent_log else ledger.repo_root / SENT_LOG)
    sent = 0
    if smtp:
        sent += _mail(ledger, found, day, smtp, log)
    if webhook:
        for digest in found:
            key = "webhook|" + digest.key(ledger, day)
            if key not in log:
                R.post_webhook(webhook, R.webhook_payload(ledger, digest, day))
                log.add(key)
                sent += 1
                print(f"已发到网络钩子：{digest.name}")
    print(f"共发送 {sent} 份提醒。" if sent else "今天的提醒都已发送过，没有新的提醒。")
    return 0


def _mail(ledger, found: list[R.Digest], day, smtp: tuple[str, int], log: R.SentLog) -> int:
    sender = ledger.reminders.sender
    if not sender:
        raise R.SendError("请在 ledger.yml 的 reminders.sender 写发件地址，例如 zhenggai@example.gov.cn。")
    todo = []
    for digest in found:
        if not digest.addresses:
            print(f"ledger.yml 的 contacts 中没有“{digest.name}”的邮箱地址，未发邮件。")
        elif "smtp|" + digest.key(ledger, day) not in log:
            todo.append(digest)
    if todo:
        R.send_smtp(ledger.reminders, smtp[0], smtp[1], [R.email_message(ledger, d, day, sender) for d in todo],
                    os.environ.get(R.PASSWORD_ENV))
    for digest in todo:
        log.add("smtp|" + digest.key(ledger, day))
        print(f"已发邮件：{digest.name}（{len(digest.addresses)} 个地址）")
    return len(todo)
