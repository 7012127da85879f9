"""The deadline engine: which rules apply to a case, when each falls due, and how each
rule instance ended (pure; shared/DOMAIN.md §4; issue 17).

A rule instance counts from a dated start event (``occurrences``). It applies from the
first day its conditions held (``applicability``, reading the ``facts`` as they stood
that day), keeps its start and deadline from then on, and ends met (on time or late,
``met``), missed (it can no longer be met: a conference held before the assessment) or
cancelled with the reason and the day (consent withdrawn): never silently gone because
the record says something else now.

Evaluation does not depend on today: "today" only decides how an outstanding item is
shown (overdue, today, upcoming), so evaluations can be cached per record, and
met-on-time history stays derivable for reports.

Import order (one way): facts <- occurrences <- met <- applicability <- deadlines.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from rjcli.core.applicability import reason_on, static_reason, watched_days
from rjcli.core.calendar import WorkingCalendar, add_offset
from rjcli.core.dates import uk_date
from rjcli.core.facts import (  # noqa: F401  (re-exported: kpi, offer, tests)
    RESPONSES,
    RJ_OPTIONS_ACTIVE,
    VICTIM_SIDE,
    Case,
    Facts,
    consent_on,
    phone_numbers,
    record_of,
    sentence_date,
    support_completed_on,
    vcs_eligible,
    victim_flags,
)
from rjcli.core.met import (  # noqa: F401  (MET_EVENTS and the rest re-exported)
    MET_EVENTS,
    PRE_CONFERENCE_WORKING_DAYS,
    ended_by_start,
    met,
    met_pre_conference,
)
from rjcli.core.model import Child, Victim
from rjcli.core.occurrences import Occurrence, occurrences_of
from rjcli.core.policy import Policy, Rule

ENDINGS = ("missed", "cancelled")
"""How an instance ends unmet."""


def is_outstanding(applies: bool, due: date | None, met_on: date | None,
                   ended: bool = False) -> bool:
    """Applies, falls due, not met yet, not ended otherwise."""
    return applies and due is not None and met_on is None and not ended


def is_late(due: date | None, met_on: date | None) -> bool:
    """Met after its deadline."""
    return met_on is not None and due is not None and met_on > due


class RuleTiming(NamedTuple):
    """The part of an :class:`Evaluation` that timeliness counts read: what the index keeps
    of every rule instance for reports, cheap to rebuild by the hundred thousand."""

    case: str
    """Record id."""
    rule: Rule
    """The rule."""
    applies: bool
    """Whether it fell due at all (an instance cancelled by its deadline did not)."""
    due: date | None
    """The deadline."""
    met_on: date | None
    """When it was met."""
    ended: bool = False
    """Ended unmet after falling due (missed, or cancelled after its deadline)."""

    @property
    def counted(self) -> bool:
        return self.applies

    @property
    def outstanding(self) -> bool:
        return is_outstanding(self.applies, self.due, self.met_on, self.ended)

    @property
    def late(self) -> bool:
        return is_late(self.due, self.met_on)


@dataclass(frozen=True)
class Evaluation:
    """One rule instance for one case: applies or not, why, due, met or how it ended."""

    case: str
    """Record id."""
    rule: Rule
    """The rule."""
    applies: bool
    """Whether the instance started (its conditions held on some day)."""
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
    ended: str | None = None
    """``missed`` or ``cancelled`` when it ended unmet, else None."""
    ended_on: date | None = None
    """The day it ended unmet (None when the record does not say)."""
    ended_why: str | None = None
    """Why it ended: "consent to contact is no (recorded 8 April 2026)"."""

    @property
    def outstanding(self) -> bool:
        return is_outstanding(self.applies, self.due, self.met_on, self.ended is not None)

    @property
    def late(self) -> bool:
        return is_late(self.due, self.met_on)

    @property
    def counted(self) -> bool:
        """Fell due: started, and not ended unmet on or before its deadline."""
        if not self.applies:
            return False
        if self.ended is None:
            return True
        return self.ended_on is not None and self.due is not None and self.ended_on > self.due

    @property
    def state(self) -> str | None:
        """met, open, missed or cancelled (None when the rule does not apply)."""
        if not self.applies:
            return None
        if self.met_on is not None:
            return "met"
        return self.ended or "open"

    @property
    def timing_code(self) -> int:
        """What the index keeps: 0 did not fall due, 1 fell due (open or met), 2 fell due
        and ended unmet."""
        if not self.counted:
            return 0
        return 2 if self.ended else 1

    @property
    def instance(self) -> str:
        return f"{self.case}:{self.rule.id}:{self.start.key if self.start else '-'}"


# --- instances ---------------------------------------------------------------------------


def _owner(case: Case, rule: Rule) -> str | None:
    """Who does the work: the staff member holding the rule's role (manager, admin), else
    the case's worker; work of a role nobody on the staff list holds falls to the case's
    worker too (issue 18), so it is never nobody's (rj check warns of it)."""
    if rule.owner in ("manager", "admin"):
        return case.staff_by_role.get(rule.owner) or _case_worker(case) or rule.owner
    if case.victim is not None and rule.owner == "case-holder":
        holders = [c.case_holder for c in case.children.values() if c.case_holder]
        return holders[0] if holders else case.victim.referral.worker
    if case.child is not None and rule.owner == "case-holder":
        return case.child.case_holder
    return _case_worker(case)


def _case_worker(case: Case) -> str | None:
    """The victim's worker; for a child, the worker of a linked victim, else the case holder."""
    if case.victim is not None:
        return case.victim.referral.worker
    workers = [v.referral.worker for v in case.victims.values() if v.referral.worker]
    if workers:
        return workers[0]
    return case.child.case_holder if case.child else None


def _instance(case: Case, rule: Rule, occ: Occurrence, cal: WorkingCalendar, facts: Facts,
              case_id: str, worker: str | None) -> Evaluation:
    """One instance: applies from the first day its conditions held (from the earlier of
    its start and its deadline), due on its deadline (or that day, if later), then met,
    or ended by the first day its conditions stopped holding, or by its start event."""
    natural = add_offset(cal, occ.day, rule.offset, rule.unit)
    first = min(occ.day, natural)
    watch = [d for d in watched_days(rule, facts) if d > first]
    reason = reason_on(case, rule, first, facts)
    born = first if reason is None else next(
        (d for d in watch if reason_on(case, rule, d, facts) is None), None)
    if born is None:
        return Evaluation(case_id, rule, False, reason or "",
                          occ, natural)
    due = max(natural, born)
    why = f"counts from {occ.label}"
    if born > occ.day:
        why += f"; applies from {uk_date(born)}"
    found = met(case, rule, occ, cal)
    ending = ended_by_start(rule, occ)
    if found and ending and (ending[1] is None or found[0] <= ending[1]):
        ending = None  # met before it ended (or the record does not say when it ended)
    if ending:
        found = None
    last = found[0] if found else ending[1] if ending and ending[1] else date.max
    for day in (d for d in watch if born < d < last):
        stopped = reason_on(case, rule, day, facts)
        if stopped:
            return Evaluation(case_id, rule, True, why, occ, due, None, None, worker,
                              "cancelled", day, stopped)
    if found:
        return Evaluation(case_id, rule, True, why, occ, due, found[0], found[1], worker)
    if ending:
        return Evaluation(case_id, rule, True, why, occ, due, None, None, worker, *ending)
    return Evaluation(case_id, rule, True, why, occ, due, None, None, worker)


def evaluate_rule(case: Case, rule: Rule, cal: WorkingCalendar,
                  facts: Facts | None = None) -> list[Evaluation]:
    """Every instance of one rule for one case."""
    facts = facts or Facts(case)
    record = record_of(case)
    case_id = record.id if record else "?"
    reason = static_reason(case, rule)
    if reason:
        return [Evaluation(case_id, rule, False, reason)]
    occurrences = occurrences_of(case, rule)
    if not occurrences:
        latest = reason_on(case, rule, date.max, facts)  # as the record stands: the likelier why
        why = latest or f"nothing to count from yet ({rule.start.replace('-', ' ')})"
        return [Evaluation(case_id, rule, False, why)]
    worker = _owner(case, rule)
    return [_instance(case, rule, occ, cal, facts, case_id, worker) for occ in occurrences]


def evaluate_case(case: Case, policy: Policy, cal: WorkingCalendar) -> list[Evaluation]:
    """Every enabled rule of the policy for a victim's or a child's record."""
    record_kind = "victim" if case.victim is not None else "child"
    facts = Facts(case)
    out: list[Evaluation] = []
    for rule in policy.enabled():
        if rule.record == record_kind:
            out += evaluate_rule(case, rule, cal, facts)
    return out


def victim_case(v: Victim, children: Mapping[str, Child], staff_by_role: Mapping[str, str]) -> Case:
    linked = {cid: children[cid] for cid in v.child_ids if cid in children}
    return Case(v, None, linked, {}, staff_by_role)


def child_case(c: Child, victims: Mapping[str, Victim], staff_by_role: Mapping[str, str]) -> Case:
    linked = {ref.ref: victims[ref.ref] for ref in c.victims if ref.ref in victims}
    return Case(None, c, {}, linked, staff_by_role)
