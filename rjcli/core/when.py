"""Dates and times typed by a person, read the UK way (pure: "today" is a parameter).

One reader for every date or time option and for ``--today``/``RJ_TODAY``. Day first,
always: ``05/06/2026`` is 5 June 2026. Anything that cannot be read for certain is
refused with the forms that are accepted (``ACCEPTED``), never guessed:

- dates: ``2026-06-05``, ``05/06/2026``, ``5/6/26``, ``5.6.2026``, ``5 June 2026``,
  ``5 Jun`` (the year that puts it nearest today), ``Friday 5 June 2026``, ``today``,
  ``yesterday``, ``tomorrow``, a weekday (``monday``, ``last monday``: the last such day;
  on a Monday, "monday" is today);
- times: ``10:15``, ``10.15``, ``10.15am``, ``2pm``, ``2 pm``, ``noon``;
- both: ``yesterday 14:30``, ``5 June 2026 at 10:15``, ``2026-06-05T10:15``.

A two-digit year is this century unless that is more than ten years ahead of today
(``5/6/85`` is 1985). US order (``06/15/2026``) is refused: there is no month 15.
Dates outside 1900-2100 are refused.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from rjcli.core.dates import UK_MONTHS, check_in_range
from rjcli.core.limits import FIRST_DAY, LAST_DAY

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY_NAMES = {**{w: i for i, w in enumerate(WEEKDAYS)},
                  **{w[:3]: i for i, w in enumerate(WEEKDAYS)},
                  "tues": 1, "weds": 2, "thur": 3, "thurs": 3}
_MONTH_NAMES = {**{m.lower(): i + 1 for i, m in enumerate(UK_MONTHS)},
                **{m[:3].lower(): i + 1 for i, m in enumerate(UK_MONTHS)}, "sept": 9}

ACCEPTED_DATES = ("2026-06-05, 05/06/2026, 5/6/26, 5 June 2026, 5 Jun, today, yesterday, "
                  "tomorrow, monday (the last Monday)")
ACCEPTED_TIMES = "10:15, 14:30, 10.15am, 2pm"
ACCEPTED = f"dates (day first): {ACCEPTED_DATES}; times: {ACCEPTED_TIMES}; " \
           "both: 'yesterday 14:30', '05/06/2026 10:15'"


class NotUnderstood(ValueError):
    """Text that is not a date (or time) rj can read for certain; the message says why."""


_TIME = re.compile(r"(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?")
_NUMERIC = re.compile(r"(\d{1,4})([/.-])(\d{1,2})(?:\2(\d{2}|\d{4}))?")


def _clean(text: str) -> list[str]:
    """Lower case words, commas and ordinal endings (5th) gone, 'at' and 'on' dropped."""
    text = text.strip().lower().replace(",", " ")
    text = re.sub(r"^(\d{4}-\d{2}-\d{2})t(\d)", r"\1 \2", text)  # ISO 2026-06-05T10:15
    text = re.sub(r"\b(\d{1,2})(st|nd|rd|th)\b", r"\1", text)
    text = re.sub(r"(\d)\s+(am|pm)\b", r"\1\2", text)
    return [w for w in text.split() if w not in ("at", "on", "the", "of")]


def _bounded(day: date, text: str) -> date:
    """``day`` within the dates rj keeps (rjcli.core.limits), in the words of the records'
    own check (rjcli.core.dates.check_in_range)."""
    problem = check_in_range(day, f"'{text}'")
    if problem:
        raise NotUnderstood(problem)
    return day


def _real(year: int, month: int, day: int, text: str) -> date:
    try:
        meant = date(year, month, day)
    except ValueError:
        if month > 12 and day <= 12:
            raise NotUnderstood(f"'{text}' has no month {month}: dates are read day first "
                                f"(DD/MM/YYYY), so write {day:02d}/{month:02d} as "
                                f"{month:02d}/{day:02d}") from None
        if not FIRST_DAY.year <= year <= LAST_DAY.year:
            outside = FIRST_DAY - timedelta(days=1)  # any day outside: the same words
            raise NotUnderstood(str(check_in_range(outside, f"'{text}'"))) from None
        raise NotUnderstood(f"'{text}' is not a real date") from None
    return _bounded(meant, text)


def _full_year(two_digits: int, today: date) -> int:
    year = 2000 + two_digits
    return year if year <= today.year + 10 else year - 100


def _nearest_year(month: int, day: int, today: date, text: str) -> date:
    """A day and month without a year: the one of last year, this year or next year nearest
    to today (so '5 Jun' in December is next June, in July the June just gone)."""
    if not 1 <= month <= 12 or not 1 <= day <= 31:
        raise NotUnderstood(f"'{text}' is not a real date")
    candidates = []
    for year in (today.year - 1, today.year, today.year + 1):
        try:
            candidates.append(date(year, month, day))
        except ValueError:
            continue
    if not candidates:
        raise NotUnderstood(f"'{text}' is not a real date")
    return _bounded(min(candidates, key=lambda d: abs((d - today).days)), text)


def _numeric(word: str, today: date, text: str) -> date | None:
    match = _NUMERIC.fullmatch(word)
    if match is None:
        return None
    first, sep, second, third = match.groups()
    if len(first) == 4:  # year first: 2026-06-05 or 2026/06/05
        if third is None or len(third) > 2:
            return None
        return _real(int(first), int(second), int(third), text)
    if len(first) == 3:
        return None
    if third is None:
        return None if sep != "/" else _nearest_year(int(second), int(first), today, text)
    year = int(third) if len(third) == 4 else _full_year(int(third), today)
    return _real(year, int(second), int(first), text)


def _named_month(words: list[str], today: date, text: str) -> date | None:
    """'5 June 2026', '5 Jun', 'June 5 2026' (a month name says which number is the day)."""
    months = [i for i, w in enumerate(words) if w in _MONTH_NAMES]
    if len(months) != 1 or not all(w.isdigit() for i, w in enumerate(words) if i != months[0]):
        return None
    month = _MONTH_NAMES[words[months[0]]]
    numbers = [int(w) for i, w in enumerate(words) if i != months[0]]
    if len(numbers) == 1 and numbers[0] <= 31:
        return _nearest_year(month, numbers[0], today, text)
    if len(numbers) == 2 and numbers[0] <= 31 and len(words[-1]) == 4 and months[0] < 2:
        return _real(numbers[1], month, numbers[0], text)
    return None


def _weekday_before(weekday: int, today: date) -> date:
    """The last such weekday: today if today is one."""
    return today - timedelta(days=(today.weekday() - weekday) % 7)


def _date_words(words: list[str], today: date, text: str) -> date:
    if not words:
        raise NotUnderstood(f"'{text}' has no date")
    relative = {"today": 0, "yesterday": -1, "tomorrow": 1}
    if len(words) == 1 and words[0] in relative:
        return today + timedelta(days=relative[words[0]])
    if words[0] == "last" and len(words) == 2 and words[1] in _WEEKDAY_NAMES:
        return _weekday_before(_WEEKDAY_NAMES[words[1]], today)
    if len(words) == 1 and words[0] in _WEEKDAY_NAMES:
        return _weekday_before(_WEEKDAY_NAMES[words[0]], today)
    named_weekday = None
    if len(words) > 1 and words[0] in _WEEKDAY_NAMES:  # 'Friday 5 June 2026': must agree
        named_weekday, words = _WEEKDAY_NAMES[words[0]], words[1:]
    day = _numeric(words[0], today, text) if len(words) == 1 else _named_month(words, today,
                                                                               text)
    if day is None:
        raise NotUnderstood(f"'{text}' is not a date rj can read")
    if named_weekday is not None and day.weekday() != named_weekday:
        raise NotUnderstood(f"'{text}': {say_date(day)} is a {WEEKDAYS[day.weekday()].title()}, "
                            f"not a {WEEKDAYS[named_weekday].title()}")
    return day


def _time_word(word: str) -> time | None:
    """'10:15', '10.15am', '2pm', '14:30', 'noon'; None when the word is not a time."""
    if word in ("noon", "midday"):
        return time(12, 0)
    match = _TIME.fullmatch(word)
    if match is None or (match.group(2) is None and match.group(3) is None):
        return None
    hour, minute, half = int(match.group(1)), int(match.group(2) or 0), match.group(3)
    if half:
        if not 1 <= hour <= 12:
            raise NotUnderstood(f"'{word}' is not a time: with am or pm the hour is 1 to 12")
        hour = hour % 12 + (12 if half == "pm" else 0)
    if hour > 23 or minute > 59:
        raise NotUnderstood(f"'{word}' is not a time of day")
    return time(hour, minute)


def _split_time(words: list[str]) -> tuple[list[str], time | None]:
    """The date words and the time, which may come last or first."""
    for position in (-1, 0):
        if words and (found := _time_word(words[position])) is not None:
            rest = words[:-1] if position == -1 else words[1:]
            return rest, found
    return words, None


def parse_date(text: str, today: date) -> date:
    """The date ``text`` means, read day first; NotUnderstood when it is not certain."""
    words = _clean(text)
    if not words:
        raise NotUnderstood("no date given")
    if _split_time(words)[1] is not None:
        raise NotUnderstood(f"'{text}' has a time; give only a date")
    return _date_words(words, today, text)


def parse_moment(text: str, today: date, default_time: time = time(9, 0)) -> datetime:
    """The date and time ``text`` means: a time alone is today, a date alone is at
    ``default_time``; NotUnderstood when it is not certain."""
    words = _clean(text)
    if not words:
        raise NotUnderstood("no date or time given")
    rest, found = _split_time(words)
    day = _date_words(rest, today, text) if rest else today
    return datetime.combine(day, found if found is not None else default_time)


def say_date(day: date) -> str:
    """In words: 'Friday 5 June 2026'."""
    return f"{WEEKDAYS[day.weekday()].title()} {day.day} {UK_MONTHS[day.month - 1]} {day.year}"


def say_moment(moment: datetime) -> str:
    """In words: 'Friday 5 June 2026 at 10:15'."""
    return f"{say_date(moment.date())} at {moment:%H:%M}"
