"""Fixed names of the ledger format. Changing one changes the file format."""

from enum import StrEnum

LEDGER_FILE = "ledger.yml"

# The two fixed section headings of a problem file's body.
PROBLEM_HEADING = "问题描述"
MEASURES_HEADING = "整改情况"

# Front-matter keys of a problem file, with their Chinese names for messages.
ISSUE_FIELDS = {
    "id": "序号",
    "title": "问题标题",
    "category": "问题方面",
    "status": "整改状态",
    "owner": "责任部门",
    "leader": "责任领导",
    "deadline": "整改时限",
    "completed": "完成时间",
    "evidence": "佐证材料",
    "status_note": "进展表述",
    "follows": "延续自",
    "public": "是否公开",
    "measures": "整改措施",
    "immediate": "立行立改",
    "results": "整改成效",
    "note": "备注",
}
REQUIRED_ISSUE_FIELDS = ("id", "title", "category", "status", "owner")

LEDGER_FIELDS = (
    "title", "round", "unit", "group", "committee", "period", "feedback_date", "cutoff_date",
    "warn_days", "note", "signature", "categories", "statuses", "report",
    "codeowners", "history_after", "milestones", "departments", "documents", "leading_group", "notice",
    "codeowners", "history_after", "milestones", "departments", "results",
    "head", "warnings", "reporting", "contacts", "reminders",
)

# Ledger milestones (ledger.yml ``milestones``), counted in days from the
# feedback date: the deadlines a clerk must keep for the round as a whole.
DEFAULT_MILESTONES = (
    ("整改方案", 30),
    ("整改情况报告", 60),
    ("集中整改期结束", 90),
)

# Keys of one item of a problem's ``measures:`` list, with their Chinese names.
MEASURE_FIELDS = {
    "text": "措施内容",
    "owner": "责任部门",
    "person": "责任人",
    "deadline": "整改时限",
    "status": "整改状态",
    "completed": "完成时间",
    "evidence": "佐证材料",
    "note": "备注",
}

# The sign-off register, next to ledger.yml; the key in ``codeowners`` naming
# the accounts (the 巡察办) that must approve changes to it.
SIGNOFF_FILE = "signoff.yml"
WARNINGS_FILE = "warnings.yml"  # the register of warning letters (letters.py)
SIGNOFF_OWNERS = "销号"

class StatusKey(StrEnum):
    """The genre's status keys. ledger.yml ``statuses:`` may name others; these
    are the ones the defaults below, the importers and the report reader use."""

    TODO = "todo"
    """未启动: rectification has not started."""
    DOING = "doing"
    """整改中: under way; the importers' choice when a text says nothing clearer."""
    MOSTLY = "mostly"
    """基本完成: nearly closed, not done (a new ledger's statuses only)."""
    DONE = "done"
    """已完成: closed; counts towards the completion rate."""
    ONGOING = "ongoing"
    """长期坚持: a lasting task with results so far."""


# Used when ledger.yml has no ``statuses`` list.
DEFAULT_STATUSES = (
    {"key": StatusKey.TODO, "label": "未启动", "color": "grey", "overdue": True,
     "sentence": "目前，此项问题尚未启动整改。", "phrase": "尚未启动整改{count}项"},
    {"key": StatusKey.DOING, "label": "整改中", "color": "blue", "overdue": True,
     "sentence": "目前，此项问题正在整改中。", "phrase": "正在整改{count}项"},
    {"key": StatusKey.DONE, "label": "已完成", "color": "green", "done": True,
     "sentence": "目前，此项问题已整改完毕。", "phrase": "已完成整改{count}项"},
    {"key": StatusKey.ONGOING, "label": "长期坚持", "color": "teal",
     "sentence": "目前，此项问题已取得阶段性成效，需长期坚持。", "phrase": "需长期坚持{count}项"},
)

# What a NEW ledger (ledger.py init, import) writes into its ledger.yml: the
# defaults plus 基本完成. The loader's fallback above stays as it was, so that
# an existing ledger relying on it keeps its vocabulary and its figures.
NEW_LEDGER_STATUSES = (
    *DEFAULT_STATUSES[:2],
    # 基本完成 is how units report a problem nearly closed; it is not done, so
    # the completion rate leaves it out and 二、 counts it on its own.
    {"key": StatusKey.MOSTLY, "label": "基本完成", "color": "orange", "overdue": True,
     "sentence": "目前，此项问题已基本完成整改。", "phrase": "基本完成整改{count}项"},
    *DEFAULT_STATUSES[2:],
)

DEFAULT_WORDING = {
    "summary": "根据{group}反馈意见，经细化分解，共有{categories}个方面{total}项问题，具体包括{breakdown}。",
    "all_done": "目前，{total}项问题已全部整改完毕。",
    "partial": "目前，{status_counts}，整改完成率{rate}。",
    # Printed only when some problem is flagged immediate / carries results.
    "immediate": "其中立行立改{immediate}项。",
    "results": "通过整改，{results}。",
}
DEFAULT_CATEGORY_SUMMARY = "“{name}”方面{count}项"
# A name that already ends in 方面 would otherwise print as “财务管理方面”方面3项.
DEFAULT_CATEGORY_SUMMARY_FANGMIAN = "“{name}”{count}项"


def default_category_summary(name: str) -> str:
    """The summary phrase of a category that sets none (one rule for parser and report)."""
    return DEFAULT_CATEGORY_SUMMARY_FANGMIAN if name.endswith("方面") else DEFAULT_CATEGORY_SUMMARY


# Text that scaffolds (``ledger.py new``, ``ledger.py init``) leave for the user
# to replace; validate refuses any file that still contains it.
PLACEHOLDER = "【待填写】"
# What an import writes in ledger.yml for a fact its input does not state
# (unit, group, round, title): a document that needs it is refused (docslots).
ASK = "【请填写】"

# A problem file larger than this is almost certainly a pasted attachment.
MAX_FILE_BYTES = 1_000_000
