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
