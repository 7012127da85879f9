"""``rj init`` and ``rj demo``: new casebooks."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from rjcli.cli.context import current
from rjcli.core import vocab
from rjcli.core.records import choice_problem
from rjcli.errors import BadInput
from rjcli.render.terminal import say
from rjcli.shipped import shipped_dir
from rjcli.storage import git
from rjcli.storage.layout import copy_shifted, create_casebook
from rjcli.storage.permissions import tighten_and_stamp

SAMPLE_TODAY = date(2026, 6, 15)
"""The day the sample casebook is written to be read on (a Monday)."""


def init(
    path: Annotated[Path, typer.Argument(help="Folder for the new casebook.")],
    service: Annotated[str, typer.Option(help="The service's name, as printed on letters.")],
    profile: Annotated[str, typer.Option(help="Policy profile: national, wokingham, somerset, "
                                               "tower-hamlets.")] = "national",
    region: Annotated[str, typer.Option(help="Bank holidays of: england or wales.")] = "england",
    autocommit: Annotated[bool, typer.Option(help="Commit every change to git.")] = True,
) -> None:
    """Create a new, empty casebook (a git repository when git is installed).

    Example: rj init ~/casebook --service "Exampletown Youth Justice Service" --profile wokingham
    """
    problems = [p for p in (choice_problem("profile", profile, vocab.POLICY_PROFILES),
                            choice_problem("region", region, vocab.REGIONS)) if p]
    if problems:
        raise BadInput("; ".join(problems))
    create_casebook(path, service, profile, region, autocommit)
    has_git = git.init_repository(path)
    from rjcli.storage.sync import setup_repository

    setup_repository(path)
    if has_git:
        git.first_commit(path)
    tighten_and_stamp(path)
    say(f"Created casebook {path} for {service} ({profile} policy, {region} bank holidays)"
        + (", with git history" if has_git else ""))
    say(f"Next: rj -C {path} staff add \"Your Name\" --role rj-worker --phone \"...\"")


def demo(
    path: Annotated[Path, typer.Argument(help="Folder for the demo casebook.")],
) -> None:
    """Create a demo casebook whose dates are relative to today, for a first look.

    It is the sample casebook moved in whole weeks so that its story ends this week.
    Example: rj demo /tmp/rj-demo && rj -C /tmp/rj-demo due --all
    """
    today = current().today
    if path.exists() and any(path.iterdir()):
        raise BadInput(f"{path} is not empty", hint="choose a new folder for the demo")
    weeks = (today - SAMPLE_TODAY).days // 7
    count = copy_shifted(shipped_dir("sample-casebook"), path, weeks * 7)
    tighten_and_stamp(path)
    say(f"Created demo casebook {path} ({count} files, dates moved {weeks} weeks).")
    say(f"Try: rj -C {path} due --all")


HELP_ORDER = 10


def register(app: typer.Typer) -> None:
    app.command()(init)
    app.command()(demo)
