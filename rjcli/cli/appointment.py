"""``rj appointment add|kept|missed|cancelled`` and ``rj complaint`` (registered by casework.py)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Annotated, Any

import typer

from rjcli.cli._work import appender, day_option, done, refuse, save, victim_arg, warn_all
from rjcli.cli.closedcase import ClosedOk, refuse_if_closed
from rjcli.cli.context import current, parse_moment
from rjcli.core.dates import as_datetime, uk_date
from rjcli.core.restorative import (
    appointment_entry,
    complaint_entry,
    dated_problems,
    entries,
    misses_without_notice,
    outcome_fields,
    outcome_problems,
    pick_appointment,
    pick_complaint,
)
from rjcli.errors import BadInput, ChangeRefused
from rjcli.render.terminal import escape, say

appointment_app = typer.Typer(help="Appointments with the victim, and what became of them.",
                              no_args_is_help=True)

JsonOption = Annotated[bool, typer.Option("--json", help="Print the record as JSON.")]


@appointment_app.command("add")
def appointment_add(
    record: Annotated[str, typer.Argument(help="The victim's record id.")],
    at: Annotated[str, typer.Option(help="When, day first: '14/04/2026 10:00', 'tuesday 2pm'.", show_default=False)],
    purpose: Annotated[str, typer.Option(help="What for: assessment meeting, home visit, preparation...", show_default=False)],
    as_json: JsonOption = False,
    closed_ok: ClosedOk = False,
) -> None:
    """Book an appointment with the victim.

    Example: rj appointment add V-0001 --at "2026-04-14 10:00" --purpose "home visit"
    """
    ctx = current()
    record_id = victim_arg(record, "an appointment")
    refuse_if_closed(record_id, closed_ok, "an appointment")
    moment = parse_moment(at, ctx.now, "--at")
    refuse([] if purpose.strip() else ["say what the appointment is for with --purpose"])
    entry = appointment_entry(ctx.new_id, moment, purpose, ctx.worker)
    data = save(record_id, appender("appointments", entry), "book appointment on")
    from rjcli.core.when import say_moment

    done(data, as_json, f"{record_id}: appointment booked for {say_moment(moment)} "
                        f"(entry {entry['id']}).")


def _second_miss_due(day: date) -> str:
    """When the follow-up call is due under the policy in force (Wokingham 12)."""
    from rjcli.core.calendar import add_offset
    from rjcli.storage.policy import load_calendar, load_policy

    ctx = current()
    rule = load_policy(ctx.casebook).rule("missed-appointments")
    if rule is None or not rule.enabled:
        return "phone them soon"
    due = add_offset(load_calendar(ctx.casebook, ctx.today), day, rule.offset, rule.unit)
    return f"rj due shows the call, due {uk_date(due)}"


def _outcome(record: str, entry_id: str | None, status: str, notice: bool | None,
             as_json: bool) -> None:
    ctx = current()
    record_id = victim_arg(record, "an appointment")
    booked = entries(ctx.casebook.read(record_id), "appointments")
    chosen, problem = pick_appointment(booked, entry_id, ctx.now)
    if chosen is None:
        raise BadInput(f"{record_id}: {problem}",
                       hint=f"book one with: rj appointment add {record_id} --at ... --purpose ...")
    refuse(outcome_problems(chosen, status, ctx.now))
    fields = outcome_fields(status, notice, ctx.today)
    before = misses_without_notice(booked)

    def mark(tree: Any) -> None:
        from rjcli.storage.edits import find_entry, set_in

        entry = find_entry(tree, "appointments", chosen["id"])
        if entry is None:
            raise ChangeRefused(f"the appointment {chosen['id']} is no longer on {record_id}")
        for key, value in fields.items():
            set_in(entry, [key], value)

    data = save(record_id, mark, f"record appointment {status} on")
    how = " without notice" if status == "missed" and not notice else (
        " with notice" if status == "missed" else "")
    done(data, as_json, f"{record_id}: appointment of {chosen['at']} {status}{how}.")
    if before < 2 <= misses_without_notice(entries(data, "appointments")):
        at = as_datetime(chosen.get("at"))
        follow = _second_miss_due(at.date() if at else ctx.today)
        warn_all([f"this is the second appointment missed without notice: phone the victim to "
                  f"ask whether they still want to take part (Wokingham 12); {follow}"])


EntryArg = Annotated[str | None, typer.Argument(help="The appointment's entry id (default: the most recent booked one that has come).", show_default=False)]


@appointment_app.command("kept")
def appointment_kept(record: Annotated[str, typer.Argument(help="The victim's record id.")],
                     entry: EntryArg = None, as_json: JsonOption = False) -> None:
    """Record that an appointment was kept.

    Example: rj --today 2026-06-17 appointment kept V-0014
    """
    _outcome(record, entry, "kept", None, as_json)


@appointment_app.command("missed")
def appointment_missed(
    record: Annotated[str, typer.Argument(help="The victim's record id.")],
    entry: EntryArg = None,
    notice: Annotated[bool, typer.Option("--notice/--no-notice", help="Whether the victim gave notice or an explanation.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Record that an appointment was missed. Two missed without notice mean a phone call
    to ask whether they still want to take part (Wokingham 12): rj due shows it.

    Example: rj --today 2026-06-17 appointment missed V-0014 --no-notice
    """
    _outcome(record, entry, "missed", notice, as_json)


@appointment_app.command("cancelled")
def appointment_cancelled(record: Annotated[str, typer.Argument(help="The victim's record id.")],
                          entry: EntryArg = None, as_json: JsonOption = False) -> None:
    """Record that an appointment was cancelled.

    Example: rj appointment cancelled V-0002 01KTVK6SZ0C0BDK5E3MAQB9CNC
    """
    _outcome(record, entry, "cancelled", None, as_json)


def _manager_lines(manager_named: str | None) -> list[str]:
    """The manager's contact details and the council's complaints route (Somerset 13)."""
    config = current().casebook.config
    managers = [s for s in config.staff if s.role == "manager"
                and (manager_named is None or s.name.casefold() == manager_named.casefold())]
    lines = [f"Manager: {m.name}" + "".join(f", {x}" for x in (m.phone, m.email) if x)
             for m in managers]
    if not lines:
        lines.append("No manager is on the staff list: rj staff add NAME --role manager "
                     "--phone ... --email ...")
    lines.append(f"Complaints route: {config.service.complaints}" if config.service.complaints
                 else "No complaints route is set: add service.complaints to rj.yaml")
    return lines


def complaint(
    words: Annotated[list[str], typer.Argument(metavar="[told] ID", help="The victim's record id; 'told ID' records that a manager was told.", show_default=False)],
    note: Annotated[str | None, typer.Option(help="The complaint, in the victim's words where possible.")] = None,
    manager: Annotated[str | None, typer.Option(help="With 'told': the manager who was told.")] = None,
    day: Annotated[str | None, typer.Option("--date", help="When (default today).")] = None,
    entry: Annotated[str | None, typer.Option("--complaint", help="With 'told': the complaint's entry id (default: the latest not yet passed on).", show_default=False)] = None,
    as_json: JsonOption = False,
) -> None:
    """Record a complaint, then that a manager was told. A manager must be told the same
    day; give the victim the manager's contact details and the council's complaints
    route (Somerset 13). rj due shows "tell a manager" until it is recorded.

    \b
      rj complaint ID --note TEXT [--date DATE]
      rj complaint told ID --manager NAME [--date DATE]

    Example: rj complaint V-0001 --note "Nobody called back after the panel"
    """
    if len(words) == 2 and words[0] == "told":
        _complaint_told(words[1], manager, day, entry, as_json)
    elif len(words) == 1 and words[0] != "told":
        _complaint_new(words[0], note, day, as_json)
    else:
        raise BadInput("write rj complaint ID --note TEXT, or rj complaint told ID --manager NAME")


def _complaint_new(record: str, note: str | None, day: str | None, as_json: bool) -> None:
    ctx = current()
    record_id = victim_arg(record, "a complaint")
    when = day_option(day)
    refuse(dated_problems(when, ctx.today, note or "", "--note"))
    entry = complaint_entry(ctx.new_id, when, note or "", ctx.worker)
    data = save(record_id, appender("complaints", entry), "record complaint on")
    done(data, as_json, f"{record_id}: complaint recorded {uk_date(when)}. Tell a manager "
                        f"today, then: rj complaint told {record_id} --manager NAME")
    if not as_json:
        for line in _manager_lines(None):
            say(f"  {escape(line)}")


def _complaint_told(record: str, manager: str | None, day: str | None, entry_id: str | None,
                    as_json: bool) -> None:
    ctx = current()
    record_id = victim_arg(record, "a complaint")
    if not manager or not manager.strip():
        raise BadInput("name the manager who was told with --manager")
    chosen, problem = pick_complaint(entries(ctx.casebook.read(record_id), "complaints"), entry_id)
    if chosen is None:
        raise BadInput(f"{record_id}: {problem}")
    when = day_option(day)
    refuse(dated_problems(when, ctx.today, None, "") + (
        [f"the date {when} is before the complaint ({chosen.get('date')})"]
        if isinstance(chosen.get("date"), date) and when < chosen["date"] else []))
    member = ctx.casebook.config.staff_member(ctx.staff_name(manager, "--manager", "manager"))
    if member is None or member.role != "manager":
        warn_all([f"{manager} is not on the staff list as a manager"])
    name = member.name if member else manager.strip()

    def mark(tree: Any) -> None:
        from rjcli.storage.edits import find_entry, set_in

        found = find_entry(tree, "complaints", chosen["id"])
        if not isinstance(found, Mapping):
            raise ChangeRefused(f"the complaint {chosen['id']} is no longer on {record_id}")
        set_in(found, ["manager_told"], when)
        set_in(found, ["manager"], name)

    data = save(record_id, mark, "record manager told of complaint on")
    done(data, as_json, f"{record_id}: {escape(name)} told of the complaint {uk_date(when)}.")
    if not as_json:
        for line in _manager_lines(name if member else None):
            say(f"  {escape(line)}")
