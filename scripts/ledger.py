#!/usr/bin/env python3
"""整改台账命令行：校验、新建问题、导入导出、生成 PDF 等。

    python scripts/ledger.py --help
"""

import contextlib
import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# The ledger package lives beside the MkDocs hooks that use it.
sys.path.insert(0, str(REPO / "hooks"))


def _venv_python():
    """The repository's own Python (made by `make setup`), if it exists."""
    for candidate in (REPO / ".venv" / "bin" / "python", REPO / ".venv" / "Scripts" / "python.exe"):
        if candidate.is_file():
            return candidate
    return None


def _ensure_dependencies():
    """Run under .venv when this Python lacks the packages; else say what to do."""
    try:
        import jinja2  # noqa: F401
        import markdown  # noqa: F401
        import yaml  # noqa: F401
    except ImportError:
        pass
    else:
        return
    venv = _venv_python()
    # LEDGER_REEXEC stops a loop should the .venv itself lack the packages.
    if venv is not None and not os.environ.get("LEDGER_REEXEC"):
        os.environ["LEDGER_REEXEC"] = "1"
        with contextlib.suppress(OSError):  # not executable: fall through to the message
            os.execv(str(venv), [str(venv), str(Path(__file__).resolve()), *sys.argv[1:]])
    print("当前的 Python 缺少台账工具所需的软件包；请先在仓库根目录运行 make setup，"
          "再用 .venv/bin/python scripts/ledger.py 运行。", file=sys.stderr)
    sys.exit(1)


if __name__ == "__main__":
    if sys.version_info < (3, 11):  # noqa: UP036 - this file is what an older Python reaches first
        print("台账工具需要 Python 3.11 或更高版本；请先在仓库根目录运行 make setup。", file=sys.stderr)
        sys.exit(1)
    _ensure_dependencies()
    from ledgerlib.cli import main
    sys.exit(main())
