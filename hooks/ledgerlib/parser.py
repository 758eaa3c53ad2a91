"""The one loader: read a ledger folder, validate everything, return a Ledger.

``load_ledger(path)`` either returns a fully valid ``Ledger`` or raises
``LedgerInvalid`` with every error found, each located as path:line: field.
Hooks, scripts and tests all go through here.
"""

from __future__ import annotations

import datetime as dt
import re
import string
from pathlib import Path

from . import constants as C
from . import fields as F
from .errors import Diagnostic, Diagnostics, LedgerInvalid, Severity
from .fields import Where
from .model import Category, Evidence, Issue, Ledger, ReportSection, ReportSpec, Status
from .yamlnodes import Map, Scalar, Seq, YamlSyntaxError, parse

_FM_FENCE = re.compile(r"^---\s*$")
_FULLWIDTH_KEY = re.compile(r"^\s*([A-Za-z_]+)\s*：")
# A full-width space where YAML needs a half-width one: as indentation, right
# after "-" or "key:", or between a key and its colon. (After a half-width
# space it is only part of the value, and stripped.)
_FULLWIDTH_SPACE = (
    re.compile(r"^[ ]*(?:-|(?:-[ ]+)?(?P<key>[A-Za-z_]+)[ ]*:)?\u3000"),
    re.compile(r"^[ ]*(?:-[ ]+)?(?P<key>[A-Za-z_]+)\u3000+:"),
)
_SECTION = re.compile(r"^##\s+(.+?)\s*#*\s*$")
_STATUS_KEY = re.compile(r"^[a-z][a-z0-9_]*$")


def load_ledger(path: str | Path, *, repo_root: str | Path | None = None,
                today: dt.date | None = None) -> Ledger:
    """Load and validate the ledger in folder ``path``.

    ``repo_root`` is where evidence paths and messages are relative to; it
    defaults to the ledger folder's parent. ``today`` fixes the date used for
    "completed in the future" checks (tests pass one).
    """
    ledger, diagnostics = check_ledger(path, repo_root=repo_root, today=today)
    if ledger is None:
        raise LedgerInvalid(diagnostics)
    ledger.warnings = [d for d in diagnostics if d.severity is Severity.WARNING]
    return ledger


def check_ledger(path: str | Path, *, repo_root: str | Path | None = None,
                 today: dt.date | None = None) -> tuple[Ledger | None, list[Diagnostic]]:
    """Like load_ledger, but returns (ledger or None, all diagnostics)."""
    root = Path(path).resolve()
    repo = Path(repo_root).resolve() if repo_root else root.parent
    diags = Diagnostics()
    reader = _Reader(root, repo, diags, today or dt.date.today())
    ledger = reader.read()
    items = sorted(diags.items, key=_sort_key)
    return (None if diags.errors else ledger), items


def _sort_key(d: Diagnostic) -> tuple:
    return (d.path, d.line, d.severity is Severity.WARNING, d.field)


class _Reader:
    def __init__(self, root: Path, repo: Path, diags: Diagnostics, today: dt.date):
        self.root, self.repo, self.diags, self.today = root, repo, diags, today
        self.seen_ids: dict[int, str] = {}  # problem number -> first file using it
        self._repo_prefix = str(repo).rstrip("/") + "/"
        self._evidence_checked: dict[str, str | None] = {}  # path -> error message or None

    def rel(self, path: Path) -> str:
        # Files listed from the (resolved) ledger folder are already absolute
        # and under the repository: a string prefix test spares a resolve() —
        # several system calls — per file, a third of loading 2,000 problems.
        # It is also the link's own place, as below.
        text = str(path)
        if text.startswith(self._repo_prefix):
            return text[len(self._repo_prefix):]
        # The link's own place first: a symlink resolves to somewhere else.
        for candidate in (path.absolute(), path.resolve()):
            try:
                return candidate.relative_to(self.repo).as_posix()
            except ValueError:
                pass
        return path.as_posix()

    # -- files --------------------------------------------------------------

    def read(self) -> Ledger | None:
        ledger_path = self.root / C.LEDGER_FILE
        if not self.root.is_dir():
            self.diags.error(self.rel(self.root), 1, "台账", "台账文件夹不存在。")
            return None
        if not ledger_path.is_file():
            self.diags.error(self.rel(ledger_path), 1, "台账", f"缺少 {C.LEDGER_FILE}；请从示例台账复制一份再修改。")
            return None
        ledger = self.read_ledger_file(ledger_path)
        issue_files = self.list_issue_files()
        if ledger is None:
            return None
        for path in issue_files:
            issue = self.read_issue(path, ledger)
            if issue is not None:
                ledger.issues.append(issue)
        ledger.issues.sort(key=lambda i: (i.category.index, i.id))
        return ledger

    def list_issue_files(self) -> list[Path]:
        found = []
        for path in sorted(self.root.iterdir()):
            name = path.name
            if name == C.LEDGER_FILE or name.startswith(".") or name.startswith("_") or name == "README.md":
                continue
            if path.is_symlink():
                # Git keeps symlinks; one could make the build read (and
                # publish) any file on the build server.
                self.diags.error(self.rel(path), 1, "文件", "台账文件夹里不能有符号链接（快捷方式）；请提交文件本身。")
                continue
            if path.is_dir():
                continue
            if path.suffix.lower() != ".md":
                self.diags.error(self.rel(path), 1, "文件", "台账文件夹里只能放问题文件（.md）；佐证材料请放到 docs/evidence/ 下，在 evidence 字段里引用。")
                continue
            found.append(path)
        return found

    def read_text(self, path: Path, rel: str | None = None) -> str | None:
        rel = rel or self.rel(path)
        try:
            size = path.stat().st_size
            data = path.read_bytes() if size <= C.MAX_FILE_BYTES else b""
        except OSError as exc:
            self.diags.error(rel, 1, "文件", f"无法读取文件（{exc.strerror}）；请检查文件是否存在、是否有读取权限。")
            return None
        if size > C.MAX_FILE_BYTES:
            self.diags.error(rel, 1, "文件", f"文件过大（{size // 1024} KB，上限 {C.MAX_FILE_BYTES // 1000} KB）；附件请放到 docs/evidence/ 下，在 evidence 字段里引用。")
            return None
        if b"\x00" in data:
            self.diags.error(rel, 1, "文件", "这是二进制文件（例如改了扩展名的 Word 文档或图片），不是文本；问题文件必须是 UTF-8 编码的 Markdown 文本，附件请放到 docs/evidence/ 下。")
            return None
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            hint = "文件可能以 GBK/GB2312 编码保存" if _looks_gbk(data) else "文件不是 UTF-8 编码"
            self.diags.error(rel, line, "编码", f"{hint}；请用编辑器“另存为 UTF-8”（记事本：另存为 → 编码选 UTF-8）后再提交。")
            return None
        return text.replace("\r\n", "\n").replace("\r", "\n")

    def front_matter(self, path: Path, text: str, rel: str | None = None) -> tuple[Map | None, int, str]:
        """Return (front-matter mapping, line where the body starts, body)."""
        rel = rel or self.rel(path)
        lines = text.split("\n")
        if not lines or not _FM_FENCE.match(lines[0]):
            self.diags.error(rel, 1, "front-matter", "文件开头缺少 front-matter；第一行应为 ---，随后是 id、title 等字段，再以 --- 结束。")
            return None, 1, text
        end = next((i for i in range(1, len(lines)) if _FM_FENCE.match(lines[i])), None)
        if end is None:
            self.diags.error(rel, 1, "front-matter", "front-matter 没有结束标记；请在字段之后加一行 ---。")
            return None, 1, text
        fm_lines = lines[1:end]
        body = "\n".join(lines[end + 1:])
        if not self.check_fm_layout(rel, fm_lines):
            return None, end + 2, body
        try:
            node = parse("\n".join(fm_lines), line_offset=1)
        except YamlSyntaxError as exc:
            self.diags.error(rel, exc.line, "front-matter", f"YAML 格式错误：{exc.hint}。")
            return None, end + 2, body
        if not isinstance(node, Map):
            self.diags.error(rel, 2, "front-matter", "front-matter 应为“字段: 值”的形式，每行一个字段。")
            return None, end + 2, body
        return node, end + 2, body

    def check_fm_layout(self, rel: str, fm_lines: list[str]) -> bool:
        """Catch the typing slips YAML would report cryptically or not at all."""
        joined = "\n".join(fm_lines)
        if "：" not in joined and "\t" not in joined and "\u3000" not in joined:
            return True  # none of the characters below: skip the per-line regexes
        ok = True
        for n, line in enumerate(fm_lines, start=2):
            m = _FULLWIDTH_KEY.match(line)
            if m:
                self.diags.error(rel, n, m[1], "字段名后用了全角冒号“：”；请改为半角冒号加空格“: ”。")
                ok = False
            elif "\t" in line[: len(line) - len(line.lstrip())]:
                self.diags.error(rel, n, "front-matter", "行首有制表符（Tab）；YAML 只能用空格缩进，请把 Tab 换成两个空格。")
                ok = False
            elif (key := _fullwidth_space(line)) is not None:
                self.diags.error(rel, n, key or "front-matter", "这一行有全角空格（　）；YAML 只认半角空格，请切换到半角输入法，把它改成半角空格。")
                ok = False
        return ok

    # -- ledger.yml ---------------------------------------------------------

    def read_ledger_file(self, path: Path) -> Ledger | None:
        rel = self.rel(path)
        text = self.read_text(path)
        if text is None:
            return None
        try:
            node = parse(text)
        except YamlSyntaxError as exc:
            self.diags.error(rel, exc.line, "ledger.yml", f"YAML 格式错误：{exc.hint}。")
            return None
        if not isinstance(node, Map):
            self.diags.error(rel, 1, "ledger.yml", "内容应为“字段: 值”的形式。")
            return None
        F.check_keys(node, C.LEDGER_FIELDS, rel, self.diags)
        e = node.entries

        def at(key: str) -> Where:
            return Where(rel, node.key_lines.get(key, 1), key)

        categories = self.read_categories(e.get("categories"), at("categories"))
        statuses = self.read_statuses(e.get("statuses"), at("statuses"))
        signature = e.get("signature")
        sig = signature.entries if isinstance(signature, Map) else {}
        sig_lines = signature.key_lines if isinstance(signature, Map) else {}
        warn_days = F.text(e.get("warn_days"), at("warn_days"), self.diags)
        if warn_days is not None and not warn_days.isdigit():
            F.error(self.diags, at("warn_days"), f"“{warn_days}”应为天数（非负整数），例如 15。")
            warn_days = None
        ledger = Ledger(
            root=self.root,
            repo_root=self.repo,
            title=F.text(e.get("title"), at("title"), self.diags, required=True) or "",
            round=F.text(e.get("round"), at("round"), self.diags) or "",
            unit=F.text(e.get("unit"), at("unit"), self.diags, required=True) or "",
            group=F.text(e.get("group"), at("group"), self.diags) or "",
            period=F.text(e.get("period"), at("period"), self.diags) or "",
            feedback_date=F.date(e.get("feedback_date"), at("feedback_date"), self.diags),
            cutoff_date=F.date(e.get("cutoff_date"), at("cutoff_date"), self.diags),
            warn_days=int(warn_days) if warn_days else 15,
            note=F.text(e.get("note"), at("note"), self.diags) or "",
            signature_unit=F.text(sig.get("unit"), Where(rel, sig_lines.get("unit", 1), "signature.unit"), self.diags) or "",
            signature_date=F.date(sig.get("date"), Where(rel, sig_lines.get("date", 1), "signature.date"), self.diags),
            categories=tuple(categories or ()),
            statuses=tuple(statuses or ()),
            report=self.read_report(e.get("report"), at("report")),
            issues=[],
            codeowners=self.read_codeowners(e.get("codeowners"), at("codeowners")),
        )
        if categories is None or statuses is None:
            return None
        return ledger

    def read_categories(self, node, where: Where) -> list[Category] | None:
        if not isinstance(node, Seq) or not node.items:
            F.error(self.diags, where, "请列出问题方面（categories），至少一个，按报告中的顺序。")
            return None
        result, seen = [], set()
        for index, item in enumerate(node.items, start=1):
            w = Where(where.path, item.line, "categories")
            if isinstance(item, Scalar):
                item = Map({"name": item}, {"name": item.line}, item.line)
            if not isinstance(item, Map):
                F.error(self.diags, w, "每个方面应写成 name: 名称（可加 short、summary、intro）。")
                continue
            F.check_keys(item, ("name", "short", "summary", "intro"), where.path, self.diags)
            name = F.text(item.entries.get("name"), w, self.diags, required=True)
            short = F.text(item.entries.get("short"), w, self.diags) or ""
            for label in (name, short):
                if label and label in seen:
                    F.error(self.diags, w, f"方面名称或简称“{label}”重复；每个方面须能唯一区分。")
                seen.add(label)
            summary = F.text(item.entries.get("summary"), w, self.diags) or C.DEFAULT_CATEGORY_SUMMARY
            self.check_template(summary, {"name", "count"}, w)
            if name:
                result.append(Category(index, name, short, summary,
                                       F.text(item.entries.get("intro"), w, self.diags) or ""))
        return result

    def read_statuses(self, node, where: Where) -> list[Status] | None:
        if node is None:
            return [Status(**s) for s in C.DEFAULT_STATUSES]
        if not isinstance(node, Seq) or not node.items:
            F.error(self.diags, where, "statuses 应为状态列表，每项含 key 和 label。")
            return None
        result, seen = [], set()
        for item in node.items:
            w = Where(where.path, item.line, "statuses")
            if not isinstance(item, Map):
                F.error(self.diags, w, "每个状态应包含 key、label、sentence、phrase 等字段。")
                continue
            F.check_keys(item, ("key", "label", "color", "done", "overdue", "sentence", "phrase"), where.path, self.diags)
            e = item.entries
            key = F.text(e.get("key"), w, self.diags, required=True)
            label = F.text(e.get("label"), w, self.diags, required=True)
            if key and not _STATUS_KEY.match(key):
                F.error(self.diags, w, f"状态代号“{key}”只能用小写英文字母、数字和下划线，例如 doing。")
            for word in (key, label):
                if word and word in seen:
                    F.error(self.diags, w, f"状态“{word}”重复。")
                seen.add(word)
            phrase = F.text(e.get("phrase"), w, self.diags) or f"{label}{{count}}项"
            self.check_template(phrase, {"count"}, w)
            if key and label:
                result.append(Status(
                    key=key, label=label,
                    sentence=F.text(e.get("sentence"), w, self.diags) or f"目前，此项问题{label}。",
                    phrase=phrase,
                    color=F.text(e.get("color"), w, self.diags) or "grey",
                    done=F.boolean(e.get("done"), w, self.diags, False),
                    overdue=F.boolean(e.get("overdue"), w, self.diags, False),
                ))
        if result and not any(s.done for s in result):
            F.error(self.diags, where, "至少要有一个状态标记 done: true（计入整改完成率），通常是“已完成”。")
        return result

    def read_report(self, node, where: Where) -> ReportSpec:
        e = node.entries if isinstance(node, Map) else {}
        lines = node.key_lines if isinstance(node, Map) else {}

        def at(key: str) -> Where:
            return Where(where.path, lines.get(key, where.line), f"report.{key}")

        if isinstance(node, Map):
            F.check_keys(node, ("preamble", "sections", "numbering", "wording", "annex"), where.path, self.diags)
        sections = []
        raw_sections = e.get("sections")
        for item in raw_sections.items if isinstance(raw_sections, Seq) else []:
            w = Where(where.path, item.line, "report.sections")
            if not isinstance(item, Map):
                F.error(self.diags, w, "每一部分应写成 title: 标题，再加 source: 文件 或 generate: summary/problems。")
                continue
            title = F.text(item.entries.get("title"), w, self.diags, required=True) or ""
            generate = F.text(item.entries.get("generate"), w, self.diags)
            if generate not in (None, "summary", "problems"):
                F.error(self.diags, w, f"generate 只能是 summary（总体情况）或 problems（逐项整改情况），不能是“{generate}”。")
            sections.append(ReportSection(title, self.narrative(item.entries.get("source"), w), generate))
        numbering = F.text(e.get("numbering"), at("numbering"), self.diags) or "continuous"
        if numbering not in ("continuous", "per_category"):
            F.error(self.diags, at("numbering"), f"“{numbering}”无效；可选：continuous（全文连续编号）、per_category（每个方面重新编号）。")
        wording = dict(C.DEFAULT_WORDING)
        raw_wording = e.get("wording")
        if isinstance(raw_wording, Map):
            for key, value in raw_wording.entries.items():
                w = Where(where.path, raw_wording.key_lines[key], f"report.wording.{key}")
                if key not in wording:
                    self.diags.warn(w.path, w.line, w.field, f"未知措辞项，将被忽略；可用：{'、'.join(C.DEFAULT_WORDING)}")
                    continue
                wording[key] = F.text(value, w, self.diags) or wording[key]
                self.check_template(wording[key], {"group", "unit", "categories", "total", "breakdown", "status_counts", "rate", "done"}, w)
        return ReportSpec(
            preamble=self.narrative(e.get("preamble"), at("preamble")),
            sections=tuple(sections),
            numbering=numbering,
            wording=wording,
            annex=F.boolean(e.get("annex"), at("annex"), self.diags, True),
        )

    def narrative(self, node, where: Where) -> Path | None:
        value = F.text(node, where, self.diags)
        if value is None:
            return None
        path = (self.root / value).resolve()
        if not path.is_relative_to(self.repo):
            F.error(self.diags, where, f"文件“{value}”在仓库之外；叙述部分请放在仓库里，例如 docs/report/。")
            return None
        if not path.is_file():
            F.error(self.diags, where, f"找不到文件“{value}”（相对于台账文件夹）。")
            return None
        return path

    def read_codeowners(self, node, where: Where) -> dict[str, list[str]]:
        if node is None or (isinstance(node, Scalar) and node.is_null):
            return {}
        if not isinstance(node, Map):
            F.error(self.diags, where, "codeowners 应写成“责任部门: [账号, …]”，每个部门一行，例如 办公室: [wang.li]。")
            return {}
        result = {}
        for owner, accounts in node.entries.items():
            names = F.text_list(accounts, Where(where.path, node.key_lines[owner], f"codeowners.{owner}"), self.diags)
            result[owner] = names or []
        return result

    def check_template(self, template: str, allowed: set[str], where: Where) -> None:
        try:
            names = {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}
        except ValueError:
            F.error(self.diags, where, f"措辞模板“{template}”的花括号不成对。")
            return
        unknown = names - allowed
        if unknown:
            F.error(self.diags, where, f"措辞模板里的“{{{'}、{'.join(sorted(unknown))}}}”无法识别；可用：{'、'.join('{' + a + '}' for a in sorted(allowed))}。")

    # -- problem files ------------------------------------------------------

    def read_issue(self, path: Path, ledger: Ledger) -> Issue | None:
        rel = self.rel(path)
        text = self.read_text(path, rel)
        if text is None:
            return None
        node, body_line, body = self.front_matter(path, text, rel)
        if node is None:
            return None
        F.check_keys(node, tuple(C.ISSUE_FIELDS), rel, self.diags)
        e = node.entries
        lines = dict(node.key_lines)

        def at(key: str) -> Where:
            return Where(rel, lines.get(key, 1), key)

        for key in C.REQUIRED_ISSUE_FIELDS:
            if key not in e:
                F.error(self.diags, Where(rel, 1, key), f"缺少必填字段 {key}（{C.ISSUE_FIELDS[key]}）。")
        errors_before = self.diags.error_count
        issue_id = F.positive_int(e["id"], at("id"), self.diags) if "id" in e else None
        self.check_unique_id(issue_id, at("id"))
        title = F.text(e.get("title"), at("title"), self.diags, required="title" in e)
        category = self.lookup_category(e.get("category"), at("category"), ledger)
        status = self.lookup_status(e.get("status"), at("status"), ledger)
        owners = F.text_list(e.get("owner"), at("owner"), self.diags)
        if "owner" in e and owners == []:
            F.error(self.diags, at("owner"), "责任部门不能为空。")
        leader = F.text(e.get("leader"), at("leader"), self.diags) or ""
        deadline = F.date(e.get("deadline"), at("deadline"), self.diags)
        completed = F.date(e.get("completed"), at("completed"), self.diags)
        # Without a completed line, point at the status that requires one.
        completed_at = Where(rel, lines.get("completed", lines.get("status", 1)), "completed")
        self.check_completed(status, completed, deadline, completed_at, ledger)
        evidence = self.read_evidence(e.get("evidence"), at("evidence"))
        note = F.text(e.get("status_note"), at("status_note"), self.diags)
        self.check_status_note(status, note, at("status_note"))
        problem, measures = self.read_body(rel, body, body_line)
        if self.diags.error_count > errors_before or None in (issue_id, title, category, status, owners, problem, measures, evidence):
            return None
        return Issue(
            id=issue_id, title=title, category=category, status=status, owners=tuple(owners),
            leader=leader, deadline=deadline, completed=completed, evidence=tuple(evidence),
            problem=problem, measures=measures, status_note=note,
            path=path, rel_path=rel, lines=lines,
        )

    def lookup_category(self, node, where: Where, ledger: Ledger) -> Category | None:
        value = F.text(node, where, self.diags, required=node is not None)
        if value is None:
            return None
        for category in ledger.categories:
            if value in (category.name, category.short):
                return category
        choices = [c.short or c.name for c in ledger.categories]
        F.error(self.diags, where, f"“{value}”不是 ledger.yml 中的问题方面；{F.suggest(value, choices + [c.name for c in ledger.categories])}可选：{'、'.join(choices)}")
        return None

    def lookup_status(self, node, where: Where, ledger: Ledger) -> Status | None:
        value = F.text(node, where, self.diags, required=node is not None)
        if value is None:
            return None
        for status in ledger.statuses:
            if value in (status.label, status.key):
                return status
        labels = [s.label for s in ledger.statuses]
        F.error(self.diags, where, f"“{value}”不是有效状态；可选：{'、'.join(labels)}")
        return None

    def check_completed(self, status, completed, deadline, where: Where, ledger: Ledger) -> None:
        if status is not None and status.done and completed is None:
            F.error(self.diags, where, f"状态为“{status.label}”时必须填写完成时间 completed，例如 completed: 2023-03-31。")
        if completed is None:
            return
        if ledger.feedback_date and completed < ledger.feedback_date:
            F.error(self.diags, where, f"完成时间 {completed} 早于巡察反馈日期 {ledger.feedback_date}；请核对。")
        if completed > self.today:
            F.error(self.diags, where, f"完成时间 {completed} 晚于今天（{self.today}）；尚未完成的问题请不要填写完成时间。")

    def check_status_note(self, status, note: str | None, where: Where) -> None:
        """The report prints status_note instead of the status sentence, so a
        note left behind after a status change would misreport the problem."""
        if status is None or note is None:
            return
        says_done = any(word in note for word in _DONE_WORDS)
        says_open = any(word in note for word in _OPEN_WORDS)
        if status.done and says_open and not says_done:
            F.error(self.diags, where, f"进展表述“{note}”说的是尚未完成，但状态是“{status.label}”；请改写或删除 status_note。")
        elif not status.done and says_done and not says_open:
            F.error(self.diags, where, f"进展表述“{note}”说的是已经整改完毕，但状态是“{status.label}”；改状态时请同时改写或删除 status_note，否则报告会写成已完成。")

    def read_evidence(self, node, where: Where) -> list[Evidence] | None:
        if node is None or (isinstance(node, Scalar) and node.is_null):
            return []
        items = node.items if isinstance(node, Seq) else [node]
        result: list[Evidence] | None = []
        for item in items:
            w = Where(where.path, item.line, "evidence")
            evidence = self.read_evidence_item(item, w)
            if evidence is None:
                result = None
            elif result is not None:
                result.append(evidence)
        return result

    def read_evidence_item(self, item, w: Where) -> Evidence | None:
        if isinstance(item, Scalar):
            name = F.text(item, w, self.diags, required=True)
            return Evidence(name) if name else None
        if not isinstance(item, Map):
            F.error(self.diags, w, "每项佐证材料写一行文字，或写成 name: 名称 加 file: 文件路径。")
            return None
        F.check_keys(item, ("name", "file"), w.path, self.diags)
        file = F.text(item.entries.get("file"), w, self.diags)
        name = F.text(item.entries.get("name"), w, self.diags) or (Path(file).name if file else None)
        if name is None:
            F.error(self.diags, w, "佐证材料需要 name（名称）或 file（文件路径）。")
            return None
        if file is not None and not self.check_evidence_file(file, w):
            return None
        return Evidence(name, file)

    def check_evidence_file(self, file: str, w: Where) -> bool:
        # Many problems cite the same file (a meeting's minutes): check each once.
        if file not in self._evidence_checked:
            self._evidence_checked[file] = self._evidence_file_error(file)
        message = self._evidence_checked[file]
        if message:
            F.error(self.diags, w, message)
        return message is None

    def _evidence_file_error(self, file: str) -> str | None:
        target = (self.repo / file).resolve()
        try:
            target.relative_to(self.repo)
        except ValueError:
            return f"文件“{file}”在仓库之外；佐证材料必须放在仓库里，例如 docs/evidence/。"
        if target.is_dir():
            return f"“{file}”是文件夹，不是文件；请写出具体的文件名，例如 docs/evidence/会议纪要.pdf。"
        if not target.is_file():
            return f"找不到文件“{file}”（路径相对于仓库根目录，例如 docs/evidence/会议纪要.pdf）；请检查文件名或先提交文件。"
        return None

    def read_body(self, rel: str, body: str, first_line: int) -> tuple[str | None, str | None]:
        """Split the body into the two fixed sections."""
        wanted = (C.PROBLEM_HEADING, C.MEASURES_HEADING)
        sections: dict[str, list[str]] = {}
        heading_lines: dict[str, int] = {}
        current = None
        for n, line in enumerate(body.split("\n"), start=first_line):
            m = _SECTION.match(line)
            if m:
                title = m[1].strip().rstrip("：:")
                if title not in wanted:
                    self.diags.error(rel, n, "正文", f"二级标题“{title}”无效；正文只能有“## {wanted[0]}”和“## {wanted[1]}”两节，小标题请用 ###。")
                    current = "_invalid"  # its lines are not reported again
                    sections.setdefault(current, [])
                    continue
                if title in sections:
                    self.diags.error(rel, n, "正文", f"“## {title}”出现了两次。")
                current = title
                sections[title] = []
                heading_lines[title] = n
            elif current is not None:
                sections[current].append(line)
            elif line.strip():
                self.diags.error(rel, n, "正文", f"正文应从“## {wanted[0]}”开始；这一行不属于任何一节。")
                current = "_stray"
                sections.setdefault("_stray", [])
        result = []
        for title in wanted:
            if title not in sections:
                self.diags.error(rel, first_line, "正文", f"缺少“## {title}”一节。")
                result.append(None)
                continue
            content = "\n".join(sections[title]).strip()
            if not content:
                self.diags.error(rel, heading_lines[title], "正文", f"“## {title}”一节是空的，请填写内容。")
                result.append(None)
                continue
            result.append(content)
        return result[0], result[1]

    def check_unique_id(self, issue_id: int | None, where: Where) -> None:
        if issue_id is None:
            return
        first = self.seen_ids.setdefault(issue_id, where.path)
        if first != where.path:
            F.error(self.diags, where, f"序号 {issue_id} 与 {first} 重复；每个问题的序号必须唯一，请改用未被占用的序号。")


def _fullwidth_space(line: str) -> str | None:
    """The field whose line has a misplaced full-width space ("" if none is named), else None."""
    for pattern in _FULLWIDTH_SPACE:
        m = pattern.match(line)
        if m:
            return m["key"] or ""
    return None


# Wordings of the genre (see NOTES) that state a problem is closed, or not yet.
_DONE_WORDS = ("整改完毕", "完成整改", "已整改", "已完成", "已经完成")
_OPEN_WORDS = ("正在整改", "整改中", "尚未", "未完成", "持续整改", "部分整改", "长期坚持", "阶段性")


def _looks_gbk(data: bytes) -> bool:
    try:
        data.decode("gb18030")
        return True
    except UnicodeDecodeError:
        return False
