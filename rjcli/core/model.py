"""The records of a casebook as typed, frozen values (shared/DOMAIN.md §2-3).

Victims and children are separate records in separate folders: a child's record
refers to a victim only by id and a "Victim 1" style label (Somerset 5.4), and
holds only adult/child, known/unknown, sex and ethnicity about them (YJB §31).

Values here are built from already-parsed YAML mappings by ``victim_from_dict``
and ``child_from_dict``; they carry no IO. Derived facts (current status, current
consent) are computed from the logs, never stored, so that two workers appending
on different laptops do not meet a merge conflict.

The small parts (an address, a contact, a consent...) are NamedTuples, in
``core/parts.py`` with their readers, and the three records dataclasses: both immutable,
but a NamedTuple class costs a tenth as much to create, and this module is imported by
every run that reads a changed record.
"""


from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from rjcli.core.dates import as_date, as_datetime
from rjcli.core.ids import CaseId, EntryId
from rjcli.core.parts import (
    Address,
    Appointment,
    ChildLink,
    Consent,
    Contact,
    Person,
    Raw,
    Referral,
    StatusEntry,
    address_from,
    bool_of,
    clean_text,
    log_entries,
    mapping_of,
    person_from,
    texts_of,
)

__all__ = [
    "Address", "Appointment", "Child", "ChildLink", "Consent", "Contact", "Entry",
    "Identifiers", "Offence", "Person", "Raw", "Referral", "StatusEntry", "Victim",
    "VictimRef", "address_from", "child_from_dict", "clean_text", "current_consent",
    "current_status", "identifiers_of", "log_entries", "person_from", "victim_from_dict",
]


@dataclass(frozen=True)
class Entry:
    """A dated log entry of a kind not typed in detail yet (offers, updates...)."""

    id: EntryId
    """Entry id."""
    date: date | None
    """When."""
    data: Raw = field(compare=False)
    """The whole mapping, for rules that need more."""


# --- victims ------------------------------------------------------------------


@dataclass(frozen=True)
class Victim:
    """A person or organisation harmed (DOMAIN §2)."""

    id: CaseId
    """``V-`` id."""
    kind: str
    """individual, under-18, corporate, family-or-carer."""
    name: str | None
    """Full name (for a corporate victim, the organisation)."""
    dob: date | None
    """Date of birth."""
    address: Address | None
    """Postal address."""
    phones: tuple[str, ...]
    """Telephone numbers, first preferred."""
    email: str | None
    """E-mail address."""
    ethnicity: str | None
    """Self-defined ethnicity (Somerset 5.2)."""
    preferred_method: str | None
    """Preferred contact method."""
    preferred_times: str | None
    """Preferred contact times."""
    needs: str | None
    """Interpreter or access needs."""
    entitlements: tuple[str, ...]
    """Enhanced entitlements under the Victims' Code (YJB §26)."""
    parent_guardian: Person | None
    """For a victim under 18: who is contacted first and must consent (Somerset 6.4)."""
    representative: Person | None
    """For a corporate victim: the named representative (Wokingham 16)."""
    home_service: str | None
    """For a victim out of area: the YJS that makes contact (Wokingham 17-18)."""
    links: tuple[ChildLink, ...]
    """Linked child case(s) and offence."""
    referral: Referral
    """Referral and allocation."""
    consents: tuple[Consent, ...]
    """Every consent decision, in the order recorded."""
    status_history: tuple[StatusEntry, ...]
    """Openings, closures, reopenings."""
    contacts: tuple[Contact, ...]
    """The contact log."""
    appointments: tuple[Appointment, ...]
    """Appointments."""
    screening: Raw | None
    """The referral screening (Tower Hamlets appendix 1), when recorded."""
    extra: Raw = field(compare=False, default_factory=dict)
    """The parsed mapping, for the restorative-work sections typed elsewhere."""

    @property
    def status(self) -> str:
        return current_status(self.status_history)

    @property
    def is_open(self) -> bool:
        return self.status == "open"

    @property
    def worker(self) -> str | None:
        return self.referral.worker

    @property
    def child_ids(self) -> tuple[CaseId, ...]:
        return tuple(link.child for link in self.links)

    def consent(self, kind: str) -> Consent | None:
        return current_consent(self.consents, kind)

    def consents_to(self, kind: str) -> bool:
        latest = self.consent(kind)
        return latest is not None and latest.answer == "yes"


# --- children -------------------------------------------------------------------


class VictimRef(NamedTuple):
    """How a child's record refers to a victim: an opaque id and label only (Somerset 5.4)."""

    ref: CaseId
    """The victim's record id."""
    label: str
    """"Victim 1" style label."""
    adult: bool | None
    """Adult (True) or child (False) (YJB §31)."""
    known_to_child: bool | None
    """Known to the child or a stranger."""
    sex: str | None
    """Sex."""
    ethnicity: str | None
    """Ethnicity."""


class Offence(NamedTuple):
    """An offence the child was dealt with for."""

    description: str
    """In plain words."""
    date: date | None
    """When it happened."""
    violent_or_sexual: bool
    """For Victim Contact Scheme eligibility (YJB §22)."""


@dataclass(frozen=True)
class Child:
    """The child who caused the harm (DOMAIN §2)."""

    id: CaseId
    """``C-`` id."""
    name: str | None
    """Full name."""
    dob: date | None
    """Date of birth."""
    sex: str | None
    """Sex."""
    ethnicity: str | None
    """Ethnicity."""
    case_holder: str | None
    """The child's YJS worker."""
    offences: tuple[Offence, ...]
    """Offences."""
    disposal: str | None
    """Disposal (DOMAIN §8)."""
    sentence_date: date | None
    """Date of sentence or decision."""
    order_start: date | None
    """Order or intervention start."""
    order_end: date | None
    """Order or intervention end (KPI 10 counts victims in this quarter)."""
    sentence_months: int | None
    """Length of a custodial sentence, in months (VCS eligibility)."""
    hospital_order: bool
    """Detained under the Mental Health Act (VCS eligibility)."""
    co_defendants: tuple[str, ...]
    """Co-defendants, by child id where known."""
    victims: tuple[VictimRef, ...]
    """Victims, by reference only."""
    consents: tuple[Consent, ...]
    """The child's permissions (e.g. to share their details with the victim)."""
    status_history: tuple[StatusEntry, ...]
    """Openings and closures."""
    contacts: tuple[Contact, ...]
    """Contacts with the child."""
    extra: Raw = field(compare=False, default_factory=dict)
    """The parsed mapping, for sections typed elsewhere."""

    @property
    def status(self) -> str:
        return current_status(self.status_history)

    @property
    def is_open(self) -> bool:
        return self.status == "open"

    def permits(self, kind: str) -> bool:
        latest = current_consent(self.consents, kind)
        return latest is not None and latest.answer == "yes"


# --- derivations ------------------------------------------------------------------


def current_status(history: Sequence[StatusEntry]) -> str:
    """The latest status by date (then entry id); a record with no history is open."""
    if not history:
        return "open"
    return max(history, key=lambda e: (e.date, e.id)).status


def current_consent(consents: Sequence[Consent], kind: str) -> Consent | None:
    """The consent of ``kind`` in force: the latest by date, then by entry id."""
    of_kind = [c for c in consents if c.kind == kind]
    if not of_kind:
        return None
    return max(of_kind, key=lambda c: (c.date or date.min, c.id))


# --- building from parsed YAML ----------------------------------------------------


def _status_entries(raw: object) -> tuple[StatusEntry, ...]:
    out = []
    for e in log_entries(raw):
        when = as_date(e.get("date"))
        if when is None:
            continue
        out.append(StatusEntry(
            id=str(e.get("id", "")), date=when, status=str(e.get("status", "open")),
            reason=clean_text(e.get("reason")), by=clean_text(e.get("by")),
        ))
    return tuple(out)


def _consents(raw: object) -> tuple[Consent, ...]:
    return tuple(
        Consent(
            id=str(e.get("id", "")), kind=str(e.get("kind", "")), answer=str(e.get("answer", "")),
            date=as_date(e.get("date")), source=clean_text(e.get("source")), note=clean_text(e.get("note")),
            by=clean_text(e.get("by")), written=e.get("written") is True,
            document=clean_text(e.get("document")),
        )
        for e in log_entries(raw)
    )


def _contacts(raw: object) -> tuple[Contact, ...]:
    # positional, and ``get`` held: the contact logs are most of what a report builds
    out = []
    for e in log_entries(raw):
        get = e.get
        out.append(Contact(
            str(get("id", "")), as_datetime(get("at")), str(get("method", "")),
            str(get("outcome", "")), str(get("with") or "victim"), clean_text(get("letter")),
            clean_text(get("note")), clean_text(get("by")), as_datetime(get("recorded_at")),
            clean_text(get("file"))))
    return tuple(out)


def _appointments(raw: object) -> tuple[Appointment, ...]:
    return tuple(
        Appointment(
            id=str(e.get("id", "")), at=as_datetime(e.get("at")), purpose=clean_text(e.get("purpose")),
            status=str(e.get("status") or "booked"), notice=bool(e.get("notice", False)),
            recorded_on=as_date(e.get("recorded_on")),
        )
        for e in log_entries(raw)
    )


def _referral(raw: object) -> Referral:
    r = mapping_of(raw)
    return Referral(
        source=clean_text(r.get("source")), stage=clean_text(r.get("stage")),
        disposal=clean_text(r.get("disposal")), allocated=as_date(r.get("allocated")),
        worker=clean_text(r.get("worker")), received=as_date(r.get("received")),
        sentence_date=as_date(r.get("sentence_date")),
    )


def victim_from_dict(data: Raw) -> Victim:
    """A :class:`Victim` from a parsed victim file (tolerant: checks report gaps)."""
    prefs = mapping_of(data.get("contact_preferences"))
    return Victim(
        id=str(data.get("id", "")),
        kind=str(data.get("kind") or "individual"),
        name=clean_text(data.get("name")),
        dob=as_date(data.get("dob")),
        address=address_from(data.get("address")),
        phones=texts_of(data.get("phones")),
        email=clean_text(data.get("email")),
        ethnicity=clean_text(data.get("ethnicity")),
        preferred_method=clean_text(prefs.get("method")),
        preferred_times=clean_text(prefs.get("times")),
        needs=clean_text(data.get("needs")),
        entitlements=texts_of(data.get("entitlements")),
        parent_guardian=person_from(data.get("parent_guardian")),
        representative=person_from(data.get("representative")),
        home_service=clean_text(data.get("home_service")),
        links=tuple(
            ChildLink(child=str(e.get("child", "")), offence=clean_text(e.get("offence")))
            for e in log_entries(data.get("children"))
        ),
        referral=_referral(data.get("referral")),
        consents=_consents(data.get("consents")),
        status_history=_status_entries(data.get("status_history")),
        contacts=_contacts(data.get("contacts")),
        appointments=_appointments(data.get("appointments")),
        screening=mapping_of(data.get("screening")) or None,
        extra=data,
    )


def _int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def child_from_dict(data: Raw) -> Child:
    """A :class:`Child` from a parsed child file."""
    return Child(
        id=str(data.get("id", "")),
        name=clean_text(data.get("name")),
        dob=as_date(data.get("dob")),
        sex=clean_text(data.get("sex")),
        ethnicity=clean_text(data.get("ethnicity")),
        case_holder=clean_text(data.get("case_holder")),
        offences=tuple(
            Offence(
                description=str(e.get("description", "")), date=as_date(e.get("date")),
                violent_or_sexual=bool(e.get("violent_or_sexual", False)),
            )
            for e in log_entries(data.get("offences"))
        ),
        disposal=clean_text(data.get("disposal")),
        sentence_date=as_date(data.get("sentence_date")),
        order_start=as_date(data.get("order_start")),
        order_end=as_date(data.get("order_end")),
        sentence_months=_int(data.get("sentence_months")),
        hospital_order=bool(data.get("hospital_order", False)),
        co_defendants=texts_of(data.get("co_defendants")),
        victims=tuple(
            VictimRef(
                ref=str(e.get("ref", "")), label=str(e.get("label", "")),
                adult=bool_of(e.get("adult")), known_to_child=bool_of(e.get("known_to_child")),
                sex=clean_text(e.get("sex")), ethnicity=clean_text(e.get("ethnicity")),
            )
            for e in log_entries(data.get("victims"))
        ),
        consents=_consents(data.get("consents")),
        status_history=_status_entries(data.get("status_history")),
        contacts=_contacts(data.get("contacts")),
        extra=data,
    )


# --- for reports ----------------------------------------------------------------------


class Identifiers(NamedTuple):
    """What identifies the people of one record: reports keep all of it out of their text."""

    id: str
    names: tuple[str, ...]
    """The record's name, and a victim's parent or guardian and representative."""
    phones: tuple[str, ...]
    emails: tuple[str, ...]
    postcodes: tuple[str, ...]
    dob: str | None
    """Date of birth, ISO."""
    addresses: tuple[str, ...] = ()
    """Address lines (street lines and town), of the victim and of their guardian or
    representative."""


def identifiers_of(record: Victim | Child) -> Identifiers:
    names = [record.name]
    phones: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()
    postcodes: tuple[str, ...] = ()
    addresses: tuple[str, ...] = ()
    if isinstance(record, Victim):
        people = [p for p in (record.parent_guardian, record.representative) if p]
        names += [p.name for p in people]
        phones = record.phones + tuple(p.phone for p in people if p.phone)
        emails = tuple(e for e in (record.email, *(p.email for p in people)) if e)
        places = [a for a in (record.address, *(p.address for p in people)) if a]
        postcodes = tuple(a.postcode for a in places if a.postcode)
        addresses = tuple(line for a in places for line in a.lines)
    return Identifiers(record.id, tuple(n for n in names if n), phones, emails, postcodes,
                       record.dob.isoformat() if record.dob else None, addresses)
