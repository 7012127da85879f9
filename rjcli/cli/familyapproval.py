"""``rj victim family-approve``: a manager approves a family-or-carer victim appearing on
the child's record - the one exception to "a child's record never identifies a victim"
(YJB §30, §34; Somerset 5.4 leaves family victims to a case-by-case decision).

The approval is an entry on the victim's record (``family_approvals``: child, manager,
reason, date, who recorded it), so it travels with the victim's data, is kept in its
history, and is what the gate on writes to the child's record and ``rj check`` read.
"""

from __future__ import annotations

from typing import Annotated

import typer

from rjcli.cli._work import appender, child_arg, done, refuse, victim_arg
from rjcli.cli.context import current
from rjcli.cli.records import victim_app
from rjcli.core.identifiers import family_approval_entry, family_approval_problems
from rjcli.errors import BadInput


def family_approve(
    record: Annotated[str, typer.Argument(help="The family-or-carer victim's record id.")],
    manager: Annotated[str, typer.Option(help="The manager approving (on the staff list "
                                              "with role manager).", show_default=False)],
    reason: Annotated[str, typer.Option(help="Why the victim may appear on the child's "
                                             "record.", show_default=False)],
    child: Annotated[str | None, typer.Option(help="The child's record id (default: the "
                                                   "one child linked).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the record as JSON.")] = False,
) -> None:
    """Record a manager's approval for a family-or-carer victim (a parent, carer or other
    family member harmed by the child) to appear on that child's record. From then on the
    child's record may hold this victim's details, and rj check notes it instead of
    reporting an error.

    Example: rj victim family-approve V-0004 --manager "Ruth Kendrick" --reason "His mother"
    """
    ctx = current()
    victim_id = victim_arg(record, "a family-or-carer approval")
    victim = ctx.casebook.victim(victim_id)
    if child is None:
        if len(victim.child_ids) != 1:
            raise BadInput(f"{victim_id} is linked to {len(victim.child_ids)} children: say "
                           "which with --child C-...")
        child = victim.child_ids[0]
    child_id = child_arg(child, "the child")
    config = ctx.casebook.config
    member = config.staff_member(manager)
    if member is None or member.role != "manager":
        managers = [s.name for s in config.staff if s.role == "manager"]
        raise BadInput(f"'{manager}' is not on the staff list as a manager",
                       hint=("managers: " + ", ".join(managers)) if managers else
                       f'add them with: rj staff add "{manager}" --role manager')
    refuse(family_approval_problems(victim, child_id, reason), hint="nothing was written")
    entry = family_approval_entry(ctx.new_id(), child_id, member.name, reason, ctx.today,
                                  ctx.worker)
    data = ctx.casebook.change(victim_id, appender("family_approvals", entry),
                               "record family-or-carer approval on")
    done(data, as_json, f"{victim_id} may appear on {child_id}'s record: approved by "
                        f"{member.name} ({ctx.today.isoformat()}).")


HELP_ORDER = 21


def register(app: typer.Typer) -> None:
    """Adds to the ``victim`` group (rjcli.cli.records), once however many apps are built."""
    if "family-approve" not in {c.name for c in victim_app.registered_commands}:
        victim_app.command("family-approve")(family_approve)
