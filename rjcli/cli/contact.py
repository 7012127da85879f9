"""``rj contact log``: append to a contact log."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from rjcli.cli._gates import OverrideBy, OverrideReason, hold, override_given
from rjcli.cli.context import record_id_arg
from rjcli.cli.closedcase import ClosedOk, refuse_if_closed
from rjcli.cli.context import current, interactive, parse_moment
from rjcli.cli._work import warn_all
from rjcli.core.gates import contact_gaps, preference_warnings
from rjcli.core.model import victim_from_dict
from rjcli.core.records import HEADINGS, NewContact, contact_entry, contact_problems
from rjcli.errors import BadInput
from rjcli.render.terminal import print_json, say

contact_app = typer.Typer(help="The contact log.", no_args_is_help=True)


def _headings(pairs: list[str], ask: bool) -> dict[str, str]:
    """--heading key=text pairs, then (with --headings at a terminal) prompts for the rest."""
    headings: dict[str, str] = {}
    for pair in pairs:
        key, sep, text = pair.partition("=")
        if not sep:
            raise BadInput(f"--heading '{pair}' should look like reason=\"text\"")
        headings[key.strip()] = text.strip()
    if ask and interactive():
        from rich.prompt import Prompt

        for key, title in HEADINGS:
            if key not in headings:
                answer = Prompt.ask(f"{title} (Enter to skip)", default="")
                if answer.strip():
                    headings[key] = answer.strip()
    return headings


@contact_app.command("log")
def contact_log(
    record: Annotated[str, typer.Argument(help="Record id (victim or child).")],
    method: Annotated[str, typer.Option(help="phone, text, letter, email, visit, meeting, video.")],
    outcome: Annotated[str, typer.Option(help="spoke, no-answer, left-message, sent, received, kept, missed, cancelled.")],
    at: Annotated[str | None, typer.Option(help="When it happened, day first: '05/06/2026 10:15', 'yesterday 14:30', '2pm' (default now).")] = None,
    note: Annotated[str | None, typer.Option(help="The case note.")] = None,
    party: Annotated[str, typer.Option("--with", help="Who with: victim, parent-guardian, representative, case-holder, police, home-service, child, other.")] = "victim",
    letter: Annotated[str | None, typer.Option(help="For a letter: its kind (initial, final, closure...).")] = None,
    heading: Annotated[list[str] | None, typer.Option(help="A case-note heading, key=text (reason, victim_view, case_holder_liaison, risk_safeguarding, further_action).")] = None,
    headings: Annotated[bool, typer.Option("--headings", help="Ask for Tower Hamlets' five case-note headings.")] = False,
    override_by: OverrideBy = None,
    override_reason: OverrideReason = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the record as JSON.")] = False,
    closed_ok: ClosedOk = False,
) -> None:
    """Log a contact: who, how, what came of it; recorded with who logged it and when.

    The time of the contact and the time it was written down are both kept (Wokingham 4:
    record within 2 working days).
    Refused, unless a manager overrides it (--override-by, --override-reason): direct
    contact with a victim under 18 before the parent's consent (Somerset 6.4), and any
    contact with a family-or-carer victim before the best-placed decision (Somerset 6.6).
    Example: rj contact log V-0001 --method phone --outcome no-answer --at "2026-04-02 10:15"
    """
    ctx = current()
    record_id = record_id_arg(record)
    refuse_if_closed(record_id, closed_ok, "a contact")
    if record_id.startswith("C-") and party == "victim":
        party = "child"
    entry = NewContact(method=method, outcome=outcome, at=parse_moment(at, ctx.now, "--at"),
                       party=party, note=note, letter=letter,
                       headings=_headings(heading or [], headings))
    problems = contact_problems(entry, ctx.now)
    if problems:
        raise BadInput("; ".join(problems))
    built = contact_entry(ctx.new_id, entry, ctx.writer(), ctx.recorded_at)
    override = override_given(override_by, override_reason)

    def add(tree: Any) -> None:
        from rjcli.storage.edits import append

        append(tree, "contacts", built)
        if record_id.startswith("V-"):
            # the gates read the record as it is under the lock (an unreadable one is
            # reported by the change itself, with nothing changed)
            gaps = contact_gaps(victim_from_dict(tree), method, party, letter)
            gate = gaps[0][0] if gaps else "under-18-contact"
            overridden = hold(gate, [text for _, text in gaps], override,
                              f"logging {method} contact with {record_id}", entry=built["id"])
            if overridden is not None:
                append(tree, "overrides", overridden)

    data = ctx.casebook.change(record_id, add, "log contact on")
    if record_id.startswith("V-") and party == "victim":
        warn_all(preference_warnings(victim_from_dict(data), method))
    if as_json:
        print_json(data)
    else:
        from rjcli.core.when import say_moment

        say(f"Logged {method} ({outcome}) on {record_id}: {say_moment(entry.at)}.")


HELP_ORDER = 40


def register(app: typer.Typer) -> None:
    app.add_typer(contact_app, name="contact")
