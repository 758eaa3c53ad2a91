"""One module per command-line subcommand: ``add_arguments`` and ``run``."""

from __future__ import annotations

import sys
from pathlib import Path

from ..errors import LedgerInvalid
from ..model import Ledger
from ..parser import load_ledger


def load_or_report(ledger_dir: Path, then: str) -> Ledger | None:
    """Load the ledger, or print every error and what to do next (``then``)."""
    try:
        return load_ledger(ledger_dir, repo_root=ledger_dir.resolve().parent)
    except LedgerInvalid as exc:
        print(exc.report(), file=sys.stderr)
        print(then, file=sys.stderr)
        return None
