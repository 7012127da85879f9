"""Several services' reports added up into one (pure; issue 20).

A regional partnership, or one service with a casebook per team, reports each service's
figures and the total: ``rj report quarterly -C east -C west``. Each casebook's report is
worked out on its own (its own records, policy and calendar), then put side by side:

* a table of one column (KPI 10, first contact, outcomes...) gets one column for all the
  services together, then one per service;
* a table of several columns (referrals by source and stage, timeliness...) is printed
  for all the services together, then once per service.

Counts are added; a percentage is worked out again from the added counts it came from
(66.7% of 3 and 50% of 2 is 3 of 5, not 58.3%); a median of days is given per service
only (the median of the medians is not the median of all the cases).

A timescale counts against its rule. When a rule is not the same in every casebook (not
in force in one, a different timescale, other conditions), its figures are not added up:
they are shown for each service, the total is left out, and a note names the rule and
how it differs. Two casebooks on different policy profiles are still added up on every
figure that does not depend on a rule (KPI 10, service activity, outcomes...).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from rjcli.core.policy import Rule
from rjcli.core.reports import Column, Figure, Report, Row, Section, Table

ALL = "all"
"""Key of the all-services column."""
ALL_HEADING = "All services"
RULE_TABLES = {("activity", "first-contact"): "first-contact"}
"""Tables (section, table) whose every figure counts one rule's instances."""
RULE_ROWS = {("timeliness", "timeliness")}
"""Tables (section, table) with one row per rule, keyed by the rule's id."""


@dataclass(frozen=True)
class Service:
    """One casebook's report in the combined one."""

    key: str
    """A short stable key (the casebook's folder name): column keys, CSV, JSON."""
    name: str
    """The service's name, as headed."""
    report: Report
    """Its own report."""
    rules: tuple[Rule, ...]
    """The rules in force in that casebook."""


# --- which rules differ -----------------------------------------------------------------------


def _terms(rule: Rule) -> Rule:
    """What a rule counts (who, from what, how long, met by what), less its wording."""
    return replace(rule, title="", description="", source="", owner="", profile="")


def differing_rules(services: Sequence[Service]) -> dict[str, str]:
    """Rule id -> how it differs between the casebooks, for every rule that is not the
    same in all of them (not in force in some, or counting otherwise)."""
    by_id: dict[str, dict[str, Rule]] = {}
    for service in services:
        for rule in service.rules:
            by_id.setdefault(rule.id, {})[service.key] = rule
    found: dict[str, str] = {}
    for rule_id, rules in by_id.items():
        terms = {_terms(r) for r in rules.values()}
        if len(rules) == len(services) and len(terms) == 1:
            continue
        found[rule_id] = "; ".join(
            f"{s.name}: " + (f"{rules[s.key].timing_text()} ({rules[s.key].profile or 'rj.yaml'})"
                             if s.key in rules else "not in force")
            for s in services)
    return found


# --- adding figures ------------------------------------------------------------------------------


def _absent(kind: str) -> Figure:
    """A figure a service's table does not have (a row only another service has)."""
    return Figure(0 if kind == "count" else None, kind, (), (0, 0) if kind == "percent" else ())


def added(figures: Sequence[Figure]) -> Figure:
    """The figures of several services as one (see the module docstring)."""
    kind = figures[0].kind
    cases = tuple(c for f in figures for c in f.cases)
    if kind == "count":
        return Figure(sum(int(f.value or 0) for f in figures), kind, cases)
    if kind == "percent" and all(len(f.basis) == 2 for f in figures):
        part = sum(f.basis[0] for f in figures)
        whole = sum(f.basis[1] for f in figures)
        return Figure(round(100 * part / whole, 1) if whole else None, kind, cases,
                      (part, whole))
    return Figure(None, kind, cases, ())  # a median: per service only


def _own(figure: Figure, key: str) -> Figure:
    """A service's figure, its case ids prefixed with the service (ids repeat between
    casebooks: V-0001 of one is not V-0001 of another)."""
    return replace(figure, cases=tuple(f"{key}:{c}" for c in figure.cases))


# --- tables ---------------------------------------------------------------------------------


def _rows(tables: Sequence[Table | None]) -> list[Row]:
    """Every row any service's table has, in the order first met."""
    seen: dict[str, Row] = {}
    for table in tables:
        for row in table.rows if table else ():
            seen.setdefault(row.key, row)
    return list(seen.values())


def _figures(table: Table | None, row: Row, column: int) -> Figure:
    kind = row.figures[column].kind
    if table is None:
        return _absent(kind)
    found = next((r for r in table.rows if r.key == row.key), None)
    return found.figures[column] if found else _absent(kind)


def _side_by_side(tables: Sequence[Table | None], services: Sequence[Service],
                  total: bool) -> Table:
    """A one-column table: all services (when ``total``), then one column per service."""
    first = next(t for t in tables if t is not None)
    columns = ((Column(ALL, ALL_HEADING),) if total else ()) + tuple(
        Column(s.key, s.name) for s in services)
    rows = []
    for row in _rows(tables):
        own = [_own(_figures(t, row, 0), s.key) for t, s in zip(tables, services, strict=True)]
        figures = ((added(own),) if total else ()) + tuple(own)
        rows.append(Row(row.key, row.label, figures, row.total))
    chart = ALL if total and first.chart else None  # periods side by side: a line chart
    return replace(first, columns=columns, rows=tuple(rows), chart=chart)


def _one_after_another(tables: Sequence[Table | None], services: Sequence[Service],
                       left_out: Mapping[str, str], total: bool) -> list[Table]:
    """A table of several columns: all services (less the rows ``left_out``; none when not
    ``total``), then each."""
    first = next(t for t in tables if t is not None)
    out = [] if not total else [_all_of(first, tables, services, left_out)]
    for table, service in zip(tables, services, strict=True):
        if table is not None:
            # without a total, the last (the period asked for) keeps the table's own key:
            # JSON's "kpi10" headline is that period's, as in its own report
            last = not total and service is services[-1]
            out.append(replace(table, key=table.key if last else f"{table.key}.{service.key}",
                               title=f"{table.title}: {service.name}",
                               chart=table.chart if total else None,
                               rows=tuple(Row(r.key, r.label,
                                              tuple(_own(f, service.key) for f in r.figures),
                                              r.total) for r in table.rows)))
    return out


def _all_of(first: Table, tables: Sequence[Table | None], services: Sequence[Service],
            left_out: Mapping[str, str]) -> Table:
    total_rows = []
    for row in _rows(tables):
        if row.key in left_out:
            continue
        figures = tuple(added([_own(_figures(t, row, i), s.key)
                               for t, s in zip(tables, services, strict=True)])
                        for i in range(len(first.columns)))
        total_rows.append(Row(row.key, row.label, figures, row.total))
    return replace(first, title=f"{first.title}: {ALL_HEADING.lower()}", rows=tuple(total_rows))


def _section(key: str, services: Sequence[Service], differ: Mapping[str, str],
             total: bool = True) -> Section:
    sections = [next((s for s in sv.report.sections if s.key == key), None) for sv in services]
    first = next(s for s in sections if s is not None)
    tables: list[Table] = []
    notes: list[str] = []
    for table in first.tables:
        own = [next((t for t in s.tables if t.key == table.key), None) if s else None
               for s in sections]
        rule = RULE_TABLES.get((key, table.key))
        if len(table.columns) == 1:
            tables.append(_side_by_side(own, services, total=total and rule not in differ))
            if rule in differ:
                notes.append(f"{table.title}: not added up, the rule {rule} differs "
                             f"({differ[rule]}).")
        else:
            left_out = differ if (key, table.key) in RULE_ROWS else {}
            tables += _one_after_another(own, services, left_out, total)
            for row in _rows(own):
                if row.key in left_out:
                    notes.append(f"{row.label}: not in the total of all services, the rule "
                                 f"differs ({left_out[row.key]}); each service's own figures "
                                 "follow.")
    medians = total and any(f.kind == "days" for t in first.tables for r in t.rows
                            for f in r.figures)
    if medians:
        notes.append("Medians are given for each service only: the median of the medians is "
                     "not the median of all the cases.")
    intros = [(sv.name, s.intro) for sv, s in zip(services, sections, strict=True) if s]
    intro = first.intro if len({i for _, i in intros}) == 1 else " ".join(
        f"{name}: {text}" for name, text in intros)  # "allocated ...: 9" is one service's
    definitions = dict.fromkeys(d for s in sections if s for d in s.definitions)
    return replace(first, intro=intro, tables=tuple(tables),
                   definitions=(*definitions, *notes))


def side_by_side(columns: Sequence[Service], notes: Sequence[str]) -> Report:
    """Reports side by side with no total (the same service's periods: a trend), each
    ``Service`` a period; ``notes`` under the heading."""
    keys = list(dict.fromkeys(s.key for sv in columns for s in sv.report.sections))
    return replace(columns[-1].report, notes=tuple(notes),
                   sections=tuple(_section(k, columns, {}, total=False) for k in keys))


def combined_report(services: Sequence[Service]) -> Report:
    """The services' reports (all of one kind and period) as one, with the total."""
    first = services[0].report
    differ = differing_rules(services)
    keys = list(dict.fromkeys(s.key for sv in services for s in sv.report.sections))
    names = ", ".join(s.name for s in services)
    notes = [f"Adds up {len(services)} casebooks: {names}. Each service's figures follow "
             "the total of all services."]
    if differ:
        notes.append(f"Policy rules that differ between the casebooks are not added up: "
                     f"{', '.join(differ)} (each table says how).")
    for service in services:
        notes += [f"{service.name}: {note}" for note in service.report.notes]
    return replace(first, service=names, notes=tuple(notes),
                   sections=tuple(_section(k, services, differ) for k in keys))
