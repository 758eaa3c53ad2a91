"""Plain-Python core of the rectification ledger (整改台账).

Nothing in this package imports mkdocs: parsing, the model, aggregation and
rendering live here so that the MkDocs adapter (``hooks/ledger_hooks.py`` and
``hooks/ledger_mkdocs.py``) stays thin and can move to another site generator.
"""

from .errors import Diagnostic, LedgerInvalid, Severity
from .model import Category, Evidence, Issue, Ledger, Status
from .parser import load_ledger

__all__ = [
    "Category",
    "Diagnostic",
    "Evidence",
    "Issue",
    "Ledger",
    "LedgerInvalid",
    "Severity",
    "Status",
    "load_ledger",
]
