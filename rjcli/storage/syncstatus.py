"""``rj status``: what is here and not shared, and whether the shared copy has changes
not here yet. The outcome is a value (:class:`StatusReport`); the CLI words it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rjcli.storage.changes import Changed, pending
from rjcli.storage.gitcmd import changed_paths, count_commits, has, is_repository, out, said
from rjcli.storage.remote import fetch as fetch_remote
from rjcli.storage.remote import find_remote


@dataclass(frozen=True)
class StatusReport:
    """What is here and not shared, and what is shared and not here."""

    history: bool
    """The casebook has git history (git installed, repository set up)."""
    uncommitted: Changed = field(default_factory=Changed)
    """Changed files not yet in the history."""
    unsent: Changed = field(default_factory=Changed)
    """In the history here, not yet in the shared copy."""
    unsent_commits: int = 0
    """How many commits that is."""
    shared: bool = False
    """A shared copy is set up."""
    reachable: bool = False
    """It could be reached just now."""
    unreachable: str | None = None
    """git's reason when not."""
    behind: int = 0
    """Commits in the shared copy not here yet."""
    behind_changes: Changed = field(default_factory=Changed)
    """What they change."""


def status(root: Path, fetch: bool = True) -> StatusReport:
    """Compare the casebook with the shared copy (fetching it first, quietly)."""
    if not is_repository(root):
        return StatusReport(history=False)
    uncommitted = Changed.of(pending(root))
    has_head = has(root, "HEAD")
    branch = out(root, "symbolic-ref", "--quiet", "--short", "HEAD")
    remote = find_remote(root, branch) if branch else None
    if remote is None:
        everything = out(root, "log", "--name-only", "--format=", "--relative") if has_head else ""
        return StatusReport(history=True, uncommitted=uncommitted,
                            unsent=Changed.of(everything.splitlines()),
                            unsent_commits=count_commits(root, "HEAD") if has_head else 0)
    reachable, reason = True, None
    if fetch:
        proc = fetch_remote(root, remote)
        reachable, reason = proc.returncode == 0, (None if proc.returncode == 0 else said(proc))
    known = has(root, remote.ref)
    unsent_spec = (f"{remote.ref}..HEAD" if known else "HEAD") if has_head else ""
    unsent_files = (out(root, "log", "--name-only", "--format=", "--relative", unsent_spec)
                    if unsent_spec else "")
    behind, behind_changes = 0, Changed()
    if known and has_head:
        behind = count_commits(root, f"HEAD..{remote.ref}")
        base = out(root, "merge-base", "HEAD", remote.ref)
        if behind and base:
            behind_changes = Changed.of(changed_paths(root, base, remote.ref))
    elif known:
        behind = count_commits(root, remote.ref)
    return StatusReport(
        history=True, uncommitted=uncommitted, unsent=Changed.of(unsent_files.splitlines()),
        unsent_commits=count_commits(root, unsent_spec) if unsent_spec else 0,
        shared=True, reachable=reachable, unreachable=reason, behind=behind,
        behind_changes=behind_changes)
