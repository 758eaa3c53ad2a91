"""ledger.py bench --units K --issues N: the 巡察办's roll-up at scale.

K unit repositories (bare, reached as file:// remotes, as the roll-up reaches
the intranet Git server), each holding N/K synthetic problems, and a roll-up
repository over them (init --rollup, sources.yml). Timed, each in its own
process: ``pull`` of every unit (fetch, check, write issues/<name>/), a second
``pull`` with nothing new, and the roll-up's full build. The last line is
machine-readable:

    units=K issues=N pull_s=… repull_s=… build_s=… pull_per_unit_s=… build_per_issue_ms=…
"""

from __future__ import annotations

import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ledgerlib import constants as C
from ledgerlib.mkdocsrun import mkdocs_command, mkdocs_env

from .synth import write_synthetic_ledger
from .timing import SITE_INPUTS, BenchError, print_table, run_child

UNIT_INPUTS = ("docs/report", "docs/evidence")  # what the sample's ledger.yml and evidence name


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "init.defaultBranch=main", "-c", "user.name=bench", "-c", "user.email=b@bench.invalid",
                    *args], cwd=cwd, check=True, capture_output=True)


def make_units(root: Path, repo_src: Path, ledger_src: Path, n: int, units: int, seed: int) -> list[tuple[str, Path]]:
    """The synthetic ledger dealt into ``units`` folders, each made its own bare repository."""
    source = root / "source"
    for rel in UNIT_INPUTS:
        shutil.copytree(repo_src / rel, source / rel)
    write_synthetic_ledger(source, ledger_src, n, seed=seed, source_repo=ledger_src.resolve().parent, ledgers=units)
    remotes = []
    for folder in sorted(p for p in (source / "issues").iterdir() if (p / C.LEDGER_FILE).is_file()):
        work = root / "units" / folder.name
        for rel in UNIT_INPUTS:
            shutil.copytree(source / rel, work / rel)
        shutil.copytree(folder, work / "issues")
        yml = work / "issues" / C.LEDGER_FILE  # one level up again: issues/ is the ledger
        yml.write_text(yml.read_text(encoding="utf-8").replace("../../docs/", "../docs/"), encoding="utf-8")
        _git(work, "init", "-q")
        _git(work, "add", "-A")
        _git(work, "commit", "-q", "-m", "台账")
        bare = root / "remotes" / f"{folder.name}.git"
        _git(root, "clone", "-q", "--bare", str(work), str(bare))
        shutil.rmtree(work)
        remotes.append((re.sub(r"^\d+-", "", folder.name), bare))
    return remotes


def make_rollup(root: Path, repo_src: Path, remotes: list[tuple[str, Path]]) -> Path:
    repo = root / "rollup"
    repo.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in (*SITE_INPUTS, "issues", "scripts"):
        src = repo_src / name
        if src.is_dir():
            shutil.copytree(src, repo / name, ignore=ignore)
        else:
            shutil.copy2(src, repo / name)
    run_child([sys.executable, "scripts/ledger.py", "--ledger", "issues", "init", "--rollup", "--force"], cwd=repo)
    lines = ["stale_days: 100000", "sources:"]
    lines += [f"  {name}: {{git: {bare.as_uri()}, ref: main, path: issues}}" for name, bare in remotes]
    (repo / "sources.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    _git(repo, "init", "-q")
    return repo


def run(args) -> int:
    from ledgerlib.cli import REPO

    if args.units < 1 or args.issues < args.units:
        print("--units 须为正整数，且不多于 --issues。", file=sys.stderr)
        return 2
    root = Path(tempfile.mkdtemp(prefix=f"ledger-rollup-bench-{args.units}-", dir=args.workdir))
    try:
        started = time.perf_counter()
        remotes = make_units(root, REPO, Path(args.ledger), args.issues, args.units, args.seed)
        repo = make_rollup(root, REPO, remotes)
        print(f"合成 {len(remotes)} 个单位仓库，共 {args.issues} 个问题（用时 {time.perf_counter() - started:.1f} 秒）",
              flush=True)
        env = mkdocs_env()
        pull = [sys.executable, "scripts/ledger.py", "--ledger", "issues", "pull"]
        timings: dict[str, list] = {"pull": [], "repull": [], "build": []}
        for r in range(args.runs):
            shutil.rmtree(repo / "issues", ignore_errors=True)
            shutil.rmtree(repo / ".ledger-cache", ignore_errors=True)
            (repo / "issues").mkdir()
            (repo / "sources.lock").unlink(missing_ok=True)
            timings["pull"].append(run_child(pull, cwd=repo, env=env))
            timings["repull"].append(run_child(pull, cwd=repo, env=env))
            _git(repo, "add", "-A")
            _git(repo, "commit", "-q", "--allow-empty", "-m", "拉取")
            shutil.rmtree(root / "site", ignore_errors=True)
            timings["build"].append(run_child(mkdocs_command(repo / "mkdocs.yml", root / "site", strict=True),
                                              cwd=repo, env=env))
            print(f"第 {r + 1}/{args.runs} 轮：" + "，".join(f"{k} {v[-1].seconds:.1f} 秒" for k, v in timings.items()),
                  flush=True)
        pulled = len(list((repo / "issues").glob(f"*/{C.LEDGER_FILE}")))
        if pulled != len(remotes):
            raise BenchError(f"只拉取到 {pulled} 个单位（应为 {len(remotes)}）")
    except (BenchError, subprocess.CalledProcessError) as exc:
        print(exc, file=sys.stderr)
        print(f"临时文件夹保留在 {root}", file=sys.stderr)
        return 1
    except BaseException:
        shutil.rmtree(root, ignore_errors=True)
        raise
    labels = {"pull": "首次拉取（全部单位）", "repull": "再次拉取（无变化）", "build": "汇总网站完整构建"}
    rows = [("阶段", "中位数(秒)", "最小", "最大", "CPU(秒)", "峰值内存(MB)")]
    med = {}
    for key, runs in timings.items():
        seconds = [r.seconds for r in runs]
        med[key] = statistics.median(seconds)
        rows.append((labels[key], f"{med[key]:.2f}", f"{min(seconds):.2f}", f"{max(seconds):.2f}",
                     f"{statistics.median(r.cpu for r in runs):.2f}", f"{max(r.peak_kb for r in runs) / 1024:.0f}"))
    print()
    print_table(rows)
    if args.keep:
        print(f"临时文件夹：{root}")
    else:
        shutil.rmtree(root, ignore_errors=True)
    print(f"units={len(remotes)} issues={args.issues} pull_s={med['pull']:.2f} repull_s={med['repull']:.2f} "
          f"build_s={med['build']:.2f} pull_per_unit_s={med['pull'] / len(remotes):.3f} "
          f"build_per_issue_ms={med['build'] * 1000 / args.issues:.2f}")
    return 0
