"""ledger.py bench: time the site build on a synthetic ledger of N problems,
against plain mkdocs-material building the same problem files without hooks.

Everything happens in a temporary folder: a copy of mkdocs.yml, docs/ and
hooks/, a synthetic issues/ with a dated git history (see ``ledgerbench.synth``)
and, beside it, the baseline project. Each stage runs in its own process so
that its peak memory (``os.wait4``'s ru_maxrss) is its own; the stages are
interleaved run by run, so that noise from other work on the machine spreads
over all of them alike. The last line is machine-readable:

    issues=N load_s=… build_s=… baseline_s=… ratio=…
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from ledgerlib.mkdocsrun import mkdocs_command, mkdocs_env

from .synth import write_synthetic_ledger
from .timing import SITE_INPUTS, BenchError, print_table, run_child

# Runs in a fresh interpreter: times loading (every ledger) alone, not Python's start-up.
_LOAD_PROBE = """\
import json, sys, time
sys.path.insert(0, sys.argv[1])
from ledgerlib.ledgers import load_collection
start, cpu = time.perf_counter(), time.process_time()
collection = load_collection(sys.argv[2])
print(json.dumps({"seconds": time.perf_counter() - start, "cpu": time.process_time() - cpu,
                  "issues": sum(len(ledger.issues) for ledger in collection.ledgers)}))
"""

# Aggregated pages whose size matters in a browser, by the URL the site gives them.
WATCHED_PAGES = (
    ("首页", "index.html"),
    ("问题清单", "list/index.html"),
    ("整改报告", "report/index.html"),
    ("责任清单", "owners/index.html"),
    ("按问题方面", "categories/index.html"),
    ("按整改状态", "status/index.html"),
)


def add_arguments(parser) -> None:
    parser.add_argument("--issues", type=int, required=True, metavar="N", help="合成台账的问题数")
    parser.add_argument("--ledgers", type=int, default=1, metavar="K",
                        help="把 N 个问题平均分到 K 个台账（issues/01-单位1/ …），默认 1 个")
    parser.add_argument("--units", type=int, default=0, metavar="K",
                        help="测汇总仓库：把 N 个问题分给 K 个单位仓库，计时 pull 和汇总网站的构建（见 rollupbench）")
    parser.add_argument("--preview", action="store_true",
                        help="测 make serve 的实时预览：修改 R 个问题文件，计时到网页显示修改（见 previewbench）")
    parser.add_argument("--runs", type=int, default=3, metavar="R", help="每个阶段运行次数，取中位数（默认 3）")
    parser.add_argument("--seed", type=int, default=7, help="随机种子（默认 7；相同种子生成相同台账）")
    parser.add_argument("--keep", action="store_true", help="保留临时文件夹（合成台账、两个网站），便于剖析")
    parser.add_argument("--workdir", help="在此文件夹下建临时文件夹（默认系统临时目录）")


@dataclass
class Stage:
    name: str
    seconds: list[float] = field(default_factory=list)  # wall clock
    cpu: list[float] = field(default_factory=list)  # user + system CPU seconds
    user: list[float] = field(default_factory=list)  # user CPU seconds alone
    peak_kb: list[int] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


def prepare(root: Path, repo_src: Path, ledger_src: Path, n: int, seed: int, ledgers: int = 1) -> tuple[Path, Path]:
    """Write the project copy with its synthetic ledger and the baseline project."""
    repo = root / "repo"
    repo.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in SITE_INPUTS:
        src = repo_src / name
        if src.is_dir():
            shutil.copytree(src, repo / name, ignore=ignore)
        else:
            shutil.copy2(src, repo / name)
    write_synthetic_ledger(repo, ledger_src, n, seed=seed, source_repo=ledger_src.resolve().parent, ledgers=ledgers)

    # The baseline: the same problem files as plain pages under problems/, the
    # project's own theme, search and Markdown settings (inherited), no hooks,
    # the problem pages out of the nav as in the real site.
    base = root / "baseline"
    shutil.copytree(repo / "docs", base / "docs", ignore=ignore)
    problems = base / "docs" / "problems"
    problems.mkdir()
    count = 0
    for path in sorted((repo / "issues").rglob("*.md")):  # names are unique across ledgers
        shutil.copy2(path, problems / path.name)
        count += 1
    (base / "docs" / "index.md").write_text(f"# 问题文件\n\n共 {count} 个问题文件。\n", encoding="utf-8")
    top_pages = sorted(p.name for p in (base / "docs").glob("*.md") if p.name != "index.md")
    nav = "\n".join(["nav:", "  - index.md"] + [f"  - {name}" for name in top_pages])
    (base / "mkdocs.yml").write_text(
        "INHERIT: ../repo/mkdocs.yml\n"
        "hooks: []\n"
        "watch: []\n"
        "strict: false\n"  # guide pages link to generated pages that the baseline lacks
        # The theme's own search, as plain mkdocs-material ships it (the
        # ledger's mkdocs.yml turns it off for its own, ledgerlib.search).
        "plugins:\n  - search:\n      lang: zh\n"
        "not_in_nav: |\n  /problems/\n"
        f"{nav}\n", encoding="utf-8")
    return repo, base


def site_facts(site: Path) -> list[tuple[str, str]]:
    """Sizes that decide whether the site is usable: pages and search index."""
    facts = []
    # Under problems/, or <ledger>/problems/ with several ledgers.
    problem_pages = [p for p in site.rglob("problems/*/index.html")]
    if problem_pages:
        sizes = sorted((p.stat().st_size, p) for p in problem_pages)
        largest_size, largest = sizes[-1]
        facts.append(("问题页面数", str(len(sizes))))
        facts.append(("问题页面 HTML 最大", f"{largest_size / 1024:.1f} KB（{largest.relative_to(site).as_posix()}）"))
        facts.append(("问题页面 HTML 中位数", f"{statistics.median(s for s, _ in sizes) / 1024:.1f} KB"))
    for label, rel in WATCHED_PAGES:
        path = site / rel
        if path.is_file():
            html = path.read_text(encoding="utf-8")
            facts.append((f"{label} HTML", f"{len(html.encode('utf-8')) / 1024:.0f} KB，"
                                            f"{html.count('<tr')} 个表格行，{html.count('<a ')} 个链接"))
    owners = list(site.rglob("owners/*/index.html"))
    if owners:
        biggest = max(owners, key=lambda p: p.stat().st_size)
        facts.append(("责任部门页", f"{len(owners)} 个，最大 {biggest.stat().st_size / 1024:.0f} KB"))
    all_html = list(site.rglob("*.html"))
    biggest = max(all_html, key=lambda p: p.stat().st_size)
    facts.append(("最大页面", f"{biggest.stat().st_size / 1024:.0f} KB（{biggest.relative_to(site).as_posix()}）"))
    meta_path = site / "search" / "meta.json"
    if meta_path.is_file():
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        shards = [p.stat().st_size for p in (site / "search" / "s").glob("*.json")]
        facts.append(("搜索索引", f"{meta['docs']} 个页面，{len(shards)} 个分片，分片共 {sum(shards) / 1e6:.1f} MB，"
                                 f"最大 {max(shards) / 1024:.0f} KB，中位数 {statistics.median(shards) / 1024:.0f} KB"))
    total = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    facts.append(("网站总大小", f"{total / 1e6:.0f} MB"))
    return facts


def spread(stage: Stage) -> str:
    """(max − min) / median, the honest noise figure for a few runs."""
    if len(stage.seconds) < 2:
        return "—（仅 1 轮）"
    return f"±{(max(stage.seconds) - min(stage.seconds)) / stage.median * 50:.0f}%"


def _preview(root: Path, repo: Path, args) -> int:
    """``--preview``: edits under make serve's live preview (previewbench); the
    folder is kept, and named, when asked or when the measurement failed."""
    from .previewbench import run as run_preview
    code = run_preview(repo, args.issues, args.runs)
    if code or args.keep:
        print(f"临时文件夹保留在 {root}", file=sys.stderr if code else sys.stdout)
    else:
        shutil.rmtree(root, ignore_errors=True)
    return code


def run(args) -> int:
    if args.units:
        from .rollupbench import run as run_rollup
        return run_rollup(args)
    if args.issues < 1 or args.runs < 1 or not 1 <= args.ledgers <= args.issues:
        print("--issues 和 --runs 须为正整数，--ledgers 须在 1 到问题数之间。", file=sys.stderr)
        return 2
    from ledgerlib.cli import REPO

    ledger_src = Path(args.ledger)
    root = Path(tempfile.mkdtemp(prefix=f"ledger-bench-{args.issues}-", dir=args.workdir))
    try:
        started = time.perf_counter()
        repo, base = prepare(root, REPO, ledger_src, args.issues, args.seed, args.ledgers)
        spread_over = f"，分属 {args.ledgers} 个台账" if args.ledgers > 1 else ""
        print(f"合成台账：{args.issues} 个问题{spread_over}，已写入 {repo}（用时 {time.perf_counter() - started:.1f} 秒）",
              flush=True)
        if args.preview:
            return _preview(root, repo, args)
        env = mkdocs_env()
        stages = {key: Stage(label) for key, label in
                  (("load", "加载+校验（load_ledger）"), ("build", "完整构建（含 hooks）"), ("baseline", "基线（纯 mkdocs-material）"))}
        for r in range(args.runs):
            run = run_child([sys.executable, "-c", _LOAD_PROBE, str(repo / "hooks"), str(repo / "issues")],
                            cwd=repo, env=env)
            probe = json.loads(run.stdout.strip().splitlines()[-1])
            if probe["issues"] != args.issues:
                raise BenchError(f"合成台账只加载到 {probe['issues']} 个问题")
            stages["load"].seconds.append(probe["seconds"])
            stages["load"].cpu.append(probe["cpu"])
            stages["load"].peak_kb.append(run.peak_kb)
            for key, config, site, strict in (("build", repo / "mkdocs.yml", root / "site", True),
                                              ("baseline", base / "mkdocs.yml", root / "site-baseline", False)):
                shutil.rmtree(site, ignore_errors=True)
                run = run_child(mkdocs_command(config, site, strict=strict), cwd=config.parent, env=env)
                stages[key].seconds.append(run.seconds)
                stages[key].cpu.append(run.cpu)
                stages[key].user.append(run.user)
                stages[key].peak_kb.append(run.peak_kb)
            print(f"第 {r + 1}/{args.runs} 轮：" + "，".join(f"{s.name} {s.seconds[-1]:.2f} 秒" for s in stages.values()),
                  flush=True)
    except BenchError as exc:
        print(exc, file=sys.stderr)
        print(f"临时文件夹保留在 {root}", file=sys.stderr)
        return 1
    except BaseException:
        shutil.rmtree(root, ignore_errors=True)
        raise

    print()
    rows = [("阶段", "中位数(秒)", "最小", "最大", "CPU(秒)", "峰值内存(MB)")]
    for stage in stages.values():
        rows.append((stage.name, f"{stage.median:.2f}", f"{min(stage.seconds):.2f}", f"{max(stage.seconds):.2f}",
                     f"{statistics.median(stage.cpu):.2f}", f"{max(stage.peak_kb) / 1024:.0f}"))
    print_table(rows)
    print()
    for label, value in site_facts(root / "site"):
        print(f"{label}：{value}")
    base_index = root / "site-baseline" / "search" / "search_index.json"
    if base_index.is_file():
        print(f"基线 search_index.json：{base_index.stat().st_size / 1e6:.1f} MB")
    print(f"机器：{os.cpu_count()} 核，Python {sys.version.split()[0]}，运行 {args.runs} 轮")
    if args.keep:
        print(f"临时文件夹：{root}")
    else:
        shutil.rmtree(root, ignore_errors=True)
    cpu_build, cpu_base = (statistics.median(stages[k].cpu) for k in ("build", "baseline"))
    user_build, user_base = (statistics.median(stages[k].user) for k in ("build", "baseline"))
    print(f"CPU 时间之比（受同机其他负载影响较小）：{cpu_build / cpu_base:.2f}（其中用户态 {user_build / user_base:.2f}）；"
          f"{args.runs} 轮墙钟时间离散度：完整构建 {spread(stages['build'])}，基线 {spread(stages['baseline'])}")
    load, build, baseline = (stages[k].median for k in ("load", "build", "baseline"))
    print(f"issues={args.issues} ledgers={args.ledgers} load_s={load:.3f} build_s={build:.2f} baseline_s={baseline:.2f} ratio={build / baseline:.2f}")
    return 0
