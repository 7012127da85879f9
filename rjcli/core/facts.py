"""Facts in time: what the deadline engine knows of a case, as it stood on a given day
(pure; shared/DOMAIN.md §4; issue 17).

Every flag a rule reads that can change (phone failed, risk found, conference planned,
consent, stage, sentence) is worked out from dated entries as they stood on the day
asked about, never from what the record says now: a manager's approval, a later call
that reached the victim or a conference since held do not rewrite what was due before.
Facts with no dated history (the victim's kind, phone numbers, the disposal) are read as
the record holds them.

Import order (one way): ``facts`` <- ``occurrences`` <- ``met`` <- ``applicability`` <-
``deadlines``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from rjcli.core.dates import as_date
from rjcli.core.model import Child, Consent, Contact, Victim, log_entries

VICTIM_SIDE = ("victim", "parent-guardian", "representative")
"""Contact with the victim: the victim, their parent or guardian, or their representative
(shared/DOMAIN.md §4; Somerset 6.4, 6.7; Wokingham 16)."""
LIAISON = ("home-service", "police", "case-holder")
"""Contact about the victim with another service, the police or the case holder: liaison,
which meets liaison rules only (Wokingham 17.1-18; Somerset 6.2)."""
RESPONSES = ("spoke", "received", "kept")
RJ_OPTIONS_ACTIVE = ("accepted", "in-progress")
RISK_REASONS = ("risk answers", "an overall rating of MEDIUM or HIGH")


@dataclass(frozen=True)
class Case:
    """What the engine knows of one case: the record and the records linked to it."""

    victim: Victim | None
    """The victim, for victim rules."""
    child: Child | None
    """The child, for child rules."""
    children: Mapping[str, Child]
    """Children linked to the victim (by id)."""
    victims: Mapping[str, Victim]
    """Victims linked to the child (by id)."""
    staff_by_role: Mapping[str, str]
    """First staff member of each role (for manager- and admin-owned rules)."""


def record_of(case: Case) -> Victim | Child | None:
    return case.victim if case.victim is not None else case.child


def entries(record: Victim | Child | None, key: str) -> list[Mapping[str, Any]]:
    return log_entries(record.extra.get(key)) if record is not None else []


def victim_contacts(v: Victim) -> list[Contact]:
    return sorted((c for c in v.contacts if c.party in VICTIM_SIDE and c.at),
                  key=lambda c: (c.at, c.id))


def letters(v: Victim, kind: str) -> list[Contact]:
    return [c for c in victim_contacts(v)
            if c.method == "letter" and c.letter == kind and c.outcome == "sent"]


def sentence_date(case: Case) -> date | None:
    """The victim's referral sentence date, else the earliest linked child's."""
    if case.victim is None:
        return case.child.sentence_date if case.child else None
    if case.victim.referral.sentence_date:
        return case.victim.referral.sentence_date
    dates = [c.sentence_date for c in case.children.values() if c.sentence_date]
    return min(dates) if dates else None


def vcs_eligible(children: Sequence[Child]) -> bool:
    """Sentenced to 12 months or more for a violent or sexual offence, or a hospital
    order (YJB §22; Somerset 8.3-8.4)."""
    for child in children:
        violent = any(o.violent_or_sexual for o in child.offences)
        if child.hospital_order or (violent and (child.sentence_months or 0) >= 12):
            return True
    return False


def phone_numbers(v: Victim) -> tuple[str, ...]:
    """Numbers to ring: the victim's, a parent's (under 18), a representative's."""
    extra = tuple(p.phone for p in (v.parent_guardian, v.representative) if p and p.phone)
    return v.phones + extra


def consent_on(v: Victim, kind: str, day: date) -> Consent | None:
    """The consent of ``kind`` in force on ``day`` (the first one recorded, if all are later:
    consent is usually recorded on the day of allocation or just after). KPI 10's reading."""
    of_kind = sorted((c for c in v.consents if c.kind == kind), key=lambda c: (c.date or date.min, c.id))
    if not of_kind:
        return None
    before = [c for c in of_kind if (c.date or date.min) <= day]
    return before[-1] if before else of_kind[0]


def consent_as_of(v: Victim, kind: str, day: date) -> Consent | None:
    """The consent of ``kind`` recorded on or before ``day`` (an undated one counts from
    the start), None when none was recorded yet: what a worker knew that day."""
    before = [c for c in v.consents if c.kind == kind and (c.date or date.min) <= day]
    return max(before, key=lambda c: (c.date or date.min, c.id)) if before else None


def support_completed_on(v: Victim, until: date | None = None) -> date | None:
    """The day the chosen support was completed: the last 'completed' offer, once no
    accepted or in-progress option is left (Wokingham 14; Somerset 12.1); with ``until``,
    as the offers stood on that day."""
    latest: dict[str, Mapping[str, Any]] = {}
    for offer in sorted(entries(v, "offers"), key=lambda o: (as_date(o.get("date")) or date.min,
                                                              str(o.get("id")))):
        if until is not None and (as_date(offer.get("date")) or date.min) > until:
            break
        latest[str(offer.get("option"))] = offer
    statuses = {str(o.get("status")) for o in latest.values()}
    if "completed" not in statuses or statuses & set(RJ_OPTIONS_ACTIVE):
        return None
    days = [as_date(o.get("date")) for o in latest.values() if o.get("status") == "completed"]
    return max(d for d in days if d) if any(days) else None


def found_risk(assessment: Mapping[str, Any]) -> bool:
    """Whether a completed assessment found risk when it was completed: risk answers or a
    MEDIUM or HIGH rating (Wokingham 20.1; Wait 'til Eight appendix 5B). A manager's
    approval later clears ``blocked`` on the entry; it does not undo the finding."""
    if not as_date(assessment.get("completed")):
        return False
    risky = any(isinstance(a, Mapping) and a.get("risk") for a in assessment.get("answers") or [])
    return bool(risky or assessment.get("rating") in ("MEDIUM", "HIGH")
                or assessment.get("blocked") or assessment.get("approval"))


# --- the state of a case on a day ----------------------------------------------------------


def phone_failed_on(v: Victim, day: date) -> bool:
    """No number to ring, or rung by ``day`` and nobody reached by then (Wokingham 5;
    Somerset 6.1)."""
    if not phone_numbers(v):
        return True
    contacts = [c for c in victim_contacts(v) if c.day and c.day <= day]
    reached = any(c.outcome in RESPONSES for c in contacts)
    tried = any(c.method == "phone" for c in contacts)
    return tried and not reached


def stage_on(case: Case, day: date) -> str | None:
    """The stage of the victim's case on ``day``: as referred, and post-sentence from the
    day of sentence once a pre-sentence case has been sentenced (Wokingham post-sentence 5)."""
    v = case.victim
    if v is None:
        return None
    sentenced = sentence_date(case)
    if v.referral.stage == "pre-sentence" and sentenced and sentenced <= day:
        allocated = v.referral.allocated
        if allocated is None or sentenced > allocated:
            return "post-sentence"
    return v.referral.stage


def static_flags(case: Case) -> set[str]:
    """Flags with no dated history: read as the record holds them now (a child's case:
    ``has-victim`` while a victim is linked to it)."""
    v = case.victim
    if v is None:
        return {"has-victim"} if case.child is not None and case.child.victims else set()
    flags = set()
    if v.kind == "under-18":
        flags.add("under-18")
    if v.kind == "corporate":
        flags.add("corporate")
    if v.home_service:
        flags.add("out-of-area")
    if v.entitlements or v.kind == "under-18":
        flags.add("enhanced")
    if phone_numbers(v):
        flags.add("has-phone")
    return flags


def flags_on(case: Case, day: date) -> set[str]:
    """Every flag of the case as it stood on ``day``."""
    v = case.victim
    if v is None:
        return static_flags(case)
    flags = static_flags(case)
    if phone_failed_on(v, day):
        flags.add("phone-failed")
    sentenced = [c for c in case.children.values() if c.sentence_date is None or c.sentence_date <= day]
    if vcs_eligible(sentenced):
        flags.add("vcs-eligible")
    return flags


def victim_flags(case: Case) -> set[str]:
    """The flags as they stand on the latest day the record knows of."""
    days = change_days(case)
    return flags_on(case, days[-1] if days else date.max)


class Facts:
    """The facts of one case, worked out once (rules ask about the same days): when the
    phone was first tried and the victim first reached, the first day VCS eligibility
    held, the consents in order, and each day's flags."""

    def __init__(self, case: Case) -> None:
        self.case = case
        v = case.victim
        self._flags: dict[date, frozenset[str]] = {}
        self._days: dict[str, tuple[date, ...]] = {}
        self._static = frozenset(static_flags(case))
        self._consents: dict[str, list[Consent]] = {}
        self._no_phone = v is None or not phone_numbers(v)
        contacts = victim_contacts(v) if v is not None else []
        self._first_tried = min((c.day for c in contacts if c.day and c.method == "phone"),
                                default=None)
        self._first_reached = min((c.day for c in contacts if c.day and c.outcome in RESPONSES),
                                  default=None)
        eligible = [c.sentence_date or date.min for c in case.children.values() if vcs_eligible([c])]
        self._vcs_from = min(eligible, default=None)
        if v is not None:
            for c in sorted(v.consents, key=lambda c: (c.date or date.min, c.id)):
                self._consents.setdefault(c.kind, []).append(c)

    def phone_failed(self, day: date) -> bool:
        """As :func:`phone_failed_on`, from the days worked out once."""
        if self._no_phone:
            return True
        tried = self._first_tried is not None and self._first_tried <= day
        reached = self._first_reached is not None and self._first_reached <= day
        return tried and not reached

    def flags(self, day: date) -> frozenset[str]:
        found = self._flags.get(day)
        if found is None:
            flags = set(self._static)
            if self.case.victim is not None:
                if self.phone_failed(day):
                    flags.add("phone-failed")
                if self._vcs_from is not None and self._vcs_from <= day:
                    flags.add("vcs-eligible")
            found = self._flags[day] = frozenset(flags)
        return found

    def consent(self, kind: str, day: date) -> Consent | None:
        """As :func:`consent_as_of`."""
        found = None
        for c in self._consents.get(kind, ()):
            if (c.date or date.min) > day:
                break
            found = c
        return found

    def days(self, *what: str) -> tuple[date, ...]:
        """Days on which any of ``what`` (consent, flags, stage) may have changed, in order."""
        key = "+".join(what)
        found = self._days.get(key)
        if found is None:
            days = {d for kind in what for d in change_days(self.case, kind)}
            found = self._days[key] = tuple(sorted(days))
        return found


def change_days(case: Case, what: str = "flags") -> list[date]:
    """The days, in order, on which the facts ``what`` reads may change: consent entries
    (``consent``), the sentence (``stage``), or every dated entry flags read (``flags``)."""
    v = case.victim
    if v is None:
        return []
    days: set[date] = set()
    if what == "consent":
        days |= {c.date for c in v.consents if c.date}
    elif what == "stage":
        sentenced = sentence_date(case)
        days |= {sentenced} if sentenced else set()
    else:
        days |= {c.day for c in v.contacts if c.day}
        days |= {c.sentence_date for c in case.children.values() if c.sentence_date}
    return sorted(days)
