"""Ages from dates of birth (pure).

A victim under 18 on the allocation date is of kind ``under-18``: their parent or guardian
is contacted first and letters go to them (Somerset 6.4; Wait 'til Eight §5.4: under 14
only through the parent). Victims can be young children, so no lower age is refused for
a victim; a child whose case is opened must be at least 10, the age of criminal
responsibility in England and Wales. Nobody is older than 120: a date of birth that says
so is a typing slip.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rjcli.core.model import Victim

ADULT = 18
"""Victims' Code: a victim under 18 is a child, with a parent or guardian."""
CRIMINAL_RESPONSIBILITY = 10
"""The youngest a child can be whose case a youth justice service holds."""
OLDEST = 120
"""Older than this, the date of birth was mistyped."""


def age_on(dob: date, day: date) -> int:
    """Whole years from ``dob`` to ``day``."""
    return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))


def is_under_18(dob: date | None, day: date | None) -> bool:
    """True when a known date of birth makes the person under 18 on ``day``."""
    return dob is not None and day is not None and 0 <= age_on(dob, day) < ADULT


def victim_age_problem(dob: date | None, allocated: date) -> str | None:
    if dob is None or dob > allocated:
        return None
    age = age_on(dob, allocated)
    if age > OLDEST:
        return f"date of birth {dob} makes them {age} on {allocated}: check the year"
    return None


def child_age_problem(dob: date | None, today: date) -> str | None:
    if dob is None or dob > today:
        return None
    age = age_on(dob, today)
    if age < CRIMINAL_RESPONSIBILITY:
        return (f"date of birth {dob} makes the child {age} today: a child under "
                f"{CRIMINAL_RESPONSIBILITY} cannot have a youth justice case; check the year")
    if age > OLDEST:
        return f"date of birth {dob} makes them {age} today: check the year"
    return None


def kind_for_age(kind: str, dob: date | None, allocated: date) -> str:
    """An individual victim under 18 on the allocation date is of kind ``under-18``."""
    return "under-18" if kind == "individual" and is_under_18(dob, allocated) else kind


def victim_under_18(victim: Victim) -> bool:
    """Of kind under-18, or (a record made by hand) born less than 18 years before the
    allocation: either way the parent or guardian is written to, and signs with them."""
    return victim.kind == "under-18" or is_under_18(victim.dob, victim.referral.allocated)
