"""A case's timeline in the terminal: one line per event, grouped by day."""

from __future__ import annotations

from collections.abc import Sequence

from rjcli.core.dates import uk_date
from rjcli.core.timeline import Event
from rjcli.render.terminal import escape, out

KIND_COLOURS = {
    "allocation": "cyan", "status": "bold", "consent": "magenta", "offer": "green",
    "conference": "bold green", "agreement": "green", "assessment": "yellow",
    "approval": "yellow", "complaint": "red", "vcs": "cyan", "feedback": "blue",
}
"""Colours of the kind column (plain words otherwise)."""


def timeline(record_id: str, name: str, status: str, events: Sequence[Event],
             notes: Sequence[str]) -> None:
    """The header, any standing notes (VCS, awareness work owed), then the events."""
    from rich.table import Table

    out().print(f"[bold]{escape(record_id)}[/bold]  {escape(name)}  ({escape(status)}) - "
                "timeline, oldest first")
    for note in notes:
        out().print(f"[yellow]{escape(note)}[/yellow]")
    if not events:
        out().print("[dim]Nothing recorded yet.[/dim]")
        return
    table = Table("date", "time", "what", "", "by", box=None, pad_edge=False)
    previous = None
    for e in events:
        colour = KIND_COLOURS.get(e.kind)
        kind = f"[{colour}]{escape(e.kind)}[/{colour}]" if colour else escape(e.kind)
        shown = uk_date(e.day) if e.day != previous else ""
        previous = e.day
        table.add_row(shown, escape(e.time or ""), kind, escape(e.text, newlines=True),
                      escape(e.by or ""))
    out().print(table)
    out().print(f"[dim]{len(events)} event{'s' if len(events) != 1 else ''}[/dim]")
