"""Tests for the working-day calendar and its bank-holiday source."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import lru_cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rjcli.core.calendar import WorkingCalendar, add_offset
from rjcli.storage.bank_holidays import REGIONS, bank_holiday_dates, build_calendar

D = date

# gov.uk bank holidays, England and Wales (identical lists), weekday dates only.
EXPECTED_BANK_HOLIDAYS: dict[int, list[date]] = {
    2024: [D(2024, 1, 1), D(2024, 3, 29), D(2024, 4, 1), D(2024, 5, 6),
           D(2024, 5, 27), D(2024, 8, 26), D(2024, 12, 25), D(2024, 12, 26)],
    2025: [D(2025, 1, 1), D(2025, 4, 18), D(2025, 4, 21), D(2025, 5, 5),
           D(2025, 5, 26), D(2025, 8, 25), D(2025, 12, 25), D(2025, 12, 26)],
    2026: [D(2026, 1, 1), D(2026, 4, 3), D(2026, 4, 6), D(2026, 5, 4),
           D(2026, 5, 25), D(2026, 8, 31), D(2026, 12, 25),
           D(2026, 12, 28)],  # Boxing Day (Sat 26th) substitute
    2027: [D(2027, 1, 1), D(2027, 3, 26), D(2027, 3, 29), D(2027, 5, 3),
           D(2027, 5, 31), D(2027, 8, 30),
           D(2027, 12, 27), D(2027, 12, 28)],  # Christmas Sat / Boxing Sun substitutes
    2028: [D(2028, 1, 3),  # New Year (Sat 1st) substitute
           D(2028, 4, 14), D(2028, 4, 17), D(2028, 5, 1),
           D(2028, 5, 29), D(2028, 8, 28), D(2028, 12, 25), D(2028, 12, 26)],
}
ALL_EXPECTED = frozenset(d for ds in EXPECTED_BANK_HOLIDAYS.values() for d in ds)

CLOSURES = frozenset({D(2026, 12, 24), D(2026, 12, 29), D(2026, 12, 30), D(2026, 12, 31),
                      D(2027, 7, 17)})  # last one is a Saturday: harmless
PROP_YEARS = range(2023, 2032)  # covers start 2028 + 60 WD and 2024 - 60 WD


@lru_cache(maxsize=None)
def england(with_closures: bool = False) -> WorkingCalendar:
    """England calendar over PROP_YEARS, built once (the holidays import is slow)."""
    return build_calendar("england", CLOSURES if with_closures else (), PROP_YEARS)


def brute_add(cal: WorkingCalendar, start: date, n: int) -> date:
    """Reference implementation: step one day at a time."""
    d, step, left = start, (1 if n > 0 else -1), abs(n)
    while left:
        d += timedelta(days=step)
        left -= cal.is_working_day(d)
    return d


def brute_between(cal: WorkingCalendar, a: date, b: date) -> int:
    """Reference implementation of the signed (a, b] count."""
    lo, hi, sign = (a, b, 1) if b >= a else (b, a, -1)
    days = (hi - lo).days
    return sign * sum(cal.is_working_day(lo + timedelta(days=i)) for i in range(1, days + 1))


# --- bank-holiday source ----------------------------------------------------------------

@pytest.mark.parametrize("region", ["england", "wales"])
@pytest.mark.parametrize("year", sorted(EXPECTED_BANK_HOLIDAYS))
def test_published_bank_holidays(region: str, year: int) -> None:
    assert bank_holiday_dates(region, range(year, year + 1)) == frozenset(
        EXPECTED_BANK_HOLIDAYS[year])


@pytest.mark.parametrize("region", ["england", "wales"])
def test_bank_holidays_multi_year_and_no_weekends(region: str) -> None:
    got = bank_holiday_dates(region, range(2024, 2029))
    assert got == ALL_EXPECTED
    assert all(d.weekday() < 5 for d in got)
    assert D(2026, 12, 26) not in got  # Saturday Boxing Day filtered; Mon 28th is the substitute


def test_region_names() -> None:
    assert REGIONS == {"england": "ENG", "wales": "WLS"}
    years = range(2024, 2029)
    assert bank_holiday_dates("wales", years) == bank_holiday_dates("england", years)


@pytest.mark.parametrize("bad", ["scotland", "ENG", "England", ""])
def test_unknown_region(bad: str) -> None:
    with pytest.raises(ValueError, match="england, wales"):
        bank_holiday_dates(bad, range(2026, 2027))
    with pytest.raises(ValueError, match="allowed regions"):
        build_calendar(bad, (), range(2026, 2027))


# --- examples ---------------------------------------------------------------------------

def test_headline_easter_example() -> None:
    # Wokingham 5: allocation Wed 1 Apr 2026, reply within 5 WD -> Fri 10 Apr.
    assert england().add_working_days(D(2026, 4, 1), 5) == D(2026, 4, 10)
    assert england().working_days_between(D(2026, 4, 1), D(2026, 4, 10)) == 5


def test_christmas_2026() -> None:
    cal = england()
    assert cal.add_working_days(D(2026, 12, 24), 1) == D(2026, 12, 29)  # 25th, w/e, 28th sub
    assert cal.next_working_day(D(2026, 12, 24)) == D(2026, 12, 29)
    assert not cal.is_working_day(D(2026, 12, 28))
    assert cal.working_days_between(D(2026, 12, 24), D(2026, 12, 29)) == 1
    assert cal.add_working_days(D(2026, 12, 29), -1) == D(2026, 12, 24)


def test_christmas_2027() -> None:
    cal = england()
    assert cal.add_working_days(D(2027, 12, 24), 1) == D(2027, 12, 29)  # 27th, 28th subs
    assert cal.add_working_days(D(2027, 12, 23), 3) == D(2027, 12, 30)
    assert not cal.is_working_day(D(2027, 12, 27))
    assert not cal.is_working_day(D(2027, 12, 28))


def test_closure_days_skipped() -> None:
    cal = build_calendar("england", [D(2026, 12, 24)], range(2026, 2028))
    assert not cal.is_working_day(D(2026, 12, 24))
    assert cal.add_working_days(D(2026, 12, 23), 1) == D(2026, 12, 29)
    assert cal.working_days_between(D(2026, 12, 22), D(2026, 12, 29)) == 2  # 23rd, 29th
    shutdown = england(with_closures=True)  # closed 24 Dec - 31 Dec 2026
    assert shutdown.add_working_days(D(2026, 12, 23), 1) == D(2027, 1, 4)


def test_zero_negative_and_weekend_starts() -> None:
    cal = england()
    assert cal.add_working_days(D(2026, 4, 4), 0) == D(2026, 4, 4)  # Saturday unchanged
    assert cal.add_working_days(D(2026, 4, 4), 1) == D(2026, 4, 7)  # Easter Monday skipped
    assert cal.add_working_days(D(2026, 4, 7), -1) == D(2026, 4, 2)
    assert cal.working_days_between(D(2026, 4, 10), D(2026, 4, 1)) == -5
    assert cal.working_days_between(D(2026, 4, 1), D(2026, 4, 1)) == 0


def test_calendar_days_hours_and_add_offset() -> None:
    cal = england()
    start = D(2026, 4, 1)
    assert cal.add_calendar_days(start, 28) == D(2026, 4, 29)
    assert cal.add_hours(datetime(2026, 4, 1, 15, 30), 48) == datetime(2026, 4, 3, 15, 30)
    assert add_offset(cal, start, 5, "working-days") == D(2026, 4, 10)
    assert add_offset(cal, start, 5, "calendar-days") == D(2026, 4, 6)
    assert add_offset(cal, start, 48, "hours") == D(2026, 4, 3)
    assert add_offset(cal, start, 23, "hours") == start
    with pytest.raises(ValueError, match="working-days"):
        add_offset(cal, start, 5, "weeks")


def test_empty_calendar_is_plain_weekdays() -> None:
    cal = WorkingCalendar(frozenset())
    assert cal.add_working_days(D(2026, 4, 3), 1) == D(2026, 4, 6)  # Fri -> Mon
    assert cal.add_working_days(D(2026, 4, 1), 10) == D(2026, 4, 15)


# --- properties -------------------------------------------------------------------------

starts = st.dates(min_value=D(2024, 1, 1), max_value=D(2028, 12, 31))
counts = st.integers(min_value=0, max_value=60)
cals = st.sampled_from([False, True]).map(england)


@settings(max_examples=200, deadline=None)
@given(cal=cals, start=starts, n=counts)
def test_result_is_working_day_and_round_trips(cal: WorkingCalendar, start: date, n: int) -> None:
    end = cal.add_working_days(start, n)
    if n > 0:
        assert end > start
        assert end.weekday() < 5
        assert end not in cal.non_working
        assert end not in ALL_EXPECTED
        if cal is england(True):
            assert end not in CLOSURES
    assert cal.working_days_between(start, end) == n
    assert end == brute_add(cal, start, n)


@settings(max_examples=200, deadline=None)
@given(cal=cals, start=starts, n=counts)
def test_monotonic_in_n(cal: WorkingCalendar, start: date, n: int) -> None:
    assert cal.add_working_days(start, n) < cal.add_working_days(start, n + 1)


@settings(max_examples=200, deadline=None)
@given(cal=cals, d=starts)
def test_next_working_day_is_plus_one(cal: WorkingCalendar, d: date) -> None:
    assert cal.next_working_day(d) == cal.add_working_days(d, 1)


@settings(max_examples=200, deadline=None)
@given(cal=cals, start=starts, n=st.integers(min_value=-60, max_value=60))
def test_matches_brute_force_both_directions(cal: WorkingCalendar, start: date, n: int) -> None:
    assert cal.add_working_days(start, n) == brute_add(cal, start, n)


@settings(max_examples=100, deadline=None)
@given(cal=cals, a=starts, b=starts)
def test_between_matches_brute_force(cal: WorkingCalendar, a: date, b: date) -> None:
    assert cal.working_days_between(a, b) == brute_between(cal, a, b)
    assert cal.working_days_between(b, a) == -cal.working_days_between(a, b)


@settings(max_examples=150, deadline=None)
@given(
    closed=st.frozensets(st.dates(min_value=D(2026, 1, 1), max_value=D(2026, 3, 31)), max_size=60),
    start=st.dates(min_value=D(2025, 12, 1), max_value=D(2026, 4, 30)),
    n=st.integers(min_value=-40, max_value=40),
)
def test_dense_closures_match_brute_force(closed: frozenset[date], start: date, n: int) -> None:
    cal = WorkingCalendar(closed)
    end = cal.add_working_days(start, n)
    assert end == brute_add(cal, start, n)
    if n > 0:
        assert cal.is_working_day(end)
        assert cal.working_days_between(start, end) == n
