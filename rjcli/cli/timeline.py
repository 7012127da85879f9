"""``rj timeline``: the whole history of one case in date order."""

from __future__ import annotations

from typing import Annotated

import typer

from rjcli.cli.context import record_id_arg
from rjcli.cli.context import current
from rjcli.core.model import child_from_dict, victim_from_dict
from rjcli.core.restorative import child_warnings, vcs_line
from rjcli.core.timeline import child_timeline, victim_timeline
from rjcli.render.terminal import print_json


def timeline(
    record: Annotated[str, typer.Argument(help="Record id, V-... or C-...")],
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON list of events (date, time, kind, text, by, entry).")] = False,
) -> None:
    """The whole history of a case in date order, as a worker or an inspector reads it:
    allocation, consents, contacts and letters, appointments, offers and changes of mind,
    the victim's view, risk assessments and approvals, conferences and agreement items,
    progress updates, support, feedback, complaints, the Victim Contact Scheme, closure.

    A child's timeline comes from the child's record alone: it never shows a victim's
    details (Somerset 5.4).
    Example: rj timeline V-0001
    """
    ctx = current()
    record_id = record_id_arg(record)
    casebook = ctx.casebook
    data = casebook.read(record_id)
    if record_id.startswith("V-"):
        victim = victim_from_dict(data)
        children = [casebook.child(c) for c in victim.child_ids if casebook.exists(c)]
        events = victim_timeline(data, children)
        notes = [n for n in [vcs_line(data, children)] if n]
        name, status = victim.name or "", victim.status
    else:
        child = child_from_dict(data)
        events = child_timeline(data)
        notes = child_warnings(child)
        name, status = child.name or "", child.status
    from rjcli.core.lateness import late_entries, mark_late
    from rjcli.storage.policy import load_calendar

    events = mark_late(events, late_entries(data, load_calendar(casebook, ctx.today)))
    if as_json:
        print_json({"case": record_id, "status": status, "notes": notes,
                    "events": [e.as_json() for e in events]})
        return
    from rjcli.render.timeline import timeline as show

    show(record_id, name, status, events, notes)


HELP_ORDER = 56


def register(app: typer.Typer) -> None:
    app.command()(timeline)
