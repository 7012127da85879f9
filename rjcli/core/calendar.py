"""Working-day arithmetic for statutory and local-policy deadlines.

Pure code: no IO, no clock, no third-party holiday data.  The bank-holiday
source lives in :mod:`rjcli.storage.bank_holidays`.

Deadlines in victim work are mostly expressed in working days (e.g.
"Wokingham 5: reply within 5 working days"; the Victims' Code contact
windows), so a working day is Monday-Friday less bank holidays and the
service's own closure days (e.g. the Christmas shutdown).

Implementation note: a date is mapped to its *weekday index* (the number
of Mondays-Fridays between 0001-01-01 and the date) in O(1).  Non-working
weekdays are kept as a sorted tuple of weekday indices, so counting and
stepping working days is a couple of ``bisect`` calls, not a day-by-day
loop.  This matters because deadlines are computed ~100k times per run.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

UNITS: tuple[str, ...] = ("working-days", "calendar-days", "hours")


def _weekdays_before(d: date) -> int:
    """Number of Monday-Friday dates strictly before ``d`` (since 0001-01-01, a Monday)."""
    z = d.toordinal() - 1
    return (z // 7) * 5 + min(z % 7, 5)


def _date_of_weekday_index(j: int) -> date:
    """Inverse of :func:`_weekdays_before` for weekdays: the weekday whose index is ``j``."""
    return date.fromordinal((j // 5) * 7 + j % 5 + 1)


@dataclass(frozen=True)
class WorkingCalendar:
    """Monday-Friday less bank holidays and the service's closure days."""

    non_working: frozenset[date]  # bank holidays + closure days (weekends are implicit)
    _closed_idx: tuple[int, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        """Precompute sorted weekday indices of non-working weekdays (weekends are redundant)."""
        idx = sorted(_weekdays_before(d) for d in self.non_working if d.weekday() < 5)
        object.__setattr__(self, "_closed_idx", tuple(idx))

    def _working_before(self, d: date) -> int:
        """Number of working days strictly before ``d`` (relative to 0001-01-01)."""
        j = _weekdays_before(d)
        return j - bisect_left(self._closed_idx, j)

    def _date_of_working_index(self, k: int) -> date:
        """The working day with exactly ``k`` working days before it.

        Least fixed point of ``j = k + #closed(<= j)``: iterating from ``k``
        climbs monotonically and stops on a weekday index that is not closed.
        Usually 1-2 iterations since closures are sparse.
        """
        j = k
        while True:
            nxt = k + bisect_right(self._closed_idx, j)
            if nxt == j:
                return _date_of_weekday_index(j)
            j = nxt

    def is_working_day(self, d: date) -> bool:
        """True for Monday-Friday dates that are neither bank holidays nor closure days."""
        return d.weekday() < 5 and d not in self.non_working

    def add_working_days(self, start: date, n: int) -> date:
        """The ``n``-th working day strictly after ``start`` (before it if ``n`` < 0).

        E.g. "Wokingham 5: reply within 5 working days": allocation on Wed
        2026-04-01 + 5 WD = Fri 2026-04-10 (Good Friday and Easter Monday
        skipped).  The start day itself never counts, whether or not it is a
        working day; ``n == 0`` returns ``start`` unchanged.
        """
        if n == 0:
            return start
        if n > 0:
            k = self._working_before(start + timedelta(days=1)) + n - 1
        else:
            k = self._working_before(start) + n
        return self._date_of_working_index(k)

    def next_working_day(self, d: date) -> date:
        """First working day strictly after ``d`` (e.g. for a letter received on a closure day)."""
        return self.add_working_days(d, 1)

    def working_days_between(self, a: date, b: date) -> int:
        """Signed count: working days in (a, b] if b > a, minus those in (b, a] if b < a.

        Used for "overdue 3 working days" / "due in 2 working days";
        ``working_days_between(s, add_working_days(s, n)) == n`` for n >= 0.
        """
        one = timedelta(days=1)
        return self._working_before(b + one) - self._working_before(a + one)

    def add_calendar_days(self, start: date, n: int) -> date:
        """``start`` plus ``n`` calendar days (plain-day deadlines, e.g. "within 28 days")."""
        return start + timedelta(days=n)

    def add_hours(self, start: datetime, hours: int) -> datetime:
        """``start`` plus plain clock hours (e.g. "contact within 48 hours"); no office hours."""
        return start + timedelta(hours=hours)


def add_offset(cal: WorkingCalendar, start: date, amount: int, unit: str) -> date:
    """Apply a deadline offset expressed in ``unit`` (one of :data:`UNITS`) to ``start``.

    For ``"hours"`` the start is taken as midnight and the date part of the
    result is returned (an event dated only by day has no known time).
    Raises ValueError on an unknown unit so a typo in policy config fails loudly.
    """
    if unit == "working-days":
        return cal.add_working_days(start, amount)
    if unit == "calendar-days":
        return cal.add_calendar_days(start, amount)
    if unit == "hours":
        midnight = datetime.combine(start, datetime.min.time())
        return cal.add_hours(midnight, amount).date()
    raise ValueError(f"unknown offset unit {unit!r}; expected one of {', '.join(UNITS)}")
