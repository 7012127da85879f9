"""``rj sync``, ``rj status`` and ``rj merge-file``: one casebook, a whole team.

The casebook is shared through an ordinary git server; these commands say what
happened in plain words, never in git's.
"""

from __future__ import annotations

import os
import shlex
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from rjcli.cli.context import current
from rjcli.errors import BadInput, SyncOffline
from rjcli.render.terminal import err, escape, print_json, say, warn

if TYPE_CHECKING:
    from rjcli.storage.changes import Changed
    from rjcli.storage.conflicts import FileConflict
    from rjcli.storage.sync import SyncReport
    from rjcli.storage.syncstatus import StatusReport

KEEP_CHOICES = ("mine", "theirs")


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def sync(
    setup: Annotated[bool, typer.Option(
        "--setup", help="Only set this copy up for team work (merge helper, check before "
        "each commit), then stop. Every sync does this quietly too.")] = False,
    remote: Annotated[str | None, typer.Option(
        "--remote", help="The shared copy's address (a GitLab/Gitea URL or a folder on a "
        "share); needed once.", show_default=False)] = None,
    keep: Annotated[str | None, typer.Option(
        "--keep", help="After a conflict: keep 'mine' or 'theirs' where you both changed "
        "the same thing (a record purged on one side and changed on the other: deleted, or "
        "kept with its purge undone).", show_default=False)] = None,
) -> None:
    """Share your changes with the team and take in theirs.

    Saves what you changed, takes in what others sent, sends yours. Two people
    adding contacts or entries to the same record never clash; when you both
    changed the same field differently, nothing is sent and you are told what to do.
    Without a network it says so, keeps your changes committed here for next
    time and exits 10.
    Example: rj sync
    """
    from rjcli.storage import sync as sharing

    ctx = current()
    root = ctx.casebook.root
    if keep is not None and keep not in KEEP_CHOICES:
        raise BadInput(f"--keep '{keep}': say mine or theirs")
    if setup:
        if not sharing.git_available():
            raise BadInput("git is not installed on this computer",
                           hint="install git (https://git-scm.com), then rj sync --setup")
        if not sharing.is_repository(root):
            sharing.init_history(root)
        done = sharing.setup_repository(root)
        if remote:
            sharing.set_remote(root, remote)
            done.append("set the shared copy's address")
        from rjcli.storage.permissions import tighten_and_stamp

        tighten_and_stamp(root)  # git init and the hook are owner-only too
        say(("Set up for team work: " + "; ".join(done) + ".") if done
            else "Already set up for team work.")
        own = sharing.foreign_hook(root)
        if own is not None:
            warn(f"Your own commit hook {escape(str(own))} was left as it is, so rj check does "
                 "not run before each commit; add rj's lines to it by hand if you want both.")
        return
    report = sharing.sync(root, worker=ctx.worker, prefer=keep, remote_url=remote)
    _say_sync(report, root)
    if report.conflicts or report.failure:
        raise typer.Exit(1)
    if report.unreachable is not None:
        raise SyncOffline(_offline_words(report),
                          hint="rj sync again when the shared copy can be reached; "
                          "rj status shows what is waiting")
    if report.received:
        _warn_problems()


def _offline_words(report: SyncReport) -> str:
    kept = (f"your {_n(report.unsent, 'change')} " + ("is" if report.unsent == 1 else "are")
            + " saved on this computer and will be sent at the next rj sync"
            if report.unsent else "nothing of yours is waiting to be sent")
    return f"Could not reach the shared copy ({report.unreachable}): {kept}."


def _say_sync(report: SyncReport, root: Path) -> None:
    if report.recovered:
        warn("An earlier sync was interrupted; it was undone first (nothing was lost).")
    if report.setup:
        say("Set up this copy for team work: " + "; ".join(report.setup) + ".")
    if report.committed:
        say(f"Saved your changes to {report.committed.words()} for sharing.")
    if report.no_remote:
        warn("This casebook is not shared yet: everything is saved on this computer only.")
        warn("To share it, give the shared copy's address once: rj sync --remote URL")
        return
    if report.conflicts:
        _say_conflicts(report.conflicts, root)
        return
    if report.failure:
        err().print(f"[red]Could not take in the shared changes:[/red] {escape(report.failure)}")
        err().print("Nothing was lost: your changes are saved on this computer. "
                    "Try rj sync again; if it keeps failing, ask whoever looks after the casebook.")
        return
    if report.unreachable is not None:
        return  # said by SyncOffline, with its own exit code
    if not (report.sent or report.received):
        say("Already up to date.")
        return
    say(f"{_n(report.sent, 'change')} sent, {report.received} received.")
    if report.received_changes:
        say(f"Received: {report.received_changes.words()} changed.")


def _who(conflict: FileConflict) -> str:
    names = list(conflict.others) or ["Someone else"]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _say_conflicts(conflicts: tuple[FileConflict, ...], root: Path) -> None:
    first_name = ""
    for file in conflicts:
        who = _who(file)
        first_name = first_name or who
        _say_conflict(file, who)
    err().print(f"Nothing was sent and nothing is lost: your version is kept on this computer, "
                f"{escape(first_name)}'s is in the shared copy.")
    err().print("Choose one, and everything else is shared as usual:")
    err().print("  rj sync --keep mine     keeps yours")
    err().print(f"  rj sync --keep theirs   keeps {escape(first_name)}'s")
    for file in conflicts:
        if file.deleted:
            purged, kept = ("theirs", "mine") if file.deleted == "shared" else ("mine", "theirs")
            err().print(f"  ({escape(file.record)}: --keep {purged} deletes it as purged, "
                        f"--keep {kept} keeps the record and undoes the purge)")
    _say_corrections(conflicts, root)


def _say_conflict(file: FileConflict, who: str) -> None:
    from rjcli.core.merge import describe, show_value

    if not file.conflicts:
        err().print(f"[red]{escape(who)} and you both changed {escape(file.path)}[/red], "
                    f"and the two versions cannot be combined ({escape(file.note or '')}).")
        return
    for conflict in file.conflicts:
        what = describe(conflict)
        joint = " in " if " of " in what else " of "
        err().print(f"[red]{escape(who)} and you both changed {escape(what)}{joint}"
                    f"{escape(file.record)}:[/red]")
        err().print(f"  {escape(who)}: {escape(show_value(conflict.ours))}")
        err().print(f"  you: {escape(show_value(conflict.theirs))}")


def _say_corrections(conflicts: tuple[FileConflict, ...], root: Path) -> None:
    """How to correct what was kept: rj edit for a record, a text editor for settings
    and other files (rj edit takes record ids only)."""
    from rjcli.core.ids import is_record_id

    kept = [f for f in conflicts if not f.deleted]
    ids = [f.record for f in kept if is_record_id(f.record)]
    if ids:
        edits = ", ".join(f"rj edit {r}" for r in dict.fromkeys(ids))
        err().print(f"If neither is right, keep one, then correct it with: {escape(edits)}")
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    for file in kept:
        if not is_record_id(file.record):
            where = shlex.quote(str(root.resolve() / file.path))
            what = "the settings" if file.path == "rj.yaml" else escape(file.path)
            err().print(f"If neither is right, keep one, then correct {what} in a text editor "
                        f"and rj sync again: {escape(editor)} {escape(where)}", soft_wrap=True)


def _warn_problems() -> None:
    from rjcli.storage.checking import check_casebook

    ctx = current()
    errors = [p for p in check_casebook(ctx.casebook, ctx.today) if p.severity == "error"]
    if errors:
        warn(f"After taking in the shared changes, rj check finds {_n(len(errors), 'problem')} "
             f"(first: {errors[0]}). Run rj check to see them all.")


def status(
    offline: Annotated[bool, typer.Option(
        "--offline", help="Do not contact the shared copy (use what is known from the last "
        "sync).")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the status as JSON.")] = False,
) -> None:
    """What is changed here and not yet shared, and what the shared copy has that is not
    here yet.

    Example: rj status
    """
    from rjcli.storage import sync as sharing

    report = sharing.status(current().casebook.root, fetch=not offline)
    if as_json:
        print_json(_status_json(report))
        return
    _say_status(report)


def _changed_json(changed: Changed) -> dict[str, object]:
    return {"records": list(changed.records), "settings": changed.settings,
            "other_files": changed.others}


def _status_json(report: StatusReport) -> dict[str, object]:
    return {
        "history": report.history, "shared": report.shared, "reachable": report.reachable,
        "uncommitted": _changed_json(report.uncommitted),
        "unsent": _changed_json(report.unsent), "unsent_changes": report.unsent_commits,
        "behind": report.behind, "behind_changes": _changed_json(report.behind_changes),
    }


def _say_status(report: StatusReport) -> None:
    if not report.history:
        say("This casebook keeps no shared history (git is not installed or not set up here).")
        return
    if report.uncommitted:
        say(f"Changed here, not yet saved for sharing: {report.uncommitted.words()}.")
    if report.unsent_commits:
        say(f"Saved here, not yet sent: {_n(report.unsent_commits, 'change')} to "
            f"{report.unsent.words() or 'the casebook'}.")
    if not (report.uncommitted or report.unsent_commits):
        say("Nothing here is waiting to be shared.")
    if not report.shared:
        warn("Not shared: no shared copy is set up (rj sync --remote URL).")
    elif not report.reachable:
        warn(f"Could not reach the shared copy ({escape(report.unreachable or 'no answer')}).")
    elif report.behind:
        to = f", to {report.behind_changes.words()}" if report.behind_changes else ""
        them = "it" if report.behind == 1 else "them"
        say(f"The shared copy has {_n(report.behind, 'change')} not here yet{to}: "
            f"rj sync takes {them} in.")
    else:
        say("The shared copy has nothing new.")
    if report.uncommitted or report.unsent_commits or report.behind:
        say("Run rj sync to share.")


def merge_file(
    base: Annotated[Path, typer.Argument(help="The common ancestor (git's %O).")],
    ours: Annotated[Path, typer.Argument(help="Our version; the result is written here (%A).")],
    theirs: Annotated[Path, typer.Argument(help="Their version (%B).")],
    path: Annotated[str, typer.Argument(help="The file's path in the casebook (%P).")] = "",
) -> None:
    """Merge two changed versions of a record (run by git, not by hand).

    Logs are joined entry by entry, fields one by one; comments are kept. Exits 0 on
    a clean merge, 1 when both changed the same field differently (conflict markers
    are then left in the file). Registered by rj init and rj sync --setup.
    Example: rj merge-file base.yaml ours.yaml theirs.yaml victims/V-0012.yaml
    """
    from rjcli.core.merge import describe, show_value
    from rjcli.storage import yamlio
    from rjcli.storage.mergefile import merge_file as merge_files
    from rjcli.storage.mergefile import record_label

    prefer = os.environ.get("RJ_MERGE_PREFER")
    prefer = prefer if prefer in ("ours", "theirs") else None
    label = record_label(path or str(ours))
    try:
        result = merge_files(base, ours, theirs, prefer)
    except (yamlio.YamlProblem, OSError) as exc:
        err().print(f"rj: {escape(label)}: cannot merge: {escape(str(exc))}")
        raise typer.Exit(1) from None
    if result.unreadable is not None:
        left = "" if prefer else "; both versions are left in the file between markers"
        err().print(f"rj: {escape(label)}: cannot merge field by field "
                    f"({escape(result.unreadable)}){left}")
    for conflict in result.conflicts:
        kept = f"; kept {prefer}" if prefer else ""
        err().print(f"rj: {escape(label)}: both sides changed {escape(describe(conflict))} "
                    f"({escape(conflict.where())}): ours {escape(show_value(conflict.ours))}, "
                    f"theirs {escape(show_value(conflict.theirs))}{kept}")
    if prefer is None and not result.clean:
        raise typer.Exit(1)


HELP_ORDER = 85


def register(app: typer.Typer) -> None:
    app.command()(sync)
    app.command()(status)
    app.command("merge-file")(merge_file)
