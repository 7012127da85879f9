"""``rj supervise ID``: record supervision or a quality check of the victim work on a case
(core/supervision.py)."""

from __future__ import annotations

from typing import Annotated

import typer

from rjcli.cli._work import appender, day_option, done, refuse, save
from rjcli.cli.context import current, record_id_arg
from rjcli.core.supervision import supervision_entry, supervision_problems


def supervise(
    record: Annotated[str, typer.Argument(help="The record whose work was supervised: V-... or C-... (the child's side of the restorative work).")],
    manager: Annotated[str, typer.Option(help="Who supervised: a manager or the colleague who supervises the case work (on the staff list).", show_default=False)],
    note: Annotated[str, typer.Option(help="What was discussed or found, and what was agreed.", show_default=False)],
    kind: Annotated[str, typer.Option(help="supervision or quality-assurance.")] = "supervision",
    day: Annotated[str | None, typer.Option("--date", help="When (default today).", show_default=False)] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the record as JSON.")] = False,
) -> None:
    """Record supervision or a quality check of the victim work on a case: when, who, what.

    The worker's own evaluation in supervision (Wokingham 22.2); case supervision on a
    regular basis by a person with RJ experience (Wait 'til Eight table 4, §6.8.2, §7.9);
    a quality check of the case (Tower Hamlets "Quarterly check on cases"). rj show gives
    the latest. On a child's record the note passes the same privacy gate as every other
    change: no victim's name or details there.

    Example: rj supervise V-0009 --manager "Ruth Kendrick" --note "Reviewed the outcome agreement follow-up"
    """
    from rjcli.core.when import say_date

    ctx = current()
    record_id = record_id_arg(record)
    who = ctx.staff_name(manager, "--manager", "manager")
    when = day_option(day)
    refuse(supervision_problems(kind, when, note, ctx.today), hint="nothing was written")
    entry = supervision_entry(ctx.new_id(), kind, when, who, note, ctx.writer(), ctx.recorded_at)
    saved = save(record_id, appender("supervision", entry), "record supervision on")
    what = "Supervision" if kind == "supervision" else "Quality assurance"
    done(saved, as_json, f"{what} of {record_id} recorded: {who}, {say_date(when)}.")


HELP_ORDER = 62


def register(app: typer.Typer) -> None:
    app.command()(supervise)
