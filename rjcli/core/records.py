"""Building new records and log entries as plain mappings (pure).

Commands gather input, these functions check it and shape it the way the schema
wants it (key order included, so files read the same whoever wrote them); the
storage layer then writes it. Input problems come back as lists of messages.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from rjcli.core import vocab
from rjcli.core.age import age_on, child_age_problem, is_under_18, victim_age_problem
from rjcli.core.dates import format_datetime
from rjcli.core.greeting import TITLES
from rjcli.core.text import name_problem
from rjcli.core.victimdetails import details_tree

NewId = Callable[[], str]
"""Supplies a fresh entry id (the storage layer passes a ULID maker)."""


def choice_problem(field: str, value: str | None, allowed: Sequence[str]) -> str | None:
    """A message when ``value`` is not one of the allowed words, naming them."""
    if value is None or value in allowed:
        return None
    return f"{field} '{value}' is not one of: {', '.join(allowed)}"


def _compact(mapping: Mapping[str, Any]) -> dict[str, Any]:
    """Drop empty values so files hold only what is known."""
    return {k: v for k, v in mapping.items() if v not in (None, "", [], {}, ())}


def status_entry(new_id: NewId, day: date, status: str, reason: str | None, by: str | None,
                 note: str | None = None) -> dict[str, Any]:
    return _compact({"id": new_id(), "date": day, "status": status, "reason": reason, "by": by,
                     "note": note})


def consent_entry(new_id: NewId, kind: str, answer: str, day: date | None, source: str | None,
                  note: str | None, by: str | None, now: datetime, written: bool = False,
                  document: str | None = None) -> dict[str, Any]:
    return _compact({
        "id": new_id(), "kind": kind, "answer": answer, "date": day, "source": source,
        "written": True if written or document else None, "document": document,
        "note": note, "by": by, "recorded_at": format_datetime(now),
    })


@dataclass(frozen=True)
class NewVictim:
    """What ``rj victim new`` collects."""

    name: str
    kind: str
    children: tuple[str, ...]
    offence: str | None
    allocated: date
    worker: str
    consent_contact: str
    consent_source: str | None
    dob: date | None = None
    phones: tuple[str, ...] = ()
    email: str | None = None
    address_lines: tuple[str, ...] = ()
    postcode: str | None = None
    stage: str | None = None
    source: str | None = None
    disposal: str | None = None
    sentence_date: date | None = None
    parent_name: str | None = None
    parent_phone: str | None = None
    representative_name: str | None = None
    representative_role: str | None = None
    home_service: str | None = None
    entitlements: tuple[str, ...] = ()
    title: str | None = None
    salutation: str | None = None
    parent_title: str | None = None
    representative_title: str | None = None
    offence_for_letters: str | None = None
    offence_category: str | None = None
    details: tuple[tuple[tuple[str, ...], Any], ...] = ()
    """Monitoring, communication and police-officer details, checked and in the record's
    words (core/victimdetails.py ``details_updates``)."""


def new_victim_problems(v: NewVictim, today: date) -> list[str]:
    """Everything wrong with the input, all at once (errors as values)."""
    problems = [
        p for p in (
            choice_problem("kind", v.kind, vocab.VICTIM_KINDS),
            choice_problem("stage", v.stage, vocab.STAGES),
            choice_problem("referral source", v.source, vocab.REFERRAL_SOURCES),
            choice_problem("disposal", v.disposal, vocab.DISPOSALS),
            choice_problem("consent to contact", v.consent_contact, ("yes", "no")),
        ) if p
    ]
    problems += [p for e in v.entitlements if (p := choice_problem("entitlement", e, vocab.ENTITLEMENTS))]
    problems += [p for what, value in (("title", v.title), ("parent's title", v.parent_title),
                                       ("representative's title", v.representative_title))
                 if (p := choice_problem(what, value, TITLES))]
    problems += [p for what, value in (("--salutation", v.salutation),
                                       ("--offence-for-letters", v.offence_for_letters))
                 if (p := name_problem(what, value))]
    problems += [p for what, value in (("--name", v.name), ("--worker", v.worker),
                                       ("--parent", v.parent_name),
                                       ("--representative", v.representative_name))
                 if (p := name_problem(what, value))]
    problems += [f"{title} is the title of {who}: give {who} too"
                 for title, who, value, name in (
                     ("--parent-title", "--parent", v.parent_title, v.parent_name),
                     ("--representative-title", "--representative", v.representative_title,
                      v.representative_name)) if value and not name]
    if not v.name.strip():
        problems.append("a name is needed")
    if not v.children:
        problems.append("name the child's record with --child C-...")
    if v.allocated > today:
        problems.append(f"allocation date {v.allocated} is after today ({today})")
    if v.dob and v.dob > today:
        problems.append(f"date of birth {v.dob} is in the future")
    problems += [p for p in (victim_age_problem(v.dob, v.allocated),) if p]
    if v.kind == "under-18" and v.dob and not is_under_18(v.dob, v.allocated) \
            and v.dob <= v.allocated:
        problems.append(f"date of birth {v.dob} makes them {age_on(v.dob, v.allocated)} on "
                        f"{v.allocated}, not under 18")
    if v.kind == "under-18" and not v.parent_name:
        age = (f" ({v.name.strip()} is {age_on(v.dob, v.allocated)} on {v.allocated})"
               if v.dob is not None and is_under_18(v.dob, v.allocated) else "")
        problems.append(f"a victim under 18{age} needs a parent or guardian (--parent NAME): "
                        "they are contacted first, must consent, and letters go to them "
                        "(Somerset 6.4)")
    if v.kind == "corporate" and not v.representative_name:
        problems.append("a corporate victim needs a named representative (--representative NAME) "
                        "(Wokingham 16)")
    return problems


def new_victim_record(record_id: str, v: NewVictim, new_id: NewId, today: date, by: str | None,
                      now: datetime) -> dict[str, Any]:
    """The mapping of a new victim file, keys in reading order."""
    parent = _compact({"name": v.parent_name, "title": v.parent_title,
                       "phone": v.parent_phone})
    representative = _compact({"name": v.representative_name, "title": v.representative_title,
                               "role": v.representative_role})
    address = _compact({"lines": list(v.address_lines), "postcode": v.postcode})
    referral = _compact({
        "source": v.source, "stage": v.stage, "disposal": v.disposal, "allocated": v.allocated,
        "worker": v.worker, "sentence_date": v.sentence_date,
    })
    return _compact({
        "id": record_id,
        "kind": v.kind,
        "title": v.title,
        "name": v.name.strip(),
        "salutation": v.salutation,
        "dob": v.dob,
        "phones": list(v.phones),
        "email": v.email,
        "address": address,
        "entitlements": list(v.entitlements),
        "parent_guardian": parent,
        "representative": representative,
        "home_service": v.home_service,
        "offence_for_letters": v.offence_for_letters,
        "offence_category": v.offence_category,
        **details_tree(v.details),
        "children": [_compact({"child": c, "offence": v.offence}) for c in v.children],
        "referral": referral,
        "consents": [consent_entry(new_id, "contact", v.consent_contact, v.allocated,
                                   v.consent_source or "YOT1", None, by, now)],
        "status_history": [status_entry(new_id, v.allocated, "open", None, by, "allocated")],
        "contacts": [],
    })


@dataclass(frozen=True)
class NewChild:
    """What ``rj child new`` collects."""

    name: str
    dob: date | None
    disposal: str | None
    sentence_date: date | None
    order_start: date | None
    order_end: date | None
    case_holder: str | None
    sex: str | None = None
    ethnicity: str | None = None
    offence: str | None = None
    violent_or_sexual: bool = False
    sentence_months: int | None = None
    address_lines: tuple[str, ...] = ()
    postcode: str | None = None
    parent_name: str | None = None
    parent_phone: str | None = None


def new_child_problems(c: NewChild, today: date) -> list[str]:
    problems = [
        p for p in (
            choice_problem("disposal", c.disposal, vocab.DISPOSALS),
            choice_problem("sex", c.sex, vocab.SEXES),
        ) if p
    ]
    problems += [p for what, value in (("--name", c.name), ("--case-holder", c.case_holder),
                                       ("--parent", c.parent_name))
                 if (p := name_problem(what, value))]
    if not c.name.strip():
        problems.append("a name is needed")
    if c.dob and c.dob > today:
        problems.append(f"date of birth {c.dob} is in the future")
    problems += [p for p in (child_age_problem(c.dob, today),) if p]
    if c.order_start and c.order_end and c.order_end < c.order_start:
        problems.append(f"order end {c.order_end} is before its start {c.order_start}")
    if c.sentence_date and c.order_end and c.order_end < c.sentence_date:
        problems.append(f"order end {c.order_end} is before the sentence date {c.sentence_date}")
    return problems


def new_child_record(record_id: str, c: NewChild, new_id: NewId, today: date,
                     by: str | None) -> dict[str, Any]:
    offence = _compact({"description": c.offence, "violent_or_sexual": c.violent_or_sexual or None})
    return _compact({
        "id": record_id,
        "name": c.name.strip(),
        "dob": c.dob,
        "sex": c.sex,
        "ethnicity": c.ethnicity,
        "case_holder": c.case_holder,
        "address": _compact({"lines": list(c.address_lines), "postcode": c.postcode}),
        "parent_carer": _compact({"name": c.parent_name, "phone": c.parent_phone}),
        "offences": [offence] if offence else [],
        "disposal": c.disposal,
        "sentence_date": c.sentence_date,
        "sentence_months": c.sentence_months,
        "order_start": c.order_start,
        "order_end": c.order_end,
        "victims": [],
        "status_history": [status_entry(new_id, c.sentence_date or today, "open", None, by)],
    })


HEADINGS = (
    ("reason", "Reason for recording"),
    ("victim_view", "The victim's view on restorative justice"),
    ("case_holder_liaison", "Contact or action with the case holder"),
    ("risk_safeguarding", "Risk or safeguarding"),
    ("further_action", "Further action"),
)
"""Tower Hamlets' frame for every case note."""


@dataclass(frozen=True)
class NewContact:
    """What ``rj contact log`` collects."""

    method: str
    outcome: str
    at: datetime
    party: str = "victim"
    note: str | None = None
    letter: str | None = None
    file: str | None = None
    headings: Mapping[str, str] | None = None


def contact_problems(c: NewContact, now: datetime) -> list[str]:
    problems = [
        p for p in (
            choice_problem("method", c.method, vocab.CONTACT_METHODS),
            choice_problem("outcome", c.outcome, vocab.CONTACT_OUTCOMES),
            choice_problem("with", c.party, vocab.CONTACT_PARTIES),
        ) if p
    ]
    if c.at > now:
        problems.append(f"the contact time {format_datetime(c.at)} is in the future")
    for key in (c.headings or {}):
        if key not in dict(HEADINGS):
            problems.append(f"heading '{key}' is not one of: {', '.join(k for k, _ in HEADINGS)}")
    return problems


def contact_entry(new_id: NewId, c: NewContact, by: str | None, now: datetime) -> dict[str, Any]:
    headings = _compact(dict(c.headings or {}))
    return _compact({
        "id": new_id(),
        "at": format_datetime(c.at),
        "method": c.method,
        "outcome": c.outcome,
        "with": c.party if c.party != "victim" else None,
        "letter": c.letter,
        "file": c.file,
        "note": c.note,
        "headings": headings,
        "by": by,
        "recorded_at": format_datetime(now),
    })
