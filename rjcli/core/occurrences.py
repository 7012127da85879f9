"""Start events: the days a rule counts from, one :class:`Occurrence` each (pure;
shared/DOMAIN.md §4). Events are named in the policy files (``from``); each name maps
to one small function here. An occurrence, once dated, stays: a conference planned and
since held still started its "before the conference" duties.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from rjcli.core.dates import as_date, uk_date
from rjcli.core.facts import (
    RESPONSES,
    Case,
    entries,
    found_risk,
    letters,
    record_of,
    sentence_date,
    support_completed_on,
    victim_contacts,
)
from rjcli.core.policy import Rule, ordinal


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
    ends: tuple[str, date | None, str] | None = None
    """How a later event ended it, unless met first: (``cancelled``, the day, why)."""


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
        sent = letters(case.victim, kind) if case.victim else []
        first = sent[0] if sent else None
        return _once(first.day if first else None, f"{kind}-letter", f"{kind} letter sent")

    return start


def _start_case_holder(case: Case) -> list[Occurrence]:
    v = case.victim
    if v is None:
        return []
    return [Occurrence(c.day, c.id, f"consultation with the case holder {uk_date(c.day)}", c)
            for c in v.contacts if c.party == "case-holder" and c.day]


def _start_contact_made(case: Case) -> list[Occurrence]:
    record = record_of(case)
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


def _conferences(case: Case, *statuses: str) -> list[Occurrence]:
    v = case.victim
    if v is None:
        return []
    out = []
    for conf in entries(v, "conferences"):
        day = as_date(conf.get("date"))
        status = conf.get("status")
        if day and status in statuses:
            kind = str(conf.get("kind") or "conference")
            word = {"held": "held", "cancelled": "cancelled, was planned for"}.get(
                str(status), "planned for")
            out.append(Occurrence(day, str(conf.get("id")), f"{kind} {word} {uk_date(day)}", conf))
    return out


def _start_conference_planned(case: Case) -> list[Occurrence]:
    """Every conference that was planned: still planned, since held (a held conference
    was planned first: rj conference record takes a planned one), or cancelled (its
    duties end cancelled, with the reason)."""
    out = []
    for occ in _conferences(case, "planned", "held", "cancelled"):
        day = occ.day
        kind = str(occ.entry.get("kind") or "conference")
        label = f"{kind} planned for {uk_date(day)}"
        if occ.entry.get("status") == "held":
            label = f"{kind} held {uk_date(day)}"
        out.append(Occurrence(day, occ.key, label, occ.entry))
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


def start_update_points(case: Case) -> list[Occurrence]:
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
    """Each time the chosen support became complete, as the offers stood on each day (the
    day it became so: a support left complete because an option was given up later is
    complete from that later day); an earlier completion ends when an option is taken up
    again or another is completed."""
    v = case.victim
    if v is None:
        return []
    days = sorted({d for o in entries(v, "offers") if (d := as_date(o.get("date")))})
    out: list[Occurrence] = []
    current: date | None = None
    for day in days:
        value = support_completed_on(v, day)
        if value == current:
            continue
        if out and current is not None:
            why = (f"the support was completed again {uk_date(value)}" if value
                   else "an option was taken up again")
            out[-1] = replace(out[-1], ends=("cancelled", day, why))
        if value is not None:
            # complete once nothing chosen is left: on the day the last option was completed,
            # or later, on the day the last one still chosen was given up (never back-dated
            # to before the day anyone could know it, so history stays as it was)
            became = max(value, day)
            key = f"support-completed-{became.isoformat()}" if out else "support-completed"
            out.append(Occurrence(became, key, f"support completed {uk_date(became)}"))
        current = value
    return out


def _start_risk_found(case: Case) -> list[Occurrence]:
    """Each completed assessment that found risk; it ends (cancelled) on the day a later run
    of the same checklist with the same participant replaced it, as ``rj risk`` reads only
    the latest run."""
    record = record_of(case)
    if record is None:
        return []
    done_runs = [(d, a) for a in entries(record, "assessments") if (d := as_date(a.get("completed")))]
    out = []
    for done, a in done_runs:
        if not found_risk(a):
            continue
        label = f"{a.get('checklist')} assessment found risk {uk_date(done)}"
        who = _participant(a)
        later = sorted(d for d, b in done_runs if d > done and _participant(b) == who
                       and b.get("checklist") == a.get("checklist"))
        ends = (("cancelled", later[0], f"a later {a.get('checklist')} assessment replaced it "
                                        f"{uk_date(later[0])}") if later else None)
        out.append(Occurrence(done, str(a.get("id")), label, a, ends))
    return out


def _participant(assessment: Mapping[str, Any]) -> str:
    return " ".join(str(assessment.get("participant") or "").casefold().split())


def _start_complaint(case: Case) -> list[Occurrence]:
    v = case.victim
    if v is None:
        return []
    return [Occurrence(d, str(c.get("id")), f"complaint {uk_date(d)}", c)
            for c in entries(v, "complaints") if (d := as_date(c.get("date")))]


def start_supervision_cycle(case: Case) -> list[Occurrence]:
    """A victim's allocation, then each supervision or quality check of the work (rj
    supervise): a rule counting from it falls due again after every one."""
    first = _start_allocation(case)
    return first + [Occurrence(d, str(s.get("id")), f"supervised {uk_date(d)}", s)
                    for s in entries(record_of(case), "supervision")
                    if (d := as_date(s.get("date")))]


def unanswered_attempts(case: Case, count: int) -> list[Occurrence]:
    """The ``count``-th contact attempt with the victim while none had a response (Somerset
    6.1: "after three attempts"): calls, texts, e-mails, letters, visits, less cancelled
    ones and the final letter itself. None once the victim responded before it."""
    v = case.victim
    if v is None or count < 1:
        return []
    tried = 0
    for c in victim_contacts(v):
        if c.outcome in RESPONSES:
            return []
        if c.outcome == "cancelled" or (c.method == "letter" and c.letter == "final"):
            continue
        tried += 1
        if tried == count and c.day:
            return [Occurrence(c.day, c.id, f"{ordinal(count)} contact attempt with no response "
                                            f"{uk_date(c.day)}", c)]
    return []


def occurrences_of(case: Case, rule: Rule) -> list[Occurrence]:
    """Every start of ``rule`` for the case."""
    if rule.start == "unanswered-attempts":
        return unanswered_attempts(case, rule.attempts or 0)
    handler = START_EVENTS.get(rule.start)
    return handler(case) if handler else []


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
    "conference-planned": _start_conference_planned,
    "agreement-item": _start_agreement_items,
    "update-point": start_update_points,
    "support-completed": _start_support_completed,
    "risk-found": _start_risk_found,
    "complaint": _start_complaint,
    "supervision-cycle": start_supervision_cycle,
}
