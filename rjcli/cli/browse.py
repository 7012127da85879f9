"""``rj show`` and ``rj list``: reading the casebook."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Annotated, Any

import typer

from rjcli.cli.context import current, record_id_arg
from rjcli.core.ids import kind_of

from rjcli.errors import BadInput
from rjcli.render import records as show_records
from rjcli.render.terminal import out, print_json


def show(
    record: Annotated[str, typer.Argument(help="Record id, V-... or C-...")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the record as JSON.")] = False,
) -> None:
    """Show one record: details, consents, status and the contact log.

    Example: rj show V-0001
    """
    ctx = current()
    record_id = record_id_arg(record)
    data = ctx.casebook.read(record_id)
    if as_json:
        print_json(data)
    elif kind_of(record_id) == "victim":
        from rjcli.core.model import victim_from_dict
        from rjcli.core.restorative import vcs_line

        from rjcli.core.victimdetails import details_lines, officer_reminder

        v = victim_from_dict(data)
        children = [ctx.casebook.child(c) for c in v.child_ids if ctx.casebook.exists(c)]
        notes = [n for n in [vcs_line(data, children), officer_reminder(data)] if n]
        from rjcli.core.supervision import supervision_line

        details = details_lines(data) + [("Supervision", line) for line in
                                         [supervision_line(data)] if line]
        show_records.victim(v, ctx.today, notes, _late(data), details)
        from rjcli.render.documents import documents

        documents(data)
    else:
        from rjcli.core.model import child_from_dict
        from rjcli.core.restorative import child_warnings

        from rjcli.core.supervision import supervision_line

        c = child_from_dict(data)
        show_records.child(c, ctx.today, child_warnings(c), _late(data),
                           [("Supervision", line) for line in [supervision_line(data)] if line])


def _late(data: Mapping[str, Any]) -> dict[str, date]:
    """The record's entries written down more than two working days late (Wokingham 4)."""
    from rjcli.core.lateness import late_entries
    from rjcli.storage.policy import load_calendar

    ctx = current()
    return late_entries(data, load_calendar(ctx.casebook, ctx.today))


def list_records(
    which: Annotated[str, typer.Argument(help="victims, children or all.")] = "all",
    open_only: Annotated[bool, typer.Option("--open", help="Open cases only.")] = False,
    worker: Annotated[str | None, typer.Option("--worker", help="Only this worker's cases (victims: allocated worker; children: case holder).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """List records with their status and worker.

    Example: rj list victims --open --worker "Jo Whitlock"
    """
    if which not in ("victims", "children", "all"):
        raise BadInput(f"'{which}' is not one of: victims, children, all")
    from rjcli.storage.snapshot import summaries

    ctx = current()
    worker = worker and ctx.staff_name(worker, "--worker", retired_too=True)
    snapshot = summaries(ctx.casebook, ctx.today, use_cache=ctx.use_cache)
    rows = [
        s for s in snapshot.records
        if (which == "all" or s.folder == which)
        and (not open_only or s.status == "open")
        and (worker is None or (s.worker or "").casefold() == worker.casefold())
    ]
    if as_json:
        print_json([s.as_json() for s in rows])
    else:
        show_records.summary_table(rows)
    for problem in snapshot.problems:
        out().print(f"[red]unreadable: {problem}[/red]")
    if snapshot.problems:
        raise typer.Exit(1)


HELP_ORDER = 30


def register(app: typer.Typer) -> None:
    app.command()(show)
    app.command("list")(list_records)
