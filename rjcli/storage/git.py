"""Real git for history: autocommit of each change (team sync lives in ``sync.py``).

Each change is one commit whose message names the action and the record id, never
personal data (a commit message is copied to every clone and cannot be purged
without rewriting history).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from rjcli.errors import GitFailed
from rjcli.storage.atomic import locked

if TYPE_CHECKING:
    from rjcli.storage.casebook import Casebook


def git_available() -> bool:
    return shutil.which("git") is not None


def run_git(root: Path, *args: str, check: bool = True,
            author: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run git in ``root`` with a fallback identity; GitFailed when ``check`` and it fails."""
    env = dict(os.environ)
    # the worker at the keyboard is the author; else git's own identity; else "rj"
    name = author or env.get("RJ_WORKER") or (None if _configured_name(root) else "rj")
    if name:
        env.setdefault("GIT_AUTHOR_NAME", name)
        env.setdefault("GIT_COMMITTER_NAME", name)
        env.setdefault("GIT_AUTHOR_EMAIL", "rj@localhost")
        env.setdefault("GIT_COMMITTER_EMAIL", "rj@localhost")
    proc = subprocess.run(
        ["git", *args], cwd=root, env=env, capture_output=True, text=True, check=False,
        umask=0o077,  # what git writes (objects, checked-out files) is owner-only
    )
    if check and proc.returncode != 0:
        raise GitFailed(f"git {args[0]} failed: {(proc.stderr or proc.stdout).strip()}")
    return proc


_NAMES: dict[Path, bool] = {}


def _configured_name(root: Path) -> bool:
    if root not in _NAMES:
        proc = subprocess.run(["git", "config", "user.name"], cwd=root, capture_output=True,
                              text=True, check=False)
        _NAMES[root] = bool(proc.stdout.strip())
    return _NAMES[root]


def is_repository(root: Path) -> bool:
    if not git_available():
        return False
    proc = run_git(root, "rev-parse", "--is-inside-work-tree", check=False)
    return proc.returncode == 0 and proc.stdout.strip() == "true"


def init_repository(root: Path) -> bool:
    """``git init`` a new casebook when git is installed; True when done."""
    if not git_available():
        return False
    run_git(root, "init", "-q")
    # objects and index owner-only, like the victim files they copy
    run_git(root, "config", "core.sharedRepository", "0600")
    return True


def first_commit(root: Path, message: str = "rj: new casebook") -> None:
    """Commit the casebook's own files (rj.yaml, .gitignore, .gitattributes, folders)."""
    names = [n for n in ("rj.yaml", ".gitignore", ".gitattributes", "victims/.gitkeep",
                         "children/.gitkeep") if (root / n).exists()]
    run_git(root, "add", "--", *names)
    run_git(root, "commit", "-q", "-m", message)


def commit_paths(casebook: Casebook, paths: Sequence[Path], message: str,
                 author: str | None = None) -> None:
    """Commit just ``paths`` (other staged work is left alone), one process at a time."""
    if not is_repository(casebook.root):
        return
    rels = [casebook.rel(p) for p in paths]
    with locked(casebook.lock_path("git"), "the casebook's git history"):
        run_git(casebook.root, "add", "--", *rels)
        status = run_git(casebook.root, "status", "--porcelain", "--", *rels)
        if status.stdout.strip():
            run_git(casebook.root, "commit", "-q", "-m", f"rj: {message}", "--only", "--", *rels,
                    author=author)
