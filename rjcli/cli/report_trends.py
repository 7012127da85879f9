"""``rj report quarterly --periods N`` (and ``six-monthly``): the last N quarters (half
years) side by side (issue 20).

Each period's report is worked out as the report of that one period is on its own, then
``rjcli.core.periods`` puts them side by side with the trend charts first.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from rjcli.errors import BadInput

if TYPE_CHECKING:
    from rjcli.core.problems import Problem
    from rjcli.core.reports import Period

Periods = Annotated[int, typer.Option(
    "--periods", help="Show the last N periods (quarters, half years or years) up to the one asked "
    "for, side by side, with trend charts in HTML (1 to 12).")]


def check_periods(n: int, several: bool) -> None:
    """Refused: a number of periods outside 1 to MOST, or trends of several casebooks."""
    from rjcli.core.periods import MOST

    if not 1 <= n <= MOST:
        raise BadInput(f"--periods {n} is not a number of periods rj shows",
                       hint=f"give 1 to {MOST}: --periods 8 is two years of quarters")
    if n > 1 and several:
        raise BadInput("--periods and several casebooks (-C ... -C ...) were both given",
                       hint="a trend is one service's: give one casebook with --periods, or "
                       "several casebooks for one quarter")


def trend_quarterly(last: Period, n: int, fmt: str, out_path: Path | None, suppress: bool,
                    explain: bool, force: bool) -> None:
    """The quarterly reports of the ``n`` quarters up to ``last``, side by side."""
    from rjcli.cli.context import current
    from rjcli.cli.report import emit, load_quarter
    from rjcli.core.periods import periods_up_to, trends_report
    from rjcli.core.reports import quarterly_report
    from rjcli.storage.policy import load_calendar

    ctx = current()
    service = ctx.casebook.config.service.name
    periods = periods_up_to(last, n)
    reports, problems = [], []
    # without the index every record is read for any quarter: read the files once
    everything = None if ctx.use_cache else load_quarter(ctx, last)
    for period in periods:
        work, not_read = everything if everything else load_quarter(ctx, period)
        calendar = work.calendar or load_calendar(ctx.casebook, ctx.today)
        reports.append(quarterly_report(work, period, ctx.today, service, calendar))
        problems += [p for p in not_read if p not in problems]
    problems_found: list[Problem] = sorted(problems)
    emit(trends_report(periods, reports, "quarter"), fmt, out_path, suppress, explain,
         problems_found, f"report-{periods[0].label}-to-{last.label}", force)


def trend_six_monthly(last: Period, n: int, fmt: str, out_path: Path | None, suppress: bool,
                      explain: bool, force: bool) -> None:
    """The six-monthly reports of the ``n`` half years up to ``last``, side by side."""
    from rjcli.cli.context import current
    from rjcli.cli.report import emit, load_six_monthly, question_texts
    from rjcli.core.periods import periods_up_to, trends_report
    from rjcli.core.reports import Period
    from rjcli.core.satisfaction import six_monthly_report

    ctx = current()
    service = ctx.casebook.config.service.name
    periods = periods_up_to(last, n)
    span = Period(f"{periods[0].label}-{last.label}", periods[0].start, last.end)
    work, problems = load_six_monthly(ctx, span)  # every half's feedback is in it
    questions = question_texts(ctx.casebook.root)
    reports = [six_monthly_report(work, p, ctx.today, service, questions) for p in periods]
    emit(trends_report(periods, reports, "half year"), fmt, out_path, suppress, explain,
         problems, f"report-{periods[0].label}-to-{last.label}", force)


def trend_code(last: Period, n: int, fmt: str, out_path: Path | None, suppress: bool,
               explain: bool, force: bool) -> None:
    """The Victims' Code reports of the ``n`` periods (quarters, halves or financial years)
    up to ``last``, side by side, with each right's share met on time as a trend."""
    from rjcli.cli.context import current
    from rjcli.cli.report import emit, load_quarter
    from rjcli.core.coderights import code_report
    from rjcli.core.periods import periods_up_to, trends_report
    from rjcli.core.reports import Period
    from rjcli.storage.coderights import load_code_rights

    ctx = current()
    service = ctx.casebook.config.service.name
    periods = periods_up_to(last, n)
    rights = load_code_rights(ctx.casebook)
    span = Period(f"{periods[0].label}-{last.label}", periods[0].start, last.end)
    work, problems = load_quarter(ctx, span)  # what every one of the periods needs
    reports = [code_report(work, p, ctx.today, service, rights) for p in periods]
    word = {"Q": "quarter", "H": "half year"}.get(last.label[5], "year")
    emit(trends_report(periods, reports, word), fmt, out_path, suppress, explain, problems,
         f"code-{periods[0].label}-to-{last.label}", force)
