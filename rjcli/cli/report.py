"""``rj report``: quarterly (YJB KPI 10, service activity, timeliness), six-monthly
(satisfaction and feedback) and caseload reports, in six formats."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from rjcli.cli.context import AppContext, current
from rjcli.cli.report_combine import Casebooks
from rjcli.cli.report_trends import Periods
from rjcli.errors import BadInput, RjError

if TYPE_CHECKING:
    from rjcli.core.calendar import WorkingCalendar
    from rjcli.core.problems import Problem
    from rjcli.core.reports import Casework, Period, Report

HELP_ORDER = 75

report_app = typer.Typer(
    help="Reports for managers and the Youth Justice Board: quarterly, six-monthly, caseload.\n\n"
         "Example: rj report quarterly --quarter 2026-Q1 --format html",
    no_args_is_help=True,
)

Format = Annotated[str, typer.Option(
    "--format", "-f", help="table, md, csv, json, html or xlsx (html and xlsx are written to a "
    "file: --out, else output/ in the casebook).")]
Out = Annotated[Path | None, typer.Option(
    "--out", "-o", help="Write to this file instead of the screen.", show_default=False)]
Force = Annotated[bool, typer.Option(
    "--force", help="Replace the --out file even if rj did not write it.")]
Suppress = Annotated[bool, typer.Option(
    "--suppress-small", help="For publication: show counts from 1 to 4 as <5 (and rates "
    "worked out from them as -).")]
Explain = Annotated[bool, typer.Option(
    "--explain", help="Internal use only: list the case ids behind every figure.")]


@report_app.callback()
def _collector_paused(ctx: typer.Context) -> None:
    # A report builds a few thousand records, all plain values with no reference cycles,
    # counts them and ends: Python's cycle collector, run every 700 new objects, would
    # only walk them again and again (~5% of a report's time). Paused for the report's
    # run, back when it ends (also when it fails).
    import gc

    if gc.isenabled():
        gc.disable()
        ctx.call_on_close(gc.enable)


# --- reading the casebook ----------------------------------------------------------------


def load_casework(ctx: AppContext, evaluate: str = "all"
                  ) -> tuple[Casework, list[Problem], WorkingCalendar]:
    """Every record (from the index when it is fresh, else the files; the same either
    way), linked, with the rule instances of ``evaluate`` records worked out: ``all``,
    ``open`` (the caseload) or ``none`` (feedback needs no deadlines)."""
    from rjcli.core.model import child_from_dict, victim_from_dict
    from rjcli.core.reports import Casework
    from rjcli.storage.casebook import Loaded
    from rjcli.storage.index import open_index
    from rjcli.storage.snapshot import evaluate_loaded, progress_bar, staff_by_role

    casebook = ctx.casebook
    index = open_index(casebook, ctx.today, progress_bar) if ctx.use_cache else None
    cached = None
    if index is not None:
        try:
            loaded = Loaded(
                victims={i: victim_from_dict(d) for i, d in index.data("victim")},
                children={i: child_from_dict(d) for i, d in index.data("child")},
                problems=index.problems())
            policy, cal = index.policy(), index.calendar(ctx.today)
            if evaluate == "all":  # the index keeps every rule instance: no re-evaluation
                cached = index.evaluations(policy)
        finally:
            index.close()
    else:
        from rjcli.storage.policy import load_calendar, load_policy

        loaded = casebook.load_all()
        policy, cal = load_policy(casebook), load_calendar(casebook, ctx.today)
    roles = staff_by_role(casebook)
    if cached is not None:
        evaluations = cached
    elif evaluate == "all":
        evaluations = evaluate_loaded(loaded, policy, cal, roles)
    else:
        from rjcli.core.deadlines import child_case, evaluate_case, victim_case

        wanted = evaluate == "open"
        evaluations = {v.id: evaluate_case(victim_case(v, loaded.children, roles), policy, cal)
                       for v in loaded.victims.values() if wanted and v.is_open}
        evaluations |= {c.id: evaluate_case(child_case(c, loaded.victims, roles), policy, cal)
                        for c in loaded.children.values() if wanted and c.is_open}
    work = Casework(dict(sorted(loaded.victims.items())), dict(sorted(loaded.children.items())),
                    evaluations, policy.enabled())
    return work, sorted(loaded.problems), cal


CASELOAD_FIELDS = ("id", "status_history", "referral", "case_holder")
"""The fields of an open record the caseload report reads (its status, who holds it)."""


def load_caseload(ctx: AppContext) -> tuple[Casework, list[Problem], WorkingCalendar]:
    """The open records and their outstanding items (from the index: a fifth of the
    records, the items as ``rj due`` reads them, nothing evaluated), else every record.
    Both give the same report (tests/test_index_settings.py compares them)."""
    from rjcli.core.model import child_from_dict, victim_from_dict
    from rjcli.core.reports import Casework
    from rjcli.storage.index import open_index
    from rjcli.storage.snapshot import progress_bar

    index = open_index(ctx.casebook, ctx.today, progress_bar) if ctx.use_cache else None
    if index is None:
        return load_casework(ctx, evaluate="open")
    try:
        policy, cal = index.policy(), index.calendar(ctx.today)
        victims, children = {}, {}
        # what caseload_report reads of a record: its id, status, worker or case holder
        for kind, record_id, data in index.open_data(CASELOAD_FIELDS):
            if kind == "victim":
                victims[record_id] = victim_from_dict(data)
            else:
                children[record_id] = child_from_dict(data)
        work = Casework(dict(sorted(victims.items())), dict(sorted(children.items())),
                        dict(sorted(index.outstanding(policy).items())), policy.enabled())
        return work, sorted(index.problems()), cal
    finally:
        index.close()


SIX_MONTHLY_FIELDS = ("id", "feedback", "complaints")
"""The fields of a victim's record the six-monthly report reads."""


def load_six_monthly(ctx: AppContext, period: Period) -> tuple[Casework, list[Problem]]:
    """The victims with feedback or complaints dated in the period (or not dated as an
    ISO date: the report's own reading decides), and everyone's identifiers when first
    needed (kept out of the report's text), from the index; else every record. Both give
    the same report (tests/test_index_settings.py, tests/test_check_index.py)."""
    from rjcli.core.model import victim_from_dict
    from rjcli.core.reports import Casework
    from rjcli.storage.index import open_index
    from rjcli.storage.snapshot import progress_bar

    index = open_index(ctx.casebook, ctx.today, progress_bar) if ctx.use_cache else None
    if index is None:
        work, problems, _ = load_casework(ctx, evaluate="none")
        return work, problems
    try:
        victims = {record_id: victim_from_dict(data) for _, record_id, data in
                   index.dated_in("victim", SIX_MONTHLY_FIELDS, SIX_MONTHLY_FIELDS[1:],
                                  period.start, period.end)}
        work = Casework(dict(sorted(victims.items())), {}, people=index.people,
                        verdicts=index.verdicts())
        return work, sorted(index.problems())
    finally:
        index.close()


def load_quarter(ctx: AppContext, period: Period) -> tuple[Casework, list[Problem]]:
    """The records one quarter's report counts, with every record linked to them (from
    the index: a few hundred records instead of every one), else every record. Both give
    the same report (tests/test_reports.py and tests/test_index.py compare them)."""
    from rjcli.core.model import child_from_dict, victim_from_dict
    from rjcli.core.reports import Casework
    from rjcli.storage.index import open_index
    from rjcli.storage.snapshot import progress_bar

    index = open_index(ctx.casebook, ctx.today, progress_bar) if ctx.use_cache else None
    if index is None:
        work, problems, cal = load_casework(ctx)
        return replace(work, calendar=cal), problems
    try:
        verdicts = index.verdicts()  # before the identifiers they hold for are read
        start, end = period.start, period.end
        allocated = index.ids_between("victim", "allocated", start, end)
        ended = index.ids_between("child", "order_end", start, end)
        # KPI 10 counts the victims of children whose order ended; activity, the victims
        # allocated; each victim comes with every child linked to it, either way round
        victim_ids = allocated | index.linked(ended, "victim")
        child_ids = ended | index.linked(victim_ids, "child")
        data = index.data_of(victim_ids | child_ids)
        policy = index.policy()
        evaluations = index.evaluations(policy, due_in=(start, end), whole=allocated)
        work = Casework(
            victims={i: victim_from_dict(data[i]) for i in sorted(victim_ids) if i in data},
            children={i: child_from_dict(data[i]) for i in sorted(child_ids) if i in data},
            evaluations=evaluations, rules=policy.enabled(), people=index.people,
            calendar=index.calendar(ctx.today), verdicts=verdicts)
        return work, index.problems()
    finally:
        index.close()


def question_texts(root: Path) -> dict[str, str]:
    """Question id -> wording, from the feedback questionnaires in use (empty if none)."""
    texts: dict[str, str] = {}
    try:
        from rjcli.cli.feedback import load_questionnaire

        for kind in ("conference", "contact"):
            for q in load_questionnaire(root, kind).questions:
                texts.setdefault(q.id, q.text)
    except (ImportError, RjError):  # the wording is a nicety: fall back to the question ids
        return texts
    return texts


# --- writing it out ----------------------------------------------------------------------


def emit(report: Report, fmt: str, out_path: Path | None, suppress: bool, explain: bool,
         problems: list[Problem], name: str, force: bool = False) -> None:
    """Print or write the report; exit 1 when some record files could not be read."""
    from rjcli.render.report import EXTENSIONS, print_tables, render
    from rjcli.render.terminal import err, escape, out, say

    if problems:
        report = replace(report, notes=(*report.notes,
                         f"{len(problems)} record file(s) could not be read and are not counted "
                         f"(rj check lists them)."))
    ctx = current()
    if out_path is None and fmt in ("html", "xlsx"):
        out_path = ctx.casebook.output_dir / f"{name}.{EXTENSIONS[fmt]}"
    if out_path is not None:
        from rjcli.storage.outpaths import write_output

        body = render(report, fmt, suppress, explain)
        data = body if isinstance(body, bytes) else body.encode("utf-8")
        write_output(ctx.casebook.root, out_path, data, "a report", force)
        say(f"Report written to {escape(str(out_path))}")
    elif fmt == "table":
        print_tables(report, suppress, explain, out())
    else:
        import sys

        body = render(report, fmt, suppress, explain)
        sys.stdout.write(body if isinstance(body, str) else "")
    for problem in problems:
        err().print(f"[red]not read: {escape(str(problem))}[/red]")
    if problems:
        raise typer.Exit(1)


def _check_format(fmt: str) -> str:
    from rjcli.render.report import FORMATS

    word = fmt.strip().lower()
    if word not in FORMATS:
        raise BadInput(f"--format '{fmt}' is not one of: {', '.join(FORMATS)}")
    return word


def _period(text: str | None, today: date, kind: str) -> Period:
    from rjcli.core import reports

    if text is None:
        return reports.last_complete_quarter(today) if kind == "quarter" else \
            reports.last_complete_half(today)
    found = reports.parse_quarter(text) if kind == "quarter" else reports.parse_half(text)
    if found is None:
        example = "2026-Q1 (April to June 2026)" if kind == "quarter" else \
            "2026-H1 (April to September 2026)"
        raise BadInput(f"'{text}' is not a {kind}", hint=f"write it as {example}: financial "
                       "years start on 1 April; from 1900 to 2099")
    return found


# --- commands ----------------------------------------------------------------------------------


@report_app.command("quarterly")
def quarterly(
    quarter: Annotated[str | None, typer.Option(
        help="Financial-year quarter: 2026-Q1 is April to June 2026, 2026-Q4 January to March "
        "2027 (default: the last complete quarter).", show_default=False)] = None,
    fmt: Format = "table",
    out_path: Out = None,
    suppress_small: Suppress = False,
    explain: Explain = False,
    force: Force = False,
    casebooks: Casebooks = None,
    periods: Periods = 1,
) -> None:
    """The quarterly report: YJB KPI 10 (victims), service activity for the victims
    allocated in the quarter, and timeliness against every timescale rule. With -C
    repeated, several casebooks added up: each service's figures and the total. With
    --periods N, the last N quarters side by side, with trend charts.

    No names, dates of birth or record ids are printed (unless --explain).
    Example: rj report quarterly --quarter 2026-Q1 --format html
    """
    from rjcli.cli.report_combine import combined_quarterly, one_or_several
    from rjcli.cli.report_trends import check_periods, trend_quarterly
    from rjcli.core.reports import quarterly_report
    from rjcli.storage.policy import load_calendar

    ctx = current()
    fmt = _check_format(fmt)
    period = _period(quarter, ctx.today, "quarter")
    several = one_or_several(casebooks)
    check_periods(periods, bool(several))
    if periods > 1:
        trend_quarterly(period, periods, fmt, out_path, suppress_small, explain, force)
        return
    if several:
        combined_quarterly(several, period, fmt, out_path, suppress_small, explain, force)
        return
    work, problems = load_quarter(ctx, period)
    calendar = work.calendar or load_calendar(ctx.casebook, ctx.today)
    report = quarterly_report(work, period, ctx.today, ctx.casebook.config.service.name,
                              calendar)
    emit(report, fmt, out_path, suppress_small, explain, problems, f"report-{period.label}",
         force)


@report_app.command("six-monthly")
def six_monthly(
    half: Annotated[str | None, typer.Option(
        help="Financial-year half: 2026-H1 is April to September 2026, 2026-H2 October 2026 "
        "to March 2027 (default: the last complete half).", show_default=False)] = None,
    fmt: Format = "table",
    out_path: Out = None,
    suppress_small: Suppress = False,
    explain: Explain = False,
    force: Force = False,
    periods: Periods = 1,
) -> None:
    """Victims' satisfaction and feedback for a half year (Tower Hamlets "Monitoring"):
    satisfaction levels, feedback forms by kind, questions answered. What victims wrote
    is never printed, only counted. With --periods N, the last N half years side by side.

    Example: rj report six-monthly --half 2026-H1 --format md
    """
    from rjcli.cli.report_trends import check_periods, trend_six_monthly
    from rjcli.core.satisfaction import six_monthly_report

    ctx = current()
    fmt = _check_format(fmt)
    period = _period(half, ctx.today, "half")
    check_periods(periods, several=False)
    if periods > 1:
        trend_six_monthly(period, periods, fmt, out_path, suppress_small, explain, force)
        return
    work, problems = load_six_monthly(ctx, period)
    report = six_monthly_report(work, period, ctx.today, ctx.casebook.config.service.name,
                                question_texts(ctx.casebook.root))
    emit(report, fmt, out_path, suppress_small, explain, problems, f"report-{period.label}",
         force)


@report_app.command("caseload")
def caseload(
    fmt: Format = "table",
    out_path: Out = None,
    suppress_small: Suppress = False,
    explain: Explain = False,
    force: Force = False,
    periods: Periods = 1,
) -> None:
    """Open cases and overdue work per worker, as at today (the deadline engine's
    outstanding items of open cases, as rj due --all shows them). It has no trend: work
    outstanding on a past day is not what rj can tell from today's records, so --periods
    above 1 is refused (rj report quarterly --periods N gives the timescales' trend).

    Example: rj --today 2026-06-15 report caseload
    """
    from rjcli.core.caseload import caseload_report

    if periods != 1:
        raise BadInput(f"--periods {periods}: the caseload is as at today, not a period",
                       hint=f"for a trend of timescales met, run rj report quarterly "
                       f"--periods {periods}")
    ctx = current()
    fmt = _check_format(fmt)
    work, problems, cal = load_caseload(ctx)
    config = ctx.casebook.config
    report = caseload_report(work, ctx.today, cal, [s.name for s in config.staff],
                             config.service.name)
    emit(report, fmt, out_path, suppress_small, explain, problems,
         f"caseload-{ctx.today.isoformat()}", force)


@report_app.command("code")
def code(
    quarter: Annotated[str | None, typer.Option(
        help="Financial-year quarter: 2026-Q1 is April to June 2026.", show_default=False)] = None,
    half: Annotated[str | None, typer.Option(
        help="Financial-year half: 2026-H1 is April to September 2026.",
        show_default=False)] = None,
    year: Annotated[int | None, typer.Option(
        help="Financial year: 2026 is 1 April 2026 to 31 March 2027.", show_default=False)] = None,
    fmt: Format = "table",
    out_path: Out = None,
    suppress_small: Suppress = False,
    explain: Explain = False,
    force: Force = False,
    periods: Periods = 1,
) -> None:
    """Victims' Code evidence: one row per right the service delivers (policy/code-rights.yaml,
    which a casebook's own policy/code-rights.yaml replaces), counting the instances of the
    timescale rules that evidence it: met on time, late, not met, not due yet, and the victims
    allocated to whom it did not apply. Default: the last complete quarter. With
    --periods N, the last N periods of that kind side by side, each right's share met on
    time as a trend.

    Example: rj report code --year 2026 --format html
    """
    from rjcli.cli.report_trends import check_periods, trend_code
    from rjcli.core.coderights import code_report
    from rjcli.storage.coderights import load_code_rights

    ctx = current()
    fmt = _check_format(fmt)
    period = _code_period(quarter, half, year, ctx.today)
    check_periods(periods, several=False)
    if periods > 1:
        trend_code(period, periods, fmt, out_path, suppress_small, explain, force)
        return
    rights = load_code_rights(ctx.casebook)
    work, problems = load_quarter(ctx, period)
    report = code_report(work, period, ctx.today, ctx.casebook.config.service.name, rights)
    emit(report, fmt, out_path, suppress_small, explain, problems, f"code-{period.label}", force)


def _code_period(quarter: str | None, half: str | None, year: int | None, today: date) -> Period:
    """The one period asked for (--quarter, --half or --year), else the last complete quarter."""
    from rjcli.core.coderights import financial_year

    given = [name for name, value in (("--quarter", quarter), ("--half", half), ("--year", year))
             if value is not None]
    if len(given) > 1:
        raise BadInput(f"{' and '.join(given)} were both given", hint="give one period: "
                       "--quarter 2026-Q1, --half 2026-H1 or --year 2026")
    if year is not None:
        if not 2000 <= year <= 2100:
            raise BadInput(f"--year {year} is not a financial year",
                           hint="write the year it starts in: --year 2026 is April 2026 to "
                           "March 2027")
        return financial_year(year)
    if half is not None:
        return _period(half, today, "half")
    return _period(quarter, today, "quarter")


def register(app: typer.Typer) -> None:
    app.add_typer(report_app, name="report")


def _more_reports() -> None:
    """Reports kept in modules of their own (issue 20), registered here once."""
    from rjcli.cli.report_annual import annual
    from rjcli.cli.report_sample import sample

    report_app.command("sample")(sample)
    report_app.command("annual")(annual)


_more_reports()
