"""What is due: outstanding rule instances, as a worker reads them each morning (pure)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, NamedTuple

from rjcli.core.calendar import WorkingCalendar

if TYPE_CHECKING:
    from rjcli.core.deadlines import Evaluation

STATUSES = ("overdue", "today", "upcoming")


class DueItem(NamedTuple):
    """One piece of outstanding work (a tuple: thousands are read from the index on every
    ``rj due``, and a tuple is built ten times faster than a frozen dataclass)."""

    case: str
    """Record id."""
    name: str
    """The person's name (the worker is entitled to see it; never in reports)."""
    rule: str
    """Rule id."""
    title: str
    """The instruction."""
    due: date
    """Deadline."""
    worker: str | None
    """Who owns it."""
    source: str
    """Where the rule comes from."""
    counts_from: str
    """What it counts from ("allocated 1 April 2026")."""
    instance: str
    """Stable key of the rule instance (iCalendar UIDs)."""


def items_from(evaluations: Iterable[Evaluation], names: Mapping[str, str]) -> list[DueItem]:
    """Outstanding evaluations as due items."""
    return [
        DueItem(e.case, names.get(e.case, ""), e.rule.id, e.rule.title, e.due, e.worker,
                e.rule.source, e.start.label if e.start else "", e.instance)
        for e in evaluations if e.outstanding and e.due is not None
    ]


@dataclass(frozen=True)
class Standing:
    """An item's standing relative to today."""

    status: str
    """overdue, today or upcoming."""
    working_days: int
    """How many working days overdue (positive) or until due."""

    def words(self) -> str:
        n = self.working_days
        plural = "s" if n != 1 else ""
        if self.status == "today":
            return "today"
        if self.status == "overdue":
            return f"overdue {n} working day{plural}" if n else "overdue (due on a non-working day)"
        return f"in {n} working day{plural}" if n else "next working day"


def standing(due: date, today: date, cal: WorkingCalendar) -> Standing:
    if due == today:
        return Standing("today", 0)
    if due < today:
        return Standing("overdue", cal.working_days_between(due, today))
    return Standing("upcoming", cal.working_days_between(today, due))


@dataclass(frozen=True)
class DueFilter:
    """What ``rj due`` shows."""

    worker: str | None = None
    within: int = 5
    overdue_only: bool = False
    rule: str | None = None


def select(items: Iterable[DueItem], today: date, cal: WorkingCalendar,
           f: DueFilter) -> list[tuple[DueItem, Standing]]:
    """Items to show, overdue first (oldest first), then today, then upcoming."""
    horizon = cal.add_working_days(today, f.within)
    chosen = []
    for item in items:
        if f.worker and (item.worker or "").casefold() != f.worker.casefold():
            continue
        if f.rule and item.rule != f.rule:
            continue
        s = standing(item.due, today, cal)
        if f.overdue_only and s.status != "overdue":
            continue
        if s.status == "upcoming" and item.due > horizon:
            continue
        chosen.append((item, s))
    order = {status: i for i, status in enumerate(STATUSES)}
    chosen.sort(key=lambda p: (order[p[1].status], p[0].due, p[0].case, p[0].rule, p[0].instance))
    return chosen


def as_json(item: DueItem, s: Standing) -> dict[str, Any]:
    """The documented, stable JSON shape of one due item."""
    return {
        "case": item.case,
        "rule": item.rule,
        "title": item.title,
        "due": item.due.isoformat(),
        "status": s.status,
        "working_days": s.working_days,
        "worker": item.worker,
        "source": item.source,
        "counts_from": item.counts_from,
    }


def summary_line(rows: list[tuple[DueItem, Standing]]) -> str:
    counts = {status: sum(1 for _, s in rows if s.status == status) for status in STATUSES}
    return (f"{counts['overdue']} overdue, {counts['today']} due today, "
            f"{counts['upcoming']} coming up")
