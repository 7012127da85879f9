"""Dates and times typed by a person: read day first, the UK way, or refused (rjcli.core.when)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from rjcli.core.when import NotUnderstood, parse_date, parse_moment, say_date, say_moment

TODAY = date(2026, 6, 10)
"""A Wednesday."""

DATES = {
    "2026-06-05": date(2026, 6, 5),
    "2026/06/05": date(2026, 6, 5),
    "05/06/2026": date(2026, 6, 5),
    "5/6/2026": date(2026, 6, 5),
    "15/06/2026": date(2026, 6, 15),
    "5/6/26": date(2026, 6, 5),
    "05/06/85": date(1985, 6, 5),
    "5.6.2026": date(2026, 6, 5),
    "05-06-2026": date(2026, 6, 5),
    "5/6": date(2026, 6, 5),
    "5 June 2026": date(2026, 6, 5),
    "5 june 2026": date(2026, 6, 5),
    "5th June 2026": date(2026, 6, 5),
    "5 Jun 2026": date(2026, 6, 5),
    "5 Jun": date(2026, 6, 5),
    "5 Sept": date(2026, 9, 5),
    "5 Jan": date(2026, 1, 5),
    "June 5, 2026": date(2026, 6, 5),
    "Friday 5 June 2026": date(2026, 6, 5),
    "Fri, 5th June 2026": date(2026, 6, 5),
    "today": TODAY,
    " Today ": TODAY,
    "yesterday": date(2026, 6, 9),
    "tomorrow": date(2026, 6, 11),
    "monday": date(2026, 6, 8),
    "Mon": date(2026, 6, 8),
    "last friday": date(2026, 6, 5),
    "wednesday": TODAY,
    "thursday": date(2026, 6, 4),
    "29/02/2028": date(2028, 2, 29),
    "1 January 1900": date(1900, 1, 1),
}


@pytest.mark.parametrize(("typed", "meant"), DATES.items())
def test_a_date_is_read_day_first(typed: str, meant: date) -> None:
    assert parse_date(typed, TODAY) == meant


MOMENTS = {
    "2026-06-05 10:15": datetime(2026, 6, 5, 10, 15),
    "2026-06-05T10:15": datetime(2026, 6, 5, 10, 15),
    "05/06/2026 10:00": datetime(2026, 6, 5, 10, 0),
    "15/06/2026 10:00": datetime(2026, 6, 15, 10, 0),
    "5 June 2026 at 10:15": datetime(2026, 6, 5, 10, 15),
    "yesterday 14:30": datetime(2026, 6, 9, 14, 30),
    "yesterday at 2.30pm": datetime(2026, 6, 9, 14, 30),
    "10:15": datetime(2026, 6, 10, 10, 15),
    "10.15am": datetime(2026, 6, 10, 10, 15),
    "10.15 am": datetime(2026, 6, 10, 10, 15),
    "2pm": datetime(2026, 6, 10, 14, 0),
    "2 pm yesterday": datetime(2026, 6, 9, 14, 0),
    "12am": datetime(2026, 6, 10, 0, 0),
    "12pm": datetime(2026, 6, 10, 12, 0),
    "noon": datetime(2026, 6, 10, 12, 0),
    "monday 9:00": datetime(2026, 6, 8, 9, 0),
    "5 Jun 16:45": datetime(2026, 6, 5, 16, 45),
    "5/6/26": datetime(2026, 6, 5, 9, 0),
}


@pytest.mark.parametrize(("typed", "meant"), MOMENTS.items())
def test_a_moment_is_read_day_first(typed: str, meant: datetime) -> None:
    assert parse_moment(typed, TODAY) == meant


REFUSED = {
    "06/15/2026": "has no month 15: dates are read day first (DD/MM/YYYY), so write 06/15 "
                  "as 15/06",
    "30/02/2026": "is not a real date",
    "2026-02-30": "is not a real date",
    "5 6 2026": "is not a date rj can read",
    "next week": "is not a date rj can read",
    "2026-6": "is not a date rj can read",
    "Monday 5 June 2026": "Friday 5 June 2026 is a Friday, not a Monday",
    "31/12/1899": "outside the years 1900 to 2100",
    "1/1/2101": "outside the years 1900 to 2100",
    "5 Jun 1066": "outside the years 1900 to 2100",
    "": "no date given",
    "2026-06-05 10:15": "has a time; give only a date",
}


@pytest.mark.parametrize(("typed", "why"), REFUSED.items())
def test_a_date_that_is_not_certain_is_refused(typed: str, why: str) -> None:
    with pytest.raises(NotUnderstood, match=why.replace("(", r"\(").replace(")", r"\)")):
        parse_date(typed, TODAY)


@pytest.mark.parametrize(("typed", "why"), {
    "25:00": "not a time of day",
    "14:30pm": "with am or pm the hour is 1 to 12",
    "10:75": "not a time of day",
    "yesterday 14:30 15:00": "is not a date rj can read",
    "soon": "is not a date rj can read",
}.items())
def test_a_time_that_is_not_certain_is_refused(typed: str, why: str) -> None:
    with pytest.raises(NotUnderstood, match=why):
        parse_moment(typed, TODAY)


def test_what_was_understood_is_said_in_words() -> None:
    assert say_date(date(2026, 6, 5)) == "Friday 5 June 2026"
    assert say_moment(datetime(2026, 6, 5, 10, 15)) == "Friday 5 June 2026 at 10:15"
