"""Entries written down late (pure): the two clocks compared.

A contact's ``at`` is when it happened, on the working date the worker gave;
``recorded_at`` is when rj wrote it down, by the machine's clock. Contacts are recorded
within two working days (Wokingham 4): an entry written down later than that is shown as
recorded late, so that a worker catching up months afterwards never looks on time.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date
from typing import Any

from rjcli.core.calendar import WorkingCalendar
from rjcli.core.dates import as_date, as_datetime, uk_date
from rjcli.core.timeline import Event

RECORD_WITHIN = 2
"""Working days from an event to its record (Wokingham 4)."""
DATED_LOGS = (("contacts", "at"),)
"""The logs held to the rule, with the field of each entry that says when it happened.
(A consent's date is when it was given, often on a form long before allocation: its
recording is not late.)"""


def recording_times(record: Mapping[str, Any]) -> dict[str, tuple[date, date]]:
    """Entry id -> (the day it happened, the day it was written down), for every entry of
    the held logs that says both (entries made before rj kept the second clock do not)."""
    times: dict[str, tuple[date, date]] = {}
    for key, own_date in DATED_LOGS:
        entries = record.get(key)
        for entry in entries if isinstance(entries, list) else []:
            if not isinstance(entry, Mapping):
                continue
            happened = as_date(entry.get(own_date))
            recorded = as_datetime(entry.get("recorded_at"))
            if happened is None or recorded is None or not entry.get("id"):
                continue
            times[str(entry["id"])] = (happened, recorded.date())
    return times


def recorded_late(happened: date, recorded: date, calendar: WorkingCalendar) -> bool:
    """Written down more than ``RECORD_WITHIN`` working days after it happened (an entry
    written within that many calendar days cannot be: the calendar is not asked)."""
    return ((recorded - happened).days > RECORD_WITHIN
            and calendar.working_days_between(happened, recorded) > RECORD_WITHIN)


def late_entries(record: Mapping[str, Any], calendar: WorkingCalendar) -> dict[str, date]:
    """Entry id -> the day it was written down, for every entry recorded more than
    ``RECORD_WITHIN`` working days after it happened."""
    return {entry: recorded for entry, (happened, recorded) in recording_times(record).items()
            if recorded_late(happened, recorded, calendar)}


def late_words(recorded: date) -> str:
    """'recorded late, on 4 December 2026'."""
    return f"recorded late, on {uk_date(recorded)}"


def mark_late(events: Sequence[Event], late: Mapping[str, date]) -> list[Event]:
    """The timeline with each late entry's text saying when it was written down."""
    return [replace(e, text=f"{e.text} ({late_words(late[e.entry])})")
            if e.entry is not None and e.entry in late else e for e in events]
