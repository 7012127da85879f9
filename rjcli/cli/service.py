"""``rj service``: the service's name, address, phone, e-mail, letterhead, complaints text and
sign-off, as printed on every letter (kept in rj.yaml; comments there are kept)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from rjcli.cli.context import current
from rjcli.core.servicesettings import ServiceChange, change_problems, changed_values, service_rows
from rjcli.errors import BadInput
from rjcli.render.terminal import escape, out, print_json, say

if TYPE_CHECKING:
    from rjcli.storage.casebook import Casebook

service_app = typer.Typer(
    help="The service's details printed on every letter: rj service shows them, "
         "rj service set changes them.\n\nExample: rj service",
    invoke_without_command=True)


@service_app.callback(invoke_without_command=True)
def service_show(
    context: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """Show the service's details (rj service set changes them)."""
    if context.invoked_subcommand is not None:
        return
    service = current().casebook.config.service
    rows = service_rows(service)
    if as_json:
        print_json(dict(rows))
        return
    from rich.table import Table

    table = Table(box=None, show_header=False, pad_edge=False)
    table.add_column(style="bold")
    table.add_column(overflow="fold")
    for label, value in rows:
        table.add_row(label, escape(value))
    out().print(table)
    missing = [label for label, value in rows[1:3] if value == "-"]
    if missing:
        say(f"Letters need the service's address and postcode (not set: "
            f"{', '.join(missing)}): rj service set --address LINE --postcode ...")


def ask_service() -> ServiceChange:
    """At a terminal: the service's details, each skippable with Enter (rj init)."""
    from rich.prompt import Prompt

    say("The service's details, printed on every letter (Enter skips one; rj service set "
        "changes them later).")

    def ask(question: str, check: Any = None) -> str | None:
        while True:
            answer = Prompt.ask(question, default="", show_default=False).strip()
            problems = change_problems(check(answer)) if check and answer else []
            if not problems:
                return answer or None
            say(f"[red]{escape(problems[0])}[/red]")

    lines = []
    while True:
        line = ask(f"Address line {len(lines) + 1}" + (" (Enter when done)" if lines else ""))
        if line is None:
            break
        lines.append(line)
    return ServiceChange(
        address=lines or None,
        postcode=ask("Postcode"),
        phone=ask("Phone (the main number, never withheld)",
                  lambda a: ServiceChange(phone=a)),
        email=ask("E-mail", lambda a: ServiceChange(email=a)),
        complaints=ask("How to complain (printed on letters)"),
        sign_off=ask("Sign-off before the signature (Enter: Yours sincerely)"),
    )


@service_app.command("set")
def service_set(
    name: Annotated[str | None, typer.Option(
        help="The service's name.", show_default=False)] = None,
    address: Annotated[list[str] | None, typer.Option(
        help="An address line (repeat for each line; replaces the lines there are).",
        show_default=False)] = None,
    postcode: Annotated[str | None, typer.Option(
        help="The postcode.", show_default=False)] = None,
    phone: Annotated[str | None, typer.Option(
        help="The main phone number (never withheld: Somerset 6.1).", show_default=False)] = None,
    email: Annotated[str | None, typer.Option(
        help="The main e-mail address.", show_default=False)] = None,
    letterhead: Annotated[list[str] | None, typer.Option(
        help="A line at the top of every letter (repeat for each; default: the name).",
        show_default=False)] = None,
    complaints: Annotated[str | None, typer.Option(
        help="How to complain, printed on letters (Somerset 13).", show_default=False)] = None,
    sign_off: Annotated[str | None, typer.Option(
        help="The words before the signature (default: Yours sincerely).",
        show_default=False)] = None,
) -> None:
    """Change the service's details in rj.yaml; what is not given stays. An empty value
    ("") removes it.

    Example: rj service set --address "Civic Offices" --address "Exampletown"
    --postcode "XE1 1AA" --phone "01632 960000"
    """
    change = ServiceChange(name=name, address=address, postcode=postcode, phone=phone,
                           email=email, letterhead=letterhead, complaints=complaints,
                           sign_off=sign_off)
    if not change.given():
        raise BadInput("say what to change: --name, --address, --postcode, --phone, --email, "
                       "--letterhead, --complaints or --sign-off",
                       hint="rj service shows what is set now")
    problems = change_problems(change)
    if problems:
        raise BadInput("; ".join(problems))
    book = current().casebook
    update_service(change)
    say(f"Changed the service's {', '.join(_given(change))} in rj.yaml.")
    if book.config.service.address is None:
        say("Letters need the service's address too: rj service set --address LINE "
            "--postcode ...")


def _given(change: ServiceChange) -> list[str]:
    return [key.replace("_", "-") for key, value in change.__dict__.items() if value is not None]


def _quoted(phone: str) -> Any:
    """A phone number written in quotes: unquoted, 01632960000 would lose its leading 0."""
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    return DoubleQuotedScalarString(phone)


def update_service(change: ServiceChange, book: Casebook | None = None) -> None:
    """Write ``change`` into rj.yaml's ``service:`` (comments, order, other keys kept)."""

    def mutate(tree: Any) -> None:
        from rjcli.storage.edits import set_in

        section = tree.get("service") or {}
        for key, value in changed_values(change, section).items():
            if value is None:
                if key in section:
                    del tree["service"][key]
            else:
                set_in(tree, ["service", key], _quoted(value) if key == "phone" else value)

    (book or current().casebook).change_config(mutate, "change the service's details")


HELP_ORDER = 79


def register(app: typer.Typer) -> None:
    app.add_typer(service_app, name="service")
