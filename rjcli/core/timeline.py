"""The whole history of a case in date order, as a worker or an inspector reads it (pure).

Every dated thing on a record becomes an :class:`Event`: allocation, consents,
contacts and letters, appointments, offers and every change of mind, the victim's
view, assessments and approvals, conferences and each agreement item, progress
updates, support, feedback, complaints, the Victim Contact Scheme and status
changes. Nothing is stored: the timeline is derived from the record each time.

A child's timeline is built from the child's record alone, so it can never show a
victim's details (Somerset 5.4).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from rjcli.core.dates import as_date, as_datetime, uk_date
from rjcli.core.gates import best_placed, override_line, overrides_of
from rjcli.core.model import Child
from rjcli.core.restorative import by_date, entries, vcs_reason
from rjcli.core.risk import label_of, needs_manager
from rjcli.core.vocab import label

Record = Mapping[str, Any]

FIRST, MIDDLE, LAST = 0, 1, 2
"""Where an event without a time goes among a day's events: an allocation or an
opening first, a closure last, everything else after the timed events."""
SCREENING_FACTS = (("identifiable_victim", "identifiable victim"),
                   ("vcs_involved", "Victim Contact Scheme involved"), ("consented", "consented"))
"""The screening answers (Tower Hamlets appendix 1), in the order shown."""


@dataclass(frozen=True)
class Event:
    """One line of a timeline."""

    day: date
    """When it happened (or is planned for)."""
    time: str | None
    """The time of day ("14:30") when known."""
    kind: str
    """What sort of event: allocation, consent, contact, letter, appointment, offer,
    view, assessment, approval, conference, agreement, progress, support, feedback,
    complaint, vcs, status, sentence, child-work, override, best-placed."""
    text: str
    """What happened, in plain words."""
    by: str | None = None
    """Who recorded or did it."""
    entry: str | None = None
    """The entry id it comes from (to find it with rj edit)."""
    rank: int = MIDDLE
    """Order among the day's untimed events (FIRST, MIDDLE, LAST)."""

    def as_json(self) -> dict[str, Any]:
        return {"date": self.day.isoformat(), "time": self.time, "kind": self.kind,
                "text": self.text, "by": self.by, "entry": self.entry}


def _s(value: object) -> str:
    return "" if value is None else str(value).strip()


def _by(entry: Mapping[str, Any]) -> str | None:
    return _s(entry.get("by")) or None


def _dated(out: list[Event], value: object, kind: str, text: str,
           entry: Mapping[str, Any] | None = None, rank: int = MIDDLE,
           by: str | None = None) -> None:
    """Add an event when ``value`` is a date (or a "YYYY-MM-DD HH:MM" moment)."""
    day = as_date(value)
    if day is None:
        return
    moment = as_datetime(value) if isinstance(value, str) and len(value.strip()) > 10 else None
    out.append(Event(day, moment.strftime("%H:%M") if moment else None, kind, text,
                     by if by is not None else (_by(entry) if entry else None),
                     _s(entry.get("id")) or None if entry else None, rank))


def _with_note(text: str, note: object) -> str:
    return f"{text}: {_s(note)}" if _s(note) else text


# --- shared by both kinds of record ---------------------------------------------------------


def _status(out: list[Event], record: Record) -> None:
    history = by_date(entries(record, "status_history"))
    for i, entry in enumerate(history):
        if entry.get("status") == "closed":
            text, rank = f"case closed ({label(_s(entry.get('reason')))})", LAST
        elif i == 0:
            text, rank = "case opened", FIRST
        else:
            text, rank = f"case reopened ({_s(entry.get('reason'))})", MIDDLE
        note = entry.get("note") if entry.get("note") != "allocated" else None
        _dated(out, entry.get("date"), "status", _with_note(text, note), entry, rank)


def _consents(out: list[Event], record: Record) -> None:
    for entry in entries(record, "consents"):
        source = f" ({_s(entry.get('source'))})" if entry.get("source") else ""
        text = f"consent to {label(_s(entry.get('kind')))}: {_s(entry.get('answer'))}{source}"
        _dated(out, entry.get("date") or entry.get("recorded_at"), "consent",
               _with_note(text, entry.get("note")), entry)


def _contacts(out: list[Event], record: Record) -> None:
    for entry in entries(record, "contacts"):
        method, outcome = _s(entry.get("method")), _s(entry.get("outcome"))
        own = "child" if _s(record.get("id")).startswith("C-") else "victim"
        who = _s(entry.get("with")) or own
        if method == "letter" and entry.get("letter"):
            kind, text = "letter", f"{entry.get('letter')} letter {label(outcome)}"
            if entry.get("resend"):  # rj letter --resend --reason
                text += f" again ({_s(entry.get('resend'))})"
        else:
            kind, text = "contact", f"{method} with the {label(who)}: {label(outcome)}"
        headings = entry.get("headings")
        note = entry.get("note") or ("; ".join(f"{label(k)}: {v}" for k, v in headings.items())
                                     if isinstance(headings, Mapping) else None)
        _dated(out, entry.get("at"), kind, _with_note(text, note), entry)


def _assessments(out: list[Event], record: Record) -> None:
    for entry in entries(record, "assessments"):
        name = label_of(entry)
        if not entry.get("completed"):
            answered = len(entry.get("answers") or [])
            _dated(out, entry.get("started"), "assessment",
                   f"{name} started, not finished ({answered} answered)", entry,
                   by=_s(entry.get("assessor")) or _by(entry))
            continue
        risks = sum(1 for a in entry.get("answers") or []
                    if isinstance(a, Mapping) and a.get("risk"))
        parts = [f"rating {entry['rating']}"] if entry.get("rating") else []
        parts.append(f"{risks} risk answer{'s' if risks != 1 else ''}" if risks
                     else "no risk answers")
        held = " - holds conference preparation until a manager approves" if (
            needs_manager(entry) and not entry.get("approval")) else ""
        detail = f" ({', '.join(parts)})"
        _dated(out, entry.get("completed"), "assessment", f"{name} completed{detail}{held}",
               entry, by=_s(entry.get("assessor")) or _by(entry))
        approval = entry.get("approval")
        if isinstance(approval, Mapping):
            _dated(out, approval.get("date"), "approval",
                   _with_note(f"{name} approved by {_s(approval.get('manager'))}",
                              approval.get("note")), entry, by=_s(approval.get("manager")))


# --- the victim's record -------------------------------------------------------------------


def _referral(out: list[Event], record: Record, children: Sequence[Child]) -> None:
    raw = record.get("referral")
    referral: Mapping[str, Any] = raw if isinstance(raw, Mapping) else {}
    # the stage keeps its own spelling ("pre-court"); source and disposal read as words
    where = ", ".join(_s(referral[k]) if k == "stage" else label(_s(referral[k]))
                      for k in ("source", "stage", "disposal") if referral.get(k))
    if referral.get("received"):
        _dated(out, referral.get("received"), "allocation", f"referral received ({where})",
               rank=FIRST)
    worker = _s(referral.get("worker")) or "no one yet"
    _dated(out, referral.get("allocated"), "allocation",
           f"allocated to {worker}" + (f" ({where})" if where else ""), rank=FIRST)
    screening = record.get("screening")
    if isinstance(screening, Mapping):
        facts = [f"{words}: {'yes' if screening[k] else 'no'}"
                 for k, words in SCREENING_FACTS if k in screening]
        text = "referral screened" + (f" ({', '.join(facts)})" if facts else "")
        _dated(out, screening.get("date"), "allocation", _with_note(text, screening.get("note")),
               screening)
    for child in children:
        if child.sentence_date:
            what = label(child.disposal) if child.disposal else "decision"
            _dated(out, child.sentence_date, "sentence", f"{child.id}: {what}", rank=FIRST)
    reason = vcs_reason(children)
    if reason:
        day = min((c.sentence_date for c in children if c.sentence_date), default=None)
        _dated(out, day, "vcs", f"eligible for the Victim Contact Scheme: {reason}")
    notified = record.get("vcs_notified")
    if isinstance(notified, Mapping):
        _dated(out, notified.get("date"), "vcs",
               _with_note("Victim Contact Scheme notified", notified.get("note")), notified)


def _appointments(out: list[Event], record: Record) -> None:
    for entry in entries(record, "appointments"):
        status = _s(entry.get("status")) or "booked"
        if status == "missed":
            status = "missed with notice" if entry.get("notice") else "missed without notice"
        purpose = f" ({entry['purpose']})" if entry.get("purpose") else ""
        _dated(out, entry.get("at"), "appointment", f"appointment{purpose}: {status}", entry)


def _offers(out: list[Event], record: Record) -> None:
    latest: dict[str, str] = {}
    for entry in by_date(entries(record, "offers")):
        option, status = _s(entry.get("option")), _s(entry.get("status"))
        before = latest.get(option)
        latest[option] = status
        service = f" ({entry['service']})" if entry.get("service") else ""
        if status == "offered":
            text = f"offered: {label(option)}{service}"
        else:
            was = f" (was {before})" if before and before != "offered" else ""
            text = f"{label(option)}{service}: {label(status)}{was}"
        _dated(out, entry.get("date"), "offer", _with_note(text, entry.get("reason")), entry)


def _conferences(out: list[Event], record: Record) -> None:
    for conf in entries(record, "conferences"):
        kind = _s(conf.get("kind")) or "conference"
        where = f" at {conf['venue']}" if conf.get("venue") else ""
        status = _s(conf.get("status"))
        if status == "held":
            attended = ", ".join(_s(a) for a in conf.get("attended") or [])
            text = f"{kind} held{where}" + (f"; attended: {attended}" if attended else "")
            writeup = conf.get("writeup")
            if isinstance(writeup, Mapping) and writeup:
                text += "; write-up: " + "; ".join(f"{k}: {v}" for k, v in writeup.items())
        else:
            who = ", ".join(x for x in (
                f"with {conf['child']}" if conf.get("child") else "",
                f"facilitator {conf['facilitator']}" if conf.get("facilitator") else "",
                f"co-facilitator {conf['co_facilitator']}" if conf.get("co_facilitator") else "",
                ("supporters: " + ", ".join(map(str, conf["supporters"])))
                if conf.get("supporters") else "",
            ) if x)
            text = f"{kind} {'planned' if status == 'planned' else status}{where}" + (
                f" ({who})" if who else "")
        _dated(out, conf.get("date"), "conference", _with_note(text, conf.get("note")), conf)
        _agreement(out, conf)


def _agreement(out: list[Event], conf: Mapping[str, Any]) -> None:
    for n, item in enumerate(conf.get("agreement") or [], 1):
        if not isinstance(item, Mapping):
            continue
        number = item.get("n", n)
        due = as_date(item.get("due"))
        _dated(out, conf.get("date"), "agreement",
               f"agreed, item {number}: {_s(item.get('action'))} ({_s(item.get('who'))}, by "
               f"{uk_date(due) if due else '?'})", item)
        if item.get("status") in ("done", "failed"):
            _dated(out, item.get("closed"), "agreement",
                   _with_note(f"item {number} {item['status']}", item.get("note")), item)
        if item.get("victim_told"):
            _dated(out, item.get("victim_told"), "agreement",
                   f"victim told how item {number} went ({_s(item.get('status'))})", item)
    _dated(out, conf.get("copies_sent"), "agreement", "copies of the outcome agreement sent",
           by=_by(conf))
    review = conf.get("review")
    if isinstance(review, Mapping):
        _dated(out, review.get("date"), "agreement",
               _with_note("outcome agreement reviewed with both parties", review.get("note")),
               review)


def _progress_and_support(out: list[Event], record: Record) -> None:
    view = record.get("view")
    if isinstance(view, Mapping):
        _dated(out, view.get("sought"), "view",
               _with_note("victim's view sought", view.get("summary")), view)
    request = record.get("progress_request")
    if isinstance(request, Mapping):
        days = (as_date(p) for p in request.get("points") or [])
        points = ", ".join(uk_date(d) for d in days if d)
        until = as_date(request.get("until"))
        text = (f"asked for progress updates on {_s(request.get('what'))}"
                f" by {_s(request.get('how'))}" + (f" until {uk_date(until)}" if until else "")
                + (f" (at {points})" if points else ""))
        _dated(out, request.get("date"), "progress", text, request)
    for entry in entries(record, "progress_updates"):
        how = f" ({entry['method']})" if entry.get("method") else ""
        _dated(out, entry.get("date"), "progress", _with_note(f"progress update given{how}",
                                                              entry.get("note")), entry)
    for entry in entries(record, "support_requests"):
        _dated(out, entry.get("date"), "support",
               _with_note("asked for support", entry.get("need")), entry)
    for entry in entries(record, "support"):
        what = "referred to" if entry.get("kind") == "referral" else "given information about"
        _dated(out, entry.get("date"), "support",
               _with_note(f"support: {what} {_s(entry.get('service'))}", entry.get("note")), entry)


def _feedback_and_complaints(out: list[Event], record: Record) -> None:
    for entry in entries(record, "feedback"):
        kind = "the conference" if entry.get("kind") == "conference" else "our contact"
        satisfaction = label(_s(entry.get("satisfaction")) or "no rating")
        _dated(out, entry.get("date"), "feedback", f"feedback on {kind}: {satisfaction}", entry)
    for entry in entries(record, "complaints"):
        _dated(out, entry.get("date"), "complaint", _with_note("complaint", entry.get("note")),
               entry)
        if entry.get("manager_told"):
            _dated(out, entry.get("manager_told"), "complaint",
                   f"complaint passed to {_s(entry.get('manager')) or 'a manager'}", entry)


def _gates(out: list[Event], record: Record) -> None:
    """Overrides of a safety gate (rjcli.core.gates) and the best-placed decision."""
    for entry in overrides_of(record):
        _dated(out, entry.get("date"), "override", override_line(entry), entry,
               by=_s(entry.get("manager")) or _by(entry))
    decision = best_placed(record)
    if decision is not None:
        _dated(out, decision.get("date"), "best-placed",
               _with_note(f"best placed to support the victim: {label(_s(decision.get('who')))} "
                          f"(decided with {_s(decision.get('case_holder'))}; Somerset 6.6)",
                          decision.get("note")), decision)


def _sorted(out: list[Event]) -> list[Event]:
    order = {id(e): i for i, e in enumerate(out)}
    return sorted(out, key=lambda e: (e.day, e.rank, e.time or "99:99", order[id(e)]))


def victim_timeline(record: Record, children: Sequence[Child]) -> list[Event]:
    """Every event of a victim's case, oldest first; ``children``: the linked children."""
    out: list[Event] = []
    _referral(out, record, children)
    _status(out, record)
    _consents(out, record)
    _contacts(out, record)
    _appointments(out, record)
    _offers(out, record)
    _assessments(out, record)
    _conferences(out, record)
    _progress_and_support(out, record)
    _feedback_and_complaints(out, record)
    _gates(out, record)
    return _sorted(out)


def child_timeline(record: Record) -> list[Event]:
    """Every event of a child's case, oldest first, from the child's record only."""
    out: list[Event] = []
    if record.get("sentence_date"):
        what = label(_s(record.get("disposal"))) if record.get("disposal") else "decision"
        end = as_date(record.get("order_end"))
        _dated(out, record.get("sentence_date"), "sentence",
               f"sentenced: {what}" + (f", order to {uk_date(end)}" if end else ""), rank=FIRST)
    _status(out, record)
    _consents(out, record)
    _contacts(out, record)
    _assessments(out, record)
    for entry in entries(record, "victim_awareness"):
        _dated(out, entry.get("date"), "child-work",
               _with_note("victim-awareness session", entry.get("note")), entry)
    for entry in entries(record, "reparation"):
        kind = f"{entry['kind']} " if entry.get("kind") else ""
        text = f"{kind}reparation: {entry.get('hours')} hours"
        _dated(out, entry.get("date"), "child-work", _with_note(text, entry.get("note")), entry)
    for entry in entries(record, "readiness"):
        _dated(out, entry.get("date"), "child-work", _with_note("RJ readiness", entry.get("note")),
               entry)
    return _sorted(out)
