"""The small parts of a record, as immutable values: an address, a person, a status
change, a consent, a contact, an appointment, the referral and a victim's link to a child,
with the tolerant readers that build them from parsed YAML (``core/model.py`` builds the
records from these).

NamedTuples: a NamedTuple class costs a tenth as much as a dataclass to create, and a
report or a cold index build makes hundreds of thousands of these.
"""

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any, NamedTuple

from rjcli.core.ids import CaseId, EntryId

Raw = Mapping[str, Any]


def clean_text(value: object) -> str | None:
    """A value as trimmed text, or None when empty."""
    if value is None:
        return None
    text = (value if value.__class__ is str else str(value)).strip()
    return text or None


def texts_of(value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, (list, tuple)):
        return tuple(t for t in (clean_text(v) for v in value) if t)
    single = clean_text(value)
    return (single,) if single else ()


def log_entries(value: object) -> list[Raw]:
    """The mappings of a log list (``contacts``, ``offers``...), anything else skipped:
    every reader of a record's logs goes through this one function."""
    if isinstance(value, (list, tuple)):
        # a parsed record's mappings are dicts: the exact test first (an ABC's isinstance
        # costs several times more, and a report reads tens of thousands of entries)
        return [v for v in value if v.__class__ is dict or isinstance(v, Mapping)]
    return []


def mapping_of(value: object) -> Raw:
    return value if value.__class__ is dict or isinstance(value, Mapping) else {}


def bool_of(value: object) -> bool | None:
    return value if isinstance(value, bool) else None


# --- shared pieces ----------------------------------------------------------


class Address(NamedTuple):
    """A postal address."""

    lines: tuple[str, ...]
    """Street lines, town."""
    postcode: str | None
    """Postcode, kept apart so the privacy check can look for it."""

    def as_lines(self) -> tuple[str, ...]:
        return self.lines + ((self.postcode,) if self.postcode else ())


def address_from(value: object) -> Address | None:
    raw = mapping_of(value)
    if not raw:
        return None
    return Address(lines=texts_of(raw.get("lines")), postcode=clean_text(raw.get("postcode")))


class Person(NamedTuple):
    """A named contact: a parent or guardian, a corporate victim's representative."""

    name: str | None
    """Full name."""
    relationship: str | None
    """Relationship to the victim, or role in the organisation."""
    phone: str | None
    """Telephone number as text (a leading zero matters)."""
    email: str | None
    """E-mail address."""
    address: Address | None
    """Postal address, when different from the victim's."""


def person_from(value: object) -> Person | None:
    raw = mapping_of(value)
    if not raw:
        return None
    return Person(
        name=clean_text(raw.get("name")),
        relationship=clean_text(raw.get("relationship") or raw.get("role")),
        phone=clean_text(raw.get("phone")),
        email=clean_text(raw.get("email")),
        address=address_from(raw.get("address")),
    )


class StatusEntry(NamedTuple):
    """An opening, closure or reopening of a case (the status is the latest one)."""

    id: EntryId
    """Entry id (ULID-style)."""
    date: date
    """When the status changed."""
    status: str
    """``open`` or ``closed``."""
    reason: str | None
    """Closure reason (DOMAIN §8) or why it was reopened."""
    by: str | None
    """Who recorded it."""


class Consent(NamedTuple):
    """One consent decision: the latest of a kind is the one in force."""

    id: EntryId
    """Entry id."""
    kind: str
    """What was consented to (``contact``, ``rj-participation``, ...)."""
    answer: str
    """``yes``, ``no`` or ``withdrawn``."""
    date: date | None
    """When it was given or withdrawn."""
    source: str | None
    """Where it came from: ``YOT1``, ``phone call``, ``signed form``."""
    note: str | None
    """Reason for a change of mind (Somerset 9.1), or what may be shared with whom."""
    by: str | None
    """Who recorded it."""
    written: bool = False
    """Given in writing (``rj consent --written`` or ``--document``; YJB §24)."""
    document: str | None = None
    """The id of the signed consent form kept with the record (``documents``), if any."""


class Contact(NamedTuple):
    """One entry of a contact log: an attempt, a conversation, a letter, a meeting."""

    id: EntryId
    """Entry id."""
    at: datetime | None
    """When the contact happened."""
    method: str
    """phone, text, letter, email, visit, meeting, video."""
    outcome: str
    """spoke, no-answer, left-message, sent, received, kept, missed, cancelled."""
    party: str
    """Who it was with: the victim (default), a parent, the case holder, ..."""
    letter: str | None
    """For letters: the kind (``initial``, ``final``, ``closure``, ...)."""
    note: str | None
    """The case note."""
    by: str | None
    """The worker who made the contact."""
    recorded_at: datetime | None
    """When it was written down (the 2-working-day recording rule, Wokingham 4)."""
    file: str | None
    """For a letter sent: the file written."""

    @property
    def day(self) -> date | None:
        return self.at.date() if self.at else None


class Appointment(NamedTuple):
    """A booked appointment and what became of it (Wokingham 12)."""

    id: EntryId
    """Entry id."""
    at: datetime | None
    """When it is or was."""
    purpose: str | None
    """Assessment meeting, home visit, conference preparation."""
    status: str
    """booked, kept, missed, cancelled."""
    notice: bool
    """For a missed one: whether notice was given (two misses without notice count)."""
    recorded_on: date | None
    """When the outcome was recorded."""


class Referral(NamedTuple):
    """Where the case came from (DOMAIN §3.1)."""

    source: str | None
    """police, court, other-yjs, case-holder, self."""
    stage: str | None
    """pre-court, pre-sentence, post-sentence."""
    disposal: str | None
    """The disposal the case comes from (DOMAIN §8)."""
    allocated: date | None
    """Allocation date: most timescales count from it."""
    worker: str | None
    """The allocated RJ worker."""
    received: date | None
    """When the referral reached the service, if before allocation."""
    sentence_date: date | None
    """For post-sentence contact: the date of sentence."""


class ChildLink(NamedTuple):
    """The child (or children) whose offence harmed the victim."""

    child: CaseId
    """The child's record id."""
    offence: str | None
    """The offence, in plain words."""
