"""``rj feedback``: the post-conference or contact questionnaire, asked one question at a
time at a terminal, or taken from a YAML file (registered by casework.py).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any

import typer

from rjcli.cli._work import appender, day_option, done, refuse, save, victim_arg
from rjcli.cli.context import current, interactive
from rjcli.core.dates import uk_date
from rjcli.core.feedback import (
    FEEDBACK_KINDS,
    FeedbackAnswers,
    FeedbackQuestion,
    Questionnaire,
    answer_value,
    collect,
    draft_dict,
    feedback_entry,
    questionnaire_from_dict,
    questionnaire_problems,
    read_answers_file,
    resume_from_draft,
)
from rjcli.core.restorative import by_date, conference_date_problems, entries
from rjcli.core.vocab import label
from rjcli.errors import BadInput, RecordInvalid
from rjcli.render.terminal import escape, out, say
from rjcli.shipped import shipped_dir
from rjcli.storage.feedbackdrafts import draft_path, remove_draft

FOLDER = ("policy", "questionnaires")
"""Where questionnaires live, in the casebook (first) and in the shipped defaults."""


def load_questionnaire(casebook_root: Path, kind: str) -> Questionnaire:
    """The casebook's own ``policy/questionnaires/KIND.yaml``, else the shipped one,
    checked against schemas/questionnaire.schema.json."""
    import json

    from jsonschema import Draft202012Validator

    from rjcli.storage import yamlio
    from rjcli.storage.schemas import to_json

    own = casebook_root.joinpath(*FOLDER, f"{kind}.yaml")
    path = own if os.path.lexists(own) else shipped_dir(FOLDER[0]) / FOLDER[1] / f"{kind}.yaml"
    try:  # read_bytes: a regular file only, never a link
        data = yamlio.parse_text(yamlio.decode(yamlio.read_bytes(path)))
    except (OSError, yamlio.YamlProblem) as exc:
        raise RecordInvalid(f"questionnaire {path} cannot be read: {exc}") from None
    schema = json.loads((shipped_dir("schemas") / "questionnaire.schema.json").read_text("utf-8"))
    errors = [f"{'.'.join(map(str, e.absolute_path)) or 'top'}: {e.message}"
              for e in Draft202012Validator(schema).iter_errors(to_json(data))]
    questionnaire = questionnaire_from_dict(data) if not errors else None
    errors += questionnaire_problems(questionnaire) if questionnaire else []
    if errors or questionnaire is None:
        raise RecordInvalid(f"questionnaire {path} cannot be used: " + "; ".join(errors[:5]),
                            hint="questionnaires follow schemas/questionnaire.schema.json")
    return questionnaire


def _ask_one(q: FeedbackQuestion, index: int, total: int) -> tuple[str | None, str | None]:
    """Ask one question until the answer is acceptable: (answer, comment)."""
    from rich.prompt import Prompt

    out().print(f"\n[bold cyan]{index} of {total}[/bold cyan]  {escape(q.text)}")
    if q.help:
        out().print(f"  [dim]{escape(q.help)}[/dim]")
    hint = {"scale": "1-5 or the words", "yes-no": "y/n", "text": "your words"}[q.type]
    while True:
        typed = Prompt.ask(f"  ({hint}{'' if q.required else ', Enter skips'})", default="",
                           show_default=False)
        value, problem = answer_value(q, typed)
        if problem:
            out().print(f"  [red]{escape(problem)}[/red]")
        elif value is None and q.required:
            out().print("  [red]this one needs an answer[/red]")
        else:
            break
    comment = None
    if q.type == "yes-no" and value is not None:
        comment = Prompt.ask("  comment (Enter skips)", default="",
                             show_default=False).strip() or None
    return value, comment


def _interview(q: Questionnaire, record_id: str, draft: Path) -> FeedbackAnswers:
    """Ask each question not answered before; the answers so far are kept in ``draft``
    after every one, so Ctrl-C loses nothing and the same command resumes."""
    from rjcli.storage.feedbackdrafts import read_draft, write_draft

    out().print(f"[bold]{escape(q.title)}[/bold] [dim]({escape(q.source)})[/dim]")
    given, notes, start = resume_from_draft(q, read_draft(draft))
    if start:
        say(f"Resuming: {start} of {len(q.questions)} questions answered before "
            f"({len(given)} answers kept).")
    elif q.intro:
        out().print(f"[dim]{escape(q.intro)}[/dim]")
    asked = start
    try:
        for i, question in enumerate(q.questions[start:], start + 1):
            value, comment = _ask_one(question, i, len(q.questions))
            if value is not None:
                given[question.id] = value
            if comment:
                notes[question.id] = comment
            asked = i
            write_draft(draft, draft_dict(q.id, given, notes, asked))
    except (KeyboardInterrupt, EOFError) as stop:
        out().print()
        say(f"[yellow]Stopped: the {len(given)} answer{'s' if len(given) != 1 else ''} given "
            f"are kept ({asked} of {len(q.questions)} questions).[/yellow] Resume with: "
            f"rj feedback {record_id} --kind {q.id}")
        raise typer.Exit(130 if isinstance(stop, KeyboardInterrupt) else 1) from None
    answers, problems = collect(q, given, notes)
    if answers is None:
        raise BadInput("; ".join(problems))
    return answers


def _from_file(q: Questionnaire, path: Path) -> tuple[FeedbackAnswers, Any]:
    from rjcli.storage import yamlio

    try:
        raw = sys.stdin.read() if str(path) == "-" else yamlio.decode(path.read_bytes())
        data = yamlio.parse_text(raw)
    except (OSError, yamlio.YamlProblem) as exc:
        raise BadInput(f"cannot read the answers file {path}: {exc}") from None
    answers, day, problems = read_answers_file(q, data)
    if answers is None:
        raise BadInput(f"{path}: " + "; ".join(problems), hint="nothing was saved")
    return answers, day


def _default_kind(data: Mapping[str, Any]) -> str:
    """conference when a held conference has no feedback after it yet, else contact."""
    held = [c for c in by_date(entries(data, "conferences")) if c.get("status") == "held"]
    given = {f.get("conference") for f in entries(data, "feedback")}
    if held and held[-1].get("id") not in given:
        return "conference"
    return "contact"


def feedback(
    record: Annotated[str, typer.Argument(help="The victim's record id.")],
    kind: Annotated[str | None, typer.Option(help="conference or contact (default: conference when a held conference has no feedback yet).", show_default=False)] = None,
    answers: Annotated[Path | None, typer.Option(help="Take the answers from this YAML file ('-' for stdin).", show_default=False)] = None,
    day: Annotated[str | None, typer.Option("--date", help="When the feedback was given (default today, or the file's date).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the record as JSON.")] = False,
) -> None:
    """Ask the victim for feedback: after a conference, the follow-up questions of Wait 'til
    Eight appendix 7D (within 7 days: §6.7.2); after contact, a short questionnaire.
    Both ask for satisfaction: very-satisfied, satisfied, neither, dissatisfied,
    very-dissatisfied (or 1-5).

    At a terminal the questions are asked one at a time, and the answers so far are kept
    after each one: after Ctrl-C, the same command resumes at the next question. Otherwise
    the answers come from a YAML file, question id to answer (a yes-no answer may carry a
    note):

    \b
      answers:
        satisfaction: satisfied
        went: "Very well: I said what I wanted to"
        pleased: {answer: "yes", note: "The apology"}

    The questions are in policy/questionnaires/ (a casebook may have its own).
    Example: rj feedback V-0009 --kind conference --answers feedback.yaml
    """
    ctx = current()
    record_id = victim_arg(record, "feedback")
    data = ctx.casebook.read(record_id)
    chosen = kind or _default_kind(data)
    refuse([f"--kind '{chosen}' is not one of: {', '.join(FEEDBACK_KINDS)}"]
           if chosen not in FEEDBACK_KINDS else [])
    questionnaire = load_questionnaire(ctx.casebook.root, chosen)
    draft = draft_path(ctx.casebook.cache_dir, record_id, chosen)
    if answers is not None:
        given, file_day = _from_file(questionnaire, answers)
    elif interactive():
        given, file_day = _interview(questionnaire, record_id, draft), None
    else:
        raise BadInput("the questions can only be asked at a terminal",
                       hint="run it in a terminal, or give the answers with --answers FILE")
    when = day_option(day) if day or not file_day else file_day
    conference = None
    if chosen == "conference":
        held = [c for c in by_date(entries(data, "conferences")) if c.get("status") == "held"]
        if not held:
            raise BadInput(f"{record_id} has no held conference to give feedback on",
                           hint="use --kind contact for feedback on our contact")
        conference = str(held[-1]["id"])
        refuse(conference_date_problems(held[-1], when, ctx.today, "the feedback date"))
    else:
        refuse([f"the date {when} is after today ({ctx.today})"] if when > ctx.today else [])
    entry = feedback_entry(ctx.new_id, when, chosen, given, conference, ctx.worker)
    saved = save(record_id, appender("feedback", entry), "record feedback on")
    remove_draft(draft)
    done(saved, as_json, f"{record_id}: {chosen} feedback recorded {uk_date(when)} "
                         f"({label(given.satisfaction)}).")
