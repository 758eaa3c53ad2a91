"""The command line (scripts/ledger.py). Messages are Chinese; exit codes:
0 success, 1 the ledger or the input has errors, 2 bad usage.

Each subcommand lives in its own module with ``add_arguments(parser)`` and
``run(args) -> int``; this file only dispatches, importing a command's module
when that command runs so that ``validate`` stays fast.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import sys
from pathlib import Path

from .atomicfs import replaced
from .mkdocsrun import EngineError
from .paths import REPO

# name -> (module, one-line help)
COMMANDS = {
    "init": ("ledgerlib.commands.init", "为新的被巡察单位新建台账（删除示例台账，生成报告叙述草稿）"),
    "validate": ("ledgerlib.commands.validate", "校验台账：逐条列出所有错误（文件:行: 字段: 说明）"),
    "new": ("ledgerlib.commands.new", "新建一个问题文件（自动取下一个序号）"),
    "import": ("ledgerlib.commands.import_report", "把原有的 Excel 台账（.xlsx/.csv）或整改情况报告（.docx/.txt/.md）导入为台账"),
    "export": ("ledgerlib.commands.export", "导出台账（Excel、CSV）或整改文件（Word，--doc 选择方案、报告、通报等）"),
    "pdf": ("ledgerlib.commands.pdf", "把整改报告打印成 A4 PDF（需要 Chromium 浏览器）"),
    "publish": ("ledgerlib.commands.publish", "生成可在公开网站发布的整改情况通报：独立网页、PDF 和 Word，不含内部信息"),
    "issue": ("ledgerlib.commands.issue", "记录报送了一份文件（Git 标签）：网站“已报送文件”按当时的台账重建它，并列出此后的变化"),
    "build": ("ledgerlib.commands.build", "生成网站和报告；--as-of 日期：按该日的台账重建"),
    "codeowners": ("ledgerlib.commands.codeowners", "根据 ledger.yml 的 codeowners 生成 CODEOWNERS：责任部门审核本部门的问题"),
    "nest": ("ledgerlib.commands.nest", "单台账改为多台账：把 issues/ 下的台账整体移入 issues/名称/，叙述部分随之移动"),
    "warn": ("ledgerlib.commands.warn", "发预警函、督办函：按 ledger.yml 的预警等级，生成某日应发的函（网页、Word、PDF）并登记"),
    "remind": ("ledgerlib.commands.remind", "提醒：给每位责任人汇总临期、逾期事项和待回复的函，打印或用邮件、网络钩子发送"),
    "pull": ("ledgerlib.commands.pull", "汇总仓库：按 sources.yml 拉取各单位的台账，校验后存入 issues/，锁定版本写入 sources.lock"),
    "bench": ("ledgerbench.bench", "性能基准：合成 N 个问题的台账，对比纯 mkdocs-material 的构建时间"),
}


def main(argv: list[str] | None = None) -> int:
    with chinese_argparse():
        args = parse_args(argv)
    module = importlib.import_module(COMMANDS[args.command][0])
    before = len(replaced())  # swaps of earlier commands in this process (tests) are not this one's
    try:
        return module.run(args)
    except KeyboardInterrupt:
        return 130
    except EngineError as exc:
        print(exc, file=sys.stderr)
        return 2
    except OSError as exc:
        # A missing folder or a locked file is the user's to fix; a traceback
        # would hide the one line that says which path.
        where = f"“{exc.filename}”" if exc.filename else ""
        print(f"文件操作失败{where}：{exc.strerror or exc}。请检查路径是否存在、是否有权限。", file=sys.stderr)
        return 1
    except Exception as exc:  # the last line of defence: no traceback for a clerk
        if os.environ.get("LEDGER_DEBUG"):
            raise
        print(f"程序内部错误（{type(exc).__name__}: {exc}）。{what_changed(args.command, replaced()[before:])}"
              f"请把这条信息和所用的文件交给维护人员（设置环境变量 LEDGER_DEBUG=1 可看到详细信息）。", file=sys.stderr)
        return 1


# Commands that replace files through atomicfs: everything is written beside
# the target and swapped in at the end, so an error before the swap changed nothing.
ATOMIC_COMMANDS = ("import", "init", "nest", "build")


def what_changed(command: str, done: tuple[Path, ...]) -> str:
    """What an interrupted command left on disk, as far as it is known:
    ``done`` are the folders it had swapped in (atomicfs)."""
    if done:
        return f"出错前已完整写入：{'、'.join(f'“{p}”' for p in done)}；其余文件没有被修改。"
    if command in ATOMIC_COMMANDS:
        return "没有修改任何文件（新内容都先写在旁边，全部写好才替换）。"
    return "可能已有文件被修改，请用 git status 查看。"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="ledger.py", description="整改台账命令行工具",
                                     epilog="每个命令的用法：ledger.py 命令 -h，例如 ledger.py new -h")
    parser.add_argument("--ledger", default=str(REPO / "issues"), metavar="文件夹",
                        help="台账文件夹（默认 issues/）；有多个台账时写 issues/台账名 或台账名")
    sub = parser.add_subparsers(dest="command", metavar="命令", required=True)
    wanted = (argv if argv is not None else sys.argv[1:])
    for name, (module_name, help_text) in COMMANDS.items():
        command_parser = sub.add_parser(name, help=help_text, description=help_text)
        if name in wanted:  # only the chosen command's module is imported
            importlib.import_module(module_name).add_arguments(command_parser)
            _chinese_metavars(command_parser)
    args, extra = parser.parse_known_args(argv)
    if extra:
        parser.error(f"无法识别的参数：{' '.join(extra)}")
    return args


# -- argparse in Chinese -------------------------------------------------------

# argparse's own words (Python 3.11–3.13), looked up through its gettext hook.
_ARGPARSE_ZH = {
    "usage: ": "用法：",
    "positional arguments": "参数",
    "options": "选项",
    "optional arguments": "选项",
    "show this help message and exit": "显示本帮助并退出",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "invalid choice: %(value)r (choose from %(choices)s)": "“%(value)s”不是可用的选项；可选：%(choices)s",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "expected one argument": "后面需要一个值",
    "expected at most one argument": "后面最多一个值",
    "expected at least one argument": "后面至少需要一个值",
    "invalid %(type)s value: %(value)r": "“%(value)s”不是有效的值",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 不明确，可能是：%(matches)s",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "one of the arguments %s is required": "参数 %s 中必须指定一个",
    "ignored explicit argument %r": "多余的值 %r",
    "unexpected option string: %s": "意外的选项：%s",
    "expected %s argument": "后面需要 %s 个值",
    "expected %s arguments": "后面需要 %s 个值",
    "can't open '%(filename)s': %(error)s": "无法打开“%(filename)s”：%(error)s",
}


@contextlib.contextmanager
def chinese_argparse():
    """argparse speaks Chinese while our parser is built and used.

    argparse looks every message up through its module-level gettext
    functions; they are swapped only for this block, so that other users of
    argparse in the same process (pytest, for one) are left alone.
    """
    saved = argparse._, argparse.ngettext
    argparse._ = lambda text: _ARGPARSE_ZH.get(text, text)
    argparse.ngettext = lambda one, many, n: _ARGPARSE_ZH.get(one if n == 1 else many, one if n == 1 else many)
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved


# Placeholders in usage lines and errors: Chinese words, not DEST in capitals.
_METAVARS = {"out": "文件", "ledger": "文件夹", "site": "文件夹", "workdir": "文件夹", "report": "报告文件",
             "title": "标题", "format": "格式", "browser": "程序", "category": "方面", "owner": "部门",
             "leader": "领导", "deadline": "日期", "completed": "日期", "as_of": "日期", "id": "序号",
             "seed": "数字", "unit": "单位", "round": "轮次", "group": "巡察组", "feedback_date": "日期",
             "categories": "方面", "name": "名称"}


def _chinese_metavars(parser: argparse.ArgumentParser) -> None:
    for action in parser._actions:
        if action.metavar is None and action.nargs != 0 and not action.choices:
            action.metavar = _METAVARS.get(action.dest, "参数" if not action.option_strings else "值")
