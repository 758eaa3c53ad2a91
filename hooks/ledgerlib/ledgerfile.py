"""Reading ledger.yml: the round's facts, categories, statuses and report spec."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from . import constants as C
from . import documentfile, trust
from . import documents as D
from . import fields as F
from . import ladder as LD
from . import measures as M
from .boundary import check_remote
from .docslots import committee_of
from .errors import Diagnostics
from .fields import Where
from .model import Category, Ledger, Numbering, ReportSection, ReportSpec, Status
from .textfile import check_layout, check_placeholder, check_spacing, read_text
from .yamlnodes import Map, Scalar, Seq, YamlSyntaxError, parse

_STATUS_KEY = re.compile(r"^[a-z][a-z0-9_]*$")
_COMMIT_ID = re.compile(r"^[0-9a-fA-F]{7,40}$")


class LedgerFileReader:
    """Reads one ledger.yml; every fault goes to ``diags``."""

    def __init__(self, root: Path, repo: Path, diags: Diagnostics, drafts: bool = False):
        self.root, self.repo, self.diags = root, repo, diags
        self.drafts = drafts  # placeholder text passes (see parser.load_ledger)

    def read(self, path: Path, rel: str) -> Ledger | None:
        """The Ledger (without problems), or None when it cannot be used."""
        text = read_text(path, rel, self.diags)
        if text is None or not check_layout(text, rel, self.diags, first_line=1):
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
        return self.build(node, rel)

    def build(self, node: Map, rel: str) -> Ledger | None:
        e = node.entries

        at = F.key_where(node.key_lines, rel, 1)

        def text(key: str, required: bool = False) -> str:
            return F.text(e.get(key), at(key), self.diags, required=required) or ""

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
            title=text("title", required=True),
            round=text("round"),
            unit=text("unit", required=True),
            group=text("group"),
            committee=text("committee") or committee_of(text("group")),
            period=text("period"),
            feedback_date=F.date(e.get("feedback_date"), at("feedback_date"), self.diags),
            cutoff_date=F.date(e.get("cutoff_date"), at("cutoff_date"), self.diags),
            warn_days=int(warn_days) if warn_days else 15,
            note=text("note"),
            signature_unit=F.text(sig.get("unit"), Where(rel, sig_lines.get("unit", 1), "signature.unit"), self.diags) or "",
            signature_date=F.date(sig.get("date"), Where(rel, sig_lines.get("date", 1), "signature.date"), self.diags),
            categories=tuple(categories or ()),
            statuses=tuple(statuses or ()),
            report=self.read_report(e.get("report"), at("report")),
            issues=(),
            codeowners=read_codeowners(e.get("codeowners"), at("codeowners"), self.diags),
            history_after=self.read_commit_id(e.get("history_after"), at("history_after")),
            milestones=self.read_milestones(e.get("milestones"), at("milestones")),
            departments=read_departments(e.get("departments"), at("departments"), self.diags),
            leading_group=documentfile.read_leading_group(e.get("leading_group"), at("leading_group"), self.diags),
            notice=documentfile.read_notice(e.get("notice"), at("notice"), self.diags),
            results=M.read_result_kinds(e.get("results"), at("results"), self.diags),
            head=text("head"),
            ladder=LD.read_ladder(e.get("warnings"), at("warnings"), self.diags),
            reporting=LD.read_reporting(e.get("reporting"), at("reporting"), self.diags),
            contacts=LD.read_contacts(e.get("contacts"), at("contacts"), self.diags),
            reminders=LD.read_reminders(e.get("reminders"), at("reminders"), self.diags),
        )
        ledger = dataclasses.replace(ledger, documents=documentfile.read_documents(
            self, e.get("documents"), at("documents"), ledger.report.wording))
        if categories is None or statuses is None:
            return None
        return ledger

    def read_commit_id(self, node, where: Where) -> str:
        value = F.text(node, where, self.diags) or ""
        if value and not _COMMIT_ID.match(value):
            F.error(self.diags, where, f"“{value}”不是 Git 提交号（7 到 40 位十六进制数字）；"
                    "它由 ledger.py init 自动填写，请恢复原值，或删除这一行以显示全部变更记录。")
            return ""
        return value.lower()

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
            summary = F.text(item.entries.get("summary"), w, self.diags) or C.default_category_summary(name or "")
            F.check_template(summary, {"name", "count"}, w, self.diags)
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
        for item, w in F.map_items(node, where, self.diags, "每个状态应包含 key、label、sentence、phrase 等字段。"):
            status = self.read_status(item, w, seen)
            if status is not None:
                result.append(status)
        if result and not any(s.done for s in result):
            F.error(self.diags, where, "至少要有一个状态标记 done: true（计入整改完成率），通常是“已完成”。")
        return result

    def read_status(self, item: Map, w: Where, seen: set[str]) -> Status | None:
        F.check_keys(item, ("key", "label", "color", "done", "overdue", "sentence", "phrase"), w.path, self.diags)
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
        F.check_template(phrase, {"count"}, w, self.diags)
        if not (key and label):
            return None
        return Status(
            key=key, label=label,
            sentence=F.text(e.get("sentence"), w, self.diags) or f"目前，此项问题{label}。",
            phrase=phrase,
            color=F.text(e.get("color"), w, self.diags) or "grey",
            done=F.boolean(e.get("done"), w, self.diags, False),
            overdue=F.boolean(e.get("overdue"), w, self.diags, False),
        )

    def read_report(self, node, where: Where) -> ReportSpec:
        e = node.entries if isinstance(node, Map) else {}
        lines = node.key_lines if isinstance(node, Map) else {}

        at = F.key_where(lines, where.path, where.line, "report")

        if isinstance(node, Map):
            F.check_keys(node, ("preamble", "sections", "numbering", "wording", "annex", "trace"), where.path, self.diags)
        numbering = documentfile.read_numbering(e.get("numbering"), at("numbering"), self.diags) or Numbering.CONTINUOUS
        return ReportSpec(
            preamble=self.narrative(e.get("preamble"), at("preamble")),
            sections=self.read_sections(e.get("sections"), where),
            numbering=numbering,
            wording=self.read_wording(e.get("wording"), where),
            annex=F.boolean(e.get("annex"), at("annex"), self.diags, True),
            trace=F.boolean(e.get("trace"), at("trace"), self.diags, True),
        )

    def read_sections(self, node, where: Where) -> tuple[ReportSection, ...]:
        sections = []
        for item in node.items if isinstance(node, Seq) else []:
            w = Where(where.path, item.line, "report.sections")
            if not isinstance(item, Map):
                F.error(self.diags, w, "每一部分应写成 title: 标题，再加 source: 文件 或 generate: summary/problems。")
                continue
            title = F.text(item.entries.get("title"), w, self.diags, required=True) or ""
            generate = F.text(item.entries.get("generate"), w, self.diags)
            if generate is not None and generate not in D.GENERATED:
                known = "、".join(f"{k}（{v}）" for k, v in D.GENERATED.items())
                F.error(self.diags, w, f"generate 不能是“{generate}”；可用：{known}。")
            sections.append(ReportSection(title, self.narrative(item.entries.get("source"), w), generate))
        return tuple(sections)

    def read_wording(self, node, where: Where) -> dict[str, str]:
        wording = dict(C.DEFAULT_WORDING)
        if not isinstance(node, Map):
            return wording
        allowed = {"group", "unit", "categories", "total", "breakdown", "status_counts", "rate", "done",
                   "immediate", "results"}
        for key, value in node.entries.items():
            w = Where(where.path, node.key_lines[key], f"report.wording.{key}")
            if key not in wording:
                self.diags.warn(w.path, w.line, w.field, f"未知措辞项，将被忽略；可用：{'、'.join(C.DEFAULT_WORDING)}")
                continue
            wording[key] = F.text(value, w, self.diags) or wording[key]
            F.check_template(wording[key], allowed, w, self.diags)
        return wording

    def narrative(self, node, where: Where) -> Path | None:
        value = F.text(node, where, self.diags)
        if value is None:
            return None
        base = self.root
        if not (base / value).is_file() and self.root.parent != self.repo:
            # One ledger of several (issues/<name>/) whose ledger.yml still says
            # ../docs/report/…, written for issues/ledger.yml: it keeps working.
            base = self.root.parent
        refused = trust.path_error(self.repo, base, value, "叙述部分", "docs/report/")
        if refused:
            F.error(self.diags, where, refused)
            return None
        path = (base / value).resolve()
        if not path.is_file():
            F.error(self.diags, where, f"找不到文件“{value}”（相对于台账文件夹）。")
            return None
        # The report prints this file: the same encoding rules as the ledger's own.
        rel = path.relative_to(self.repo).as_posix()
        text = read_text(path, rel, self.diags)
        if text is None:
            return None
        # A scaffold init wrote: a warning, so that a new unit previews its site
        # from day one; producing the document refuses it (docslots.refusals).
        check_placeholder(text, rel, self.diags, lambda n: "叙述", warn=True)
        check_spacing(text, rel, self.diags, lambda n: "叙述")
        check_remote(text, rel, 1, "正文", self.diags)  # as the page check words it: reported once
        return path

    def read_milestones(self, node, where: Where) -> tuple[tuple[str, int], ...]:
        """``名称: 天数`` after the feedback date; absent means the genre's defaults."""
        if node is None:
            return C.DEFAULT_MILESTONES
        if isinstance(node, Scalar) and node.is_null:
            return ()
        if not isinstance(node, Map):
            F.error(self.diags, where, "milestones 应写成“节点名称: 反馈日期后的天数”，每行一个，例如 整改方案: 30。")
            return ()
        result = []
        for name, value in node.entries.items():
            days = F.positive_int(value, Where(where.path, node.key_lines[name], f"milestones.{name}"), self.diags)
            if days is not None:
                result.append((name, days))
        return tuple(result)


def read_departments(node, where: Where, diags: Diagnostics) -> tuple[str, ...]:
    """ledger.yml's ``departments:``: the only owners problem files may name (empty: any)."""
    names = F.text_list(node, where, diags) or []
    for name in {n for n in names if names.count(n) > 1}:
        F.error(diags, where, f"部门“{name}”重复列出。")
    return tuple(dict.fromkeys(names))


def read_codeowners(node, where: Where, diags: Diagnostics) -> dict[str, list[str]]:
    if node is None or (isinstance(node, Scalar) and node.is_null):
        return {}
    if not isinstance(node, Map):
        F.error(diags, where, "codeowners 应写成“责任部门: [账号, …]”，每个部门一行，例如 办公室: [wang.li]。")
        return {}
    result = {}
    for owner, accounts in node.entries.items():
        names = F.text_list(accounts, Where(where.path, node.key_lines[owner], f"codeowners.{owner}"), diags)
        result[owner] = names or []
    return result




def narrative_nodes(node: Map | None) -> list[Scalar]:
    """The narrative file paths ledger.yml names (report: and each
    documents: kind's preamble and sections[].source), as written, with their lines."""
    if not isinstance(node, Map):
        return []
    specs = [node.entries.get("report")]
    documents = node.entries.get("documents")
    if isinstance(documents, Map):  # each kind's narratives too
        specs += documents.entries.values()
    found = []
    for spec in specs:
        if not isinstance(spec, Map):
            continue
        found.append(spec.entries.get("preamble"))
        sections = spec.entries.get("sections")
        for item in sections.items if isinstance(sections, Seq) else []:
            if isinstance(item, Map):
                found.append(item.entries.get("source"))
    return [v for v in found if isinstance(v, Scalar) and v.text and not v.is_null]
