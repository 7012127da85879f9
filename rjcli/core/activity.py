"""Service activity and timeliness, quarterly (pure; shared/DOMAIN.md §7).

Service activity follows the victims *allocated* in the quarter (YJB §27, Tower
Hamlets "Monitoring", Wait 'til Eight appendix 7A) and counts what has become of
them as recorded up to the day the report is run. Timeliness counts every rule
instance of the deadline engine that fell due in the quarter (DOMAIN §4).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from rjcli.core import vocab
from rjcli.core.deadlines import Evaluation
from rjcli.core.kpi import (
    RJ_OPTIONS,
    TAKEN_UP,
    contacted_by,
    held_on,
    option_statuses,
    responded_by,
)
from rjcli.core.model import Victim
from rjcli.core.monitoringcounts import DEFINITION as MONITORING_DEFINITION
from rjcli.core.monitoringcounts import monitoring_table
from rjcli.core.options import AXIS_GROUPS, options_where
from rjcli.core.overridecounts import DEFINITION as OVERRIDES_DEFINITION
from rjcli.core.overridecounts import overrides_table
from rjcli.core.reports import (
    Casework,
    Column,
    Figure,
    Period,
    Redactor,
    Row,
    Section,
    Table,
    count,
    dated,
    entries,
    median_days,
    normalised,
    percent,
    single,
    tally,
)
from rjcli.core.satisfaction import satisfaction_table

STATUTORY = ("pre-sentence", "post-sentence")
"""Stages counted as statutory (court) work; ``pre-court`` is the other group."""

DEFINITIONS = (
    "Victims allocated in the quarter are followed to the day the report is run: later "
    "runs can show more of their work.",
    "Pre-court: referral stage pre-court. Statutory: pre-sentence or post-sentence.",
    "First contact: the deadline engine's 'first-contact' rule (5 working days from "
    "allocation, or from sentence for contact after sentence).",
    "Contacted: any call, text, letter, e-mail or visit to the victim's side, not cancelled. "
    "Responded: the victim's side spoke to us, wrote back or kept an appointment.",
    "Restorative options are counted on two axes (every option's place on both, with its "
    "source, is in the README's table of restorative options). Reparation to the victim (direct): "
    "conference, letter of explanation, direct reparation (YJB §17: \"direct reparation "
    "(letters of apologies/conferences)\"; Somerset 11.4); to the community (indirect): "
    "indirect reparation (Somerset 11.4). Communication face to face (direct): conference, "
    "attending the Referral Order panel; through the worker (indirect): shuttle mediation "
    "(Somerset 11.3; Wait 'til Eight §3.3.4, appendix 7A), letter of explanation, a "
    "statement for the panel, an impact statement for the child's victim-awareness work.",
    "Offered: the option was put to the victim. Taken up, declined, not appropriate: where the "
    "option stands now (its latest entry). In the 'all' lines a victim is counted once; "
    "declined and not appropriate there mean none of those options was taken up.",
    "Days to outcome: calendar days from allocation to the day the case was closed; a "
    "reopened case counts from its last closure, and only once it is closed again.",
)


SOURCE_LABELS = {
    "police": "Police",
    "court": "Court",
    "other-yjs": "Another youth justice service",
    "case-holder": "The child's case holder",
    "self": "The victim themselves",
}


def allocated_in(work: Casework, period: Period) -> list[Victim]:
    """Victims allocated in the period, by id."""
    return [v for _, v in sorted(work.victims.items()) if v.referral.allocated in period]


def stage_group(v: Victim) -> str | None:
    stage = v.referral.stage
    if stage == "pre-court":
        return "pre-court"
    return "statutory" if stage in STATUTORY else None


# --- referrals, first contact, responses --------------------------------------------------


def referrals_table(cohort: Sequence[Victim]) -> Table:
    columns = (Column("pre-court", "Pre-court"), Column("statutory", "Statutory"),
               Column("not-recorded", "Stage not recorded"), Column("total", "Total"))

    def row(key: str, label: str, members: Sequence[Victim], total: bool = False) -> Row:
        by_group = [[v.id for v in members if stage_group(v) == g]
                    for g in ("pre-court", "statutory", None)]
        return Row(key, label, (*(count(ids) for ids in by_group), count(v.id for v in members)),
                   total)

    rows = [row(source, SOURCE_LABELS.get(source, source),
                [v for v in cohort if v.referral.source == source])
            for source in vocab.REFERRAL_SOURCES]
    rows.append(row("not-recorded", "Source not recorded",
                    [v for v in cohort if v.referral.source not in vocab.REFERRAL_SOURCES]))
    rows.append(row("total", "All referrals", cohort, total=True))
    return Table("referrals", "Referrals by source and stage",
                 "Victims allocated this quarter, by who referred them and the stage of the "
                 "child's case.", "Referred by", columns, tuple(rows), chart="total")


def first_contact_table(work: Casework, cohort: Sequence[Victim]) -> Table:
    evs = [e for v in cohort for e in work.evaluations.get(v.id, ())
           if e.rule.id == "first-contact"]
    applying = [e for e in evs if e.counted]

    def fig(chosen: Iterable[Evaluation]) -> Figure:
        chosen = list(chosen)
        return tally(len(chosen), (e.case for e in chosen))

    on_time = fig(e for e in applying if e.met_on and not e.late)
    every = fig(applying)
    rows = (
        single("on-time", "First contact attempted in time", on_time),
        single("late", "Attempted, but late", fig(e for e in applying if e.late)),
        single("outstanding", "Not attempted yet", fig(e for e in applying if e.met_on is None)),
        single("total", "All first contacts due", every, total=True),
        single("on-time-rate", "Share attempted in time", percent(on_time, every), total=True),
        single("not-applicable", "Not due (no consent to contact, or nothing to count from)",
               count(v.id for v in cohort if not any(e.counted for e in evs if e.case == v.id))),
    )
    return Table("first-contact", "First contact within the timescale",
                 "Victims allocated this quarter: was the first attempt to contact them made "
                 "within the timescale?", "First contact", (Column("victims", "Victims"),),
                 rows, chart="victims")


def response_table(cohort: Sequence[Victim], today: date) -> Table:
    columns = (Column("contacted", "Contacted"), Column("responded", "Responded"),
               Column("rate", "Response rate"))

    def row(key: str, label: str, members: Iterable[Victim], total: bool = False) -> Row:
        contacted = [v for v in members if contacted_by(v, today)]
        reached = count(v.id for v in contacted if responded_by(v, today))
        asked = count(v.id for v in contacted)
        return Row(key, label, (asked, reached, percent(reached, asked)), total)

    rows = (
        row("pre-court", "Pre-court", (v for v in cohort if stage_group(v) == "pre-court")),
        row("statutory", "Statutory", (v for v in cohort if stage_group(v) == "statutory")),
        row("all", "All victims allocated (any stage)", cohort, total=True),
    )
    return Table("response", "Victims contacted and response rate",
                 "Of the victims allocated this quarter: how many we contacted, and how many "
                 "of those responded.", "Stage", columns, rows, chart="contacted")


# --- restorative work ----------------------------------------------------------------------

OPTION_LABELS = {
    "conference": "Conference",
    "shuttle-mediation": "Shuttle mediation",
    "direct-reparation": "Direct reparation",
    "panel-attendance": "Attending the Referral Order panel",
    "letter-of-explanation": "Letter of explanation",
    "indirect-reparation": "Indirect reparation",
    "panel-statement": "Statement read at the panel",
    "impact-statement": "Impact statement for victim-awareness work",
}


def _offers(v: Victim, until: date) -> dict[str, list[Mapping[str, Any]]]:
    found: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for offer in entries(v, "offers", until):
        found[str(offer.get("option"))].append(offer)
    return found


OfferState = tuple[str, dict[str, list[Mapping[str, Any]]], dict[str, str]]
"""(victim id, the offers made by option, each option's latest status) on one day."""


def _offer_states(cohort: Sequence[Victim], today: date) -> list[OfferState]:
    """Each victim's offers and statuses, read once for every row of the offers table."""
    return [(v.id, _offers(v, today),
             {o: str(e.get("status")) for o, e in option_statuses(v, today).items()})
            for v in cohort]


def _option_figures(states: Sequence[OfferState], options: Sequence[str]
                    ) -> tuple[Figure, ...]:
    offered, taken, declined, unsuitable = [], [], [], []
    for victim_id, made, statuses in states:
        now = [s for o, s in statuses.items() if o in options]
        if any(e.get("status") != "not-appropriate" for o in options for e in made.get(o, [])):
            offered.append(victim_id)
        if any(s in TAKEN_UP for s in now):
            taken.append(victim_id)
            continue
        if "declined" in now:
            declined.append(victim_id)
        if "not-appropriate" in now:
            unsuitable.append(victim_id)
    return count(offered), count(taken), count(declined), count(unsuitable)


def offers_table(cohort: Sequence[Victim], today: date) -> Table:
    columns = (Column("offered", "Offered"), Column("taken-up", "Taken up"),
               Column("declined", "Declined"), Column("not-appropriate", "Not appropriate"))
    states = _offer_states(cohort, today)
    rows: list[Row] = []
    rows += [Row(o, OPTION_LABELS[o], _option_figures(states, (o,))) for o in RJ_OPTIONS]
    for key, label, axis, value in AXIS_GROUPS:
        rows.append(Row(key, label, _option_figures(states, options_where(axis, value)), True))
    rows.append(Row("any", "Any restorative option", _option_figures(states, RJ_OPTIONS), True))
    return Table("offers", "Restorative justice and reparation, by type",
                 "Victims allocated this quarter: how many were offered each option, took it "
                 "up, declined it, or were judged not suitable for it.", "Option", columns,
                 tuple(rows), chart="taken-up")


def not_appropriate_table(cohort: Sequence[Victim], today: date, redactor: Redactor) -> Table:
    by_reason: dict[str, set[str]] = defaultdict(set)
    for v in cohort:
        for offer in option_statuses(v, today).values():
            if offer.get("status") == "not-appropriate":
                by_reason[redactor.text(normalised(offer.get("reason")))].add(v.id)
    ordered = sorted(by_reason.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    rows = [single(reason.casefold(), reason, count(ids)) for reason, ids in ordered]
    rows.append(single("total", "Victims with an option judged not appropriate",
                       count(i for ids in by_reason.values() for i in ids), total=True))
    return Table("not-appropriate", "Why restorative justice was judged not appropriate",
                 "Victims allocated this quarter for whom the service judged an option not "
                 "appropriate, by the reason recorded (a victim may have more than one).",
                 "Reason", (Column("victims", "Victims"),), tuple(rows), chart="victims")


def delivery_table(cohort: Sequence[Victim], today: date) -> Table:
    held = [(v.id, c) for v in cohort for c in held_on(v, today)]
    conferences = [(i, c) for i, c in held if c.get("kind", "conference") != "panel"]
    panels = [(i, c) for i, c in held if c.get("kind") == "panel"]
    rows = (
        single("conferences", "Conferences held",
               tally(len(conferences), (i for i, _ in conferences))),
        single("panels", "Referral Order panels held with the victim",
               tally(len(panels), (i for i, _ in panels))),
        single("victims", "Victims who took part in either", count(i for i, _ in held), total=True),
    )
    return Table("delivery", "Conferences and panels held",
                 "Meetings held with the victims allocated this quarter.", "Meeting",
                 (Column("number", "Number"),), rows)


def agreement_table(cohort: Sequence[Victim], today: date) -> Table:
    kinds: dict[str, list[str]] = defaultdict(list)
    for v in cohort:
        for conf in held_on(v, today):
            for item in conf.get("agreement") or []:
                kinds[_item_state(item)].append(v.id)
    labels = (("on-time", "Completed on time"), ("late", "Completed late"),
              ("done-undated", "Completed (date not recorded)"), ("failed", "Failed"),
              ("open", "Still open"))
    rows = [single(k, label, tally(len(kinds[k]), kinds[k])) for k, label in labels]
    every = [i for ids in kinds.values() for i in ids]
    rows.append(single("total", "All agreement items", tally(len(every), every), total=True))
    return Table("agreement", "Outcome agreement items",
                 "The actions agreed at the conferences above, and whether they were done by "
                 "their target date.", "Agreement item", (Column("items", "Items"),), tuple(rows),
                 chart="items")


def _item_state(item: Mapping[str, Any]) -> str:
    status = item.get("status")
    if status == "failed":
        return "failed"
    if status != "done":
        return "open"
    closed, due = dated(item, "closed"), dated(item, "due")
    if closed is None or due is None:
        return "done-undated"
    return "on-time" if closed <= due else "late"


# --- outcomes --------------------------------------------------------------------------------


def _closure(v: Victim, today: date) -> tuple[date, str] | None:
    """(day, reason) of the case's closure when it is closed as at today."""
    history = [e for e in v.status_history if e.date <= today]
    if not history:
        return None
    last = max(history, key=lambda e: (e.date, e.id))
    return (last.date, last.reason or "not recorded") if last.status == "closed" else None


def outcomes_table(cohort: Sequence[Victim], today: date) -> Table:
    closures = {v.id: c for v in cohort if (c := _closure(v, today))}
    reasons = list(vocab.CLOSURE_REASONS)
    rows = [single(r, vocab.label(r).capitalize(),
                   count(i for i, (_, why) in closures.items() if why == r)) for r in reasons]
    rows.append(single("other", "Other or not recorded",
                       count(i for i, (_, why) in closures.items() if why not in reasons)))
    rows.append(single("closed", "All closed", count(closures), total=True))
    rows.append(single("open", "Still open", count(v.id for v in cohort if v.id not in closures)))
    days = {v.id: (closures[v.id][0] - v.referral.allocated).days for v in cohort
            if v.id in closures and v.referral.allocated}
    rows.append(single("median-days", "Median days from allocation to outcome", median_days(days),
                       total=True))
    return Table("outcomes", "Outcomes",
                 "How the cases of victims allocated this quarter ended (the reason recorded "
                 "at closure), and how long that took.", "Outcome",
                 (Column("victims", "Victims"),), tuple(rows), chart="victims")


def complaints_table(cohort: Sequence[Victim], today: date) -> Table:
    made = [(v.id, c) for v in cohort for c in entries(v, "complaints", today) if dated(c)]
    told = [(i, c) for i, c in made if dated(c, "manager_told")]
    rows = (
        single("complaints", "Complaints recorded", tally(len(made), (i for i, _ in made))),
        single("manager-told", "... of which a manager was told",
               tally(len(told), (i for i, _ in told))),
        single("victims", "Victims who complained", count(i for i, _ in made)),
    )
    return Table("complaints", "Complaints",
                 "Complaints from the victims allocated this quarter.", "Complaints",
                 (Column("number", "Number"),), rows)


def activity_section(work: Casework, period: Period, today: date, redactor: Redactor) -> Section:
    cohort = allocated_in(work, period)
    feedback = [(v.id, f) for v in cohort for f in entries(v, "feedback", today) if dated(f)]
    tables = (
        referrals_table(cohort),
        first_contact_table(work, cohort),
        response_table(cohort, today),
        offers_table(cohort, today),
        not_appropriate_table(cohort, today, redactor),
        delivery_table(cohort, today),
        agreement_table(cohort, today),
        outcomes_table(cohort, today),
        satisfaction_table(feedback, "Satisfaction",
                           "Feedback forms returned by the victims allocated this quarter, by "
                           "how satisfied they were with the service."),
        complaints_table(cohort, today),
        overrides_table(cohort, today),
        monitoring_table(cohort),
    )
    return Section("activity", "Service activity",
                   f"Victims allocated from {period.words()}: {len(cohort)}.",
                   tables, (*DEFINITIONS, OVERRIDES_DEFINITION, MONITORING_DEFINITION))


# --- timeliness ------------------------------------------------------------------------------


def timeliness_section(work: Casework, period: Period, also: Sequence[Table] = (),
                       notes: Sequence[str] = ()) -> Section:
    """Every rule instance that fell due in ``period``; ``also``: tables printed after it
    (contacts recorded late), with their ``notes`` under the section's own."""
    fell_due: dict[str, list[Evaluation]] = defaultdict(list)
    for evs in work.evaluations.values():
        for e in evs:
            if e.counted and e.due in period:
                fell_due[e.rule.id].append(e)
    titles = {r.id: r.title for r in work.rules}
    for rule_id in fell_due:
        titles.setdefault(rule_id, rule_id)
    columns = (Column("due", "Fell due"), Column("on-time", "Met on time"),
               Column("late", "Met late"), Column("outstanding", "Outstanding"),
               Column("missed-share", "Late or outstanding"))

    def fig(chosen: list[Evaluation]) -> Figure:
        return tally(len(chosen), (e.case for e in chosen))

    rows = []
    for rule_id, title in titles.items():
        evs = fell_due.get(rule_id, [])
        due, late = fig(evs), fig([e for e in evs if e.late])
        outstanding = fig([e for e in evs if e.met_on is None])
        missed = fig([e for e in evs if e.late or e.met_on is None])
        rows.append(Row(rule_id, f"{title} ({rule_id})",
                        (due, fig([e for e in evs if e.met_on and not e.late]), late, outstanding,
                         percent(missed, due))))
    rows.sort(key=_worst_first)
    return Section(
        "timeliness", "Timeliness",
        "Every timescale that fell due this quarter, worst first: the share met late or not "
        "met yet.",
        (Table("timeliness", "Timescales that fell due this quarter",
               "For each timescale rule: how many times it fell due this quarter, and how many "
               "of those were met on time, met late, or are still not met.", "Rule", columns,
               tuple(rows), chart="missed-share"), *also),
        ("Fell due: the deadline is in the quarter, records open or closed; each instance "
         "keeps the start and deadline it had when it began, whatever the record says later "
         "(a manager's approval, a call that reached the victim, a conference since held). "
         "An instance cancelled on or before its deadline (consent withdrawn, the conference "
         "cancelled) did not fall due. Outstanding: not met by the day the report is run, "
         "including work that can no longer be met (missed, e.g. a conference held before "
         "every participant was assessed) and work cancelled after its deadline had passed.",
         *notes))


def _worst_first(row: Row) -> tuple[float, int, str]:
    due, share = row.figures[0], row.figures[-1]
    worst = -float(share.value) if share.value is not None else 1.0
    return (worst, -int(due.value or 0), row.key)

