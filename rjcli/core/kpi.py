"""YJB KPI 10 (Victims), quarterly (pure; shared/DOMAIN.md §7).

The YJB's headline: "the number of victims engaged in restorative justice
opportunities as a proportion of the total number of victims who consent to be
contacted" (YJB, *Key performance indicators for youth justice services*, gov.uk,
KPI 10), with the lines of the return listed in DOMAIN §7. How rj counts each line
is in :data:`DEFINITIONS`, printed under the table, so the report explains itself.

Choices the YJB text leaves open, made here and printed with the report:

- A victim is counted in the quarter in which the linked child's order or
  intervention ends (``order_end``). A victim linked to two or more children is
  counted once, in the quarter in which the *latest* of those orders ends: their
  contact with the service runs until then (Tower Hamlets, additional notes), and
  counting them earlier would report an engagement that may still be under way.
  Children with no ``order_end`` recorded are left out of that choice.
- An order ending after today has not ended: nothing is counted for it yet.
- Consent is the ``contact`` consent in force on that order-end day (the latest one
  dated on or before it, as the deadline engine judges consent): a victim who
  withdrew before the order ended is not in the denominator; one who withdrew after
  it still is.
- Every line after the denominator counts only victims in it, so each reads "of the
  victims who consented" and the rate cannot pass 100%.
- Work counts when it is dated on or before the last day of the quarter.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from rjcli.core.dates import as_date
from rjcli.core.facts import RESPONSES, VICTIM_SIDE, consent_on
from rjcli.core.options import RJ_OPTIONS as OPTION_AXES_RJ
from rjcli.core.model import Victim
from rjcli.core.reports import (
    Casework,
    Column,
    Figure,
    Period,
    Section,
    Table,
    count,
    dated,
    entries,
    percent,
    single,
)

RJ_OPTIONS = OPTION_AXES_RJ
"""Every restorative option (``core/options.py``: each on the two axes, with sources);
``progress-updates`` and ``support-referral`` are services to the victim, counted on their
own KPI lines, not restorative justice."""
TAKEN_UP = ("accepted", "in-progress", "completed")
"""Option statuses that mean the victim took the opportunity up."""

DEFINITIONS = (
    "Counted in the quarter: victims whose linked child's order or intervention ended in "
    "the quarter (and by today). A victim linked to more than one child is counted once, in "
    "the quarter in which the last of those orders ends.",
    "Consented to be contacted: the victim's consent to contact in force on the day that "
    "order ended was yes. This is the denominator; every line below it counts only these "
    "victims.",
    "Contacted: at least one call, text, letter, e-mail or visit to the victim (or their "
    "parent, guardian or representative), not cancelled, by the end of the quarter.",
    "View sought: the victim's view was recorded as sought before the out-of-court decision "
    "or the planning of the court order.",
    "Engaged with restorative justice: at the end of the quarter at least one restorative "
    "option (conference, shuttle mediation, direct or indirect reparation, letter of "
    "explanation, Referral Order panel attendance or statement, impact statement) stood at "
    "accepted, in progress or completed, or a conference or panel with the victim was held. "
    "A later change of mind (declined) undoes an acceptance.",
    "Engagement rate: engaged as a percentage of those who consented (the YJB KPI 10 "
    "headline).",
    "Progress information: the victim asked to be told about the child's progress; given it "
    "when at least one progress update was recorded.",
    "Additional support: the victim asked for support; given information when at least one "
    "entry of information or referral to a support service was recorded.",
)


# --- facts about one victim ---------------------------------------------------------------


def counting_day(work: Casework, v: Victim, today: date) -> date | None:
    """The day the victim is counted: the latest order end among their children, when that
    day has come."""
    ends = [c.order_end for c in work.children_of(v) if c.order_end]
    last = max(ends) if ends else None
    return last if last and last <= today else None


def consented_on(v: Victim, day: date) -> bool:
    """The ``contact`` consent in force on ``day`` is yes (the latest dated on or before the
    day; an undated one counts as the earliest; if every one is later, the first
    recorded: consent is usually recorded just after allocation)."""
    given = consent_on(v, "contact", day)
    return given is not None and given.answer == "yes"


def contacted_by(v: Victim, until: date) -> bool:
    """A contact attempt with the victim, their parent or guardian or representative (any
    method, not cancelled) on or before ``until``; liaison with another service, the
    police or the case holder is not contact with the victim (DOMAIN §4)."""
    return any(c.party in VICTIM_SIDE and c.day and c.day <= until and c.outcome != "cancelled"
               for c in v.contacts)


def responded_by(v: Victim, until: date) -> bool:
    """The victim (or their side) responded: spoke, a reply received, an appointment kept."""
    return any(c.party in VICTIM_SIDE and c.day and c.day <= until and c.outcome in RESPONSES
               for c in v.contacts)


def option_statuses(v: Victim, until: date) -> dict[str, Mapping[str, Any]]:
    """Each option's latest offer entry dated on or before ``until`` (by date, then id)."""
    latest: dict[str, Mapping[str, Any]] = {}
    ordered = sorted(entries(v, "offers", until),
                     key=lambda o: (as_date(o.get("date")) or date.min, str(o.get("id"))))
    for offer in ordered:
        latest[str(offer.get("option"))] = offer
    return latest


def held_on(v: Victim, until: date) -> list[Mapping[str, Any]]:
    """Conferences and panels held with the victim, on or before ``until``."""
    return [c for c in entries(v, "conferences", until) if c.get("status") == "held"
            and dated(c) is not None]


def engaged_by(v: Victim, until: date) -> bool:
    """Engaged with restorative justice (see :data:`DEFINITIONS`)."""
    statuses = option_statuses(v, until)
    taken = any(str(statuses[o].get("status")) in TAKEN_UP for o in RJ_OPTIONS if o in statuses)
    return taken or bool(held_on(v, until))


def view_sought_by(v: Victim, until: date) -> bool:
    sought = dated(v.extra.get("view"), "sought")
    return sought is not None and sought <= until


def progress_requested_by(v: Victim, until: date) -> bool:
    asked = dated(v.extra.get("progress_request"))
    return asked is not None and asked <= until


def has_entry(v: Victim, key: str, until: date) -> bool:
    return any(dated(e) is not None for e in entries(v, key, until))


# --- the section ---------------------------------------------------------------------------


def kpi10_counts(work: Casework, period: Period, today: date) -> dict[str, Figure]:
    """Every KPI 10 line, by its JSON key."""
    until = period.end
    days = {v.id: day for v in work.victims.values()
            if (day := counting_day(work, v, today)) is not None and day in period}
    cohort = [work.victims[i] for i in sorted(days)]
    consented = [v for v in cohort if consented_on(v, days[v.id])]
    children = [c.id for c in work.children.values()
                if (end := c.order_end) is not None and end in period and end <= today
                and work.has_victim(c)]
    progress = [v for v in consented if progress_requested_by(v, until)]
    support = [v for v in consented if has_entry(v, "support_requests", until)]
    figures = {
        "children_with_victims": count(children),
        "victims_total": count(v.id for v in cohort),
        "consented_to_contact": count(v.id for v in consented),
        "contacted": count(v.id for v in consented if contacted_by(v, until)),
        "view_sought": count(v.id for v in consented if view_sought_by(v, until)),
        "engaged_rj": count(v.id for v in consented if engaged_by(v, until)),
        "progress_requested": count(v.id for v in progress),
        "progress_provided": count(v.id for v in progress
                                   if has_entry(v, "progress_updates", until)),
        "support_requested": count(v.id for v in support),
        "support_provided": count(v.id for v in support if has_entry(v, "support", until)),
    }
    figures["engagement_rate"] = percent(figures["engaged_rj"], figures["consented_to_contact"])
    return figures


LINES = (
    ("children_with_victims",
     "Children whose order or intervention ended, with an identified victim"),
    ("victims_total", "Victims counted this quarter"),
    ("consented_to_contact", "Victims who consented to be contacted"),
    ("contacted", "Victims contacted"),
    ("view_sought", "Victims asked their view before the decision or court planning"),
    ("engaged_rj", "Victims engaged with restorative justice opportunities"),
    ("engagement_rate", "Engagement rate (engaged / consented)"),
    ("progress_requested", "Victims who asked about the child's progress"),
    ("progress_provided", "... of whom were told about it"),
    ("support_requested", "Victims who asked for additional support"),
    ("support_provided", "... of whom were given information on support services"),
)
"""The lines of the return, in the YJB's order, with plain labels."""


def kpi10_section(work: Casework, period: Period, today: date) -> Section:
    figures = kpi10_counts(work, period, today)
    rows = tuple(single(key, label, figures[key], total=key == "engagement_rate")
                 for key, label in LINES)
    table = Table(
        "kpi10", "KPI 10: victims",
        "Victims of children whose order or intervention ended this quarter, and what the "
        "service did with them; the engagement rate is the YJB's headline figure.",
        "Line of the return", (Column("number", "Number"),), rows, chart="number")
    return Section(
        "kpi10", "YJB KPI 10: victims",
        "Counts victims in the quarter in which the linked child's order or intervention "
        "ended, as the Youth Justice Board asks.",
        (table,), DEFINITIONS)
