"""``rj due`` (what is due today) and ``rj explain`` (why)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from rjcli.cli.context import current, record_id_arg
from rjcli.core.due import DueFilter, as_json, select
from rjcli.errors import BadInput
from rjcli.render.terminal import print_json

HELP_ORDER = 5


def due(
    all_workers: Annotated[bool, typer.Option("--all", help="Everyone's work, grouped by worker (managers).")] = False,
    worker: Annotated[str | None, typer.Option("--worker", help="This worker's items (default: you, from --worker/RJ_WORKER before the command, else everyone).")] = None,
    within: Annotated[int, typer.Option(help="Show upcoming work this many working days ahead.")] = 5,
    overdue: Annotated[bool, typer.Option("--overdue", help="Overdue items only.")] = False,
    rule: Annotated[str | None, typer.Option(help="One rule id only, e.g. first-contact.")] = None,
    as_json_flag: Annotated[bool, typer.Option("--json", help="Print a JSON list (case, rule, title, due, status, worker, source...).")] = False,
    ics: Annotated[Path | None, typer.Option(help="Also write the items to this iCalendar (.ics) file.")] = None,
    force: Annotated[bool, typer.Option(
        "--force", help="Replace the --ics file even if rj did not write it.")] = False,
) -> None:
    """What is overdue, due today and coming up, for open cases.

    Each line: due date, status, case, name, the instruction and the rule's source.
    Example: rj --today 2026-06-15 due --worker "Jo Whitlock"
    """
    from rjcli.storage.snapshot import due_work

    if within < 0:
        raise BadInput("--within must be 0 or more working days")
    ctx = current()
    who = None if all_workers else (ctx.staff_name(worker, "--worker", retired_too=True) if worker
                                     else ctx.worker)
    work = due_work(ctx.casebook, ctx.today, use_cache=ctx.use_cache)
    rows = select(work.items, ctx.today, work.calendar,
                  DueFilter(worker=who, within=within, overdue_only=overdue, rule=rule))
    if ics is not None:
        from rjcli.render.due import ics_text
        from rjcli.storage.outpaths import write_output

        write_output(ctx.casebook.root, ics, ics_text(rows, ctx.today,
                     ctx.casebook.config.service.name), "a calendar", force, "--ics")
    if as_json_flag:
        print_json([as_json(item, s) for item, s in rows])
    else:
        from rjcli.render.due import due_table
        from rjcli.render.paint import colour_wanted, paint, write_lines

        on = colour_wanted()
        if who:
            write_lines([paint(f"Work for {who} (everyone's: rj due --all)", "dim", on)])
        due_table(rows, group_by_worker=all_workers)
        if ics is not None:
            write_lines([paint(f"Calendar written to {ics}", "dim", on)])
    for problem in work.problems:
        sys.stderr.write(f"not read: {problem}\n")
    if work.problems:
        raise typer.Exit(1)


def explain(
    record: Annotated[str, typer.Argument(help="Record id.")],
    as_json_flag: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """Every rule for one case: applies or not and why, the start, the deadline, met
    (when, by what, late or on time), outstanding, missed or cancelled (when, why), as it
    happened: a later approval or call does not rewrite what was due.

    Example: rj --today 2026-06-15 explain V-0001
    """
    from rjcli.core.deadlines import child_case, evaluate_case, victim_case
    from rjcli.core.gates import overrides_of
    from rjcli.render.gates import override_json, show_overrides
    from rjcli.storage.policy import load_calendar, load_policy
    from rjcli.storage.snapshot import staff_by_role

    ctx = current()
    record_id = record_id_arg(record)
    casebook = ctx.casebook
    policy = load_policy(casebook)
    cal = load_calendar(casebook, ctx.today)
    roles = staff_by_role(casebook)
    if record_id.startswith("V-"):
        v = casebook.victim(record_id)
        children = {cid: casebook.child(cid) for cid in v.child_ids if casebook.exists(cid)}
        evaluations = evaluate_case(victim_case(v, children, roles), policy, cal)
        name, status, history = v.name or "", v.status, v.status_history
        overrides = overrides_of(v.extra)
    else:
        c = casebook.child(record_id)
        victims = {r.ref: casebook.victim(r.ref) for r in c.victims if casebook.exists(r.ref)}
        evaluations = evaluate_case(child_case(c, victims, roles), policy, cal)
        name, status, history = c.name or "", c.status, c.status_history
        overrides = []
    status_line = f"{status}, policy profile {policy.named}"
    if status == "closed":
        last = max(history, key=lambda e: (e.date, e.id))
        status_line += f" - closed {last.date} ({last.reason}): nothing is due while closed"
    switched_off = [r.id for r in policy.rules if not r.enabled]
    if as_json_flag:
        print_json({"case": record_id, "status": status, "profile": policy.profile,
                    "switched_off": switched_off,
                    "rules": [_evaluation_json(e) for e in evaluations],
                    "overrides": [override_json(o) for o in overrides]})
        return
    from rjcli.render.due import explain as show

    show(record_id, name, evaluations, ctx.today, status_line, switched_off)
    show_overrides(overrides)


def _evaluation_json(e):  # type: ignore[no-untyped-def]
    return {
        "rule": e.rule.id, "title": e.rule.title, "source": e.rule.source,
        "applies": e.applies, "why": e.why,
        "counts_from": e.start.label if e.start else None,
        "start": e.start.day.isoformat() if e.start else None,
        "due": e.due.isoformat() if e.due else None,
        "met": e.met_on.isoformat() if e.met_on else None, "met_by": e.met_how,
        "late": e.late if e.met_on else None, "worker": e.worker,
        "state": e.state, "ended": e.ended_on.isoformat() if e.ended_on else None,
        "ended_why": e.ended_why,
    }


def register(app: typer.Typer) -> None:
    app.command()(due)
    app.command()(explain)
