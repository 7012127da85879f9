"""Reassigning a case to another worker (pure): the log entry and the caseload to move.

A victim's case is allocated to an RJ worker (``referral.worker``); a child's case to a
case holder (``case_holder``). Each change is logged on the record (``allocations``:
who, when, from, to, why) so that the history of a case says who held it when.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from rjcli.core.dates import format_datetime
from rjcli.core.model import Child, Victim
from rjcli.core.records import NewId

FIELD_PATH = {"worker": ("referral", "worker"), "case_holder": ("case_holder",)}
"""Where each kind of allocation is kept on a record."""


def allocation_field(record_id: str) -> str:
    """``worker`` for a victim's case, ``case_holder`` for a child's."""
    return "worker" if record_id.startswith("V-") else "case_holder"


def allocation_entry(new_id: NewId, day: date, field: str, before: str | None, to: str,
                     reason: str | None, by: str | None, now: datetime) -> dict[str, Any]:
    """The log entry of one reassignment, keys in reading order."""
    entry = {"id": new_id(), "date": day, "field": field, "from": before, "to": to,
             "reason": reason, "by": by, "recorded_at": format_datetime(now)}
    return {k: v for k, v in entry.items() if v not in (None, "")}


def open_caseload(name: str, victims: Iterable[Victim], children: Iterable[Child]
                  ) -> list[tuple[str, str]]:
    """(record id, field) of every open case allocated to ``name``: closed cases keep the
    worker who closed them."""
    found = [(v.id, "worker") for v in victims if v.is_open and v.referral.worker == name]
    found += [(c.id, "case_holder") for c in children
              if c.status == "open" and c.case_holder == name]
    return sorted(found)
