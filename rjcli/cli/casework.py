"""``rj view``, ``rj progress request|update``, ``rj support request|given`` and
``rj vcs notified``: the victim's entitlements under the Victims' Code (YJB §22) and
the KPI 10 items (the view sought, updates asked for and given, support asked for and
given).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated

import typer

from rjcli.cli._work import (
    appender,
    day_option,
    done,
    linked_children,
    refuse,
    save,
    setter,
    victim_arg,
    warn_all,
)
from rjcli.cli.context import current, parse_day
from rjcli.core import vocab
from rjcli.core.dates import uk_date
from rjcli.core.restorative import (
    SUPPORT_KINDS,
    ProgressRequest,
    dated_problems,
    entries,
    progress_request_entry,
    progress_request_problems,
    progress_request_warnings,
    progress_update_entry,
    support_entry,
    support_request_entry,
    vcs_entry,
    vcs_reason,
    view_entry,
    view_warnings,
)
from rjcli.core.records import choice_problem
from rjcli.render.terminal import escape

progress_app = typer.Typer(help="Updates on the child's progress the victim asked for.",
                           no_args_is_help=True)
support_app = typer.Typer(help="Support the victim asked for, and what they were given.",
                          no_args_is_help=True)
vcs_app = typer.Typer(help="The Probation Victim Contact Scheme (YJB §22).", no_args_is_help=True)

JsonOption = Annotated[bool, typer.Option("--json", help="Print the record as JSON.")]


def view(
    record: Annotated[str, typer.Argument(help="The victim's record id.")],
    sought: Annotated[str, typer.Option(help="When the victim's view was sought.", show_default=False)],
    summary: Annotated[str | None, typer.Option(help="What they said (shared only as far as they agreed).")] = None,
    as_json: JsonOption = False,
) -> None:
    """Record that the victim's view was sought before the out-of-court decision or the
    planning of the court order (YJB KPI 10).

    Example: rj view V-0001 --sought 2026-04-08 --summary "Wants the child to understand the impact"
    """
    ctx = current()
    record_id = victim_arg(record, "the victim's view")
    day = day_option(sought, "--sought")
    refuse(dated_problems(day, ctx.today, None, "the summary"))
    warn_all(view_warnings(day, linked_children(ctx.casebook.victim(record_id))))
    data = save(record_id, setter("view", view_entry(day, summary, ctx.worker)), "record view on")
    done(data, as_json, f"{record_id}: view sought {uk_date(day)}.")


@progress_app.command("request")
def progress_request(
    record: Annotated[str, typer.Argument(help="The victim's record id.")],
    what: Annotated[str, typer.Option(help="What they want to be told.", show_default=False)],
    how: Annotated[str, typer.Option(help="phone, text, letter, email, visit, meeting, video.", show_default=False)],
    until: Annotated[str, typer.Option(help="Until when (never after the child's order ends).", show_default=False)],
    point: Annotated[list[str] | None, typer.Option(help="A date an update is due (repeatable).")] = None,
    day: Annotated[str | None, typer.Option("--date", help="When they asked (default today).")] = None,
    as_json: JsonOption = False,
) -> None:
    """Record the victim's request for updates on the child's progress: what, how, until
    when, and the agreed dates (Somerset 7.6). Each date is then due in rj due. A new
    request replaces the old one. Contact never outlasts the child's order (Tower Hamlets).

    Example: rj progress request V-0001 --what "Completion of the order" --how letter
    --until 2026-12-03 --point 2026-09-01 --point 2026-12-03
    """
    ctx = current()
    record_id = victim_arg(record, "a progress request")
    children = linked_children(ctx.casebook.victim(record_id))
    req = ProgressRequest(day=day_option(day), what=what, how=how,
                          until=day_option(until, "--until"),
                          points=tuple(day_option(p, "--point") for p in point or ()))
    refuse(progress_request_problems(req, ctx.today, children))
    warn_all(progress_request_warnings(req, children))
    data = save(record_id, setter("progress_request", progress_request_entry(req, ctx.worker)),
                "record progress request on")
    points = ", ".join(uk_date(p) for p in sorted(set(req.points))) or "none"
    done(data, as_json,
         f"{record_id}: updates by {how} until {uk_date(req.until)}; due on {points}.")


@progress_app.command("update")
def progress_update(
    record: Annotated[str, typer.Argument(help="The victim's record id.")],
    note: Annotated[str, typer.Option(help="What they were told.", show_default=False)],
    method: Annotated[str | None, typer.Option(help="How: phone, text, letter, email, visit...")] = None,
    day: Annotated[str | None, typer.Option("--date", help="When (default today).")] = None,
    as_json: JsonOption = False,
) -> None:
    """Record an update on the child's progress given to the victim: it meets the update
    due at the next agreed point.

    Example: rj progress update V-0010 --date 2026-06-12 --method letter --note "Order going well"
    """
    ctx = current()
    record_id = victim_arg(record, "a progress update")
    when = day_option(day)
    problems = dated_problems(when, ctx.today, note, "--note")
    refuse(problems + [p for p in [choice_problem("--method", method, vocab.CONTACT_METHODS)] if p])
    if not isinstance(ctx.casebook.read(record_id).get("progress_request"), Mapping):
        warn_all([f"{record_id} has no progress request recorded: rj progress request "
                  f"{record_id} --what ... --how ... --until ..."])
    entry = progress_update_entry(ctx.new_id, when, method, note, ctx.worker)
    data = save(record_id, appender("progress_updates", entry), "record progress update on")
    done(data, as_json, f"{record_id}: progress update given {uk_date(when)}.")


@support_app.command("request")
def support_request(
    record: Annotated[str, typer.Argument(help="The victim's record id.")],
    need: Annotated[str, typer.Option(help="What support they asked for.", show_default=False)],
    day: Annotated[str | None, typer.Option("--date", help="When (default today).")] = None,
    as_json: JsonOption = False,
) -> None:
    """Record that the victim asked for additional support (YJB KPI 10).

    Example: rj support request V-0001 --need "Someone to talk to about feeling unsafe"
    """
    ctx = current()
    record_id = victim_arg(record, "a support request")
    when = day_option(day)
    refuse(dated_problems(when, ctx.today, need, "--need"))
    entry = support_request_entry(ctx.new_id, when, need, ctx.worker)
    data = save(record_id, appender("support_requests", entry), "record support request on")
    done(data, as_json, f"{record_id}: support asked for {uk_date(when)}.")


@support_app.command("given")
def support_given(
    record: Annotated[str, typer.Argument(help="The victim's record id.")],
    kind: Annotated[str, typer.Option(help="information or referral.", show_default=False)],
    service: Annotated[str, typer.Option(help="The support service.", show_default=False)],
    note: Annotated[str | None, typer.Option(help="Anything else.")] = None,
    day: Annotated[str | None, typer.Option("--date", help="When (default today).")] = None,
    as_json: JsonOption = False,
) -> None:
    """Record information about, or a referral to, a support service (YJB §22; KPI 10).

    Example: rj support given V-0001 --kind referral --service "Exampleshire Victim Care"
    """
    ctx = current()
    record_id = victim_arg(record, "support given")
    when = day_option(day)
    problems = dated_problems(when, ctx.today, service, "--service")
    refuse(problems + [p for p in [choice_problem("--kind", kind, SUPPORT_KINDS)] if p])
    if not entries(ctx.casebook.read(record_id), "support_requests"):
        warn_all([f"no support request is recorded for {record_id}: KPI 10 counts support given "
                  f"to victims who asked (rj support request {record_id} --need ...)"])
    entry = support_entry(ctx.new_id, when, kind, service, note, ctx.worker)
    data = save(record_id, appender("support", entry), "record support given on")
    done(data, as_json, f"{record_id}: {kind} - {escape(service.strip())} ({uk_date(when)}).")


@vcs_app.command("notified")
def vcs_notified(
    record: Annotated[str, typer.Argument(help="The victim's record id.")],
    day: Annotated[str | None, typer.Option("--date", help="When the scheme was told (default today).")] = None,
    note: Annotated[str | None, typer.Option(help="How, and to whom.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Record that the Victim Contact Scheme was told about this victim: due within one
    working day of sentence when the child got 12 months or more for a violent or sexual
    offence, or a hospital order (YJB §22).

    Example: rj vcs notified V-0001 --date 2026-04-03 --note "E-mailed the local VCS team"
    """
    ctx = current()
    record_id = victim_arg(record, "the Victim Contact Scheme notification")
    when = parse_day(day, ctx.today, "--date") or ctx.today
    refuse(dated_problems(when, ctx.today, None, "--note"))
    if vcs_reason(linked_children(ctx.casebook.victim(record_id))) is None:
        warn_all(["the linked child's sentence does not make this victim eligible for the "
                  "Victim Contact Scheme (12 months or more for a violent or sexual offence, or "
                  "a hospital order): recorded anyway"])
    data = save(record_id, setter("vcs_notified", vcs_entry(when, note, ctx.worker)),
                "record VCS notification on")
    done(data, as_json, f"{record_id}: Victim Contact Scheme notified {uk_date(when)}.")


HELP_ORDER = 59


def register(app: typer.Typer) -> None:
    """view, progress, support, vcs here; appointment and complaint (appointment.py) and
    feedback (feedback.py) live in their own files but are registered from here, so the
    command table in ``rjcli.cli`` names one module for all of them."""
    from rjcli.cli.appointment import appointment_app, complaint
    from rjcli.cli.feedback import feedback

    app.command()(view)
    app.add_typer(progress_app, name="progress")
    app.add_typer(support_app, name="support")
    app.command()(complaint)
    app.add_typer(appointment_app, name="appointment")
    app.add_typer(vcs_app, name="vcs")
    app.command()(feedback)
