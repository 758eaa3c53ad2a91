"""Synthetic ledgers for benchmarks: N problems of realistic Chinese text.

The text is cut from a real ledger (by default the sample one, whose texts are
the seed report's verbatim): each synthetic problem takes the length of a real
problem and is filled with real sentences, so that Markdown, the search
segmenter and page sizes see what they would see in production. Problems are
spread over the ledger's categories, over a pool of departments that grows
with N (a few departments carry most of the work), over statuses and
deadlines; a git history of several dated commits moves them through their
statuses, as a real ledger's history would.

Deterministic: the same source ledger, N and seed give the same files and the
same commits.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from ledgerlib import constants as C
from ledgerlib.gitrun import run_git
from ledgerlib.model import Ledger, Status
from ledgerlib.parser import load_ledger

# Department names of a district office and its units; combined with unit
# prefixes when a large ledger needs more of them.
DEPARTMENTS = (
    "办公室", "政策法规科", "安全生产综合协调科", "应急指挥中心", "风险监测和综合减灾科",
    "危险化学品安全监督管理科", "工贸行业安全监督管理科", "应急救援科", "执法大队", "财务科",
    "人事科", "宣传教育科", "机关党委", "局党支部", "规划财务科", "防汛抗旱办公室",
    "森林防火办公室", "地震和地质灾害救援科", "救灾和物资保障科", "信息化中心",
)
UNITS = (
    "东城街道", "西城街道", "南关街道", "北关街道", "城关镇", "河东镇", "河西镇", "新区管委会",
    "经开区", "高新区", "工业园区", "矿山救护队", "消防救援大队", "气象站", "水务站", "林业站",
)
LEADERS = (
    "局党委书记", "局长", "副局长（分管安全生产）", "副局长（分管应急救援）", "纪检监察组组长",
    "副局长（分管执法）", "党委委员", "总工程师", "工会主席", "四级调研员",
)
EVIDENCE_NAMES = (
    "局党委会议纪要", "整改工作方案", "学习笔记复印件", "专题会议记录", "制度文件汇编",
    "检查通报", "谈心谈话记录", "培训签到表", "整改情况报告", "台账照片",
)
_SENTENCE = re.compile(r"[^。；！？]+[。；！？]?")


@dataclass
class SynthLedger:
    folder: Path
    issues: int
    commits: int
    owners: int


@dataclass
class _Plan:
    id: int
    name: str
    title: str
    category: str
    owners: list[str]
    leader: str
    deadline: dt.date
    path: list[str]  # status key at each commit
    completed: list[dt.date | None]  # completion date at each commit
    evidence: list[str | dict]
    status_note: str | None
    problem: str
    measures: str


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.findall(text.replace("\n", "")) if len(s.strip()) > 4]


def department_pool(n_issues: int) -> list[str]:
    """About one department for every 20 problems, between 8 and 340."""
    pool = list(DEPARTMENTS) + [unit + d for unit in UNITS for d in DEPARTMENTS]
    return pool[:max(8, min(400, n_issues // 20))]


def _fill(rng: random.Random, pool: list[str], length: int) -> str:
    parts, total = [], 0
    while total < length or not parts:
        s = rng.choice(pool)
        parts.append(s)
        total += len(s)
    return "".join(parts)


def _plan_status_path(rng: random.Random, statuses: tuple[Status, ...], commits: int) -> list[str]:
    """Status keys over the commits: every problem starts in the first open
    status, passes through the last open one, and reaches its final status at
    a random commit (55% done, 10% long-term, the rest still open)."""
    open_ = [s for s in statuses if not s.done and s.overdue] or [s for s in statuses if not s.done] or list(statuses)
    done = [s for s in statuses if s.done]
    other = [s for s in statuses if s not in open_ and s not in done]
    r = rng.random()
    final = rng.choice(done) if r < 0.55 else rng.choice(other) if other and r < 0.65 else rng.choice(open_)
    switch = rng.randint(1, commits - 1)
    path = [open_[0].key]
    for k in range(1, commits):
        path.append(final.key if k >= switch else open_[-1].key if k == switch - 1 else path[0])
    return path


def plan(source: Ledger, n: int, *, seed: int = 7, commits: int = 4, ledgers: int = 1) -> tuple[list[_Plan], list[dt.date]]:
    rng = random.Random(seed)
    texts = [i for i in source.issues if i.problem and i.measures]
    if not texts:
        raise ValueError("源台账没有可用作语料的问题")
    problem_pool = [s for i in texts for s in sentences(i.problem)]
    measures_pool = [s for i in texts for s in sentences(i.measures)]
    clauses = [re.split(r"[，。；！？]", s)[0] for s in problem_pool]
    titles = [i.title for i in texts] + [c for c in clauses if 6 <= len(c) <= 24]
    evidence_files = sorted({e.file for i in source.issues for e in i.evidence if e.file})
    # Several ledgers are several units (or rounds), each with its own
    # departments: a pool the size of one ledger's problems, not of all of them.
    owners = department_pool(n // ledgers)
    weights = [1 / (k + 1) ** 0.8 for k in range(len(owners))]  # a few departments carry most of the work
    status_by_key = {s.key: s for s in source.statuses}
    start = source.feedback_date or dt.date(2023, 1, 18)
    end = source.cutoff_date or start + dt.timedelta(days=180)
    end = min(max(end, start + dt.timedelta(days=commits * 7)), dt.date.today())
    span = (end - start).days
    dates = [start + dt.timedelta(days=round(span * k / (commits - 1))) for k in range(commits)]
    result = []
    width = max(2, len(str(n)))
    for number in range(1, n + 1):
        like = rng.choice(texts)  # the real problem this one takes its lengths from
        title = rng.choice(titles)
        stem = re.sub(r"[^\w\u4e00-\u9fff]+", "", title)[:16] or "问题"
        path = _plan_status_path(rng, source.statuses, commits)
        completed: list[dt.date | None] = []
        finished_on = None
        for k, key in enumerate(path):
            if status_by_key[key].done:
                if finished_on is None:
                    low = dates[k - 1] if k else start
                    finished_on = low + dt.timedelta(days=rng.randint(0, max(0, (dates[k] - low).days)))
                completed.append(finished_on)
            else:
                finished_on = None
                completed.append(None)
        chosen = rng.choices(owners, weights)[0]
        owner_list = [chosen] + ([rng.choice(owners)] if rng.random() < 0.25 else [])
        evidence: list[str | dict] = []
        for _ in range(rng.choice((0, 0, 1, 2, 3))):
            if evidence_files and rng.random() < 0.2:
                evidence.append({"name": rng.choice(EVIDENCE_NAMES), "file": rng.choice(evidence_files)})
            else:
                evidence.append(rng.choice(EVIDENCE_NAMES))
        result.append(_Plan(
            id=number,
            name=f"{number:0{width}d}-{stem}.md",
            title=title,
            category=(lambda c: c.short or c.name)(rng.choice(source.categories)),
            owners=list(dict.fromkeys(owner_list)),
            leader=rng.choice(LEADERS),
            deadline=start + dt.timedelta(days=rng.randint(20, 400)),
            path=path,
            completed=completed,
            evidence=evidence,
            status_note=rng.choice(("目前，此项问题已经整改完毕。", "目前，此项工作已经整改完毕。")) if rng.random() < 0.1 else None,
            problem=_fill(rng, problem_pool, len(like.problem)),
            measures=_fill(rng, measures_pool, len(like.measures)),
        ))
    return result, dates


def _q(value: str) -> str:
    """A YAML double-quoted string."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def issue_text(p: _Plan, status: Status, completed: dt.date | None) -> str:
    lines = ["---", f"id: {p.id}", f"title: {_q(p.title)}", f"category: {p.category}",
             f"status: {status.label}", f"owner: {'、'.join(p.owners)}", f"leader: {p.leader}",
             f"deadline: {p.deadline.isoformat()}"]
    if completed:
        lines.append(f"completed: {completed.isoformat()}")
    if p.evidence:
        lines.append("evidence:")
        for item in p.evidence:
            if isinstance(item, dict):
                lines += [f"  - name: {item['name']}", f"    file: {item['file']}"]
            else:
                lines.append(f"  - {item}")
    if p.status_note and status.done:
        lines.append(f"status_note: {p.status_note}")
    lines += ["---", "", f"## {C.PROBLEM_HEADING}", "", p.problem, "", f"## {C.MEASURES_HEADING}", "", p.measures, ""]
    return "\n".join(lines)


def _git(repo: Path, *args: str, date: dt.date | None = None) -> None:
    env = {"GIT_AUTHOR_NAME": "台账管理员", "GIT_AUTHOR_EMAIL": "ledger@example.invalid",
           "GIT_COMMITTER_NAME": "台账管理员", "GIT_COMMITTER_EMAIL": "ledger@example.invalid",
           "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(repo)}
    if date:
        stamp = f"{date.isoformat()}T10:00:00+08:00"
        env.update(GIT_AUTHOR_DATE=stamp, GIT_COMMITTER_DATE=stamp)
    result = run_git(list(args), repo, env=env)
    if result.returncode != 0:
        raise subprocess.CalledProcessError(result.returncode, ["git", *args], result.stdout, result.stderr)


def write_synthetic_ledger(repo: Path, source_dir: Path, n: int, *, seed: int = 7, commits: int = 4,
                           source_repo: Path | None = None, ledgers: int = 1) -> SynthLedger:
    """Write ``repo/issues`` (ledger.yml of ``source_dir`` plus N problems) and
    commit it in ``commits`` dated batches in a new git repository at ``repo``.
    With ``ledgers`` K > 1 the N problems are dealt round-robin into K ledger
    folders (issues/01-单位/ …), each with its own copy of ledger.yml.

    ``repo`` should already hold what ledger.yml refers to (docs/, …); it is
    committed in the first batch.
    """
    if commits < 2:
        raise ValueError("commits 至少为 2")
    source = load_ledger(source_dir, repo_root=source_repo)
    plans, dates = plan(source, n, seed=seed, commits=commits, ledgers=ledgers)
    folder = repo / "issues"
    folders = _ledger_folders(folder, source_dir, ledgers)
    status_by_key = {s.key: s for s in source.statuses}
    _git(repo, "init", "-q", "-b", "main")
    for k, date in enumerate(dates):
        moved = 0
        for p in plans:
            if k and p.path[k] == p.path[k - 1] and p.completed[k] == p.completed[k - 1]:
                continue
            target = folders[(p.id - 1) % len(folders)]
            (target / p.name).write_text(issue_text(p, status_by_key[p.path[k]], p.completed[k]), encoding="utf-8")
            moved += 1
        _git(repo, "add", "-A")
        message = f"录入巡察反馈问题 {n} 个" if k == 0 else f"更新整改进展：{moved} 个问题状态变化"
        _git(repo, "commit", "-q", "--allow-empty", "-m", message, date=date)
    return SynthLedger(folder, n, len(dates), len({o for p in plans for o in p.owners}))


def _ledger_folders(folder: Path, source_dir: Path, ledgers: int) -> list[Path]:
    """issues/ itself, or K ledger folders under it, each with the source's
    ledger.yml (its unit numbered, its narrative paths one level deeper)."""
    text = (source_dir / C.LEDGER_FILE).read_text(encoding="utf-8-sig")
    if ledgers <= 1:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / C.LEDGER_FILE).write_text(text, encoding="utf-8")
        _copy_narratives(source_dir, folder)
        return [folder]
    folders = []
    for k in range(1, ledgers + 1):
        target = folder / f"{k:02d}-单位{k}"
        target.mkdir(parents=True)
        own = re.sub(r"^(unit: *\S+)", rf"\g<1>{k}", text, count=1, flags=re.M)
        (target / C.LEDGER_FILE).write_text(own.replace("../docs/", "../../docs/"), encoding="utf-8")
        _copy_narratives(source_dir, target)
        folders.append(target)
    return folders


def _copy_narratives(source_dir: Path, target: Path) -> None:
    """The narratives ledger.yml names inside the ledger folder (report/)."""
    if (source_dir / "report").is_dir():
        shutil.copytree(source_dir / "report", target / "report", dirs_exist_ok=True)
