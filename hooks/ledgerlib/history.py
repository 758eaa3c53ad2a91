"""Problem histories read from git: who changed what in which commit.

Every edit of the ledger arrives as a commit, so git already holds the
timeline of each problem. It is read with a constant number of git processes,
whatever the number of problems or commits:

1. ``git rev-parse``: where the repository is, and whether it is shallow;
2. ``git log --raw``: one pass over the mainline (first-parent) history of the
   ledger folder, listing for every commit the files it added, modified,
   renamed or deleted, with their blob ids;
3. ``git cat-file --batch``: the contents of exactly those blobs, in one stream.

Replaying the commits in order then gives each problem's front-matter at every
revision; only the tracked fields are compared. The whole read is linear in the
size of the history.

Why first-parent: the mainline is what was published. A merge request counts
on the day it was merged, which is also the day ``ledger.py build --as-of``
picks it up, so timelines and as-of rebuilds agree. Dates are committer dates
in the committer's own time zone, i.e. the local day the change landed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from . import constants as C
from .gitrun import run_git
from .revfields import TRACKED, front_matter_fields, front_matter_text, normalise
from .textfile import is_problem_file
from .yamlnodes import Map, Scalar, Seq, parse

FIELD_LABELS = {key: C.ISSUE_FIELDS[key] for key in TRACKED}

_FIELD_SEP, _RECORD_SEP = "\x1f", "\x1e"
_LOG_FORMAT = "%x1e%H%x1f%P%x1f%cI%x1f%an%x1f%s"
# Our parsing must not depend on the user's git configuration.


@dataclass(frozen=True)
class Commit:
    sha: str
    time: dt.datetime  # committer date, in the committer's own time zone
    author: str
    subject: str
    merge: bool = False

    @property
    def date(self) -> dt.date:
        return self.time.date()

    @property
    def short(self) -> str:
        return self.sha[:7]


@dataclass(frozen=True)
class FieldChange:
    field: str  # one of TRACKED
    old: str | None
    new: str | None

    @property
    def label(self) -> str:
        return FIELD_LABELS[self.field]


@dataclass(frozen=True)
class Event:
    commit: Commit
    kind: str  # "created", "changed", "renamed"
    changes: tuple[FieldChange, ...] = ()
    name: str = ""  # for "renamed": the new file name
    old_name: str = ""


@dataclass
class ProblemHistory:
    """One problem file, followed through renames."""

    name: str  # file name inside the ledger folder, the latest one
    events: list[Event] = field(default_factory=list)
    state: dict[str, str | None] | None = None  # tracked fields at the last readable revision
    first_seen: Commit | None = None
    last_changed: Commit | None = None  # last commit that changed the file's content
    unreadable: int = 0  # revisions whose front-matter could not be parsed (skipped)
    # Measures (front-matter ``measures:``) by their text -> own deadline, at
    # the last readable revision; and each commit that changed one.
    measure_deadlines: dict[str, str] = field(default_factory=dict)
    measure_moves: list[MeasureDeadlineMove] = field(default_factory=list)


@dataclass(frozen=True)
class MeasureDeadlineMove:
    text: str  # the measure's text, which identifies it across revisions
    old: str
    new: str
    commit: Commit


@dataclass(frozen=True)
class StatusMove:
    """A problem entering, leaving or changing status on a day (for the chart)."""

    date: dt.date
    old: str | None  # raw status text, None when the problem did not exist
    new: str | None


@dataclass
class History:
    state: str  # "ok", "shallow" (incomplete), "unavailable"
    message: str = ""  # Chinese, shown on pages when state is not "ok"
    problems: dict[str, ProblemHistory] = field(default_factory=dict)  # current file name -> history
    moves: list[StatusMove] = field(default_factory=list)  # in commit order
    head: Commit | None = None  # the newest commit read
    earliest: Commit | None = None
    commits: int = 0
    git_processes: int = 0

    @property
    def available(self) -> bool:
        return self.state != "unavailable"

    @property
    def complete(self) -> bool:
        return self.state == "ok"

    def of(self, file_name: str) -> ProblemHistory | None:
        return self.problems.get(file_name)


class _Git:
    """Runs git, counting processes; failures come back as None."""

    def __init__(self, cwd: Path):
        self.cwd = cwd
        self.calls = 0
        self.error = ""  # stderr of the last failure, "missing" when git is not installed

    def run(self, args: list[str], stdin: bytes | None = None) -> bytes | None:
        self.calls += 1
        try:
            result = run_git(args, self.cwd, stdin=stdin)
        except OSError:
            self.error = "missing"
            return None
        self.error = result.stderr.decode("utf-8", "replace")
        return result.stdout if result.returncode == 0 else None


def _no_repository_message(error: str) -> str:
    """Say why, so that whoever runs the build knows what to fix."""
    if error == "missing":
        return "构建环境没有安装 Git，无法显示变更记录。"
    if "safe.directory" in error or "dubious ownership" in error:
        return ("Git 拒绝读取此仓库（仓库文件属于另一个系统用户），无法显示变更记录；"
                "请由管理员执行 git config --global --add safe.directory 仓库路径。")
    return "本网站不是从 Git 仓库构建的（例如下载的压缩包），无法显示变更记录。"


def read_history(ledger_dir: str | Path, rev: str = "HEAD", after: str = "") -> History:
    """The history of every problem file in ``ledger_dir`` up to ``rev``.

    ``after`` is ledger.yml's ``history_after``: the commit a ledger was
    started from by ``ledger.py init``. Only commits after it are read
    (``git log after..rev``), so the replaced sample's problems, events and
    chart points never show. It is a commit, not a date, because commits of
    the same day as the init would otherwise leak in; and an as-of rebuild
    needs nothing extra, since it reads the ledger.yml of its own day (one
    from before the init has no ``history_after`` and shows its own past).

    Never raises for a missing or odd repository: the returned History says
    what is unavailable, in words for the pages.
    """
    ledger_dir = Path(ledger_dir)
    if not ledger_dir.is_dir():
        return History("unavailable", "找不到台账文件夹，无法读取变更记录。")
    git = _Git(ledger_dir)
    where = git.run(["rev-parse", "--is-shallow-repository", "--show-toplevel", "--show-prefix"])
    if where is None:
        return History("unavailable", _no_repository_message(git.error), git_processes=git.calls)
    shallow, toplevel, prefix = ([*where.decode("utf-8", "replace").split("\n"), "", ""])[:3]
    git.cwd = Path(toplevel)
    log = git.run(["log", f"{after}..{rev}" if after else rev, "--first-parent", "--diff-merges=first-parent", "--reverse", "-z", "--raw",
                   "--no-abbrev", "-M", "--no-color", "--no-show-signature", "--encoding=UTF-8",
                   f"--format={_LOG_FORMAT}", "--", f":(literal){prefix}" if prefix else "."])
    if log is None and after:
        return History("unavailable", f"ledger.yml 的 history_after 所指的提交 {after[:7]} 不在本仓库中"
                       "（例如浅克隆或改写过历史），无法显示变更记录。", git_processes=git.calls)
    if log is None:
        return History("unavailable", "Git 仓库中还没有可读取的提交，无法显示变更记录。", git_processes=git.calls)
    commits = _parse_log(log.decode("utf-8", "replace"), prefix)
    blobs = _read_blobs(git, {e.new_sha for c in commits for e in c.entries if e.needs_blob})
    history = _replay(commits, blobs)
    history.git_processes = git.calls
    if shallow.strip() == "true":
        since = history.earliest.date if history.earliest else "—"
        history.state = "shallow"
        history.message = (f"本网站是从浅克隆（shallow clone）的仓库构建的，变更记录不完整，"
                           f"最早只能追溯到 {since}；“首次登记”日期可能偏晚。")
    return history


# -- git log parsing ---------------------------------------------------------

@dataclass(frozen=True)
class _Entry:
    status: str  # A, M, D, R, C, T
    old_name: str | None  # inside the ledger folder; None when outside or not a problem file
    new_name: str | None
    old_sha: str
    new_sha: str

    @property
    def needs_blob(self) -> bool:
        # A file that arrives from outside the ledger is read even if unchanged.
        return self.new_name is not None and self.status != "D" and (
            self.new_sha != self.old_sha or self.old_name is None)


@dataclass
class _LogCommit:
    commit: Commit
    entries: list[_Entry]


def _parse_log(text: str, prefix: str) -> list[_LogCommit]:
    result = []
    for record in text.split(_RECORD_SEP)[1:]:
        header, _, raw = record.partition("\0")
        parts = header.split(_FIELD_SEP)
        if len(parts) < 5:
            continue  # cannot happen with our format; skip rather than crash
        sha, parents, when, author, subject = parts[0], parts[1], parts[2], parts[3], _FIELD_SEP.join(parts[4:])
        commit = Commit(sha, dt.datetime.fromisoformat(when), author, subject, merge=" " in parents.strip())
        result.append(_LogCommit(commit, list(_parse_raw(raw.lstrip("\n"), prefix))))
    return result


def _parse_raw(raw: str, prefix: str):
    """Entries of ``--raw -z``: ":modes old new STATUS\\0path\\0[path2\\0]"."""
    tokens = raw.split("\0")
    i = 0
    while i < len(tokens):
        meta = tokens[i].strip("\n")
        i += 1
        if not meta.startswith(":"):
            continue
        fields = meta.split()
        if len(fields) < 5:
            continue
        old_sha, new_sha, status = fields[2], fields[3], fields[4][:1]
        paths = tokens[i:i + (2 if status in "RC" else 1)]
        i += len(paths)
        old_path, new_path = (paths[0], paths[-1]) if paths else ("", "")
        # A copy leaves its source in place, so only R, D, M and T consume it.
        yield _Entry(status, problem_name(old_path, prefix) if status in "RDMT" else None,
                     problem_name(new_path, prefix) if status != "D" else None, old_sha, new_sha)


def problem_name(path: str, prefix: str) -> str | None:
    """The file name if ``path`` is a problem file directly in the ledger folder.

    The loader's rule (``textfile.is_problem_file``); subfolders are not part
    of the ledger.
    """
    if not path.startswith(prefix):
        return None
    name = path[len(prefix):]
    return name if "/" not in name and is_problem_file(name) else None


def _read_blobs(git: _Git, shas: set[str]) -> dict[str, bytes]:
    """All wanted blobs from one ``git cat-file --batch`` process."""
    if not shas:
        return {}
    order = sorted(shas)
    out = git.run(["cat-file", "--batch"], stdin="".join(s + "\n" for s in order).encode())
    if out is None:
        return {}
    blobs, pos = {}, 0
    for _ in order:
        end = out.find(b"\n", pos)
        if end < 0:
            break
        header = out[pos:end].split()
        pos = end + 1
        if len(header) != 3:  # "<sha> missing": skipped, like an unreadable revision
            continue
        size = int(header[2])
        blobs[header[0].decode()] = out[pos:pos + size]
        pos += size + 1
    return blobs


# -- replaying the commits ---------------------------------------------------

def _replay(commits: list[_LogCommit], blobs: dict[str, bytes]) -> History:
    history = History("ok", commits=len(commits))
    live: dict[str, ProblemHistory] = {}
    for item in commits:
        for entry in item.entries:
            _apply(entry, item.commit, live, blobs, history.moves)
    history.problems = live
    if commits:
        history.earliest, history.head = commits[0].commit, commits[-1].commit
    return history


def _apply(entry: _Entry, commit: Commit, live: dict[str, ProblemHistory],
           blobs: dict[str, bytes], moves: list[StatusMove]) -> None:
    record = live.pop(entry.old_name, None) if entry.old_name else None
    if entry.new_name is None:  # deleted, or moved out of the ledger
        if _status(record) is not None:
            moves.append(StatusMove(commit.date, _status(record), None))
        return
    if record is None:
        record = live.pop(entry.new_name, None)  # modified in place
    if record is None:
        record = ProblemHistory(entry.new_name, first_seen=commit)
        record.events.append(Event(commit, "created"))
    elif record.name != entry.new_name:
        record.events.append(Event(commit, "renamed", name=entry.new_name, old_name=record.name))
        record.name = entry.new_name
    live[entry.new_name] = record
    if entry.needs_blob:
        record.last_changed = commit
        _update_state(record, commit, front_matter_fields(blobs.get(entry.new_sha)), moves)
        _update_measures(record, commit, blobs.get(entry.new_sha))


def _update_measures(record: ProblemHistory, commit: Commit, data: bytes | None) -> None:
    """Record the measures' deadline changes; files without measures cost one search."""
    if data is None:
        return
    now = measure_deadlines(front_matter_text(data)) if b"measures:" in data else {}
    if now is None:
        return  # an unreadable revision: keep the last good state
    for text, new in now.items():
        old = record.measure_deadlines.get(text)
        if old and old != new:
            record.measure_moves.append(MeasureDeadlineMove(text, old, new, commit))
    record.measure_deadlines = now


def measure_deadlines(text: str | None) -> dict[str, str] | None:
    """Each measure's text -> its own deadline (normalised), or None if unreadable."""
    if text is None:
        return None
    try:
        node = parse(text)
    except Exception:  # any parser failure means "unreadable"
        return None
    measures = node.entries.get("measures") if isinstance(node, Map) else None
    found = {}
    for item in measures.items if isinstance(measures, Seq) else ():
        if isinstance(item, Map) and isinstance(item.entries.get("text"), Scalar):
            deadline = normalise("deadline", item.entries.get("deadline"))
            if deadline:
                found[item.entries["text"].text.strip()] = deadline
    return found


def _status(record: ProblemHistory) -> str | None:
    return record.state.get("status") if record is not None and record.state else None


def _update_state(record: ProblemHistory, commit: Commit, state: dict | None,
                  moves: list[StatusMove]) -> None:
    if state is None:
        record.unreadable += 1  # a broken revision: keep the last good state
        return
    before = record.state
    record.state = state
    if before is None:
        # The first readable revision: fill in what the problem started with.
        created = next((e for e in reversed(record.events) if e.kind == "created"), None)
        changes = tuple(FieldChange(k, None, v) for k, v in state.items() if v is not None)
        if created is not None and created.commit is commit:
            record.events[record.events.index(created)] = Event(commit, "created", changes)
        else:
            record.events.append(Event(commit, "changed", changes))
        if state.get("status") is not None:
            moves.append(StatusMove(commit.date, None, state.get("status")))
        return
    changes = tuple(FieldChange(k, before.get(k), v) for k, v in state.items() if before.get(k) != v)
    if changes:
        record.events.append(Event(commit, "changed", changes))
    if before.get("status") != state.get("status"):
        moves.append(StatusMove(commit.date, before.get("status"), state.get("status")))
