"""Write an ImportResult as a ledger folder: ledger.yml, one problem file per
problem, and the narrative pages in ``report/`` inside the folder.

The narrative pages live inside the ledger folder (the loader skips
sub-folders) so that an imported ledger is one self-contained folder that
``--force`` can replace as a whole.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from . import constants as C
from .atomicfs import Replacement, write_new
from .documents import PROGRESS_SECTIONS
from .genre import md_escape
from .importcols import FIELD_NAMES
from .importmodel import ASK, PENDING, Chapter, ImportResult, NarrativeBlock
from .ledgers import repo_root_of
from .problemfile import file_error

PARAGRAPH_BREAK = "\n\n"  # between the paragraphs of a multi-paragraph text field
REPORT_DIR = "report"
_NARRATIVE_NAMES = (("主要负责人", "leadership"), ("下一步", "next-steps"), ("领导", "leadership"))



class LedgerExists(Exception):
    pass


class NotALedger(Exception):
    """The folder holds Markdown files but no ledger.yml: --force must not wipe it."""


@dataclass
class Written:
    folder: Path
    files: list[Path] = field(default_factory=list)
    completed_from: str = ""  # how the completion dates of done problems were chosen
    completed_date: dt.date | None = None
    pending_owner: int = 0
    missing_files: list[tuple[int, str]] = field(default_factory=list)  # (problem id, evidence file not in the repository)
    missing_follows: list[tuple[int, str]] = field(default_factory=list)  # (problem id, follows: whose ledger is not here)


def yaml_str(value: str) -> str:
    # JSON strings are valid YAML double-quoted scalars; quoting keeps "no", "012" text.
    return json.dumps(value, ensure_ascii=False)


def existing_ledger(folder: Path) -> bool:
    return folder.is_dir() and ((folder / C.LEDGER_FILE).exists() or any(folder.glob("*.md")))


def write_ledger(result: ImportResult, folder: Path, *, force: bool = False,
                 completed: dt.date | None = None, today: dt.date | None = None,
                 header: list[str] | None = None, tail: list[str] = (),
                 swap: Replacement | None = None) -> Written:
    """``header`` replaces the import comment at the top of ledger.yml;
    ``tail`` lines are appended (``ledger.py init`` adds its own settings).
    ``swap``: the caller's Replacement, committed by the caller together with
    its own changes; without one the folder is swapped in here."""
    folder = Path(folder)
    if any(folder.glob("*.md")) and not (folder / C.LEDGER_FILE).exists():
        raise NotALedger(str(folder))  # e.g. --out docs by mistake: its pages would be deleted
    if existing_ledger(folder) and not force:
        raise LedgerExists(str(folder))
    written = Written(folder)
    written.completed_date, written.completed_from = completion_date(result, completed, today)
    # Written beside the folder and swapped in whole: a failure part-way
    # leaves the old ledger as it was (atomicfs). Files of other kinds in the
    # folder (sub-ledgers, evidence) come along unchanged.
    with nullcontext(swap) if swap else Replacement() as active:
        stage = active.folder(folder, keep=_not_ledger_own)
        narratives = _write_narratives(result, stage, written)
        _write(stage, C.LEDGER_FILE, ledger_yml(result, narratives, header=header, tail=tail), written)
        written.missing_follows = _unreachable_follows(result, folder)
        evidence = EvidenceWriter(repo_root_of(folder))
        for problem in result.problems:
            name = problem_file_name(problem.id, problem.title)
            _write(stage, name, problem_md(result, problem, written.completed_date, evidence), written)
        written.missing_files = evidence.missing
        if any(p.signoff for p in result.problems):
            _write(stage, C.SIGNOFF_FILE, signoff_yml(result), written)
    written.pending_owner = sum(1 for p in result.problems if not p.owners)
    return written


def _unreachable_follows(result: ImportResult, folder: Path) -> list[tuple[int, str]]:
    """``follows:`` whose ledger is not beside ``folder`` (an earlier round
    kept in another repository), or whose number is not among the imported
    problems, would fail validate: each moves to a comment, and is listed."""
    ids = {p.id for p in result.problems}
    missing = []
    for problem in result.problems:
        kept = []
        for text in problem.follows:
            name, _, number = text.rpartition("/")
            if (folder.parent / name / C.LEDGER_FILE).is_file() if name else int(number) in ids:
                kept.append(text)
            else:
                problem.kept.append((FIELD_NAMES["follows"], text))
                missing.append((problem.id, text))
        problem.follows = kept
    return missing


def completion_date(result: ImportResult, given: dt.date | None,
                    today: dt.date | None = None) -> tuple[dt.date | None, str]:
    """Reports say a problem is done "by now", not when: the date of the report
    is the honest upper bound, else the day of the import, marked for checking.
    A 台账 has a 完成时间 column to say when: where it is empty, no date is
    made up (the import day least of all); the problem file says so, validate
    asks for it there, or --completed gives one."""
    if given:
        return given, "命令行 --completed 指定的日期"
    if result.signature_date:
        return result.signature_date, "报告落款日期"
    if result.sheet_date:
        return result.sheet_date, "台账的填报时间"
    if result.kind == "workbook":
        return None, "台账没有填写完成时间"
    return today or dt.date.today(), "导入当天，因为报告没有落款日期"


_NO_COMPLETED = "# completed: 原{source}没有写完成时间，请填写实际完成的日期（例如 completed: 2025-06-30）"


def completed_lines(day: dt.date | None, fallback: dt.date | None, source: str, indent: str = "") -> list[str]:
    """A done problem's or measure's completed: line: the input's own date; else
    the date the user or the report gave, marked for checking; else a comment
    (validate then asks for it at this place)."""
    if day:
        return [f"{indent}completed: {day.isoformat()}"]
    if fallback:
        return [f"{indent}completed: {fallback.isoformat()}  # 原{source}未载明完成时间，请核对"]
    return [indent + _NO_COMPLETED.format(source=source)]


def _not_ledger_own(rel: Path) -> bool:
    """What a rewrite keeps of the folder: everything but a ledger's own kinds
    of files (problem files, ledger.yml, signoff.yml, the report/ narratives)."""
    if len(rel.parts) > 1:
        return True
    return not (rel.suffix == ".md" or rel.name in (C.LEDGER_FILE, C.SIGNOFF_FILE, REPORT_DIR))


def _write(stage: Path, rel: str, text: str, written: Written) -> None:
    """``rel`` written into the staging folder; listed as where it will be."""
    write_new(stage / rel, text)
    written.files.append(written.folder / rel)


_NAME_CHARS = 16  # of the title in a problem file's name
# Where a name may be cut inside a phrase: before a negation or a conjunction,
# after 的. Chinese has no spaces; these are the seams a title's words meet at.
_SEAM_BEFORE = "不未无缺没和与及并或等"
_SEAM_AFTER = "的"


def problem_file_name(issue_id: int, title: str) -> str:
    """"07-党组理论学习中心组学习不规范.md": the title's first phrases that fit,
    cut where a phrase ends (punctuation), else at a seam between words, never
    in the middle of a word that a seam would have kept whole."""
    return f"{issue_id:02d}-{_name_stem(title) or '问题'}.md"


def _name_stem(title: str) -> str:
    phrases = [p for p in re.split(r"[^\w\u4e00-\u9fff]+", title) if p]
    stem = ""
    for phrase in phrases:
        if len(stem) + len(phrase) > _NAME_CHARS:
            break
        stem += phrase
    if stem or not phrases:
        return stem
    first = phrases[0][:_NAME_CHARS + 1]  # one phrase longer than a name: cut at its last seam
    seams = [i for i in range(4, _NAME_CHARS + 1)
             if first[i - 1] in _SEAM_AFTER or (i < len(first) and first[i] in _SEAM_BEFORE)]
    return first[:seams[-1]] if seams else first[:_NAME_CHARS]


# -- narrative pages --------------------------------------------------------------


def _write_narratives(result: ImportResult, folder: Path, written: Written) -> dict[int, str]:
    """Write preamble and narrative chapters; return chapter index -> path in ledger.yml."""
    paths: dict[int, str] = {}
    if result.preamble:
        _write(folder, f"{REPORT_DIR}/preamble.md", narrative_md(result.preamble), written)
    used: set[str] = set()
    for index, chapter in enumerate(result.chapters):
        if chapter.kind != "narrative":
            continue
        name = _narrative_name(chapter, index, used)
        _write(folder, f"{REPORT_DIR}/{name}", narrative_md(chapter.blocks) if chapter.blocks else "\n", written)
        paths[index] = f"{REPORT_DIR}/{name}"
    return paths


def _narrative_name(chapter: Chapter, index: int, used: set[str]) -> str:
    stem = next((slug for word, slug in _NARRATIVE_NAMES if word in chapter.title), f"section-{index + 1}")
    if stem in used:
        stem = f"{stem}-{index + 1}"
    used.add(stem)
    return f"{stem}.md"


def narrative_md(blocks: list[NarrativeBlock]) -> str:
    """Paragraphs; a run-in "（一）小标题。" becomes "## 小标题。" as the report page expects."""
    parts = []
    for block in blocks:
        if block.heading:
            parts.append(f"## {md_escape(block.heading)}")
        if block.text:
            parts.append(md_escape(block.text))
    return "\n\n".join(parts) + "\n"


# -- ledger.yml ---------------------------------------------------------------------


def ledger_yml(result: ImportResult, narratives: dict[int, str], *,
               header: list[str] | None = None, tail: list[str] = ()) -> str:
    if header is None:
        source = "原台账" if result.kind == "workbook" else "原报告"
        header = [f"# 台账基本信息，由 scripts/ledger.py import 从“{result.source.name}”导入。",
                  f"# {source}未载明的信息（报告标题、反馈日期、责任部门、整改时限等）请逐项核对补充。"]
    lines = [
        *header,
        "",
        f"title: {yaml_str(result.title or ASK)}",
        f"round: {yaml_str(result.round or ASK)}",
        f"unit: {yaml_str(result.unit or ASK)}",
        f"group: {yaml_str(result.group or ASK)}",
        f"period: {yaml_str(result.period)}",
    ]
    if result.feedback_date:
        lines.append(f"feedback_date: {result.feedback_date.isoformat()}")
    if result.signature_date:
        lines.append(f"cutoff_date: {result.signature_date.isoformat()}")
    lines.append("warn_days: 15")
    if result.signature_unit or result.signature_date:
        lines.append("signature:")
        if result.signature_unit:
            lines.append(f"  unit: {yaml_str(result.signature_unit)}")
        if result.signature_date:
            lines.append(f"  date: {result.signature_date.isoformat()}")
    lines += ["", "categories:"]
    for category in result.categories:
        lines.append(f"  - name: {yaml_str(category.name)}")
        if category.short:
            lines.append(f"    short: {yaml_str(category.short)}")
        if category.summary:
            lines.append(f"    summary: {yaml_str(category.summary)}")
        if category.intro:
            lines.append(f"    intro: {yaml_str(PARAGRAPH_BREAK.join(category.intro))}")
    if result.result_kinds:
        lines += ["", "results:"]
        lines += [f"  - {{key: {key}, label: {yaml_str(label)}, unit: {yaml_str(unit)}}}"
                  for key, label, unit in result.result_kinds]
    lines += ["", "statuses:", *_statuses_yml(), "", *_report_yml(result, narratives), *tail]
    return "\n".join(lines) + "\n"


def _statuses_yml() -> list[str]:
    lines = []
    for status in C.NEW_LEDGER_STATUSES:
        lines.append(f"  - key: {status['key']}")
        for key in ("label", "color", "sentence", "phrase"):
            lines.append(f"    {key}: {yaml_str(status[key])}")
        for key in ("done", "overdue"):
            if status.get(key):
                lines.append(f"    {key}: true")
    return lines


def _report_yml(result: ImportResult, narratives: dict[int, str]) -> list[str]:
    lines = ["report:"]
    if result.preamble:
        lines.append(f"  preamble: {REPORT_DIR}/preamble.md")
    lines.append("  sections:")
    if not result.chapters:  # a workbook has no narrative: the two generated parts
        lines += [f"    - title: {yaml_str(title)}\n      generate: {generate}" for title, generate in ((s.title, s.generate) for s in PROGRESS_SECTIONS)]
    for index, chapter in enumerate(result.chapters):
        lines.append(f"    - title: {yaml_str(chapter.title)}")
        if chapter.kind == "narrative":
            lines.append(f"      source: {narratives[index]}")
        else:
            lines.append(f"      generate: {'problems' if chapter.kind == 'problems' else 'summary'}")
    lines.append(f"  numbering: {result.numbering}")
    if result.wording:
        lines.append("  wording:")
        for key, value in result.wording.items():
            lines.append(f"    {key}: {yaml_str(value)}")
    lines.append("  annex: true")
    return lines


def signoff_yml(result: ImportResult) -> str:
    """issues/signoff.yml from a 台账's 销号 column, one entry a line as the 巡察办 writes them."""
    lines = ["# 销号登记表，由 scripts/ledger.py import 从台账的“销号”一列导入。"]
    for p in result.problems:
        if p.signoff:
            by, date, note = p.signoff
            lines.append(f"- {{id: {p.id}, by: {yaml_str(by)}, date: {date.isoformat()}"
                         + (f", note: {yaml_str(note)}}}" if note else "}"))
    return "\n".join(lines) + "\n"


# -- problem files --------------------------------------------------------------------


def status_label(key: str) -> dict:
    return next(s for s in C.NEW_LEDGER_STATUSES if s["key"] == key)


class EvidenceWriter:
    """Evidence items as YAML. An item keeps its ``file:`` only where the file
    is in the repository the ledger is written into (validate refuses any
    other); elsewhere the name stays, the path goes into a comment below it
    and into ``missing``, which the summary lists."""

    def __init__(self, repo: Path):
        self.repo = repo
        self.missing: list[tuple[int, str]] = []

    def lines(self, problem_id: int, names: list[str], files: list[str | None], indent: str) -> list[str]:
        lines = []
        for name, file in zip(names, files or [None] * len(names), strict=True):
            if file and file_error(self.repo, file) is None:
                lines.append(f"{indent}- {{name: {yaml_str(name)}, file: {yaml_str(file)}}}")
                continue
            lines.append(f"{indent}- {yaml_str(name)}")
            if file:
                lines.append(f"{indent}  # 原台账“{FIELD_NAMES['evidence_files']}”：{file}（仓库中没有这个文件，放回后请改写为 file:）")
                self.missing.append((problem_id, file))
        return lines


def problem_md(result: ImportResult, problem, completed: dt.date | None, evidence: EvidenceWriter) -> str:
    status = status_label(problem.status or C.StatusKey.DOING)
    category = result.categories[problem.category]
    lines = [
        "---",
        f"id: {problem.id}",
        f"title: {yaml_str(problem.title)}",
        f"category: {yaml_str(category.name)}",
        f"status: {status['label']}",
        _owner_line(problem.owners),
    ]
    if problem.leader or not result.own_export:  # our own 台账 leaves the cell empty for a problem without one
        lines.append(f"leader: {yaml_str(problem.leader) if problem.leader else PENDING}")
    if problem.deadline:
        lines.append(f"deadline: {problem.deadline.isoformat()}")
    source = "台账" if result.kind == "workbook" else "报告"
    if status.get("done"):
        lines += completed_lines(problem.completed, completed, source)
    elif problem.completed:
        problem.kept.append(("完成时间", f"{problem.completed.isoformat()}（状态为“{status['label']}”，未写入 completed）"))
    if problem.evidence:
        lines.append("evidence:")
        lines += evidence.lines(problem.id, problem.evidence, problem.evidence_files, "  ")
    if problem.follows:
        lines.append(f"follows: [{', '.join(map(yaml_str, problem.follows))}]")
    # A 台账's 进展表述 column is the note as typed; a report's sentence is one only where it is not the default.
    if problem.status_sentence and (result.kind == "workbook" or problem.status_sentence != status["sentence"]):
        lines.append(f"status_note: {yaml_str(problem.status_sentence)}")
    if not problem.public:
        lines.append("public: false")
    if problem.immediate:
        lines.append("immediate: true")
    if problem.results:
        lines.append(f"results: {{{', '.join(f'{key}: {value}' for key, value in problem.results.items())}}}")
    if problem.note:
        lines.append(f"note: {yaml_str(problem.note)}")
    if getattr(problem, "write_measures", False):
        lines += measures_yml(problem, completed, evidence)
    lines += kept_comments(problem)
    lines.append("---")
    body = [f"## {C.PROBLEM_HEADING}", *map(md_escape, problem.problem),
            f"## {C.MEASURES_HEADING}", *map(md_escape, problem.measures or ["（原报告未载明整改情况，请补充。）"])]
    return "\n".join(lines) + "\n\n" + "\n\n".join(body) + "\n"


def measures_yml(problem, completed: dt.date | None, evidence: EvidenceWriter) -> list[str]:
    """The problem's ``measures:`` list, one item per measure row."""
    lines = ["measures:"]
    for m in problem.measure_rows:
        status = status_label(m.status or problem.status or C.StatusKey.DOING)
        lines.append(f"  - text: {yaml_str(m.text)}")
        if m.owners:
            lines.append("    " + _owner_line(m.owners))
        if m.person:
            lines.append(f"    person: {yaml_str(m.person)}")
        if m.deadline:
            lines.append(f"    deadline: {m.deadline.isoformat()}")
        lines.append(f"    status: {status['label']}")
        if status.get("done"):
            lines += completed_lines(m.completed, completed, "台账", "    ")
        elif m.completed:
            lines.append(f"    # 原台账“完成时间”：{m.completed.isoformat()}（状态为“{status['label']}”，未写入 completed）")
        if m.note:
            lines.append(f"    note: {yaml_str(m.note)}")
        if m.evidence:
            lines.append("    evidence:")
            lines += evidence.lines(problem.id, m.evidence, m.evidence_files, "      ")
    return lines


def _owner_line(owners: list[str]) -> str:
    if not owners:
        return f"owner: {PENDING}"
    if len(owners) == 1:
        return f"owner: {yaml_str(owners[0])}"
    return f"owner: [{', '.join(map(yaml_str, owners))}]"


def kept_comments(problem) -> list[str]:
    """Cells no field takes (责任人, 备注 beside 佐证材料, a deadline written
    as 长期坚持…), kept word for word as comments: the ledger has no place
    for them yet, and what a clerk typed is not thrown away."""
    lines = []
    for column, value in problem.kept:
        cell = value.splitlines() or [""]
        lines.append(f"# 原台账“{column}”：{cell[0]}")
        lines += [f"#   {line}" for line in cell[1:]]
    return lines
