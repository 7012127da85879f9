"""Met events: whether and when a rule instance was met, and how an instance ends when
it can no longer be met (pure; shared/DOMAIN.md §4). Events are named in the policy files
(``met_by``); each name maps to one small function here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, time

from rjcli.core.calendar import WorkingCalendar
from rjcli.core.dates import as_date, uk_date
from rjcli.core.facts import RESPONSES, Case, entries, record_of, victim_contacts
from rjcli.core.model import Child, Contact, Victim
from rjcli.core.occurrences import Occurrence, start_update_points
from rjcli.core.policy import Rule

# --- met events ----------------------------------------------------------------------

Met = tuple[date, str] | None


def _first_contact(case: Case, occ: Occurrence, test: Callable[[Contact], bool], what: str) -> Met:
    v = case.victim
    if v is None:
        return None
    for c in victim_contacts(v):
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


def _met_home_service(case: Case, occ: Occurrence) -> Met:
    """Liaison with the victim's home youth justice service, asking them to make contact
    (Wokingham 17.1): any contact with ``home-service`` not cancelled."""
    v = case.victim
    if v is None:
        return None
    for c in sorted((c for c in v.contacts if c.party == "home-service" and c.at),
                    key=lambda c: (c.at, c.id)):
        if c.day and c.day >= occ.day and c.outcome != "cancelled":
            return c.day, f"liaison with the home service: {c.method} ({c.outcome}) {uk_date(c.day)}"
    return None


EVENING_FROM = time(17, 0)
"""A call at or after 17:00 is an evening call (Tower Hamlets appendix 1 asks for one call in
the day and one in the evening and sets no hour: 17:00, the end of an office day, is rj's)."""


def _met_day_and_evening(case: Case, occ: Occurrence) -> Met:
    """The victim rung both in the day and in the evening since the start (Tower Hamlets
    appendix 1: "make contact by phone twice, once in the day and once in the evening")."""
    v = case.victim
    if v is None:
        return None
    calls = [c for c in victim_contacts(v) if c.method == "phone" and c.outcome != "cancelled"
             and c.at and c.day and c.day >= occ.day]
    daytime = next((c for c in calls if c.at and c.at.time() < EVENING_FROM), None)
    evening = next((c for c in calls if c.at and c.at.time() >= EVENING_FROM), None)
    if daytime is None or evening is None or daytime.at is None or evening.at is None:
        return None
    last = max(daytime.at, evening.at)
    return last.date(), (f"rung in the day ({uk_date(daytime.at.date())} {daytime.at:%H:%M}) "
                         f"and in the evening ({uk_date(evening.at.date())} {evening.at:%H:%M})")


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
    days = sorted(d for f in entries(v, "feedback") if (d := as_date(f.get("date"))) and d >= occ.day)
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
    points = sorted(o.day for o in start_update_points(case))
    earlier = [p for p in points if p < occ.day]
    request_day = as_date(occ.entry.get("date")) if isinstance(occ.entry, Mapping) else None
    after = earlier[-1] if earlier else (request_day or date.min)
    days = sorted(d for u in entries(v, "progress_updates")
                  if (d := as_date(u.get("date"))) and d > after)
    return (days[0], f"update given {uk_date(days[0])}") if days else None


def _met_closed(case: Case, occ: Occurrence) -> Met:
    record = record_of(case)
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
    days = [d for a in entries(record, "assessments")
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


def _met_supervision(case: Case, occ: Occurrence) -> Met:
    """Supervision or a quality check on or after the start (not the one it counts from)."""
    done = sorted((d, str(s.get("id"))) for s in entries(record_of(case), "supervision")
                  if (d := as_date(s.get("date"))) and d >= occ.day and str(s.get("id")) != occ.key)
    return (done[0][0], f"supervised {uk_date(done[0][0])}") if done else None


MET_EVENTS: dict[str, Callable[[Case, Occurrence], Met]] = {
    "contact-attempt": _met_attempt,
    "victim-response": _met_response,
    "victim-spoke": _met_spoke,
    "meeting-held": _met_meeting,
    "letter-initial-sent": _met_letter("initial"),
    "letter-final-sent": _met_letter("final"),
    "letter-closure-sent": _met_letter("closure"),
    "screening": _met_screening,
    "phone-day-and-evening": _met_day_and_evening,
    "liaison-home-service": _met_home_service,
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
    "supervision": _met_supervision,
}


def met(case: Case, rule: Rule, occ: Occurrence, cal: WorkingCalendar) -> Met:
    """The earliest day one of the rule's met events happened, and how."""
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


Ending = tuple[str, date | None, str] | None
"""(``missed`` or ``cancelled``, the day, why) for an instance its own start event ended."""


def ended_by_start(rule: Rule, occ: Occurrence) -> Ending:
    """How a "before the conference" duty ends when the conference is no longer ahead:
    held before it was met (missed: it can no longer be met), or cancelled; and any
    instance a later start event ended (support completed, then taken up again)."""
    if occ.ends is not None:
        return occ.ends
    if rule.start != "conference-planned" or not isinstance(occ.entry, Mapping):
        return None
    kind = str(occ.entry.get("kind") or "conference")
    status = occ.entry.get("status")
    if status == "held":
        return ("missed", occ.day, f"{kind} held {uk_date(occ.day)} before every participant "
                                   "was assessed")
    if status == "cancelled":
        return ("cancelled", None, f"the {kind} was cancelled")
    return None
