"""``rj staff``: the people letters are signed by and work is allocated to."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from rjcli.cli.context import current
from rjcli.core import vocab
from rjcli.core.records import choice_problem
from rjcli.core.text import name_problem
from rjcli.errors import BadInput
from rjcli.render.terminal import escape, out, print_json, say, warn

staff_app = typer.Typer(help="The service's staff (in rj.yaml).", no_args_is_help=True)


@staff_app.command("add")
def staff_add(
    name: Annotated[str, typer.Argument(help="Full name, as typed with --worker.")],
    role: Annotated[str, typer.Option(help="rj-worker, case-holder, manager, admin.")],
    phone: Annotated[str | None, typer.Option(help="Direct line (printed on letters).")] = None,
    email: Annotated[str | None, typer.Option(help="E-mail (printed on letters).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the staff list as JSON.")] = False,
) -> None:
    """Add someone to the staff list, or update their role and contact details.

    Example: rj staff add "Sam Worker" --role rj-worker --phone "01632 960101"
    --email sam.worker@example.org
    """
    problem = choice_problem("role", role, vocab.STAFF_ROLES) or name_problem("the name", name)
    if problem:
        raise BadInput(problem)
    entry = {k: v for k, v in {"name": name.strip(), "role": role, "phone": phone,
                               "email": email}.items() if v}

    def upsert(tree: Any) -> None:
        from rjcli.storage.edits import append

        for member in tree.get("staff") or []:
            if str(member.get("name", "")).casefold() == name.strip().casefold():
                for key, value in entry.items():
                    member[key] = value
                member.pop("retired", None)  # back on the staff
                return
        append(tree, "staff", entry)

    ctx = current()
    ctx.casebook.change_config(upsert, "update staff list")
    if as_json:
        print_json([s.__dict__ for s in ctx.casebook.config.staff])
    else:
        say(f"{escape(name)} is on the staff list as {role}.")


@staff_app.command("list")
def staff_list(
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """List the staff.

    Example: rj staff list
    """
    staff = current().casebook.config.staff
    if as_json:
        print_json([s.__dict__ for s in staff])
        return
    from rich.table import Table

    table = Table("name", "role", "phone", "e-mail", "retired", box=None)
    for s in staff:
        table.add_row(*(escape(x or "") for x in (s.name, s.role, s.phone, s.email)),
                      s.retired.isoformat() if s.retired else "")
    out().print(table)


def _staff_entry(tree: Any, name: str) -> Any:
    for member in tree.get("staff") or []:
        if str(member.get("name", "")) == name:
            return member
    raise BadInput(f"{name} is no longer on the staff list in rj.yaml")


def _open_cases_of(name: str) -> list[tuple[str, tuple[str, ...]]]:
    """(record id, path of the field) of every open case allocated to ``name``: victims by
    referral.worker, children by case_holder."""
    from rjcli.core.model import child_from_dict, victim_from_dict

    found = []
    for kind, _path, data, _problem in current().casebook.iter_records():
        if data is None:
            continue
        if kind == "victim":
            victim = victim_from_dict(data)
            if victim.status == "open" and victim.referral.worker == name:
                found.append((victim.id, ("referral", "worker")))
        else:
            child = child_from_dict(data)
            if child.status == "open" and child.case_holder == name:
                found.append((child.id, ("case_holder",)))
    return found


def _reassign(cases: list[tuple[str, tuple[str, ...]]], to: str) -> None:
    from rjcli.storage.edits import set_in

    ctx = current()
    for record_id, field_path in cases:
        ctx.casebook.change(record_id, lambda tree, p=field_path: set_in(tree, list(p), to),
                            "reallocate")


@staff_app.command("rename")
def staff_rename(
    old: Annotated[str, typer.Argument(help="The name on the staff list now.")],
    new: Annotated[str, typer.Argument(help="The new full name.")],
    reassign: Annotated[bool, typer.Option(
        "--reassign/--no-reassign",
        help="Move their open cases to the new name (default), or leave them as they are.")
    ] = True,
) -> None:
    """Rename someone on the staff list (a new surname, a misspelt entry). Entries they
    made keep the name they were made under; the old name is kept as 'formerly', so typed
    with --worker it still finds them.

    Example: rj staff rename "Jo Whitlock" "Jo Marsh"
    """
    ctx = current()
    before = ctx.staff_name(old, "rename", retired_too=True)
    after = " ".join(new.split())
    if not after:
        raise BadInput("give the new name")
    taken = ctx.casebook.config.staff_member(after)
    if taken is not None and taken.name != before:
        raise BadInput(f"{taken.name} is already on the staff list",
                       hint="two people cannot share a name: add a middle initial")
    cases = _open_cases_of(before) if reassign else []

    def rename(tree: Any) -> None:
        member = _staff_entry(tree, before)
        member["name"] = after
        former = [str(x) for x in member.get("formerly") or []]
        if before not in former and before != after:
            member["formerly"] = [*former, before]

    with ctx.casebook.one_commit("rename a member of staff"):
        ctx.casebook.change_config(rename, "rename a member of staff")
        _reassign(cases, after)
    moved = f"; {len(cases)} open case(s) moved to the new name" if cases else ""
    say(f"{escape(before)} is now {escape(after)} on the staff list{moved}.")


@staff_app.command("retire")
def staff_retire(
    name: Annotated[str, typer.Argument(help="Who is leaving.")],
    reassign_to: Annotated[str | None, typer.Option(
        "--reassign-to", help="Move their open cases to this member of staff.")] = None,
    day: Annotated[str | None, typer.Option("--date", help="Their last day (default today).")
                   ] = None,
) -> None:
    """Retire someone: no new work or changes in their name from then on; everything they
    did keeps their name. Their open cases move with --reassign-to, else they are listed.

    Example: rj staff retire "Amir Haddon" --reassign-to "Jo Whitlock"
    """
    from rjcli.cli._work import day_option
    from rjcli.core.when import say_date

    ctx = current()
    who = ctx.staff_name(name, "retire")
    to = ctx.staff_name(reassign_to, "--reassign-to") if reassign_to else None
    if to == who:
        raise BadInput("--reassign-to names the person retiring")
    when = day_option(day)
    cases = _open_cases_of(who)

    def retire(tree: Any) -> None:
        _staff_entry(tree, who)["retired"] = when

    with ctx.casebook.one_commit("retire a member of staff"):
        ctx.casebook.change_config(retire, "retire a member of staff")
        if to:
            _reassign(cases, to)
    say(f"{escape(who)} retired on {say_date(when)}.")
    if cases and to:
        say(f"{len(cases)} open case(s) moved to {escape(to)}: "
            + ", ".join(c for c, _ in cases))
    elif cases:
        warn(escape(f"still allocated to {who}: " + ", ".join(c for c, _ in cases)
                    + f' (move them with: rj staff retire "{who}" --reassign-to NAME)'))


HELP_ORDER = 80


def register(app: typer.Typer) -> None:
    app.add_typer(staff_app, name="staff")
