"""The one rule that keeps ledger text from running as a spreadsheet formula.

Every cell and header the exports write from ledger data (problem texts, the
unit's name, result labels, categories, owners …) goes through here, and the
importer reads cells back through the inverse, so that what a clerk typed
comes back exactly, including a text that really begins with ``=`` or ``'``.

* xlsx: a string is stored as a string cell, never as a formula (openpyxl
  makes any string starting with ``=`` a formula and "#N/A" an error value).
  The file needs no mark of its own, so import reads the text as it is.
* CSV has no types: Excel runs a field starting with = + - @ (or a tab or
  carriage return) as a formula. Such a field gets a leading apostrophe
  (OWASP's CSV injection advice), and so does a field that itself begins
  with an apostrophe, so that the importer can strip exactly one apostrophe
  from every field that starts with one followed by either.
"""

from __future__ import annotations

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
TEXT_MARK = "'"  # the apostrophe Excel reads as "this is text"
_MARKED = (*FORMULA_START, TEXT_MARK)


def csv_field(value: str) -> str:
    """A CSV field Excel shows as the text ``value``, never runs."""
    return TEXT_MARK + value if value.startswith(_MARKED) else value


def csv_text(field: str) -> str:
    """The text ``csv_field`` was given (a field it did not mark stays as it is)."""
    return field[1:] if field.startswith(TEXT_MARK) and field[1:].startswith(_MARKED) else field


def put_cell(cell, value) -> None:
    """Set an openpyxl cell; a string stays a string (no formula, no error value)."""
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
