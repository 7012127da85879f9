"""The documents kept with a record (``rj attach``), as ``rj show`` lists them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rjcli.render.terminal import escape, out


def documents(data: Mapping[str, Any]) -> None:
    """One line per document: date, kind, file under documents/ID/, note."""
    entries = data.get("documents")
    if not isinstance(entries, list) or not entries:
        return
    from rjcli.core.dates import as_date, uk_date

    out().print("[bold]Documents:[/bold]")
    for entry in entries:
        if not isinstance(entry, Mapping):
            continue
        day = as_date(entry.get("date"))
        parts = [uk_date(day) if day else "", str(entry.get("kind", "")),
                 f"documents/{data.get('id')}/{entry.get('file', '')}",
                 str(entry.get("note") or "")]
        out().print("  " + escape("  ".join(p for p in parts if p)))
