"""Diagnostics: every problem found in a ledger, reported together.

A diagnostic prints as ``path:line: field: message`` (the check-peps style) so
editors and CI logs can jump to the place, and the message is in Chinese
because the people who fix the files read Chinese.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class Severity(enum.Enum):
    ERROR = "错误"
    WARNING = "警告"


@dataclass(frozen=True, order=True)
class Diagnostic:
    path: str
    line: int
    field: str
    message: str
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        prefix = "警告：" if self.severity is Severity.WARNING else ""
        return f"{self.path}:{self.line}: {self.field}: {prefix}{self.message}"


def errors_of(diagnostics) -> list[Diagnostic]:
    """The errors among ``diagnostics``: the one way they are told from warnings."""
    return [d for d in diagnostics if d.severity is Severity.ERROR]


def warnings_of(diagnostics) -> tuple[Diagnostic, ...]:
    return tuple(d for d in diagnostics if d.severity is Severity.WARNING)


@dataclass
class Diagnostics:
    """Collects diagnostics so that validation can go on after the first one."""

    items: list[Diagnostic] = field(default_factory=list)
    error_count: int = 0  # kept up to date, so that checking it per file stays O(1)

    def error(self, path: str, line: int, field_name: str, message: str) -> None:
        self.items.append(Diagnostic(path, line, field_name, message))
        self.error_count += 1

    def warn(self, path: str, line: int, field_name: str, message: str) -> None:
        self.items.append(Diagnostic(path, line, field_name, message, Severity.WARNING))

    @property
    def errors(self) -> list[Diagnostic]:
        return errors_of(self.items)


class LedgerInvalid(Exception):
    """Raised when a ledger has errors; carries all of them."""

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = diagnostics
        super().__init__(f"台账校验未通过：共 {len(errors_of(diagnostics))} 处错误")

    def report(self) -> str:
        lines = [str(d) for d in self.diagnostics]
        lines.append(str(self))
        return "\n".join(lines)
