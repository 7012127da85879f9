"""Bank-holiday source: the only module that imports the ``holidays`` package.

England and Wales currently share one list of bank holidays (gov.uk), but
they are separate subdivisions in law and in the ``holidays`` package, so
the service's region is kept explicit.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from rjcli.core.calendar import WorkingCalendar

REGIONS = {"england": "ENG", "wales": "WLS"}


def _subdivision(region: str) -> str:
    """Map a service region name to its ``holidays`` subdivision code, or raise ValueError."""
    try:
        return REGIONS[region]
    except KeyError:
        allowed = ", ".join(sorted(REGIONS))
        raise ValueError(f"unknown region {region!r}; allowed regions: {allowed}") from None


def bank_holiday_dates(region: str, years: range) -> frozenset[date]:
    """Weekday bank holidays for ``region`` in ``years``, including substitute ("observed") days.

    Weekend dates (e.g. Boxing Day on Sat 26 Dec 2026) are dropped: weekends
    are non-working anyway, and the substitute weekday (Mon 28 Dec 2026) is
    what actually closes the office.
    """
    subdiv = _subdivision(region)
    import holidays  # lazy: slow to import, and only needed when building a calendar

    uk = holidays.UK(subdiv=subdiv, years=list(years))
    return frozenset(d for d in uk if d.weekday() < 5)


def build_calendar(region: str, closures: Iterable[date], years: range) -> WorkingCalendar:
    """Working calendar for ``region``: bank holidays in ``years`` plus service closure days."""
    return WorkingCalendar(non_working=bank_holiday_dates(region, years) | frozenset(closures))
