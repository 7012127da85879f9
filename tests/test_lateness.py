"""Recorded late (Wokingham 4): more than two working days from an event to its record.
``recorded_late`` asks the calendar only when more than two calendar days passed; it gives
exactly the calendar's answer for any two days (bank holidays and closures included)."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from rjcli.core.lateness import RECORD_WITHIN, recorded_late
from rjcli.storage.bank_holidays import build_calendar

CALENDAR = build_calendar("england", [date(2026, 12, 29), date(2026, 12, 30)],
                          range(2024, 2029))


@given(st.dates(date(2025, 1, 1), date(2027, 12, 31)), st.integers(-5, 12))
def test_recorded_late_is_the_calendars_answer(happened: date, days: int) -> None:
    recorded = happened + timedelta(days=days)
    expected = CALENDAR.working_days_between(happened, recorded) > RECORD_WITHIN
    assert recorded_late(happened, recorded, CALENDAR) == expected


def test_over_christmas_three_calendar_days_can_be_on_time_and_five_late() -> None:
    # Thursday 24 December 2026 -> Monday 28 December (a bank holiday in lieu): 0 working
    # days; -> Thursday 31 December, past two closure days: 1 working day
    assert not recorded_late(date(2026, 12, 24), date(2026, 12, 31), CALENDAR)
    # Monday 7 December -> Thursday 10 December: 3 working days
    assert recorded_late(date(2026, 12, 7), date(2026, 12, 10), CALENDAR)
