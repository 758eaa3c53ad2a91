"""ledger.py init: make the ledger folder a fresh, empty ledger for a new unit.

What the sample (or a previous ledger) leaves behind is removed: its problem
files, the narrative files its ledger.yml names (the sample's live in
docs/report/), the evidence files its problems cite, and its ledger.yml with
the demo note and codeowners. What is written is the new ledger.yml (through
ledgerwriter, like ``import``) and narrative scaffolds in ``report/`` inside
the folder, so that ``--ledger issues/<name> init`` makes a self-contained
second ledger without touching the first one.

ledger.yml records ``history_after``: the commit the ledger started from, so
that the site shows no history, event or chart point of what came before.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from .. import constants as C
from ..atomicfs import Replacement
from ..docslots import committee_of
from ..fields import parse_date
from ..genre import chinese_date
from ..gitrun import git_output
from ..importmodel import Chapter, ImportedCategory, ImportResult, NarrativeBlock
from ..ledgerfile import narrative_nodes
from ..ledgers import repo_root_of
from ..ledgerwriter import REPORT_DIR, NotALedger, write_ledger, yaml_str
from ..revfields import front_matter_text
from ..yamlnodes import Map, Scalar, Seq, parse

P = C.PLACEHOLDER

# Asked at a terminal, optional with flags: flag -> (attribute, Chinese name, example).
# The committee defaults to the one the group names (县委第三巡察组 → 县委).
OPTIONAL = (
    ("--committee", "committee", "巡察的部署机关（党委）", "县委"),
    ("--period", "period", "巡察时间（原文照录，可暂不填）", "2025年3月10日至5月10日"),
    ("--plan-date", "plan_date", "整改方案的落款日期（直接回车：反馈后第 30 天）", "2025-06-15"),
    ("--departments", "departments", "责任部门，用逗号分隔（可暂不填，填了则问题只能写这些部门）", "办公室，财务审计股"),
)
PLAN_DAYS = 30  # the plan is due about a month after feedback (constants.DEFAULT_MILESTONES)
GUIDANCE_FILE, LEADERSHIP_FILE = "plan-guidance.md", "notice-leadership.md"

# flag -> (attribute, Chinese name, example)
REQUIRED = (
    ("--unit", "unit", "被巡察单位", "区财政局党组"),
    ("--round", "round", "巡察轮次", "五届区委第三轮常规巡察"),
    ("--group", "group", "巡察组", "区委第二巡察组"),
    ("--feedback-date", "feedback_date", "巡察反馈日期", "2024-05-16"),
)

# The categories of a routine county-level 巡察 (the "三个聚焦" plus the
# previous round's rectification); any other genre passes --categories.
DEFAULT_CATEGORIES = (
    "聚焦党中央各项决策部署在基层的落实情况",
    "聚焦群众身边腐败问题和不正之风以及群众反映强烈的问题",
    "聚焦基层党组织建设",
    "落实巡视巡察整改情况",
)
_LIST_SEPARATORS = re.compile(r"[,，、;；\n]+")
_SHOWN_PER_KIND = 10  # files listed per kind when refusing; the rest are counted


def add_arguments(parser) -> None:
    for flag, _, label, example in REQUIRED:
        parser.add_argument(flag, help=f"{label}，例如 {example}")
    for flag, _, label, example in OPTIONAL:
        parser.add_argument(flag, help=f"{label}，例如 {example}")
    parser.add_argument("--categories", help="问题方面，用逗号或顿号分隔（默认：巡察常用的四个方面）")
    parser.add_argument("--force", action="store_true",
                        help="删除已有的问题文件、报告叙述和佐证材料（包括示例台账）")
    parser.add_argument("--rollup", action="store_true",
                        help="建立巡察办的汇总仓库：写出 sources.yml（各单位台账的来源）、汇总通报和整改评估的设置")


CANCELLED = 3  # the user said no: `make init` ends quietly on it (Makefile)


class _Cancelled(Exception):
    """The user cancelled at a question or the confirmation."""


def run(args) -> int:
    try:
        return _run(args)
    except _Cancelled:
        print("已取消，未做任何修改。", file=sys.stderr)
        return CANCELLED


def _run(args) -> int:
    if args.rollup:
        from .init_rollup import run_rollup
        return run_rollup(args, removal_plan, _confirmed)
    folder = Path(args.ledger)
    values = _gather(args)
    if values is None:
        return 2
    if any(folder.glob("*.md")) and not (folder / C.LEDGER_FILE).exists():
        print(f"“{folder}”不是台账文件夹（没有 ledger.yml）却有 .md 文件，未做任何修改；"
              "请用 --ledger 指定台账文件夹，或一个新的空文件夹。", file=sys.stderr)
        return 1
    repo = repo_root_of(folder)
    plan = removal_plan(folder, repo)
    if plan.files and not args.force and not _confirmed(plan, repo):
        return 1
    start = git_head(repo)
    try:
        # One swap: the new ledger in, the sample's files outside the folder
        # out, or nothing at all (atomicfs).
        with Replacement() as swap:
            for path in plan.narratives + plan.evidence:
                swap.remove(path)
            write_ledger(scaffold(values), folder, force=True, header=_header(), tail=_tail(start, values), swap=swap)
            _write_document_scaffolds(_staged(swap, folder), values)
    except NotALedger:  # checked above; kept for a folder that changed meanwhile
        print(f"“{folder}”不是台账文件夹，未写入。", file=sys.stderr)
        return 1
    removed = plan.tidy()
    print("\n".join(_summary(folder, repo, values, removed, start)))
    return 0


# -- the values -----------------------------------------------------------------


def _gather(args) -> dict | None:
    """Flags, then questions at a terminal; without one, name what is missing."""
    values = {attr: (getattr(args, attr) or "").strip() for _, attr, _, _ in REQUIRED}
    missing = [r for r in REQUIRED if not values[r[1]]]
    interactive = sys.stdin.isatty()
    if missing and not interactive:
        names = "、".join(f"{flag}（{label}）" for flag, _, label, _ in missing)
        print(f"缺少参数：{names}；例如：ledger.py init --unit 区财政局党组 --round 五届区委第三轮常规巡察 "
              "--group 区委第二巡察组 --feedback-date 2024-05-16", file=sys.stderr)
        return None
    try:
        for _flag, attr, label, example in missing:
            values[attr] = _ask(f"{label}（例如 {example}）：")
        values["feedback_date"] = _checked_date(values["feedback_date"], interactive)
        if values["feedback_date"] is None:
            return None
        values["categories"] = _categories(args.categories, interactive and not args.categories)
        # Asked only in the dialogue of `make init`; a command line with the
        # required flags is a script, and takes the defaults.
        if not _optional(args, values, interactive and bool(missing)):
            return None
    except (EOFError, KeyboardInterrupt):
        print(file=sys.stderr)
        raise _Cancelled from None
    return values


def _optional(args, values: dict, interactive: bool) -> bool:
    """committee, period, plan date and departments: flags, else asked at a
    terminal (Enter keeps the default); without one, the defaults."""
    derived = committee_of(values["group"])
    default_plan = values["feedback_date"] + dt.timedelta(days=PLAN_DAYS)
    defaults = {"committee": derived, "period": "", "plan_date": default_plan.isoformat(), "departments": ""}
    for _flag, attr, label, example in OPTIONAL:
        given = getattr(args, attr, None)
        if given is None and interactive:
            shown = f"，直接回车为“{defaults[attr]}”" if defaults[attr] and attr != "plan_date" else ""
            given = input(f"{label}（例如 {example}{shown}）：")
        values[attr] = (given or "").strip() or defaults[attr]
    try:
        values["plan_date"] = parse_date(values["plan_date"])
    except ValueError as exc:
        print(f"--plan-date：{exc}", file=sys.stderr)
        return False
    values["departments"] = list(dict.fromkeys(n.strip() for n in _LIST_SEPARATORS.split(values["departments"]) if n.strip()))
    return True


def _confirmed(plan: Removal, repo: Path) -> bool:
    """At a terminal (make init) the user may confirm; elsewhere only --force does."""
    lines = plan.refusal(repo)
    if not sys.stdin.isatty():
        print("\n".join([*lines, "未做任何修改；确认删除请加 --force。"]), file=sys.stderr)
        return False
    print("\n".join(lines))
    try:
        answer = input("确认删除以上文件并新建台账，请输入“删除”；直接回车则取消：").strip()
    except (EOFError, KeyboardInterrupt):
        answer = ""
    if answer != "删除":
        raise _Cancelled
    return True


def _ask(prompt: str) -> str:
    while True:
        answer = input(prompt).strip()
        if answer:
            return answer
        print("不能为空，请输入。", file=sys.stderr)


def _checked_date(text: str, interactive: bool):
    while True:
        try:
            return parse_date(text)
        except ValueError as exc:
            message = str(exc)
        if not interactive:
            print(f"--feedback-date：{message}", file=sys.stderr)
            return None
        print(message, file=sys.stderr)
        text = _ask("巡察反馈日期（例如 2024-05-16）：")


def _categories(given: str | None, ask: bool) -> list[str]:
    if ask:
        given = input("问题方面，用逗号分隔（直接回车使用巡察常用的四个方面）：")
    names = [n.strip() for n in _LIST_SEPARATORS.split(given or "") if n.strip()]
    return list(dict.fromkeys(names)) or list(DEFAULT_CATEGORIES)


# -- what is removed ------------------------------------------------------------


@dataclass
class Removal:
    problems: list[Path] = field(default_factory=list)
    narratives: list[Path] = field(default_factory=list)
    evidence: list[Path] = field(default_factory=list)

    @property
    def files(self) -> list[Path]:
        return self.problems + self.narratives + self.evidence

    def refusal(self, repo: Path) -> list[str]:
        lines = ["已有台账内容，新建台账会删除以下文件："]
        for label, paths in (("问题文件", self.problems), ("报告叙述", self.narratives), ("佐证材料", self.evidence)):
            if paths:
                lines.append(f"  {label} {len(paths)} 个：")
                lines += [f"    {_shown(p, repo)}" for p in paths[:_SHOWN_PER_KIND]]
                if len(paths) > _SHOWN_PER_KIND:
                    lines.append(f"    ……另有 {len(paths) - _SHOWN_PER_KIND} 个")
        return lines

    def tidy(self) -> int:
        """After the swap: the folders its removals emptied (docs/report/,
        docs/evidence/sample/); the number of files removed."""
        for path in self.narratives + self.evidence:
            _remove_if_empty(path.parent)
        return len(self.files)


def _remove_if_empty(folder: Path) -> None:
    # docs/report/ or docs/evidence/sample/ once emptied; never docs/ itself.
    if folder.name != "docs" and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()


def removal_plan(folder: Path, repo: Path) -> Removal:
    plan = Removal()
    if not folder.is_dir():
        return plan
    plan.problems = sorted(folder.glob("*.md"))
    own = sorted(p.resolve() for p in (folder / REPORT_DIR).rglob("*") if p.is_file())
    plan.narratives = own + [p for p in _narrative_sources(folder, repo) if p not in own]
    plan.evidence = _evidence_files(plan.problems, repo)
    return plan


def _narrative_sources(folder: Path, repo: Path) -> list[Path]:
    """Files that ledger.yml's report: preamble and sections[].source name."""
    nodes = narrative_nodes(_yaml_map(folder / C.LEDGER_FILE, whole=True))
    return _inside(repo, [folder / s.text for s in nodes])


def _evidence_files(problems: list[Path], repo: Path) -> list[Path]:
    """Files the problems cite as evidence (paths are relative to the repository)."""
    found: list[Path] = []
    for path in problems:
        node = _yaml_map(path, whole=False)
        items = node.entries.get("evidence") if node else None
        for item in items.items if isinstance(items, Seq) else []:
            file = item.entries.get("file") if isinstance(item, Map) else item
            if isinstance(file, Scalar) and file.text:
                found.append(repo / file.text)
    return _inside(repo, found)


def _yaml_map(path: Path, *, whole: bool) -> Map | None:
    """A file's YAML (or front-matter) as a Map; anything unreadable is None:
    a broken sample file must not stop its own removal."""
    try:
        data = path.read_bytes()
        text = data.decode("utf-8-sig") if whole else front_matter_text(data)
        node = parse(text) if text else None
    except Exception:  # unreadable means "nothing to find here"
        return None
    return node if isinstance(node, Map) else None


def _inside(repo: Path, paths: list[Path]) -> list[Path]:
    """Existing files inside the repository, each once: nothing outside is deleted."""
    root = repo.resolve()
    result: list[Path] = []
    for path in paths:
        resolved = path.resolve()
        if resolved.is_file() and resolved.is_relative_to(root) and resolved not in result:
            result.append(resolved)
    return sorted(result)


def _shown(path: Path, repo: Path) -> str:
    try:
        return path.resolve().relative_to(repo.resolve()).as_posix()
    except ValueError:
        return str(path)


def git_head(repo: Path) -> str:
    """The commit checked out now, or "" outside git (then there is no history to hide)."""
    return (git_output(["rev-parse", "--verify", "-q", "HEAD"], repo) or "").strip()


# -- what is written ------------------------------------------------------------


def scaffold(values: dict) -> ImportResult:
    """The new ledger as an ImportResult, so that ledgerwriter writes it like an import."""
    unit, group, round_ = values["unit"], values["group"], values["round"]
    feedback = values["feedback_date"]
    committee, period = values.get("committee") or P, values.get("period") or P
    preamble = (f"按照{committee}统一部署，{period}，{group}对{unit}开展了{round_}。"
                f"{chinese_date(feedback)}，{group}向{unit}反馈了巡察意见，"
                "现将集中整改进展情况报告如下。")
    chapters = [
        Chapter("主要负责人组织落实巡察整改情况", [], blocks=[
            NarrativeBlock(f"{P}（小标题，例如：提高政治站位，扛起整改主体责任。）",
                  f"{P}（主要负责人如何组织整改：专题会议、整改方案、领导小组、专题民主生活会等。）")]),
        Chapter("集中整改总体情况", [], kind="summary"),
        Chapter("巡察整改落实情况", [], kind="problems"),
        Chapter("下一步工作打算", [], blocks=[
            NarrativeBlock(None, f"{P}（下一步如何巩固整改成果、建立长效机制。）")]),
    ]
    return ImportResult(
        source=Path(C.LEDGER_FILE), title=f"{unit}关于{round_}集中整改进展情况的报告",
        unit=unit, group=group, round=round_, period=values.get("period", ""), feedback_date=feedback,
        signature_unit=unit,
        preamble=[NarrativeBlock(None, preamble)], chapters=chapters,
        categories=[ImportedCategory(name) for name in values["categories"]],
        wording={**C.DEFAULT_WORDING,
                 "summary": "根据{group}反馈意见，经细化分解，{unit}共有{categories}个方面{total}项问题，具体包括{breakdown}。"},
    )


def _header() -> list[str]:
    return ["# 台账基本信息，由 scripts/ledger.py init 生成。本文件描述“这一轮整改”本身；",
            "# 每个问题一个 .md 文件，放在同一文件夹（用 ledger.py new 新建）。",
            "# 可选：cutoff_date（截至日期，统计和逾期以此为准，不填则取构建当天）；",
            "# signature 下可加 date（报告落款日期，不填则取截至日期）。"]


def _tail(start: str, values: dict) -> list[str]:
    plan_date = values["plan_date"].isoformat()
    departments = ", ".join(yaml_str(d) for d in values["departments"])
    lines = ["",
             "# 巡察的部署机关（县委、区委、市委、党委等），整改情况通报写作“根据…统一部署”。",
             f"committee: {yaml_str(values['committee'])}",
             "# 责任部门：问题文件的 owner 只能写这些部门（写错时校验会提示）；留空则不限。",
             f"departments: [{departments}]",
             "",
             "# 整改方案和整改情况通报的结构；叙述部分的草稿在 report/ 下，请改写其中的“【待填写】”。",
             "documents:",
             "  plan:",
             f"    date: {plan_date}           # 整改方案的落款日期",
             "    sections:",
             "      - title: 指导思想和总体要求",
             f"        source: {REPORT_DIR}/{GUIDANCE_FILE}",
             "      - title: 组织领导",
             "        generate: leading_group",
             "      - title: 整改任务和措施",
             "        generate: tasks",
             "      - title: 时间安排",
             "        generate: schedule",
             "  notice:",
             "    sections:",
             "      - title: 整改工作总体情况",
             "        generate: count",
             "      - title: 组织落实整改情况",
             f"        source: {REPORT_DIR}/{LEADERSHIP_FILE}",
             "      - title: 巡察反馈问题整改情况",
             "        generate: problems",
             "      - title: 接受监督",
             "        generate: contact",
             "",
             "# 审核人：去掉下面几行开头的“#”，换成本单位 Git 服务器上的真实账号，",
             "# 再运行 make codeowners 生成 CODEOWNERS（见编写指南“审核流程”）。",
             "# codeowners:",
             '#   "*": [整改办账号]',
             "#   办公室: [账号一, 账号二]",
             "",
             "# 整改方案的“组织领导”和整改情况通报的联系方式：去掉开头的“#”后填写",
             "# （不填时，方案和通报中相应部分从简，页面顶部会提示；见编写指南“整改文件”）。",
             "# leading_group:",
             "#   - {role: 组长, name: 姓名, post: 职务}",
             "#   - {role: 副组长, name: 姓名, post: 职务}",
             "#   - {role: 成员, name: 姓名, post: 职务}",
             "# notice:",
             "#   contact: [联系电话：电话号码, 电子邮箱：邮箱地址]",
             "#   window_days: 10"]
    if start:
        lines += ["",
                  "# 本台账从这次提交开始：变更记录和“整改进度变化”图只读取它之后的提交，",
                  "# 此前（如示例台账）的历史不显示。由 ledger.py init 自动填写，请勿修改。",
                  f"history_after: {start}"]
    return lines


def _staged(swap: Replacement, folder: Path) -> Path:
    """The staging copy of ``folder`` that write_ledger filled, swapped in with it."""
    return next(staging for target, staging in swap.folders if target == folder.absolute())


def _write_document_scaffolds(folder: Path, values: dict) -> None:
    """The plan's 指导思想和总体要求 and the notice's leadership part, as
    scaffolds: warnings until written (see docslots)."""
    unit = values["unit"]
    (folder / REPORT_DIR / GUIDANCE_FILE).write_text(
        f"{P}（指导思想：以什么为指导，把巡察整改作为什么任务，坚持什么原则。）\n\n"
        "## 总体要求\n\n"
        f"{P}（总体要求：{unit}在什么时间内完成哪些整改，达到什么目标。）\n", encoding="utf-8")
    (folder / REPORT_DIR / LEADERSHIP_FILE).write_text(
        f"{P}（{unit}如何组织落实整改：专题会议、整改方案、领导小组、专题民主生活会等。"
        f"不宜公开的段落以“【不公开】”开头，通报中不印。）\n", encoding="utf-8")


def still_to_fill(folder: Path, repo: Path, values: dict) -> list[str]:
    """What the user must still write, by file: narrative scaffolds, ledger.yml keys."""
    lines = []
    for path in sorted((folder / REPORT_DIR).glob("*.md")):
        count = path.read_text(encoding="utf-8").count(P)
        if count:
            lines.append(f"     - {_shown(path, repo)}：{count} 处“{P}”（叙述草稿）；")
    empty = [f"{key}（{label}）" for key, label in (("committee", "巡察的部署机关"), ("period", "巡察时间"))
             if not values.get(key)]
    empty += ["leading_group（整改方案的领导小组）", "notice.contact（整改情况通报的联系方式）", "codeowners（审核账号，然后运行 make codeowners）"]
    if not values.get("departments"):
        empty.append("departments（责任部门名单，可不填）")
    lines.append(f"     - {_shown(folder / C.LEDGER_FILE, repo)}：{'；'.join(empty)}；")
    lines.append("     - mkdocs.yml：repo_url（本单位内网 Git 服务器上的仓库地址，“编辑此页”按钮用）。")
    return lines


def _summary(folder: Path, repo: Path, values: dict, removed: int, start: str) -> list[str]:
    lines = [f"已在“{folder}”新建台账：{values['unit']}，{values['round']}，"
             f"{len(values['categories'])} 个问题方面（{'、'.join(values['categories'])}）。"]
    if removed:
        lines.append(f"已删除原有台账的文件 {removed} 个（问题文件、报告叙述、佐证材料）。")
    lines.append(f"叙述草稿在“{folder / REPORT_DIR}”下：网站现在就可以预览（草稿处突出显示），"
                 f"正式导出、打印或报送文件前须把“{P}”改写成本单位的内容。")
    lines.append("接下来：")
    lines.append(f"  1. 逐个登记问题：.venv/bin/python scripts/ledger.py new \"问题标题\" --category {values['categories'][0]} --owner 责任部门")
    lines.append("  2. 还需要您自己填写的内容（按文件）：")
    lines += still_to_fill(folder, repo, values)
    lines.append("     如需其他整改状态，修改 statuses；销号不是状态，由巡察办在 signoff.yml 中登记（见编写指南“销号”）；报告措辞在 report.wording 中修改。")
    if not start:
        lines.append("  （这里不是 Git 仓库，或还没有提交：变更记录将从第一次提交开始。）")
    return lines
