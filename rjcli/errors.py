"""Operational failures, one class each, with the exit code and a message a
practitioner understands. One handler (``rjcli.cli.app``) turns them into output.

Checks do not raise: they return :class:`rjcli.core.problems.Problem` values.
"""

from __future__ import annotations


class RjError(Exception):
    """Base class: something stopped the command. ``hint`` says what to do next."""

    exit_code = 2

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class CasebookNotFound(RjError):
    """No casebook could be found from --casebook, RJ_CASEBOOK or the folders above."""

    exit_code = 3


class RecordNotFound(RjError):
    """The id names no record in this casebook."""

    exit_code = 4


class BadInput(RjError):
    """A value given on the command line (or in an answers file) is not acceptable."""

    exit_code = 2


class RecordInvalid(RjError):
    """A record on disk does not parse or does not match its schema; it was not changed."""

    exit_code = 5


class ChangeRefused(RjError):
    """The change would make the record invalid; nothing was written."""

    exit_code = 6


class LockTimeout(RjError):
    """Another command held the record for too long."""

    exit_code = 7


class MissingFields(RjError):
    """A letter or form cannot be produced because fields are missing."""

    exit_code = 8


class GitFailed(RjError):
    """A git operation failed (commit, sync)."""

    exit_code = 9


class SyncOffline(RjError):
    """``rj sync`` could not reach the shared copy: the changes are committed here and
    will be shared at the next sync."""

    exit_code = 10


class SomeNotWritten(RjError):
    """Of a batch (``rj letter KIND --due``), some were written and some could not be: those
    are listed with why."""

    exit_code = 11


class NotCommitted(RjError):
    """The change IS saved in its file, but could not be committed to git (a failing hook,
    a full disk, git gone); it is committed with the next change. Not a failed save."""

    exit_code = 20


class DiskFull(RjError):
    """The disk (or the user's quota) is full: nothing was half-written."""

    exit_code = 21


class ReadOnly(RjError):
    """The casebook is on a read-only file system."""

    exit_code = 22


class PermissionDenied(RjError):
    """The file system refused access to a file or folder."""

    exit_code = 23


class IndexBusy(RjError):
    """The index (.rj/index.sqlite) is held by another process for too long."""

    exit_code = 24


class GitMissing(RjError):
    """git is needed and not installed (not on PATH)."""

    exit_code = 25


class FileProblem(RjError):
    """Any other failure of the file system: a looping or dangling symbolic link, a file
    that vanished, an input/output error."""

    exit_code = 26


class ConverterMissing(RjError):
    """A PDF was asked for and LibreOffice, which makes it, is not installed (not on PATH)."""

    exit_code = 27


class ConversionFailed(RjError):
    """LibreOffice ran but made no PDF (it failed, or took too long); nothing was written."""

    exit_code = 28


_SAFE = "nothing was half-written (every save is atomic)"


def from_os_error(exc: OSError) -> RjError:
    """The operational error a practitioner can act on, for a failure of the system."""
    import errno

    where = f" ({exc.filename})" if exc.filename else ""
    said = exc.strerror or str(exc)
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return DiskFull(f"the disk is full{where}: {said}; {_SAFE}",
                        hint="free some space, then run the command again")
    if exc.errno == errno.EROFS:
        return ReadOnly(f"the casebook is on a read-only disk{where}; nothing was changed",
                        hint="reading commands still work; to change records, mount it "
                             "writable or work in a copy")
    if exc.errno in (errno.EACCES, errno.EPERM):
        return PermissionDenied(f"permission denied{where}; {_SAFE}",
                                hint="check who owns the casebook's files and folders "
                                     "(ls -l) and that you may write there")
    if isinstance(exc, FileNotFoundError) and exc.filename == "git":
        return git_missing()
    if exc.errno == errno.ELOOP:
        return FileProblem(f"a symbolic link loops or goes nowhere{where}: {said}; {_SAFE}",
                           hint="replace the link with the real file or folder")
    return FileProblem(f"the file system refused{where}: {said}; {_SAFE}",
                       hint="check the disk and the casebook's folders, then try again")


def git_missing() -> GitMissing:
    return GitMissing("git is not installed (or not on PATH)",
                      hint="install git, or set git: {autocommit: false} in rj.yaml")


def from_sqlite_error(exc: Exception) -> RjError | None:
    """The index's own failures (sqlite3.OperationalError), as operational errors."""
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return IndexBusy("the index (.rj/index.sqlite) is locked by another process",
                         hint="try again in a moment, or add --no-cache to read the files "
                              "directly")
    if "readonly" in text or "read-only" in text:
        return ReadOnly("the index (.rj/index.sqlite) cannot be written: the disk is "
                        "read-only", hint="add --no-cache to read the files directly")
    if "full" in text:
        return DiskFull("the disk is full: the index (.rj/index.sqlite) cannot be written",
                        hint="free some space, or add --no-cache to read the files directly")
    return None
