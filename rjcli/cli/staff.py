"""``rj staff``: the people letters are signed by and work is allocated to."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from rjcli.cli.context import current
from rjcli.core import vocab
from rjcli.core.records import choice_problem
from rjcli.core.text import name_problem
from rjcli.errors import BadInput
from rjcli.render.terminal import escape, out, print_json, say

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

    table = Table("name", "role", "phone", "e-mail", box=None)
    for s in staff:
        table.add_row(*(escape(x or "") for x in (s.name, s.role, s.phone, s.email)))
    out().print(table)


HELP_ORDER = 80


def register(app: typer.Typer) -> None:
    app.add_typer(staff_app, name="staff")
