#!/usr/bin/env python3
"""整改台账命令行：校验、新建问题、导入导出、生成 PDF 等。

    python scripts/ledger.py --help
"""

import sys
from pathlib import Path

# The ledger package lives beside the MkDocs hooks that use it.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "hooks"))

from ledgerlib.cli import main

if __name__ == "__main__":
    sys.exit(main())
