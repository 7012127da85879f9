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
  Children with no ``order_end`` recorded are left out of that choice, and listed in
  the report's data-quality section (``core/dataquality.py``).
- Every line is split pre-court / statutory (YJB §27) by the disposal of the child whose
  order ended; "view sought" and "engaged" are rj's readings, said in :data:`DEFINITIONS`
  (the YJB's own data definitions are not among the seeds: DOMAIN §7).
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

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from rjcli.core import vocab
from rjcli.core.dates import as_date
from rjcli.core.facts import RESPONSES, VICTIM_SIDE, consent_as_of, consent_on
from rjcli.core.model import Child, Victim
from rjcli.core.options import RJ_OPTIONS as OPTION_AXES_RJ
from rjcli.core.reports import (
    Casework,
    Column,
    Figure,
    Period,
    Row,
    Section,
    Table,
    count,
    dated,
    entries,
    percent,
)
from rjcli.core.restorative import NEEDS_WRITTEN_CONSENT

RJ_OPTIONS = OPTION_AXES_RJ
"""Every restorative option (``core/options.py``: each on the two axes, with sources);
``progress-updates`` and ``support-referral`` are services to the victim, counted on their
own KPI lines, not restorative justice."""
TAKEN_UP = ("accepted", "in-progress", "completed")
"""Option statuses that mean the victim took the opportunity up."""
DELIVERED = ("in-progress", "completed")
"""Option statuses KPI 10's "engaged" counts (with written consent): under way or done."""
COURT_DISPOSALS = ("referral-order", "yro", "custody", "deferred-sentence", "psr-requested")
"""Disposals counted as statutory (YJB §27 "statutory orders"); the out-of-court ones
(``vocab.OUT_OF_COURT_DISPOSALS``) are pre-court; ``no-further-action`` is neither."""
NOT_RECORDED = "not-recorded"
GROUPS = (("pre-court", "Pre-court"), ("statutory", "Statutory"),
          (NOT_RECORDED, "Disposal not recorded"))
"""The columns after "All", in order."""

DEFINITIONS = (
    "Counted in the quarter: victims whose linked child's order or intervention ended in "
    "the quarter (and by today). A victim linked to more than one child is counted once, in "
    "the quarter in which the last of those orders ends.",
    "Pre-court and statutory (YJB §27 asks for contact and response figures \"pre-court and "
    "for statutory orders\"): from the disposal recorded on the child whose order ended - a "
    "Community Resolution, Youth Caution or Youth Conditional Caution is pre-court; a "
    "Referral Order, Youth Rehabilitation Order, custody, a deferred sentence or a case "
    "awaiting sentence is statutory. Where the child's record has no disposal, the "
    "victim's referral (its disposal, then its stage) decides; else the victim is under "
    "'Disposal not recorded' (listed in the data-quality section).",
    "Consented to be contacted: the victim's consent to contact in force on the day that "
    "order ended was yes. This is the denominator; every line below it counts only these "
    "victims.",
    "Contacted: at least one call, text, letter, e-mail or visit to the victim (or their "
    "parent, guardian or representative), not cancelled, by the end of the quarter.",
    "View sought: the victim's view was recorded as sought on or before the decision: for "
    "an out-of-court disposal, the date of the decision (the child's sentence or decision "
    "date); for a court order, the day the order starts, when it is planned (the Referral "
    "Order panel's contract, the order's plan) - rj's reading of \"before the planning of "
    "a court order\". A view sought later, or with no decision date recorded, is not "
    "counted (both are listed in the data-quality section).",
    "Engaged with restorative justice (rj's reading of the YJB's KPI 10 guidance: the "
    "YJB's own definition is not in the seeds): by the end of the quarter at least one "
    "restorative option (conference, shuttle mediation, direct or indirect reparation, "
    "letter of explanation, Referral Order panel attendance or statement, impact "
    "statement) was delivered (completed, or a conference or panel held with the victim) "
    "or stood in progress, and the victim's informed written consent to take part was "
    "recorded as yes by then (YJB §24: rj-participation, or direct-reparation for direct "
    "reparation). An option only accepted, or delivered with no written consent "
    "recorded, does not count (the latter is listed in the data-quality section).",
    "Engagement rate: engaged as a percentage of those who consented (the YJB KPI 10 "
    "headline), worked out within each column.",
    "Progress information: the victim asked to be told about the child's progress (a "
    "progress request, or consent to progress updates answered yes); given it when at "
    "least one progress update was recorded. Declined: asked, and said no (consent to "
    "progress updates no or withdrawn). Not asked: neither a request nor an answer is "
    "recorded - the question was not put, or its answer not written down (Somerset 5.3 "
    "asks for it to be answered before the case closes).",
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


def counting_children(work: Casework, v: Victim, day: date) -> list[Child]:
    """The children whose order ended on the victim's counting day (usually one)."""
    return [c for c in work.children_of(v) if c.order_end == day]


def disposal_group(disposal: str | None) -> str | None:
    """``pre-court``, ``statutory`` or None (not recorded, or no further action)."""
    if disposal in vocab.OUT_OF_COURT_DISPOSALS:
        return "pre-court"
    return "statutory" if disposal in COURT_DISPOSALS else None


def child_group(c: Child) -> str:
    """The column a child is counted in: its own disposal's group."""
    return disposal_group(c.disposal) or NOT_RECORDED


def victim_group(v: Victim, children: Sequence[Child]) -> str:
    """The column a victim is counted in: the disposal of the child whose order ended (a
    court order outranks an out-of-court one when two end the same day), else the victim's
    referral (its disposal, then its stage)."""
    groups = {g for c in children if (g := disposal_group(c.disposal))}
    if groups:
        return "statutory" if "statutory" in groups else "pre-court"
    own = disposal_group(v.referral.disposal)
    if own:
        return own
    stage = v.referral.stage
    if stage == "pre-court":
        return "pre-court"
    return "statutory" if stage in ("pre-sentence", "post-sentence") else NOT_RECORDED


def decision_day(c: Child) -> date | None:
    """The day of the decision a view is sought before (see :data:`DEFINITIONS`): an
    out-of-court decision's date, or the day a court order starts (when it is planned)."""
    if disposal_group(c.disposal) == "pre-court":
        return c.sentence_date or c.order_start
    return c.order_start or c.sentence_date


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


def delivered_by(v: Victim, until: date) -> list[str]:
    """The restorative options delivered (completed, or a conference or panel held) or in
    progress on ``until``."""
    statuses = option_statuses(v, until)
    found = [o for o in RJ_OPTIONS if o in statuses
             and str(statuses[o].get("status")) in DELIVERED]
    found += ["panel-attendance" if c.get("kind") == "panel" else "conference"
              for c in held_on(v, until)]
    return list(dict.fromkeys(found))


def written_consent_by(v: Victim, option: str, until: date) -> bool:
    """Informed written consent to take part in ``option`` recorded as yes by ``until``
    (YJB §24; the latest answer of each kind that covers it)."""
    kinds = NEEDS_WRITTEN_CONSENT.get(option, ("rj-participation",))
    return any((c := consent_as_of(v, kind, until)) is not None and c.answer == "yes"
               for kind in kinds)


def engaged_by(v: Victim, until: date) -> bool:
    """Engaged with restorative justice (see :data:`DEFINITIONS`)."""
    return any(written_consent_by(v, o, until) for o in delivered_by(v, until))


def view_sought_on(v: Victim) -> date | None:
    return dated(v.extra.get("view"), "sought")


def view_counted(v: Victim, children: Sequence[Child], until: date) -> bool:
    """The view was sought on or before the decision of a child whose order ended."""
    sought = view_sought_on(v)
    if sought is None or sought > until:
        return False
    return any((day := decision_day(c)) is not None and sought <= day for c in children)


def progress_answer(v: Victim, until: date) -> str:
    """``requested``, ``declined`` or ``not-asked`` (see :data:`DEFINITIONS`)."""
    asked = dated(v.extra.get("progress_request"))
    said = [c for c in v.consents if c.kind == "progress-updates"
            and (c.date or date.min) <= until]
    if (asked is not None and asked <= until) or any(c.answer == "yes" for c in said):
        return "requested"
    latest = consent_as_of(v, "progress-updates", until)
    return "declined" if latest is not None and latest.answer in ("no", "withdrawn") \
        else "not-asked"


def has_entry(v: Victim, key: str, until: date) -> bool:
    return any(dated(e) is not None for e in entries(v, key, until))


# --- the section ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Counted:
    """One victim counted in the quarter, with what KPI 10 asks of them."""

    victim: Victim
    """The victim."""
    day: date
    """The counting day (the last of their children's order ends)."""
    children: tuple[Child, ...]
    """The children whose order ended that day."""
    group: str
    """``pre-court``, ``statutory`` or ``not-recorded``."""
    consented: bool
    """Consent to contact in force on the counting day was yes."""


def cohort_of(work: Casework, period: Period, today: date) -> list[Counted]:
    """The victims KPI 10 counts in ``period``, by id."""
    found = []
    for _, v in sorted(work.victims.items()):
        day = counting_day(work, v, today)
        if day is None or day not in period:
            continue
        children = tuple(counting_children(work, v, day))
        found.append(Counted(v, day, children, victim_group(v, children), consented_on(v, day)))
    return found


def children_counted(work: Casework, period: Period, today: date) -> list[Child]:
    """Children whose order ended in ``period`` (by today), with an identified victim."""
    return [c for _, c in sorted(work.children.items())
            if (end := c.order_end) is not None and end in period and end <= today
            and work.has_victim(c)]


def _figures(counted: Sequence[Counted], children: Sequence[Child], until: date
             ) -> dict[str, Figure]:
    consented = [k.victim for k in counted if k.consented]
    views = {k.victim.id for k in counted if k.consented and view_counted(k.victim, k.children,
                                                                           until)}
    answers = {v.id: progress_answer(v, until) for v in consented}
    progress = [v for v in consented if answers[v.id] == "requested"]
    support = [v for v in consented if has_entry(v, "support_requests", until)]
    figures = {
        "children_with_victims": count(c.id for c in children),
        "victims_total": count(k.victim.id for k in counted),
        "consented_to_contact": count(v.id for v in consented),
        "contacted": count(v.id for v in consented if contacted_by(v, until)),
        "view_sought": count(views),
        "engaged_rj": count(v.id for v in consented if engaged_by(v, until)),
        "progress_requested": count(v.id for v in progress),
        "progress_provided": count(v.id for v in progress
                                   if has_entry(v, "progress_updates", until)),
        "progress_declined": count(i for i, a in answers.items() if a == "declined"),
        "progress_not_asked": count(i for i, a in answers.items() if a == "not-asked"),
        "support_requested": count(v.id for v in support),
        "support_provided": count(v.id for v in support if has_entry(v, "support", until)),
    }
    figures["engagement_rate"] = percent(figures["engaged_rj"], figures["consented_to_contact"])
    return figures


def kpi10_columns(work: Casework, period: Period, today: date
                  ) -> dict[str, dict[str, Figure]]:
    """Every KPI 10 line by its JSON key, per column: ``number`` (all), then each group."""
    counted, children = cohort_of(work, period, today), children_counted(work, period, today)
    columns = {"number": _figures(counted, children, period.end)}
    for group, _ in GROUPS:
        columns[group] = _figures([k for k in counted if k.group == group],
                                  [c for c in children if child_group(c) == group], period.end)
    return columns


def kpi10_counts(work: Casework, period: Period, today: date) -> dict[str, Figure]:
    """Every KPI 10 line (all victims), by its JSON key."""
    return kpi10_columns(work, period, today)["number"]


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
    ("progress_declined", "Victims who said no to progress information"),
    ("progress_not_asked", "Victims with no answer recorded on progress information"),
    ("support_requested", "Victims who asked for additional support"),
    ("support_provided", "... of whom were given information on support services"),
)
"""The lines of the return, in the YJB's order, with plain labels (the two progress lines
after "told about it" are rj's, so that "not asked" and "said no" are never one figure)."""


def kpi10_section(work: Casework, period: Period, today: date) -> Section:
    figures = kpi10_columns(work, period, today)
    columns = (Column("number", "All"),
               *(Column(group, heading) for group, heading in GROUPS))
    rows = tuple(Row(key, label, tuple(figures[c.key][key] for c in columns),
                     total=key == "engagement_rate")
                 for key, label in LINES)
    table = Table(
        "kpi10", "KPI 10: victims",
        "Victims of children whose order or intervention ended this quarter, and what the "
        "service did with them, pre-court and statutory; the engagement rate is the YJB's "
        "headline figure.",
        "Line of the return", columns, rows, chart="number")
    return Section(
        "kpi10", "YJB KPI 10: victims",
        "Counts victims in the quarter in which the linked child's order or intervention "
        "ended, as the Youth Justice Board asks.",
        (table,), DEFINITIONS)
