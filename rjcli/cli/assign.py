"""``rj assign``: move a case, or a whole caseload, to another worker (logged)."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from rjcli.cli.context import current, record_id_arg
from rjcli.errors import BadInput


def assign(
    record: Annotated[str | None, typer.Argument(help="The case: a victim's id (its RJ "
                                                 "worker) or a child's (its case holder).",
                                                 show_default=False)] = None,
    worker: Annotated[str | None, typer.Option("--worker", help="Who takes the case: a name "
                                               "on the staff list.")] = None,
    from_: Annotated[str | None, typer.Option("--from", help="Move every open case of this "
                                              "member of staff ...")] = None,
    to: Annotated[str | None, typer.Option("--to", help="... to this one.")] = None,
    reason: Annotated[str | None, typer.Option(help="Why (leave, caseload balancing...): "
                                               "kept on the record.")] = None,
) -> None:
    """Reassign a case, or a whole caseload (open cases only), to another worker.

    Each move is logged on the record (who, when, from, to, reason), and rj due shows the
    work under the new name at once.
    Example: rj assign V-0001 --worker "Amir Haddon" --reason "Jo on leave"
    Example: rj assign --from "Jo Whitlock" --to "Amir Haddon" --reason "caseload balancing"
    """
    from rjcli.core.assignment import allocation_field, open_caseload
    from rjcli.render.terminal import escape, say

    ctx = current()
    if (record is not None and (from_ or to)) or (record is None and not (from_ and to)) \
            or (record is not None and not worker) or (worker and record is None):
        raise BadInput("give a case and who takes it (rj assign ID --worker NAME), or a whole "
                       "caseload (rj assign --from NAME --to NAME)")
    if record is not None:
        record_id = record_id_arg(record)
        field = allocation_field(record_id)
        name = ctx.staff_name(worker or "", "--worker",
                              "rj-worker" if field == "worker" else "case-holder")
        before = _move(record_id, field, name, reason)
        say(escape(f"{record_id}: {before or 'nobody'} -> {name}."))
        return
    old = ctx.staff_name(from_ or "", "--from", retired_too=True)
    new = ctx.staff_name(to or "", "--to")
    if old == new:
        raise BadInput(f"--from and --to both name {old}")
    loaded = ctx.casebook.load_all()
    cases = open_caseload(old, loaded.victims.values(), loaded.children.values())
    if not cases:
        say(escape(f"{old} has no open cases: nothing to move."))
        return
    with ctx.casebook.one_commit(f"reassign open cases to {new}"):
        for record_id, field in cases:
            _move(record_id, field, new, reason)
    say(escape(f"{len(cases)} open case(s) moved from {old} to {new}: "
               + ", ".join(r for r, _ in cases) + "."))


def _move(record_id: str, field: str, to: str, reason: str | None) -> str | None:
    """Set the record's worker (or case holder) to ``to`` and log it; the name before."""
    from rjcli.core.assignment import FIELD_PATH, allocation_entry
    from rjcli.storage.edits import append, set_in

    ctx = current()
    data = ctx.casebook.read(record_id)
    path = FIELD_PATH[field]
    holder: Any = data
    for key in path:
        holder = holder.get(key) if isinstance(holder, dict) else None
    before = str(holder) if holder else None
    if before == to:
        raise BadInput(f"{record_id} is already allocated to {to}")
    entry = allocation_entry(ctx.new_id, ctx.today, field, before, to, reason, ctx.writer(),
                             ctx.recorded_at)

    def mutate(tree: Any) -> None:
        set_in(tree, list(path), to)
        append(tree, "allocations", entry)

    ctx.casebook.change(record_id, mutate, "reassign")
    return before


HELP_ORDER = 23


def register(app: typer.Typer) -> None:
    app.command("assign")(assign)
