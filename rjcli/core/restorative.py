"""The restorative work itself, as entries on the records (pure; shared/DOMAIN.md §3).

Builders shape each new entry the way the schema wants it (key order included);
checks return lists of plain messages, never raise. Which rule each entry feeds:

- ``offers``: every option offered and every change of mind, appended, never
  overwritten (Somerset 9.1). The latest entry of an option is its status; once the
  chosen support is complete (``support_completed_on`` in the deadline engine) the
  closure letter (Wokingham 14) and closing the record (Somerset 12.1) fall due.
- ``view``: the victim's view sought before the decision (YJB KPI 10).
- ``progress_request`` / ``progress_updates``: what the victim asked to be told, how,
  until when (never past the child's order: Tower Hamlets, additional notes), at which
  points (the ``progress-update`` rule), and each update given (Somerset 7.6).
- ``support_requests`` / ``support``: KPI 10's "asked for additional support" and
  "given information about support services" (YJB §22).
- ``conferences``: planned, then held with who attended and a write-up under Wait 'til
  Eight appendix 7C's headings; the outcome agreement as numbered items (appendix 7F),
  each followed to its date, failures told to the victim (§7.7.2); copies within 3
  working days (appendix 7E); review with both parties (Wokingham 22.1).
- ``complaints``: recorded, a manager told the same day (Somerset 13).
- ``appointments``: two missed without notice start the follow-up call (Wokingham 12).
- ``vcs_notified``: the Victim Contact Scheme told (YJB §22).
- the child's side (``victim_awareness``, ``reparation``, ``readiness``): under
  ``children/``, never naming a victim (Somerset 5.4; Wokingham 15).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from rjcli.core import vocab
from rjcli.core.dates import as_date, as_datetime, format_datetime, uk_date
from rjcli.core.model import Child, Victim, log_entries

NewId = Callable[[], str]
"""Supplies a fresh entry id."""
Entry = Mapping[str, Any]
"""A stored log entry (parsed mapping)."""

ACTIVE = ("accepted", "in-progress")
"""Option statuses that mean the work is going on."""
NEEDS_WRITTEN_CONSENT = {
    "conference": ("rj-participation",),
    "shuttle-mediation": ("rj-participation",),
    "panel-attendance": ("rj-participation",),
    "direct-reparation": ("direct-reparation", "rj-participation"),
}
"""Options that are taking part in restorative justice or direct reparation, and the
consents that cover each: informed written consent is needed for them (YJB §24)."""
SUPPORT_KINDS = ("information", "referral")
"""What support was given (KPI 10 counts information about support services)."""
CONFERENCE_KINDS = ("conference", "panel")
"""A restorative conference, or a Referral Order panel the victim attends (Wokingham 23)."""
ITEM_OUTCOMES = ("done", "failed")
"""How an outcome agreement item is closed."""
APPOINTMENT_OUTCOMES = ("kept", "missed", "cancelled")
"""What became of a booked appointment."""
REPARATION_KINDS = ("direct", "indirect")
"""Reparation to the victim, or to the community (Somerset 11.4)."""

WRITEUP_HEADINGS = (
    ("background", "Brief background of the incident"),
    ("dynamics", "The dynamics of the conference, especially key turning points"),
    ("lessons", "Key lessons learnt"),
    ("video", "If video conferencing was used: was it effective for the victim, and for "
              "the child? How do you know?"),
)
"""The conference write-up record's headings (Wait 'til Eight appendix 7C)."""


def _compact(mapping: Mapping[str, Any]) -> dict[str, Any]:
    """Drop empty values so files hold only what is known."""
    return {k: v for k, v in mapping.items() if v not in (None, "", [], {}, ())}


def _text(value: str | None) -> str | None:
    return value.strip() if value and value.strip() else None


def _choice(field: str, value: str | None, allowed: Sequence[str]) -> list[str]:
    if value is None or value in allowed:
        return []
    return [f"{field} '{value}' is not one of: {', '.join(allowed)}"]


def _not_future(what: str, day: date | None, today: date) -> list[str]:
    if day is not None and day > today:
        return [f"{what} {day} is after today ({today})"]
    return []


def by_date(items: Sequence[Entry]) -> list[Entry]:
    """Entries in the order they happened: date, then entry id (ids sort by time)."""
    return sorted((e for e in items if isinstance(e, Mapping)),
                  key=lambda e: (as_date(e.get("date")) or date.min, str(e.get("id", ""))))


def entries(record: Mapping[str, Any], key: str) -> list[Entry]:
    """The list ``key`` of a parsed record, mappings only."""
    return log_entries(record.get(key))


# --- offers and changes of mind ---------------------------------------------------------


@dataclass(frozen=True)
class OfferChange:
    """What ``rj offer`` records: an option and where it stands now."""

    option: str
    """The restorative option (DOMAIN §8)."""
    status: str
    """offered, accepted, declined, in-progress, completed, not-appropriate."""
    day: date
    """When it was offered, chosen, declined..."""
    reason: str | None = None
    """Why: required for not-appropriate (YJB §27), asked for any change of mind."""
    service: str | None = None
    """For support-referral: the service referred to."""


def latest_offers(offers: Sequence[Entry]) -> dict[str, Entry]:
    """The latest entry of each option (its status now), by date then entry id."""
    latest: dict[str, Entry] = {}
    for entry in by_date(offers):
        latest[str(entry.get("option"))] = entry
    return latest


def offer_problems(change: OfferChange, today: date) -> list[str]:
    problems = _choice("option", change.option, vocab.RESTORATIVE_OPTIONS)
    problems += _choice("status", change.status, vocab.OPTION_STATUSES)
    problems += _not_future("the date", change.day, today)
    if change.status == "not-appropriate" and not _text(change.reason):
        problems.append("say why the service judged it not appropriate with --reason "
                        "(YJB §27 counts these decisions)")
    if change.option == "support-referral" and not _text(change.service):
        problems.append("name the service referred to with --service")
    return problems


def offer_entry(new_id: NewId, change: OfferChange, by: str | None) -> dict[str, Any]:
    return _compact({
        "id": new_id(), "option": change.option, "status": change.status, "date": change.day,
        "reason": _text(change.reason), "service": _text(change.service), "by": by,
    })


def offer_warnings(victim: Victim, change: OfferChange, previous: Entry | None) -> list[str]:
    """What to tell the worker, without refusing: consent missing, a reason missing."""
    warnings = []
    kinds = NEEDS_WRITTEN_CONSENT.get(change.option)
    if kinds and change.status in ACTIVE and not any(victim.consents_to(k) for k in kinds):
        wanted = " or ".join(kinds)
        warnings.append(
            f"{vocab.label(change.option)} is direct work: record the victim's written, "
            f"informed consent ({wanted}) before it starts (YJB §24): "
            f"rj consent {victim.id} {kinds[0]} yes --source \"signed form\"")
    before = str(previous.get("status")) if previous else None
    withdrawn = before in (*ACTIVE, "completed") and change.status == "declined"
    if withdrawn and not _text(change.reason):
        warnings.append(f"the victim changed their mind ({before} -> declined): record the "
                        "reason with --reason (Somerset 9.1)")
    return warnings


# --- the victim's view, progress updates, support -------------------------------------------


def view_entry(sought: date, summary: str | None, by: str | None) -> dict[str, Any]:
    return _compact({"sought": sought, "summary": _text(summary), "by": by})


def view_warnings(sought: date, children: Sequence[Child]) -> list[str]:
    """KPI 10 counts views sought before the out-of-court decision (or before a court
    order is planned, which follows sentence: no date to check that against)."""
    decided = [c for c in children if c.disposal in vocab.OUT_OF_COURT_DISPOSALS
               and c.sentence_date and c.sentence_date < sought]
    return [f"{c.id}'s out-of-court decision ({vocab.label(c.disposal or '')}) was made on "
            f"{uk_date(c.sentence_date)}, before this date: KPI 10 counts views sought "
            "before the decision" for c in decided if c.sentence_date]


@dataclass(frozen=True)
class ProgressRequest:
    """What the victim asked to be told about the child's order (Somerset 7.6)."""

    day: date
    """When they asked."""
    what: str
    """What they want to know (e.g. "completion of the order, any breach")."""
    how: str
    """How to tell them (a contact method)."""
    until: date
    """Until when: never past the child's order end."""
    points: tuple[date, ...]
    """The agreed update dates (each one is a ``progress-update`` deadline)."""


def progress_request_problems(req: ProgressRequest, today: date,
                              children: Sequence[Child]) -> list[str]:
    problems = _choice("--how", req.how, vocab.CONTACT_METHODS)
    problems += _not_future("the request date", req.day, today)
    if not req.what.strip():
        problems.append("say what the victim wants to be told with --what")
    if req.until < req.day:
        problems.append(f"--until {req.until} is before the request ({req.day})")
    ends = [(c.order_end, c.id) for c in children if c.order_end]
    if ends:
        end, child_id = max(ends)
        if req.until > end:
            problems.append(
                f"--until {req.until} is after the end of {child_id}'s order "
                f"({uk_date(end)}): victim contact should not outlast the child's order "
                "(Tower Hamlets, additional notes)")
    for point in req.points:
        if point < req.day or point > req.until:
            problems.append(f"update point {point} is not between the request ({req.day}) "
                            f"and --until ({req.until})")
    return problems


def progress_request_warnings(req: ProgressRequest, children: Sequence[Child]) -> list[str]:
    warnings = []
    if not any(c.order_end for c in children):
        ids = ", ".join(c.id for c in children) or "the linked child"
        warnings.append(f"no order end is recorded for {ids}: check --until against it")
    if not req.points:
        warnings.append("no update points were given (--point DATE): nothing will fall due")
    return warnings


def progress_request_entry(req: ProgressRequest, by: str | None) -> dict[str, Any]:
    return _compact({"date": req.day, "what": req.what.strip(), "how": req.how,
                     "until": req.until, "points": sorted(set(req.points)), "by": by})


def dated_problems(day: date, today: date, text: str | None, what: str) -> list[str]:
    """A dated entry that has happened, with its required text."""
    problems = _not_future("the date", day, today)
    if text is not None and not text.strip():
        problems.append(f"{what} cannot be empty")
    return problems


def progress_update_entry(new_id: NewId, day: date, method: str | None, note: str | None,
                          by: str | None) -> dict[str, Any]:
    return _compact({"id": new_id(), "date": day, "method": method, "note": _text(note),
                     "by": by})


def support_request_entry(new_id: NewId, day: date, need: str, by: str | None) -> dict[str, Any]:
    return _compact({"id": new_id(), "date": day, "need": need.strip(), "by": by})


def support_entry(new_id: NewId, day: date, kind: str, service: str, note: str | None,
                  by: str | None) -> dict[str, Any]:
    return _compact({"id": new_id(), "date": day, "kind": kind, "service": service.strip(),
                     "note": _text(note), "by": by})


# --- conferences and outcome agreements ------------------------------------------------------


@dataclass(frozen=True)
class ConferencePlan:
    """What ``rj conference plan`` records."""

    kind: str
    """conference or panel."""
    day: date
    """The date it is planned for."""
    venue: str
    """Where."""
    child: str
    """The child's record id (linked to the victim)."""
    facilitator: str
    """Who facilitates."""
    co_facilitator: str | None = None
    """A second facilitator (Wokingham 19)."""
    supporters: tuple[str, ...] = ()
    """Supporters who will attend, by role ("victim's supporter: sister"): each needs a
    conference risk assessment (Wokingham 20.6, 20.11)."""
    note: str | None = None
    """Anything else."""


def plan_problems(plan: ConferencePlan, victim: Victim) -> list[str]:
    problems = _choice("--kind", plan.kind, CONFERENCE_KINDS)
    if plan.child not in victim.child_ids:
        linked = ", ".join(victim.child_ids) or "none"
        problems.append(f"{plan.child} is not linked to {victim.id} (linked: {linked})")
    if not plan.venue.strip():
        problems.append("say where with --venue")
    if not plan.facilitator.strip():
        problems.append("name the facilitator with --facilitator")
    return problems


def conference_entry(new_id: NewId, plan: ConferencePlan, by: str | None) -> dict[str, Any]:
    return _compact({
        "id": new_id(), "kind": plan.kind, "date": plan.day, "venue": plan.venue.strip(),
        "child": plan.child, "facilitator": plan.facilitator.strip(),
        "co_facilitator": _text(plan.co_facilitator),
        "supporters": [s.strip() for s in plan.supporters if s.strip()],
        "status": "planned", "note": _text(plan.note), "by": by,
    })


def pick_conference(conferences: Sequence[Entry], entry_id: str | None,
                    status: str | None) -> tuple[Entry | None, str | None]:
    """The conference named by ``entry_id``, else the latest (by date) with ``status``.

    Returns (entry, None) or (None, what is wrong).
    """
    if entry_id:
        for conf in conferences:
            if conf.get("id") == entry_id:
                return conf, None
        return None, f"no conference {entry_id} on this record"
    chosen = [c for c in by_date(conferences) if status is None or c.get("status") == status]
    if not chosen:
        return None, f"no {status or ''} conference on this record".replace("  ", " ")
    return chosen[-1], None


def held_problems(conf: Entry, day: date, today: date, attended: Sequence[str],
                  writeup: Mapping[str, str]) -> list[str]:
    problems = []
    if conf.get("status") == "held":
        problems.append(f"this conference was already recorded as held on {conf.get('date')}")
    if conf.get("status") == "cancelled":
        problems.append("this conference was cancelled")
    problems += _not_future("the conference date", day, today)
    if not [a for a in attended if a.strip()]:
        problems.append("say who attended with --attended (repeat it for each person)")
    known = dict(WRITEUP_HEADINGS)
    problems += [f"write-up heading '{k}' is not one of: {', '.join(known)}"
                 for k in writeup if k not in known]
    return problems


def held_fields(day: date, attended: Sequence[str], writeup: Mapping[str, str]) -> dict[str, Any]:
    """The fields set on a conference entry when it is recorded as held."""
    ordered = {k: writeup[k].strip() for k, _ in WRITEUP_HEADINGS if _text(writeup.get(k))}
    return _compact({"date": day, "status": "held",
                     "attended": [a.strip() for a in attended if a.strip()],
                     "writeup": ordered})


def next_item_number(items: Sequence[Entry]) -> int:
    """Items are numbered 1, 2, ... in the order agreed (Wait 'til Eight appendix 7F)."""
    numbers = [int(i["n"]) for i in items if isinstance(i.get("n"), int)]
    return max(numbers, default=len(items)) + 1


def item_problems(conf: Entry, action: str, who: str, due: date) -> list[str]:
    problems = []
    if conf.get("status") != "held":
        problems.append("the outcome agreement belongs to a held conference: record it first "
                        "(rj conference record)")
    if not action.strip():
        problems.append("say what was agreed with --action")
    if not who.strip():
        problems.append("say who will do it with --who")
    held = as_date(conf.get("date"))
    if held and due < held:
        problems.append(f"--due {due} is before the conference ({held})")
    return problems


def agreement_item(new_id: NewId, n: int, action: str, who: str, due: date,
                   by: str | None) -> dict[str, Any]:
    return _compact({"id": new_id(), "n": n, "action": action.strip(), "who": who.strip(),
                     "due": due, "status": "open", "by": by})


def find_item(conf: Entry, n: int) -> Entry | None:
    for number, item in enumerate(conf.get("agreement") or [], 1):
        if isinstance(item, Mapping) and item.get("n", number) == n:
            return item
    return None


@dataclass(frozen=True)
class ItemClosing:
    """Marking an outcome agreement item done or failed."""

    outcome: str
    """done or failed."""
    day: date
    """When it was done, or found to have failed."""
    note: str | None
    """What happened."""
    victim_told: date | None
    """When the victim was told (required to close a failed item: §7.7.2)."""


def closing_fields(item: Entry, closing: ItemClosing,
                   today: date) -> tuple[dict[str, Any], list[str]]:
    """The fields to set on the item, or the problems.

    A failed item stays due until the victim is told; telling them later is the same
    command again with --victim-told, which then only adds that date.
    """
    problems = _not_future("the date", closing.day, today)
    problems += _not_future("--victim-told", closing.victim_told, today)
    status = item.get("status") or "open"
    if status == "open":
        closed = closing.day
        fields = _compact({"status": closing.outcome, "closed": closed,
                           "victim_told": closing.victim_told, "note": _text(closing.note)})
    elif status == closing.outcome and closing.victim_told and not item.get("victim_told"):
        closed = as_date(item.get("closed")) or closing.day
        fields = {"victim_told": closing.victim_told}
    else:
        told = f" and the victim told {item.get('victim_told')}" if item.get("victim_told") else ""
        problems.append(f"item {item.get('n')} is already {status} ({item.get('closed')}{told}); "
                        f"correct it with rj edit if that is wrong")
        return {}, problems
    if closing.victim_told and closing.victim_told < closed:
        problems.append(f"--victim-told {closing.victim_told} is before the item was "
                        f"closed ({closed})")
    return fields, problems


def conference_date_problems(conf: Entry, day: date, today: date, what: str) -> list[str]:
    """A follow-up of a conference (copies, review, feedback) happens after it."""
    problems = _not_future(what, day, today)
    if conf.get("status") != "held":
        problems.append("the conference has not been recorded as held yet (rj conference record)")
    held = as_date(conf.get("date"))
    if held and day < held:
        problems.append(f"{what} {day} is before the conference ({held})")
    return problems


# --- complaints, appointments, the Victim Contact Scheme --------------------------------------


def complaint_entry(new_id: NewId, day: date, note: str, by: str | None) -> dict[str, Any]:
    return _compact({"id": new_id(), "date": day, "note": note.strip(), "by": by})


def pick_complaint(complaints: Sequence[Entry],
                   entry_id: str | None) -> tuple[Entry | None, str | None]:
    """The complaint named, else the latest one a manager has not been told of."""
    if entry_id:
        found = [c for c in complaints if c.get("id") == entry_id]
        return (found[0], None) if found else (None, f"no complaint {entry_id} on this record")
    waiting = [c for c in by_date(complaints) if not c.get("manager_told")]
    if not waiting:
        return None, "every complaint on this record has been passed to a manager"
    return waiting[-1], None


def appointment_entry(new_id: NewId, at: datetime, purpose: str, by: str | None) -> dict[str, Any]:
    return _compact({"id": new_id(), "at": format_datetime(at), "purpose": purpose.strip(),
                     "status": "booked", "by": by})


def pick_appointment(appointments: Sequence[Entry], entry_id: str | None,
                     now: datetime) -> tuple[Entry | None, str | None]:
    """The appointment named, else the most recent booked one that has come."""
    if entry_id:
        found = [a for a in appointments if a.get("id") == entry_id]
        return (found[0], None) if found else (None, f"no appointment {entry_id} on this record")
    booked = [a for a in appointments if a.get("status") == "booked"
              and (at := as_datetime(a.get("at"))) is not None and at <= now]
    if not booked:
        return None, "no booked appointment has come yet"
    latest = max(booked, key=lambda a: (as_datetime(a.get("at")) or datetime.min, str(a.get("id"))))
    return latest, None


def outcome_problems(appointment: Entry, status: str, now: datetime) -> list[str]:
    problems = _choice("outcome", status, APPOINTMENT_OUTCOMES)
    at = as_datetime(appointment.get("at"))
    if status in ("kept", "missed") and at and at > now:
        problems.append(f"the appointment at {format_datetime(at)} has not happened yet")
    if appointment.get("status") != "booked":
        problems.append(f"the appointment at {appointment.get('at')} is already "
                        f"{appointment.get('status')}")
    return problems


def outcome_fields(status: str, notice: bool | None, today: date) -> dict[str, Any]:
    fields: dict[str, Any] = {"status": status}
    if status == "missed":
        fields["notice"] = bool(notice)
    fields["recorded_on"] = today
    return fields


def misses_without_notice(appointments: Sequence[Entry]) -> int:
    """Appointments missed without notice or explanation (Wokingham 12 acts on two)."""
    return sum(1 for a in appointments if a.get("status") == "missed" and not a.get("notice"))


def vcs_entry(day: date, note: str | None, by: str | None) -> dict[str, Any]:
    return _compact({"date": day, "by": by, "note": _text(note)})


def vcs_reason(children: Sequence[Child]) -> str | None:
    """Why the victim is eligible for the Victim Contact Scheme, or None (YJB §22)."""
    for child in children:
        if child.hospital_order:
            return f"{child.id} is detained under the Mental Health Act"
        violent = any(o.violent_or_sexual for o in child.offences)
        if violent and (child.sentence_months or 0) >= 12:
            return (f"{child.id} was sentenced to {child.sentence_months} months for a violent "
                    "or sexual offence")
    return None


def vcs_line(victim_data: Mapping[str, Any], children: Sequence[Child]) -> str | None:
    """One line for ``rj show`` and the timeline: eligible, and told or not yet."""
    reason = vcs_reason(children)
    if reason is None:
        return None
    told = victim_data.get("vcs_notified")
    day = as_date(told.get("date")) if isinstance(told, Mapping) else None
    state = f"notified {uk_date(day)}" if day else "NOT YET NOTIFIED (1 working day: YJB §22)"
    return f"eligible for the Victim Contact Scheme ({reason}): {state}"


# --- the child's side ---------------------------------------------------------------------


def child_entry(new_id: NewId, day: date, note: str | None, by: str | None,
                **fields: Any) -> dict[str, Any]:
    """A victim-awareness session, reparation hours or a readiness note."""
    return _compact({"id": new_id(), "date": day, **fields, "note": _text(note), "by": by})


def reparation_problems(hours: float, kind: str, day: date, today: date) -> list[str]:
    problems = _choice("--kind", kind, REPARATION_KINDS) + _not_future("the date", day, today)
    if hours <= 0:
        problems.append("--hours must be more than 0")
    return problems


def child_warnings(child: Child) -> list[str]:
    """What the case holder should know: victim-awareness work owed (Wokingham 15)."""
    if child.victims or entries(child.extra, "victim_awareness"):
        return []
    return [f"no direct victim is linked to {child.id} and no victim-awareness session is "
            "recorded: the child should still do victim-awareness work (Wokingham 15): "
            f"rj child awareness {child.id} --note TEXT"]
