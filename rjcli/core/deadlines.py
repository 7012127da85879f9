"""The deadline engine: which rules apply to a case, when each falls due, whether
and when it was met (pure; shared/DOMAIN.md §4).

Evaluation does not depend on today: a rule instance has a start, a deadline and
(maybe) the day it was met, all derived from the records. "Today" only decides how
an outstanding item is shown (overdue, today, upcoming) - so evaluations can be
cached per record, and met-on-time history stays derivable for reports.

Events are named in the policy files (``from`` and ``met_by``); each name maps to
one small function here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple

from rjcli.core.calendar import WorkingCalendar, add_offset
from rjcli.core.dates import as_date, uk_date
from rjcli.core.model import Child, Consent, Contact, Victim, log_entries
from rjcli.core.policy import Policy, Rule

VICTIM_SIDE = ("victim", "parent-guardian", "representative", "home-service")
RESPONSES = ("spoke", "received", "kept")
RJ_OPTIONS_ACTIVE = ("accepted", "in-progress")


@dataclass(frozen=True)
class Occurrence:
    """One instance of a start event: a day, and what it was."""

    day: date
    """The day counted from."""
    key: str
    """Stable key of the instance (an entry id, or the event name)."""
    label: str
    """What happened, for explanations: "initial letter sent 13 April 2026"."""
    entry: Any = None
    """The entry it came from, for events met by the same entry."""


def is_outstanding(applies: bool, due: date | None, met_on: date | None) -> bool:
    """Applies, falls due, not met yet."""
    return applies and due is not None and met_on is None


def is_late(due: date | None, met_on: date | None) -> bool:
    """Met after its deadline."""
    return met_on is not None and due is not None and met_on > due


class RuleTiming(NamedTuple):
    """The part of an :class:`Evaluation` that timeliness counts read (rule, applies, due,
    met): what the index keeps of every rule instance for reports, cheap to rebuild by
    the hundred thousand."""

    case: str
    """Record id."""
    rule: Rule
    """The rule."""
    applies: bool
    """Whether it applies."""
    due: date | None
    """The deadline."""
    met_on: date | None
    """When it was met."""

    @property
    def outstanding(self) -> bool:
        return is_outstanding(self.applies, self.due, self.met_on)

    @property
    def late(self) -> bool:
        return is_late(self.due, self.met_on)


@dataclass(frozen=True)
class Evaluation:
    """One rule instance for one case: applies or not, why, due, met."""

    case: str
    """Record id."""
    rule: Rule
    """The rule."""
    applies: bool
    """Whether the rule applies to this case at all."""
    why: str
    """Why it applies, or why not."""
    start: Occurrence | None = None
    """What it counts from."""
    due: date | None = None
    """The deadline."""
    met_on: date | None = None
    """When it was met."""
    met_how: str | None = None
    """By what."""
    worker: str | None = None
    """Who owns it."""

    @property
    def outstanding(self) -> bool:
        return is_outstanding(self.applies, self.due, self.met_on)

    @property
    def late(self) -> bool:
        return is_late(self.due, self.met_on)

    @property
    def instance(self) -> str:
        return f"{self.case}:{self.rule.id}:{self.start.key if self.start else '-'}"


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


# --- facts ------------------------------------------------------------------------


def _victim_contacts(v: Victim) -> list[Contact]:
    return sorted((c for c in v.contacts if c.party in VICTIM_SIDE and c.at),
                  key=lambda c: (c.at, c.id))


def _letters(v: Victim, kind: str) -> list[Contact]:
    return [c for c in _victim_contacts(v)
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


def _phone_failed(v: Victim) -> bool:
    """No number to ring, or rung and nobody reached (Wokingham 5; Somerset 6.1)."""
    if not phone_numbers(v):
        return True
    contacts = _victim_contacts(v)
    reached = any(c.outcome in RESPONSES for c in contacts)
    tried = any(c.method == "phone" for c in contacts)
    return tried and not reached


def victim_flags(case: Case) -> set[str]:
    v = case.victim
    if v is None:
        return set()
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
    if _phone_failed(v):
        flags.add("phone-failed")
    if vcs_eligible(list(case.children.values())):
        flags.add("vcs-eligible")
    return flags


def _entries(record: Victim | Child, key: str) -> list[Mapping[str, Any]]:
    return log_entries(record.extra.get(key))


def support_completed_on(v: Victim) -> date | None:
    """The day the chosen support was completed: the last 'completed' offer, once no
    accepted or in-progress option is left (Wokingham 14; Somerset 12.1)."""
    latest: dict[str, Mapping[str, Any]] = {}
    for offer in sorted(_entries(v, "offers"), key=lambda o: (as_date(o.get("date")) or date.min,
                                                               str(o.get("id")))):
        latest[str(offer.get("option"))] = offer
    statuses = {str(o.get("status")) for o in latest.values()}
    if "completed" not in statuses or statuses & set(RJ_OPTIONS_ACTIVE):
        return None
    days = [as_date(o.get("date")) for o in latest.values() if o.get("status") == "completed"]
    return max(d for d in days if d) if any(days) else None


# --- start events -----------------------------------------------------------------


def _once(day: date | None, key: str, label: str) -> list[Occurrence]:
    return [Occurrence(day, key, f"{label} {uk_date(day)}")] if day else []


def _start_allocation(case: Case) -> list[Occurrence]:
    v = case.victim
    return _once(v.referral.allocated if v else None, "allocation", "allocated")


def _start_contact(case: Case) -> list[Occurrence]:
    """Allocation, or the sentence for post-sentence contact (Wokingham PSR 2, 5-7)."""
    v = case.victim
    if v is None or v.referral.allocated is None:
        return []
    sentenced = sentence_date(case)
    if v.referral.stage == "post-sentence" and sentenced and sentenced > v.referral.allocated:
        return _once(sentenced, "sentence", "sentenced")
    return _once(v.referral.allocated, "allocation", "allocated")


def _start_sentence(case: Case) -> list[Occurrence]:
    return _once(sentence_date(case), "sentence", "sentenced")


def _start_letter(kind: str) -> Callable[[Case], list[Occurrence]]:
    def start(case: Case) -> list[Occurrence]:
        letters = _letters(case.victim, kind) if case.victim else []
        first = letters[0] if letters else None
        return _once(first.day if first else None, f"{kind}-letter", f"{kind} letter sent")

    return start


def _start_case_holder(case: Case) -> list[Occurrence]:
    v = case.victim
    if v is None:
        return []
    return [Occurrence(c.day, c.id, f"consultation with the case holder {uk_date(c.day)}", c)
            for c in v.contacts if c.party == "case-holder" and c.day]


def _record(case: Case) -> Victim | Child | None:
    return case.victim if case.victim is not None else case.child


def _start_contact_made(case: Case) -> list[Occurrence]:
    record = _record(case)
    if record is None:
        return []
    return [Occurrence(c.day, c.id, f"{c.method} contact {uk_date(c.day)}", c)
            for c in record.contacts if c.day and c.outcome != "cancelled"]


def _start_appointment(case: Case) -> list[Occurrence]:
    v = case.victim
    if v is None:
        return []
    return [Occurrence(a.at.date(), a.id, f"appointment {uk_date(a.at.date())}", a)
            for a in v.appointments if a.at and a.status != "cancelled"]


def _start_second_miss(case: Case) -> list[Occurrence]:
    """Two appointments missed without notice (Wokingham 12)."""
    v = case.victim
    if v is None:
        return []
    misses = sorted((a for a in v.appointments if a.status == "missed" and not a.notice and a.at),
                    key=lambda a: (a.at, a.id))
    if len(misses) < 2:
        return []
    second = misses[1]
    return [Occurrence(second.at.date(), second.id,
                       f"second appointment missed without notice {uk_date(second.at.date())}", second)]


def _conferences(case: Case, status: str) -> list[Occurrence]:
    v = case.victim
    if v is None:
        return []
    out = []
    for conf in _entries(v, "conferences"):
        day = as_date(conf.get("date"))
        if day and conf.get("status") == status:
            kind = str(conf.get("kind") or "conference")
            word = "held" if status == "held" else "planned for"
            out.append(Occurrence(day, str(conf.get("id")), f"{kind} {word} {uk_date(day)}", conf))
    return out


def _start_agreement_items(case: Case) -> list[Occurrence]:
    out = []
    for occ in _conferences(case, "held"):
        for n, item in enumerate(occ.entry.get("agreement") or [], 1):
            day = as_date(item.get("due"))
            if day:
                action = str(item.get("action") or "")
                action = action if len(action) <= 60 else action[:57].rstrip() + "..."
                label = f"agreement item {item.get('n', n)} ({action})"
                out.append(Occurrence(day, str(item.get("id")), label, item))
    return out


def _start_update_points(case: Case) -> list[Occurrence]:
    v = case.victim
    request = v.extra.get("progress_request") if v else None
    if not isinstance(request, Mapping):
        return []
    until = as_date(request.get("until"))
    out = []
    for raw in request.get("points") or []:
        day = as_date(raw)
        if day and (until is None or day <= until):
            out.append(Occurrence(day, day.isoformat(), f"update agreed for {uk_date(day)}", request))
    return out


def _start_support_completed(case: Case) -> list[Occurrence]:
    v = case.victim
    return _once(support_completed_on(v) if v else None, "support-completed", "support completed")


def _start_risk_found(case: Case) -> list[Occurrence]:
    record = _record(case)
    if record is None:
        return []
    out = []
    for a in _entries(record, "assessments"):
        done = as_date(a.get("completed"))
        if done and a.get("blocked"):
            label = f"{a.get('checklist')} assessment found risk {uk_date(done)}"
            out.append(Occurrence(done, str(a.get("id")), label, a))
    return out


def _start_complaint(case: Case) -> list[Occurrence]:
    v = case.victim
    if v is None:
        return []
    return [Occurrence(d, str(c.get("id")), f"complaint {uk_date(d)}", c)
            for c in _entries(v, "complaints") if (d := as_date(c.get("date")))]


START_EVENTS: dict[str, Callable[[Case], list[Occurrence]]] = {
    "allocation": _start_allocation,
    "contact-start": _start_contact,
    "sentence": _start_sentence,
    "child-sentence": _start_sentence,
    "initial-letter": _start_letter("initial"),
    "final-letter": _start_letter("final"),
    "case-holder-consultation": _start_case_holder,
    "contact-made": _start_contact_made,
    "appointment": _start_appointment,
    "second-miss": _start_second_miss,
    "conference-held": lambda case: _conferences(case, "held"),
    "agreement-made": lambda case: [o for o in _conferences(case, "held")
                                    if o.entry.get("agreement")],
    "conference-planned": lambda case: _conferences(case, "planned"),
    "agreement-item": _start_agreement_items,
    "update-point": _start_update_points,
    "support-completed": _start_support_completed,
    "risk-found": _start_risk_found,
    "complaint": _start_complaint,
}

# --- met events ----------------------------------------------------------------------

Met = tuple[date, str] | None


def _first_contact(case: Case, occ: Occurrence, test: Callable[[Contact], bool], what: str) -> Met:
    v = case.victim
    if v is None:
        return None
    for c in _victim_contacts(v):
        if c.day and c.day >= occ.day and test(c):
            return c.day, f"{what}: {c.method} ({c.outcome}) {uk_date(c.day)}"
    return None


def _met_attempt(case: Case, occ: Occurrence) -> Met:
    return _first_contact(case, occ, lambda c: c.outcome != "cancelled", "contact attempt")


def _met_response(case: Case, occ: Occurrence) -> Met:
    return _first_contact(case, occ, lambda c: c.outcome in RESPONSES, "the victim responded")


def _met_spoke(case: Case, occ: Occurrence) -> Met:
    return _first_contact(case, occ, lambda c: c.outcome in ("spoke", "kept"), "spoke to the victim")


def _met_meeting(case: Case, occ: Occurrence) -> Met:
    return _first_contact(case, occ, lambda c: c.method in ("visit", "meeting", "video")
                          and c.outcome in ("kept", "spoke"), "meeting held")


def _met_letter(kind: str) -> Callable[[Case, Occurrence], Met]:
    def met(case: Case, occ: Occurrence) -> Met:
        return _first_contact(case, occ, lambda c: c.method == "letter" and c.letter == kind
                              and c.outcome == "sent", f"{kind} letter sent")

    return met


def _met_screening(case: Case, occ: Occurrence) -> Met:
    screening = case.victim.screening if case.victim else None
    day = as_date(screening.get("date")) if screening else None
    return (day, f"screening recorded {uk_date(day)}") if day else None


def _met_recorded(case: Case, occ: Occurrence) -> Met:
    contact = occ.entry
    if isinstance(contact, Contact) and contact.recorded_at:
        day = contact.recorded_at.date()
        return day, f"recorded {uk_date(day)}"
    return None


def _met_appointment_recorded(case: Case, occ: Occurrence) -> Met:
    appointment = occ.entry
    if appointment is not None and appointment.status != "booked":
        day = appointment.recorded_on or occ.day
        return day, f"{appointment.status}, recorded {uk_date(day)}"
    return None


def _met_vcs(case: Case, occ: Occurrence) -> Met:
    raw = case.victim.extra.get("vcs_notified") if case.victim else None
    day = as_date(raw.get("date")) if isinstance(raw, Mapping) else None
    return (day, f"Victim Contact Scheme told {uk_date(day)}") if day else None


def _met_copies(case: Case, occ: Occurrence) -> Met:
    day = as_date(occ.entry.get("copies_sent")) if isinstance(occ.entry, Mapping) else None
    return (day, f"copies sent {uk_date(day)}") if day else None


def _met_feedback(case: Case, occ: Occurrence) -> Met:
    v = case.victim
    if v is None:
        return None
    days = sorted(d for f in _entries(v, "feedback") if (d := as_date(f.get("date"))) and d >= occ.day)
    return (days[0], f"feedback recorded {uk_date(days[0])}") if days else None


def _met_item_closed(case: Case, occ: Occurrence) -> Met:
    item = occ.entry if isinstance(occ.entry, Mapping) else {}
    closed = as_date(item.get("closed"))
    if item.get("status") == "done" and closed:
        return closed, f"done {uk_date(closed)}"
    told = as_date(item.get("victim_told"))
    if item.get("status") == "failed" and told:
        return told, f"failed; the victim was told {uk_date(told)}"
    return None


def _met_update(case: Case, occ: Occurrence) -> Met:
    """An update given after the previous agreed point (or the request) (Somerset 7.6)."""
    v = case.victim
    if v is None:
        return None
    points = sorted(o.day for o in _start_update_points(case))
    earlier = [p for p in points if p < occ.day]
    request_day = as_date(occ.entry.get("date")) if isinstance(occ.entry, Mapping) else None
    after = earlier[-1] if earlier else (request_day or date.min)
    days = sorted(d for u in _entries(v, "progress_updates")
                  if (d := as_date(u.get("date"))) and d > after)
    return (days[0], f"update given {uk_date(days[0])}") if days else None


def _met_closed(case: Case, occ: Occurrence) -> Met:
    record = _record(case)
    if record is None:
        return None
    for entry in sorted(record.status_history, key=lambda e: (e.date, e.id)):
        if entry.status == "closed" and entry.date >= occ.day:
            return entry.date, f"closed {uk_date(entry.date)} ({entry.reason})"
    return None


def _met_child_contact(case: Case, occ: Occurrence) -> Met:
    child = case.child
    if child is None:
        return None
    for c in sorted((c for c in child.contacts if c.day), key=lambda c: (c.at, c.id)):
        if c.day and c.day >= occ.day and c.outcome != "cancelled" and c.party == "child":
            return c.day, f"{c.method} with the child {uk_date(c.day)}"
    return None


def _met_approved(case: Case, occ: Occurrence) -> Met:
    approval = occ.entry.get("approval") if isinstance(occ.entry, Mapping) else None
    day = as_date(approval.get("date")) if isinstance(approval, Mapping) else None
    if day:
        return day, f"approved by {approval.get('manager')} {uk_date(day)}"  # type: ignore[union-attr]
    return None


def _met_manager_told(case: Case, occ: Occurrence) -> Met:
    day = as_date(occ.entry.get("manager_told")) if isinstance(occ.entry, Mapping) else None
    return (day, f"manager told {uk_date(day)}") if day else None


def _assessed_between(record: Victim | Child | None, first: date, last: date,
                      participant: str | None) -> date | None:
    if record is None:
        return None
    days = [d for a in _entries(record, "assessments")
            if a.get("checklist") == "conference" and (d := as_date(a.get("completed")))
            and first <= d <= last
            and (participant is None or str(a.get("participant") or "").startswith(participant))]
    return max(days) if days else None


PRE_CONFERENCE_WORKING_DAYS = 10
"""A conference risk assessment of every participant within the 10 working days before
the conference (Wait 'til Eight section 5)."""


def met_pre_conference(case: Case, occ: Occurrence, cal: WorkingCalendar) -> Met:
    conf = occ.entry if isinstance(occ.entry, Mapping) else {}
    first = cal.add_working_days(occ.day, -PRE_CONFERENCE_WORKING_DAYS)
    victim_day = _assessed_between(case.victim, first, occ.day, None)
    child = case.children.get(str(conf.get("child"))) if conf.get("child") else None
    child_day = _assessed_between(child, first, occ.day, None) if conf.get("child") else victim_day
    days = [victim_day, child_day]
    for supporter in conf.get("supporters") or []:
        days.append(_assessed_between(case.victim, first, occ.day, str(supporter)))
    if any(d is None for d in days):
        return None
    last = max(d for d in days if d)
    return last, f"every participant assessed by {uk_date(last)}"


MET_EVENTS: dict[str, Callable[[Case, Occurrence], Met]] = {
    "contact-attempt": _met_attempt,
    "victim-response": _met_response,
    "victim-spoke": _met_spoke,
    "meeting-held": _met_meeting,
    "letter-initial-sent": _met_letter("initial"),
    "letter-final-sent": _met_letter("final"),
    "letter-closure-sent": _met_letter("closure"),
    "screening": _met_screening,
    "contact-recorded": _met_recorded,
    "appointment-recorded": _met_appointment_recorded,
    "vcs-notified": _met_vcs,
    "agreement-copies-sent": _met_copies,
    "feedback-recorded": _met_feedback,
    "agreement-item-closed": _met_item_closed,
    "update-given": _met_update,
    "closed": _met_closed,
    "child-contact": _met_child_contact,
    "risk-approved": _met_approved,
    "manager-told": _met_manager_told,
}

# --- applicability ------------------------------------------------------------------


def _not_applicable(case: Case, rule: Rule, flags: set[str]) -> str | None:
    """Why the rule does not apply to the case, or None when it does."""
    a = rule.applies
    if rule.record == "victim":
        v = case.victim
        if v is None:
            return "not a victim's record"
        if a.consent is not None and not any(c.kind == a.consent and c.answer == "yes"
                                             for c in v.consents):
            latest = v.consent(a.consent)
            answer = latest.answer if latest else "not recorded"
            return f"consent to {a.consent.replace('-', ' ')} is {answer}"
        if a.kinds and v.kind not in a.kinds:
            return f"only for {', '.join(a.kinds)} victims (this one: {v.kind})"
        if a.stages and v.referral.stage not in a.stages:
            return f"only at stage {', '.join(a.stages)} (this case: {v.referral.stage or 'not recorded'})"
        if a.disposals and v.referral.disposal not in a.disposals:
            return f"only for {', '.join(a.disposals)} (this case: {v.referral.disposal or 'not recorded'})"
    else:
        c = case.child
        if c is None:
            return "not a child's record"
        if a.disposals and c.disposal not in a.disposals:
            return f"only for {', '.join(a.disposals)} (this child: {c.disposal or 'not recorded'})"
    missing = [f for f in a.flags if f not in flags]
    if missing:
        return f"needs {', '.join(missing)}"
    present = [f for f in a.not_flags if f in flags]
    if present:
        return f"not when {', '.join(present)}"
    return None


def _owner(case: Case, rule: Rule) -> str | None:
    if rule.owner in ("manager", "admin"):
        return case.staff_by_role.get(rule.owner) or rule.owner
    if case.victim is not None:
        if rule.owner == "case-holder":
            holders = [c.case_holder for c in case.children.values() if c.case_holder]
            return holders[0] if holders else case.victim.referral.worker
        return case.victim.referral.worker
    child = case.child
    if rule.owner == "rj-worker":
        workers = [v.referral.worker for v in case.victims.values() if v.referral.worker]
        if workers:
            return workers[0]
    return child.case_holder if child else None


def _met(case: Case, rule: Rule, occ: Occurrence, cal: WorkingCalendar) -> Met:
    found = []
    for event in rule.met_by:
        if event == "pre-conference-assessed":
            result = met_pre_conference(case, occ, cal)
        else:
            handler = MET_EVENTS.get(event)
            result = handler(case, occ) if handler else None
        if result:
            found.append(result)
    return min(found, key=lambda m: m[0]) if found else None


def evaluate_rule(case: Case, rule: Rule, cal: WorkingCalendar, flags: set[str]) -> list[Evaluation]:
    """Every instance of one rule for one case."""
    record = _record(case)
    case_id = record.id if record else "?"
    reason = _not_applicable(case, rule, flags)
    if reason:
        return [Evaluation(case_id, rule, False, reason)]
    handler = START_EVENTS.get(rule.start)
    occurrences = handler(case) if handler else []
    if not occurrences:
        return [Evaluation(case_id, rule, False, f"nothing to count from yet ({rule.start.replace('-', ' ')})")]
    worker = _owner(case, rule)
    out = []
    for occ in occurrences:
        due = add_offset(cal, occ.day, rule.offset, rule.unit)
        met = _met(case, rule, occ, cal)
        refused = _consent_refused(case, rule, occ, met is not None)
        if refused:
            out.append(Evaluation(case_id, rule, False, refused, occ, due))
            continue
        out.append(Evaluation(case_id, rule, True, f"counts from {occ.label}", occ, due,
                              met[0] if met else None, met[1] if met else None, worker))
    return out


def _consent_refused(case: Case, rule: Rule, occ: Occurrence, met: bool) -> str | None:
    """Consent is judged at the time: a rule counts when consent was yes on its start day,
    and stops being due once consent is withdrawn (Somerset 9.1), while work already met
    stays in the record's history."""
    kind = rule.applies.consent
    v = case.victim
    if kind is None or v is None:
        return None
    at_start = consent_on(v, kind, occ.day)
    if at_start is None or at_start.answer != "yes":
        answer = at_start.answer if at_start else "not recorded"
        return f"consent to {kind.replace('-', ' ')} was {answer} on {uk_date(occ.day)}"
    now = v.consent(kind)
    if not met and now is not None and now.answer != "yes":
        return f"consent to {kind.replace('-', ' ')} {now.answer}" + (
            f" on {uk_date(now.date)}" if now.date else "")
    return None


def consent_on(v: Victim, kind: str, day: date) -> Consent | None:
    """The consent of ``kind`` in force on ``day`` (the first one recorded, if all are later:
    consent is usually recorded on the day of allocation or just after)."""
    of_kind = sorted((c for c in v.consents if c.kind == kind), key=lambda c: (c.date or date.min, c.id))
    if not of_kind:
        return None
    before = [c for c in of_kind if (c.date or date.min) <= day]
    return before[-1] if before else of_kind[0]


def evaluate_case(case: Case, policy: Policy, cal: WorkingCalendar) -> list[Evaluation]:
    """Every enabled rule of the policy for a victim's or a child's record."""
    record_kind = "victim" if case.victim is not None else "child"
    flags = victim_flags(case)
    out: list[Evaluation] = []
    for rule in policy.enabled():
        if rule.record == record_kind:
            out += evaluate_rule(case, rule, cal, flags)
    return out


def victim_case(v: Victim, children: Mapping[str, Child], staff_by_role: Mapping[str, str]) -> Case:
    linked = {cid: children[cid] for cid in v.child_ids if cid in children}
    return Case(v, None, linked, {}, staff_by_role)


def child_case(c: Child, victims: Mapping[str, Victim], staff_by_role: Mapping[str, str]) -> Case:
    linked = {ref.ref: victims[ref.ref] for ref in c.victims if ref.ref in victims}
    return Case(None, c, {}, linked, staff_by_role)
