"""``rj due`` and ``rj explain`` in the terminal, and as an iCalendar file."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from itertools import groupby
from typing import TYPE_CHECKING

from rjcli.core.due import DueItem, Standing, summary_line
from rjcli.core.dates import uk_date
from rjcli.render.terminal import escape, out

if TYPE_CHECKING:
    from rjcli.core.deadlines import Evaluation

COLOURS = {"overdue": "red", "today": "yellow", "upcoming": "green"}
MAX_ROWS = 60
"""Rows printed before the rest is summarised (a Rich row costs ~0.35 ms)."""


def due_table(rows: Sequence[tuple[DueItem, Standing]], group_by_worker: bool) -> None:
    from rich.table import Table

    shown = rows[:MAX_ROWS]
    groups = (groupby(sorted(shown, key=lambda r: (r[0].worker or "")), key=lambda r: r[0].worker)
              if group_by_worker else [(None, iter(shown))])
    for worker, members in groups:
        table = Table(box=None, title=f"{worker or 'unallocated'}" if group_by_worker else None,
                      title_justify="left", title_style="bold", padding=(0, 1, 0, 0))
        table.add_column("due", no_wrap=True)
        table.add_column("status", no_wrap=True)
        table.add_column("case", no_wrap=True)
        table.add_column("name", max_width=18)
        table.add_column("what to do (source)", ratio=1)
        for item, s in members:
            colour = COLOURS[s.status]
            table.add_row(item.due.isoformat(), f"[{colour}]{s.words()}[/{colour}]", item.case,
                          escape(item.name),
                          f"{escape(item.title)} [dim]({escape(item.source)})[/dim]")
        out().print(table)
    if len(rows) > MAX_ROWS:
        out().print(f"[dim]... and {len(rows) - MAX_ROWS} more: narrow it with --worker, --rule "
                    f"or --overdue, or use --json[/dim]")
    out().print(summary_line(list(rows)) if rows else "[green]Nothing due.[/green]")


def explain(case: str, name: str, evaluations: Sequence[Evaluation], today: date,
            status_line: str, switched_off: Sequence[str] = ()) -> None:
    """Rules that apply first (what is outstanding, then what was met), then one line for
    each rule that does not apply and why."""
    out().print(f"[bold]{case}[/bold] {escape(name)}: {status_line}")
    applying = sorted((e for e in evaluations if e.applies),
                      key=lambda e: (e.met_on is not None, e.due or date.max, e.rule.id))
    for e in applying:
        rule = e.rule
        out().print(f"[bold]{rule.id}[/bold]: {escape(rule.title)}")
        out().print(f"    [dim]{escape(rule.timing_text())}; {escape(rule.source)}[/dim]")
        out().print(f"    {escape(e.why)}; due {uk_date(e.due) if e.due else '?'}")
        if e.met_on:
            timing = "[red]late[/red]" if e.late else "[green]on time[/green]"
            out().print(f"    met {uk_date(e.met_on)}: {escape(e.met_how or '')} ({timing})")
        elif e.due and e.due < today:
            out().print("    [red]outstanding, overdue[/red]")
        else:
            out().print("    [yellow]outstanding[/yellow]")
    not_applying = [e for e in evaluations if not e.applies]
    if not_applying:
        out().print("[bold]Does not apply[/bold]")
        for e in not_applying:
            out().print(f"    [dim]{e.rule.id}: {escape(e.why)}[/dim]")
    if switched_off:
        out().print(f"[dim]Switched off for this casebook: {', '.join(switched_off)}[/dim]")


def ics_text(rows: Sequence[tuple[DueItem, Standing]], today: date, service: str) -> bytes:
    """All-day events, one per item, with UIDs stable across runs (re-import updates).

    Names are left out: calendars are often synced to other systems, so an event
    shows the case id and the instruction only.
    """
    from icalendar import Calendar, Event

    cal = Calendar()
    cal.add("prodid", "-//rj//victim casebook//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"rj due - {service}")
    for item, s in rows:
        event = Event()
        event.add("uid", item.instance.replace(":", "-") + "@rj")
        event.add("dtstamp", _stamp(today))
        event.add("dtstart", item.due)
        event.add("dtend", item.due + timedelta(days=1))
        event.add("summary", f"{item.case}: {item.title}")
        event.add("description", f"{s.words()}. Counts from {item.counts_from}. "
                                 f"Rule {item.rule} ({item.source}). Owner: {item.worker or '-'}")
        cal.add_component(event)
    return cal.to_ical()  # type: ignore[no-any-return]


def _stamp(today: date):  # type: ignore[no-untyped-def]
    from datetime import datetime, timezone

    return datetime(today.year, today.month, today.day, tzinfo=timezone.utc)
