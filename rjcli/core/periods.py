"""Trends: the last N quarters (or halves) of a report side by side (pure; issue 20).

A board asks "are we getting better?". ``rj report quarterly --periods 8`` works out the
report of each of the 8 quarters up to the one asked for, each exactly as it would be on
its own, and prints them side by side, oldest first (``core.combine.side_by_side``), after
a first section of three headline series drawn as line charts in HTML:

* the YJB KPI 10 engagement rate (engaged with restorative justice / consented);
* first contact attempted in time (of the victims allocated whose first contact fell due);
* timeliness: the share of every timescale that fell due in the period that was met on
  time (all rules together: met on time / fell due).

``rj report six-monthly --periods N`` does the same for half years, with one series: the
share of feedback forms satisfied or very satisfied. ``rj report code --periods N`` (of
quarters, halves or financial years) has one series per right: the victims whose outcome
was met on time, of those met on time, late or not met (the rows of ``core.coderights``).
"""

from __future__ import annotations

from collections.abc import Sequence

from rjcli.core.coderights import financial_year
from rjcli.core.combine import Service, side_by_side
from rjcli.core.reports import Column, Figure, Period, Report, Row, Section, Table, half, percent
from rjcli.core.reports import quarter as quarter_of

MOST = 12
"""The most periods a trend shows (three years of quarters, six of halves)."""
LINE = "line"
"""``Table.chart`` of a trend table: a line chart, one line per row, periods along."""
SERIES = {
    "quarterly": (
        ("engagement-rate", "KPI 10 engagement rate (engaged / consented)", "kpi10", "kpi10",
         "engagement_rate", None),
        ("first-contact-on-time", "First contact attempted in time", "activity",
         "first-contact", "on-time-rate", None),
    ),
    "six-monthly": (
        ("satisfied-share", "Satisfied or very satisfied (of the forms giving a level)",
         "satisfaction", "satisfaction", "satisfied-share", "all"),
    ),
}
"""Headline series read from a figure of each period's report, by kind of report:
(key, label, section, table, row, column or None for the first)."""
DEFINITIONS = {
    "quarterly": (
        "KPI 10 engagement rate: victims engaged with restorative justice as a percentage of "
        "those who consented to be contacted (the YJB's headline figure).",
        "First contact attempted in time: of the victims allocated whose first contact fell "
        "due, the share tried by the deadline (activity: first contact).",
        "Timescales met on time: of every timescale of every rule that fell due, the share "
        "met by its deadline (timeliness, all rules together)."),
    "six-monthly": (
        "Satisfied or very satisfied: of the feedback forms of the half year that gave a "
        "level of satisfaction, the share satisfied or very satisfied (all kinds of form).",),
    "code": (
        "Each right: of the victims whose outcome for it was met on time, met late or not met "
        "in the period (each counted once, by the worst of its instances), the share met on "
        "time; blank where nothing fell due or no rule in force evidences the right.",),
}


def periods_up_to(last: Period, n: int) -> list[Period]:
    """The ``n`` quarters (halves, financial years) up to and including ``last``, oldest
    first."""
    if last.label[5] not in "QH":  # a financial year, 2026-27
        return [financial_year(int(last.label[:4]) - back) for back in range(n)][::-1]
    year, kind, number = int(last.label[:4]), last.label[5], int(last.label[6:])
    size = 4 if kind == "Q" else 2
    found = []
    for back in range(n):
        index = year * size + number - 1 - back
        y, k = divmod(index, size)
        found.append(quarter_of(y, k + 1) if kind == "Q" else half(y, k + 1))
    return found[::-1]


def _code_rows(reports: Sequence[Report]) -> list[Row]:
    """One series per right: met on time of those met on time, late or not met."""
    def share(report: Report, right: str) -> Figure:
        try:
            row = next(r for r in report.section("code").table("code-rights").rows
                       if r.key == right)
        except StopIteration:
            return Figure(None, "percent")
        on_time, late, not_met = row.figures[:3]
        if on_time.value is None:  # no rule in force evidences the right
            return Figure(None, "percent")
        decided = Figure(sum(int(f.value or 0) for f in (on_time, late, not_met)), "count")
        return percent(on_time, decided)

    last = reports[-1].section("code").table("code-rights")
    return [Row(r.key, r.label, tuple(share(report, r.key) for report in reports))
            for r in last.rows]


def _figure(report: Report, section: str, table: str, row: str, column: str | None
            ) -> Figure:
    """One figure of a report, or one that cannot be worked out when it has none."""
    try:
        return report.section(section).table(table).figure(row, column)
    except (StopIteration, ValueError):
        return Figure(None, "percent")


def _timeliness(report: Report) -> Figure:
    """Every timescale met on time as a share of every one that fell due."""
    try:
        table = report.section("timeliness").table("timeliness")
    except StopIteration:
        return Figure(None, "percent")
    keys = [c.key for c in table.columns]
    due, on_time = keys.index("due"), keys.index("on-time")
    rows = [r for r in table.rows if not r.total]
    part = Figure(sum(int(r.figures[on_time].value or 0) for r in rows), "count",
                  tuple(c for r in rows for c in r.figures[on_time].cases))
    whole = Figure(sum(int(r.figures[due].value or 0) for r in rows), "count")
    return percent(part, whole)


def trend_section(periods: Sequence[Period], reports: Sequence[Report], word: str) -> Section:
    """The headline series over ``periods`` (oldest first), one report each."""
    columns = tuple(Column(p.label, p.label) for p in periods)
    kind = reports[-1].kind
    if kind == "annual":  # a year's figures are the quarterly report's, counted over a year
        kind = "quarterly"
    rows = [Row(key, label, tuple(_figure(r, *where) for r in reports))
            for key, label, *where in SERIES.get(kind, ())]
    if kind == "code":
        rows = _code_rows(reports)
    if kind == "quarterly":
        rows.append(Row("timeliness-on-time", "Timescales met on time (all rules)",
                        tuple(_timeliness(r) for r in reports)))
    first, last = columns[0].heading, columns[-1].heading
    table = Table("trends", f"Trends, {first} to {last}",
                  f"Each {word}'s figure as that {word}'s own report gives it.", "Figure",
                  columns, tuple(rows), chart=LINE)
    return Section(
        "trends", "Trends", f"The last {len(reports)} {word}s, oldest first: are we getting "
        "better? Every section after this one gives each figure of each "
        f"{word} side by side.", (table,), DEFINITIONS.get(kind, ()))


def trends_report(periods: Sequence[Period], reports: Sequence[Report], word: str) -> Report:
    """The reports of consecutive ``periods`` (oldest first, one report each) side by side,
    with the trends first."""
    columns = [Service(p.label, p.label, r, ()) for p, r in zip(periods, reports, strict=True)]
    first, last = periods[0], periods[-1]
    notes = [f"The last {len(periods)} {word}s side by side, oldest first: {first.label} to "
             f"{last.label}. Each {word} is counted as its own report counts it, on the day "
             "this report was run."]
    notes += [f"{p.label}: {note}" for p, r in zip(periods, reports, strict=True)
              for note in r.notes]
    together = side_by_side(columns, notes)
    span = Period(f"{first.label} to {last.label}", first.start, last.end)
    report = reports[-1]
    return Report(report.kind, f"{report.title}: trends", report.service, span, report.today,
                  together.notes, (trend_section(periods, reports, word), *together.sections))
