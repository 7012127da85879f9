"""``rj victim best-placed``: who is best placed to support a family-or-carer victim,
decided by the RJ worker with the child's case holder before the first contact
(Somerset 6.6). Until it is recorded, contact with such a victim and the initial letter
are refused (rjcli.core.gates)."""

from __future__ import annotations

from typing import Annotated

import typer

from rjcli.cli._work import day_option, done, refuse, setter, victim_arg
from rjcli.cli.context import current
from rjcli.cli.records import victim_app
from rjcli.core.gates import best_placed_entry, best_placed_problems
from rjcli.core.restorative import dated_problems


def best_placed(
    record: Annotated[str, typer.Argument(help="The family-or-carer victim's record id.")],
    who: Annotated[str, typer.Option(help="Who is best placed to support the victim: "
                                          "rj-worker, case-holder or both.", show_default=False)],
    case_holder: Annotated[str, typer.Option(help="The child's case holder it was decided "
                                                  "with.", show_default=False)],
    day: Annotated[str | None, typer.Option("--date", help="When it was decided (default "
                                                           "today).")] = None,
    note: Annotated[str | None, typer.Option(help="What was considered.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the record as JSON.")] = False,
) -> None:
    """Record who is best placed to support a victim who is the child's family or lives
    with the child, decided with the case holder before the initial contact (Somerset
    6.6; any formal restorative meeting is still facilitated by the RJ worker).

    Example: rj victim best-placed V-0004 --who case-holder --case-holder "Tom Ashdown"
    """
    ctx = current()
    victim_id = victim_arg(record, "the best-placed decision")
    victim = ctx.casebook.victim(victim_id)
    when = day_option(day)
    refuse(best_placed_problems(who, case_holder, victim)
           + dated_problems(when, ctx.today, None, "the decision"), hint="nothing was written")
    entry = best_placed_entry(when, who, case_holder, note, ctx.worker)
    data = ctx.casebook.change(victim_id, setter("best_placed", entry),
                               "record best-placed decision on")
    done(data, as_json, f"{victim_id}: best placed to support the victim: {who} "
                        f"(decided with {entry['case_holder']}, {when.isoformat()}).")


HELP_ORDER = 22


def register(app: typer.Typer) -> None:
    """Adds to the ``victim`` group (rjcli.cli.records), once however many apps are built."""
    if "best-placed" not in {c.name for c in victim_app.registered_commands}:
        victim_app.command("best-placed")(best_placed)
