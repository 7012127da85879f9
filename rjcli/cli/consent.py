"""``rj consent``: record a consent decision or a change of mind."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
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
    written: Annotated[bool, typer.Option("--written", help="Given in writing (a signed form, a letter, an e-mail): counts as the written consent a conference needs (YJB §24).")] = False,
    document: Annotated[str | None, typer.Option("--document", help="The signed consent form: a file to keep with the victim's record (as rj attach --kind consent-form does), or the id of one kept already. Implies --written.", show_default=False)] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the record as JSON.")] = False,
) -> None:
    """Record consent, refusal or withdrawal; every change of mind is kept (Somerset 9.1).

    {allowed}

    A consent given in writing is recorded with --written, or with --document naming the
    signed form (kept with a victim's record): either satisfies the written consent that
    planning a conference needs (YJB §24).

    Example: rj consent V-0001 rj-participation yes --document signed-consent.pdf --date 2026-06-12
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
    form = _consent_form(record_id, document, kind) if document else None
    entry = consent_entry(ctx.new_id, kind, answer, when, source, note, ctx.writer(),
                          ctx.recorded_at, written=written, document=form)

    def add(tree: Any) -> None:
        from rjcli.storage.edits import append

        append(tree, "consents", entry)

    data = ctx.casebook.change(record_id, add, "record consent on")
    if as_json:
        print_json(data)
    else:
        from rjcli.core.when import say_date

        how = " in writing" if written or form else ""
        say(f"Recorded {kind}: {answer}{how} on {record_id} ({say_date(when)}).")


def _consent_form(record_id: str, document: str, kind: str) -> str:
    """The id of the consent form on the victim's record: a document kept already (by id),
    or the file named, kept now with kind consent-form (its own commit, before the consent)."""
    ctx = current()
    if not record_id.startswith("V-"):
        raise BadInput(f"{record_id} is a child's record: a child's record keeps no documents "
                       "(Somerset 5.4)", hint="keep the signed form in the child's case "
                       f"system and record: rj consent {record_id} {kind} yes --written")
    kept = {str(d.get("id")): d for d in ctx.casebook.read(record_id).get("documents") or []
            if isinstance(d, Mapping)}
    if document in kept:
        if kept[document].get("kind") != "consent-form":
            raise BadInput(f"document {document} on {record_id} is a "
                           f"{kept[document].get('kind')}, not a consent-form",
                           hint="name the signed consent form, or a file to keep as one")
        return document
    path = Path(document).expanduser()
    if not path.is_file():
        raise BadInput(f"no document {document} on {record_id}, and no file {document}",
                       hint=f"rj show {record_id} lists the documents kept with it")
    from rjcli.render.terminal import escape
    from rjcli.storage.documents import attach

    entry = attach(ctx.casebook, record_id, path, "consent-form", f"consent: {kind}",
                   ctx.today, ctx.writer, ctx.recorded_at, ctx.new_id)
    say(escape(f"Kept {path.name} with {record_id} as documents/{record_id}/{entry['file']} "
               "(consent-form)."))
    return str(entry["id"])


HELP_ORDER = 45


def register(app: typer.Typer) -> None:
    from rjcli.cli._help import help_with_values

    app.command(help=help_with_values(
        consent,
        ("KIND for a victim (V-...; parent-consent: a parent's for a victim under 18):",
         vocab.VICTIM_CONSENT_KINDS),
        ("KIND for a child (C-...):", vocab.CHILD_CONSENT_KINDS),
        ("ANSWER:", vocab.CONSENT_ANSWERS)))(consent)
