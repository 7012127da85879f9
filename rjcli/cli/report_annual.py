"""``rj report annual --year 2026``: the board's annual report (issue 20).

Registered on ``rj report`` by ``rjcli/cli/report.py`` (one line there)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from rjcli.cli.context import current
from rjcli.cli.report_trends import Periods

if TYPE_CHECKING:
    from rjcli.core.problems import Problem
    from rjcli.core.reports import Period, Report


def annual(
    year: Annotated[int | None, typer.Option(
        help="The financial year, by the year it starts in: 2026 is April 2026 to March 2027 "
        "(default: the last complete one).", show_default=False)] = None,
    fmt: Annotated[str, typer.Option("--format", help="table, md, csv, json, html or xlsx."
                                     )] = "table",
    out_path: Annotated[Path | None, typer.Option(
        "--out", help="Write to this file (html and xlsx default to output/).")] = None,
    suppress_small: Annotated[bool, typer.Option(
        "--suppress-small", help="For publication: counts from 1 to 4 show as <5.")] = False,
    explain: Annotated[bool, typer.Option(
        "--explain", help="Internal use only: the case ids behind every figure.")] = False,
    force: Annotated[bool, typer.Option(
        "--force", help="Replace an --out file that rj did not write.")] = False,
    periods: Periods = 1,
) -> None:
    """The annual report for the board: the four quarters' trends (KPI 10 engagement,
    first contact in time, timescales met), then KPI 10, service activity, timeliness and
    data quality counted over the financial year, the Victims' Code rights, and the
    year's feedback (Tower Hamlets Monitoring and Evaluation). With --periods N, the last
    N financial years side by side, each as its own annual report counts it.

    No names, dates of birth or record ids are printed (unless --explain).
    Example: rj report annual --year 2026 --format html
    """
    from rjcli.cli.report import _check_format, _code_period, emit
    from rjcli.cli.report_trends import check_periods
    from rjcli.core.periods import periods_up_to, trends_report

    ctx = current()
    fmt = _check_format(fmt)
    if year is None:  # the last complete financial year
        year = ctx.today.year - (1 if ctx.today.month >= 4 else 2)
    period = _code_period(None, None, year, ctx.today)  # checks --year as rj report code does
    check_periods(periods, several=False)
    if periods == 1:
        report, found = annual_of(period)
        emit(report, fmt, out_path, suppress_small, explain, found, f"annual-{period.label}",
             force)
        return
    years = periods_up_to(period, periods)
    reports, problems = [], set()
    for each in years:
        one, found = annual_of(each)
        # each year's quarter-by-quarter trends (and the note saying so) give way to the
        # years' trends
        reports.append(replace(one, sections=one.sections[1:], notes=one.notes[1:]))
        problems |= set(found)
    emit(trends_report(years, reports, "year"), fmt, out_path, suppress_small, explain,
         sorted(problems), f"annual-{years[0].label}-to-{period.label}", force)


def annual_of(period: Period) -> tuple[Report, list[Problem]]:
    """The annual report of one financial year, and the records it could not read."""
    from rjcli.cli.report import load_quarter, load_six_monthly, question_texts
    from rjcli.core.annual import annual_report, quarters_of
    from rjcli.core.coderights import code_section
    from rjcli.core.reports import quarterly_report
    from rjcli.core.satisfaction import six_monthly_report
    from rjcli.storage.coderights import load_code_rights
    from rjcli.storage.policy import load_calendar

    ctx = current()
    service = ctx.casebook.config.service.name
    work, problems = load_quarter(ctx, period)
    calendar = work.calendar or load_calendar(ctx.casebook, ctx.today)
    whole = quarterly_report(work, period, ctx.today, service, calendar)
    quarters = quarters_of(period.start.year)
    by_quarter = []
    for q in quarters:
        q_work, _ = load_quarter(ctx, q)
        by_quarter.append(quarterly_report(q_work, q, ctx.today, service,
                                           q_work.calendar or calendar))
    code = code_section(work, period, ctx.today, load_code_rights(ctx.casebook))
    feedback_work, more = load_six_monthly(ctx, period)
    feedback = six_monthly_report(feedback_work, period, ctx.today, service,
                                  question_texts(ctx.casebook.root))
    report = annual_report(period, whole, quarters, by_quarter, code, feedback)
    return report, sorted(set(problems) | set(more))
