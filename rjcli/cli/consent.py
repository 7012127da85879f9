"""``rj consent``: record a consent decision or a change of mind."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from rjcli.cli.context import record_id_arg
from rjcli.cli.context import current, parse_day
from rjcli.core import vocab
from rjcli.core.records import choice_problem, consent_entry
from rjcli.errors import BadInput
from rjcli.render.terminal import print_json, say


def consent(
    record: Annotated[str, typer.Argument(help="Record id.")],
    kind: Annotated[str, typer.Argument(help="What was consented to (listed above).")],
    answer: Annotated[str, typer.Argument(help="yes, no or withdrawn (listed above).")],
    day: Annotated[str | None, typer.Option("--date", help="When (default today).")] = None,
    source: Annotated[str | None, typer.Option(help="Where it came from: YOT1, phone call, signed form...")] = None,
    note: Annotated[str | None, typer.Option(help="Why (a change of mind), or what may be shared with whom.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the record as JSON.")] = False,
) -> None:
    """Record consent, refusal or withdrawal; every change of mind is kept (Somerset 9.1).

    {allowed}

    Example: rj consent V-0001 rj-participation yes --source "signed form" --date 2026-04-20
    """
    ctx = current()
    record_id = record_id_arg(record)
    kinds = vocab.VICTIM_CONSENT_KINDS if record_id.startswith("V-") else vocab.CHILD_CONSENT_KINDS
    problems = [p for p in (choice_problem("consent kind", kind, kinds),
                            choice_problem("answer", answer, vocab.CONSENT_ANSWERS)) if p]
    if answer == "withdrawn" and not note:
        problems.append("say why consent was withdrawn with --note (Somerset 9.1)")
    when = parse_day(day, ctx.today, "--date") or ctx.today
    if when > ctx.today:
        problems.append(f"the date {when} is in the future")
    if problems:
        raise BadInput("; ".join(problems))
    entry = consent_entry(ctx.new_id, kind, answer, when, source, note, ctx.writer(),
                          ctx.recorded_at)

    def add(tree: Any) -> None:
        from rjcli.storage.edits import append

        append(tree, "consents", entry)

    data = ctx.casebook.change(record_id, add, "record consent on")
    if as_json:
        print_json(data)
    else:
        from rjcli.core.when import say_date

        say(f"Recorded {kind}: {answer} on {record_id} ({say_date(when)}).")


HELP_ORDER = 45


def register(app: typer.Typer) -> None:
    from rjcli.cli._help import help_with_values

    app.command(help=help_with_values(
        consent,
        ("KIND for a victim (V-...; parent-consent: a parent's for a victim under 18):",
         vocab.VICTIM_CONSENT_KINDS),
        ("KIND for a child (C-...):", vocab.CHILD_CONSENT_KINDS),
        ("ANSWER:", vocab.CONSENT_ANSWERS)))(consent)
