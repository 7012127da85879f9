"""``rj conference plan|record``: conferences and panels. The outcome agreement's
commands (``rj agreement ...``) are in agreement.py and registered from here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from rjcli.cli._work import child_arg, day_option, done, refuse, save, victim_arg, warn_all
from rjcli.cli._gates import OverrideBy, OverrideReason, hold, override_given, with_override
from rjcli.cli.context import current, interactive, parse_day
from rjcli.core.gates import (
    ASSESSMENT_WINDOW_WORKING_DAYS,
    assessment_gaps,
    conference_consent_gaps,
    participants,
)
from rjcli.core.dates import as_date, uk_date
from rjcli.core.restorative import (
    WRITEUP_HEADINGS,
    ConferencePlan,
    conference_entry,
    entries,
    held_fields,
    held_problems,
    pick_conference,
    plan_problems,
)
from rjcli.core.risk import conference_blocked
from rjcli.errors import BadInput, ChangeRefused
from rjcli.render.terminal import escape, say

conference_app = typer.Typer(help="Conferences and panels: plan one, record it as held.",
                             no_args_is_help=True)


def conference_of(record_id: str, entry_id: str | None,
                  status: str | None) -> Mapping[str, Any]:
    conf, problem = pick_conference(entries(current().casebook.read(record_id), "conferences"),
                                    entry_id, status)
    if conf is None:
        raise BadInput(f"{record_id}: {problem}",
                       hint=f"rj timeline {record_id} lists its conferences")
    return conf


def change_conference(record_id: str, conf_id: str, change: Callable[[Any], None],
                      action: str, overridden: dict[str, Any] | None = None) -> dict[str, Any]:
    def mutate(tree: Any) -> None:
        from rjcli.storage.edits import find_entry

        entry = find_entry(tree, "conferences", conf_id)
        if entry is None:
            raise ChangeRefused(f"the conference {conf_id} is no longer on {record_id}")
        change(entry)

    return save(record_id, with_override(mutate, overridden), action)


def _holds(record_id: str, child_id: str) -> list[str]:
    """Why conference preparation is on hold, on the victim's and the child's records."""
    casebook = current().casebook
    reasons = [f"{record_id}: {r}" for r in
               conference_blocked(entries(casebook.read(record_id), "assessments"))]
    if casebook.exists(child_id):
        reasons += [f"{child_id}: {r}" for r in
                    conference_blocked(entries(casebook.read(child_id), "assessments"))]
    return reasons


def _gaps(record_id: str, child_id: str, supporters: Sequence[str], last: date,
          kind: str) -> list[str]:
    """What the conference gate finds missing: the written consents, and an approved
    conference risk assessment of each participant completed in the window ending ``last``
    (rjcli.core.gates)."""
    from rjcli.storage.policy import load_calendar

    ctx = current()
    casebook = ctx.casebook
    victim = casebook.victim(record_id)
    child = casebook.child(child_id) if child_id and casebook.exists(child_id) else None
    first = load_calendar(casebook, ctx.today).add_working_days(
        last, -ASSESSMENT_WINDOW_WORKING_DAYS)
    people = participants(victim.extra, child_id, child.extra if child else None, supporters)
    return (conference_consent_gaps(victim, child, child_id, kind)
            + assessment_gaps(people, first, last))


@conference_app.command("plan")
def plan(
    record: Annotated[str, typer.Argument(help="The victim's record id.")],
    day: Annotated[str, typer.Option("--date", help="The date planned.", show_default=False)],
    venue: Annotated[str, typer.Option(help="Where.", show_default=False)],
    child: Annotated[str, typer.Option(help="The child's record id (linked to the victim).", show_default=False)],
    facilitator: Annotated[str, typer.Option(help="Who facilitates.", show_default=False)],
    co_facilitator: Annotated[str | None, typer.Option(help="A second facilitator.")] = None,
    supporter: Annotated[list[str] | None, typer.Option(help="A supporter who will attend, by role, e.g. \"victim's supporter: sister\" (repeatable; each needs a risk assessment).")] = None,
    kind: Annotated[str, typer.Option(help="conference, or panel (a Referral Order panel the victim attends).")] = "conference",
    note: Annotated[str | None, typer.Option(help="Anything else about the arrangements.")] = None,
    override_by: OverrideBy = None,
    override_reason: OverrideReason = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the record as JSON.")] = False,
) -> None:
    """Plan a conference or panel. Refused while a risk assessment holds preparation:
    any risk found, or a MEDIUM or HIGH rating, until a manager approves (Wokingham 20.1;
    Wait 'til Eight appendix 5B). Refused too without the written consent of the victim
    and the child (YJB §24) and a parent's permission for the child, and without a
    conference risk assessment of everyone taking part (victim, child, each supporter)
    approved by a manager (Wait 'til Eight §5.9) and completed in the 10 working days
    before planning (rj's own window; Wokingham 20.1): unless a manager overrides it
    (--override-by, --override-reason: recorded, shown in rj timeline and rj explain).

    Everyone taking part is risk-assessed again in the 10 working days before the day:
    rj due shows that as pre-conference-risk, and rj conference record asks for it.
    Example: rj conference plan V-0016 --date 2026-06-30 --venue "Town Hall, room 2"
    --child C-0012 --facilitator "Jo Whitlock"
    """
    ctx = current()
    record_id = victim_arg(record, "a conference")
    child_id = child_arg(child, "the child taking part")
    victim = ctx.casebook.victim(record_id)
    entry = ConferencePlan(kind=kind, day=day_option(day), venue=venue, child=child_id,
                           facilitator=ctx.staff_name(facilitator, "--facilitator")
                           if facilitator.strip() else facilitator,
                           co_facilitator=co_facilitator and ctx.staff_name(
                               co_facilitator, "--co-facilitator"),
                           supporters=tuple(supporter or ()), note=note)
    refuse(plan_problems(entry, victim))
    held = _holds(record_id, child_id)
    if held:
        managers = [s.name for s in ctx.casebook.config.staff if s.role == "manager"]
        raise ChangeRefused(
            "conference preparation is on hold until a manager approves (Wokingham 20.1):\n  - "
            + "\n  - ".join(held),
            hint=f"a manager discusses the risks and records the decision: rj risk approve "
                 f"{record_id} --manager NAME --note TEXT"
                 + (f" (managers: {', '.join(managers)})" if managers else
                    " (add a manager first: rj staff add NAME --role manager)"))
    built = conference_entry(ctx.new_id, entry, ctx.worker)
    overridden = hold("conference-plan",
                      _gaps(record_id, child_id, entry.supporters, min(ctx.today, entry.day),
                            kind),
                      override_given(override_by, override_reason), f"planning the {kind}",
                      entry=built["id"])

    def add(tree: Any) -> None:
        from rjcli.storage.edits import append

        append(tree, "conferences", built)

    data = save(record_id, with_override(add, overridden), f"plan {kind} on")
    done(data, as_json, f"{record_id}: {kind} planned for {uk_date(entry.day)} at "
                        f"{escape(entry.venue)} (entry {built['id']}).")


def _writeup(path: Path | None, given: dict[str, str | None]) -> dict[str, str]:
    """The write-up: from a YAML file, from the options, and at a terminal by prompts."""
    headings = dict(WRITEUP_HEADINGS)
    writeup = {k: v for k, v in given.items() if v}
    if path is not None:
        from rjcli.storage import yamlio

        try:
            data = yamlio.parse_text(yamlio.decode(path.read_bytes()))
        except (OSError, yamlio.YamlProblem) as exc:
            raise BadInput(f"cannot read the write-up file {path}: {exc}") from None
        if not isinstance(data, Mapping):
            raise BadInput(f"{path}: write the headings as a mapping: "
                           + ", ".join(f"{k}: TEXT" for k in headings))
        writeup.update({str(k): str(v) for k, v in data.items() if v is not None})
    elif interactive() and len(writeup) < len(headings):
        from rich.prompt import Prompt

        say("[bold]Conference write-up[/bold] (Wait 'til Eight appendix 7C; Enter skips)")
        for key, title in WRITEUP_HEADINGS:
            if key not in writeup:
                answer = Prompt.ask(title, default="", show_default=False).strip()
                if answer:
                    writeup[key] = answer
    return writeup


@conference_app.command("record")
def record_held(
    record: Annotated[str, typer.Argument(help="The victim's record id.")],
    attended: Annotated[list[str], typer.Option(help="Who attended, by role (repeatable): victim, child, \"victim's supporter: sister\"...", show_default=False)],
    conference: Annotated[str | None, typer.Option("--conference", help="The conference's entry id (default: the latest planned one).", show_default=False)] = None,
    day: Annotated[str | None, typer.Option("--date", help="The day it was held (default: the planned date).")] = None,
    writeup_file: Annotated[Path | None, typer.Option(help="The write-up as YAML: background, dynamics, lessons, video.")] = None,
    background: Annotated[str | None, typer.Option(help="Brief background of the incident.")] = None,
    dynamics: Annotated[str | None, typer.Option(help="The dynamics of the conference, especially key turning points.")] = None,
    lessons: Annotated[str | None, typer.Option(help="Key lessons learnt.")] = None,
    video: Annotated[str | None, typer.Option(help="If video was used: effective for the victim, for the child; how you know.")] = None,
    override_by: OverrideBy = None,
    override_reason: OverrideReason = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the record as JSON.")] = False,
) -> None:
    """Record a planned conference or panel as held: who attended, and the write-up under
    the headings of Wait 'til Eight appendix 7C (asked one by one at a terminal).

    Refused, unless a manager overrides it (--override-by, --override-reason), without
    the written consents and, for each participant, a conference risk assessment approved
    by a manager and completed in the 10 working days before the day (Wait 'til Eight
    §5.9; rj's own window, the same as the pre-conference-risk rule's).

    From here rj due shows the copies of the outcome agreement (3 working days, appendix
    7E) and the feedback (7 days, §6.7.2). Name people by role, not by name: the victim's
    file must not disclose the child to a subject access request (§7.10.1).
    Example: rj --today 2026-06-25 conference record V-0016 --attended victim --attended child
    --dynamics "Apology accepted" (on the sample casebook this is refused by the gate
    above until V-0016 and C-0012 are assessed again: rj due shows it as
    pre-conference-risk)
    """
    ctx = current()
    record_id = victim_arg(record, "a conference")
    conf = conference_of(record_id, conference, None if conference else "planned")
    when = parse_day(day, ctx.today, "--date") or as_date(conf.get("date")) or ctx.today
    writeup = _writeup(writeup_file, {"background": background, "dynamics": dynamics,
                                      "lessons": lessons, "video": video})
    refuse(held_problems(conf, when, ctx.today, attended, writeup))
    if not writeup:
        warn_all(["no write-up recorded (Wait 'til Eight appendix 7C): add it with rj edit"])
    fields = held_fields(when, attended, writeup)
    overridden = hold("conference-record",
                      _gaps(record_id, str(conf.get("child") or ""),
                            [str(s) for s in conf.get("supporters") or []], when,
                            str(conf.get("kind") or "conference")),
                      override_given(override_by, override_reason),
                      f"recording the {conf.get('kind') or 'conference'} as held",
                      entry=str(conf["id"]))

    def mark(entry: Any) -> None:
        from rjcli.storage.edits import set_in

        for key, value in fields.items():
            set_in(entry, [key], value)

    data = change_conference(record_id, str(conf["id"]), mark, "record conference held on",
                             overridden)
    done(data, as_json, f"{record_id}: {conf.get('kind') or 'conference'} held {uk_date(when)}. "
                        f"Next: the agreement (rj agreement add {record_id} --action ... --who ... "
                        "--due ...), copies within 3 working days, feedback within 7 days.")


HELP_ORDER = 58


def register(app: typer.Typer) -> None:
    from rjcli.cli.agreement import agreement_app

    app.add_typer(conference_app, name="conference")
    app.add_typer(agreement_app, name="agreement")
