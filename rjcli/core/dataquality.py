"""The quarterly report's data-quality section (pure; issue 17).

A figure that cannot count a record must not drop it silently: this section counts the
records the quarter's figures could not count, or counted only in part, one line per
reason, and names them (by record id) only under ``--explain``.

Who is looked at: the victims allocated in the quarter (service activity), the victims
counted for KPI 10 in the quarter, and the children linked to either. (A quarterly report
from the index reads exactly these records, so both ways give the same lines.)
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from rjcli.core.activity import allocated_in, stage_group
from rjcli.core.facts import consent_on
from rjcli.core.kpi import (
    NOT_RECORDED,
    Counted,
    cohort_of,
    decision_day,
    delivered_by,
    view_sought_on,
    written_consent_by,
)
from rjcli.core.model import Child, Victim
from rjcli.core.reports import (
    Casework,
    Column,
    Period,
    Section,
    Table,
    count,
    dated,
    entries,
    single,
)

DATED_LOGS = ("offers", "conferences", "progress_updates", "support_requests", "support",
              "complaints", "feedback")
"""Logs whose entries the figures place in time by their ``date``."""

LINES = (
    ("no-order-end", "Children with an identified victim and no order or intervention end "
     "recorded: KPI 10 cannot place their victims in a quarter"),
    ("unlinked", "Victims linked to no child: KPI 10 never counts them"),
    ("no-consent-answer", "Victims counted for KPI 10 with no answer recorded on consent to "
     "contact: not in the denominator"),
    ("no-disposal", "Victims counted for KPI 10 whose child's disposal (and referral stage) "
     "is not recorded: in neither the pre-court nor the statutory column"),
    ("no-decision-date", "Victims whose view was sought but whose child has no decision or "
     "order start date: view not counted"),
    ("view-after-decision", "Victims whose view was sought after the decision: not counted "
     "as sought before it"),
    ("no-written-consent", "Victims with restorative work delivered or in progress but no "
     "written consent to take part recorded: not counted as engaged"),
    ("no-stage", "Victims allocated this quarter with no referral stage recorded: in "
     "neither the pre-court nor the statutory column of service activity"),
    ("no-outcome", "Victims allocated this quarter whose case was closed with no outcome "
     "(closure reason) recorded"),
    ("undated", "Victims with an entry recorded without a date (an offer, conference, "
     "update, support, complaint or feedback): undated offers count as the earliest, other "
     "undated entries are not counted"),
    ("contact-undated", "Victims with a contact recorded without a date and time: not "
     "counted as contacted"),
)
"""The lines, by stable key, in the order printed."""


def _looked_at(work: Casework, period: Period, counted: Sequence[Counted]) -> list[Victim]:
    ids = {v.id for v in allocated_in(work, period)} | {k.victim.id for k in counted}
    return [work.victims[i] for i in sorted(ids)]


def _view_problem(k: Counted, until: date) -> str | None:
    """``no-decision-date``, ``view-after-decision`` or None, for a consented victim whose
    view was sought by the end of the quarter."""
    sought = view_sought_on(k.victim)
    if sought is None or not k.consented or sought > until:
        return None
    days = [d for c in k.children if (d := decision_day(c)) is not None]
    if not days:
        return "no-decision-date"
    return None if any(sought <= d for d in days) else "view-after-decision"


def _closed_without_outcome(v: Victim, today: date) -> bool:
    history = [e for e in v.status_history if e.date <= today]
    if not history:
        return False
    last = max(history, key=lambda e: (e.date, e.id))
    return last.status == "closed" and not last.reason


def _undated(v: Victim) -> bool:
    return any(dated(e) is None for key in DATED_LOGS for e in entries(v, key))


def _found(work: Casework, period: Period, today: date) -> dict[str, Iterable[str]]:
    until = period.end
    counted = cohort_of(work, period, today)
    victims = _looked_at(work, period, counted)
    allocated = [v for v in victims if v.referral.allocated in period]
    children: dict[str, Child] = {c.id: c for v in victims for c in work.children_of(v)}
    views = {k.victim.id: _view_problem(k, until) for k in counted}
    return {
        "no-order-end": (c.id for c in children.values()
                         if c.order_end is None and work.has_victim(c)),
        "unlinked": (v.id for v in victims if not work.children_of(v)),
        "no-consent-answer": (k.victim.id for k in counted
                              if consent_on(k.victim, "contact", k.day) is None),
        "no-disposal": (k.victim.id for k in counted if k.group == NOT_RECORDED),
        "no-decision-date": (i for i, why in views.items() if why == "no-decision-date"),
        "view-after-decision": (i for i, why in views.items() if why == "view-after-decision"),
        "no-written-consent": (k.victim.id for k in counted if k.consented and (
            done := delivered_by(k.victim, until)) and not any(
            written_consent_by(k.victim, o, until) for o in done)),
        "no-stage": (v.id for v in allocated if stage_group(v) is None),
        "no-outcome": (v.id for v in allocated if _closed_without_outcome(v, today)),
        "undated": (v.id for v in victims if _undated(v)),
        "contact-undated": (v.id for v in victims if any(c.at is None for c in v.contacts)),
    }


def data_quality_section(work: Casework, period: Period, today: date) -> Section:
    found = _found(work, period, today)
    rows = tuple(single(key, label, count(found[key])) for key, label in LINES)
    table = Table(
        "data-quality", "Records the figures could not count",
        "Of the victims allocated this quarter or counted for KPI 10, and their children: "
        "how many records each figure could not count, and why. --explain lists them.",
        "Why", (Column("records", "Records"),), rows)
    return Section(
        "data-quality", "Data quality",
        "What was missing from the records this quarter's figures read: put it right in "
        "the record and the next report counts it.",
        (table,),
        ("Each line counts records (children on the first line, victims on the others); a "
         "record can be on more than one line. The record ids are listed only with "
         "--explain, for the people who can put them right.",))
