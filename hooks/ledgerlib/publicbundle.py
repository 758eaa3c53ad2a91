"""What a unit may put on a public portal: the notice as page, PDF and docx.

``ledger.py publish notice --out DIR`` (commands/publish.py) writes the
public kind of document (documents.PUBLIC_KINDS) as three files that stand
alone: the page has no link to any other page, no search, no screen note, no
edit link, its style sheet inlined and nothing to load; none of the files
names a commit. The report model already leaves out withheld problems,
leaders, persons, annexes and 【不公开】 blocks; ``leaks`` then reads the
finished text for any name the ledger says is internal (a leader, a person,
a withheld problem's title, an owner only withheld problems have), because a
narrative or a measure may still mention one in its own words.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .model import Ledger
from .paths import REPO
from .reportdoc import ReportDoc

CSS = Path("docs") / "assets" / "css" / "report.css"  # the GB/T 9704 layout the site's report page uses


@dataclass(frozen=True)
class Leak:
    word: str  # the internal name found
    what: str  # what it is, in Chinese: 责任领导, 不公开的问题 …


def page_html(doc: ReportDoc, repo_root: Path) -> str:
    """The self-contained HTML page of ``doc``."""
    from .render import template_env

    own = repo_root / CSS
    css = (own if own.is_file() else REPO / CSS).read_text(encoding="utf-8")
    return template_env().get_template("public_notice.html.j2").render(doc=doc, css=css)


def internal_words(ledger: Ledger) -> list[Leak]:
    """Names the ledger marks internal: leaders, persons, withheld problems' titles and owners."""
    found: dict[str, str] = {}
    public_owners = {o for i in ledger.issues if i.public for o in i.owners}
    for issue in ledger.issues:
        if issue.leader:
            found.setdefault(issue.leader, "责任领导")
        for measure in issue.tasks:
            if measure.person:
                found.setdefault(measure.person, "责任人")
        if not issue.public:
            found.setdefault(issue.title.strip(), f"不公开的问题（序号 {issue.id}）的标题")
            for owner in issue.owners:
                if owner not in public_owners:
                    found.setdefault(owner, f"只有不公开的问题（序号 {issue.id}）才有的责任部门")
    for member in ledger.leading_group:
        found.setdefault(member.name, "整改工作领导小组成员")
    return [Leak(word, what) for word, what in found.items() if len(word) >= 2]


def leaks(doc: ReportDoc, ledger: Ledger) -> list[Leak]:
    """The internal names that the public text still contains."""
    text = "\n".join([doc.title, *doc.body_lines(), doc.signature_unit])
    return [leak for leak in internal_words(ledger) if leak.word in text]
