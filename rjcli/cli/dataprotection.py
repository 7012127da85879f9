"""``rj export``, ``rj retention``, ``rj purge``: subject access, retention and deletion."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from rjcli.cli.context import record_id_arg
from rjcli.cli.context import current
from rjcli.errors import BadInput, ChangeRefused
from rjcli.render.terminal import err, escape, out, print_json, say


def note(message: str) -> None:
    """A warning on stderr, never wrapped: its commands must survive copy and paste."""
    err().print(f"[yellow]{escape(message)}[/yellow]", soft_wrap=True)


def export(
    record: Annotated[str, typer.Argument(help="Record id, V-... or C-...")],
    out_dir: Annotated[Path, typer.Option(
        "--out", help="The folder to write into (created if needed).", show_default=False)],
    as_json: Annotated[bool, typer.Option(
        "--json", help="Print what was written as JSON.")] = False,
    force: Annotated[bool, typer.Option(
        "--force", help="Replace files in the folder even if rj did not write them.")] = False,
) -> None:
    """Subject access: write everything held about one person into a folder.

    Writes ID.json (the record), ID.md (a readable account: details, consents,
    contacts, assessments with the questions as asked, offers, conferences...) and
    letters/ (copies of the letters sent). Nothing about anyone else: a victim's
    export calls the child "the child"; a child's export shows victims only as
    "Victim 1". Keep the folder safe: it holds personal data.

    Example: rj export V-0001 --out ~/sar/V-0001
    """
    from rjcli.storage.export import export_record

    ctx = current()
    record_id = record_id_arg(record)
    done = export_record(ctx.casebook, record_id, out_dir, ctx.today, force)
    if as_json:
        print_json({"record": record_id, "written": [str(p) for p in done.written],
                    "not_copied": done.not_copied})
        return
    say(f"Exported {record_id} ({len(done.written)} files):")
    for path in done.written:
        say(f"  {escape(str(path))}")
    for why in done.not_copied:
        note(f"  not included: {why}")
    say("[dim]These files hold personal data: keep them safe, and read the notes for "
        "anyone else's details before release.[/dim]")


def retention(
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """Closed records past their retention date (rj.yaml: retention: {victim: YEARS,
    child: YEARS}, counted from closure). Ids and dates only, never names.

    Example: rj retention
    """
    from rjcli.core.retention import past_retention
    from rjcli.storage.purge import record_of

    ctx = current()
    book = ctx.casebook
    years = book.config.retention_years
    records = []
    unreadable = []
    for _kind, _path, data, problem in book.iter_records():
        if problem is not None or data is None:
            unreadable.append(problem)
            continue
        records.append(record_of(data))
    due = past_retention(records, years, ctx.today)
    if as_json:
        print_json({"retention_years": dict(years), "past": [r.as_json() for r in due]})
    elif not due:
        say("No record is past its retention date.")
    else:
        from rich.table import Table

        table = Table(box=None, pad_edge=False)
        for column in ("id", "kind", "closed", "retention end"):
            table.add_column(column)
        for r in due:
            table.add_row(r.id, r.kind, r.closed.isoformat() if r.closed else "",
                          r.ends.isoformat() if r.ends else "")
        out().print(table)
        say(f"{len(due)} record(s) past retention: rj purge ID --confirm deletes one.")
    for kind in ("victim", "child"):
        if kind not in years and not as_json:
            note(f"rj.yaml sets no retention period for {kind} records: none is ever listed "
                 f"(add retention: {{{kind}: YEARS}})")
    for problem in unreadable:
        note(f"unreadable, not reviewed: {problem}")
    if unreadable:
        raise typer.Exit(1)


def purge(
    record: Annotated[str, typer.Argument(help="Record id, V-... or C-...")],
    confirm: Annotated[bool, typer.Option(
        "--confirm", help="Really delete (without it: show what would go).")] = False,
    early: Annotated[bool, typer.Option(
        "--early", help="Purge before the retention period ends (needs --reason).")] = False,
    reason: Annotated[str | None, typer.Option(
        "--reason", help="Why (recorded on the tombstone; default 'retention period "
        "ended').", show_default=False)] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print what was done as JSON.")] = False,
) -> None:
    """Delete a closed record past its retention date, with its letters and copies,
    leaving a tombstone (id, dates, closure reason) so reports stay explainable.

    Example: rj --today 2028-02-25 purge V-0012 --confirm
    """
    from rjcli.storage.purge import history_advice, plan_purge
    from rjcli.storage.purge import purge as do_purge

    ctx = current()
    record_id = record_id_arg(record)
    if reason is not None and not reason.strip():
        raise BadInput("--reason is empty: say why")
    plan = plan_purge(ctx.casebook, record_id, ctx.today)
    refused = plan.refusal(early, reason)
    if refused:
        raise ChangeRefused(refused, hint="nothing was deleted")
    if not confirm:
        say(f"rj purge {record_id} would delete:")
        for path in [plan.path, *plan.files]:
            say(f"  {escape(ctx.casebook.rel(path))}")
        raise ChangeRefused(f"{record_id} was not purged: add --confirm to delete it",
                            hint="nothing was deleted")
    ctx.writer()  # who purged it is the commit's author
    done = do_purge(ctx.casebook, record_id, ctx.today, early=early, reason=reason)
    if as_json:
        print_json({"record": record_id, "tombstone": done.tombstone, "deleted": done.deleted,
                    "not_deleted": done.outside, "git_history_holds_it": done.history,
                    "committed": done.committed})
    else:
        say(f"Purged {record_id}: deleted {len(done.deleted)} file(s):")
        for rel in done.deleted:
            say(f"  {escape(rel)}")
        say(f"Kept the tombstone {done.tombstone} (dates and reasons only).")
    for name in done.outside:
        note(f"not deleted: {name} (outside the casebook's output/ folder, or another "
             "record's letter); delete it yourself if it is a copy of this record's letter")
    if done.history:
        for line in history_advice(ctx.casebook.rel(plan.path)):
            note(line)
        if not done.committed:
            note(f"autocommit is off: commit the deletion too: git add -A "
                 f"{ctx.casebook.rel(plan.path)} {done.tombstone} && git commit")


HELP_ORDER = 78


def register(app: typer.Typer) -> None:
    app.command()(export)
    app.command()(retention)
    app.command()(purge)
