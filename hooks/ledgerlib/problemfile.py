"""Reading one problem file: front-matter fields, evidence and the two body sections."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from . import constants as C
from . import fields as F
from . import measures as M
from . import trust
from .boundary import check_remote
from .errors import Diagnostics
from .fields import Where
from .genre import stated_statuses
from .model import Category, Evidence, Issue, Ledger, Status
from .ownertypos import OwnerTally
from .textfile import check_placeholder, check_spacing, read_front_matter, read_text
from .yamlnodes import Map, Scalar, Seq

_SECTION = re.compile(r"^##\s+(.+?)\s*#*\s*$")
# follows: another ledger's problem ("2023-区委巡察/15") or this ledger's ("15").
FOLLOWS_FORM = re.compile(r"^(?:[^/\s]+/)?[1-9][0-9]*$")


class ProblemReader:
    """Reads the problem files of one ledger; remembers what must be unique across them."""

    def __init__(self, ledger: Ledger, repo: Path, diags: Diagnostics, today: dt.date, drafts: bool = False):
        self.ledger, self.repo, self.diags, self.today = ledger, repo, diags, today
        self.drafts = drafts  # placeholder text passes (see parser.load_ledger)
        self.seen_ids: dict[int, str] = {}  # problem number -> first file using it
        self.evidence = EvidenceChecker(repo, diags)
        self.names = trust.NameRegister()  # owners and people that look alike (parser reports them)
        self.owners = OwnerTally()  # owners one character apart, without departments: (parser warns)

    def read(self, path: Path, rel: str) -> Issue | None:
        text = read_text(path, rel, self.diags)
        if text is None:
            return None
        node, body_line, body = read_front_matter(text, rel, self.diags)
        if not self.drafts:
            check_placeholder(text, rel, self.diags, lambda n: "正文" if n >= body_line else "front-matter")
        check_remote(body, rel, body_line, "正文", self.diags)
        check_spacing(text, rel, self.diags, lambda n: "正文" if n >= body_line else "front-matter")
        if node is None:
            return None
        F.check_keys(node, tuple(C.ISSUE_FIELDS), rel, self.diags)
        for key in C.REQUIRED_ISSUE_FIELDS:
            if key not in node.entries:
                F.error(self.diags, Where(rel, 1, key), f"缺少必填字段 {key}（{C.ISSUE_FIELDS[key]}）。")
        errors_before = self.diags.error_count
        issue = self.build(node, rel, path, body, body_line)
        return issue if self.diags.error_count == errors_before else None

    def build(self, node: Map, rel: str, path: Path, body: str, body_line: int) -> Issue | None:
        e = node.entries
        lines = dict(node.key_lines)

        at = F.key_where(lines, rel, 1)

        issue_id = F.positive_int(e["id"], at("id"), self.diags) if "id" in e else None
        self.check_unique_id(issue_id, at("id"))
        title = F.text(e.get("title"), at("title"), self.diags, required="title" in e)
        category = self.lookup_category(e.get("category"), at("category"))
        status = self.lookup_status(e.get("status"), at("status"))
        owners = F.text_list(e.get("owner"), at("owner"), self.diags)
        if "owner" in e and owners == []:
            F.error(self.diags, at("owner"), "责任部门不能为空。")
        self.check_owners(owners or [], at("owner"))
        leader = F.text(e.get("leader"), at("leader"), self.diags) or ""
        self.note_names(owners, leader, at("owner"), at("leader"))
        deadline = F.date(e.get("deadline"), at("deadline"), self.diags)
        completed = F.date(e.get("completed"), at("completed"), self.diags)
        # Without a completed line, point at the status that requires one.
        completed_at = Where(rel, lines.get("completed", lines.get("status", 1)), "completed")
        self.check_completed(status, completed, completed_at)
        evidence = self.evidence.read(e.get("evidence"), at("evidence"))
        note = F.text(e.get("status_note"), at("status_note"), self.diags)
        self.check_status_note(status, note, at("status_note"))
        follows = self.read_follows(e.get("follows"), at("follows"))
        public = F.boolean(e.get("public"), at("public"), self.diags, True)
        remark = F.text(e.get("note"), at("note"), self.diags) or ""
        problem, measures = read_body(rel, body, body_line, self.diags)
        extras = M.issue_extras(self, e, at, status=status, owners=owners, deadline=deadline)
        if None in (issue_id, title, category, status, owners, problem, measures, evidence, extras):
            return None
        return Issue(
            id=issue_id, title=title, category=category, status=status, owners=tuple(owners),
            leader=leader, deadline=deadline, completed=completed, evidence=tuple(evidence),
            problem=problem, measures=measures, status_note=note,
            path=path, rel_path=rel, follows=follows, public=public, note=remark, **extras,
        )

    def read_follows(self, node, where: Where) -> tuple[tuple[str, int], ...]:
        """``follows: 2023-区委巡察/15`` or a list; whether the target exists is
        checked by ledgers.check_collection, which has every ledger."""
        items = node.items if isinstance(node, Seq) else [] if node is None else [node]
        result = []
        for item in items:
            w = Where(where.path, getattr(item, "line", where.line), "follows")
            value = F.text(item, w, self.diags)
            if value is None:
                continue
            if not FOLLOWS_FORM.match(value):
                F.error(self.diags, w, f"“{value}”应写成“台账文件夹名/序号”，例如 follows: 2023-区委巡察/15；同一台账内可只写序号。")
                continue
            result.append((value, w.line))
        return tuple(result)

    def lookup_category(self, node, where: Where) -> Category | None:
        value = F.text(node, where, self.diags, required=node is not None)
        if value is None:
            return None
        categories = self.ledger.categories
        for category in categories:
            if value in (category.name, category.short):
                return category
        choices = [c.short or c.name for c in categories]
        F.error(self.diags, where, f"“{value}”不是 ledger.yml 中的问题方面；{F.suggest(value, choices + [c.name for c in categories])}可选：{'、'.join(choices)}")
        return None

    def lookup_status(self, node, where: Where) -> Status | None:
        value = F.text(node, where, self.diags, required=node is not None)
        if value is None:
            return None
        for status in self.ledger.statuses:
            if value in (status.label, status.key):
                return status
        labels = [s.label for s in self.ledger.statuses]
        F.error(self.diags, where, f"“{value}”不是有效状态；可选：{'、'.join(labels)}")
        return None

    def note_names(self, owners: list[str] | None, person: str, owner_at: Where, person_at: Where) -> None:
        """Remember each owner and person as typed, to find look-alikes across the ledger."""
        for owner in owners or ():
            self.names.note("责任部门", owner, owner_at.path, owner_at.line, owner_at.field)
            if not self.ledger.departments:  # with the list, check_owners decides
                self.owners.note(owner, owner_at.path, owner_at.line, owner_at.field)
        if person:
            self.names.note("人", person, person_at.path, person_at.line, person_at.field)

    def check_owners(self, owners: list[str], where: Where) -> None:
        """An owner typo would silently open a new department on the 责任清单."""
        known = self.ledger.departments
        for owner in owners:
            if known and owner not in known:
                F.error(self.diags, where, f"“{owner}”不在 ledger.yml 的部门名单（departments）中；"
                                           f"{F.suggest(owner, list(known))}新部门请先加入名单。")
            elif not known and (" " in owner or "\u3000" in owner):
                self.diags.warn(where.path, where.line, where.field,
                                f"责任部门“{owner}”中间有空格，是两个部门吗？多个部门请用顿号分隔，例如 办公室、安委办。")

    def check_completed(self, status: Status | None, completed: dt.date | None, where: Where) -> None:
        if status is not None and status.done and completed is None:
            F.error(self.diags, where, f"状态为“{status.label}”时必须填写完成时间 completed，例如 completed: 2023-03-31。")
        if completed is None:
            return
        if status is not None and not status.done:
            # The page would show the status, a completion date and 逾期 at once.
            F.error(self.diags, where, f"状态为“{status.label}”（尚未完成）却填写了完成时间 {completed}；"
                                       f"已经完成请把状态改为“{self._done_label()}”，否则请删去完成时间。")
        feedback = self.ledger.feedback_date
        if feedback and completed < feedback:
            F.error(self.diags, where, f"完成时间 {completed} 早于巡察反馈日期 {feedback}；请核对。")
        if completed > self.today:
            F.error(self.diags, where, f"完成时间 {completed} 晚于今天（{self.today}）；尚未完成的问题请不要填写完成时间。")

    def _done_label(self) -> str:
        return next(s.label for s in self.ledger.statuses if s.done)

    def check_status_note(self, status: Status | None, note: str | None, where: Where) -> None:
        """The report prints status_note instead of the status sentence, so a
        note left behind after a status change would misreport the problem."""
        if status is None or note is None or not note_contradicts(status.done, note):
            return
        if status.done:
            F.error(self.diags, where, f"进展表述“{note}”说的是尚未完成，但状态是“{status.label}”；请改写或删除 status_note。")
        else:
            F.error(self.diags, where, f"进展表述“{note}”说的是已经整改完毕，但状态是“{status.label}”；改状态时请同时改写或删除 status_note，否则报告会写成已完成。")

    def check_unique_id(self, issue_id: int | None, where: Where) -> None:
        if issue_id is None:
            return
        first = self.seen_ids.setdefault(issue_id, where.path)
        if first != where.path:
            F.error(self.diags, where, f"序号 {issue_id} 与 {first} 重复；每个问题的序号必须唯一，请改用未被占用的序号。")


def note_contradicts(done: bool, note: str) -> bool:
    """The status_note says only the opposite of a status that is (not) done."""
    stated = stated_statuses(note)
    says_done = C.StatusKey.DONE in stated
    says_open = any(key != C.StatusKey.DONE for key in stated)
    return (says_open and not says_done) if done else (says_done and not says_open)


class EvidenceChecker:
    """Reads evidence entries; each cited file is checked once per ledger."""

    def __init__(self, repo: Path, diags: Diagnostics):
        self.repo, self.diags = repo, diags
        # Many problems cite the same file (a meeting's minutes).
        self._checked: dict[str, str | None] = {}  # path -> error message or None

    def read(self, node, where: Where) -> list[Evidence] | None:
        if node is None or (isinstance(node, Scalar) and node.is_null):
            return []
        items = node.items if isinstance(node, Seq) else [node]
        result: list[Evidence] | None = []
        for item in items:
            evidence = self.read_item(item, Where(where.path, item.line, "evidence"))
            if evidence is None:
                result = None
            elif result is not None:
                result.append(evidence)
        return result

    def read_item(self, item, w: Where) -> Evidence | None:
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
        if file is not None and not self.check_file(file, w):
            return None
        return Evidence(name, file)

    def check_file(self, file: str, w: Where) -> bool:
        if file not in self._checked:
            self._checked[file] = file_error(self.repo, file)
        message = self._checked[file]
        if message:
            F.error(self.diags, w, message)
        return message is None


def file_error(repo: Path, file: str) -> str | None:
    """Why an evidence ``file:`` cannot be cited (in Chinese), or None: it is a file in the repository."""
    refused = trust.path_error(repo, repo, file, "佐证材料", "docs/evidence/")
    if refused:
        return refused
    target = repo / file
    if target.is_dir():
        return f"“{file}”是文件夹，不是文件；请写出具体的文件名，例如 docs/evidence/会议纪要.pdf。"
    if not target.is_file():
        return f"找不到文件“{file}”（路径相对于仓库根目录，例如 docs/evidence/会议纪要.pdf）；请检查文件名或先提交文件。"
    return trust.suffix_error(file.removeprefix("docs/")) if file.startswith("docs/") else None


def read_body(rel: str, body: str, first_line: int, diags: Diagnostics) -> tuple[str | None, str | None]:
    """Split the body into the two fixed sections (None for a faulty one)."""
    wanted = (C.PROBLEM_HEADING, C.MEASURES_HEADING)
    sections, heading_lines = _body_sections(rel, body, first_line, diags, wanted)
    result = []
    for title in wanted:
        if title not in sections:
            diags.error(rel, first_line, "正文", f"缺少“## {title}”一节。")
            result.append(None)
            continue
        content = "\n".join(sections[title]).strip()
        if not content:
            diags.error(rel, heading_lines[title], "正文", f"“## {title}”一节是空的，请填写内容。")
            result.append(None)
            continue
        result.append(content)
    return result[0], result[1]


def _body_sections(rel: str, body: str, first_line: int, diags: Diagnostics,
                   wanted: tuple[str, str]) -> tuple[dict[str, list[str]], dict[str, int]]:
    """Lines under each ``##`` heading, and the line of each heading."""
    sections: dict[str, list[str]] = {}
    heading_lines: dict[str, int] = {}
    current = None
    for n, line in enumerate(body.split("\n"), start=first_line):
        m = _SECTION.match(line)
        if m:
            title = m[1].strip().rstrip("：:")
            if title not in wanted:
                diags.error(rel, n, "正文", f"二级标题“{title}”无效；正文只能有“## {wanted[0]}”和“## {wanted[1]}”两节，小标题请用 ###。")
                current = "_invalid"  # its lines are not reported again
                sections.setdefault(current, [])
                continue
            if title in sections:
                diags.error(rel, n, "正文", f"“## {title}”出现了两次。")
            current = title
            sections[title] = []
            heading_lines[title] = n
        elif current is not None:
            sections[current].append(line)
        elif line.strip():
            diags.error(rel, n, "正文", f"正文应从“## {wanted[0]}”开始；这一行不属于任何一节。")
            current = "_stray"
            sections.setdefault("_stray", [])
    return sections, heading_lines
