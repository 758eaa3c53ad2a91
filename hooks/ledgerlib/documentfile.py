"""ledger.yml's settings of the documents of a round (see documents.py):
``documents:`` (each kind's title, sections, wording, annexes),
``leading_group:`` and ``notice:``. Every fault goes to the diagnostics."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from . import documents as D
from . import fields as F
from .errors import Diagnostics
from .fields import Where
from .model import DocumentSpec, LeadingMember, NoticeSpec, Numbering, ReportSection
from .yamlnodes import Map, Scalar, Seq


class SectionReader(Protocol):
    """What a document's settings need from ledger.yml's reader
    (ledgerfile.LedgerFileReader): its diagnostics, and the narrative files
    and report sections, read as the report's own are."""

    diags: Diagnostics

    def narrative(self, node, where: Where) -> Path | None: ...

    def read_sections(self, node, where: Where) -> tuple[ReportSection, ...]: ...


def read_documents(reader: SectionReader, node, where: Where, report_wording: dict[str, str]) -> dict[str, DocumentSpec]:
    """``documents: {plan: …, final: …, notice: …}``: each kind's title,
    preamble, sections, numbering, wording and annexes; what is left out
    keeps the genre's default (documents.spec)."""
    if node is None or (isinstance(node, Scalar) and node.is_null):
        return {}
    if not isinstance(node, Map):
        F.error(reader.diags, where, "documents 应按文件种类分写：plan（整改方案）、final（完成情况报告）、notice（整改情况通报）。")
        return {}
    result = {}
    for kind, item in node.entries.items():
        w = Where(where.path, node.key_lines[kind], f"documents.{kind}")
        if kind == D.DEFAULT_KIND:
            F.error(reader.diags, w, "整改进展情况报告的结构和措辞写在 report: 下，不写在 documents 里。")
            continue
        if kind not in D.DEFAULTS:
            F.error(reader.diags, w, f"未知的文件种类“{kind}”；可用：plan（整改方案）、final（完成情况报告）、notice（整改情况通报）。")
            continue
        if isinstance(item, Map):
            result[kind] = read_document(reader, kind, item, w, report_wording)
        elif not (isinstance(item, Scalar) and item.is_null):
            F.error(reader.diags, w, "应写成 title、preamble、sections、wording、annexes 等字段。")
    return result

def read_document(reader: SectionReader, kind: str, node: Map, where: Where, report_wording: dict[str, str]) -> DocumentSpec:
    e = node.entries

    at = F.key_where(node.key_lines, where.path, where.line, where.field)

    F.check_keys(node, ("title", "preamble", "sections", "numbering", "wording", "annexes", "date"), where.path, reader.diags)
    title = F.text(e.get("title"), at("title"), reader.diags)
    if title:
        F.check_template(title, D.WORDING_FIELDS, at("title"), reader.diags)
    numbering = read_numbering(e.get("numbering"), at("numbering"), reader.diags)
    wording = {}
    node_wording = e.get("wording")
    if isinstance(node_wording, Map):
        allowed = D.wording_keys(kind, report_wording)
        for key, value in node_wording.entries.items():
            w = Where(where.path, node_wording.key_lines[key], f"{where.field}.wording.{key}")
            if key not in allowed:
                reader.diags.warn(w.path, w.line, w.field, f"未知措辞项，将被忽略；可用：{'、'.join(allowed)}")
                continue
            wording[key] = F.text(value, w, reader.diags) or ""
            F.check_template(wording[key], D.WORDING_FIELDS, w, reader.diags)
    annexes = None
    if "annexes" in e:
        annexes = tuple(F.text_list(e["annexes"], at("annexes"), reader.diags) or ())
        for name in annexes:
            if name not in D.ANNEX_TITLES:
                known = "、".join(f"{k}（{v}）" for k, v in D.ANNEX_TITLES.items())
                F.error(reader.diags, at("annexes"), f"附件“{name}”无法识别；可用：{known}。")
    return DocumentSpec(
        title=title, preamble=reader.narrative(e.get("preamble"), at("preamble")),
        sections=reader.read_sections(e["sections"], at("sections")) if "sections" in e else None,
        numbering=numbering, wording=wording, annexes=annexes,
        date=F.date(e.get("date"), at("date"), reader.diags))

def read_leading_group(node, where: Where, diags: Diagnostics) -> tuple[LeadingMember, ...]:
    """``leading_group:`` items ``{role: 组长, name: *同志, post: 局党委书记}``."""
    if node is None or (isinstance(node, Scalar) and node.is_null):
        return ()
    if not isinstance(node, Seq):
        F.error(diags, where, "leading_group 应为列表，每项写 role（组长、副组长、成员）、name（姓名）、post（职务）。")
        return ()
    members = []
    for item, w in F.map_items(node, where, diags, "每位成员应写成 {role: 组长, name: 姓名, post: 职务}。",
                               ("role", "name", "post")):
        role = F.text(item.entries.get("role"), w, diags, required=True)
        name = F.text(item.entries.get("name"), w, diags, required=True)
        if role and name:
            members.append(LeadingMember(role, name, F.text(item.entries.get("post"), w, diags) or ""))
    return tuple(members)

def read_notice(node, where: Where, diags: Diagnostics) -> NoticeSpec:
    """``notice: {contact: [联系电话：…, …], window_days: 10}``."""
    if node is None or (isinstance(node, Scalar) and node.is_null):
        return NoticeSpec()
    if not isinstance(node, Map):
        F.error(diags, where, "notice 应写成 contact（联系方式，每行一项）和 window_days（受理意见的天数）。")
        return NoticeSpec()
    F.check_keys(node, ("contact", "window_days"), where.path, diags)
    lines = node.key_lines
    contact = F.text_list(node.entries.get("contact"), Where(where.path, lines.get("contact", where.line), "notice.contact"),
                          diags) or []
    window = node.entries.get("window_days")
    days = F.positive_int(window, Where(where.path, lines.get("window_days", where.line), "notice.window_days"),
                          diags) if window is not None else None
    return NoticeSpec(tuple(contact), days)


def read_numbering(node, where: Where, diags: Diagnostics) -> Numbering | None:
    """``numbering:`` of the report or of one document (the one check of its
    values); None when absent, or wrong (then said in diags)."""
    value = F.text(node, where, diags)
    if value is None:
        return None
    try:
        return Numbering(value)
    except ValueError:
        choices = "、".join(f"{n.value}（{n.label}）" for n in Numbering)
        F.error(diags, where, f"“{value}”无效；可选：{choices}。")
        return None
