"""One module per command-line subcommand: ``add_arguments`` and ``run``."""

from __future__ import annotations

import sys
from pathlib import Path

from ..errors import LedgerInvalid
from ..ledgers import LedgerChoiceError, LedgerRef, check_collection, choose, collection_root
from ..model import Ledger
from ..paths import REPO

# --ledger may also be a ledger's folder name under issues/.
DEFAULT_ROOT = REPO / "issues"


def choose_or_report(path: str | Path) -> LedgerRef | None:
    """The one ledger --ledger names, or None after saying in Chinese why not."""
    try:
        return choose(Path(path), DEFAULT_ROOT)
    except LedgerChoiceError as exc:
        print(exc, file=sys.stderr)
        return None


def load_or_report(ledger_dir: Path, then: str, *, drafts: bool = False) -> Ledger | None:
    """Load the chosen ledger, or print every error and what to do next (``then``).

    Its ``follows:`` links are checked against the other ledgers beside it.
    ``drafts``: placeholder text left by `new`/`init` is not an error yet."""
    ref = choose_or_report(ledger_dir)
    if ref is None:
        return None
    collection, diagnostics = check_collection(collection_root(ref.path), only=ref, drafts=drafts)
    if collection is None:
        report_invalid(diagnostics, then)
        return None
    return collection.ledgers[0]


def document_ready(ledger: Ledger, kind: str, *, draft: bool, then: str) -> bool:
    """True when the document of ``kind`` can be produced; else every reason
    (docslots.refusals: empty ledger.yml facts, narrative scaffolds unless
    ``draft``, doubled punctuation) and ``then`` (what was not done)."""
    from ..aggregate import standing
    from ..docslots import problem_placeholders, refusals
    from ..report import build_report
    doc = build_report(ledger, standing(ledger), kind=kind)
    rel = (ledger.root / "ledger.yml").resolve()
    shown = rel.relative_to(ledger.repo_root.resolve()).as_posix() if rel.is_relative_to(ledger.repo_root.resolve()) else str(rel)
    found = refusals(doc, draft=draft, ledger_yml=shown) + problem_placeholders(ledger.issues)
    if found:
        print("\n".join([*found, f"{doc.label}还不能生成，{then}。"]), file=sys.stderr)
    return not found


def report_invalid(diagnostics, then: str) -> None:
    print(LedgerInvalid(diagnostics).report(), file=sys.stderr)
    print(then, file=sys.stderr)
