"""Several casebooks in one report: ``rj report quarterly -C east -C west`` (issue 20).

``-C``/``--casebook`` before the command names THE casebook of any rj command. Given
after ``rj report quarterly``, and repeated, it names the casebooks to add up: the one
named before the command (if any) first, then these, in order. One casebook named in all
is the ordinary report of that casebook (``rj report quarterly -C east`` is
``rj -C east report quarterly``). RJ_CASEBOOK and the folder rj is run in are not added
when casebooks are named here: only what is named is counted.

Each casebook is read on its own (its index, policy and calendar); the reports are then
added up by ``rjcli.core.combine``. An HTML or Excel report with no ``--out`` goes to the
first casebook's ``output/``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from rjcli.cli.context import AppContext, current
from rjcli.errors import BadInput

if TYPE_CHECKING:
    from rjcli.core.combine import Service
    from rjcli.core.problems import Problem
    from rjcli.core.reports import Period

Casebooks = Annotated[list[str] | None, typer.Option(
    "--casebook", "-C", help="Add up several casebooks: repeat it (-C east -C west); "
    "with a casebook named before the command, that one comes first.", show_default=False)]


def casebook_roots(ctx: AppContext, named: list[str]) -> list[Path]:
    """The casebooks to report on, each once: the global --casebook (when given), then
    ``named``. Refused when one is named twice (its figures would count twice)."""
    from rjcli.storage.casebook import find_casebook

    given = ([ctx.casebook_option] if ctx.casebook_option else []) + named
    roots: list[Path] = []
    for text in given:
        root = find_casebook(text, None, Path.cwd())
        if root in roots:
            raise BadInput(f"the casebook {root} is named twice: its figures would be counted "
                           "twice", hint="name each casebook once: -C east -C west")
        roots.append(root)
    return roots


def one_or_several(named: list[str] | None) -> list[Path] | None:
    """The casebooks when several are named; None for the ordinary report (after making
    the one named, if any, this command's casebook)."""
    if not named:
        return None
    ctx = current()
    roots = casebook_roots(ctx, named)
    if len(roots) == 1:
        ctx.casebook_option = str(roots[0])
        return None
    ctx.casebook_option = str(roots[0])  # the first: output/ and the out-path ledger
    return roots


def services(roots: list[Path], period: Period) -> tuple[list[Service], list[Problem]]:
    """Each casebook's quarterly report, and the record files that could not be read
    (named with their casebook)."""
    from dataclasses import replace

    from rjcli.cli.report import load_quarter
    from rjcli.core.combine import Service
    from rjcli.core.reports import quarterly_report
    from rjcli.storage.policy import load_calendar

    ctx = current()
    found: list[Service] = []
    problems: list[Problem] = []
    keys: set[str] = set()
    for root in roots:
        own = AppContext(casebook_option=str(root), today=ctx.today, now=ctx.now,
                         worker_typed=None, use_cache=ctx.use_cache)
        work, not_read = load_quarter(own, period)
        name = own.casebook.config.service.name
        calendar = work.calendar or load_calendar(own.casebook, ctx.today)
        report = quarterly_report(work, period, ctx.today, name, calendar)
        key = _key(root.name, keys)
        found.append(Service(key, name, report, tuple(work.rules)))
        problems += [replace(p, path=f"{root.name}/{p.path}") for p in not_read]
    names = [s.name for s in found]
    if len(set(names)) < len(names):  # two teams of one service: their folders tell apart
        found = [replace(s, name=f"{s.name} ({r.name})") for s, r in zip(found, roots, strict=True)]
    return found, problems


def _key(folder: str, taken: set[str]) -> str:
    key, n = folder, 2
    while key in taken or key == "all":
        key, n = f"{folder}-{n}", n + 1
    taken.add(key)
    return key


def combined_quarterly(roots: list[Path], period: Period, fmt: str, out_path: Path | None,
                       suppress: bool, explain: bool, force: bool) -> None:
    """``rj report quarterly`` over several casebooks (see the module docstring)."""
    from rjcli.cli.report import emit
    from rjcli.core.combine import combined_report

    found, problems = services(roots, period)
    report = combined_report(found)
    name = "-".join(s.key for s in found)
    emit(report, fmt, out_path, suppress, explain, problems, f"report-{period.label}-{name}",
         force)
