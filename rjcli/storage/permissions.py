"""Owner-only permissions for a whole casebook, wherever its files came from.

rj writes every file 0600 and every folder 0700, and runs git with umask 077; but a
casebook that arrives by ``git clone``, a hand ``git pull``, an unzip or a copy has
folders 0755 and files 0644, readable by anyone on the computer. So each command that
opens a casebook calls :func:`owner_only`: when the casebook's own folder (or one of the
folders that hold personal data) is open to others, the stamp ``.rj/owner-only`` is
missing, or git fetched or merged since the stamp was written, it walks the casebook once,
takes group and other permissions off every folder and file, and writes the stamp.
Otherwise it costs a handful of ``stat`` calls (a warm ``rj due`` stays instant at 15,000
records).

Symbolic links are never followed, and never chmod-ed (``chmod`` would change the file a
link points to, which may be anyone's); FIFOs, sockets and devices are left alone.
"""

from __future__ import annotations

import contextlib
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

STAMP = Path(".rj") / "owner-only"
"""Written after a walk: the casebook was made owner-only (delete it to have rj walk again)."""
PRIVATE_FOLDERS = (".rj", ".git", "victims", "children", "tombstones", "documents", "output")
"""Folders that hold personal data (or copies of it, in git's objects)."""
GIT_MOVES = (Path(".git") / "FETCH_HEAD", Path(".git") / "ORIG_HEAD", Path(".git") / "HEAD")
"""Files git rewrites when it fetches, merges, resets or checks out: files may have
arrived with git's usual modes since."""
OPEN = 0o077
"""Group and other permission bits."""


@dataclass
class Tightened:
    """What a walk changed."""

    folders: int = 0
    files: int = 0
    places: set[str] = field(default_factory=set)
    """Top-level names (``victims/``, ``rj.yaml``) under which something changed."""
    failed: list[str] = field(default_factory=list)
    """Paths whose mode could not be changed, with why."""

    def said(self) -> str | None:
        """One sentence for the person at the keyboard (None: nothing to say)."""
        lines = []
        if self.folders or self.files:
            where = ", ".join(sorted(self.places))
            lines.append(f"rj made this casebook owner-only: {_n(self.folders, 'folder')} and "
                         f"{_n(self.files, 'file')} could be read by others on this computer "
                         f"(in {where}); now only you can.")
        if self.failed:
            shown = "; ".join(self.failed[:3]) + ("; ..." if len(self.failed) > 3 else "")
            lines.append(f"rj could not make {_n(len(self.failed), 'path')} owner-only: "
                         f"{shown}. Ask whoever looks after this computer.")
        return "\n".join(lines) or None


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def needs_walk(root: Path) -> bool:
    """True when the casebook may hold something others can read (see module docstring)."""
    try:
        if os.stat(root).st_mode & OPEN:
            return True
        stamped = os.lstat(root / STAMP).st_mtime_ns
    except OSError:
        return True
    for name in PRIVATE_FOLDERS:
        with contextlib.suppress(OSError):
            if os.lstat(root / name).st_mode & OPEN:
                return True
    for moved in GIT_MOVES:
        with contextlib.suppress(OSError):
            if os.lstat(root / moved).st_mtime_ns > stamped:
                return True
    return False


def _tighten_one(path: str, status: os.stat_result, top: str, done: Tightened) -> None:
    mode = stat.S_IMODE(status.st_mode)
    if not mode & OPEN:
        return
    try:
        os.chmod(path, mode & ~OPEN, follow_symlinks=False)
    except (OSError, NotImplementedError) as exc:
        done.failed.append(f"{path}: {getattr(exc, 'strerror', None) or exc}")
        return
    if stat.S_ISDIR(status.st_mode):
        done.folders += 1
    else:
        done.files += 1
    done.places.add(top)


def tighten(root: Path) -> Tightened:
    """Take group and other permissions off ``root`` and every folder and regular file
    under it, links not followed (see module docstring)."""
    done = Tightened()
    with contextlib.suppress(OSError):
        _tighten_one(str(root), os.lstat(root), "the casebook folder", done)
    stack: list[tuple[str, str | None]] = [(str(root), None)]
    while stack:
        folder, top = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError as exc:
            done.failed.append(f"{folder}: {exc.strerror}")
            continue
        for entry in entries:
            try:
                status = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            place = top or (entry.name + "/" if stat.S_ISDIR(status.st_mode) else entry.name)
            if stat.S_ISDIR(status.st_mode):
                _tighten_one(entry.path, status, place, done)
                stack.append((entry.path, place))
            elif stat.S_ISREG(status.st_mode):
                _tighten_one(entry.path, status, place, done)
    return done


def stamp(root: Path) -> None:
    """Record that ``root`` was made owner-only (best effort: a read-only casebook is
    simply walked again next time)."""
    from rjcli.storage.atomic import atomic_write

    with contextlib.suppress(OSError):
        atomic_write(root / STAMP, "rj made this casebook owner-only (dirs 0700, files 0600).\n"
                     "Delete this file to have rj look again.\n")


def tighten_and_stamp(root: Path) -> Tightened:
    """Walk the casebook (see :func:`tighten`) and, when all went well, stamp it."""
    done = tighten(root)
    if not done.failed:
        stamp(root)
    return done


def owner_only(root: Path) -> str | None:
    """Make the casebook at ``root`` owner-only when it may not be (cheap when it is);
    returns what to tell the person, once (None: nothing was changed)."""
    if not needs_walk(root):
        return None
    return tighten_and_stamp(root).said()

