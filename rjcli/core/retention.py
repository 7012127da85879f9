"""How long a closed record is kept, and what is left of it when it goes (pure).

Information is kept only as long as necessary (YJB §29): ``rj.yaml`` gives a
number of years per kind of record (``retention: {victim: 2, child: 2}``),
counted from closure - the date of the latest ``closed`` entry in the status
history of a record that is closed now. An open record is never due for
deletion, however old; a reopened and closed again record counts from its last
closure.

When a record is purged, a *tombstone* stays: its id, its kind, when it was
opened and closed and why, and when and why it was purged - no name, no contact
details, no notes - so that reports on past periods still add up and a link from
another record to it is explained rather than broken.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from rjcli.core.ids import CaseId
from rjcli.core.model import Child, StatusEntry, Victim

RETENTION_ENDED = "retention period ended"
"""The reason recorded on a tombstone when a record is purged on time."""


@dataclass(frozen=True)
class Retention:
    """Where one record stands against its retention period."""

    id: CaseId
    """The record's id."""
    kind: str
    """``victim`` or ``child``."""
    closed: date | None
    """Date of closure (the latest closed status entry); None while the record is open."""
    closure_reason: str | None
    """Why it was closed (DOMAIN §8), when recorded."""
    years: int | None
    """Years to keep it after closure (None: rj.yaml sets no period for this kind)."""
    ends: date | None
    """The day the retention period ends (None: open, or no period set)."""
    past: bool
    """True when ``ends`` is today or earlier: the record may be purged."""

    def as_json(self) -> dict[str, object]:
        return {
            "id": self.id, "kind": self.kind,
            "closed": self.closed.isoformat() if self.closed else None,
            "retention_end": self.ends.isoformat() if self.ends else None,
        }


def add_years(day: date, years: int) -> date:
    """The same day ``years`` later (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def closure(history: Sequence[StatusEntry]) -> StatusEntry | None:
    """The entry that closed the record, when it is closed now (else None)."""
    if not history:
        return None
    latest = max(history, key=lambda e: (e.date, e.id))
    return latest if latest.status == "closed" else None


def retention_of(record: Victim | Child, years: Mapping[str, int], today: date) -> Retention:
    """Where ``record`` stands: open, kept until a date, or past it."""
    kind = "victim" if isinstance(record, Victim) else "child"
    closed = closure(record.status_history)
    period = years.get(kind)
    ends = add_years(closed.date, period) if closed and period is not None else None
    return Retention(
        id=record.id, kind=kind, closed=closed.date if closed else None,
        closure_reason=closed.reason if closed else None, years=period, ends=ends,
        past=ends is not None and ends <= today,
    )


def past_retention(records: Iterable[Victim | Child], years: Mapping[str, int],
                   today: date) -> list[Retention]:
    """Closed records whose retention period has ended, oldest end first."""
    found = [r for r in (retention_of(rec, years, today) for rec in records) if r.past]
    return sorted(found, key=lambda r: (r.ends or date.min, r.id))


def opened(record: Victim | Child) -> date | None:
    """When the case began: a victim's allocation date, else its first status entry."""
    if isinstance(record, Victim) and record.referral.allocated:
        return record.referral.allocated
    dates = [e.date for e in record.status_history if e.status == "open"]
    return min(dates) if dates else None


def tombstone(record: Victim | Child, state: Retention, purged: date,
              reason: str = RETENTION_ENDED) -> dict[str, object]:
    """What is kept of a purged record: dates and reasons only, nothing that identifies."""
    started = "allocated" if isinstance(record, Victim) else "opened"
    kept = {
        "id": record.id,
        "kind": state.kind,
        started: opened(record),
        "closed": state.closed,
        "closure_reason": state.closure_reason,
        "purged": purged,
        "reason": reason,
    }
    return {key: value for key, value in kept.items() if value is not None}
