"""An inspection sample pack: closed victim cases drawn at random, each with its timeline
and rule evaluation, with nobody's identifiers in it (pure; issue 20).

HMI Probation's victims standards are inspected on a sample of victim cases; a service's
own quality assurance reads the same kind of sample. The pack draws from the victim cases
closed in a period (closed still, and last closed within it), by a seed that is printed,
so that the same seed draws the same cases again.

The draw: each case's place is the SHA-256 of ``"<seed>:<case id>"``; the pack takes the
``n`` cases with the lowest. It is the same on every machine and every Python, anyone can
check it, and a case added to the casebook later never changes which of the others are
drawn.

Identifiers: every text a record supplies (a contact's note, an agreement item quoted
in a rule's reason, who recorded it) is cleaned: record ids, e-mail addresses, phone-like
runs of digits, postcodes and the words of anyone's name become ``[victim]``, ``[child]``,
``[e-mail]``, ``[phone]``, ``[postcode]``, ``[name]``; the result is then read again by the
report redactor (``core.reports.Redactor``: every name part, phone, e-mail, postcode,
address line and date of birth of every record of the casebook, in any written form), and
a text it still finds a person in is withheld whole. Dates of events stay: an inspector
reads timeliness from them.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cached_property

from rjcli.core.deadlines import Evaluation
from rjcli.core.identifiers import Matcher, find, matcher_of
from rjcli.core.model import Victim
from rjcli.core.reports import WITHHELD, Period, Redactor
from rjcli.core.timeline import Event

WITHHELD_TEXT = "(not shown: it names a person)"
"""What a text the cleaner cannot make safe is replaced by."""

_RECORD_ID = re.compile(r"\b([VC])-[0-9A-Z]{4,12}\b")
_EMAIL = re.compile(r"[\w.+\-']{1,64}@[\w\-]{1,255}(?:\.[\w\-]{1,255})+")
_PHONE = re.compile(r"\+?\(?\d[\d ().\-]{7,}\d")
_POSTCODE = re.compile(r"\b[A-Za-z]{1,2}\d[A-Za-z\d]?[ \t]*\d[A-Za-z]{2}\b")
_WORD = re.compile(r"[^\W_]+")
"""A run of letters or digits: ``Ann's`` and ``Smith-Jones`` are two words each."""


# --- drawing the sample -------------------------------------------------------------------


def closed_on(victim: Victim, period: Period) -> date | None:
    """The day ``victim``'s case was last closed, when it is closed now and that day is
    within ``period``; else None (open, reopened, or closed at another time)."""
    if victim.status != "closed" or not victim.status_history:
        return None
    last = max(victim.status_history, key=lambda e: (e.date, e.id))
    return last.date if last.date in period else None


def place(seed: str, case: str) -> str:
    """Where a case falls in the draw for ``seed`` (see the module docstring)."""
    return hashlib.sha256(f"{seed}:{case}".encode()).hexdigest()


def draw(cases: Iterable[str], seed: str, n: int) -> list[str]:
    """The ``n`` cases (or all, when fewer) drawn by ``seed``, in the order drawn."""
    return sorted(set(cases), key=lambda c: place(seed, c))[:n]


# --- keeping identifiers out ---------------------------------------------------------------


def _digits(text: str) -> int:
    return sum(ch.isdigit() for ch in text)


class Cleaner:
    """Takes identifiers out of record text (see the module docstring)."""

    def __init__(self, redactor: Redactor) -> None:
        self.redactor = redactor
        # every word of anyone's name, short ones too ("Jo"): the redactor looks for
        # words of 3 letters or more only, as a short word alone identifies nobody
        self.name_words = {part.casefold() for person in redactor.people
                           for name in person.names for part in _WORD.findall(name)
                           if len(part) >= 2 and not part.isdigit()}

    def text(self, text: str | None) -> str:
        """``text`` with identifiers masked, or :data:`WITHHELD_TEXT`."""
        if not text:
            return ""
        masked = _RECORD_ID.sub(lambda m: "[victim]" if m.group(1) == "V" else "[child]", text)
        masked = _EMAIL.sub("[e-mail]", masked)
        masked = _PHONE.sub(lambda m: "[phone]" if _digits(m.group()) >= 9 else m.group(), masked)
        masked = _POSTCODE.sub("[postcode]", masked)
        masked = _WORD.sub(lambda m: "[name]" if m.group().casefold() in self.name_words
                           else m.group(), masked)
        masked = re.sub(r"\[name\](?:[\s,.'-]+\[name\])+", "[name]", masked)
        if self.redactor.text(masked) == WITHHELD or find(masked, self.matcher):
            return WITHHELD_TEXT
        return masked

    @cached_property
    def matcher(self) -> Matcher:
        """Everyone's identifiers, names included (the redactor's matcher leaves names to
        its own word list)."""
        return matcher_of(self.redactor.people)


# --- the pack --------------------------------------------------------------------------------


@dataclass(frozen=True)
class SampleEvent:
    """One line of a sampled case's timeline, cleaned."""

    day: date
    """When it happened."""
    time: str | None
    """The time of day, when known."""
    kind: str
    """What sort of event (as ``rj timeline`` says)."""
    text: str
    """What happened, identifiers taken out."""
    by: str
    """Who recorded it (a staff member), cleaned like the text; empty when not known."""


@dataclass(frozen=True)
class SampleRule:
    """How one rule stood for a sampled case, as ``rj explain`` shows it, cleaned."""

    rule: str
    """The rule's id."""
    title: str
    """What it asks for."""
    source: str
    """Where it comes from (the policy's source)."""
    why: str
    """Why it applied (what it counts from)."""
    due: date | None
    """The deadline."""
    met: date | None
    """When it was met."""
    outcome: str
    """``met on time``, ``met late``, ``missed``, ``cancelled``, ``outstanding``."""
    detail: str
    """By what it was met, or why it ended unmet."""


@dataclass(frozen=True)
class SampleCase:
    """One case of the pack."""

    number: int
    """1, 2, ... in the order drawn."""
    case: str
    """The record id (printed with --explain only)."""
    kind: str
    """The kind of victim (individual, business...)."""
    closed: date
    """When it was last closed."""
    closure_reason: str
    """Why (DOMAIN §8)."""
    timeline: tuple[SampleEvent, ...]
    """Every event, oldest first."""
    rules: tuple[SampleRule, ...]
    """Every rule that applied: outstanding and missed first, then met, then cancelled."""
    not_applying: tuple[str, ...]
    """The rules that did not apply, each with why."""


@dataclass(frozen=True)
class SamplePack:
    """The whole pack."""

    service: str
    """The service's name."""
    period: Period
    """The period the cases were closed in."""
    today: date
    """When it was produced."""
    seed: str
    """The seed of the draw."""
    seed_chosen: bool
    """True when rj chose the seed (none was given)."""
    asked: int
    """How many cases were asked for."""
    closed_in_period: int
    """How many victim cases were closed in the period (the population drawn from)."""
    profile: str
    """The policy profile the rules come from."""
    cases: tuple[SampleCase, ...]
    """The cases drawn."""
    period_option: str
    """The option that names the period: ``--quarter 2026-Q1``, ``--year 2026``."""

    def notes(self) -> tuple[str, ...]:
        """The sentences that say how the sample was drawn, printed under the heading."""
        label = self.period.label
        if self.closed_in_period == 0:
            return (f"No victim case was closed in {label} ({self.period.words()}): "
                    "there is nothing to sample.",)
        how = (f"Drawn at random, seed {self.seed} (chosen at random: the same seed draws the "
               "same cases again)" if self.seed_chosen else f"Drawn at random, seed {self.seed}")
        cases = "case" if self.closed_in_period == 1 else "cases"
        lines = [f"{how}, from the {self.closed_in_period} victim {cases} closed in {label} "
                 f"and closed still. Each case's place in the draw is the SHA-256 of "
                 f"'{self.seed}:<case id>'; the lowest are taken."]
        if self.asked > self.closed_in_period:
            only = (f"only 1 victim case was closed in {label}: it is in this pack"
                    if self.closed_in_period == 1 else
                    f"only {self.closed_in_period} victim cases were closed in {label}: all "
                    f"{self.closed_in_period} are in this pack")
            lines.append(f"{self.asked} cases were asked for, but {only}.")
        lines.append("Names, phone numbers, e-mail addresses, postcodes, addresses, dates of "
                     "birth and record ids are taken out of every text; a text that would "
                     f"still name a person reads {WITHHELD_TEXT}.")
        return tuple(lines)

    def again(self) -> str:
        """The command that draws the same sample."""
        return f"rj report sample {self.period_option} --n {self.asked} --seed {self.seed}"


def outcome_of(e: Evaluation, today: date) -> str:
    """How a rule instance stands, in the words of ``rj explain``."""
    if e.met_on:
        return "met late" if e.late else "met on time"
    if e.ended == "missed":
        return "missed"
    if e.ended == "cancelled":
        return "cancelled after its deadline (not met)" if e.counted else "cancelled"
    if e.due and e.due < today:
        return "outstanding, overdue"
    return "outstanding"


_ORDER = {"open": 0, "missed": 1, "met": 2, "cancelled": 3}


def sample_case(number: int, victim: Victim, closed: date, events: Sequence[Event],
                evaluations: Sequence[Evaluation], today: date, clean: Cleaner) -> SampleCase:
    """One case of the pack: its timeline and rule evaluation, cleaned."""
    timeline = tuple(SampleEvent(e.day, e.time, e.kind, clean.text(e.text), clean.text(e.by))
                     for e in events)
    applying = sorted((e for e in evaluations if e.applies),
                      key=lambda e: (_ORDER.get(e.state or "", 4), e.due or date.max, e.rule.id))
    rules = tuple(SampleRule(
        e.rule.id, e.rule.title, e.rule.source, clean.text(e.why), e.due, e.met_on,
        outcome_of(e, today), clean.text(e.met_how if e.met_on else e.ended_why))
        for e in applying)
    not_applying = tuple(f"{e.rule.id}: {clean.text(e.why)}" for e in evaluations
                         if not e.applies)
    last = max(victim.status_history, key=lambda s: (s.date, s.id))
    return SampleCase(number, victim.id, victim.kind, closed, clean.text(last.reason or ""),
                      timeline, rules, not_applying)


def candidates(victims: Iterable[Victim], period: Period) -> dict[str, date]:
    """Victim id -> the day it was closed, for every case closed in ``period``."""
    return {v.id: day for v in victims if (day := closed_on(v, period)) is not None}
