"""``rj due`` and ``rj explain`` in the terminal, and as an iCalendar file."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING

from rjcli.core.due import DueItem, Standing, summary_line
from rjcli.core.dates import uk_date
from rjcli.core.text import printable
from rjcli.render.paint import colour_wanted, paint, write_lines

if TYPE_CHECKING:
    from rjcli.core.deadlines import Evaluation

COLOURS = {"overdue": "red", "today": "yellow", "upcoming": "green"}
MAX_ROWS = 60
NAME_WIDTH = 20
"""Rows printed before the rest is summarised (a Rich row costs ~0.35 ms)."""


def due_table(rows: Sequence[tuple[DueItem, Standing]], group_by_worker: bool) -> None:
    """One line an item: due date, standing, case, name, instruction (source), laid out
    here and written at once (plain text and ANSI colour: the most-run output stays
    cheap)."""
    on = colour_wanted()
    shown = [(_inert(item), s) for item, s in rows[:MAX_ROWS]]
    if group_by_worker:
        shown.sort(key=lambda r: (r[0].worker or "", ))
    words = [s.words() for _, s in shown]
    status_width = max((len(w) for w in words), default=6)
    case_width = max((len(i.case) for i, _ in shown), default=4)
    header = paint(f"{'due':<10}  {'status':<{status_width}}  {'case':<{case_width}}  "
                   f"{'name':<{NAME_WIDTH}}  what to do (source)", "bold", on)
    lines: list[str] = []
    worker: object = object()
    for (item, s), word in zip(shown, words, strict=True):
        if group_by_worker and item.worker != worker:
            worker = item.worker
            lines += [paint(item.worker or "unallocated", "heading", on), header]
        elif not lines:
            lines.append(header)
        name = item.name if len(item.name) <= NAME_WIDTH else item.name[:NAME_WIDTH - 1] + "…"
        lines.append(f"{item.due.isoformat()}  {paint(f'{word:<{status_width}}', COLOURS[s.status], on)}"
                     f"  {item.case:<{case_width}}  {name:<{NAME_WIDTH}}  {item.title} "
                     + paint(f"({item.source})", "dim", on))
    if len(rows) > MAX_ROWS:
        lines.append(paint(f"... and {len(rows) - MAX_ROWS} more: narrow it with --worker, "
                           "--rule or --overdue, or use --json", "dim", on))
    lines.append(summary_line(list(rows)) if rows else paint("Nothing due.", "green", on))
    write_lines(lines)


def _inert(item: DueItem) -> DueItem:
    """The item's text with no control character: a name cannot move the cursor or
    start a line of its own, and a cut can never fall inside an escape sequence."""
    return item._replace(case=printable(item.case), name=printable(item.name),
                         title=printable(item.title), source=printable(item.source),
                         worker=printable(item.worker) if item.worker else item.worker)


def explain(case: str, name: str, evaluations: Sequence[Evaluation], today: date,
            status_line: str, switched_off: Sequence[str] = ()) -> None:
    """Rules that apply first (what is outstanding, then what was met), then one line for
    each rule that does not apply and why."""
    from rjcli.render.terminal import escape, out

    out().print(f"[bold]{escape(case)}[/bold] {escape(name)}: {escape(status_line)}")
    order = {"open": 0, "missed": 1, "met": 2, "cancelled": 3}
    applying = sorted((e for e in evaluations if e.applies),
                      key=lambda e: (order.get(e.state or "", 4), e.due or date.max, e.rule.id))
    for e in applying:
        rule = e.rule
        out().print(f"[bold]{escape(rule.id)}[/bold]: {escape(rule.title)}")
        out().print(f"    [dim]{escape(rule.timing_text())}; {escape(rule.source)}[/dim]")
        out().print(f"    {escape(e.why)}; due {uk_date(e.due) if e.due else '?'}")
        out().print(f"    {_ending(e, today)}")
    not_applying = [e for e in evaluations if not e.applies]
    if not_applying:
        out().print("[bold]Does not apply[/bold]")
        for e in not_applying:
            out().print(f"    [dim]{escape(e.rule.id)}: {escape(e.why)}[/dim]")
    if switched_off:
        out().print(f"[dim]Switched off for this casebook: {escape(', '.join(switched_off))}[/dim]")


def _ending(e: Evaluation, today: date) -> str:
    """How the instance stands: met (on time or late), missed, cancelled or outstanding."""
    from rjcli.render.terminal import escape

    if e.met_on:
        timing = "[red]late[/red]" if e.late else "[green]on time[/green]"
        return f"met {uk_date(e.met_on)}: {escape(e.met_how or '')} ({timing})"
    when = f" {uk_date(e.ended_on)}" if e.ended_on else ""
    if e.ended == "missed":
        return f"[red]missed{when}: {escape(e.ended_why or '')} (not met)[/red]"
    if e.ended == "cancelled":
        after = " (after its deadline: counted as not met)" if e.counted else ""
        return f"[dim]cancelled{when}: {escape(e.ended_why or '')}{after}[/dim]"
    if e.due and e.due < today:
        return "[red]outstanding, overdue[/red]"
    return "[yellow]outstanding[/yellow]"


_PLAIN_INSTANCE = re.compile(
    r"[VC]-[0-9A-Z]{4,12}:[a-z0-9-]{1,60}"  # the case, the rule
    r":(?:[0-9A-HJKMNP-TV-Z]{26}|\d{4}-\d{2}-\d{2}|[a-z]{1,20}(?:-[a-z]{1,20})?|-)")
"""What an instance key is made of: an entry id (26 letters and digits), a date, an
event's name (allocation, sentence, initial-letter) or nothing."""


def event_uid(instance: str) -> str:
    """A stable UID for a rule instance. Its key names the case, the rule and the entry it
    counts from; an entry id is written by hand at times, so a key that is not made of ids
    alone (a name or a phone typed over an id) is hashed, never copied into the calendar."""
    if _PLAIN_INSTANCE.fullmatch(instance):
        return instance.replace(":", "-") + "@rj"
    import hashlib

    return hashlib.sha256(instance.encode("utf-8")).hexdigest()[:32] + "@rj"


def ics_text(rows: Sequence[tuple[DueItem, Standing]], today: date, service: str) -> bytes:
    """All-day events, one per item, with UIDs stable across runs (re-import updates).

    Calendars are synced to phones and other systems, so an event carries the case id,
    the rule's instruction and its source (all from the policy) and nothing a record
    holds: no name, and not what the deadline counts from, which can quote an agreement
    item or other free text ("agreement item 1 (Mia writes to Graham...)").
    """
    from icalendar import Calendar, Event

    cal = Calendar()
    cal.add("prodid", "-//rj//victim casebook//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"rj due - {service}")
    for item, s in rows:
        event = Event()
        event.add("uid", event_uid(item.instance))
        event.add("dtstamp", _stamp(today))
        event.add("dtstart", item.due)
        event.add("dtend", item.due + timedelta(days=1))
        event.add("summary", f"{item.case}: {item.title}")
        event.add("description", f"{s.words()}. Rule {item.rule} ({item.source}). "
                                 f"Details: rj explain {item.case}")
        cal.add_component(event)
    return cal.to_ical()  # type: ignore[no-any-return]


def _stamp(today: date):  # type: ignore[no-untyped-def]
    from datetime import datetime, timezone

    return datetime(today.year, today.month, today.day, tzinfo=timezone.utc)
