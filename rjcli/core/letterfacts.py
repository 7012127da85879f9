"""Letters: what a letter is built from, and the facts it takes from the record.

Pure: no files, no clock; today and the working calendar are parameters. A build
(:class:`Build`) holds the facts, the template's context so far and what is missing;
each section a kind needs or uses (``route``, ``offence``, ``agreement``...) adds its
facts to the context or says what is missing (:data:`SECTIONS`). The sender and the
recipient are in :mod:`rjcli.core.letterparties`.

Nothing about the child goes into a letter a victim reads unless the child's record
holds permission to share it (Somerset 7.3); a letter to the child holds nothing about
the victim (Somerset 5.4).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from rjcli.core import restorative, vocab
from rjcli.core.age import victim_under_18
from rjcli.core.calendar import WorkingCalendar
from rjcli.core.config import CasebookConfig
from rjcli.core.dates import as_date, uk_date
from rjcli.core.feedback import Questionnaire
from rjcli.core.lettercopies import PartyCopy
from rjcli.core.letterkinds import LetterKind
from rjcli.core.model import Child, Victim
from rjcli.core.offences import NO_CATEGORIES, OffenceCategories, offence_words

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
    offence_categories: OffenceCategories = NO_CATEGORIES
    """The offence categories in force (policy/offence-categories.yaml)."""
    questionnaires: tuple[Questionnaire, ...] = ()
    """The feedback questionnaires in force (policy/questionnaires/), for the feedback form."""


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
    warnings: tuple[str, ...] = ()
    """What the worker should know, though the letter is written (each said once)."""
    victim: Victim | None = None
    """The victim it is written from (a copy for everyone is checked for their details)."""
    copy: PartyCopy | None = None
    """One party's copy of a shared form (the outcome agreement), addressed to them."""


class Build:
    """The state of one build: the facts, the context so far, what is missing."""

    def __init__(self, kind: LetterKind, facts: LetterFacts) -> None:
        self.kind = kind
        self.facts = facts
        self.context: Context = {}
        self.missing: list[str] = []
        self.warnings: list[str] = []
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


def _route(b: Build) -> None:
    v = b.victim
    route = route_of(v)
    before_sentence = (v.referral.stage == "pre-sentence"
                       or v.referral.disposal == "psr-requested")
    b.context.update({
        "route": route,
        "before_sentence": route == "court" and before_sentence,
        # out of court, with no disposal yet: the panel has not decided (Somerset 9.2)
        "before_decision": route == "out-of-court" and v.referral.stage == "pre-court"
                           and v.referral.disposal not in vocab.OUT_OF_COURT_DISPOSALS,
        "referral_order": v.referral.disposal == "referral-order",
    })
    if route is None:
        b.need("the referral stage or disposal, to choose the court or out-of-court letter "
               "(referral.stage or referral.disposal)")


def _complaints(b: Build) -> None:
    if not b.facts.config.service.complaints:
        b.need("how to complain, which victims are told at the start "
               "(service.complaints in rj.yaml; Tower Hamlets)")


def _reply_by(b: Build) -> None:
    day = reply_by(b.facts.today, b.facts.calendar)
    b.reply_by = day
    b.context["reply_by"] = uk_date(day)
    b.context["reply_by_iso"] = day.isoformat()


def _young_person(b: Build) -> None:
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


def _offence(b: Build) -> None:
    """The offence in words recorded for letters, never the notes (rjcli.core.offences)."""
    v = b.victim
    categories = b.facts.offence_categories
    said = offence_words(v, categories)
    b.context["offence"] = said.words
    b.context["offence_cy"] = said.words_cy
    listed = ", ".join(categories.words) or "none: policy/offence-categories.yaml lists none"
    if said.unknown_category:
        b.need(f"an offence category on the list: '{said.unknown_category}' is not one of "
               f"{listed} (offence_category in victims/{v.id}.yaml; the list is "
               "policy/offence-categories.yaml)")
    elif said.unnamed:
        b.warnings.append(
            f"the letter says 'the offence': nothing about it is recorded for letters, and "
            f"the offence notes are never printed. To name it, set offence_for_letters (plain "
            f"words, e.g. \"damage to your car\") or offence_category (one of: {listed}) "
            f"in victims/{v.id}.yaml (rj edit {v.id})")


def _earlier_letter(b: Build) -> None:
    sent = [c for c in b.victim.contacts
            if c.method == "letter" and c.letter == "initial" and c.outcome == "sent" and c.day]
    latest = max((c.day for c in sent if c.day), default=None)
    b.context["initial_letter_date"] = uk_date(latest) if latest else None


def _option_statuses(victim: Victim) -> dict[str, str]:
    """Each restorative option's status now (its latest entry)."""
    latest = restorative.latest_offers(restorative.entries(victim.extra, "offers"))
    return {option: str(entry.get("status")) for option, entry in latest.items()}


def _completed_options(b: Build) -> None:
    done = [o for o, s in _option_statuses(b.victim).items() if s == "completed"]
    b.context["completed"] = [OPTION_WORDS.get(o, vocab.label(o)) for o in done]


def _closure_reason(b: Build) -> None:
    closed = [s for s in b.victim.status_history if s.status == "closed"]
    latest = max(closed, key=lambda s: (s.date, s.id), default=None)
    b.context["closure_reason"] = latest.reason if latest and not b.victim.is_open else None


def _map(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _progress_request(b: Build) -> None:
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


def _news(b: Build) -> None:
    note = (b.facts.note or "").strip()
    b.context["news"] = note or None
    if not note:
        b.need("the news to give, in plain words (--note \"...\")")


def _panel(b: Build) -> None:
    b.context["referral_order"] = b.victim.referral.disposal == "referral-order"
    b.context["panel"] = ("Referral Order panel" if b.context["referral_order"] else "panel")


def _statement(b: Build) -> None:
    note = (b.facts.note or "").strip()
    b.context["statement"] = note or None


def _parent_guardian(b: Build) -> None:
    v = b.victim
    if not victim_under_18(v):
        b.need(f"a victim under 18: this letter asks a parent or guardian for consent, "
               f"and {v.id} is recorded as '{v.kind}'")


def _accepted_options(b: Build) -> None:
    accepted = [o for o, s in _option_statuses(b.victim).items() if s in restorative.ACTIVE]
    b.context["options"] = [OPTION_WORDS.get(o, vocab.label(o)) for o in accepted]
    if not accepted:
        b.need("a restorative option the victim has accepted (offers: status accepted)")


def _conferences(victim: Victim) -> list[Mapping[str, Any]]:
    return restorative.by_date(restorative.entries(victim.extra, "conferences"))


def _planned_meeting(b: Build) -> None:
    planned = [c for c in _conferences(b.victim) if c.get("status") == "planned"]
    day = as_date(planned[-1].get("date")) if planned else None
    b.context["meeting_date"] = uk_date(day) if day else None


def _agreement(b: Build) -> None:
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


def uk_time(moment: datetime) -> str:
    """A time as people write it in letters: ``4pm``, ``4:30pm``, ``12 noon``."""
    if (moment.hour, moment.minute) == (12, 0):
        return "12 noon"
    hour = moment.hour % 12 or 12
    suffix = "am" if moment.hour < 12 else "pm"
    return f"{hour}{suffix}" if moment.minute == 0 else f"{hour}:{moment.minute:02d}{suffix}"


def _appointment(b: Build) -> None:
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


def _case_holder(b: Build) -> None:
    b.context["case_holder"] = b.child.case_holder


SECTIONS: Mapping[str, Callable[[Build], None]] = {
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
    "accepted-options": _accepted_options,
    "planned-meeting": _planned_meeting,
    "agreement": _agreement,
    "appointment": _appointment,
    "case-holder": _case_holder,
}
"""The sections of the record's facts, by the name a kind gives them."""
