"""Caseload: open cases and overdue work per worker, as at today (pure).

For a manager's supervision (DOMAIN §1: "oversees timeliness"). Work is what the
deadline engine finds outstanding on open records, owned as ``rj due --all`` shows it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date

from rjcli.core.calendar import WorkingCalendar
from rjcli.core.dates import uk_date
from rjcli.core.deadlines import Evaluation
from rjcli.core.due import standing
from rjcli.core.reports import Casework, Column, Figure, Report, Row, Section, Table, count, tally

UNALLOCATED = "Unallocated"

DEFINITIONS = (
    "Open cases: the record's latest status is open. Victims are counted under their "
    "allocated RJ worker, children under their case holder.",
    "Overdue and due today: outstanding deadlines of open records (as rj due shows them), "
    "under the worker who owns each one.",
    "Oldest overdue: how many working days the longest-overdue item has waited.",
)


def _outstanding(work: Casework) -> list[Evaluation]:
    open_ids = {i for i, v in work.victims.items() if v.is_open}
    open_ids |= {i for i, c in work.children.items() if c.is_open}
    return [e for case_id, evs in sorted(work.evaluations.items()) if case_id in open_ids
            for e in evs if e.outstanding]


def caseload_report(work: Casework, today: date, cal: WorkingCalendar, staff: Sequence[str],
                    service: str) -> Report:
    victims: dict[str, list[str]] = defaultdict(list)
    children: dict[str, list[str]] = defaultdict(list)
    for v in work.victims.values():
        if v.is_open:
            victims[v.referral.worker or UNALLOCATED].append(v.id)
    for c in work.children.values():
        if c.is_open:
            children[c.case_holder or UNALLOCATED].append(c.id)
    overdue: dict[str, list[tuple[Evaluation, int]]] = defaultdict(list)
    today_items: dict[str, list[Evaluation]] = defaultdict(list)
    for e in _outstanding(work):
        if e.due is None:
            continue
        s = standing(e.due, today, cal)
        if s.status == "overdue":
            overdue[e.worker or UNALLOCATED].append((e, s.working_days))
        elif s.status == "today":
            today_items[e.worker or UNALLOCATED].append(e)
    workers = list(dict.fromkeys([*staff, *sorted(set(victims) | set(children) | set(overdue)
                                                   | set(today_items))]))
    rows = [_worker_row(w, victims[w], children[w], overdue[w], today_items[w]) for w in workers
            if w != UNALLOCATED or victims[w] or children[w] or overdue[w] or today_items[w]]
    everyone = [e for items in overdue.values() for e in items]
    rows.append(_worker_row("total", [i for ids in victims.values() for i in ids],
                            [i for ids in children.values() for i in ids], everyone,
                            [e for items in today_items.values() for e in items], total=True))
    columns = (Column("open-victims", "Open victim cases"),
               Column("open-children", "Open child cases"),
               Column("overdue", "Overdue items"), Column("due-today", "Due today"),
               Column("oldest", "Oldest overdue (working days)"))
    per_worker = Table("workers", "Open cases and overdue work by worker",
                       "Each worker's open cases, and the deadlines they own that have passed "
                       "or fall today.", "Worker", columns, tuple(rows), chart="overdue")
    section = Section("caseload", "Caseload", f"Open cases and outstanding work as at "
                      f"{uk_date(today)}.", (per_worker, _by_rule(everyone)), DEFINITIONS)
    return Report("caseload", "Caseload and overdue work", service, None, today, (), (section,))


def _worker_row(worker: str, victims: Sequence[str], children: Sequence[str],
                overdue: Sequence[tuple[Evaluation, int]], due_today: Sequence[Evaluation],
                total: bool = False) -> Row:
    oldest = max((days for _, days in overdue), default=None)
    oldest_fig = Figure(oldest, "days", tuple(sorted({e.case for e, _ in overdue})),
                        (len(overdue),))
    label = "All workers" if total else worker
    return Row(worker.casefold() if not total else "total", label, (
        count(victims), count(children),
        tally(len(overdue), (e.case for e, _ in overdue)),
        tally(len(due_today), (e.case for e in due_today)),
        oldest_fig), total)


def _by_rule(overdue: Sequence[tuple[Evaluation, int]]) -> Table:
    by_rule: dict[str, list[Evaluation]] = defaultdict(list)
    for e, _ in overdue:
        by_rule[e.rule.id].append(e)
    rows = [Row(rule_id, f"{evs[0].rule.title} ({rule_id})",
                (tally(len(evs), (e.case for e in evs)),))
            for rule_id, evs in sorted(by_rule.items(), key=lambda kv: (-len(kv[1]), kv[0]))]
    every = tally(len(overdue), (e.case for e, _ in overdue))
    rows.append(Row("total", "All overdue items", (every,), True))
    return Table("overdue-by-rule", "Overdue work by timescale",
                 "Overdue items of open cases, by the timescale they miss, most first.",
                 "Timescale", (Column("overdue", "Overdue items"),), tuple(rows), chart="overdue")
