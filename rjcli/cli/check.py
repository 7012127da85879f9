"""``rj check``: is every file sound, linked, dated sanely and private?"""

from __future__ import annotations

from typing import Annotated

import typer

from rjcli.cli.context import current
from rjcli.render.terminal import out, print_json, print_problems


def check(
    as_json: Annotated[bool, typer.Option("--json", help="Print problems as JSON.")] = False,
) -> None:
    """Check every file: it parses, matches its schema, links resolve both ways, dates
    are sane, and no victim identifier appears anywhere under children/, in reports
    written to output/, or in letters written from a child's record.

    Prints file:line: message for each problem and exits 1 when there is an error
    (warnings and notes alone exit 0).
    Example: rj check
    """
    from rjcli.storage.checking import check_casebook

    ctx = current()
    problems = check_casebook(ctx.casebook, ctx.today, use_cache=ctx.use_cache)
    errors = [p for p in problems if p.severity == "error"]
    if as_json:
        print_json({"ok": not errors, "problems": [p.as_json() for p in problems]})
    else:
        print_problems(problems)
        warnings = sum(p.severity == "warning" for p in problems)
        notes = len(problems) - len(errors) - warnings  # e.g. an approved family victim
        also = f", {notes} note(s)" if notes else ""
        if errors:
            out().print(f"[red]{len(errors)} error(s)[/red], {warnings} warning(s){also}")
        else:
            shown = f", {warnings} warning(s)" if warnings else ""
            out().print(f"[green]casebook OK[/green]{shown}{also}")
    if errors:
        raise typer.Exit(1)


HELP_ORDER = 70




def reindex() -> None:
    """Rebuild the index of the casebook from its files (it is only ever a cache).

    Use it after restoring files from a backup with old modification times.
    Example: rj reindex
    """
    from rjcli.storage.index import Index
    from rjcli.storage.snapshot import progress_bar

    ctx = current()
    index = Index(ctx.casebook)
    index.drop()
    result = index.refresh(ctx.today, progress_bar)
    index.close()
    out().print(f"Index rebuilt: {result.changed} record files read.")


def register(app: typer.Typer) -> None:
    app.command()(check)
    app.command()(reindex)
