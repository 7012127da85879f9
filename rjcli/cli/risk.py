"""``rj risk``: risk and suitability checklists, run at the terminal or from a file.

A run is saved after every answer (one ``Casebook.change`` each: locked, validated,
written atomically), so Ctrl-C or a dropped connection loses nothing, and running the
same command again resumes where it stopped.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any

import typer

from rjcli.cli.context import current, interactive, record_id_arg
from rjcli.cli.risk_interview import Interview
from rjcli.cli.risk_saving import Saver, put
from rjcli.core.checklist import (
    Checklist,
    assess,
    suggested_rating,
)
from rjcli.core.config import StaffMember
from rjcli.core.ids import kind_of
from rjcli.core.risk import (
    answer_entry,
    approval_entry,
    awaiting_approval,
    completion_fields,
    conference_blocked,
    label_of,
    new_assessment,
    read_answers,
    same_participant,
    stored_answers,
    unfinished,
)
from rjcli.errors import BadInput
from rjcli.render import risk as show
from rjcli.render.terminal import escape, out, print_json, say

risk_app = typer.Typer(
    help="Risk and suitability checklists: run one with a participant, show the results, "
    "and record a manager's approval (Wait 'til Eight section 5; Wokingham 20.1).",
    no_args_is_help=True,
)

# --- choosing what to run -------------------------------------------------------------


def _pick_unfinished(record_id: str, assessments: list[Any], participant: str | None) -> Any:
    """The one unfinished assessment to resume when no --checklist is given."""
    found = unfinished(assessments, None, participant, any_participant=participant is None)
    if len(found) == 1:
        return found[0]
    if not found:
        raise BadInput("name the checklist to run with --checklist NAME",
                       hint=f"rj risk checklists lists them; e.g. rj risk run {record_id} "
                       "--checklist conference")
    listed = "; ".join(f"{label_of(a)}: --checklist {a.get('checklist')}"
                       + (f' --participant "{a["participant"]}"' if a.get("participant") else "")
                       for a in found)
    raise BadInput(f"{len(found)} unfinished assessments on {record_id}: say which ({listed})")


def _choose(record_id: str, data: Mapping[str, Any], name: str | None,
            participant: str | None) -> tuple[Checklist, str | None, Mapping[str, Any] | None]:
    """(checklist, participant, the unfinished entry to resume or None)."""
    from rjcli.storage.checklists import load_checklist

    ctx = current()
    kind = kind_of(record_id)
    assessments = [a for a in data.get("assessments") or [] if isinstance(a, Mapping)]
    participant = " ".join(participant.split()) if participant and participant.strip() else None
    if name is None:
        picked = _pick_unfinished(record_id, assessments, participant)
        name, participant = str(picked.get("checklist")), picked.get("participant")
    checklist = load_checklist(ctx.casebook.root, name)
    if kind not in checklist.applies_to:
        raise BadInput(f"checklist {checklist.id} ({checklist.title}) is for "
                       f"{' and '.join(checklist.applies_to)} records, not a {kind}'s",
                       hint="rj risk checklists shows what each one is for")
    if checklist.participants:
        participant = participant or kind
    elif participant:
        raise BadInput(f"checklist {checklist.id} is completed once, not with each "
                       "participant: leave out --participant")
    found = unfinished(assessments, checklist.id, participant)
    return checklist, participant, (found[-1] if found else None)


def _resume_command(record_id: str, checklist: Checklist, participant: str | None) -> str:
    command = f"rj risk run {record_id} --checklist {checklist.id}"
    if participant and not same_participant(participant, kind_of(record_id)):
        command += f' --participant "{participant}"'
    return command


# --- at the terminal ------------------------------------------------------------------


def _read_answers_text(path: Path | None) -> tuple[str, str]:
    """(the text, its name for messages) from FILE, or stdin for '-' or no FILE."""
    if path is None or str(path) == "-":
        return sys.stdin.read(), "stdin"
    try:
        return path.read_text(encoding="utf-8"), str(path)
    except OSError as exc:
        raise BadInput(f"cannot read {path}: {exc.strerror}") from None


def _from_file(record_id: str, checklist: Checklist, participant: str | None,
               entry: Mapping[str, Any] | None, path: Path | None) -> Saver:
    from rjcli.storage import yamlio

    text, name = _read_answers_text(path)
    if not text.strip():
        raise BadInput(f"no answers in {name}", hint="see the shape in: rj risk run --help")
    try:
        data = yamlio.parse_text(text)
    except yamlio.YamlProblem as exc:
        where = f"{name}:{exc.line}" if exc.line else name
        raise BadInput(f"{where}: {exc.message}; nothing was saved") from None
    given, problems = read_answers(checklist, data)
    if given is None:
        count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
        raise BadInput(f"the answers in {name} have {count}; nothing was saved:\n"
                       + "\n".join(f"  - {p}" for p in problems),
                       hint="see the shape in: rj risk run --help")
    stored = [answer_entry(q, given.answers[q.id]) for q in checklist.questions]
    fields = completion_fields(checklist, given.answers, given.rating, given.rating_reasons,
                               current().today)

    def fresh() -> dict[str, Any]:
        ctx = current()
        return new_assessment(ctx.new_id, checklist, participant, ctx.today,
                              ctx.worker) | {"answers": stored} | fields

    def update(entry: Any) -> None:
        put(entry, "answers", stored)
        for key, value in fields.items():
            put(entry, key, value)

    saver = Saver(record_id, entry)
    saver.save(fresh, update)
    return saver


# --- commands -------------------------------------------------------------------------


@risk_app.command("run")
def run(
    record: Annotated[str, typer.Argument(help="Record id: the victim's (V-...) or the "
                                          "child's (C-...) the participant belongs to.")],
    checklist: Annotated[str | None, typer.Option(
        "--checklist", help="Which checklist (rj risk checklists lists them). Leave it out "
        "to resume the record's one unfinished assessment.", show_default=False)] = None,
    participant: Annotated[str | None, typer.Option(
        help="Who it is completed with, for checklists run with each participant (default: "
        "the victim or child whose record it is), e.g. \"victim's supporter: sister\". On a "
        "child's record never name the victim.", show_default=False)] = None,
    answers: Annotated[Path | None, typer.Option(
        "--answers", help="Take the answers from this YAML file ('-' for stdin) instead of "
        "asking.", show_default=False)] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the record as JSON.")] = False,
) -> None:
    """Run a risk or suitability checklist with one participant, one question at a time.

    At a terminal each question is asked in turn: y (yes), n (no), k (not known) or b
    (back). A risk answer needs a note saying how it will be managed. Every answer is
    saved at once: after Ctrl-C, run the same command again to resume. At the end comes
    the overall rating LOW / MEDIUM / HIGH with reasons (when the checklist has one),
    a summary of risks and what happens next. Any risk, or a MEDIUM or HIGH rating, puts
    conference preparation on hold until a manager approves (rj risk approve).

    Without a terminal, or with --answers FILE, the answers come from YAML, every
    question answered; all problems are listed at once and nothing is saved until there
    are none. The shape (a plain text answers a question with no note):

    \b
      answers:
        targeting: {answer: "yes", note: "how it will be managed"}
        accounts-differ: "no"
        incident-risks: "free text for a text question"
      rating: MEDIUM
      rating_reasons: "why this rating"

    Answers: yes, no or unknown ("not known"). rating and rating_reasons are required
    when the checklist asks for an overall rating, and refused when it does not.

    Example: rj risk run V-0001 --checklist conference --participant "victim's supporter: sister"
    """
    ctx = current()
    record_id = record_id_arg(record)
    data = ctx.casebook.read(record_id)
    chosen, who, entry = _choose(record_id, data, checklist, participant)
    earlier = [a for a in data.get("assessments") or [] if a.get("completed")
               and a.get("checklist") == chosen.id and same_participant(a.get("participant"), who)]
    replaced = earlier[-1] if earlier and entry is None else None
    if answers is not None or not sys.stdin.isatty():
        saver = _from_file(record_id, chosen, who, entry, answers)
        if replaced and not as_json:
            show.replaces(replaced)
        if entry is not None and not as_json:
            say(f"Completed the unfinished {escape(label_of(entry))} with the answers given "
                "(the answers given earlier were replaced).")
    elif interactive():
        saver = _interview(record_id, chosen, who, entry, replaced)
    else:
        raise BadInput("the questions can only be asked at a terminal",
                       hint="run it in a terminal, or give the answers with --answers FILE")
    done = saver.entry()
    if as_json:
        print_json(saver.data)
        return
    given = stored_answers(done)
    outcome = assess(chosen, given, done.get("rating"), done.get("rating_reasons"))
    show.summary(record_id, done, chosen, outcome,
                 suggested_rating(chosen, given) if chosen.rating else None)


def _interview(record_id: str, checklist: Checklist, participant: str | None,
               entry: Mapping[str, Any] | None, replaced: Mapping[str, Any] | None) -> Saver:
    show.run_header(checklist, record_id, participant)
    if entry is not None:
        show.resumed(entry, len(checklist.questions))
    elif replaced is not None:
        show.replaces(replaced)
    interview = Interview(record_id, checklist, participant, entry)
    try:
        interview.run()
    except (KeyboardInterrupt, EOFError) as stop:
        out().print()
        saved = len(interview.answers)
        say(f"[yellow]Stopped. {saved} of {interview.total} answers are saved.[/yellow] "
            f"Resume with: {escape(_resume_command(record_id, checklist, participant))}")
        raise typer.Exit(130 if isinstance(stop, KeyboardInterrupt) else 1) from None
    return interview.saver


def _manager(name: str) -> StaffMember:
    """The staff member ``name`` if they are a manager, else a clear error."""
    config = current().casebook.config
    member = config.staff_member(current().staff_name(name, "--manager", "manager"))
    if member is None or member.role != "manager":
        managers = [s.name for s in config.staff if s.role == "manager"]
        raise BadInput(f"'{name}' is not on the staff list as a manager",
                       hint=("managers: " + ", ".join(managers)) if managers else
                       f'add them with: rj staff add "{name}" --role manager')
    return member


@risk_app.command("approve")
def approve(
    record: Annotated[str, typer.Argument(help="Record id.")],
    manager: Annotated[str, typer.Option(help="The manager approving (on the staff list "
                                              "with role manager).", show_default=False)],
    note: Annotated[str, typer.Option(help="What was discussed and agreed.",
                                      show_default=False)],
    checklist: Annotated[str | None, typer.Option(
        "--checklist", help="Only this checklist's assessment.", show_default=False)] = None,
    participant: Annotated[str | None, typer.Option(
        help="Only the assessment with this participant.", show_default=False)] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the record as JSON.")] = False,
) -> None:
    """Record a manager's approval of the risks found, lifting the hold on conference
    preparation (Wokingham 20.1; Wait 'til Eight appendix 5B: medium or high risk is
    discussed with the manager). Approves every finished assessment on the record that
    needs it, or only those named with --checklist / --participant.

    Example: rj risk run V-0004 --checklist conference && rj risk approve V-0004
    --manager "Ruth Kendrick" --note "Separate arrival times agreed"
    """
    ctx = current()
    record_id = record_id_arg(record)
    member = _manager(manager)
    if not note.strip():
        raise BadInput("say what was discussed and agreed with --note")
    assessments = [a for a in ctx.casebook.read(record_id).get("assessments") or []
                   if isinstance(a, Mapping)
                   and (checklist is None or a.get("checklist") == checklist)
                   and (participant is None or same_participant(a.get("participant"),
                                                                participant))]
    pending = awaiting_approval(assessments)
    if not pending:
        waiting = unfinished(assessments, any_participant=True)
        if waiting:
            raise BadInput(f"nothing to approve yet: {label_of(waiting[-1])} is not finished",
                           hint=f"finish it first: rj risk run {record_id}")
        raise BadInput(f"no assessment on {record_id} needs a manager's approval",
                       hint=f"rj risk show {record_id}")
    approval = approval_entry(member.name, note, ctx.today)

    def mutate(tree: Any) -> None:
        from rjcli.storage.edits import find_entry

        for wanted in pending:
            entry = find_entry(tree, "assessments", wanted["id"])
            if entry is not None:
                put(entry, "approval", approval)
                put(entry, "blocked", False)

    data = ctx.casebook.change(record_id, mutate, "approve risk assessment on")
    if as_json:
        print_json(data)
        return
    for entry in pending:
        say(f"Approved by {escape(member.name)}: {escape(label_of(entry))} on {record_id}.")
    held = conference_blocked(data.get("assessments") or [])
    if held:
        say("[yellow]Conference preparation is still on hold:[/yellow]")
        for reason in held:
            say(f"  - {escape(reason)}")
    else:
        say("No assessment holds conference preparation now.")


@risk_app.command("show")
def show_assessments(
    record: Annotated[str, typer.Argument(help="Record id.")],
    checklist: Annotated[str | None, typer.Option(
        "--checklist", help="Only this checklist's assessments.", show_default=False)] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """Show the record's assessments: questions as asked, answers, notes, risks, rating,
    approval, and whether conference preparation is on hold.

    Example: rj risk show V-0001
    """
    ctx = current()
    record_id = record_id_arg(record)
    every = [a for a in ctx.casebook.read(record_id).get("assessments") or []
             if isinstance(a, Mapping)]
    entries = [a for a in every if checklist is None or a.get("checklist") == checklist]
    held = conference_blocked(every)
    if as_json:
        print_json({"id": record_id, "assessments": entries, "conference_blocked": held})
    else:
        show.report(record_id, entries, held)


def checklists(
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """List the checklists: title, source, number of questions, and the file in use (the
    casebook's own policy/checklists/NAME.yaml replaces the shipped one).

    Example: rj risk checklists
    """
    from rjcli.storage.checklists import all_checklists

    files = all_checklists(current().casebook.root)
    if as_json:
        print_json([{
            "name": f.name, "file": f.shown_path, "overridden": f.overridden,
            "title": f.checklist.title if f.checklist else None,
            "source": f.checklist.source if f.checklist else None,
            "questions": len(f.checklist.questions) if f.checklist else None,
            "applies_to": list(f.checklist.applies_to) if f.checklist else None,
            "problems": [str(p) for p in f.problems],
        } for f in files])
    else:
        show.checklists_table(files)
    if any(f.checklist is None for f in files):
        raise typer.Exit(1)


HELP_ORDER = 55


risk_app.command("checklists")(checklists)
risk_app.command("list-checklists", hidden=True)(checklists)


def register(app: typer.Typer) -> None:
    app.add_typer(risk_app, name="risk")
