"""The referral screening (Tower Hamlets appendix 1 (a-d)): within 48 hours of allocation,
whether there is a victim we can identify, whether the Probation Victim Contact Scheme is
involved, and whether the victim agreed to be contacted (pure).

``rj screen`` records it as the record's ``screening`` mapping (schemas/victim.schema.json),
which meets the Tower Hamlets rule ``screen-referral``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from rjcli.core.dates import as_date, uk_date

ANSWERS = {"yes": True, "no": False}
"""How a screening answer is typed, and what the record keeps."""

QUESTIONS = (("--identifiable", "identifiable_victim"), ("--vcs", "vcs_involved"),
             ("--consented", "consented"))
"""The option of each screening answer and the field it fills."""


def screening_problems(answers: Mapping[str, str], day: date, today: date,
                       already: Mapping[str, Any] | None, record_id: str) -> list[str]:
    """Why the screening cannot be recorded: an answer not yes or no, a day in the future,
    or a screening recorded already (it is kept as it is: rj edit changes it)."""
    problems = [f"{option} '{answers[option]}' is not one of: yes, no"
                for option, _ in QUESTIONS if answers[option].strip().casefold() not in ANSWERS]
    if day > today:
        problems.append(f"the date {uk_date(day)} is in the future")
    if already:
        when = as_date(already.get("date"))
        problems.append(f"{record_id} was screened already on "
                        f"{uk_date(when) if when else 'a day not recorded'}: "
                        "change it with rj edit")
    return problems


def screening_entry(answers: Mapping[str, str], day: date, note: str | None,
                    by: str | None) -> dict[str, Any]:
    """The ``screening`` mapping, in the order the schema lists its fields."""
    entry: dict[str, Any] = {"date": day}
    if by:
        entry["by"] = by
    for option, field in QUESTIONS:
        entry[field] = ANSWERS[answers[option].strip().casefold()]
    if note and note.strip():
        entry["note"] = note.strip()
    return entry
