"""What listings, ``rj due`` and reports read: record summaries and due work.

Served from the rebuildable index when it is fresh (see ``index.py``), else by
reading every file; both paths give identical results.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from typing import TYPE_CHECKING

from rjcli.core.calendar import WorkingCalendar
from rjcli.core.due import DueItem
from rjcli.core.problems import Problem
from rjcli.core.summary import RecordSummary
from rjcli.storage.casebook import Casebook, Loaded
from rjcli.storage.index import open_index

if TYPE_CHECKING:
    from rjcli.core.deadlines import Evaluation
    from rjcli.core.policy import Policy


@dataclass
class Snapshot:
    records: list[RecordSummary] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def summaries(casebook: Casebook, today: date, use_cache: bool = True) -> Snapshot:
    """Every record's summary, sorted by folder then id, and the unreadable files."""
    index = open_index(casebook, today, progress_bar) if use_cache else None
    if index is not None:
        records, problems = index.summaries(), index.problems()
        index.close()
    else:
        from rjcli.core.summary import child_summary, victim_summary

        loaded = casebook.load_all()
        records = [victim_summary(v) for v in loaded.victims.values()]
        records += [child_summary(c) for c in loaded.children.values()]
        problems = sorted(loaded.problems)
    records.sort(key=lambda s: (s.folder != "victims", s.id))
    return Snapshot(records=records, problems=problems)


def progress_bar(total: int, _done: int) -> Callable[[int], None]:
    """A Rich progress bar on stderr while many files are read (only at a terminal)."""
    import sys

    if not sys.stderr.isatty():
        return lambda _n: None
    from rich.progress import Progress

    bar = Progress(transient=True)
    task = bar.add_task(f"Reading {total} records", total=total)
    bar.start()
    seen = [0]

    def tick(n: int) -> None:
        seen[0] += n
        bar.update(task, advance=n)
        if seen[0] >= total - 100:
            bar.stop()

    return tick


@dataclass
class DueWork:
    """Outstanding work of open cases, with what is needed to show it."""

    items: list[DueItem]
    problems: list[Problem]
    calendar: WorkingCalendar


def staff_by_role(casebook: Casebook) -> dict[str, str]:
    roles: dict[str, str] = {}
    for member in casebook.config.staff:
        roles.setdefault(member.role, member.name)
    return roles


def evaluate_loaded(loaded: Loaded, policy: Policy, cal: WorkingCalendar,
                    roles: dict[str, str]) -> dict[str, list[Evaluation]]:
    """Every rule instance of every record (open or closed), by record id."""
    from rjcli.core.deadlines import child_case, evaluate_case, victim_case

    out: dict[str, list[Evaluation]] = {}
    for v in loaded.victims.values():
        out[v.id] = evaluate_case(victim_case(v, loaded.children, roles), policy, cal)
    for c in loaded.children.values():
        out[c.id] = evaluate_case(child_case(c, loaded.victims, roles), policy, cal)
    return out


def due_work(casebook: Casebook, today: date, use_cache: bool = True) -> DueWork:
    """Outstanding items of open cases (today only decides their standing later)."""
    index = open_index(casebook, today, progress_bar) if use_cache else None
    if index is not None:
        work = DueWork(items=index.due_items(), problems=index.problems(),
                       calendar=index.calendar(today))
        index.close()
        return work
    from rjcli.core.due import items_from
    from rjcli.storage.policy import load_calendar, load_policy

    policy = load_policy(casebook)
    cal = load_calendar(casebook, today)
    loaded = casebook.load_all()
    evaluations = evaluate_loaded(loaded, policy, cal, staff_by_role(casebook))
    names = {v.id: v.name or "" for v in loaded.victims.values()}
    names.update({c.id: c.name or "" for c in loaded.children.values()})
    open_ids = {v.id for v in loaded.victims.values() if v.is_open}
    open_ids |= {c.id for c in loaded.children.values() if c.is_open}
    items = [i for case_id, evs in evaluations.items() if case_id in open_ids
             for i in items_from(evs, names)]
    return DueWork(items=items, problems=sorted(loaded.problems), calendar=cal)
