"""Records as a worker reads them in the terminal."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING

from rjcli.core.dates import format_datetime, uk_date
from rjcli.core.summary import RecordSummary
from rjcli.core.text import printable
from rjcli.core.vocab import VICTIM_CONSENT_KINDS, label
from rjcli.render.terminal import escape, out

if TYPE_CHECKING:
    from rjcli.core.model import Child, Contact, Victim


def _line(name: str, value: object) -> None:
    if value not in (None, "", (), []):
        out().print(f"[bold]{name}:[/bold] {escape(str(value))}")


def _contacts(contacts: Sequence[Contact], late: Mapping[str, date] | None = None) -> None:
    if not contacts:
        out().print("[dim]No contacts logged yet.[/dim]")
        return
    from rich.table import Table

    table = Table("when", "method", "outcome", "with", "by", "note", box=None, title="Contact log",
                  title_justify="left")
    for c in sorted(contacts, key=lambda c: (c.at or c.recorded_at, c.id)):
        what = c.method + (f" ({c.letter})" if c.letter else "")
        when = format_datetime(c.at) if c.at else "?"
        if late and c.id in late:
            from rjcli.core.lateness import late_words

            when += f" ({late_words(late[c.id])})"
        table.add_row(when, escape(what), escape(c.outcome), escape(c.party), escape(c.by or ""),
                      escape(c.note or "", newlines=True))
    out().print(table)


def _notes(notes: Sequence[str]) -> None:
    """Standing notes under the header: VCS eligibility, victim-awareness work owed."""
    for note in notes:
        out().print(f"[yellow]{escape(note)}[/yellow]")


def victim(v: Victim, today: date, notes: Sequence[str] = (),
           late: Mapping[str, date] | None = None,
           details: Sequence[tuple[str, str]] = ()) -> None:
    status = v.status
    colour = "green" if status == "open" else "dim"
    out().print(f"[bold]{escape(v.id)}[/bold]  {escape(v.name or '')}  "
                f"[{colour}]{escape(status)}[/{colour}]  ({escape(label(v.kind))})")
    _notes(notes)
    _line("Date of birth", uk_date(v.dob) if v.dob else None)
    _line("Phone", ", ".join(v.phones))
    _line("E-mail", v.email)
    _line("Address", ", ".join(v.address.as_lines()) if v.address else None)
    _line("Prefers", " ".join(x for x in (v.preferred_method, v.preferred_times) if x))
    _line("Needs", v.needs)
    for name, text in details:  # ethnicity, monitoring, communication, officer (rj victim set)
        _line(name, text)
    _line("Entitlements", ", ".join(label(e) for e in v.entitlements))
    if v.parent_guardian:
        _line("Parent/guardian", ", ".join(x for x in (v.parent_guardian.name, v.parent_guardian.phone) if x))
    if v.representative:
        _line("Representative", ", ".join(x for x in (v.representative.name, v.representative.relationship) if x))
    _line("Home service", v.home_service)
    r = v.referral
    _line("Referral", ", ".join(label(x) for x in (r.source, r.stage, r.disposal) if x))
    if r.allocated:
        _line("Allocated", uk_date(r.allocated) + (f" to {r.worker}" if r.worker else
                                                    " (no worker allocated yet)"))
    _line("Children", ", ".join(link.child + (f" ({link.offence})" if link.offence else "")
                                for link in v.links))
    consents = []
    for kind in VICTIM_CONSENT_KINDS:
        c = v.consent(kind)
        if c:
            consents.append(f"{label(kind)}: {c.answer}" + (" in writing" if c.written else "")
                            + (f" ({uk_date(c.date)})" if c.date else ""))
    _line("Consent", "; ".join(consents))
    for entry in v.status_history:
        if entry.status == "closed":
            _line("Closed", f"{uk_date(entry.date)} ({entry.reason})")
    _contacts(v.contacts, late)


def child(c: Child, today: date, notes: Sequence[str] = (),
          late: Mapping[str, date] | None = None,
          details: Sequence[tuple[str, str]] = ()) -> None:
    status = c.status
    colour = "green" if status == "open" else "dim"
    out().print(f"[bold]{escape(c.id)}[/bold]  {escape(c.name or '')}  "
                f"[{colour}]{escape(status)}[/{colour}]")
    _notes(notes)
    _line("Date of birth", uk_date(c.dob) if c.dob else None)
    _line("Case holder", c.case_holder)
    _line("Disposal", label(c.disposal) if c.disposal else None)
    _line("Sentenced", uk_date(c.sentence_date) if c.sentence_date else None)
    _line("Order", " to ".join(uk_date(d) for d in (c.order_start, c.order_end) if d))
    _line("Offences", "; ".join(o.description for o in c.offences))
    _line("Victims", ", ".join(
        f"{v.label} ({v.ref}; {'adult' if v.adult else 'child' if v.adult is False else 'age not recorded'})"
        for v in c.victims))
    for name, text in details:  # supervision (rj supervise)
        _line(name, text)
    _contacts(c.contacts, late)


PLAIN_FROM = 200
"""Longer listings are printed as plain aligned text: a Rich table row costs ~0.35 ms."""


def summary_table(rows: Sequence[RecordSummary]) -> None:
    if len(rows) > PLAIN_FROM:
        _plain_summary(rows)
        return
    from rich.table import Table

    table = Table("id", "name", "status", "worker", "kind", "since", box=None)
    for s in rows:
        table.add_row(escape(s.id), escape(s.name), escape(s.status), escape(s.worker or ""),
                      escape(s.kind or ""), escape(s.since or ""))
    out().print(table)
    out().print(f"[dim]{len(rows)} record{'s' if len(rows) != 1 else ''}[/dim]")


def _plain_summary(rows: Sequence[RecordSummary]) -> None:
    import sys

    header = ("id", "name", "status", "worker", "kind", "since")
    cells = [header] + [tuple(printable(x) for x in (s.id, s.name, s.status, s.worker or "",
                                                      s.kind or "", s.since or ""))
                        for s in rows]
    widths = [max(len(c[i]) for c in cells) for i in range(len(header))]
    write = sys.stdout.write
    for cell in cells:
        write("  ".join(v.ljust(w) for v, w in zip(cell, widths, strict=True)).rstrip() + "\n")
    write(f"{len(rows)} records\n")
