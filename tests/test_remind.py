"""ledger.py remind: one digest per recipient, delivered to a real SMTP server
(aiosmtpd) and to a local webhook, once a day, and no address published."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from aiosmtpd.controller import Controller

from conftest import copy_repo, ledger_cli, mkdocs_build
from ledgerbench.previewbench import free_port
from warning_fixtures import CUTOFF, add_to_ledger_yml, shift

CONTACTS = """\
contacts:
  办公室: [bgs.t5@example.gov.cn]
  执法大队: zfdd-x9@example.gov.cn
  张*: [zhang.q7@example.gov.cn, zhang.q8@example.gov.cn]
  局党委书记: shuji.k3@example.gov.cn
reminders:
  host: mail.invalid
  port: 25
  sender: zhenggai.s1@example.gov.cn
"""
ADDRESSES = ("bgs.t5@example.gov.cn", "zfdd-x9@example.gov.cn", "zhang.q7@example.gov.cn",
             "zhang.q8@example.gov.cn", "shuji.k3@example.gov.cn", "zhenggai.s1@example.gov.cn")

# Who hears of the shifted sample on the cut-off day: each item's 主办人 and
# departments, the 分管领导 of the yellow ones (problems 4, 5), the head of the
# red ones (problem 6, measure 7-2).
RECIPIENTS = ("办公室", "安委办", "执法大队", "张*", "李*", "局党委书记", "分管安全生产副局长")


@pytest.fixture
def repo(tmp_path):
    repo = copy_repo(tmp_path / "repo")
    shift(repo)
    add_to_ledger_yml(repo, CONTACTS)
    return repo


def remind(repo, *more):
    return ledger_cli("--ledger", repo / "issues", "remind", "--date", CUTOFF, *more, cwd=repo)


class Inbox:
    """aiosmtpd's handler: every message as the server received it."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, envelope.content))
        return "250 OK"


@pytest.fixture
def smtp_server():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller.port, inbox
    finally:
        controller.stop()


@pytest.fixture
def webhook():
    received = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append((self.headers["Content-Type"], json.loads(body.decode("utf-8"))))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/hook", received
    finally:
        server.shutdown()
        server.server_close()


def test_prints_one_digest_per_recipient_by_default(repo):
    result = remind(repo)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.count("=== ") == len(RECIPIENTS)
    for name in RECIPIENTS:
        assert f"=== {name}（" in out, name
    assert "整改进展情况请于2023年7月5日前报送" in out  # reporting: monthly_day: 5
    assert "已逾期1天" in out and "剩20天" in out and "未发送" in out
    assert not any(a in out for a in ADDRESSES)  # a CI log is no place for them either
    assert "剩21天" not in out  # 21 days: outside the first window (20)


def test_send_by_smtp_once_a_day(repo, smtp_server, tmp_path):
    port, inbox = smtp_server
    result = remind(repo, "--send", "--smtp", f"127.0.0.1:{port}")
    assert result.returncode == 0, result.stderr
    # One message to each recipient with addresses: 办公室, 执法大队, 张*, 局党委书记.
    assert len(inbox.messages) == 4, result.stdout
    subjects = {}
    for rcpt, content in inbox.messages:
        message = email.message_from_bytes(content, policy=email.policy.default)
        subjects[tuple(sorted(rcpt))] = str(message["Subject"])
        assert message.get_content_type() == "text/plain"
        assert "本提醒由整改台账自动发送" in message.get_content()
        assert message["From"] == "zhenggai.s1@example.gov.cn"
    assert ("zhang.q7@example.gov.cn", "zhang.q8@example.gov.cn") in subjects
    assert all(s.startswith("【整改提醒】区应急管理局党委：") for s in subjects.values()), subjects
    assert "逾期1项" in subjects[("zfdd-x9@example.gov.cn",)]
    assert "“安委办”的邮箱地址" in result.stdout  # no address: said, not sent
    again = remind(repo, "--send", "--smtp", f"127.0.0.1:{port}")
    assert again.returncode == 0 and "没有新的提醒" in again.stdout
    assert len(inbox.messages) == 4
    assert (repo / ".ledger" / "reminders-sent.json").is_file()


def test_send_to_a_webhook_once_a_day(repo, webhook):
    url, received = webhook
    path = repo / "issues" / "ledger.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("  host: mail.invalid\n", f"  webhook: {url}\n"),
                    encoding="utf-8")
    result = remind(repo, "--send")
    assert result.returncode == 0, result.stderr
    names = [payload["recipient"] for _, payload in received]
    assert sorted(names) == sorted(RECIPIENTS)
    content_type, payload = next(r for r in received if r[1]["recipient"] == "执法大队")
    assert content_type.startswith("application/json")
    assert payload["subject"].startswith("【整改提醒】") and payload["overdue"] == 1
    assert payload["addresses"] == ["zfdd-x9@example.gov.cn"] and "已逾期1天" in payload["text"]
    again = remind(repo, "--send")
    assert again.returncode == 0 and "没有新的提醒" in again.stdout and len(received) == len(RECIPIENTS)


def test_the_next_day_sends_again(repo, smtp_server):
    port, inbox = smtp_server
    assert remind(repo, "--send", "--smtp", f"127.0.0.1:{port}").returncode == 0
    next_day = ledger_cli("--ledger", repo / "issues", "remind", "--date", CUTOFF + dt.timedelta(days=1),
                          "--send", "--smtp", f"127.0.0.1:{port}", cwd=repo)
    assert next_day.returncode == 0 and len(inbox.messages) == 8


def test_unreachable_server_is_a_chinese_error(repo):
    result = remind(repo, "--send", "--smtp", f"127.0.0.1:{free_port()}")
    assert result.returncode == 1 and "发送失败" in result.stderr and "Traceback" not in result.stderr
    assert not (repo / ".ledger" / "reminders-sent.json").exists()


@pytest.mark.site
def test_no_address_is_published_in_the_site_or_exports(repo, tmp_path):
    site = tmp_path / "site"
    built = mkdocs_build(repo, site)
    assert built.returncode == 0, built.stderr
    outputs = [p for p in site.rglob("*") if p.is_file()]
    for name, fmt in (("a.xlsx", "xlsx"), ("a.csv", "csv"), ("a.docx", "docx"), ("a.json", "json")):
        result = ledger_cli("--ledger", repo / "issues", "export", "--format", fmt, "--out", tmp_path / name, cwd=repo)
        assert result.returncode == 0, result.stderr
        outputs.append(tmp_path / name)
    assert len(outputs) > 50
    for path in outputs:
        data = path.read_bytes()
        texts = [data]
        if path.suffix in (".xlsx", ".docx"):
            import zipfile
            with zipfile.ZipFile(path) as z:
                texts += [z.read(n) for n in z.namelist()]
        for text in texts:
            for address in ADDRESSES:
                for form in (address.encode(), address.encode("utf-16-le")):
                    assert form not in text, (path, address)


def test_digest_lists_the_letters_awaiting_a_reply(repo):
    (repo / "issues" / "warnings.yml").write_text(
        "- {number: 〔2023〕1号, level: red, item: '6', date: 2023-06-30, deadline: 2023-06-29,"
        " reply_by: 2023-07-05, to: [执法大队, 局党委书记]}\n"
        "- {number: 〔2023〕2号, level: yellow, item: '4', date: 2023-06-25, deadline: 2023-07-10,"
        " reply_by: 2023-06-30, to: [办公室], answered: 2023-06-28}\n", encoding="utf-8")
    out = remind(repo).stdout
    digest = out.split("=== 执法大队")[1].split("=== ")[0]
    assert "待回复的预警督办函" in digest and "〔2023〕1号 红色预警函（事项 6），请于2023年7月5日前回复" in digest
    assert "〔2023〕2号" not in out  # answered: no longer awaited


def test_a_bad_date_is_a_usage_error(repo):
    result = remind(repo, "--date", "2023-13-01")
    assert result.returncode == 2 and "不是日期" in result.stderr


def test_several_ledgers_each_send_their_own(repo, smtp_server):
    import shutil

    port, inbox = smtp_server
    assert ledger_cli("--ledger", repo / "issues", "nest", "A", cwd=repo).returncode == 0
    shutil.copytree(repo / "issues" / "A", repo / "issues" / "B")
    path = repo / "issues" / "B" / "ledger.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("unit: 区应急管理局党委", "unit: 区水务局党组"),
                    encoding="utf-8")
    result = remind(repo, "--send", "--smtp", f"127.0.0.1:{port}")
    assert result.returncode == 0, result.stderr
    assert "## 台账 A" in result.stdout and "## 台账 B" in result.stdout
    subjects = [str(email.message_from_bytes(c, policy=email.policy.default)["Subject"]) for _, c in inbox.messages]
    assert len(subjects) == 8
    assert sum("区应急管理局党委" in s for s in subjects) == 4 and sum("区水务局党组" in s for s in subjects) == 4
