"""``rj close``, ``rj reopen`` and ``rj edit``."""

from __future__ import annotations

import tempfile
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import typer

from rjcli.cli._gates import OverrideBy, hold, override_given
from rjcli.cli.context import record_id_arg
from rjcli.cli.context import current, interactive, parse_day
from rjcli.core import vocab
from rjcli.core.gates import Override, close_gaps
from rjcli.core.model import current_status, child_from_dict, victim_from_dict
from rjcli.core.records import choice_problem, status_entry
from rjcli.errors import BadInput, ChangeRefused, RjError
from rjcli.render.terminal import print_json, say


def _status_change(record: str, status: str, reason: str, day: str | None,
                   note: str | None, as_json: bool, override: Override | None = None) -> None:
    ctx = current()
    record_id = record_id_arg(record)
    when = parse_day(day, ctx.today, "--date") or ctx.today
    if when > ctx.today:
        raise BadInput(f"the date {when} is in the future")
    entry = status_entry(ctx.new_id, when, status, reason, ctx.worker, note)

    def add(tree: Any) -> None:
        from rjcli.storage.edits import append

        data = {"status_history": list(tree.get("status_history") or [])}
        build = victim_from_dict if record_id.startswith("V-") else child_from_dict
        now = current_status(build(data).status_history)
        if now == status:
            raise BadInput(f"{record_id} is already {status}")
        append(tree, "status_history", entry)
        if status == "closed" and record_id.startswith("V-"):
            from rjcli.storage.policy import load_policy

            needs = load_policy(ctx.casebook).close_needs
            overridden = hold("close", close_gaps(victim_from_dict(tree), needs), override,
                              f"closing {record_id}", needs_manager=False, entry=entry["id"])
            if overridden is not None:
                append(tree, "overrides", overridden)

    data = ctx.casebook.change(record_id, add, "close" if status == "closed" else "reopen")
    if as_json:
        print_json(data)
    else:
        from rjcli.core.when import say_date

        say(f"{record_id} {'closed' if status == 'closed' else 'reopened'} on {say_date(when)} "
            f"({reason}).")


def close(
    record: Annotated[str, typer.Argument(help="Record id.")],
    reason: Annotated[str, typer.Option(help="completed, declined, no-response, withdrew, not-appropriate, transferred, out-of-area.")],
    day: Annotated[str | None, typer.Option("--date", help="Closure date (default today).")] = None,
    note: Annotated[str | None, typer.Option(help="A note on the closure.")] = None,
    override_reason: Annotated[str | None, typer.Option(
        "--override-reason", help="Why the case closes with progress updates promised or "
        "agreement items open (recorded; shown by rj timeline and rj explain).",
        show_default=False)] = None,
    override_by: OverrideBy = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the record as JSON.")] = False,
) -> None:
    """Close a case with its reason. It can be reopened whenever the victim gets in touch.

    A victim's case with progress updates still promised (Somerset 7.6) or outcome
    agreement items still open (Wait 'til Eight §7.7.2) is not closed unless you say why
    with --override-reason (a manager who decided it may be named with --override-by).
    Example: rj close V-0001 --reason completed
    """
    problem = choice_problem("reason", reason, vocab.CLOSURE_REASONS)
    if problem:
        raise BadInput(problem)
    _status_change(record, "closed", reason, day, note, as_json,
                   override_given(override_by, override_reason))


def reopen(
    record: Annotated[str, typer.Argument(help="Record id.")],
    reason: Annotated[str, typer.Option(help="Why it is reopened, e.g. 'victim got in touch'.")],
    day: Annotated[str | None, typer.Option("--date", help="Date (default today).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the record as JSON.")] = False,
) -> None:
    """Reopen a closed case (Wokingham 6: a case can reopen whenever they get in touch).

    Example: rj reopen V-0007 --reason "victim phoned back"
    """
    if not reason.strip():
        raise BadInput("say why the case is reopened with --reason")
    _status_change(record, "open", reason, day, None, as_json)


def edit(
    record: Annotated[str, typer.Argument(help="Record id.")],
    resume: Annotated[bool, typer.Option(
        "--resume", help="Reopen your last edit rj refused (kept in .rj/edits/).")] = False,
) -> None:
    """Open a record in your editor ($VISUAL, else $EDITOR); keep it only if valid.

    An invalid edit is never saved over the record: it is kept in .rj/edits/ and you
    are told where, so nothing you typed is lost; --resume reopens it.
    Example: EDITOR=nano rj edit V-0001
    """
    from rjcli.cli.editing import edit_to_resume, run_editor

    ctx = current()
    record_id = record_id_arg(record)
    casebook = ctx.casebook
    path = casebook.path_for(record_id)
    casebook.read(record_id)  # refuses a missing record before an editor opens
    original = path.read_text(encoding="utf-8")
    resumed = edit_to_resume(casebook.cache_dir / "edits", record_id, path) if resume else None
    with tempfile.TemporaryDirectory() as tmp:
        draft = Path(tmp) / f"{record_id}.yaml"
        draft.write_text(resumed.read_text(encoding="utf-8") if resumed else original,
                         encoding="utf-8")
        while True:
            run_editor(draft, record_id)
            edited = draft.read_text(encoding="utf-8")
            if edited == original:
                say("No change.")
                return
            try:
                _save_edit(record_id, original, edited)
            except RjError as exc:
                if interactive() and typer.confirm(f"{exc.message}\nEdit again?", default=True):
                    continue
                kept = _keep_draft(record_id, edited)
                if resumed:
                    resumed.unlink(missing_ok=True)  # kept again, as it is now
                raise ChangeRefused(f"{exc.message}; your edit was not saved over {record_id}",
                                    hint=f"your edit is kept in {kept}") from None
            if resumed:
                resumed.unlink(missing_ok=True)  # saved: not offered again
            say(f"Saved {record_id}.")
            return


def _save_edit(record_id: str, original: str, edited: str) -> None:
    """Keep the edit exactly as typed, if it is valid and nobody changed the file meanwhile."""
    current().casebook.replace_text(record_id, original, edited, "edit")


def _keep_draft(record_id: str, text: str) -> Path:
    from rjcli.storage.atomic import atomic_write

    ctx = current()
    folder = ctx.casebook.cache_dir / "edits"
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    kept = folder / f"{record_id}-{stamp}.yaml"
    number = 1
    while kept.exists():
        number += 1
        kept = folder / f"{record_id}-{stamp}-{number}.yaml"
    atomic_write(kept, text, private=True)
    return kept


HELP_ORDER = 60


def register(app: typer.Typer) -> None:
    app.command()(close)
    app.command()(reopen)
    app.command()(edit)

