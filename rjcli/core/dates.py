"""Reading dates and times from record values (pure).

Dates are stored as plain YAML dates (``2026-04-01``); times of contacts as
``"2026-04-01 14:30"`` strings, which every YAML reader keeps as text.
"""

from __future__ import annotations

from datetime import date, datetime

UK_MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December",
)


def as_date(value: object) -> date | None:
    """A date from a YAML value (date, datetime or ISO text); None when empty or invalid."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None


def as_datetime(value: object) -> datetime | None:
    """A datetime from ``2026-04-01 14:30`` text (or a date, at midnight)."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def format_datetime(moment: datetime) -> str:
    """The stored form of a moment: ``2026-04-01 14:30``."""
    return moment.strftime("%Y-%m-%d %H:%M")


def uk_date(day: date) -> str:
    """UK letter style: ``13 April 2026``."""
    return f"{day.day} {UK_MONTHS[day.month - 1]} {day.year}"
