"""The options ``rj victim new`` and ``rj victim set`` share for a victim's monitoring,
communication and police-officer details (core/victimdetails.py), and their checking."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

import typer

from rjcli.core.victimdetails import (
    DetailsChange,
    detail_problems,
    details_updates,
    ethnicity_categories,
)

Ethnicity = Annotated[str | None, typer.Option(
    help="Self-defined ethnicity, in the victim's own words (Somerset 5.2).", show_default=False)]
EthnicityCategory = Annotated[str | None, typer.Option(
    help="The service's category (listed in rj.yaml under monitoring: ethnicity_categories).",
    show_default=False)]
Sex = Annotated[str | None, typer.Option(help="female, male, other, not-known.",
                                         show_default=False)]
Disability = Annotated[str | None, typer.Option(
    help="yes, no, not-known, prefers-not-to-say.", show_default=False)]
CommunicationNeeds = Annotated[str | None, typer.Option(
    help="How to communicate with them: hearing, sight, reading, speech and language.",
    show_default=False)]
Language = Annotated[str | None, typer.Option(help="Their language, when it is not English.",
                                              show_default=False)]
Interpreter = Annotated[bool | None, typer.Option(
    "--interpreter/--no-interpreter", help="Whether an interpreter is needed.",
    show_default=False)]
Officer = Annotated[str | None, typer.Option(
    help="The police officer in the case (name, rank, number).", show_default=False)]
OfficerContact = Annotated[str | None, typer.Option(show_default=False)]
OfficerSpokenTo = Annotated[str | None, typer.Option(
    help="When the officer was spoken to (Somerset 6.2: before contacting the victim).",
    show_default=False)]
OfficerNote = Annotated[str | None, typer.Option(
    help="What the officer said: the impact statement, whether contact is appropriate.",
    show_default=False)]


def categories() -> list[str]:
    """The service's ethnicity categories (rj.yaml ``monitoring: ethnicity_categories``)."""
    from rjcli.cli.context import current

    return ethnicity_categories(current().casebook.config.raw)


def checked_details(change: DetailsChange, today: date) -> tuple[
        list[str], list[tuple[tuple[str, ...], Any]]]:
    """(problems, the record's updates) for the details given."""
    listed = categories()
    problems = [message for _, message in detail_problems(change, listed, today)]
    return problems, details_updates(change, listed)
