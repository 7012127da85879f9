"""``rj child awareness|reparation|readiness``: the case holder's restorative work with
the child, on the child's record - never naming a victim (Somerset 5.4: the one gate on
writes to a child's record, ``rjcli.storage.childgate``, refuses a note that does).
"""

from __future__ import annotations

from typing import Annotated

import typer

from rjcli.cli._work import appender, child_arg, day_option, done, refuse, save
from rjcli.cli.context import current
from rjcli.cli.records import child_app
from rjcli.core.dates import uk_date
from rjcli.core.restorative import child_entry, dated_problems, reparation_problems

JsonOption = Annotated[bool, typer.Option("--json", help="Print the record as JSON.")]
NoteHelp = ("What was done. Refer to a victim only as 'Victim 1' (never by name, phone, e-mail "
            "or address).")


def _add(record: str, key: str, what: str, day: str | None, note: str | None, as_json: bool,
         problems: list[str] | None = None, **fields: object) -> None:
    ctx = current()
    child_id = child_arg(record, what)
    when = day_option(day)
    refuse((problems or []) + dated_problems(when, ctx.today, note, "--note"))
    entry = child_entry(ctx.new_id, when, note, ctx.worker, **fields)
    data = save(child_id, appender(key, entry), f"record {what} on")
    done(data, as_json, f"{child_id}: {what} recorded {uk_date(when)}.")


def awareness(
    record: Annotated[str, typer.Argument(help="The child's record id.")],
    note: Annotated[str, typer.Option(help=NoteHelp, show_default=False)],
    day: Annotated[str | None, typer.Option("--date", help="When (default today).")] = None,
    as_json: JsonOption = False,
) -> None:
    """Record a victim-awareness session with the child. Required when there is no
    direct victim: work on the impact of the offence on the community (Wokingham 15).

    Example: rj child awareness C-0001 --date 2026-04-21 --note "Impact of shop theft on staff"
    """
    _add(record, "victim_awareness", "victim-awareness session", day, note, as_json)


def reparation(
    record: Annotated[str, typer.Argument(help="The child's record id.")],
    hours: Annotated[float, typer.Option(help="Hours done.", show_default=False)],
    kind: Annotated[str, typer.Option(help="direct (to the victim) or indirect (community).", show_default=False)],
    note: Annotated[str | None, typer.Option(help=NoteHelp)] = None,
    day: Annotated[str | None, typer.Option("--date", help="When (default today).")] = None,
    as_json: JsonOption = False,
) -> None:
    """Record reparation hours done by the child, direct or indirect (Somerset 11.4).

    Example: rj child reparation C-0001 --hours 3 --kind indirect --note "Community garden"
    """
    when = day_option(day)
    problems = reparation_problems(hours, kind, when, current().today)
    whole = int(hours) if float(hours).is_integer() else hours
    _add(record, "reparation", "reparation", day, note, as_json, problems, hours=whole, kind=kind)


def readiness(
    record: Annotated[str, typer.Argument(help="The child's record id.")],
    note: Annotated[str, typer.Option(help="The child's readiness for restorative justice, and why. " + NoteHelp, show_default=False)],
    day: Annotated[str | None, typer.Option("--date", help="When (default today).")] = None,
    as_json: JsonOption = False,
) -> None:
    """Record a note on the child's readiness for restorative justice: cognitive
    readiness, trauma, timing (YJB §14-19; Somerset 11.5-11.6).

    Example: rj child readiness C-0001 --note "Accepts responsibility; wants to apologise"
    """
    _add(record, "readiness", "readiness note", day, note, as_json)


HELP_ORDER = 63


def register(app: typer.Typer) -> None:
    """Adds to the ``child`` group (rjcli.cli.records), once however many apps are built."""
    known = {c.name for c in child_app.registered_commands}
    for name, command in (("awareness", awareness), ("reparation", reparation),
                          ("readiness", readiness)):
        if name not in known:
            child_app.command(name)(command)
