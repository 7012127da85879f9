"""Letters and forms: the kinds there are, what each needs, and the facts a template
may use (pure: no files, no clock; today and the working calendar are parameters).

Every kind is data (:data:`KINDS`): which record it is written from, who reads it,
which facts it needs (a letter with a need unmet is not written: all the missing
facts are listed at once) and which it uses when they are recorded.

The context a template sees is plain data (text, lists and mappings, nothing else),
built section by section from the record, ``rj.yaml`` and the day:

* the service and its letterhead, the signing worker from the staff list;
* the recipient: the victim, or for a victim under 18 the parent or guardian
  (Somerset 6.4), or for an organisation its named representative (Wokingham 16,
  Somerset 6.7); for the child's letter, the child and their parent or carer;
* the letter date in UK style, and where the kind asks for a reply the reply-by date
  (:func:`reply_by`, Wokingham 5);
* only the facts the kind needs. Nothing about the child goes into a letter a victim
  reads unless the child's record holds permission to share it (Somerset 7.3); a
  letter to the child holds nothing about the victim (Somerset 5.4).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from rjcli.core import restorative, vocab
from rjcli.core.age import victim_under_18
from rjcli.core.calendar import WorkingCalendar
from rjcli.core.config import CasebookConfig, StaffMember
from rjcli.core.dates import as_date, uk_date
from rjcli.core.model import Address, Child, Person, Victim, address_from, person_from

Context = dict[str, Any]
"""What a template sees: plain text, lists and mappings only."""

REPLY_WORKING_DAYS = 5
"""Working days between the letter date and the reply-by date (Wokingham 5)."""


def reply_by(letter_date: date, calendar: WorkingCalendar) -> date:
    """The date printed in a letter by which we would welcome a reply.

    Wokingham 5: the initial letter gives "a date by which we would welcome contact
    from them (5 working days)". Five working days after the letter date, skipping
    weekends, bank holidays and the service's closure days. The one place this
    number lives, so that the policy engine can supply it later.
    """
    return calendar.add_working_days(letter_date, REPLY_WORKING_DAYS)


# --- the kinds -------------------------------------------------------------------


@dataclass(frozen=True)
class LetterKind:
    """One kind of letter or form."""

    name: str
    """The word on the command line and in the contact log (``initial``)."""
    title: str
    """What it is, for people."""
    record: str
    """The record it is written from: ``victim`` or ``child``."""
    audience: str
    """Who reads it: ``victim`` (the victim's side) or ``child`` (the child and family)."""
    layout: str
    """``letter`` (address block, Dear..., signature) or ``form`` (to read and sign)."""
    source: str
    """Where the sources ask for it."""
    needs: tuple[str, ...]
    """Sections that must be complete (see :data:`NEEDS`), else nothing is written."""
    uses: tuple[str, ...] = ()
    """Sections printed when recorded, never required."""
    enclosures: tuple[str, ...] = ()
    """What goes in the envelope."""
    options: tuple[str, ...] = ()
    """Command-line facts it takes: ``note``, ``at``, ``venue``."""

    @property
    def has_reply_by(self) -> bool:
        return "reply-by" in self.needs


LEAFLET = "Our leaflet about how we help people affected by crime"
COMPLAINTS = "How to make a complaint"
FEEDBACK_FORM = "A short feedback form and a reply envelope"
CHILD_LEAFLET = "Our leaflet for young people about restorative justice"

_VICTIM_LETTER = ("service", "worker", "recipient", "contact-consent")

KINDS: tuple[LetterKind, ...] = (
    LetterKind(
        "initial", "Initial contact letter", "victim", "victim", "letter",
        "Wokingham 5 and appendices 3a/3b; Wait 'til Eight §6.4.3; Tower Hamlets appendix 3",
        needs=(*_VICTIM_LETTER, "route", "complaints", "reply-by"),
        uses=("young-person", "offence"),
        enclosures=(LEAFLET, COMPLAINTS),
    ),
    LetterKind(
        "final", "Second and final letter", "victim", "victim", "letter",
        "Wokingham 6; Somerset 6.1; Tower Hamlets appendix 4",
        needs=(*_VICTIM_LETTER, "reply-by"),
        uses=("young-person", "offence", "earlier-letter"),
        enclosures=(LEAFLET,),
    ),
    LetterKind(
        "closure", "Closure letter", "victim", "victim", "letter",
        "Wokingham 12, 14 and appendix 4",
        needs=_VICTIM_LETTER,
        uses=("young-person", "offence", "completed-options", "closure-reason"),
        enclosures=(FEEDBACK_FORM, LEAFLET),
    ),
    LetterKind(
        "update", "Progress update", "victim", "victim", "letter",
        "Somerset 7.6; Tower Hamlets e",
        needs=(*_VICTIM_LETTER, "progress-request", "news"),
        uses=("young-person",),
        options=("note",),
    ),
    LetterKind(
        "panel-statement", "Statement for the panel", "victim", "victim", "form",
        "Wokingham 9d and appendix 6; Tower Hamlets appendix 6",
        needs=("service", "worker", "contact-consent"),
        uses=("panel", "statement"),
        options=("note",),
    ),
    LetterKind(
        "compensation", "Compensation cannot be enforced", "victim", "victim", "letter",
        "Somerset 7.8",
        needs=_VICTIM_LETTER,
        uses=("young-person", "offence"),
    ),
    LetterKind(
        "parent-consent", "Letter asking a parent or guardian for consent", "victim", "victim",
        "letter", "Somerset 6.4; Wait 'til Eight §5.4; Wokingham PSR 2",
        needs=(*_VICTIM_LETTER, "parent-guardian", "reply-by"),
        enclosures=(LEAFLET,),
    ),
    LetterKind(
        "consent-form", "Consent to take part in restorative justice", "victim", "victim",
        "form", "YJB §24; Wait 'til Eight 9.1-9.2",
        needs=("service", "worker", "contact-consent", "participant", "accepted-options"),
    ),
    LetterKind(
        "confidentiality-agreement", "Confidentiality agreement", "victim", "victim", "form",
        "Tower Hamlets appendix 8 and additional notes",
        needs=("service", "worker", "contact-consent", "participant"),
        uses=("planned-meeting",),
    ),
    LetterKind(
        "outcome-agreement", "Outcome agreement", "victim", "victim", "form",
        "Wait 'til Eight appendix 7; Tower Hamlets appendix 12",
        needs=("service", "worker", "contact-consent", "agreement"),
    ),
    LetterKind(
        "child-appointment", "Invitation to a restorative justice appointment", "child",
        "child", "letter", "Wait 'til Eight 4.1, introductory letters",
        needs=("service", "worker", "child-recipient", "appointment"),
        uses=("case-holder",),
        enclosures=(CHILD_LEAFLET,),
        options=("at", "venue"),
    ),
)

KIND_NAMES = tuple(k.name for k in KINDS)


NEEDS: Mapping[str, str] = {
    "service": "the service's name and postal address (rj.yaml)",
    "worker": "the signing worker's name and phone number (staff list in rj.yaml)",
    "recipient": "the recipient's name and postal address (the victim; a parent or guardian "
                 "for a victim under 18; the named representative of an organisation)",
    "contact-consent": "the victim's consent to be contacted (and no other service "
                       "making contact for us)",
    "route": "the referral stage or disposal (chooses the court or out-of-court letter)",
    "complaints": "how to complain (service.complaints in rj.yaml)",
    "reply-by": "a reply-by date (worked out: 5 working days after the letter date)",
    "progress-request": "what the victim asked to be told (progress_request.what), still wanted",
    "news": "the news to give, in plain words (--note)",
    "parent-guardian": "a victim under 18 with a parent or guardian",
    "participant": "who signs (the victim; with a parent or guardian for a victim under 18)",
    "accepted-options": "a restorative option the victim has accepted (offers)",
    "agreement": "a held conference with agreement items (conferences)",
    "child-recipient": "the child's name and postal address, and their parent or carer",
    "appointment": "the appointment's time and place (--at, --venue)",
}
"""Each need in words, for ``rj letter list``."""

NEEDS_SHORT: Mapping[str, str] = {
    "service": "service address",
    "worker": "worker's phone",
    "recipient": "recipient's address",
    "contact-consent": "consent to contact",
    "route": "stage or disposal",
    "complaints": "complaints route",
    "reply-by": "reply-by date",
    "progress-request": "what updates were asked for",
    "news": "--note",
    "parent-guardian": "victim under 18",
    "participant": "who signs",
    "accepted-options": "an accepted option",
    "agreement": "a held conference's agreement",
    "child-recipient": "child's address and carer",
    "appointment": "--at and --venue",
}
"""Each need in a few words, for the table of ``rj letter list``."""

USES: Mapping[str, str] = {
    "young-person": "the child's name, only with the child's permission",
    "offence": "the offence, in plain words",
    "earlier-letter": "the date of the initial letter",
    "completed-options": "the support the victim completed",
    "closure-reason": "why the case closed",
    "panel": "the Referral Order panel",
    "statement": "the victim's words (--note)",
    "planned-meeting": "the planned meeting's date",
    "case-holder": "the child's case holder",
}

ROLE_TITLES: Mapping[str, str] = {
    "rj-worker": "Victim and Restorative Justice Worker",
    "case-holder": "Youth Justice Worker",
    "manager": "Team Manager",
    "admin": "Administrator",
}
"""How a staff role is printed under a signature."""

OPTION_WORDS: Mapping[str, str] = {
    "conference": "a restorative justice meeting",
    "shuttle-mediation": "messages passed between you and the young person through us",
    "letter-of-explanation": "a letter of explanation from the young person",
    "direct-reparation": "work by the young person to put right the harm done to you",
    "indirect-reparation": "work by the young person to benefit the community",
    "panel-attendance": "going to the young person's Referral Order panel",
    "panel-statement": "a statement read out at the young person's Referral Order panel",
    "impact-statement": "a statement of how the offence affected you, used in the young "
                        "person's work with us",
    "progress-updates": "updates on the young person's progress",
    "support-referral": "a referral to another support service",
}
"""Restorative options in plain words (Somerset 7.2: no jargon)."""

INITIAL_FORBIDDEN = (
    "face to face", "face-to-face", "conference", "meet the young person",
    "meeting the young person", "meeting with the young person", "meet the child",
    "meeting the child",
)
"""Words the initial letter must not contain: meeting the child is raised in person,
never in the first letter (Wait 'til Eight §6.4.3)."""


# --- what a letter is built from --------------------------------------------------


@dataclass(frozen=True)
class LetterFacts:
    """Everything a letter may be built from (read by the command, passed in)."""

    config: CasebookConfig
    """The casebook's settings: the service, the staff list."""
    today: date
    """The letter date."""
    calendar: WorkingCalendar
    """Working days of the service's region, with its closure days."""
    victim: Victim | None = None
    """For a victim letter: the victim."""
    linked_children: tuple[Child, ...] = ()
    """For a victim letter: the children linked to the victim (permission, name guard)."""
    child: Child | None = None
    """For a child letter: the child."""
    signer: str | None = None
    """Who signs: --signed-by, else the allocated worker, else --worker."""
    note: str | None = None
    """--note: the news of an update, or the victim's words for the panel."""
    appointment_at: datetime | None = None
    """--at: the appointment's time (child-appointment)."""
    venue: str | None = None
    """--venue: where the appointment is (child-appointment)."""


@dataclass(frozen=True)
class LetterDraft:
    """A letter ready to render, or the list of what is missing."""

    kind: LetterKind
    """The kind."""
    record_id: str
    """The record it is written from."""
    context: Context
    """What the template sees."""
    missing: tuple[str, ...]
    """Every missing or blocking fact, in words; empty when the letter can be written."""
    reply_by: date | None
    """The reply-by date printed, if the kind has one."""
    party: str
    """Who it is sent to, in the contact log's words (``victim``, ``parent-guardian``...)."""
    private_terms: tuple[str, ...] = field(default=())
    """The child's name and date of birth, never to appear in the letter (no permission)."""


class _Build:
    """The state of one build: the facts, the context so far, what is missing."""

    def __init__(self, kind: LetterKind, facts: LetterFacts) -> None:
        self.kind = kind
        self.facts = facts
        self.context: Context = {}
        self.missing: list[str] = []
        self.party = "victim" if kind.record == "victim" else "child"
        self.reply_by: date | None = None

    @property
    def victim(self) -> Victim:
        if self.facts.victim is None:  # pragma: no cover - build_letter checks
            raise ValueError("a victim letter needs a victim")
        return self.facts.victim

    @property
    def child(self) -> Child:
        if self.facts.child is None:  # pragma: no cover - build_letter checks
            raise ValueError("a child letter needs a child")
        return self.facts.child

    def need(self, message: str) -> None:
        self.missing.append(message)


def build_letter(kind: LetterKind, facts: LetterFacts) -> LetterDraft:
    """The context of a ``kind`` letter from ``facts``, with every missing fact listed."""
    subject = facts.victim if kind.record == "victim" else facts.child
    if subject is None:
        raise ValueError(f"a {kind.name} letter is written from a {kind.record} record")
    b = _Build(kind, facts)
    b.context.update({
        "kind": kind.name,
        "title": kind.title,
        "layout": kind.layout,
        "record": subject.id,
        "letter_date": uk_date(facts.today),
        "letter_date_iso": facts.today.isoformat(),
        "reply_by": None,
        "reply_by_iso": None,
        "enclosures": list(kind.enclosures),
    })
    for section in (*kind.needs, *kind.uses):
        _SECTIONS[section](b)
    private = _private_terms(facts) if kind.audience == "victim" else ()
    if kind.audience == "victim":
        b.missing += _free_text_problems(b.context, facts)
    return LetterDraft(kind=kind, record_id=subject.id, context=b.context,
                       missing=tuple(b.missing), reply_by=b.reply_by, party=b.party,
                       private_terms=private)


def missing_fields(kind: LetterKind, facts: LetterFacts) -> list[str]:
    """Every fact missing for a ``kind`` letter (empty: it can be written)."""
    return list(build_letter(kind, facts).missing)


# --- sections ---------------------------------------------------------------------


def _address_lines(address: Address | None) -> list[str]:
    return list(address.as_lines()) if address else []


def _address_gaps(address: Address | None, whose: str) -> list[str]:
    if address is None or (not address.lines and not address.postcode):
        return [f"{whose} postal address"]
    gaps = []
    if not address.lines:
        gaps.append(f"{whose} street address (address lines)")
    if not address.postcode:
        gaps.append(f"{whose} postcode")
    return gaps


def _first_name(name: str | None) -> str | None:
    return name.split()[0] if name else None


def _service(b: _Build) -> None:
    s = b.facts.config.service
    heading = [*s.letterhead] or ([s.name] if s.name else [])
    contact = [line for line in (
        f"Telephone: {s.phone}" if s.phone else None,
        f"E-mail: {s.email}" if s.email else None,
    ) if line]
    b.context["service"] = {
        "name": s.name,
        "letterhead": list(s.letterhead),
        "address_lines": _address_lines(s.address),
        "phone": s.phone,
        "email": s.email,
        "complaints": s.complaints,
        "sign_off": s.sign_off or "Yours sincerely",
        "heading_lines": [*heading, *_address_lines(s.address), *contact],
    }
    if not s.name:
        b.need("the service's name (service.name in rj.yaml)")
    b.missing += [f"{gap} (service.address in rj.yaml)"
                  for gap in _address_gaps(s.address, "the service's")]


def _worker(b: _Build) -> None:
    name = b.facts.signer
    member: StaffMember | None = b.facts.config.staff_member(name)
    if not name:
        where = ("no worker is allocated (referral.worker)" if b.kind.record == "victim"
                 else "no --worker was given and the child has no case holder")
        b.need(f"the worker who signs: {where}; give --signed-by NAME")
        b.context["worker"] = None
        return
    if member is None:
        b.need(f"{name} in the staff list of rj.yaml, with a phone number "
               f"(rj staff add \"{name}\" --role rj-worker --phone ...)")
        b.context["worker"] = None
        return
    title = ROLE_TITLES.get(member.role, vocab.label(member.role))
    b.context["worker"] = {
        "name": member.name,
        "role": member.role,
        "role_title": title,
        "phone": member.phone,
        "email": member.email,
        "signature_lines": [line for line in (
            member.name, title,
            f"Telephone: {member.phone}" if member.phone else None,
            f"E-mail: {member.email}" if member.email else None,
        ) if line],
    }
    if not member.phone:
        b.need(f"a phone number for {member.name} (staff list in rj.yaml)")


def _victim_facts(v: Victim) -> dict[str, Any]:
    return {"name": v.name, "first_name": _first_name(v.name), "kind": v.kind}


def _recipient(b: _Build) -> None:
    v = b.victim
    b.context["victim"] = _victim_facts(v)
    if victim_under_18(v):
        _to_person(b, v.parent_guardian, "parent-guardian", "parent or guardian",
                   "parent_guardian", v.address)
    elif v.kind == "corporate":
        _to_person(b, v.representative, "representative", "named representative",
                   "representative", v.address)
    else:
        b.party = "victim"
        b.context["addressed_to"] = "victim"
        b.context["recipient"] = {
            "name": v.name, "role": None, "organisation": None,
            "address_lines": _address_lines(v.address),
            "block": [x for x in (v.name, *_address_lines(v.address)) if x],
        }
        b.context["salutation"] = f"Dear {v.name}"
        b.missing += _address_gaps(v.address, "the victim's")


def _to_person(b: _Build, person: Person | None, party: str, words: str, key: str,
               fallback: Address | None) -> None:
    v = b.victim
    b.party = party
    b.context["addressed_to"] = party
    if person is None or not person.name:
        b.need(f"the {words}'s name ({key}.name in the victim's record)")
    name = person.name if person else None
    address = (person.address if person and person.address else None) or fallback
    organisation = v.name if party == "representative" else None
    role = person.relationship if person else None
    b.context["recipient"] = {
        "name": name, "role": role, "organisation": organisation,
        "address_lines": _address_lines(address),
        "block": [x for x in (name, role if organisation else None, organisation,
                              *_address_lines(address)) if x],
    }
    b.context["salutation"] = f"Dear {name}" if name else None
    b.missing += _address_gaps(address, f"the {words}'s")


def _contact_consent(b: _Build) -> None:
    if b.victim.home_service:
        b.need(f"a victim in our area: {b.victim.home_service} makes contact with this victim, "
               "and we record what they do (Wokingham 17-18)")
    consent = b.victim.consent("contact")
    if consent is None:
        b.need("the victim's consent to be contacted: none is recorded "
               "(rj consent ID contact yes --source YOT1)")
    elif consent.answer != "yes":
        when = f", {uk_date(consent.date)}" if consent.date else ""
        b.need(f"the victim's consent to be contacted: it is '{consent.answer}'{when}; "
               "only victims who consented are contacted (Wokingham PSR 2)")


def route_of(victim: Victim) -> str | None:
    """``out-of-court`` or ``court``: which initial letter (Wokingham appendices 3a/3b).

    Out of court when the referral is pre-court or the disposal is a Community
    Resolution, Youth Caution or Youth Conditional Caution; court when it came at the
    pre-sentence or post-sentence stage or with a court disposal; else unknown.
    """
    stage, disposal = victim.referral.stage, victim.referral.disposal
    if stage == "pre-court" or disposal in vocab.OUT_OF_COURT_DISPOSALS:
        return "out-of-court"
    if stage in ("pre-sentence", "post-sentence") or (
            disposal and disposal != "no-further-action"):
        return "court"
    return None


def _route(b: _Build) -> None:
    v = b.victim
    route = route_of(v)
    before_sentence = (v.referral.stage == "pre-sentence"
                       or v.referral.disposal == "psr-requested")
    b.context.update({
        "route": route,
        "before_sentence": route == "court" and before_sentence,
        "referral_order": v.referral.disposal == "referral-order",
    })
    if route is None:
        b.need("the referral stage or disposal, to choose the court or out-of-court letter "
               "(referral.stage or referral.disposal)")


def _complaints(b: _Build) -> None:
    if not b.facts.config.service.complaints:
        b.need("how to complain, which victims are told at the start "
               "(service.complaints in rj.yaml; Tower Hamlets)")


def _reply_by(b: _Build) -> None:
    day = reply_by(b.facts.today, b.facts.calendar)
    b.reply_by = day
    b.context["reply_by"] = uk_date(day)
    b.context["reply_by_iso"] = day.isoformat()


def _young_person(b: _Build) -> None:
    """The child's name only when every linked child has given permission (Somerset 7.3)."""
    v = b.victim
    known = {c.id: c for c in b.facts.linked_children}
    linked = [known.get(cid) for cid in v.child_ids]
    several = len(linked) > 1
    permitted = [c for c in linked if c is not None and c.permits("share-details-with-victim")]
    names = [c.name for c in permitted if c.name]
    if linked and len(names) == len(linked):
        b.context["young_person"] = " and ".join(names)
        b.context["children"] = [{"name": n} for n in names]
    else:
        b.context["young_person"] = "the young people" if several else "the young person"
        b.context["children"] = []


def _offence(b: _Build) -> None:
    offences = [link.offence for link in b.victim.links if link.offence]
    # never named to the child's own family or household: the letter may be read at a
    # shared address (Somerset 6.6; rjcli.core.gates)
    if b.victim.kind == "family-or-carer":
        offences = []
    b.context["offence"] = "; ".join(dict.fromkeys(offences)) or None


def _earlier_letter(b: _Build) -> None:
    sent = [c for c in b.victim.contacts
            if c.method == "letter" and c.letter == "initial" and c.outcome == "sent" and c.day]
    latest = max((c.day for c in sent if c.day), default=None)
    b.context["initial_letter_date"] = uk_date(latest) if latest else None


def _option_statuses(victim: Victim) -> dict[str, str]:
    """Each restorative option's status now (its latest entry)."""
    latest = restorative.latest_offers(restorative.entries(victim.extra, "offers"))
    return {option: str(entry.get("status")) for option, entry in latest.items()}


def _completed_options(b: _Build) -> None:
    done = [o for o, s in _option_statuses(b.victim).items() if s == "completed"]
    b.context["completed"] = [OPTION_WORDS.get(o, vocab.label(o)) for o in done]


def _closure_reason(b: _Build) -> None:
    closed = [s for s in b.victim.status_history if s.status == "closed"]
    latest = max(closed, key=lambda s: (s.date, s.id), default=None)
    b.context["closure_reason"] = latest.reason if latest and not b.victim.is_open else None


def _map(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _progress_request(b: _Build) -> None:
    v = b.victim
    request = _map(v.extra.get("progress_request"))
    what = str(request.get("what") or "").strip() or None
    until = as_date(request.get("until"))
    b.context["asked_for"] = what
    b.context["updates_until"] = uk_date(until) if until else None
    if not what:
        b.need("what the victim asked to be told about the order "
               "(progress_request.what in the victim's record; Somerset 7.6)")
    if until and until < b.facts.today:
        b.need(f"a wish for updates still in force: the victim asked for updates until "
               f"{uk_date(until)}")
    consent = v.consent("progress-updates")
    if consent is not None and consent.answer != "yes":
        b.need(f"the victim's wish for updates: consent to progress updates is "
               f"'{consent.answer}'")


def _news(b: _Build) -> None:
    note = (b.facts.note or "").strip()
    b.context["news"] = note or None
    if not note:
        b.need("the news to give, in plain words (--note \"...\")")


def _panel(b: _Build) -> None:
    b.context["referral_order"] = b.victim.referral.disposal == "referral-order"
    b.context["panel"] = ("Referral Order panel" if b.context["referral_order"] else "panel")


def _statement(b: _Build) -> None:
    note = (b.facts.note or "").strip()
    b.context["statement"] = note or None


def _parent_guardian(b: _Build) -> None:
    v = b.victim
    if not victim_under_18(v):
        b.need(f"a victim under 18: this letter asks a parent or guardian for consent, "
               f"and {v.id} is recorded as '{v.kind}'")


def _participant(b: _Build) -> None:
    v = b.victim
    b.context["victim"] = _victim_facts(v)
    parent = v.parent_guardian if victim_under_18(v) else None
    rep = v.representative if v.kind == "corporate" else None
    b.context["participant"] = {
        "name": rep.name if rep else v.name,
        "organisation": v.name if rep else None,
        "parent": parent.name if parent else None,
    }
    if victim_under_18(v) and not (parent and parent.name):
        b.need("the parent or guardian who signs with a victim under 18 "
               "(parent_guardian.name; Somerset 6.4)")
    if v.kind == "corporate" and not (rep and rep.name):
        b.need("the organisation's named representative (representative.name; Wokingham 16)")


def _accepted_options(b: _Build) -> None:
    accepted = [o for o, s in _option_statuses(b.victim).items() if s in restorative.ACTIVE]
    b.context["options"] = [OPTION_WORDS.get(o, vocab.label(o)) for o in accepted]
    if not accepted:
        b.need("a restorative option the victim has accepted (offers: status accepted)")


def _conferences(victim: Victim) -> list[Mapping[str, Any]]:
    return restorative.by_date(restorative.entries(victim.extra, "conferences"))


def _planned_meeting(b: _Build) -> None:
    planned = [c for c in _conferences(b.victim) if c.get("status") == "planned"]
    day = as_date(planned[-1].get("date")) if planned else None
    b.context["meeting_date"] = uk_date(day) if day else None


def _agreement(b: _Build) -> None:
    held = [c for c in _conferences(b.victim) if c.get("status") == "held"]
    if not held:
        b.need("a conference marked held (conferences: status held)")
        b.context["conference"] = None
        b.context["agreement"] = []
        return
    conference = held[-1]
    day = as_date(conference.get("date"))
    rows = restorative.entries(conference, "agreement")
    rows.sort(key=lambda e: (int(e.get("n") or 0), str(e.get("id", ""))))
    b.context["conference"] = {
        "date": uk_date(day) if day else None,
        "venue": conference.get("venue"),
        "kind": conference.get("kind") or "conference",
    }
    b.context["agreement"] = [
        {"n": e.get("n") or i, "action": str(e.get("action", "")),
         "who": str(e.get("who") or ""),
         "due": uk_date(d) if (d := as_date(e.get("due"))) else None}
        for i, e in enumerate(rows, start=1)
    ]
    if not rows:
        b.need(f"the agreement of the conference held on {uk_date(day) if day else '?'} "
               "(its agreement items)")


def _child_recipient(b: _Build) -> None:
    c = b.child
    address = address_from(c.extra.get("address"))
    carer = person_from(c.extra.get("parent_carer") or c.extra.get("parent_guardian"))
    carer_name = carer.name if carer else None
    if carer and carer.address:
        address = address or carer.address
    names = [n for n in (c.name, carer_name) if n]
    b.party = "child"
    b.context["child"] = {"name": c.name, "first_name": _first_name(c.name)}
    b.context["parent_carer"] = {"name": carer_name} if carer_name else None
    b.context["recipient"] = {
        "name": " and ".join(names) or None, "role": None, "organisation": None,
        "address_lines": _address_lines(address),
        "block": [*names, *_address_lines(address)],
    }
    b.context["salutation"] = "Dear " + " and ".join(names) if names else None
    if not c.name:
        b.need("the child's name")
    if not carer_name:
        b.need(f"the child's parent or carer (parent_carer.name in children/{c.id}.yaml)")
    b.missing += [f"{gap} (address in children/{c.id}.yaml)"
                  for gap in _address_gaps(address, "the child's")]


def uk_time(moment: datetime) -> str:
    """A time as people write it in letters: ``4pm``, ``4:30pm``, ``12 noon``."""
    if (moment.hour, moment.minute) == (12, 0):
        return "12 noon"
    hour = moment.hour % 12 or 12
    suffix = "am" if moment.hour < 12 else "pm"
    return f"{hour}{suffix}" if moment.minute == 0 else f"{hour}:{moment.minute:02d}{suffix}"


def _appointment(b: _Build) -> None:
    at, venue = b.facts.appointment_at, (b.facts.venue or "").strip() or None
    b.context["appointment"] = {
        "date": uk_date(at.date()) if at else None,
        "weekday": at.strftime("%A") if at else None,
        "time": uk_time(at) if at else None,
        "venue": venue,
    }
    if at is None:
        b.need("the appointment's date and time (--at \"YYYY-MM-DD HH:MM\")")
    elif at.date() <= b.facts.today:
        b.need(f"an appointment after the letter date: {uk_date(at.date())} is not")
    if venue is None:
        b.need("where the appointment is (--venue \"...\")")


def _case_holder(b: _Build) -> None:
    b.context["case_holder"] = b.child.case_holder


_SECTIONS: Mapping[str, Callable[[_Build], None]] = {
    "service": _service,
    "worker": _worker,
    "recipient": _recipient,
    "contact-consent": _contact_consent,
    "route": _route,
    "complaints": _complaints,
    "reply-by": _reply_by,
    "young-person": _young_person,
    "offence": _offence,
    "earlier-letter": _earlier_letter,
    "completed-options": _completed_options,
    "closure-reason": _closure_reason,
    "progress-request": _progress_request,
    "news": _news,
    "panel": _panel,
    "statement": _statement,
    "parent-guardian": _parent_guardian,
    "participant": _participant,
    "accepted-options": _accepted_options,
    "planned-meeting": _planned_meeting,
    "agreement": _agreement,
    "child-recipient": _child_recipient,
    "appointment": _appointment,
    "case-holder": _case_holder,
}


# --- keeping the child's details out of what a victim reads -----------------------


def _unpermitted(facts: LetterFacts) -> list[Child]:
    return [c for c in facts.linked_children if not c.permits("share-details-with-victim")]


def _private_terms(facts: LetterFacts) -> tuple[str, ...]:
    """The full name and date of birth of each linked child who gave no permission."""
    terms: list[str] = []
    for c in _unpermitted(facts):
        if c.name:
            terms.append(c.name)
        if c.dob:
            terms += [uk_date(c.dob), c.dob.isoformat(), c.dob.strftime("%d/%m/%Y")]
    return tuple(terms)


def _free_texts(context: Context) -> list[tuple[str, str]]:
    """(what, text) for every text a worker typed that a victim letter prints."""
    texts = [("the offence", context.get("offence")), ("--note", context.get("news")),
             ("--note", context.get("statement"))]
    for row in context.get("agreement") or []:
        texts += [(f"agreement item {row['n']}", row["action"]),
                  (f"agreement item {row['n']}", row["who"])]
    return [(what, text) for what, text in texts if text]


def _name_pattern(name: str) -> re.Pattern[str]:
    """The child's full name (any case) or any part of it of 2+ letters (as written)."""
    parts = [re.escape(p) for p in name.split() if len(p) >= 2]
    full = re.escape(name)
    return re.compile(rf"(?i:\b{full}\b)|\b(?:{'|'.join(parts)})\b" if parts
                      else rf"(?i:\b{full}\b)")


def _free_text_problems(context: Context, facts: LetterFacts) -> list[str]:
    problems: list[str] = []
    for child in _unpermitted(facts):
        if not child.name:
            continue
        pattern = _name_pattern(child.name)
        for what, text in _free_texts(context):
            found = pattern.search(text)
            if found:
                problems.append(
                    f"{what} names the child ('{found.group(0)}'), who has not agreed to their "
                    "details being shared with the victim (Somerset 7.3): reword it, or record "
                    f"the child's permission (rj consent {child.id} share-details-with-victim yes)")
    return list(dict.fromkeys(problems))


def rendered_problems(draft: LetterDraft, text: str) -> list[str]:
    """What is wrong with a rendered letter (its text): the last guard, for any template.

    A letter a victim reads must not show the child's name or date of birth without the
    child's permission (Somerset 7.3); the initial letter must not raise meeting the
    child or a conference (Wait 'til Eight §6.4.3).
    """
    problems = []
    folded = _fold(text)
    for term in draft.private_terms:
        if _fold(term) in folded:
            problems.append(f"it shows the child's details ('{term}') without the child's "
                            "permission (Somerset 7.3)")
    if draft.kind.name == "initial":
        body = folded
        for line in _from_the_record(draft.context):  # "Conference House" is not an offer
            body = body.replace(_fold(line), " ")
        for phrase in INITIAL_FORBIDDEN:
            if re.search(rf"\b{re.escape(phrase)}\b", body):
                problems.append(f"the initial letter mentions '{phrase}': meeting the young "
                                "person is raised in person, not in the first letter "
                                "(Wait 'til Eight §6.4.3)")
    return problems


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


def _from_the_record(context: Context) -> list[str]:
    """Addresses and the offence: words of the record, not of the template."""
    service = context.get("service") or {}
    recipient = context.get("recipient") or {}
    offence = context.get("offence")
    return [*service.get("heading_lines", []), *recipient.get("block", []),
            *([offence] if offence else [])]


def contact_note(draft: LetterDraft) -> str:
    """The note on the contact entry a sent letter leaves."""
    parts = [draft.kind.title]
    route = draft.context.get("route")
    if route:
        parts.append(f"({route} version)")
    note = " ".join(parts)
    if draft.reply_by:
        note += f"; reply by {uk_date(draft.reply_by)}"
    return note


def describe(kind: LetterKind) -> dict[str, Any]:
    """A kind as plain data for ``rj letter list --json``."""
    return {
        "kind": kind.name,
        "title": kind.title,
        "record": kind.record,
        "audience": kind.audience,
        "layout": kind.layout,
        "needs": [NEEDS[n] for n in kind.needs],
        "uses": [USES[u] for u in kind.uses],
        "enclosures": list(kind.enclosures),
        "options": [f"--{o}" for o in kind.options],
        "source": kind.source,
        "reply_by": kind.has_reply_by,
    }


def addressed_to(kind: LetterKind, short: bool = False) -> str:
    """Who a kind goes to, in words (``short``: in a few)."""
    if short:
        if kind.record == "child":
            return "child and carer"
        if kind.name == "parent-consent":
            return "parent or guardian"
        return "victim, to sign" if kind.layout == "form" else "victim's side"
    if kind.record == "child":
        return "the child and their parent or carer"
    if kind.layout == "form":
        return "the victim, to read and sign" if kind.name != "panel-statement" else (
            "the victim, then read at the panel")
    if kind.name == "parent-consent":
        return "the parent or guardian of a victim under 18"
    return "the victim (parent or guardian if under 18; representative if an organisation)"


def unused_options(kind: LetterKind, given: Sequence[str]) -> list[str]:
    """Options given on the command line that this kind does not take."""
    return [o for o in given if o not in kind.options]
