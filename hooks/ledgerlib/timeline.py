"""A problem page's 变更记录: who changed which field when, oldest first.

Written in Python rather than as an included template: 2,000 problem pages
with a few events each made the template's macro calls a fifth of rendering
the pages. Everything from the ledger or Git is escaped here.
"""

from __future__ import annotations

from collections.abc import Callable

from markupsafe import Markup, escape

from .history import FieldChange


def timeline_html(history, past, pending: Callable[[], tuple[FieldChange, ...]],
                  status_label: Callable[[str | None], str | None]) -> Markup:
    """``past`` is the problem's record in ``history`` (None when the history
    is unavailable or the file was never committed); ``pending`` gives the
    front-matter edits not committed yet; ``status_label`` shows a status key
    as today's label."""
    if not history.available:
        return Markup(f'<p class="ledger-history-note">{escape(history.message)}</p>\n')
    if past is None or not past.events:
        return Markup('<p class="ledger-history-note">此问题文件尚未提交到 Git 仓库，还没有变更记录。</p>\n')

    def change(c: FieldChange, created: bool = False) -> str:
        return change_text(c, status_label, created)

    parts = [] if history.complete else [f'<p class="ledger-history-note">{escape(history.message)}</p>\n']
    parts.append('<ol class="ledger-timeline">\n')
    for event in past.events:
        commit = event.commit
        parts.append(f'<li><span class="ledger-timeline-date">{escape(commit.date)}</span> '
                     f'<span class="ledger-timeline-who">{escape(commit.author)}</span>')
        if event.kind == "created":
            changes = "，".join(change(c, created=True) for c in event.changes)
            parts.append(f" 登记此问题{'：' + changes if changes else ''}。")
        elif event.kind == "renamed":
            parts.append(f" 将问题文件由 {escape(event.old_name)} 改名为 {escape(event.name)}。")
        else:
            parts.append(" " + "；".join(change(c) for c in event.changes) + "。")
        parts.append(f' <span class="ledger-commit">{"合并" if commit.merge else "提交"} {escape(commit.short)}：'
                     f'{escape(commit.subject)}</span></li>\n')
    edits = pending()
    if edits:
        parts.append('<li class="ledger-timeline-pending"><span class="ledger-timeline-date">尚未提交</span> 文件中已'
                     + "；".join(change(c) for c in edits) + "，提交后计入变更记录。</li>\n")
    parts.append("</ol>\n")
    if past.unreadable:
        parts.append(f'<p class="ledger-history-note">另有 {past.unreadable} 次提交中此文件的 front-matter 无法解析，已跳过。</p>\n')
    return Markup("".join(parts))


def change_text(change: FieldChange, status_label: Callable[[str | None], str | None], created: bool = False) -> str:
    """One field's change, escaped: 填写…“…”, 清空…（原为“…”）, 将…从“…”改为“…”."""
    def shown(value):
        return escape(status_label(value) if change.field == "status" else value)

    if change.old is None:
        return f"{'' if created else '填写'}{escape(change.label)}“{shown(change.new)}”"
    if change.new is None:
        return f"清空{escape(change.label)}（原为“{shown(change.old)}”）"
    return f"将{escape(change.label)}从“{shown(change.old)}”改为“{shown(change.new)}”"
