"""The practice's safety gates: what must be on record before rj lets a step happen (pure).

A gate returns the list of what is missing (plain sentences, each citing its source);
an empty list lets the step go ahead. A step refused by a gate can still go ahead when a
manager decides so: the override is recorded on the victim's record (``overrides``: who
decided, why, when, for which step), shown by ``rj timeline`` and ``rj explain``.

- Conference (``rj conference plan`` and ``rj conference record``): written consent of
  the victim and the child to take part (YJB §24: "informed written consent must be
  obtained"), a parent's permission for the child (Wait 'til Eight appendix 5B) and, for
  a victim under 18, the parent's consent (Somerset 6.4); a conference risk assessment of
  every participant (victim, child, each supporter), completed before preparation starts
  (Wokingham 20.1) and approved by a manager: always, not only when risk is found (Wait
  'til Eight §5.9: "The RJ Manager should approve the pre-conference risk assessment").
- Direct contact with a victim under 18 (phone, text, e-mail, visit, meeting, video)
  needs the parent's consent first (Somerset 6.4: "before any contact is made with the
  victim").
- A family-or-carer victim (the child's family, or someone the child lives with) needs a
  recorded decision of who is best placed to support them, taken with the case holder,
  before the first contact (Somerset 6.6).
- Closing a victim's case with progress updates still promised (Somerset 7.6) or items
  of an outcome agreement still open (Wait 'til Eight §7.7.2) needs a reason.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from rjcli.core.dates import as_date, uk_date
from rjcli.core.kpi import progress_answer
from rjcli.core.model import Child, Consent, Victim, current_consent, log_entries
from rjcli.core.problems import Problem
from rjcli.core.risk import label_of, same_participant

NewId = Callable[[], str]
"""Supplies a fresh entry id."""
Entry = Mapping[str, Any]
"""A stored entry (parsed mapping)."""

ASSESSMENT_WINDOW_WORKING_DAYS = 10
"""rj's own choice, the same as the ``pre-conference-risk`` rule's: a conference risk
assessment counts for a conference when completed in the 10 working days before it (for
planning: before the planning day, or before the conference if that comes first). The
seeds ask for an assessment before preparation starts (Wokingham 20.1) and again before
the conference (Wait 'til Eight §5.9) without setting a number."""

WRITTEN_SOURCE_WORDS = ("signed", "form", "written", "letter", "e-mail", "email", "yot1",
                        "paper", "document")
"""rj's own reading of a consent's ``source``: a consent counts as written when its source
names a written form (e.g. "signed form", "e-mail", "YOT1"); "phone call" does not."""

DIRECT_CONTACT_METHODS = ("phone", "text", "email", "visit", "meeting", "video")
"""Contact made with the victim in person or to their own phone or inbox: every method but
a letter (which for a victim under 18 goes to the parent)."""

GATES = {
    "conference-plan": "plan a conference without every consent and approved assessment",
    "conference-record": "record a conference as held without every consent and approved "
                         "assessment",
    "under-18-contact": "contact a victim under 18 before the parent's consent",
    "best-placed": "contact a family-or-carer victim before deciding who is best placed",
    "close": "close a case with promised updates or agreement items outstanding",
}
"""Each gate that can be overridden, and what an override of it allows."""

BEST_PLACED_WHO = ("rj-worker", "case-holder", "both")
"""Who is best placed to support a family-or-carer victim (Somerset 6.6: "It may be
appropriate for the Case holder to work with the victim and the child")."""


# --- overrides ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Override:
    """A manager's decision to let a refused step go ahead."""

    manager: str | None
    """The manager who decided (on the staff list with role manager); None where the gate
    needs only a recorded reason (closing)."""
    reason: str
    """Why."""


def override_problems(override: Override | None, needs_manager: bool,
                      managers: Sequence[str]) -> list[str]:
    """What is wrong with the override given on the command line (nothing if none given)."""
    if override is None:
        return []
    problems = []
    if not override.reason.strip():
        problems.append("say why with --override-reason")
    if needs_manager and not override.manager:
        problems.append("name the manager who decided with --override-by")
    if override.manager and override.manager not in managers:
        listed = ", ".join(managers) if managers else "none on the staff list"
        problems.append(f"'{override.manager}' is not a manager on the staff list "
                        f"(managers: {listed})")
    return problems


def override_entry(new_id: NewId, gate: str, override: Override, day: date, missing: Sequence[str],
                   by: str | None, entry: str | None = None) -> dict[str, Any]:
    """The ``overrides`` entry: which gate, who decided, why, and what was missing."""
    # what was missing, without the command that would have recorded it
    what = [m.split(": rj ")[0] for m in missing]
    out = {"id": new_id(), "gate": gate, "date": day, "manager": override.manager,
           "reason": override.reason.strip(), "missing": what, "entry": entry, "by": by}
    return {k: v for k, v in out.items() if v not in (None, "", [])}


def override_line(entry: Entry) -> str:
    """One line for ``rj explain`` and the timeline."""
    gate = str(entry.get("gate") or "?")
    who = entry.get("manager") or entry.get("by") or "?"
    allowed = GATES.get(gate, gate)
    missing = "; ".join(str(m) for m in entry.get("missing") or [])
    text = f"override ({gate}): {who} decided to {allowed}: {entry.get('reason') or ''}"
    return text + (f" (missing: {missing})" if missing else "")


def overrides_of(record: Mapping[str, Any]) -> list[Entry]:
    return log_entries(record.get("overrides"))


def manager_hint(managers: Sequence[str]) -> str:
    who = ", ".join(managers) if managers else "add one first: rj staff add NAME --role manager"
    return (f"a manager may decide it goes ahead anyway: --override-by MANAGER "
            f"--override-reason TEXT (managers: {who})")


# --- consents -------------------------------------------------------------------------------


def written(consent: Consent | None) -> bool:
    """A yes recorded as given in writing (``--written``, or a consent form kept with
    ``--document``), or with a written source (WRITTEN_SOURCE_WORDS)."""
    if consent is None or consent.answer != "yes":
        return False
    if consent.written:
        return True
    source = (consent.source or "").casefold()
    return any(word in source for word in WRITTEN_SOURCE_WORDS)


def _consent_gap(record_id: str, consent: Consent | None, kind: str, what: str) -> str | None:
    if written(consent):
        return None
    if consent is None:
        state = "not recorded"
    elif consent.answer != "yes":
        state = f"'{consent.answer}'"
    else:
        state = f"recorded from '{consent.source or 'no source'}', not in writing"
    how = "--document FORM" if record_id.startswith("V-") else "--written"
    return f"{record_id}: {what} is {state}: rj consent {record_id} {kind} yes {how}"


def conference_consent_gaps(victim: Victim, child: Child | None, child_id: str,
                            kind: str = "conference") -> list[str]:
    """The written consents a conference needs (YJB §24; Wait 'til Eight appendix 5B;
    Somerset 6.4). For a Referral Order panel the victim attends (``kind`` panel) only the
    victim's side: the child attends the panel under the order, not by consent."""
    gaps = [_consent_gap(victim.id, victim.consent("rj-participation"), "rj-participation",
                         "the victim's written consent to take part (YJB §24)")]
    if victim.kind == "under-18":
        gaps.append(_consent_gap(victim.id, victim.consent("parent-consent"), "parent-consent",
                                 "the parent's or guardian's written consent (Somerset 6.4)"))
    if kind == "conference" and child is None:
        gaps.append(f"{child_id}: the child's record is not in the casebook")
    elif kind == "conference" and child is not None:
        for wanted, what in (("rj-participation", "the child's written consent to take part "
                                                  "(YJB §24)"),
                             ("parent-permission", "a parent's or guardian's written permission "
                                                   "for the child to attend (Wait 'til Eight "
                                                   "appendix 5B)")):
            gaps.append(_consent_gap(child.id, current_consent(child.consents, wanted), wanted,
                                     what))
    return [g for g in gaps if g]


# --- conference risk assessments ------------------------------------------------------------


@dataclass(frozen=True)
class Participant:
    """Someone taking part, and where their assessment is kept."""

    record_id: str
    """The record holding their assessment (a supporter's is on the victim's record)."""
    name: str
    """victim, child, or the supporter's role ("victim's supporter: sister")."""
    assessments: tuple[Entry, ...]
    """The assessments of that record."""


def _is_for(entry: Entry, name: str) -> bool:
    participant = entry.get("participant")
    if name in ("victim", "child"):
        return participant is None or same_participant(str(participant), name)
    return same_participant(str(participant or ""), name)


def assessment_gaps(participants: Sequence[Participant], first: date, last: date) -> list[str]:
    """Each participant's conference risk assessment: the latest, completed between
    ``first`` and ``last`` and approved by a manager (Wokingham 20.1; Wait 'til Eight §5.9)."""
    gaps = []
    for person in participants:
        runs = [a for a in person.assessments
                if a.get("checklist") == "conference" and _is_for(a, person.name)]
        how = (f"rj risk run {person.record_id} --checklist conference"
               + ("" if person.name in ("victim", "child")
                  else f" --participant \"{person.name}\""))
        if not runs:
            gaps.append(f"{person.record_id}: no conference risk assessment of the {person.name} "
                        f"(Wokingham 20.1): {how}")
            continue
        latest = runs[-1]
        done = as_date(latest.get("completed"))
        if done is None:
            gaps.append(f"{person.record_id}: {label_of(latest)} is not finished: {how}")
        elif not first <= done <= last:
            gaps.append(f"{person.record_id}: {label_of(latest)} was completed {uk_date(done)}, "
                        f"not between {uk_date(first)} and {uk_date(last)} (rj counts the "
                        f"{ASSESSMENT_WINDOW_WORKING_DAYS} working days before, its own "
                        f"choice): assess again: {how}")
        elif not isinstance(latest.get("approval"), Mapping):
            gaps.append(f"{person.record_id}: {label_of(latest)} of {uk_date(done)} is not "
                        f"approved by a manager (Wait 'til Eight §5.9: the RJ manager approves "
                        f"the pre-conference risk assessment): rj risk approve {person.record_id} "
                        f"--checklist conference --manager NAME --note TEXT")
    return gaps


def participants(victim_data: Mapping[str, Any], child_id: str,
                 child_data: Mapping[str, Any] | None,
                 supporters: Sequence[str]) -> list[Participant]:
    """Victim, child and each supporter, with the assessments that count for each."""
    victim_runs = tuple(log_entries(victim_data.get("assessments")))
    child_runs = tuple(log_entries(child_data.get("assessments"))) if child_data else ()
    out = [Participant(str(victim_data.get("id")), "victim", victim_runs),
           Participant(child_id, "child", child_runs)]
    out += [Participant(str(victim_data.get("id")), s.strip(), victim_runs)
            for s in supporters if s.strip()]
    return out


# --- contact --------------------------------------------------------------------------------


def best_placed(victim_data: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The recorded decision of who is best placed to support the victim (Somerset 6.6)."""
    decision = victim_data.get("best_placed")
    return decision if isinstance(decision, Mapping) and decision.get("who") else None


def contact_gaps(victim: Victim, method: str, party: str,
                 letter: str | None = None) -> list[tuple[str, str]]:
    """(gate, what is missing) before this contact with the victim may be logged."""
    gaps: list[tuple[str, str]] = []
    if party != "victim":
        return gaps
    if (victim.kind == "under-18" and method in DIRECT_CONTACT_METHODS
            and not victim.consents_to("parent-consent")):
        gaps.append(("under-18-contact",
                     f"{victim.id} is under 18: the parent's or guardian's consent must be "
                     f"recorded before any contact is made with the victim (Somerset 6.4): "
                     f"rj consent {victim.id} parent-consent yes --source \"signed form\""))
    if victim.kind == "family-or-carer" and best_placed(victim.extra) is None:
        what = f"the {letter} letter" if letter else "contact"
        gaps.append(("best-placed",
                     f"{victim.id} is the child's family or lives with the child: decide with "
                     f"the case holder who is best placed to support them before {what} "
                     f"(Somerset 6.6): rj victim best-placed {victim.id} "
                     f"--who case-holder|rj-worker|both --case-holder NAME"))
    return gaps


def best_placed_problems(who: str, case_holder: str, victim: Victim) -> list[str]:
    problems = []
    if who not in BEST_PLACED_WHO:
        problems.append(f"--who '{who}' is not one of: {', '.join(BEST_PLACED_WHO)}")
    if not case_holder.strip():
        problems.append("name the case holder it was decided with (--case-holder)")
    if victim.kind != "family-or-carer":
        problems.append(f"{victim.id} is a {victim.kind} victim: the best-placed decision is for "
                        "a family-or-carer victim (Somerset 6.6); change the kind first if that "
                        "is wrong")
    return problems


def best_placed_entry(day: date, who: str, case_holder: str, note: str | None,
                      by: str | None) -> dict[str, Any]:
    out = {"date": day, "who": who, "case_holder": case_holder.strip(),
           "note": (note or "").strip() or None, "by": by}
    return {k: v for k, v in out.items() if v is not None}


# --- closing --------------------------------------------------------------------------------


def updates_owed(victim: Victim) -> list[date]:
    """The agreed update points (up to ``until``) no update has answered, unless the victim
    has since said no to updates. Each update answers one point: the first not yet counted,
    given after the point before (or after the request)."""
    request = victim.extra.get("progress_request")
    refused = victim.consent("progress-updates")
    if not isinstance(request, Mapping) or (refused is not None and refused.answer != "yes"):
        return []
    given = sorted(d for u in log_entries(victim.extra.get("progress_updates"))
                   if (d := as_date(u.get("date"))))
    until = as_date(request.get("until"))
    points = sorted(d for p in request.get("points") or []
                    if (d := as_date(p)) and (until is None or d <= until))
    after = as_date(request.get("date")) or date.min
    owed = []
    for point in points:
        met = next((d for d in given if d > after), None)
        if met is None:
            owed.append(point)
        else:
            given.remove(met)
        after = point
    return owed


def close_gaps(victim: Victim, needs: Sequence[str] = ()) -> list[str]:
    """Promised progress updates not given, due or not yet (Somerset 7.6), outcome
    agreement items still open (Wait 'til Eight §7.7.2), and what the profile's
    ``close_needs`` ask for (``kpi-answers``: Somerset 5.3, 14.1)."""
    gaps = kpi_answer_gaps(victim) if "kpi-answers" in needs else []
    owed = updates_owed(victim)
    if owed:
        listed = ", ".join(uk_date(p) for p in owed)
        gaps.append(f"progress updates promised to the victim are outstanding ({listed}; "
                    f"Somerset 7.6): give them (rj progress update) or tell the victim "
                    f"the work is ending")
    for conf in log_entries(victim.extra.get("conferences")):
        for n, item in enumerate(conf.get("agreement") or [], 1):
            if isinstance(item, Mapping) and (item.get("status") or "open") == "open":
                gaps.append(f"outcome agreement item {item.get('n', n)} "
                            f"({item.get('action') or '?'}) is still open (Wait 'til Eight "
                            f"§7.7.2): rj agreement done|failed {victim.id} {item.get('n', n)}")
    return gaps


def kpi_answer_gaps(victim: Victim) -> list[str]:
    """The answers YJB KPI 10 counts that the record does not hold (Somerset 5.3: the KPI
    questionnaire "must be fully populated before the victim case is closed"; rj's reading
    of that questionnaire: the answers its KPI 10 lines read)."""
    missing = []
    if current_consent(victim.consents, "contact") is None:
        missing.append("consent to be contacted (rj consent ID contact yes|no)")
    if progress_answer(victim, date.max) == "not-asked":
        missing.append("whether the victim wants information about the child's progress "
                       "(rj consent ID progress-updates yes|no, or rj progress request)")
    if not (victim.referral.stage or victim.referral.disposal):
        missing.append("the referral stage or disposal, for the pre-court and statutory "
                       "figures (rj edit ID: referral.stage)")
    if not missing:
        return []
    return [f"the KPI answers are not all recorded (Somerset 5.3, 14.1): "
            f"{'; '.join(missing)}"]


# --- letters and the victim's contact preferences --------------------------------------------


def avoids_address(victim: Victim) -> bool:
    """The record says post must not go to the victim's address (e.g. it is shared with
    the child): ``contact_preferences: {avoid_address: true}``."""
    prefs = victim.extra.get("contact_preferences")
    return isinstance(prefs, Mapping) and prefs.get("avoid_address") is True


def letter_gaps(victim: Victim, letter: str, is_draft: bool) -> list[str]:
    """Why a letter to the victim is not written (a draft is never sent, so only the
    best-placed decision holds it)."""
    gaps = [text for _, text in contact_gaps(victim, "letter", "victim", letter)]
    if avoids_address(victim) and not is_draft:
        gaps.append(f"{victim.id}'s contact preferences say post must not go to their address "
                    f"(contact_preferences.avoid_address): write it with --draft and give it "
                    f"another way the victim has agreed")
    return gaps


def preference_warnings(victim: Victim, method: str) -> list[str]:
    """What the victim asked about being contacted, when this contact may not honour it."""
    warnings = []
    if victim.preferred_method and method != victim.preferred_method:
        warnings.append(f"{victim.id} prefers contact by {victim.preferred_method}, not "
                        f"{method} (contact_preferences.method)")
    if victim.preferred_times and method in DIRECT_CONTACT_METHODS:
        warnings.append(f"{victim.id}'s preferred times: {victim.preferred_times} "
                        f"(contact_preferences.times)")
    return warnings


# --- who owns the work ------------------------------------------------------------------------


def unstaffed_work(items: Sequence[tuple[str, str, str | None]], roles: Sequence[str],
                   path: str) -> list[Problem]:
    """A warning for each owner role (``manager``, ``admin``) that nobody on the staff list
    holds while work of that role is outstanding: the deadline engine gives that work to the
    case's worker (issue 18), who may not know it is theirs. ``items``: (case, rule, owner
    role) of the outstanding work; ``roles``: the roles on the staff list."""
    unowned: dict[str, dict[str, list[str]]] = {}
    for case, rule, owner in items:
        if owner in ("manager", "admin") and owner not in roles:
            unowned.setdefault(owner, {}).setdefault(rule, []).append(case)
    return [Problem(path, None, f"nobody on the staff list has the role {role}, so this work "
                                f"falls to the case's worker: "
                                + "; ".join(f"{rule} ({', '.join(sorted(set(cases)))})"
                                            for rule, cases in sorted(rules.items()))
                                + f": add one (rj staff add NAME --role {role}) or give the "
                                  f"rule another owner in rj.yaml",
                    severity="warning")
            for role, rules in sorted(unowned.items())]
