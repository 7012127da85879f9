"""The shared copy of a casebook (git's remote): which one, its address, fetching it.

Fetching prunes: a shared copy whose address changed (``rj sync --remote URL`` to a
new, empty repository) must not be taken for the old one, whose branch would make
everything here look already sent.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from rjcli.errors import GitFailed
from rjcli.storage.gitcmd import git, out


@dataclass(frozen=True)
class Remote:
    """The shared copy this branch syncs with."""

    name: str
    """git's name for it ("origin")."""
    branch: str
    """Its branch."""
    ref: str
    """refs/remotes/<name>/<branch>: what this laptop last saw of it."""


def current_branch(root: Path) -> str:
    branch = out(root, "symbolic-ref", "--quiet", "--short", "HEAD")
    if not branch:
        raise GitFailed("the casebook's history is not on a branch (someone used git by hand)",
                        hint="ask whoever looks after the casebook to check it out on its branch")
    return branch


def find_remote(root: Path, branch: str) -> Remote | None:
    """The shared copy of ``branch`` (its upstream, else "origin", else the only one)."""
    name = out(root, "config", f"branch.{branch}.remote")
    remotes = out(root, "remote").split()
    if not name:
        name = "origin" if "origin" in remotes else (remotes[0] if len(remotes) == 1 else "")
    if not name or name not in remotes:
        return None
    merge = out(root, "config", f"branch.{branch}.merge").removeprefix("refs/heads/")
    upstream = merge or branch
    return Remote(name, upstream, f"refs/remotes/{name}/{upstream}")


def set_remote(root: Path, url: str) -> None:
    """Name the shared copy (git's ``origin``)."""
    if "origin" in out(root, "remote").split():
        git(root, "remote", "set-url", "origin", url)
    else:
        git(root, "remote", "add", "origin", url)


def fetch(root: Path, remote: Remote) -> subprocess.CompletedProcess[str]:
    """Take in what the shared copy has (branches it no longer has are forgotten)."""
    return git(root, "fetch", "-q", "--prune", remote.name, check=False)
