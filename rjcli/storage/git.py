"""Real git for history: autocommit of each change (team sync lives in ``sync.py``).

Each change is one commit whose message names the action and the record id, never
personal data (a commit message is copied to every clone and cannot be purged
without rewriting history).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from rjcli.errors import GitFailed, NotCommitted
from rjcli.storage.atomic import crash_point, locked

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


UNCOMMITTED = "uncommitted"
"""Under ``.rj/``: files saved whose commit failed, one a line; the next commit takes them."""


def commit_paths(casebook: Casebook, paths: Sequence[Path], message: str,
                 author: str | None = None) -> None:
    """Commit just ``paths`` (other staged work is left alone), one process at a time,
    with any file an earlier commit failed to take. When the commit fails the files ARE
    saved: they are noted for the next commit and :class:`NotCommitted` says so."""
    rels = [casebook.rel(p) for p in paths]
    if not git_available():
        if (casebook.root / ".git").exists():
            _not_committed(casebook, rels, "git is not installed (or not on PATH)")
        return
    if not is_repository(casebook.root):
        return
    with locked(casebook.lock_path("git"), "the casebook's git history"):
        earlier = _uncommitted(casebook)
        rels = _committable(casebook, [*rels, *(r for r in earlier if r not in rels)])
        if not rels:
            return
        try:
            try:
                _commit(casebook.root, rels, message, author)
            except GitFailed as exc:
                if "index.lock" not in exc.message or not _index_unlocked(casebook.root):
                    raise
                _commit(casebook.root, rels, message, author)  # a git left running is done
        except (GitFailed, OSError) as exc:
            _not_committed(casebook, rels, getattr(exc, "message", None) or str(exc))
        if earlier:
            with contextlib.suppress(FileNotFoundError):
                (casebook.cache_dir / UNCOMMITTED).unlink()
            from rjcli.storage.retries import forget

            forget(casebook)


def _commit(root: Path, rels: list[str], message: str, author: str | None) -> None:
    run_git(root, "add", "-A", "--", *rels)
    status = run_git(root, "status", "--porcelain", "--", *rels)
    if status.stdout.strip():
        crash_point("git-commit")
        run_git(root, "commit", "-q", "-m", f"rj: {message}", "--only", "--", *rels,
                author=author)


INDEX_LOCK_WAIT_SECONDS = 10.0


def _index_unlocked(root: Path) -> bool:
    """Wait for git's own index lock to go (a git still running after the rj that started it
    was killed); False when it stays (a git killed half-way leaves it for good)."""
    lock = Path(run_git(root, "rev-parse", "--git-path", "index.lock").stdout.strip())
    lock = lock if lock.is_absolute() else root / lock
    deadline = time.monotonic() + INDEX_LOCK_WAIT_SECONDS
    while lock.exists():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def pending_commit(casebook: Casebook) -> list[str]:
    """Files saved whose commit failed, waiting for the next commit."""
    return _uncommitted(casebook)


def _uncommitted(casebook: Casebook) -> list[str]:
    """Files an earlier commit failed to take."""
    try:
        text = (casebook.cache_dir / UNCOMMITTED).read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    return list(dict.fromkeys(n for n in text.splitlines() if n.strip()))


def _committable(casebook: Casebook, rels: list[str]) -> list[str]:
    """The files git can commit: those there, and those gone that git still tracks (a
    deletion; a file already committed as deleted is left out)."""
    gone = [r for r in rels if not os.path.lexists(casebook.root / r)]
    tracked = set(run_git(casebook.root, "ls-files", "--", *gone, check=False).stdout
                  .splitlines()) if gone else set()
    return [r for r in rels if r not in gone or r in tracked]


def _not_committed(casebook: Casebook, rels: list[str], why: str) -> None:
    from rjcli.storage.atomic import atomic_write

    path = casebook.cache_dir / UNCOMMITTED
    try:
        earlier = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        earlier = []
    with contextlib.suppress(OSError):  # a full disk: the next commit takes what git shows
        atomic_write(path, "".join(f"{n}\n" for n in dict.fromkeys([*earlier, *rels])))
    raise NotCommitted(
        f"the change IS saved ({', '.join(rels)}), but it could not be committed to git: "
        f"{why}", hint="do not run the command again: it is committed with your next change "
        "(or run: git add -A && git commit)")
