"""``rj victim set``: a victim's self-defined ethnicity and monitoring, communication needs
and interpreter, and the police officer in the case (core/victimdetails.py)."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from rjcli.cli._details import (
    CommunicationNeeds,
    Disability,
    Ethnicity,
    EthnicityCategory,
    Interpreter,
    Language,
    Officer,
    OfficerContact,
    OfficerNote,
    OfficerSpokenTo,
    Sex,
    checked_details,
)
from rjcli.cli._work import done, refuse, save, victim_arg
from rjcli.cli.context import current, parse_day
from rjcli.cli.records import victim_app
from rjcli.core.victimdetails import DetailsChange, given


def victim_set(
    record: Annotated[str, typer.Argument(help="The victim's record id.")],
    ethnicity: Ethnicity = None,
    ethnicity_category: EthnicityCategory = None,
    sex: Sex = None,
    disability: Disability = None,
    communication_needs: CommunicationNeeds = None,
    language: Language = None,
    interpreter: Interpreter = None,
    officer: Officer = None,
    officer_phone: OfficerContact = None,
    officer_email: OfficerContact = None,
    officer_spoken_to: OfficerSpokenTo = None,
    officer_note: OfficerNote = None,
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
    problems, updates = checked_details(change, ctx.today)
    if not given(change):
        problems.insert(0, "nothing to set: give at least one option (rj victim set --help)")
    refuse(problems, hint="nothing was written")

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
