"""Checks over a whole casebook: each returns problems, none raises (shared/STYLE.md §4).

* ``check_links``: every victim's child exists and lists the victim back, and the reverse.
* ``check_dates``: no birth, allocation or contact in the future; orders end after
  they start; a contact is not recorded before it happened.
* ``check_entry_ids``: appended entries carry unique ids (the merge driver needs them).

Victim identifiers in text that must not hold them: ``rjcli.core.identifiers``.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import date

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
    return link_problems({v.id: v.child_ids for v in victims.values()},
                         {c.id: [(ref.ref, ref.label) for ref in c.victims]
                          for c in children.values()}, paths, purged, unreadable)


def link_problems(victim_links: Mapping[str, Sequence[str]],
                  child_refs: Mapping[str, Sequence[tuple[str, str]]],
                  paths: Mapping[str, str], purged: Collection[str] = frozenset(),
                  unreadable: Collection[str] = frozenset()) -> list[Problem]:
    """:func:`check_links` over what it reads of each record: a victim's linked child ids,
    a child's (victim id, label) pairs (the index keeps these without building records)."""
    return (_victims_links(victim_links, child_refs, paths, purged, unreadable)
            + _childrens_refs(victim_links, child_refs, paths, purged, unreadable))


def _victims_links(victim_links: Mapping[str, Sequence[str]],
                   child_refs: Mapping[str, Sequence[tuple[str, str]]],
                   paths: Mapping[str, str], purged: Collection[str],
                   unreadable: Collection[str]) -> list[Problem]:
    problems = []
    for victim_id, links in victim_links.items():
        for link in links:
            refs = child_refs.get(link)
            if refs is None and link in purged:
                continue
            if refs is None and link in unreadable:
                problems.append(Problem(paths[victim_id], None, f"linked child {link} cannot be "
                                        "read: fix that file, then check again"))
            elif refs is None:
                problems.append(Problem(paths[victim_id], None,
                                        f"linked child {link} does not exist"))
            elif victim_id not in {ref for ref, _ in refs}:
                problems.append(Problem(
                    paths[victim_id], None,
                    f"{link} does not list {victim_id} among its victims (add it as 'Victim N')"))
    return problems


def _childrens_refs(victim_links: Mapping[str, Sequence[str]],
                    child_refs: Mapping[str, Sequence[tuple[str, str]]],
                    paths: Mapping[str, str], purged: Collection[str],
                    unreadable: Collection[str]) -> list[Problem]:
    problems = []
    for child_id, refs in child_refs.items():
        labels: set[str] = set()
        for ref, label in refs:
            if label in labels:
                problems.append(Problem(paths[child_id], None,
                                        f"victim label '{label}' used twice"))
            labels.add(label)
            links = victim_links.get(ref)
            if links is None and ref in purged:
                continue
            if links is None and ref in unreadable:
                problems.append(Problem(
                    paths[child_id], None, f"victim reference {ref} cannot be read, so this file "
                    "was not checked for that victim's details: fix that file, then check again"))
            elif links is None:
                problems.append(Problem(paths[child_id], None,
                                        f"victim reference {ref} does not exist"))
            elif child_id not in links:
                problems.append(Problem(paths[child_id], None,
                                        f"{ref} does not link back to {child_id}"))
    return problems


def check_dates(victims: Mapping[str, Victim], children: Mapping[str, Child],
                paths: Mapping[str, str], today: date) -> list[Problem]:
    problems: list[Problem] = []
    for record in (*victims.values(), *children.values()):
        problems += record_date_problems(record, paths[record.id], today)
    return problems


def record_date_problems(record: Victim | Child, path: str, today: date) -> list[Problem]:
    """:func:`check_dates` of one record."""
    problems = [Problem(path, None, f"{what} {day.isoformat()} is in the future")
                for what, day in _dated(record) if day > today]
    if isinstance(record, Child) and record.order_start and record.order_end \
            and record.order_end < record.order_start:
        problems.append(Problem(path, None, f"order ends ({record.order_end}) before it starts "
                                            f"({record.order_start})"))
    for c in record.contacts:
        if c.at and c.recorded_at and c.recorded_at < c.at:
            problems.append(Problem(path, None, f"contact of {c.at:%Y-%m-%d %H:%M} recorded "
                                    f"before it happened ({c.recorded_at:%Y-%m-%d %H:%M})"))
    return problems


def date_bounds(record: Victim | Child, today: date) -> tuple[date | None, date | None]:
    """The days between which :func:`record_date_problems` of ``record`` is what it is
    on ``today``: from the first (None: any day before) up to, not including, the second
    (None: any day after). Its only dates compared with today are those of ``_dated``."""
    days = [day for _, day in _dated(record)]
    return (max((d for d in days if d <= today), default=None),
            min((d for d in days if d > today), default=None))


def _dated(record: Victim | Child) -> list[tuple[str, date]]:
    """(what, day) of each date of a record that must not be in the future."""
    found: list[tuple[str, date | None]] = [("date of birth", record.dob)]
    if isinstance(record, Victim):
        found.append(("allocation date", record.referral.allocated))
    found += [("contact", c.at.date() if c.at else None) for c in record.contacts]
    if isinstance(record, Victim):
        found += [(f"{s.kind} consent date", s.date) for s in record.consents]
    return [(what, day) for what, day in found if day is not None]


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
