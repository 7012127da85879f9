"""Checks over a whole casebook: each returns problems, none raises (shared/STYLE.md §4).

* ``check_links``: every victim's child exists and lists the victim back, and the reverse.
* ``check_dates``: no birth, allocation or contact in the future; orders end after
  they start; a contact is not recorded before it happened.
* ``check_entry_ids``: appended entries carry unique ids (the merge driver needs them).

Victim identifiers in text that must not hold them: ``rjcli.core.identifiers``.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import date, datetime

from rjcli.core.model import Child, Victim
from rjcli.core.problems import Problem

LOG_KEYS = ("contacts", "consents", "status_history", "appointments", "offers", "conferences",
            "feedback", "complaints", "assessments", "progress_updates", "support",
            "support_requests", "victim_awareness", "reparation", "readiness",
            "family_approvals", "overrides")
"""Lists of appended entries, each entry with a unique id (merged by id in sync)."""


def check_links(victims: Mapping[str, Victim], children: Mapping[str, Child],
                paths: Mapping[str, str], purged: Collection[str] = frozenset(),
                unreadable: Collection[str] = frozenset()) -> list[Problem]:
    """Links resolve both ways; a link to a purged record (``purged``: the ids that have
    a tombstone) is history, not a broken link; a link to a record whose file cannot be
    read (``unreadable``) says so, and that the checks through it are incomplete."""
    problems = []
    for v in victims.values():
        for link in v.links:
            child = children.get(link.child)
            if child is None and link.child in purged:
                continue
            if child is None and link.child in unreadable:
                problems.append(Problem(paths[v.id], None, f"linked child {link.child} cannot be "
                                        "read: fix that file, then check again"))
            elif child is None:
                problems.append(Problem(paths[v.id], None, f"linked child {link.child} does not exist"))
            elif v.id not in {ref.ref for ref in child.victims}:
                problems.append(Problem(
                    paths[v.id], None,
                    f"{link.child} does not list {v.id} among its victims (add it as 'Victim N')"))
    for c in children.values():
        labels: set[str] = set()
        for ref in c.victims:
            if ref.label in labels:
                problems.append(Problem(paths[c.id], None, f"victim label '{ref.label}' used twice"))
            labels.add(ref.label)
            victim = victims.get(ref.ref)
            if victim is None and ref.ref in purged:
                continue
            if victim is None and ref.ref in unreadable:
                problems.append(Problem(
                    paths[c.id], None, f"victim reference {ref.ref} cannot be read, so this file "
                    "was not checked for that victim's details: fix that file, then check again"))
            elif victim is None:
                problems.append(Problem(paths[c.id], None, f"victim reference {ref.ref} does not exist"))
            elif c.id not in victim.child_ids:
                problems.append(Problem(paths[c.id], None, f"{ref.ref} does not link back to {c.id}"))
    return problems


def _future(path: str, what: str, day: date | None, today: date) -> list[Problem]:
    if day is not None and day > today:
        return [Problem(path, None, f"{what} {day.isoformat()} is in the future")]
    return []


def check_dates(victims: Mapping[str, Victim], children: Mapping[str, Child],
                paths: Mapping[str, str], today: date) -> list[Problem]:
    problems: list[Problem] = []
    for v in victims.values():
        path = paths[v.id]
        problems += _future(path, "date of birth", v.dob, today)
        problems += _future(path, "allocation date", v.referral.allocated, today)
        for c in v.contacts:
            problems += _contact_dates(path, c.at, c.recorded_at, today)
        for s in v.consents:
            problems += _future(path, f"{s.kind} consent date", s.date, today)
    for child in children.values():
        path = paths[child.id]
        problems += _future(path, "date of birth", child.dob, today)
        if child.order_start and child.order_end and child.order_end < child.order_start:
            problems.append(Problem(path, None, f"order ends ({child.order_end}) before it starts "
                                                f"({child.order_start})"))
        for c in child.contacts:
            problems += _contact_dates(path, c.at, c.recorded_at, today)
    return problems


def _contact_dates(path: str, at: datetime | None, recorded: datetime | None,
                   today: date) -> list[Problem]:
    problems = _future(path, "contact", at.date() if at else None, today)
    if at and recorded and recorded < at:
        problems.append(Problem(path, None, f"contact of {at:%Y-%m-%d %H:%M} recorded before it "
                                            f"happened ({recorded:%Y-%m-%d %H:%M})"))
    return problems


def check_entry_ids(data: Mapping[str, object], path: str) -> list[Problem]:
    """No entry id twice in the record's logs, whatever its type (``id: 2`` twice is a
    duplicate as much as a text id is; ``2`` and ``"2"`` are different ids)."""
    seen: set[tuple[str, str]] = set()
    problems = []
    for key in LOG_KEYS:
        entries = data.get(key)
        if not isinstance(entries, list):
            continue
        for entry in entries:
            entry_id = entry.get("id") if isinstance(entry, dict) else None
            if entry_id is None:
                continue
            typed = (type(entry_id).__name__, repr(entry_id))
            if typed in seen:
                problems.append(Problem(path, None, f"entry id {entry_id} appears twice"))
            seen.add(typed)
    return problems
