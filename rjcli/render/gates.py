"""The safety gates' overrides (rjcli.core.gates) as ``rj explain`` shows them: a section
of their own after the rules, so the deadline engine's output is unchanged."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from rjcli.core.dates import as_date, uk_date
from rjcli.core.gates import override_line


def override_json(entry: Mapping[str, Any]) -> dict[str, Any]:
    day = as_date(entry.get("date"))
    return {"gate": entry.get("gate"), "date": day.isoformat() if day else None,
            "manager": entry.get("manager"), "reason": entry.get("reason"),
            "missing": list(entry.get("missing") or []), "entry": entry.get("entry"),
            "by": entry.get("by")}


def show_overrides(overrides: Sequence[Mapping[str, Any]]) -> None:
    """One line per override: when, which gate, who decided and why, what was missing."""
    from rjcli.render.terminal import escape, out

    if not overrides:
        return
    out().print("[bold]Safety gates overridden[/bold]")
    for entry in overrides:
        day = as_date(entry.get("date"))
        out().print(f"    {uk_date(day) if day else '?'}: {escape(override_line(entry))}")
