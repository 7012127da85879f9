"""Dates and times as Welsh letters write them (pure: no clock, no files).

``15 Mehefin 2026``, ``Dydd Llun 15 Mehefin 2026``, ``4yh``. Month and day names as
public services in Wales print them. Mutation: these forms are written so that no
mutation is needed where rj's Welsh templates put them. A date written with digits
(``15 Mehefin 2026``) is not mutated after a preposition (``ar 15 Mehefin``), and the
templates put a weekday only at the start of a line or after ``erbyn`` ("by"), which
causes no mutation (``erbyn dydd Llun``). After ``ar`` ("on") a weekday would mutate
(``ar ddydd Llun``), and on its own as an adverb too (``ddydd Llun``): the templates
avoid both, so no mutation rule is applied here.
"""

from __future__ import annotations

import re
from datetime import date, time

from rjcli.core.dates import UK_MONTHS

MONTHS = ("Ionawr", "Chwefror", "Mawrth", "Ebrill", "Mai", "Mehefin", "Gorffennaf",
          "Awst", "Medi", "Hydref", "Tachwedd", "Rhagfyr")
"""January to December."""

WEEKDAYS = ("Dydd Llun", "Dydd Mawrth", "Dydd Mercher", "Dydd Iau", "Dydd Gwener",
            "Dydd Sadwrn", "Dydd Sul")
"""Monday to Sunday (``date.weekday()`` order), as at the start of a line."""

ENGLISH_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
                    "Sunday")

_UK_DATE = re.compile(r"(\d{1,2}) ([A-Z][a-z]+) (\d{4})")


def welsh_date(day: date) -> str:
    """``15 Mehefin 2026``: the Welsh of :func:`rjcli.core.dates.uk_date`."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def welsh_weekday(day: date, *, in_sentence: bool = False) -> str:
    """``Dydd Llun`` (``dydd Llun`` within a sentence, as Welsh writes it)."""
    name = WEEKDAYS[day.weekday()]
    return name[0].lower() + name[1:] if in_sentence else name


def welsh_day_date(day: date, *, in_sentence: bool = False) -> str:
    """``Dydd Llun 15 Mehefin 2026`` (``dydd Llun ...`` within a sentence)."""
    return f"{welsh_weekday(day, in_sentence=in_sentence)} {welsh_date(day)}"


def welsh_time(moment: time) -> str:
    """A time as Welsh letters write it: ``10yb`` (y bore), ``4yh`` (yr hwyr, used for
    every time after noon, as on Welsh public notices), ``4:30yh``, ``hanner dydd``."""
    if (moment.hour, moment.minute) == (12, 0):
        return "hanner dydd"
    hour = moment.hour % 12 or 12
    suffix = "yb" if moment.hour < 12 else "yh"
    return f"{hour}{suffix}" if moment.minute == 0 else f"{hour}:{moment.minute:02d}{suffix}"


def date_from_uk(text: str) -> date | None:
    """The date a :func:`rjcli.core.dates.uk_date` text names (``13 April 2026``), or None
    when ``text`` is not exactly one."""
    found = _UK_DATE.fullmatch(text.strip())
    if not found or found.group(2) not in UK_MONTHS:
        return None
    try:
        return date(int(found.group(3)), UK_MONTHS.index(found.group(2)) + 1,
                    int(found.group(1)))
    except ValueError:
        return None


def welsh_from_uk(text: str | None) -> str | None:
    """A UK letter date (``13 April 2026``) in Welsh (``13 Ebrill 2026``); None stays None.

    ValueError when the text is not such a date: a Welsh letter never prints an English
    date by mistake.
    """
    if text is None:
        return None
    day = date_from_uk(text)
    if day is None:
        raise ValueError(f"'{text}' is not a date written as '13 April 2026'")
    return welsh_date(day)


def weekday_from_english(name: str | None) -> str | None:
    """``Monday`` as ``Dydd Llun``; None stays None; ValueError for anything else."""
    if name is None:
        return None
    if name not in ENGLISH_WEEKDAYS:
        raise ValueError(f"'{name}' is not a day of the week in English")
    return WEEKDAYS[ENGLISH_WEEKDAYS.index(name)]


_UK_TIME = re.compile(r"(\d{1,2})(?::(\d{2}))?(am|pm)")


def time_from_uk(text: str | None) -> str | None:
    """A time as :func:`rjcli.core.letters.uk_time` writes it (``4pm``, ``4:30pm``,
    ``12 noon``) in Welsh; None stays None; ValueError for anything else."""
    if text is None:
        return None
    if text == "12 noon":
        return welsh_time(time(12, 0))
    found = _UK_TIME.fullmatch(text)
    if not found or not 1 <= int(found.group(1)) <= 12:
        raise ValueError(f"'{text}' is not a time written as '4pm' or '4:30pm'")
    hour = int(found.group(1)) % 12 + (12 if found.group(3) == "pm" else 0)
    return welsh_time(time(hour, int(found.group(2) or 0)))
