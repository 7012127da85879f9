"""Problems found by checks: values, not exceptions (see shared/STYLE.md §4)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the casebook, located for an editor."""

    path: str
    """File path relative to the casebook root, e.g. ``victims/V-0003.yaml``."""
    line: int | None
    """1-based line number, when known."""
    message: str
    """What is wrong, in words a practitioner understands."""
    column: int | None = None
    """1-based column, when known (parse errors)."""
    severity: str = "error"
    """``error`` (rj check exits 1), ``warning`` or ``note`` (e.g. an approved exception)."""

    def location(self) -> str:
        where = self.path
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return where

    def __str__(self) -> str:
        return f"{self.location()}: {self.message}"

    def as_json(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "severity": self.severity,
            "message": self.message,
        }
