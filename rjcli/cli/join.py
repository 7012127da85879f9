"""``rj join URL [FOLDER]``: a new team member's copy of the shared casebook, ready."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from rjcli.cli.context import AppContext, current, interactive
from rjcli.errors import BadInput, RjError


def join(
    url: Annotated[str, typer.Argument(help="The shared casebook's address (as for git: a "
                                       "server path, or a folder on a shared drive).")],
    folder: Annotated[Path | None, typer.Argument(help="Where your copy goes (default: the "
                                                  "last part of URL).", show_default=False)] = None,
    worker: Annotated[str | None, typer.Option("--worker", help="Who you are: a name on the "
                                               "team's staff list (asked at a terminal).")] = None,
) -> None:
    """Join a team's shared casebook: copy it here, set it up, say who you are, see your work.

    The copy is owner-only, set up for rj sync (rj's merge and the check before each
    commit), and remembers who you are (.rj/worker in the copy; --worker or RJ_WORKER
    still win). Then what is due for you is printed.
    Example: rj join /shared/drive/victims-team.git ~/casebook --worker "Amir Haddon"
    """
    from rjcli.render.terminal import escape, say
    from rjcli.storage import joining

    ctx = current()
    typed = worker or ctx.worker_typed
    if not (typed and typed.strip()) and not interactive():
        raise BadInput("say who you are: rj join URL --worker \"Your Name\" (a name on the "
                       "team's staff list)", hint="nothing was copied")
    target = joining.folder_for(url, folder, Path.cwd())
    existed = target.exists()
    joining.clone(url, target)
    try:
        name = _who(ctx, target, typed)
    except (RjError, KeyboardInterrupt):
        joining.forget(target, existed)
        raise
    from rjcli.storage.permissions import tighten_and_stamp
    from rjcli.storage.syncsetup import setup_repository

    tighten_and_stamp(target)
    done = setup_repository(target)
    joining.remember_worker(target, name)
    say(escape(f"Joined {url} in {target} as {name}: "
               + "; ".join(["owner-only", *done]) + "."))
    say(escape(f"rj remembers you are {name} in this copy (in {joining.WORKER_FILE}); "
               f"share your work with: rj -C {target} sync"))
    from rjcli.cli.due import due

    due()


def _who(ctx: AppContext, root: Path, typed: str | None) -> str:
    """The staff member the new worker is: as typed, else chosen from the staff list."""
    ctx.casebook_option = str(root)
    ctx._casebook = None
    name = ctx.staff_name(typed, "--worker") if typed and typed.strip() else _ask(ctx)
    ctx._worker = (name,)
    return name


def _ask(ctx: AppContext) -> str:
    from rich.prompt import IntPrompt

    from rjcli.render.terminal import escape, out

    staff = [s for s in ctx.casebook.config.staff if s.retired is None]
    if not staff:
        raise BadInput("the casebook has no staff list to choose from",
                       hint="give your name: rj join URL --worker \"Your Name\"")
    for number, member in enumerate(staff, start=1):
        out().print(escape(f"{number:>3}. {member.name} ({member.role})"))
    choice = IntPrompt.ask("Who are you? (number)", choices=[str(n) for n in
                                                             range(1, len(staff) + 1)],
                           show_choices=False)
    return staff[choice - 1].name


HELP_ORDER = 3


def register(app: typer.Typer) -> None:
    app.command("join")(join)
