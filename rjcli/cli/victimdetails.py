"""``rj victim set``: a victim's self-defined ethnicity and monitoring, communication needs
and interpreter, and the police officer in the case (core/victimdetails.py)."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from rjcli.cli._work import done, refuse, save, victim_arg
from rjcli.cli.context import current, parse_day
from rjcli.cli.records import victim_app
from rjcli.core.victimdetails import DetailsChange, details_problems, details_updates

Text = Annotated[str | None, typer.Option(show_default=False)]


def _categories() -> list[str]:
    """The service's ethnicity categories (rj.yaml ``monitoring: ethnicity_categories``)."""
    monitoring = current().casebook.config.raw.get("monitoring")
    listed = monitoring.get("ethnicity_categories") if isinstance(monitoring, dict) else None
    return [str(c) for c in listed] if isinstance(listed, list) else []


def victim_set(
    record: Annotated[str, typer.Argument(help="The victim's record id.")],
    ethnicity: Annotated[str | None, typer.Option(help="Self-defined ethnicity, in the victim's own words (Somerset 5.2).", show_default=False)] = None,
    ethnicity_category: Annotated[str | None, typer.Option(help="The service's category (listed in rj.yaml under monitoring: ethnicity_categories).", show_default=False)] = None,
    sex: Annotated[str | None, typer.Option(help="female, male, other, not-known.", show_default=False)] = None,
    disability: Annotated[str | None, typer.Option(help="yes, no, not-known, prefers-not-to-say.", show_default=False)] = None,
    communication_needs: Annotated[str | None, typer.Option(help="How to communicate with them: hearing, sight, reading, speech and language.", show_default=False)] = None,
    language: Annotated[str | None, typer.Option(help="Their language, when it is not English.", show_default=False)] = None,
    interpreter: Annotated[bool | None, typer.Option("--interpreter/--no-interpreter", help="Whether an interpreter is needed.", show_default=False)] = None,
    officer: Annotated[str | None, typer.Option(help="The police officer in the case (name, rank, number).", show_default=False)] = None,
    officer_phone: Text = None,
    officer_email: Text = None,
    officer_spoken_to: Annotated[str | None, typer.Option(help="When the officer was spoken to (Somerset 6.2: before contacting the victim).", show_default=False)] = None,
    officer_note: Annotated[str | None, typer.Option(help="What the officer said: the impact statement, whether contact is appropriate.", show_default=False)] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the record as JSON.")] = False,
) -> None:
    """Set a victim's self-defined ethnicity and monitoring details, communication needs
    and interpreter, and the police officer in the case; only the options given change.

    Somerset 5.2 asks every victim record for self-defined ethnicity; monitoring details
    (the service's ethnicity category, sex, disability) are counted in reports, never
    printed in a letter and never copied to the child's record. Communication needs and
    an interpreter: Victims' Code right 1 (to understand and be understood). For a court
    referral, the officer in the case is spoken to before the victim is contacted
    (Somerset 6.2): rj show reminds you until --officer-spoken-to is recorded.

    Example: rj victim set V-0001 --language Polish --interpreter --officer "PC Dana Reeve"
    --officer-spoken-to 2026-06-12
    """
    ctx = current()
    record_id = victim_arg(record, "a victim's details")
    change = DetailsChange(
        ethnicity=ethnicity, ethnicity_category=ethnicity_category, sex=sex,
        disability=disability, communication_needs=communication_needs, language=language,
        interpreter=interpreter, officer=officer, officer_phone=officer_phone,
        officer_email=officer_email, officer_note=officer_note,
        officer_spoken_to=parse_day(officer_spoken_to, ctx.today, "--officer-spoken-to"))
    categories = _categories()
    refuse(details_problems(change, categories, ctx.today), hint="nothing was written")
    updates = details_updates(change, categories)

    def mutate(tree: Any) -> None:
        from rjcli.storage.edits import set_in

        for path, value in updates:
            set_in(tree, list(path), value)

    saved = save(record_id, mutate, "set details on")
    done(saved, as_json, f"{record_id}: set " + ", ".join(
        ".".join(path).replace("_", " ") for path, _ in updates) + ".")


HELP_ORDER = 22


def register(app: typer.Typer) -> None:
    """Adds to the ``victim`` group (rjcli.cli.records), once however many apps are built."""
    if "set" not in {c.name for c in victim_app.registered_commands}:
        victim_app.command("set")(victim_set)
