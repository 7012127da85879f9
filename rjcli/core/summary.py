"""One line per record: what listings show (pure, derived from a parsed record)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rjcli.core.model import Child, Victim


@dataclass(frozen=True)
class RecordSummary:
    """What ``rj list`` shows of a record."""

    id: str
    """Record id."""
    folder: str
    """``victims`` or ``children``."""
    name: str
    """Name (shown to staff, never in reports)."""
    status: str
    """open or closed."""
    worker: str | None
    """Allocated RJ worker (victims) or case holder (children)."""
    kind: str | None
    """Victim kind, or the child's disposal."""
    since: str | None
    """Allocation date (victims) or sentence date (children), YYYY-MM-DD."""

    def as_json(self) -> dict[str, Any]:
        # every field is flat: a copy of the instance's fields, in order (a cold index
        # build makes 15,000 of these; ``dataclasses.asdict`` deep-copies each value)
        return dict(vars(self))


def victim_summary(v: Victim) -> RecordSummary:
    allocated = v.referral.allocated
    return RecordSummary(v.id, "victims", v.name or "", v.status, v.referral.worker, v.kind,
                         allocated.isoformat() if allocated else None)


def child_summary(c: Child) -> RecordSummary:
    since = c.sentence_date
    return RecordSummary(c.id, "children", c.name or "", c.status, c.case_holder, c.disposal,
                         since.isoformat() if since else None)
