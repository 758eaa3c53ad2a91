"""The command line (scripts/ledger.py). Messages are Chinese; exit codes:
0 success, 1 the ledger or the input has errors, 2 bad usage.

Each subcommand lives in its own module with ``add_arguments(parser)`` and
``run(args) -> int``; this file only dispatches, importing a command's module
when that command runs so that ``validate`` stays fast.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent.parent

# name -> (module, one-line help)
COMMANDS = {
    "init": ("ledgerlib.commands.init", "为新的被巡察单位新建台账（删除示例台账，生成报告叙述草稿）"),
    "validate": ("ledgerlib.commands.validate", "校验台账：逐条列出所有错误（文件:行: 字段: 说明）"),
    "new": ("ledgerlib.commands.new", "新建一个问题文件（自动取下一个序号）"),
    "import": ("ledgerlib.commands.import_report", "把原有的整改情况报告（.txt/.md/.docx）导入为台账"),
    "export": ("ledgerlib.commands.export", "导出台账（Excel、CSV）或整改报告（Word）"),
    "pdf": ("ledgerlib.commands.pdf", "把整改报告打印成 A4 PDF（需要 Chromium 浏览器）"),
    "build": ("ledgerlib.commands.build", "生成网站和报告；--as-of 日期：按该日的台账重建"),
    "codeowners": ("ledgerlib.commands.codeowners", "根据 ledger.yml 的 codeowners 生成 CODEOWNERS：责任部门审核本部门的问题"),
    "nest": ("ledgerlib.commands.nest", "单台账改为多台账：把 issues/ 下的台账整体移入 issues/名称/，叙述部分随之移动"),
    "bench": ("ledgerbench.bench", "性能基准：合成 N 个问题的台账，对比纯 mkdocs-material 的构建时间"),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="ledger.py", description="整改台账命令行工具")
    parser.add_argument("--ledger", default=str(REPO / "issues"), help="台账文件夹（默认 issues/）；有多个台账时写 issues/台账名 或台账名")
    sub = parser.add_subparsers(dest="command", metavar="命令", required=True)
    wanted = (argv if argv is not None else sys.argv[1:])
    for name, (module_name, help_text) in COMMANDS.items():
        command_parser = sub.add_parser(name, help=help_text, description=help_text)
        if name in wanted:  # only the chosen command's module is imported
            importlib.import_module(module_name).add_arguments(command_parser)
    args, extra = parser.parse_known_args(argv)
    if extra:
        parser.error(f"无法识别的参数：{' '.join(extra)}")
    module = importlib.import_module(COMMANDS[args.command][0])
    try:
        return module.run(args)
    except KeyboardInterrupt:
        return 130
    except OSError as exc:
        # A missing folder or a locked file is the user's to fix; a traceback
        # would hide the one line that says which path.
        where = f"“{exc.filename}”" if exc.filename else ""
        print(f"文件操作失败{where}：{exc.strerror or exc}。请检查路径是否存在、是否有权限。", file=sys.stderr)
        return 1
