"""Atomic writes and locks: a record is either the old file or the new one, never half.

``atomic_write`` writes a temporary file in the same folder, flushes and fsyncs it,
renames it over the target and fsyncs the folder (the way todoman's
``atomic_write`` does). If anything fails - a full disk, a kill - the old file is
untouched and the temporary file is removed or left with a ``.tmp`` name that no
reader looks at.

``locked`` holds an exclusive ``flock`` on a lock file: concurrent ``rj`` processes
changing one record queue up instead of losing each other's updates.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from collections.abc import Iterator
from pathlib import Path

from rjcli.errors import LockTimeout

LOCK_WAIT_SECONDS = 30.0


FILE_MODE = 0o600
"""Every file rj writes is owner-only: records, settings, letters, reports, calendars,
exports (they hold personal data, or sit beside it)."""
FOLDER_MODE = 0o700
"""And every folder rj creates."""


def atomic_write(path: Path, text: str, private: bool = True) -> None:
    """Replace ``path`` with ``text`` atomically, owner-only (0600). ``private`` is
    accepted for older callers and changes nothing: every file rj writes is private."""
    atomic_write_bytes(path, text.encode("utf-8"), private)


def atomic_write_bytes(path: Path, data: bytes, private: bool = True) -> None:
    """Replace ``path`` with ``data`` atomically (see :func:`atomic_write`)."""
    del private  # every file is owner-only
    folder = path.parent
    make_folders(folder)
    tmp = folder / f".{path.name}.{os.getpid()}.tmp"
    mode = FILE_MODE
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    fsync_folder(folder)


def make_folders(folder: Path) -> None:
    """Create ``folder`` and any missing folder above it, each owner-only (0700)."""
    missing = []
    for place in (folder, *folder.parents):
        if place.is_dir():
            break
        missing.append(place)
    for place in reversed(missing):
        with contextlib.suppress(FileExistsError):
            place.mkdir(mode=FOLDER_MODE)


def fsync_folder(folder: Path) -> None:
    """Make a rename or unlink in ``folder`` durable (best effort)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@contextlib.contextmanager
def locked(lock_path: Path, what: str, wait: float = LOCK_WAIT_SECONDS) -> Iterator[None]:
    """Hold an exclusive lock on ``lock_path`` (created if needed) for the block."""
    make_folders(lock_path.parent)
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise LockTimeout(
                        f"{what} is being changed by another rj command; gave up after "
                        f"{wait:.0f} seconds",
                        hint="try again in a moment",
                    ) from None
                time.sleep(0.01)
        yield
    finally:
        os.close(fd)
