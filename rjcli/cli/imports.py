"""``rj import referrals FILE``: a police notification or allocation list, one victim a row."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from rjcli.cli.context import current
from rjcli.errors import BadInput

import_app = typer.Typer(help="Bring records in from a file (rj import referrals FILE).",
                         no_args_is_help=True)

PROGRESS_FROM = 20
"""Rows from which a progress bar is shown (at a terminal only)."""


def _link(child_id: str, victim_ids: list[str]) -> None:
    """Add the victims, by id and label only, to the child's record (Somerset 5.4)."""
    def add_refs(tree: Any) -> None:
        from rjcli.storage.edits import append

        refs = tree.get("victims") or []
        labels = [str(r.get("label", "")).split()[-1:] for r in refs]
        number = max((int(w[0]) for w in labels if w and w[0].isdigit()), default=0)
        known = {r.get("ref") for r in refs}
        for victim_id in victim_ids:
            if victim_id not in known:
                number += 1
                append(tree, "victims", {"ref": victim_id, "label": f"Victim {number}"})

    current().casebook.change(child_id, add_refs, "link victims to")


@import_app.command("referrals")
def import_referrals(
    file: Annotated[Path, typer.Argument(help="A .csv (UTF-8) or .xlsx file: a header row "
                                         "naming the columns, then one victim a row.")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Print what would be created; "
                                          "write nothing.")] = False,
    skip_bad: Annotated[bool, typer.Option("--skip-bad", help="Import the valid rows and "
                                           "write the rejected ones to a file.")] = False,
    rejected: Annotated[Path | None, typer.Option(help="Where --skip-bad writes the rejected "
                        "rows (default: output/rejected-FILE in the casebook).")] = None,
    force: Annotated[bool, typer.Option(help="Replace an existing --rejected file.")] = False,
) -> None:
    """Open a victim case for each row of a referrals file, in one commit.

    Every row is checked first: if any is not valid, each problem is listed by row and
    column and nothing is written (unless --skip-bad). A row naming a victim the casebook
    already has (same name and date of birth, or the same phone) is listed as a possible
    duplicate and not created. Dates are read day first. The columns: see README,
    "Importing referrals", or sample-casebook/imports/referrals.csv.
    Example: rj import referrals referrals.csv --dry-run
    """
    from rjcli.core.records import new_child_record, new_victim_record
    from rjcli.core.referrals import plan_import
    from rjcli.render.terminal import err, escape, say
    from rjcli.storage import referrals as store

    ctx = current()
    table = store.read_table(file)
    writer = ctx.worker if dry_run else ctx.writer()
    plan = plan_import(table, ctx.today, store.known(ctx.casebook, writer))

    def build_victim(rid: str, planned: Any) -> Any:
        return new_victim_record(rid, planned.victim, ctx.new_id, ctx.today, writer,
                                 ctx.recorded_at)

    def build_child(rid: str, child: Any) -> Any:
        return new_child_record(rid, child, ctx.new_id, ctx.today, writer)

    if not plan.problems:
        plan.problems += store.schema_problems(plan, build_victim, build_child)
        plan.victims = [v for v in plan.victims if v.row not in plan.bad_rows]
    for problem in plan.problems:
        err().print(f"[red]{escape(file.name)}: {escape(str(problem))}[/red]")
    if any(p.row == 1 for p in plan.problems):
        raise BadInput(f"{file.name}: the header row is not right; nothing was imported",
                       hint="the columns: rj import referrals --help, or the README")
    if plan.bad_rows and not skip_bad:
        raise BadInput(f"{file.name}: {len(plan.bad_rows)} of {len(plan.rows)} rows are not "
                       "valid; nothing was imported",
                       hint="fix those rows and import again, or give --skip-bad to import "
                            "the valid rows and get the rejected ones in a file")
    for duplicate in plan.duplicates:
        say(escape(f"{duplicate}: not created"))
    if dry_run:
        _print_plan(plan, file.name)
        return
    done = _write(ctx, plan, store, build_victim, build_child, file.name)
    children = len(plan.new_children)
    say(escape(f"Imported {file.name}: {len(done)} victim case(s) opened"
               + (f", {children} new child record(s)" if children else "")
               + (f"; {len(plan.duplicates)} possible duplicate(s) not created"
                  if plan.duplicates else "") + "."))
    if plan.bad_rows:
        target = rejected or ctx.casebook.output_dir / f"rejected-{file.stem}.csv"
        from rjcli.storage.outpaths import write_output

        written = write_output(ctx.casebook.root, target, store.rejected_csv(plan),
                               "the rejected rows", force or rejected is None, "--rejected")
        say(escape(f"{len(plan.bad_rows)} rejected row(s) not imported, written to "
                   f"{written}: fix them there and import that file."))


def _write(ctx: Any, plan: Any, store: Any, build_victim: Any, build_child: Any,
           name: str) -> list[str]:
    """Write the plan, with a progress bar on stderr for a large file at a terminal."""
    from rjcli.render.terminal import err

    rows = store.write_plan(ctx.casebook, plan, build_victim, build_child, _link,
                            f"import referrals from {name}")
    if len(plan.victims) < PROGRESS_FROM or not err().is_terminal:
        return [victim_id for _row, victim_id in rows]
    from rich.progress import Progress

    done = []
    with Progress(console=err(), transient=True) as progress:
        task = progress.add_task("Importing", total=len(plan.victims))
        for _row, victim_id in rows:
            done.append(victim_id)
            progress.advance(task)
    return done


def _print_plan(plan: Any, name: str) -> None:
    from rjcli.render.terminal import escape, say

    for planned in plan.victims:
        v = planned.victim
        if planned.new_child is not None:
            child = plan.new_children[planned.new_child][1]
            to = f"a new child record for {child.name} (born {child.dob})"
        else:
            to = ", ".join(v.children)
        say(escape(f"row {planned.row}: would open a victim case for {v.name}, allocated to "
                   f"{v.worker}, linked to {to}"))
    say(escape(f"Dry run of {name}: {len(plan.victims)} victim case(s) and "
               f"{len(plan.new_children)} new child record(s) would be created; "
               f"{len(plan.duplicates)} possible duplicate(s), {len(plan.bad_rows)} rejected "
               "row(s). Nothing was written."))


HELP_ORDER = 22


def register(app: typer.Typer) -> None:
    app.add_typer(import_app, name="import")
