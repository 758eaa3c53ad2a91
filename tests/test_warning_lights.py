"""The warning ladder's lights: ledger.yml ``warnings:`` read and checked, and
the right light beside every deadline of a built site, counted per level."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from conftest import copy_repo, ledger_cli, mkdocs_build, read
from ledgerlib import aggregate, lists, warnings
from ledgerlib.parser import load_ledger
from site_checks import article_text
from warning_fixtures import CUTOFF, EXPECTED, OFFSETS, add_to_ledger_yml, shift

pytestmark = pytest.mark.site  # make test runs these under ProperDocs too


@pytest.fixture(scope="module")
def shifted(tmp_path_factory):
    root = tmp_path_factory.mktemp("lights")
    repo = copy_repo(root / "repo")
    shift(repo)
    result = mkdocs_build(repo, root / "site")
    assert result.returncode == 0, result.stderr
    return repo, root / "site"


def test_default_ladder_lights_at_each_distance(shifted):
    repo, _ = shifted
    ledger = load_ledger(repo / "issues")
    standing = aggregate.standing(ledger)
    assert standing.as_of == CUTOFF
    for issue in ledger.issues:
        if issue.id in OFFSETS:
            assert standing.light_of(issue).label == (EXPECTED[OFFSETS[issue.id]] or ""), issue.id
        elif issue.status.done:
            assert standing.light_of(issue).level is None
    assert standing.lights.problem_counts == {"green": 2, "yellow": 2, "red": 1}
    tasks = {t.measure.index: standing.light_of(t).label for t in lists.tasks(ledger)}
    assert tasks == {1: "绿色预警", 2: "红色预警", 3: ""}  # the done measure has no light
    assert standing.lights.task_counts == {"green": 1, "yellow": 0, "red": 1}


def _row_of(html: str, marker: str) -> str:
    rows = [r for r in re.findall(r"<tr[^>]*>.*?</tr>", html, re.S) if marker in r]
    assert rows, marker
    return rows[0]


def test_lists_and_problem_pages_show_the_light(shifted):
    _, site = shifted
    listing = read(site / "list" / "index.html")
    for issue_id, offset in OFFSETS.items():
        row = _row_of(listing, f'data-sort="{issue_id}">{issue_id}</td>')
        label = EXPECTED[offset]
        lights = re.findall(r'class="ledger-light ledger-light-(\w+)[^"]*">([^<]+)<', row)
        assert lights == ([(dict(绿色预警="green", 黄色预警="yellow", 红色预警="red")[label], label)] if label else []), row
        page = article_text(site / "problems" / str(issue_id) / "index.html")
        line = page.split("整改时限", 1)[1].split("\n", 2)[1]  # the <dd> after it
        assert (label in line) if label else ("预警" not in line), (issue_id, line)
    tasks = read(site / "tasks" / "index.html") if (site / "tasks" / "index.html").exists() else ""
    problem7 = read(site / "problems" / "7" / "index.html")
    for text in (tasks, problem7):
        if text:
            assert _row_of(text, "健全学习制度").count("绿色预警") == 1
            assert _row_of(text, "建立学习台账").count("红色预警") == 1
            assert "ledger-light" not in _row_of(text, "开展专题学习")


def test_dashboard_counts_per_level(shifted):
    _, site = shifted
    text = article_text(site / "index.html")
    for count, label in ((2, "绿色预警问题"), (2, "黄色预警问题"), (1, "红色预警问题"),
                         (1, "绿色预警措施"), (0, "黄色预警措施"), (1, "红色预警措施")):
        assert re.search(rf"\b{count}\s*{label}", text), (label, text[:800])


def test_custom_ladder_and_its_errors(tmp_path):
    repo = copy_repo(tmp_path / "repo")
    shift(repo, measures=False)
    add_to_ledger_yml(repo, """\
warnings:
  number: "巡整督〔{year}〕{n}号"
  levels:
    - {key: blue, name: 蓝色提醒, before: 3, to: [person], document: 督查单}
    - {key: orange, name: 橙色警示, overdue: 0, to: [owner, leader], document: 督查单}
    - {key: red, name: 红色督办, unanswered: 5, to: [owner, head], document: 督办函, final_days: 10}
""")
    ledger = load_ledger(repo / "issues")
    standing = aggregate.standing(ledger)
    assert [lv.key for lv in ledger.ladder.levels] == ["blue", "orange", "red"]
    assert standing.lights.problem_counts == {"blue": 1, "orange": 1, "red": 0}  # 0 days: blue; −1: orange
    assert ledger.ladder.first_window == 3
    add_to_ledger_yml(repo, "")
    path = repo / "issues" / "ledger.yml"
    text = read(path).replace("before: 3", "before: 三天").replace("to: [owner, head]", "to: [owner, boss]")
    text = text.replace('number: "巡整督〔{year}〕{n}号"', 'number: "巡整督〔{year}〕号"')
    text = text.replace("{key: blue, name: 蓝色提醒, before: 三天,", "{key: Blue, name: 蓝色提醒, before: 三天, overdue: 1,")
    path.write_text(text + "contacts:\n  办公室: [not-an-address]\nreminders:\n  port: 99999\n  webhook: ftp://x\n",
                    encoding="utf-8")
    result = ledger_cli("--ledger", repo / "issues", "validate", cwd=repo)
    assert result.returncode == 1
    out = result.stdout + result.stderr
    for needle in ("warnings.number", "{n}", "只能用小写英文字母", "只写一个触发条件", "收件人“boss”无法识别",
                   "“not-an-address”不是有效的邮箱地址", "端口“99999”超出范围", "“ftp://x”不是有效的网址"):
        assert needle in out, (needle, out)
    assert re.search(r"issues/ledger\.yml:\d+: ", out)
    assert "Traceback" not in out


def test_lights_follow_the_day_without_a_cutoff():
    # The ladder on its own: the distances of the issue (21, 20, 11, 10, 0, −1).
    ladder = load_ledger_default_ladder()
    names = {d: (warnings.dated_level(ladder, d).name if warnings.dated_level(ladder, d) else None) for d in EXPECTED}
    assert names == EXPECTED


def load_ledger_default_ladder():
    from ledgerlib.ladder import DEFAULT_LADDER
    return DEFAULT_LADDER


def test_an_extended_deadline_restarts_the_ladder(tmp_path):
    """A letter about an earlier deadline does not hold the item's light."""
    repo = copy_repo(tmp_path / "repo")
    shift(repo, measures=False)
    (repo / "issues" / "warnings.yml").write_text(
        "- {number: 〔2023〕1号, level: red, item: '2', date: 2023-06-01, deadline: 2023-05-31, "
        "reply_by: 2023-06-06, to: [办公室]}\n", encoding="utf-8")
    ledger = load_ledger(repo / "issues")
    standing = aggregate.standing(ledger)
    issue = next(i for i in ledger.issues if i.id == 2)
    assert standing.light_of(issue).label == "绿色预警"
    assert dt.date(2023, 5, 31) != issue.deadline


def test_calendar_carries_the_warning_days_and_the_report_day(shifted):
    from icalendar import Calendar

    _, site = shifted
    events = list(Calendar.from_ical((site / "calendar.ics").read_bytes()).walk("VEVENT"))
    days = {str(e["SUMMARY"]): e.decoded("DTSTART") for e in events}
    assert len({str(e["UID"]) for e in events}) == len(events)
    # Problem 1 is due 21 days after the cut-off: green on day 20 before it, yellow on day 10, red the day after.
    deadline = CUTOFF + dt.timedelta(days=21)
    title = next(s for s in days if s.startswith("【整改时限】1."))[len("【整改时限】"):].split("（")[0]
    assert days[f"【绿色预警】{title}"] == deadline - dt.timedelta(days=20)
    assert days[f"【黄色预警】{title}"] == deadline - dt.timedelta(days=10)
    assert days[f"【红色预警】{title}"] == deadline + dt.timedelta(days=1)
    # Problem 6 went overdue yesterday: red is today; its green and yellow days are past, not repeated.
    assert [(s, d) for s, d in days.items() if "预警】6." in s] == [(next(s for s in days if s.startswith("【红色预警】6.")), CUTOFF)]
    assert days["【绿色预警】7-1. 健全学习制度"] == CUTOFF
    report = next(e for e in events if str(e["SUMMARY"]).startswith("【整改进展报送】"))
    assert report.decoded("DTSTART") == dt.date(2023, 2, 5)  # the first 5th after the feedback date
    assert report["RRULE"]["FREQ"] == ["MONTHLY"] and report["RRULE"]["BYMONTHDAY"] == [5]
    assert not any("预警" in str(e["SUMMARY"]) and "【已完成】" in str(e["SUMMARY"]) for e in events)
