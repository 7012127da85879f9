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
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from rjcli.errors import BadInput, LockTimeout

LOCK_WAIT_SECONDS = 30.0

_CRASH_SEEN: dict[str, int] = {}


def crash_point(name: str) -> None:
    """Die here, as ``kill -9`` would, when ``RJ_CRASH_AT`` names this point: ``name``, or
    ``name:N`` for its N-th passing in this process (tests stop rj exactly there)."""
    wanted = os.environ.get("RJ_CRASH_AT")
    if not wanted or not wanted.startswith(name):
        return
    _CRASH_SEEN[name] = _CRASH_SEEN.get(name, 0) + 1
    if wanted in (name, f"{name}:{_CRASH_SEEN[name]}"):
        os.kill(os.getpid(), signal.SIGKILL)


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
        crash_point("atomic-tmp")
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    crash_point("atomic-replaced")
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


def lock_wait_seconds(default: float = LOCK_WAIT_SECONDS) -> float:
    """How long a command waits for another's lock: ``RJ_LOCK_WAIT`` seconds when set (a
    heavily loaded machine, a slow shared disk), else ``default`` (30 s, rj's own choice)."""
    text = os.environ.get("RJ_LOCK_WAIT", "").strip()
    if not text:
        return default
    try:
        seconds = float(text)
    except ValueError:
        seconds = -1.0
    if not 0 < seconds <= 86400:
        raise BadInput(f"RJ_LOCK_WAIT must be a number of seconds from 0 to 86400, not "
                       f"{text!r}", hint="for example RJ_LOCK_WAIT=120, or unset it for 30")
    return seconds


@contextlib.contextmanager
def locked(lock_path: Path, what: str, wait: float | None = None) -> Iterator[None]:
    """Hold an exclusive lock on ``lock_path`` (created if needed) for the block; wait up
    to ``wait`` seconds (default 30) for another command's, or RJ_LOCK_WAIT when set. A
    try (``wait=0``) stays a try whatever RJ_LOCK_WAIT says: a command finishing an
    interrupted change tries its locks in the journal's order, and waiting there could hold
    one lock while a running change holds the next and waits for the first."""
    if wait != 0:
        wait = lock_wait_seconds(LOCK_WAIT_SECONDS if wait is None else wait)
    make_folders(lock_path.parent)
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            taken = _acquired(fd, wait)
        except _Waited:  # the alarm rang just as the wait ended: as good as not taken
            taken = False
        if not taken:
            raise LockTimeout(
                f"{what} is being changed by another rj command; gave up after {wait:g} "
                "seconds",
                hint="try again in a moment (RJ_LOCK_WAIT=120 waits longer)",
            )
        yield
    finally:
        os.close(fd)


class _Waited(Exception):
    """The alarm of a lock wait: the time allowed is up."""


def _acquired(fd: int, wait: float) -> bool:
    """Take the lock on ``fd`` within ``wait`` seconds (False: not taken).

    The wait blocks in the kernel, which wakes the waiter the moment the lock is free, with
    an alarm to end it. Polling (try, sleep 10 ms, try again) let a waiter lose the race to
    newcomers again and again: on a loaded machine one of 16 ``rj victim new`` gave up
    after 600 s while the others came and went. Off the main thread (no alarm there) it
    polls."""
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        if wait <= 0:  # a try (an alarm of 0 s would be no alarm: wait for ever)
            return False
    if threading.current_thread() is not threading.main_thread():
        deadline = time.monotonic() + wait
        while time.monotonic() <= deadline:
            time.sleep(0.01)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return True
            except BlockingIOError:
                continue
        return False

    def time_is_up(signum: int, frame: object) -> None:
        raise _Waited

    before = signal.signal(signal.SIGALRM, time_is_up)
    started = time.monotonic()
    outer = signal.setitimer(signal.ITIMER_REAL, wait)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        return True
    except _Waited:
        return False
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, before)
        if outer[0]:  # an alarm someone else had set: give it back what is left of it
            left = outer[0] - (time.monotonic() - started)
            signal.setitimer(signal.ITIMER_REAL, max(0.001, left), outer[1])
