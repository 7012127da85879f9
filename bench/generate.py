"""Generate a realistic, entirely fictional casebook for benchmarking rj.

    python bench/generate.py OUT --victims 10000 --children 5000 --seed 1

Writes ``OUT/rj.yaml`` (an invented service with 12 staff, the Wokingham profile,
autocommit off) and one YAML file per record under ``OUT/victims/`` and
``OUT/children/``, about 2-4 KB each: varied kinds, stages, disposals and consents,
about 20% of cases open (mostly the recent ones), contact logs of 5-15 entries, some
offers, conferences with agreements, feedback, assessments and progress requests,
and victims and children linked both ways. Dates run from January 2023 to
mid-June 2026 (run rj with ``--today 2026-06-15``).

Nothing here can reach or describe a real person: names are built from small
invented word lists, telephone numbers come only from Ofcom's drama range
07700 900000-900999, e-mail addresses end in @example.org and postcodes use the
unused area XE. A child's file never holds a victim's name, phone, e-mail,
postcode or date of birth (victims appear there only as an id and "Victim N").

The YAML is written with string templates (ruamel.yaml would take minutes for
15,000 files), in the layout rj itself writes: two-space indents, list items
indented under their key, telephone numbers and "YYYY-MM-DD HH:MM" moments quoted,
dates bare. The same seed always gives the same files.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

try:
    from rjcli.core.ids import new_entry_id, new_record_id
except ImportError:  # run from a clone without rj installed
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from rjcli.core.ids import new_entry_id, new_record_id

TODAY = date(2026, 6, 15)
"""The benchmark's "today": every recorded date is on or before it."""
FIRST_DAY = date(2023, 1, 2)
"""The oldest referral."""
LAST_DAY = TODAY.toordinal() - 1
"""The newest contact or referral (the day before "today")."""
EPOCH = date(1970, 1, 1).toordinal()
OPEN_WINDOW = 240
"""Cases referred in the last this many days are mostly still open (~20% overall)."""

# --- invented words (no real people) ----------------------------------------------

FIRST_NAMES = (
    "Alex", "Bea", "Cal", "Dana", "Eli", "Fay", "Gus", "Hana", "Ivo", "Jade", "Kit", "Lena",
    "Milo", "Nia", "Owen", "Pia", "Quin", "Rhea", "Sol", "Tess", "Uma", "Vic", "Wren", "Yara",
    "Zac", "Ada", "Ben", "Cleo", "Dev", "Esme", "Finn", "Gwen", "Huw", "Isla", "Jude", "Kofi",
)
VICTIM_SURNAMES = (
    "Ambleby", "Birchett", "Quillfeather", "Marrowby", "Thistlewood", "Penhallow", "Dunmorrow",
    "Fennick", "Gorselea", "Hollinby", "Inchbold", "Kettleby", "Larkspur", "Mossop",
    "Nettlebed", "Orchardson", "Pebworth", "Quenby", "Rushmere", "Saltmarsh", "Tansley",
    "Underhay", "Vellacott", "Wenlow", "Yarrowby", "Ashdell", "Brindleford", "Cobbleigh",
    "Dimmerton", "Elsworthy", "Farrantby", "Gilsenby", "Hebdenay", "Jessamy", "Kimberworth",
    "Lindow", "Merriweather", "Noakesby", "Oxendale", "Pardewe",
)
"""Victims' family names: none of these ever appears in a child's file."""
CHILD_SURNAMES = (
    "Aldwinckle", "Bexworth", "Carrowmore", "Draycote", "Emberley", "Foxholme", "Grimsditch",
    "Harrowell", "Ivesdale", "Jolliffeby", "Kestermoor", "Lathbury", "Mortlake", "Nuthurst",
    "Ottershaw", "Pilsdon", "Ravenhill", "Stannage", "Thornbury", "Upwood", "Wetherden",
    "Yelverton", "Ashwellby", "Brookend", "Coldharbour", "Dunstall", "Edgecott", "Fairlop",
)
ORGANISATIONS = (
    "Corner Stores Ltd", "Bus Company Ltd", "Garden Centre Ltd", "Leisure Trust",
    "Community Pharmacy Ltd", "Motor Repairs Ltd", "Hardware Ltd", "Housing Association",
    "Sports Club", "Parish Council",
)
TOWNS = ("Brackenford", "Millbridge", "Eastcombe", "Harrowmere", "Stonebeck", "Wetherley")
STREETS = ("Mill Lane", "Church Road", "Station Road", "Orchard Close", "Hill View",
           "Park Avenue", "The Green", "Meadow Way", "Quarry Lane", "Willow Drive")
STAFF = (
    ("Priya Oakhanger", "rj-worker"), ("Sam Teasdale", "rj-worker"),
    ("Morgan Fairweather", "rj-worker"), ("Robin Castleton", "rj-worker"),
    ("Jess Polwhele", "rj-worker"), ("Ola Brightmore", "rj-worker"),
    ("Kerry Lindqvale", "case-holder"), ("Tom Ashcroftby", "case-holder"),
    ("Ade Whitcombe", "case-holder"), ("Nell Harcastle", "case-holder"),
    ("Ruth Kenwardine", "manager"), ("Dev Marchbank", "admin"),
)
ETHNICITIES = ("White British", "White other", "Mixed White and Black Caribbean",
               "Asian British", "Black British", "Chinese", "Not stated")
OFFENCES = (
    ("Theft from a shop", False), ("Criminal damage to a car", False),
    ("Assault by beating", True), ("Burglary of a garden shed", False),
    ("Robbery of a mobile phone", True), ("Common assault", True),
    ("Harassment by text messages", False), ("Criminal damage to a bus shelter", False),
    ("Theft of a bicycle", False), ("Public order offence", False),
    ("Actual bodily harm", True), ("Arson of a wheelie bin", False),
)
# (disposal, victim stage, referral sources, weight)
DISPOSALS = (
    ("community-resolution", "pre-court", ("police",), 20),
    ("youth-caution", "pre-court", ("police",), 10),
    ("youth-conditional-caution", "pre-court", ("police",), 15),
    ("no-further-action", "pre-court", ("police",), 2),
    ("psr-requested", "pre-sentence", ("court", "case-holder"), 8),
    ("deferred-sentence", "pre-sentence", ("court",), 3),
    ("referral-order", "post-sentence", ("court", "case-holder"), 25),
    ("yro", "post-sentence", ("court", "case-holder"), 12),
    ("custody", "post-sentence", ("court",), 5),
)
ORDER_MONTHS = {"referral-order": (3, 12), "yro": (6, 24), "custody": (4, 24),
                "deferred-sentence": (6, 6), "youth-conditional-caution": (3, 4)}
VICTIM_KINDS = (("individual", 70), ("under-18", 12), ("corporate", 12), ("family-or-carer", 6))
CLOSURES = (("completed", 45), ("declined", 25), ("no-response", 18), ("withdrew", 6),
            ("not-appropriate", 4), ("transferred", 1), ("out-of-area", 1))

# Case notes: plain YAML scalars, checked below (no ': ', ' #', or leading indicator).
VICTIM_NOTES = {
    "no-answer": ("Rang the number on the police form, no answer and no voicemail set up.",
                  "No answer on the mobile. Will try again at a different time of day."),
    "left-message": ("Left a voicemail giving my name and the team's number, asked for a call back.",
                     "Left a short message; did not mention the offence in case others hear it."),
    "spoke": ("Spoke about what happened and what the service can offer. Would like time to think.",
              "Explained the options, including a letter of explanation. Keen to hear more.",
              "Talked through how the incident has affected the family. Wants updates only.",
              "Discussed a face to face meeting. Not ready yet but open to it later.",
              "Confirmed the preferred contact times and that texts are fine.",
              "Gave information about victim support services and how to refer."),
    "sent": ("Sent the letter with the leaflet and a reply-by date.",
             "Sent a copy of the outcome agreement as promised."),
    "received": ("Reply received, would like a phone call next week.",
                 "E-mail received with questions about the panel meeting."),
    "kept": ("Home visit held. Went through the impact statement and the next steps.",
             "Preparation meeting held at the office; risks discussed, none found.",
             "Met at the youth centre to plan the conference."),
    "missed": ("Not at home at the agreed time, card left with the team's number.",),
    "cancelled": ("Cancelled by phone the day before, asked to rearrange.",),
}
CASE_HOLDER_NOTES = ("Updated the case holder on the victim's wishes.",
                     "Case holder confirmed the order start and the reparation plan.",
                     "Asked the case holder whether the child is ready to write a letter.")
CHILD_NOTES = {
    "spoke": ("Talked about who was affected by the offence and how.",
              "Went through what a restorative meeting involves. Thinking about it.",
              "Discussed writing a letter of explanation; wants help with the wording."),
    "kept": ("Session held at the youth centre on the effects of crime.",
             "Reparation session held, worked well with the supervisor.",
             "Met with the parent present to explain the process."),
    "missed": ("Did not attend the session; the parent said the child was unwell.",),
    "no-answer": ("No answer from the parent's phone.",),
    "sent": ("Sent the appointment letter for next week.",),
    "left-message": ("Left a message with the parent to confirm the session.",),
}
CHILD_AWARENESS = ("Victim awareness session on the effects of shop theft on staff.",
                   "Worked through the harm caused and who else was affected.",
                   "Second victim awareness session, good engagement.")
CHILD_READINESS = ("Shows understanding of the harm and wants to put things right.",
                   "Not ready yet, to review after the next two sessions.",
                   "Ready for a restorative meeting with support from the parent.")
AGREEMENT_ACTIONS = ("Write a letter of apology", "Repair the damaged fence",
                     "Attend two sessions on the effects of crime",
                     "Pay for the broken window from savings",
                     "Do four hours of work at the community garden")
SUPPORT_SERVICES = ("Victim Support", "the local counselling service", "the housing team",
                    "the school's pastoral team")
VENUES = ("Youth centre, meeting room 2", "Council offices, room 4", "Community hall, side room")
ASSESSMENT_QUESTIONS = (
    ("safe-to-meet", "Is it safe for the participants to meet?", "yes"),
    ("wants-to-take-part", "Does the participant want to take part?", "yes"),
    ("support-needed", "Is extra support needed on the day?", "no"),
    ("risk-of-harm", "Is there a risk of further harm?", "no"),
    ("understands-process", "Does the participant understand the process?", "yes"),
)

_UNSAFE = re.compile(r": |\s#|^[-?:,\[\]{}#&*!|>'\"%@`]|\s$")
_PHRASES = [n for group in (*VICTIM_NOTES.values(), *CHILD_NOTES.values()) for n in group]
_PHRASES += [*CASE_HOLDER_NOTES, *CHILD_AWARENESS, *CHILD_READINESS, *AGREEMENT_ACTIONS]
if any(_UNSAFE.search(phrase) for phrase in _PHRASES):  # written as plain YAML scalars
    raise ValueError("a phrase needs quoting in YAML: "
                     + next(p for p in _PHRASES if _UNSAFE.search(p)))


# --- small helpers ----------------------------------------------------------------

_ISO: dict[int, str] = {}


def iso(day: int) -> str:
    """An ordinal day as YYYY-MM-DD."""
    text = _ISO.get(day)
    if text is None:
        text = _ISO[day] = date.fromordinal(day).isoformat()
    return text


def moment(day: int, minute: int) -> str:
    """A quoted "YYYY-MM-DD HH:MM" moment."""
    return f'"{iso(day)} {minute // 60:02d}:{minute % 60:02d}"'


def working(day: int) -> int:
    """The day itself, or the Monday after a weekend."""
    weekday = date.fromordinal(day).weekday()
    return day + (7 - weekday if weekday >= 5 else 0)


@dataclass
class Gen:
    """A seeded generator: every random choice goes through ``rng``."""

    rng: random.Random
    workers: list[str]
    case_holders: list[str]
    manager: str
    admin: str
    used_ids: set[str] = field(default_factory=set)

    def pick(self, items: tuple | list):  # type: ignore[type-arg]
        return items[self.rng.randrange(len(items))]

    def weighted(self, items: tuple) -> str:  # type: ignore[type-arg]
        return self.rng.choices([i[0] for i in items], [i[-1] for i in items])[0]

    def record_id(self, kind: str) -> str:
        while True:
            rid = new_record_id(kind, self.rng.randbytes(4))
            # an X start could read as an XE postcode to the privacy check
            if rid not in self.used_ids and rid[2] != "X":
                self.used_ids.add(rid)
                return rid

    def entry_id(self, day: int, minute: int = 720) -> str:
        millis = ((day - EPOCH) * 1440 + minute) * 60_000 + self.rng.randrange(60_000)
        return new_entry_id(millis, self.rng.randbytes(10))

    def phone(self) -> str:
        return f'"07700 900{self.rng.randrange(1000):03d}"'

    def time_of_day(self) -> int:
        return self.rng.randrange(9 * 60, 17 * 60 + 30, 5)


@dataclass
class ChildPlan:
    """What a child's victims need to know of the child (decided before writing)."""

    id: str
    name: str
    base: int
    disposal: str
    stage: str
    sources: tuple[str, ...]
    sentence: int | None
    offence: str
    violent: bool
    victims: list[str] = field(default_factory=list)


# --- status, consents, contacts (shared by both kinds) ------------------------------

def plan_status(g: Gen, start: int) -> tuple[bool, int]:
    """(open?, the last day the log may run to)."""
    recent = start > LAST_DAY - OPEN_WINDOW
    is_open = g.rng.random() < (0.85 if recent else 0.03)
    if is_open:
        return True, LAST_DAY
    return False, min(LAST_DAY, start + g.rng.randrange(30, 200))


def status_lines(g: Gen, start: int, end: int, is_open: bool, by: str) -> list[str]:
    lines = ["status_history:",
             f"  - id: {g.entry_id(start)}", f"    date: {iso(start)}", "    status: open",
             f"    by: {by}", "    note: allocated"]
    if not is_open:
        reason = g.weighted(CLOSURES)
        lines += [f"  - id: {g.entry_id(end, 1000)}", f"    date: {iso(end)}", "    status: closed",
                  f"    reason: {reason}", f"    by: {by}"]
    elif g.rng.random() < 0.05 and end - start > 40:
        closed = start + 20
        lines += [f"  - id: {g.entry_id(closed, 1000)}", f"    date: {iso(closed)}",
                  "    status: closed", "    reason: no-response", f"    by: {by}",
                  f"  - id: {g.entry_id(closed + 10, 1000)}", f"    date: {iso(closed + 10)}",
                  "    status: open", f"    by: {by}", "    note: got back in touch, reopened"]
    return lines


def contact_days(g: Gen, start: int, end: int, count: int) -> list[int]:
    """``count`` working days from ``start`` to ``end``, closer together early on."""
    span = max(end - start, 1)
    gaps = [g.rng.uniform(1, 14) * (1 + i / 4) for i in range(count)]
    scale = min(1.0, span / sum(gaps))
    days, day = [], float(start)
    for gap in gaps:
        days.append(min(end, working(int(day))))
        day += gap * scale
    return sorted(days)


def log_length(g: Gen, most: int) -> int:
    """5 to ``most`` entries, short logs commoner than long ones."""
    return 5 + int((most - 4) * g.rng.random() ** 2)


def contact_entry(g: Gen, day: int, method: str, outcome: str, note: str, by: str,
                  party: str = "victim", letter: str | None = None) -> list[str]:
    minute = g.time_of_day()
    recorded_day = day if g.rng.random() < 0.8 else min(LAST_DAY, day + g.rng.randrange(1, 4))
    recorded_minute = minute + 15 if recorded_day == day else g.time_of_day()
    lines = [f"  - id: {g.entry_id(day, minute)}", f"    at: {moment(day, minute)}",
             f"    method: {method}", f"    outcome: {outcome}"]
    if party != "victim":
        lines.append(f"    with: {party}")
    if letter:
        lines.append(f"    letter: {letter}")
    lines += [f"    note: {note}", f"    by: {by}",
              f"    recorded_at: {moment(recorded_day, min(recorded_minute, 23 * 60 + 59))}"]
    return lines


def consent_entry(g: Gen, kind: str, answer: str, day: int, source: str, by: str,
                  note: str | None = None) -> list[str]:
    lines = [f"  - id: {g.entry_id(day)}", f"    kind: {kind}", f"    answer: {answer}",
             f"    date: {iso(day)}", f"    source: {source}"]
    if note:
        lines.append(f"    note: {note}")
    return [*lines, f"    by: {by}", f"    recorded_at: {moment(day, g.time_of_day())}"]


# --- victims ----------------------------------------------------------------------

def victim_contacts(g: Gen, start: int, end: int, is_open: bool, worker: str) -> list[str]:
    count = log_length(g, 15)
    days = contact_days(g, start, end, count)
    lines = ["contacts:"]
    reached = g.rng.random() < 0.8
    for n, day in enumerate(days):
        if n == 0 or (n < 3 and not reached):
            outcome = g.pick(("no-answer", "left-message"))
            lines += contact_entry(g, day, "phone", outcome, g.pick(VICTIM_NOTES[outcome]), worker)
        elif n == 1 and g.rng.random() < 0.4:
            lines += contact_entry(g, day, "letter", "sent", VICTIM_NOTES["sent"][0], worker,
                                   letter="initial")
        elif n == count - 1 and not is_open:
            lines += contact_entry(g, day, "letter", "sent", "Sent the closure letter.", worker,
                                   letter="closure")
        elif g.rng.random() < 0.15:
            lines += contact_entry(g, day, g.pick(("email", "phone")), g.pick(("spoke", "sent")),
                                   g.pick(CASE_HOLDER_NOTES), worker, party="case-holder")
        else:
            method = g.pick(("phone", "phone", "visit", "meeting", "email", "text"))
            outcome = {"phone": g.pick(("spoke", "spoke", "no-answer")),
                       "visit": g.pick(("kept", "kept", "missed")),
                       "meeting": g.pick(("kept", "kept", "cancelled")),
                       "email": g.pick(("sent", "received")),
                       "text": "sent"}[method]
            lines += contact_entry(g, day, method, outcome, g.pick(VICTIM_NOTES[outcome]), worker)
    return lines


def victim_extras(g: Gen, start: int, end: int, worker: str, children: list[ChildPlan],
                  stage: str) -> list[str]:
    """The optional sections: offers, conferences, feedback, assessments, support..."""
    rng, lines = g.rng, []
    mid = min(end, start + (end - start) // 2)
    if stage == "pre-court" and rng.random() < 0.6:
        lines += ["view:", f"  sought: {iso(min(end, start + 3))}",
                  "  summary: Would like the child to understand the harm and to apologise.",
                  f"  by: {worker}"]
    if rng.random() < 0.3:
        lines += ["screening:", f"  date: {iso(start)}", f"  by: {worker}",
                  "  identifiable_victim: true", f"  vcs_involved: {str(rng.random() < 0.1).lower()}",
                  "  consented: true", "  note: Screened on allocation."]
    if rng.random() < 0.15:
        lines.append("appointments:")
        for _ in range(rng.randint(1, 3)):
            day, minute = working(rng.randint(start, end)), g.time_of_day()
            status = g.pick(("kept", "kept", "missed", "cancelled"))
            lines += [f"  - id: {g.entry_id(day, minute)}", f"    at: {moment(day, minute)}",
                      "    purpose: Home visit", f"    status: {status}"]
            if status == "missed":
                lines.append(f"    notice: {str(rng.random() < 0.5).lower()}")
            lines += [f"    recorded_on: {iso(day)}", f"    by: {worker}"]
    conference_id, conference_day = "", 0  # conference_day: set when one was held
    if rng.random() < 0.4:
        lines.append("offers:")
        for _ in range(rng.randint(1, 3)):
            option = g.pick(("conference", "shuttle-mediation", "letter-of-explanation",
                             "direct-reparation", "indirect-reparation", "panel-attendance",
                             "impact-statement", "progress-updates", "support-referral"))
            status = g.pick(("offered", "accepted", "declined", "completed", "in-progress",
                             "not-appropriate"))
            lines += [f"  - id: {g.entry_id(mid)}", f"    option: {option}", f"    status: {status}",
                      f"    date: {iso(mid)}"]
            if status in ("declined", "not-appropriate"):
                lines.append("    reason: The victim does not want any contact with the child.")
            if option == "support-referral":
                lines.append(f"    service: {g.pick(SUPPORT_SERVICES)}")
            lines.append(f"    by: {worker}")
    if rng.random() < 0.08 and children:
        held = end < LAST_DAY or rng.random() < 0.5
        day = min(end, mid + 14) if held else LAST_DAY + rng.randrange(3, 30)
        conference_id = g.entry_id(day, 600)
        lines += ["conferences:", f"  - id: {conference_id}",
                  f"    kind: {g.pick(('conference', 'panel'))}", f"    date: {iso(day)}",
                  f"    venue: {g.pick(VENUES)}", f"    child: {children[0].id}",
                  f"    facilitator: {worker}", f"    co_facilitator: {g.pick(g.workers)}",
                  f"    status: {'held' if held else 'planned'}"]
        if held:
            conference_day = day
            lines += ["    attended:", "      - victim", "      - child", "      - parent",
                      "    writeup:",
                      "      what_happened: Each person said what happened and who was affected.",
                      "      harm: The victim described the worry since the incident.",
                      "      agreement: Both agreed the actions below.",
                      "    agreement:"]
            for n in range(1, rng.randint(1, 3) + 1):
                due = day + rng.randrange(14, 90)
                status = "open" if due > LAST_DAY else g.pick(("done", "done", "failed"))
                lines += [f"      - id: {g.entry_id(day, 600 + n)}", f"        n: {n}",
                          f"        action: {g.pick(AGREEMENT_ACTIONS)}", "        who: child",
                          f"        due: {iso(due)}", f"        status: {status}"]
                if status != "open":
                    lines.append(f"        closed: {iso(due)}")
            if day + 5 <= LAST_DAY:
                lines.append(f"    copies_sent: {iso(day + 5)}")
    if rng.random() < 0.1 or (conference_day and rng.random() < 0.5):
        day = min(LAST_DAY, conference_day + 7) if conference_day else min(end, mid + 20)
        lines += ["feedback:", f"  - id: {g.entry_id(day)}", f"    date: {iso(day)}",
                  f"    kind: {'conference' if conference_day else 'contact'}",
                  f"    satisfaction: {g.pick(('very-satisfied', 'satisfied', 'neither', 'dissatisfied'))}",
                  "    answers:", "      felt_listened_to: Yes, the worker explained everything.",
                  "      would_recommend: Probably."]
        if conference_day:
            lines.append(f"    conference: {conference_id}")
        lines.append(f"    by: {worker}")
    if rng.random() < 0.1:
        lines += assessment_lines(g, "victim-consultation", "victim", mid, worker)
    if stage == "post-sentence" and rng.random() < 0.25:
        until = children[0].base + 365 if children else mid + 365
        lines += ["progress_request:", f"  date: {iso(start + 2)}",
                  "  what: Whether the order is completed and any reparation done.",
                  f"  how: {g.pick(('phone', 'letter', 'email'))}", f"  until: {iso(until)}",
                  "  points:", f"    - {iso(start + 90)}", f"    - {iso(start + 180)}",
                  f"  by: {worker}"]
        if start + 90 <= end:
            lines += ["progress_updates:", f"  - id: {g.entry_id(start + 92)}",
                      f"    date: {iso(start + 92)}", "    method: phone",
                      "    note: Told the victim the child has started reparation.", f"    by: {worker}"]
    if rng.random() < 0.15:
        lines += ["support_requests:", f"  - id: {g.entry_id(start + 3)}", f"    date: {iso(start + 3)}",
                  "    need: Help with feeling safe at home.", f"    by: {worker}",
                  "support:", f"  - id: {g.entry_id(start + 5)}", f"    date: {iso(start + 5)}",
                  f"    kind: {g.pick(('information', 'referral'))}",
                  f"    service: {g.pick(SUPPORT_SERVICES)}", f"    by: {worker}"]
    if rng.random() < 0.01:
        lines += ["complaints:", f"  - id: {g.entry_id(mid)}", f"    date: {iso(mid)}",
                  "    note: Unhappy that calls were not returned quickly.",
                  f"    manager_told: {iso(mid)}", f"    manager: {g.manager}", f"    by: {worker}"]
    if rng.random() < 0.03:
        lines += ["vcs_notified:", f"  date: {iso(start + 1)}", f"  by: {worker}",
                  "  note: Told the probation Victim Contact Scheme by secure e-mail."]
    return lines


def assessment_lines(g: Gen, checklist: str, participant: str, day: int, by: str) -> list[str]:
    rng = g.rng
    done = rng.random() < 0.8
    lines = ["assessments:", f"  - id: {g.entry_id(day)}", f"    checklist: {checklist}",
             f"    participant: {participant}", f"    started: {iso(day)}"]
    if done:
        lines.append(f"    completed: {iso(min(LAST_DAY, day + 2))}")
    lines += [f"    assessor: {by}", "    answers:"]
    risk = False
    for question, text, usual in ASSESSMENT_QUESTIONS[: rng.randint(3, 5)]:
        answer = usual if rng.random() < 0.9 else ("no" if usual == "yes" else "yes")
        risk = risk or answer != usual
        lines += [f"      - question: {question}", f"        text: {text}",
                  f'        answer: "{answer}"', f"        risk: {str(answer != usual).lower()}"]
    if done:
        rating = "MEDIUM" if risk else "LOW"
        lines += [f"    rating: {rating}", "    rating_reasons: Judged from the answers above.",
                  f"    blocked: {str(risk).lower()}"]
        if risk:
            lines += ["    reasons:", "      - a risk was found, so a manager must approve"]
    return lines


def victim_text(g: Gen, vid: str, kind: str, children: list[ChildPlan]) -> tuple[str, str | None]:
    """The victim's record, and their ethnicity (for the child's "Victim N" entry)."""
    rng = g.rng
    first, last = g.pick(FIRST_NAMES), g.pick(VICTIM_SURNAMES)
    town = g.pick(TOWNS)
    name = f"{town} {g.pick(ORGANISATIONS)}" if kind == "corporate" else f"{first} {last}"
    child = children[0] if children else None
    stage = child.stage if child else "pre-court"
    base = child.base if child else rng.randint(FIRST_DAY.toordinal(), LAST_DAY)
    start = working(min(LAST_DAY - 1, base + rng.randrange(0, 10)))
    start = min(start, LAST_DAY)
    is_open, end = plan_status(g, start)
    worker = g.pick(g.workers)
    lines = [f"id: {vid}", f"kind: {kind}", f"name: {name}"]
    if kind == "under-18":
        lines.append(f"dob: {iso(rng.randint(date(2009, 1, 1).toordinal(), date(2014, 12, 31).toordinal()))}")
    elif kind != "corporate":
        lines.append(f"dob: {iso(rng.randint(date(1945, 1, 1).toordinal(), date(2005, 12, 31).toordinal()))}")
    if rng.random() < 0.9:
        lines += ["phones:", f"  - {g.phone()}"]
        if rng.random() < 0.15:
            lines.append(f"  - {g.phone()}")
    if rng.random() < 0.6:
        lines.append(f"email: {first.lower()}.{last.lower()}{rng.randrange(100)}@example.org")
    lines += ["address:", "  lines:", f"    - {rng.randint(1, 180)} {g.pick(STREETS)}", f"    - {town}",
              f"  postcode: XE{rng.randint(1, 9)} {rng.randint(1, 9)}{g.pick('ABDEFGHJNPRSTW')}{g.pick('ABDEFGHJNPRSTW')}"]
    ethnicity = None if kind == "corporate" else g.pick(ETHNICITIES)
    if ethnicity:
        lines.append(f"ethnicity: {ethnicity}")
    lines += ["contact_preferences:", f"  method: {g.pick(('phone', 'phone', 'text', 'letter', 'email'))}",
              f"  times: {g.pick(('weekday mornings', 'after 5pm', 'any time', 'not Fridays'))}"]
    if rng.random() < 0.05:
        lines.append("needs: Interpreter needed (Portuguese)")
    if rng.random() < 0.12:
        lines += ["entitlements:", f"  - {g.pick(('vulnerable', 'intimidated', 'persistently-targeted', 'serious-offence', 'bereaved'))}"]
    if kind == "under-18":
        lines += ["parent_guardian:", f"  name: {g.pick(FIRST_NAMES)} {last}",
                  f"  relationship: {g.pick(('mother', 'father', 'carer', 'grandmother'))}",
                  f"  phone: {g.phone()}"]
    elif kind == "corporate":
        lines += ["representative:", f"  name: {first} {last}", "  role: store manager",
                  f"  phone: {g.phone()}", f"  email: {first.lower()}.{last.lower()}@example.org"]
    if rng.random() < 0.03:
        lines.append("home_service: Wetherley Youth Justice Service")
    if children:
        lines.append("children:")
        for c in children:
            lines += [f"  - child: {c.id}", f"    offence: {c.offence.lower()}"]
    received = start - rng.randrange(0, 3)
    lines += ["referral:", f"  source: {g.pick(child.sources) if child else 'police'}",
              f"  stage: {stage}", f"  disposal: {child.disposal if child else 'community-resolution'}",
              f"  received: {iso(received)}", f"  allocated: {iso(start)}", f"  worker: {worker}"]
    if stage == "post-sentence" and child and child.sentence:
        lines.append(f"  sentence_date: {iso(child.sentence)}")
    lines.append("consents:")
    contact_yes = rng.random() < 0.85
    lines += consent_entry(g, "contact", "yes" if contact_yes else "no", start, "YOT1", worker)
    if contact_yes and rng.random() < 0.5:
        answer = g.pick(("yes", "yes", "no"))
        lines += consent_entry(g, "rj-participation", answer, min(end, start + 14), "phone call", worker)
        if answer == "yes" and rng.random() < 0.1:
            lines += consent_entry(g, "rj-participation", "withdrawn", min(end, start + 40),
                                   "phone call", worker, note="Changed their mind after thinking it over.")
    if contact_yes and rng.random() < 0.3:
        lines += consent_entry(g, "share-views", "yes", min(end, start + 14), "phone call", worker,
                               note="Views may be shared with the case holder and the panel.")
    if contact_yes and rng.random() < 0.2:
        lines += consent_entry(g, "evaluation", g.pick(("yes", "no")), min(end, start + 20),
                               "phone call", worker)
    lines += status_lines(g, start, end, is_open, worker)
    lines += victim_contacts(g, start, end, is_open, worker)
    lines += victim_extras(g, start, end, worker, children, stage)
    return "\n".join(lines) + "\n", ethnicity


# --- children ---------------------------------------------------------------------

def plan_child(g: Gen) -> ChildPlan:
    rng = g.rng
    disposal = g.weighted(DISPOSALS)
    stage, sources = next((s, src) for d, s, src, _ in DISPOSALS if d == disposal)
    base = rng.randint(FIRST_DAY.toordinal(), LAST_DAY - 14)
    if stage == "post-sentence" or disposal == "deferred-sentence":
        sentence: int | None = base - rng.randrange(1, 10)
    elif stage == "pre-court":
        sentence = min(LAST_DAY, base + rng.randrange(5, 30))
    else:
        sentence = None
    offence, violent = g.pick(OFFENCES)
    return ChildPlan(id=g.record_id("child"),
                     name=f"{g.pick(FIRST_NAMES)} {g.pick(CHILD_SURNAMES)}",
                     base=base, disposal=disposal, stage=stage, sources=sources,
                     sentence=sentence, offence=offence, violent=violent)


def child_text(g: Gen, plan: ChildPlan, victim_facts: dict[str, tuple[str, str | None]]) -> str:
    """A child's record: victims only by id, label, adult/child, sex and ethnicity."""
    rng = g.rng
    start = working(plan.base)
    is_open, end = plan_status(g, start)
    holder = g.pick(g.case_holders)
    lines = [f"id: {plan.id}", f"name: {plan.name}",
             f"dob: {iso(rng.randint(date(2007, 1, 1).toordinal(), date(2012, 12, 31).toordinal()))}",
             f"sex: {g.pick(('male', 'male', 'female', 'not-known'))}",
             f"ethnicity: {g.pick(ETHNICITIES)}", f"case_holder: {holder}",
             "offences:", f"  - description: {plan.offence}",
             f"    date: {iso(plan.base - rng.randrange(7, 90))}",
             f"    violent_or_sexual: {str(plan.violent).lower()}",
             f"disposal: {plan.disposal}"]
    if plan.sentence:
        lines.append(f"sentence_date: {iso(plan.sentence)}")
        if plan.disposal in ORDER_MONTHS:
            low, high = ORDER_MONTHS[plan.disposal]
            months = rng.randint(low, high)
            lines += [f"order_start: {iso(plan.sentence)}",
                      f"order_end: {iso(plan.sentence + months * 30)}"]
            if plan.disposal == "custody":
                lines.append(f"sentence_months: {months}")
    if rng.random() < 0.05:
        lines += ["co_defendants:", f"  - {g.pick(FIRST_NAMES)} {g.pick(CHILD_SURNAMES)}"]
    if plan.victims:
        lines.append("victims:")
        for n, vid in enumerate(plan.victims, 1):
            kind, ethnicity = victim_facts[vid]
            lines += [f"  - ref: {vid}", f"    label: Victim {n}",
                      f"    adult: {str(kind != 'under-18').lower()}",
                      f"    known_to_child: {str(rng.random() < 0.3).lower()}"]
            if kind != "corporate":
                lines.append(f"    sex: {g.pick(('female', 'male'))}")
            if ethnicity:
                lines.append(f"    ethnicity: {ethnicity}")
    lines.append("consents:")
    lines += consent_entry(g, "share-details-with-victim", g.pick(("yes", "yes", "no")),
                           min(end, start + 7), "signed form", holder)
    if rng.random() < 0.4:
        lines += consent_entry(g, "rj-participation", g.pick(("yes", "no")), min(end, start + 10),
                               "signed form", holder)
        lines += consent_entry(g, "parent-permission", "yes", min(end, start + 10), "signed form",
                               holder)
    lines += status_lines(g, start, end, is_open, holder)
    lines.append("contacts:")
    for day in contact_days(g, start, end, log_length(g, 12)):
        method = g.pick(("meeting", "meeting", "phone", "visit", "letter"))
        outcome = {"meeting": g.pick(("kept", "kept", "missed")),
                   "visit": g.pick(("kept", "spoke")),
                   "phone": g.pick(("spoke", "no-answer", "left-message")),
                   "letter": "sent"}[method]
        party = "parent-guardian" if method == "phone" and rng.random() < 0.5 else "child"
        lines += contact_entry(g, day, method, outcome, g.pick(CHILD_NOTES[outcome]), holder,
                               party=party)
    if not plan.victims or rng.random() < 0.3:
        lines.append("victim_awareness:")
        for day in contact_days(g, start + 7, end, rng.randint(1, 3)):
            lines += [f"  - id: {g.entry_id(day)}", f"    date: {iso(day)}",
                      f"    note: {g.pick(CHILD_AWARENESS)}", f"    by: {holder}"]
    if plan.disposal in ("referral-order", "yro", "youth-conditional-caution") and rng.random() < 0.6:
        lines.append("reparation:")
        for day in contact_days(g, start + 14, end, rng.randint(1, 4)):
            lines += [f"  - id: {g.entry_id(day)}", f"    date: {iso(day)}",
                      f"    hours: {g.pick((1, 2, 2.5, 3))}",
                      f"    kind: {g.pick(('direct', 'indirect', 'indirect'))}",
                      "    note: Community garden with the reparation supervisor.", f"    by: {holder}"]
    if rng.random() < 0.25:
        day = min(end, start + 21)
        lines += ["readiness:", f"  - id: {g.entry_id(day)}", f"    date: {iso(day)}",
                  f"    note: {g.pick(CHILD_READINESS)}", f"    by: {holder}"]
    if rng.random() < 0.1:
        lines += assessment_lines(g, "suitability", "child", min(end, start + 20), holder)
    return "\n".join(lines) + "\n"


# --- the casebook ---------------------------------------------------------------------

def config_text() -> str:
    lines = [
        "# A generated casebook for benchmarking rj (bench/generate.py). Everything in it is",
        "# invented: names from small word lists, phones from Ofcom's drama ranges, e-mail",
        "# addresses at example.org.",
        "service:",
        "  name: Benchmarkshire Youth Justice Service",
        "  address:", "    lines:", "      - The Old Courthouse", "      - Brackenford",
        "    postcode: XE1 1AA",
        '  phone: "01632 960000"',
        "  email: victims.team@example.org",
        "staff:",
    ]
    for n, (name, role) in enumerate(STAFF, 1):
        first, last = name.lower().split()
        lines += [f"  - name: {name}", f"    role: {role}", f'    phone: "01632 960{100 + n:03d}"',
                  f"    email: {first}.{last}@example.org"]
    lines += ["policy:", "  profile: wokingham", "calendar:", "  region: england",
              "retention:", "  victim: 2", "  child: 2", "git:", "  autocommit: false"]
    return "\n".join(lines) + "\n"


def link(g: Gen, plans: list[ChildPlan], victims: int) -> list[list[ChildPlan]]:
    """Each victim's children: one each, a few two; children get 1-3 victims, some none."""
    rng = g.rng
    with_victims = [p for p in plans if rng.random() < 0.9] or plans[:1]
    if not with_victims:
        return [[] for _ in range(victims)]
    rng.shuffle(with_victims)
    order = with_victims[:victims]
    spare = [p for p in with_victims for _ in range(2)]  # room for a 2nd and 3rd victim
    rng.shuffle(spare)
    while len(order) < victims:
        order.append(spare.pop() if spare else g.pick(with_victims))
    rng.shuffle(order)
    count = {p.id: 0 for p in with_victims}
    for p in order:
        count[p.id] += 1
    links = [[p] for p in order]
    for linked in links:
        if rng.random() < 0.04:
            other = g.pick(with_victims)
            if other is not linked[0] and count[other.id] < 3:
                linked.append(other)
                count[other.id] += 1
    return links


@dataclass
class Made:
    victims: int
    children: int
    bytes: int
    seconds: float


def generate(out: Path, victims: int, children: int, seed: int = 1) -> Made:
    """Write the casebook into ``out`` (created; must be empty or absent)."""
    began = time.perf_counter()
    if out.exists() and any(out.iterdir()):
        raise SystemExit(f"error: {out} is not empty; give a new folder")
    rng = random.Random(seed)
    g = Gen(rng=rng, workers=[n for n, r in STAFF if r == "rj-worker"],
            case_holders=[n for n, r in STAFF if r == "case-holder"],
            manager=next(n for n, r in STAFF if r == "manager"),
            admin=next(n for n, r in STAFF if r == "admin"))
    (out / "victims").mkdir(parents=True)
    (out / "children").mkdir()
    (out / "rj.yaml").write_text(config_text(), encoding="utf-8")
    (out / ".gitignore").write_text(".rj/\noutput/\n", encoding="utf-8")
    plans = [plan_child(g) for _ in range(children)]
    links = link(g, plans, victims)
    size = 0
    facts: dict[str, tuple[str, str | None]] = {}
    for linked in links:
        vid = g.record_id("victim")
        kind = g.weighted(VICTIM_KINDS)
        text, ethnicity = victim_text(g, vid, kind, linked)
        facts[vid] = (kind, ethnicity)
        for plan in linked:
            plan.victims.append(vid)
        (out / "victims" / f"{vid}.yaml").write_text(text, encoding="utf-8")
        size += len(text)
    for plan in plans:
        text = child_text(g, plan, facts)
        (out / "children" / f"{plan.id}.yaml").write_text(text, encoding="utf-8")
        size += len(text)
    return Made(victims, children, size, time.perf_counter() - began)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path, help="the folder to create (must be new or empty)")
    parser.add_argument("--victims", type=int, default=10_000)
    parser.add_argument("--children", type=int, default=5_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    made = generate(args.out, args.victims, args.children, args.seed)
    files = made.victims + made.children
    print(f"Wrote {made.victims} victims and {made.children} children to {args.out} "
          f"({made.bytes / 1e6:.1f} MB, {made.bytes / max(files, 1) / 1024:.1f} KB a record) "
          f"in {made.seconds:.1f} s.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
