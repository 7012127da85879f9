"""Sharing a casebook through an ordinary git server: ``rj sync``.

:func:`sync`: set the copy up (``storage/syncsetup.py``), commit what is pending
(``storage/changes.py``: message of record ids only, never personal data), fetch the
shared copy (``storage/remote.py``), rebase onto it with rj's merge driver active,
push. A real conflict aborts the rebase: the working tree is clean, the local
commits stay, and the caller is told what both sides changed
(``storage/conflicts.py``); ``prefer`` ("mine"/"theirs", ``rj sync --keep``)
settles it for one side instead, purges included. Unreachable shared copy: the
changes stay committed here. ``rj status`` is ``storage/syncstatus.py``.

Imports flow one way: ``gitcmd`` <- ``syncsetup``, ``changes``, ``remote``,
``conflicts`` <- ``sync`` and ``syncstatus``. The outcome is a value
(:class:`SyncReport`); the CLI words it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rjcli.errors import GitFailed
from rjcli.storage.changes import Changed, CommitRefused, commit_pending
from rjcli.storage.conflicts import FileConflict, read_conflicts, settle
from rjcli.storage.git import git_available
from rjcli.storage.gitcmd import (
    changed_paths,
    count_commits,
    git,
    has,
    identity_env,
    in_progress,
    init_history,
    is_repository,
    out,
    said,
)
from rjcli.storage.remote import Remote, current_branch, fetch, find_remote, set_remote
from rjcli.storage.syncsetup import ATTRIBUTES, foreign_hook, setup_repository
from rjcli.storage.syncstatus import StatusReport, status

__all__ = ["ATTRIBUTES", "Changed", "CommitRefused", "FileConflict", "StatusReport",
           "SyncReport", "foreign_hook", "git_available", "init_history", "is_repository",
           "keep_victims_private", "set_remote", "setup_repository", "status", "sync"]

MAX_ATTEMPTS = 3
"""Fetch-rebase-push rounds when someone else pushes in between."""


@dataclass
class SyncReport:
    """What ``rj sync`` did."""

    committed: Changed = field(default_factory=Changed)
    """Pending changes committed now."""
    sent: int = 0
    """Commits pushed."""
    received: int = 0
    """Commits taken in from the shared copy."""
    received_changes: Changed = field(default_factory=Changed)
    """What they changed."""
    unsent: int = 0
    """Commits kept here because the shared copy could not be reached."""
    unreachable: str | None = None
    """git's reason, when the shared copy could not be reached."""
    no_remote: bool = False
    """The casebook has no shared copy yet."""
    conflicts: tuple[FileConflict, ...] = ()
    """Real conflicts (nothing was taken in or sent)."""
    failure: str | None = None
    """Another reason the shared changes could not be taken in (nothing lost)."""
    setup: list[str] = field(default_factory=list)
    """Set-up done on the way."""
    recovered: bool = False
    """An interrupted earlier sync was undone first."""


def sync(root: Path, worker: str | None = None, prefer: str | None = None,
         remote_url: str | None = None) -> SyncReport:
    """Commit, take in the shared changes, send ours (see the module docstring).

    ``prefer``: "mine" or "theirs" settles conflicting fields (and a record one side
    purged and the other changed) for that side.
    """
    if not git_available():
        raise GitFailed("git is not installed on this computer, so the casebook cannot be "
                        "shared from here", hint="install git (https://git-scm.com), then rj sync")
    report = SyncReport()
    if not is_repository(root):
        init_history(root)
    report.setup = setup_repository(root)
    if remote_url:
        set_remote(root, remote_url)
    if in_progress(root, "rebase-merge") or in_progress(root, "rebase-apply"):
        git(root, "rebase", "--abort", check=False)
        report.recovered = True
    if in_progress(root, "MERGE_HEAD"):
        raise GitFailed("someone started combining changes with git by hand and did not finish",
                        hint="ask whoever looks after the casebook; rj will not touch it meanwhile")
    report.committed = commit_pending(root, worker)
    branch = current_branch(root)
    remote = find_remote(root, branch)
    if remote is None:
        report.no_remote = True
        keep_victims_private(root)
        return report
    try:
        for _attempt in range(MAX_ATTEMPTS):
            if not _round(root, remote, branch, prefer, report):
                return report
        report.failure = "the shared copy kept changing while sending; try again in a minute"
        return report
    finally:
        keep_victims_private(root)


def keep_victims_private(root: Path) -> None:
    """The casebook owner-only again after git took files in (links never followed)."""
    from rjcli.storage.permissions import tighten_and_stamp

    tighten_and_stamp(root)


def _round(root: Path, remote: Remote, branch: str, prefer: str | None,
           report: SyncReport) -> bool:
    """One fetch-rebase-push; True when it must be tried again (someone pushed meanwhile)."""
    has_head = has(root, "HEAD")
    fetched = fetch(root, remote)
    if fetched.returncode != 0:
        report.unreachable = said(fetched)
        report.unsent = count_commits(root, f"{remote.ref}..HEAD" if has(root, remote.ref)
                                      else "HEAD") if has_head else 0
        return False
    if has(root, remote.ref):
        if not has_head:
            git(root, "checkout", "-q", "-B", branch, "--track", remote.ref)
            report.received += count_commits(root, "HEAD")
            report.received_changes = Changed.of(out(root, "ls-files").splitlines())
            return False
        if not _take_in(root, remote, prefer, report):
            return False
        ahead = count_commits(root, f"{remote.ref}..HEAD")
    else:
        ahead = count_commits(root, "HEAD") if has_head else 0
    if ahead == 0:
        return False
    return _send(root, remote, ahead, report)


def _send(root: Path, remote: Remote, ahead: int, report: SyncReport) -> bool:
    """Push; True when someone pushed between our fetch and push (take theirs in again)."""
    pushed = git(root, "push", "-q", "-u", remote.name, f"HEAD:refs/heads/{remote.branch}",
                 check=False)
    if pushed.returncode == 0:
        report.sent += ahead
        return False
    if "fetch first" in pushed.stderr or "non-fast-forward" in pushed.stderr:
        return True
    if "rejected" in pushed.stderr:
        report.failure = f"the shared copy refused the changes ({said(pushed)})"
        return False
    report.unreachable = said(pushed)
    report.unsent = ahead
    return False


def _take_in(root: Path, remote: Remote, prefer: str | None, report: SyncReport) -> bool:
    """Rebase onto the shared copy; False when that could not be done (reported)."""
    behind = count_commits(root, f"HEAD..{remote.ref}")
    if behind == 0:
        return True
    base = out(root, "merge-base", "HEAD", remote.ref)
    changes = Changed.of(changed_paths(root, base, remote.ref)) if base else Changed()
    args = ["rebase", "-q"]
    env: dict[str, str] = {}
    if prefer:
        # while rebasing, "ours" is the shared copy and "theirs" the commits made here
        side = "theirs" if prefer == "mine" else "ours"
        env["RJ_MERGE_PREFER"] = side
        args += ["-X", side]
    env |= identity_env(root, None)
    local = count_commits(root, f"{remote.ref}..HEAD")
    proc = git(root, *args, remote.ref, env=env, check=False)
    try:
        for _commit in range(local if prefer else 0):
            if proc.returncode == 0 or not settle(root, prefer or ""):
                break
            proc = _continue(root, env)
    except GitFailed:
        git(root, "rebase", "--abort", check=False)  # as it was before: nothing lost
        raise
    if proc.returncode != 0:
        report.conflicts = read_conflicts(root, remote.ref)
        git(root, "rebase", "--abort", check=False)
        if not report.conflicts:
            report.failure = said(proc)
        return False
    report.received += behind
    report.received_changes = changes
    return True


def _continue(root: Path, env: dict[str, str]):  # type: ignore[no-untyped-def]
    """Go on with a rebase whose conflicts were settled; a commit the settling emptied
    (this laptop's change to a record the shared copy purged) is dropped."""
    nothing = git(root, "diff", "--cached", "--quiet", check=False).returncode == 0
    step = "--skip" if nothing else "--continue"
    return git(root, "rebase", step, env=env | {"GIT_EDITOR": "true"}, check=False)
