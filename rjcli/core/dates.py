"""Reading dates and times from record values (pure).

Dates are stored as plain YAML dates (``2026-04-01``); times of contacts as
``"2026-04-01 14:30"`` strings, which every YAML reader keeps as text.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache

from rjcli.core.limits import FIRST_DAY, LAST_DAY

UK_MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December",
)


def check_in_range(day: date, what: str = "date") -> str | None:
    """Why ``day`` (a date or a datetime) is outside the dates rj keeps, limits.FIRST_DAY to
    limits.LAST_DAY; None when it is inside. Every date read from a record or typed by a
    person is held to these bounds before any rule adds days to it."""
    if FIRST_DAY <= (day.date() if isinstance(day, datetime) else day) <= LAST_DAY:
        return None
    return f"{what} is outside the dates rj keeps ({FIRST_DAY} to {LAST_DAY})"


def as_date(value: object) -> date | None:
    """A date from a YAML value (date, datetime or ISO text); None when empty, invalid or
    outside the dates rj keeps (the reader refuses such a value; this is the backstop)."""
    if value is None or value == "":
        return None
    day: date | None = None
    if isinstance(value, str):
        return _date_of_text(value)
    if isinstance(value, datetime):
        day = value.date()
    elif isinstance(value, date):
        day = value
    return day if day is not None and check_in_range(day) is None else None


@lru_cache(maxsize=1 << 16)
def _date_of_text(value: str) -> date | None:
    """:func:`as_date` of a text (the same few thousand dates recur in every report)."""
    try:
        day = date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None
    return day if check_in_range(day) is None else None


def as_datetime(value: object) -> datetime | None:
    """A datetime from ``2026-04-01 14:30`` text (or a date, at midnight); None as for
    ``as_date``."""
    if value is None or value == "":
        return None
    moment: datetime | None = None
    if isinstance(value, str):
        return _datetime_of_text(value)
    if isinstance(value, datetime):
        moment = value.replace(tzinfo=None)
    elif isinstance(value, date):
        moment = datetime(value.year, value.month, value.day)
    return moment if moment is not None and check_in_range(moment) is None else None


@lru_cache(maxsize=1 << 16)
def _datetime_of_text(value: str) -> datetime | None:
    """:func:`as_datetime` of a text (dates and datetimes are immutable: kept once read)."""
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if moment.tzinfo is not None:
        moment = moment.replace(tzinfo=None)
    return moment if check_in_range(moment) is None else None


def format_datetime(moment: datetime) -> str:
    """The stored form of a moment: ``2026-04-01 14:30``."""
    return moment.strftime("%Y-%m-%d %H:%M")


def uk_date(day: date) -> str:
    """UK letter style: ``13 April 2026``."""
    return f"{day.day} {UK_MONTHS[day.month - 1]} {day.year}"
