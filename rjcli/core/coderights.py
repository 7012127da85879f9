"""Victims' Code evidence: one row per right the service delivers (pure; issue 20).

Each right is a row of ``policy/code-rights.yaml`` (a casebook may replace it) naming
the timescale rules whose instances evidence it. The figures reuse the deadline
engine's instances (``rjcli.core.deadlines``) exactly as the timeliness section counts
them, so the two never disagree:

- an instance of one of the right's rules that fell due in the period (``counted``:
  started, and not cancelled on or before its deadline) is *met on time*, *met late*,
  *not met* (ended unmet, or its deadline passed before today with nothing recorded)
  or *not due yet* (still open, deadline today or later: only in a period not over);
- each victim (record) is counted once per right, by the worst of their instances
  due in the period (not met, then late, then not due yet, then on time), so every
  figure counts victims and ``--explain`` lists exactly the ids counted;
- *not applicable* counts the victims allocated in the period for whom none of the
  right's rules fell due at all (as the first-contact table of the quarterly report).

A right none of whose rules is in force shows "-" in every column, never a zero.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from rjcli.core.reports import (Casework, Column, Figure, Period, Report, Row, Section,
                                Table, count, not_over)


@dataclass(frozen=True)
class CodeRight:
    """A right of the Victims' Code the service delivers, and what evidences it."""

    id: str
    """Stable key (JSON, CSV): ``rj-information``."""
    title: str
    """The right, in words."""
    source: str
    """The paragraphs it comes from: "YJB §23; Wokingham 5"."""
    rules: tuple[str, ...]
    """Ids of the timescale rules whose instances evidence it."""
    code: str | None = None
    """The public source outside the seeds (the Code of Practice 2020, right number)."""
    description: str = ""
    """What delivering it means."""


@dataclass(frozen=True)
class CodeRights:
    """The list in force (``policy/code-rights.yaml``)."""

    title: str
    """Heading of the section."""
    source: str
    """Where the list comes from."""
    rights: tuple[CodeRight, ...]
    """One per row."""


def code_rights_from_data(data: Mapping[str, Any]) -> CodeRights:
    """The list from a file already checked against ``schemas/code-rights.schema.json``."""
    rights = tuple(CodeRight(r["id"], " ".join(str(r["title"]).split()), r["source"],
                             tuple(r.get("rules") or ()), r.get("code"),
                             " ".join(str(r.get("description") or "").split()))
                   for r in data["rights"])
    return CodeRights(data["title"], data["source"], rights)


COLUMNS = (Column("on-time", "Met on time"), Column("late", "Met late"),
           Column("not-met", "Not met"), Column("not-due", "Not due yet"),
           Column("not-applicable", "Not applicable"))

NO_EVIDENCE = Figure(None, "none")
"""Shown as "-": no rule in force evidences the right (a zero would claim it was counted)."""


OUTCOMES = ("not-met", "late", "not-due", "on-time")
"""A victim's outcome for a right is the worst of its instances due in the period."""


def _outcome(e: Any, today: date) -> str:
    if e.met_on is not None:
        return "late" if e.late else "on-time"
    return "not-met" if e.ended or e.due < today else "not-due"


def _cells(evs: Sequence[Any], cohort: Sequence[str], today: date) -> tuple[Figure, ...]:
    """The five figures of one right: each victim once, by the worst of their instances
    due in the period; then the victims it did not apply to."""
    worst: dict[str, int] = {}
    for e in evs:
        rank = OUTCOMES.index(_outcome(e, today))
        worst[e.case] = min(rank, worst.get(e.case, rank))
    by = {name: count(case for case, rank in worst.items() if OUTCOMES[rank] == name)
          for name in OUTCOMES}
    return by["on-time"], by["late"], by["not-met"], by["not-due"], count(cohort)


def code_table(work: Casework, period: Period, today: date, rights: CodeRights) -> Table:
    """One row per right: its evidence rules' instances due in the period, by outcome."""
    in_force = {r.id for r in work.rules}
    allocated = [v.id for _, v in sorted(work.victims.items()) if v.referral.allocated in period]
    instances = [e for evs in work.evaluations.values() for e in evs]
    rows = []
    for right in rights.rights:
        rules = {r for r in right.rules if r in in_force}
        if not rules:
            rows.append(Row(right.id, right.title, (NO_EVIDENCE,) * len(COLUMNS)))
            continue
        evidence = [e for e in instances if e.rule.id in rules and e.counted]
        due = [e for e in evidence if e.due in period]
        applied = {e.case for e in evidence}
        cohort = [v for v in allocated if v not in applied]
        rows.append(Row(right.id, right.title, _cells(due, cohort, today)))
    return Table("code-rights", "Rights delivered", (
        "Victims, each counted once per right by the worst of its timescale rules' "
        "instances that fell due this period (not met, then late, then not due yet); and "
        "the victims allocated this period to whom none of its rules applied."), "Right",
        COLUMNS, tuple(rows))


def _definition(right: CodeRight, in_force: set[str]) -> str:
    used = [r for r in right.rules if r in in_force]
    skipped = [r for r in right.rules if r not in in_force]
    where = right.source + (f"; {right.code}" if right.code else "")
    if used:
        how = "evidenced by the rules " + ", ".join(used)
    else:
        how = "no rule in force evidences it (shown as -)"
    if skipped:
        how += " (not in force here: " + ", ".join(skipped) + ")"
    about = f" {right.description}" if right.description else ""
    return f"{right.title} ({where}): {how}.{about}"


def code_section(work: Casework, period: Period, today: date, rights: CodeRights) -> Section:
    """The Victims' Code section: the table, and each right's source and evidence."""
    in_force = {r.id for r in work.rules}
    table = code_table(work, period, today, rights)
    return Section(
        "code", rights.title,
        f"Rights of the Victims' Code delivered from {period.words()} ({rights.source}). "
        "Each row counts victims by the timescale rules that evidence the right.",
        (table,), tuple(_definition(r, in_force) for r in rights.rights))


def code_report(work: Casework, period: Period, today: date, service: str,
                rights: CodeRights) -> Report:
    """``rj report code``: one section, one row per right."""
    return Report("code", "Victims' Code: rights delivered", service, period, today,
                  not_over(period, today), (code_section(work, period, today, rights),))


def financial_year(year: int) -> Period:
    """The financial year that starts on 1 April ``year`` (label ``2026-27``)."""
    return Period(f"{year}-{(year + 1) % 100:02d}", date(year, 4, 1), date(year + 1, 3, 31))
