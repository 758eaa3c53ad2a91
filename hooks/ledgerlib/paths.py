"""Where this tool's own repository is: the folder holding scripts/ledger.py,
mkdocs.yml, docs/ and issues/ (hooks/ledgerlib/ is two levels below it).
The one place that works it out; a ledger's own repository, which may be
another checkout, is ledgers.repo_root_of's."""

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
