"""Reading problem histories from git: timelines, renames, merges, chart data."""

from __future__ import annotations

import datetime as dt
import itertools
import os
import subprocess

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from git_fixtures import commit, git, make_history_repo, problem
from ledgerlib import gitrun, load_ledger, revfields, yamlnodes
from ledgerlib import history as history_module
from ledgerlib.chart import chart_layout, progress_series
from ledgerlib.history import read_history
from ledgerlib.ledgerbuild import build_ledger
from ledgerlib.revfields import front_matter_fields

D = dt.date


@pytest.fixture(scope="module")
def history_repo(tmp_path_factory):
    repo = tmp_path_factory.mktemp("history") / "repo"
    shas = make_history_repo(repo, site_inputs=False)
    return repo, shas


def timeline(record) -> list[tuple]:
    return [(e.commit.date.isoformat(), e.commit.author, e.kind,
             tuple((c.field, c.old, c.new) for c in e.changes), e.name) for e in record.events]


def test_timeline_lists_who_changed_status_when(history_repo):
    repo, shas = history_repo
    h = read_history(repo / "issues")
    assert h.state == "ok" and h.commits == 6
    assert timeline(h.of("01-a.md")) == [
        ("2023-01-20", "王科员", "created", (("status", None, "未启动"), ("owner", None, "办公室"),
                                          ("leader", None, "局长"), ("deadline", None, "2023-03-31")), ""),
        ("2023-02-10", "李主任", "changed", (("status", "未启动", "整改中"),), ""),
        ("2023-03-05", "张局长", "changed", (("status", "整改中", "已完成"), ("completed", None, "2023-03-01")), ""),
    ]
    record = h.of("01-a.md")
    assert record.first_seen.sha == shas["register"] and record.last_changed.sha == shas["done1"]


def test_renamed_file_keeps_its_history(history_repo):
    repo, shas = history_repo
    h = read_history(repo / "issues")
    assert h.of("02-b.md") is None
    record = h.of("02-b-改名.md")
    assert timeline(record)[1:] == [
        ("2023-03-05", "张局长", "renamed", (), "02-b-改名.md"),
        ("2023-03-05", "张局长", "changed", (("status", "未启动", "整改中"), ("leader", "局长", "副局长")), ""),
        ("2023-04-15", "张局长", "changed", (("status", "整改中", "已完成"), ("completed", None, "2023-04-10")), ""),
    ]
    assert record.events[1].old_name == "02-b.md"
    assert record.first_seen.date == D(2023, 1, 20)
    # The merge request counts on the day it reached main, by whoever merged it.
    assert record.events[-1].commit.merge and record.events[-1].commit.sha == shas["merge2"]


def test_broken_revision_is_skipped_not_fatal(history_repo):
    repo, _ = history_repo
    record = read_history(repo / "issues").of("03-c.md")
    assert record.unreadable == 1
    assert [(e.commit.date.isoformat(), tuple((c.old, c.new) for c in e.changes if c.field == "status"))
            for e in record.events] == [("2023-01-20", ((None, "未启动"),)), ("2023-03-20", (("未启动", "整改中"),))]
    assert record.last_changed.date == D(2023, 3, 20)


def test_history_up_to_an_older_commit(history_repo):
    repo, shas = history_repo
    h = read_history(repo / "issues", rev=shas["start1"])
    assert set(h.problems) == {"01-a.md", "02-b.md", "03-c.md", "04-d.md", "05-e.md"}
    assert h.of("01-a.md").state["status"] == "整改中"
    assert h.head.sha == shas["start1"]


def test_chart_counts_problems_per_status_by_day(history_repo):
    repo, _ = history_repo
    ledger = load_ledger(repo / "issues")
    data = progress_series(read_history(repo / "issues").moves, ledger.statuses)
    assert [d.isoformat() for d in data.dates] == ["2023-01-20", "2023-02-10", "2023-03-05", "2023-03-20", "2023-04-15"]
    assert {s.key: s.counts for s in data.series} == {
        "todo": (4, 3, 2, 1, 1),
        "doing": (1, 2, 2, 3, 2),
        "done": (0, 0, 1, 1, 2),
        "ongoing": (0, 0, 0, 0, 0),
    }
    assert data.at(D(2023, 3, 10)) == {"todo": 2, "doing": 2, "done": 1, "ongoing": 0}


def test_chart_layout_scales_and_labels_every_line(history_repo):
    repo, _ = history_repo
    ledger = load_ledger(repo / "issues")
    data = progress_series(read_history(repo / "issues").moves, ledger.statuses)
    layout = chart_layout(data, ledger.statuses, cutoff=D(2023, 4, 30))
    assert (layout.start, layout.end) == (D(2023, 1, 20), D(2023, 4, 30))  # drawn up to the cut-off
    assert layout.cutoff_x == pytest.approx(layout.right)
    done = next(line for line in layout.lines if line.key == "done")
    first, last = done.points.split()[0], done.points.split()[-1]
    assert first == f"{layout.left:.1f},{layout.bottom:.1f}"  # 0 on the first day
    assert float(last.split(",")[0]) == pytest.approx(layout.right)
    assert done.last == 2
    # Each line is told apart by dash pattern and marker, not colour alone.
    assert len({(line.dash, line.marker) for line in layout.lines}) == len(layout.lines)
    label_ys = sorted(line.label_y for line in layout.lines)
    assert all(b - a >= 12 for a, b in itertools.pairwise(label_ys))  # end labels never overlap


def test_unknown_historical_status_gets_its_own_series(history_repo):
    repo, _ = history_repo
    ledger = load_ledger(repo / "issues")
    moves = [*read_history(repo / "issues").moves, history_module.StatusMove(D(2023, 5, 1), "已完成", "已销号")]
    data = progress_series(moves, ledger.statuses)
    assert [s.label for s in data.series][-1] == "其他状态"
    assert data.at(D(2023, 5, 1))["_other"] == 1 and data.at(D(2023, 5, 1))["done"] == 1


def test_front_matter_values_are_normalised():
    text = problem(1, "整改中", "2023-3-1", "completed: 2023年4月2日\n").replace("owner: 办公室", "owner: [办公室, 安委办]")
    assert front_matter_fields(text.encode("utf-8-sig")) == {
        "status": "整改中", "owner": "办公室、安委办", "leader": "局长",
        "deadline": "2023-03-01", "completed": "2023-04-02"}
    for broken in (b"no front matter", b"---\nstatus: [x\n---\n", "---\n状态\n---\n".encode(), b"\xff\xfe---"):
        assert front_matter_fields(broken) is None


def test_outside_git_history_is_unavailable(tmp_path):
    from ledger_fixtures import write_ledger
    h = read_history(write_ledger(tmp_path))
    assert h.state == "unavailable" and "不是从 Git 仓库构建" in h.message and h.problems == {}


def test_shallow_clone_is_marked_incomplete(history_repo, tmp_path):
    repo, _ = history_repo
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "2", repo.as_uri(), str(clone)], check=True)
    h = read_history(clone / "issues")
    assert h.state == "shallow" and "浅克隆" in h.message
    assert set(h.problems) == {"01-a.md", "02-b-改名.md", "03-c.md", "04-d.md", "05-e.md"}


def count_git_processes(monkeypatch) -> list:
    calls = []
    real_run = subprocess.run

    def counting_run(args, *a, **kw):
        calls.append(args)
        return real_run(args, *a, **kw)

    monkeypatch.setattr(gitrun.subprocess, "run", counting_run)
    return calls


@pytest.mark.parametrize("problems", [3, 40])
def test_git_processes_do_not_grow_with_problems(tmp_path, monkeypatch, problems):
    repo = tmp_path / "repo"
    (repo / "issues").mkdir(parents=True)
    git(repo, "init", "-q")
    names = [f"{n:03d}-p.md" for n in range(1, problems + 1)]
    commit(repo, "登记", "甲", "2023-01-20T10:00:00+08:00", {n: problem(i, "未启动", "2023-03-31")
                                                              for i, n in enumerate(names, 1)})
    for day, status in ((2, "整改中"), (3, "已完成")):
        extra = "completed: 2023-02-01\n" if status == "已完成" else ""
        commit(repo, status, "乙", f"2023-02-0{day}T10:00:00+08:00",
               {n: problem(i, status, "2023-03-31", extra) for i, n in enumerate(names, 1)})
    calls = count_git_processes(monkeypatch)
    h = read_history(repo / "issues")
    assert len(h.problems) == problems and all(len(r.events) == 3 for r in h.problems.values())
    assert [c[1] for c in calls] == ["rev-parse", "log", "cat-file"]
    assert h.git_processes == 3


def test_chart_svg_is_generated_markup_with_escaped_labels(history_repo):
    """The SVG is put back after the sanitiser, so everything in it must be escaped by us."""
    import dataclasses

    from ledgerlib.render import Renderer, slot_html
    repo, _ = history_repo
    ledger = load_ledger(repo / "issues")
    evil = '<script>alert("x")</script>'
    ledger = dataclasses.replace(ledger, statuses=tuple(
        dataclasses.replace(s, label=evil + s.label) if s.key == "done" else s for s in ledger.statuses))
    dashboard = Renderer(build_ledger(ledger, today=D(2023, 4, 30), history=read_history(repo / "issues"))).pages().pages[0]
    svg = dashboard.slots["progress-chart"]
    assert svg.startswith("<svg") and "<script" not in svg and "&lt;script&gt;" in svg
    assert slot_html("progress-chart") in dashboard.markdown and "<svg" not in dashboard.markdown


FM_ALPHABET = "整改中办公室a1 :#-'\"[]{},&*!|>%@`~\t、\\\u2028"
fm_value = st.text(alphabet=FM_ALPHABET, max_size=12)
fm_key = st.sampled_from((*revfields.TRACKED, "title", "id"))
fm_line = st.one_of(
    st.tuples(fm_key, fm_value).map(lambda kv: f"{kv[0]}: {kv[1]}"),
    st.tuples(fm_key, fm_value, st.sampled_from("\"'")).map(lambda kv: f"{kv[0]}: {kv[2]}{kv[1]}{kv[2]}"),
    st.sampled_from(["  - 办公室", "- 安委办", "owner:", "status:整改中", "# 注释", "", "  续行"]),
)


@settings(max_examples=500, deadline=None)
@given(st.lists(fm_line, max_size=8))
@example(["title: '", "status: 1'"])  # a quoted title running on over the status line
@example(['title: "其中: 2020 # 年"', 'status: "整改中"', "owner: '办公室'"])  # as ledger.py import writes
@example(['title: "a"b"', "status: 整改中"])
def test_fast_front_matter_path_agrees_with_the_yaml_parser(lines):
    """The shortcut for simple files may decline, but never disagrees with YAML
    on a revision YAML can read. (On one that YAML cannot read, the shortcut
    still reads the tracked lines when they are plain: a slip in another field
    does not hide a status change.)"""
    text = "\n".join(lines)
    fast = revfields._simple_fields(text)
    try:
        node = yamlnodes.parse(text)
    except yamlnodes.YamlSyntaxError:
        return
    if fast is None or not isinstance(node, yamlnodes.Map):
        return
    assert fast == {k: revfields.normalise(k, node.entries.get(k)) for k in revfields.TRACKED}


def test_fast_path_reads_the_quoted_lines_import_writes():
    text = 'id: 2\ntitle: "其中2020年度: 内容 # 为空"\nstatus: "整改中"\nowner: \'办公室\'\ndeadline: 2023-09-09'
    assert revfields._simple_fields(text) == {
        "status": "整改中", "owner": "办公室", "leader": None, "deadline": "2023-09-09", "completed": None}
    assert revfields._simple_fields('title: "a\\"b"\nstatus: 整改中') is None  # an escape: to the parser


def test_uncommitted_edit_is_shown_after_the_timeline(history_repo, tmp_path):
    from ledgerlib.render import Renderer
    repo, _ = history_repo
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(repo), str(clone)], check=True)
    path = clone / "issues" / "04-d.md"
    path.write_text(path.read_text(encoding="utf-8").replace("status: 未启动", "status: doing"), encoding="utf-8")
    ledger = load_ledger(clone / "issues")
    pages = {p.src_uri: p.full_markdown() for p in Renderer(build_ledger(ledger, today=D(2023, 4, 30), history=read_history(clone / "issues"))).pages().pages}
    assert "尚未提交</span> 文件中已将整改状态从“未启动”改为“整改中”，提交后计入变更记录。" in pages["problems/4.md"]
    assert "尚未提交" not in pages["problems/3.md"]  # committed state, written as key or label alike


def test_missing_git_is_named_plainly(history_repo, monkeypatch):
    repo, _ = history_repo
    monkeypatch.setenv("PATH", "/nonexistent")
    h = read_history(repo / "issues")
    assert h.state == "unavailable" and h.message == "构建环境没有安装 Git，无法显示变更记录。"


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to give the clone away")
def test_repository_of_another_user_is_named_plainly(history_repo, tmp_path, monkeypatch):
    repo, _ = history_repo
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(repo), str(clone)], check=True)
    for path in [clone, *clone.rglob("*")]:
        os.lchown(path, 65534, 65534)  # nobody
    monkeypatch.setenv("HOME", str(tmp_path))  # no safe.directory from the user's config
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")  # nor from the system's
    h = read_history(clone / "issues")
    assert h.state == "unavailable" and "Git 拒绝读取此仓库" in h.message and "safe.directory" in h.message


def test_history_after_hides_what_came_before_the_ledger(history_repo):
    # ledger.yml's history_after (written by `ledger.py init`): the commits up
    # to and including it belong to whatever the folder held before.
    repo, shas = history_repo
    h = read_history(repo / "issues", after=shas["done1"])
    assert h.state == "ok" and h.commits == 3  # broken3, fix3, merge2
    assert h.earliest.sha == shas["broken3"]
    assert min(m.date for m in h.moves) > D(2023, 3, 5)
    # A problem first touched after the start is "created" then (its broken
    # revision of 03-06), with no older events.
    record = h.of("03-c.md")
    assert [(e.commit.date, e.kind) for e in record.events] == [(D(2023, 3, 6), "created"), (D(2023, 3, 20), "changed")]
    assert record.first_seen.sha == shas["broken3"]
    assert h.of("01-a.md") is None and h.of("04-d.md") is None  # untouched since: not this ledger's


def test_history_after_with_an_unknown_commit_says_so(history_repo):
    repo, _ = history_repo
    h = read_history(repo / "issues", after="0123456789abcdef0123456789abcdef01234567")
    assert h.state == "unavailable" and "history_after" in h.message and "0123456" in h.message


def test_history_after_with_as_of_rev_reads_only_between(history_repo):
    repo, shas = history_repo
    h = read_history(repo / "issues", rev=shas["fix3"], after=shas["done1"])
    assert [c for c in (h.earliest.sha, h.head.sha)] == [shas["broken3"], shas["fix3"]]
