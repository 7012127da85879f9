"""Checks over a whole casebook: each returns problems, none raises (shared/STYLE.md §4).

* ``check_links``: every victim's child exists and lists the victim back, and the reverse.
* ``check_dates``: no birth, allocation or contact in the future; orders end after
  they start; a contact is not recorded before it happened.
* ``check_entry_ids``: appended entries carry unique ids (the merge driver needs them).
* ``find_victim_identifiers``: no victim's name, phone, e-mail, postcode or date of
  birth in a text that must not identify them - every file under ``children/``,
  report output, child-side letters (Somerset 5.4, Wait 'til Eight §7.10.1).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from rjcli.core.dates import UK_MONTHS
from rjcli.core.model import Child, Victim
from rjcli.core.problems import Problem

LOG_KEYS = ("contacts", "consents", "status_history", "appointments", "offers", "conferences",
            "feedback", "complaints", "assessments", "progress_updates", "support",
            "support_requests", "victim_awareness", "reparation", "readiness")
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


# --- privacy ------------------------------------------------------------------------

_WORD = re.compile(r"[A-Za-z][A-Za-z'\-]*")
_DIGITS = re.compile(r"\+?\d[\d ()\-]{6,}\d")
_EMAIL = re.compile(r"[^@\s'\"<>(),;:]+@[^@\s'\"<>(),;:]+\.[A-Za-z]{2,}")
_POSTCODE = re.compile(r"\b[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}\b", re.I)
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_UK_NUMERIC = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b")
_UK_WORDS = re.compile(r"\b(\d{1,2}) (" + "|".join(UK_MONTHS) + r") (\d{4})\b", re.I)
# keys whose date values are the child's own dates, never a victim's birthday
_OWN_DATE_KEYS = re.compile(
    r"^\s*(?:- )?(?:dob|date|at|recorded_at|recorded_on|sentence_date|order_start|order_end|"
    r"allocated|received|due|target|done|told|sought|until)\s*:")


def _digits(text: str) -> str:
    """The national number: 07700 900001, +44 7700 900001 and 7700900001 (a spreadsheet
    drops the leading zero of a number) are one phone."""
    digits = re.sub(r"\D", "", text)
    if digits.startswith("44") and len(digits) > 10:
        return digits[2:]
    return digits[1:] if digits.startswith("0") else digits


def _norm_name(text: str) -> str:
    return " ".join(_WORD.findall(text.casefold()))


@dataclass(frozen=True)
class Identifiers:
    """Every victim identifier, normalised for look-up, with whose it is."""

    names: Mapping[str, str]
    surnames: Mapping[str, str]
    phones: Mapping[str, str]
    emails: Mapping[str, str]
    postcodes: Mapping[str, str]
    birthdays: Mapping[date, str]
    longest_name: int


def victim_identifiers(victims: Iterable[Victim], exclude_words: Iterable[str] = ()) -> Identifiers:
    """Gather identifiers; ``exclude_words`` (staff names...) never count as surnames."""
    names: dict[str, str] = {}
    surnames: dict[str, str] = {}
    phones: dict[str, str] = {}
    emails: dict[str, str] = {}
    postcodes: dict[str, str] = {}
    birthdays: dict[date, str] = {}
    excluded = {w.casefold() for w in exclude_words}
    for v in victims:
        people = [v.name] + [p.name for p in (v.parent_guardian, v.representative) if p]
        for name in filter(None, people):
            normal = _norm_name(name)
            if " " in normal:
                names[normal] = v.id
                last = normal.split(" ")[-1]
                if len(last) >= 4 and last not in excluded:
                    surnames[last] = v.id
        for phone in list(v.phones) + [p.phone for p in (v.parent_guardian, v.representative)
                                       if p and p.phone]:
            if len(_digits(phone)) >= 9:
                phones[_digits(phone)] = v.id
        if v.email:
            emails[v.email.casefold()] = v.id
        if v.address and v.address.postcode:
            postcodes[v.address.postcode.replace(" ", "").upper()] = v.id
        if v.dob:
            birthdays[v.dob] = v.id
    longest = max((n.count(" ") + 1 for n in names), default=1)
    return Identifiers(names, surnames, phones, emails, postcodes, birthdays, longest)


def _dates_in(line: str) -> list[date]:
    found = []
    for y, m, d in _ISO_DATE.findall(line):
        found.append((int(y), int(m), int(d)))
    for d, m, y in _UK_NUMERIC.findall(line):
        found.append((int(y), int(m), int(d)))
    for d, month, y in _UK_WORDS.findall(line):
        found.append((int(y), [x.lower() for x in UK_MONTHS].index(month.lower()) + 1, int(d)))
    days = []
    for y, m, d in found:
        try:
            days.append(date(y, m, d))
        except ValueError:
            continue
    return days


def _line_leaks(line: str, ids: Identifiers, own_words: set[str],
                own_dates: bool = True) -> list[tuple[str, str, str]]:
    """(severity, what, victim id) for each identifier on one line."""
    leaks = []
    words = _WORD.findall(line)
    folded = [w.casefold() for w in words]
    for size in range(2, ids.longest_name + 1):
        for i in range(len(folded) - size + 1):
            victim = ids.names.get(" ".join(folded[i:i + size]))
            if victim:
                leaks.append(("error", "a victim's name", victim))
    for word, fold in zip(words, folded, strict=True):
        victim = ids.surnames.get(fold)
        if victim and word[0].isupper() and fold not in own_words:
            leaks.append(("warning", f"the family name '{word}' of a victim", victim))
    for match in _DIGITS.findall(line):
        victim = ids.phones.get(_digits(match))
        if victim:
            leaks.append(("error", "a victim's phone number", victim))
    for match in _EMAIL.findall(line):
        victim = ids.emails.get(match.casefold())
        if victim:
            leaks.append(("error", "a victim's e-mail address", victim))
    for match in _POSTCODE.findall(line):
        victim = ids.postcodes.get(match.replace(" ", "").upper())
        if victim:
            leaks.append(("error", "a victim's postcode", victim))
    if not (own_dates and _OWN_DATE_KEYS.match(line)):
        for day in _dates_in(line):
            victim = ids.birthdays.get(day)
            if victim:
                leaks.append(("error", "a victim's date of birth", victim))
    return leaks


def find_victim_identifiers(path: str, text: str, ids: Identifiers,
                            own_names: Sequence[str] = (), own_dates: bool = True
                            ) -> list[Problem]:
    """Problems for every line of ``text`` that holds a victim identifier.

    ``own_names``: names that belong in this text (the child's own), whose words are
    not taken for a victim's family name. ``own_dates``: a child's record, whose
    ``dob:``, ``date:``... lines hold the child's own dates (reports and letters have
    no such keys: every date there is looked at).
    """
    own_words = {w for n in own_names for w in _norm_name(n).split(" ")}
    problems = []
    for number, line in enumerate(text.splitlines(), 1):
        for severity, what, victim in _line_leaks(line, ids, own_words, own_dates):
            problems.append(Problem(path, number, f"{what} ({victim}) must not appear here: "
                                    "refer to victims only as 'Victim 1' or by id (Somerset 5.4)",
                                    severity=severity))
    return problems
