"""Operational faults (issue #15): a full disk, a read-only casebook, a permission refused,
a locked index, a looping link and a missing git each stop a command with a plain message
and their own exit code (never "rj stopped on an unexpected problem", exit 70); a save git
could not commit says that it IS saved, is committed by the next change, and is never
saved twice."""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

import pytest

from conftest import CasebookUnderTest, plain
from rjcli.errors import (
    DiskFull,
    FileProblem,
    GitMissing,
    IndexBusy,
    NotCommitted,
    PermissionDenied,
    ReadOnly,
)
from rjcli.storage import atomic


def log_contact(book: CasebookUnderTest, note: str, **options: Any) -> Any:
    return book.run("contact", "log", book.victim, "--method", "phone", "--outcome", "spoke",
                    "--at", "2026-04-02 10:00", "--note", note, **options)


def notes(book: CasebookUnderTest) -> list[str]:
    return [c.get("note") for c in book.data(book.victim).get("contacts") or []]


def git(book: CasebookUnderTest, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=book.root, capture_output=True, text=True,
                          check=False)


def failing(number: int) -> Any:
    def fail(*_args: Any, **_kwargs: Any) -> Any:
        raise OSError(number, os.strerror(number))

    return fail


def test_every_fault_has_its_own_exit_code() -> None:
    codes = [c.exit_code for c in (NotCommitted, DiskFull, ReadOnly, PermissionDenied,
                                   IndexBusy, GitMissing, FileProblem)]
    assert len(set(codes)) == len(codes)
    assert not set(codes) & {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 70, 130}


# --- the file system says no --------------------------------------------------------------


@pytest.mark.parametrize(("number", "code", "said"), [
    (errno.ENOSPC, DiskFull.exit_code, "the disk is full"),
    (errno.EROFS, ReadOnly.exit_code, "the casebook is on a read-only disk"),
    (errno.EACCES, PermissionDenied.exit_code, "permission denied"),
    (errno.EIO, FileProblem.exit_code, "the file system refused"),
])
def test_a_failing_file_system_is_a_plain_error_with_its_exit_code(
        casebook: CasebookUnderTest, monkeypatch: pytest.MonkeyPatch, number: int, code: int,
        said: str) -> None:
    # simulated in-process: the write of the new record fails as the kernel would say
    before = casebook.text(casebook.victim)
    monkeypatch.setattr(atomic.os, "fsync", failing(number))

    result = log_contact(casebook, "refused")

    monkeypatch.undo()
    assert result.exit_code == code, result.output
    assert said in plain(result.output)
    assert casebook.text(casebook.victim) == before


@pytest.fixture
def read_only(casebook: CasebookUnderTest) -> Any:
    """The casebook folder bind-mounted read-only over itself (a real EROFS; tests run as
    root, where chmod would not stop a write). Skipped where mounting is not allowed."""
    root = str(casebook.root)
    if shutil.which("mount") is None:
        pytest.skip("no mount command")
    bound = subprocess.run(["mount", "--bind", root, root], capture_output=True, check=False)
    if bound.returncode != 0:
        pytest.skip("bind mounts are not allowed here")
    try:
        made = subprocess.run(["mount", "-o", "remount,ro,bind", root], capture_output=True,
                              check=False)
        if made.returncode != 0:
            pytest.skip("a read-only remount is not allowed here")
        yield casebook
    finally:
        subprocess.run(["umount", root], capture_output=True, check=False)


def test_a_read_only_casebook_refuses_changes_plainly_and_still_reads(
        read_only: CasebookUnderTest) -> None:
    before = read_only.text(read_only.victim)

    result = log_contact(read_only, "refused")

    assert result.exit_code == ReadOnly.exit_code, result.output
    assert "read-only" in plain(result.output)
    assert read_only.text(read_only.victim) == before
    shown = read_only.run("show", read_only.victim)
    assert shown.exit_code == 0, shown.output


def test_a_looping_link_in_place_of_rj_folder_is_a_plain_error(
        casebook: CasebookUnderTest) -> None:
    shutil.rmtree(casebook.root / ".rj")
    (casebook.root / ".rj").symlink_to(".rj")  # a link to itself: ELOOP

    result = log_contact(casebook, "refused")

    assert result.exit_code == FileProblem.exit_code, result.output
    assert "a symbolic link loops or goes nowhere" in plain(result.output)
    assert "refused" not in notes(casebook)
    listed = casebook.run("list")  # reading still works
    assert listed.exit_code == 0, listed.output


def test_a_locked_index_is_a_plain_error_with_advice(casebook: CasebookUnderTest,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    # simulated: another process takes the index between its refresh and the query
    from rjcli.storage.index import Index

    def locked_out(self: Index) -> Any:
        raise sqlite3.OperationalError("database is locked")

    assert casebook.run("list").exit_code == 0  # the index exists
    monkeypatch.setattr(Index, "summaries", locked_out)

    result = casebook.run("list")

    assert result.exit_code == IndexBusy.exit_code, result.output
    assert "locked by another process" in plain(result.output)
    assert "--no-cache" in plain(result.output)
    assert casebook.run("--no-cache", "list").exit_code == 0


# --- git -----------------------------------------------------------------------------------


def test_a_failed_commit_says_the_entry_is_saved_and_the_next_commit_takes_it(
        committed_casebook: CasebookUnderTest) -> None:
    book = committed_casebook
    hook = book.root / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\necho 'No space left on device' >&2\nexit 1\n")
    hook.chmod(0o755)

    failed = log_contact(book, "saved once")

    assert failed.exit_code == NotCommitted.exit_code, failed.output
    said = plain(failed.output)
    assert "the change IS saved" in said and "could not be committed to git" in said
    assert "do not run the command again" in said
    assert notes(book).count("saved once") == 1
    hook.unlink()

    later = log_contact(book, "next")

    assert later.exit_code == 0, later.output
    assert notes(book) == ["saved once", "next"]
    assert git(book, "status", "--porcelain").stdout == ""
    shown = git(book, "show", "HEAD:" + f"victims/{book.victim}.yaml").stdout
    assert "saved once" in shown and "next" in shown


def test_running_the_command_again_after_a_failed_commit_saves_nothing_twice(
        committed_casebook: CasebookUnderTest) -> None:
    """With the disk nearly full an entry was saved, git failed, and the retry saved it
    twice (issue 15): the same change again is refused as saved already; a different one
    is saved; once git commits, nothing is waiting and the same note may be logged again."""
    book = committed_casebook
    hook = book.root / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\necho 'No space left on device' >&2\nexit 1\n")
    hook.chmod(0o755)

    assert log_contact(book, "saved once").exit_code == NotCommitted.exit_code
    again = log_contact(book, "saved once")

    assert again.exit_code == 6, again.output
    assert "is saved already" in plain(again.output)
    assert notes(book).count("saved once") == 1
    other = log_contact(book, "another call")
    assert other.exit_code == NotCommitted.exit_code, other.output
    assert notes(book) == ["saved once", "another call"]
    hook.unlink()

    assert log_contact(book, "next").exit_code == 0
    assert git(book, "status", "--porcelain").stdout == ""
    assert log_contact(book, "saved once").exit_code == 0  # committed: a new call is new
    assert notes(book).count("saved once") == 2


def test_a_failed_commit_of_a_new_victim_keeps_both_records_whole(
        committed_casebook: CasebookUnderTest) -> None:
    book = committed_casebook
    hook = book.root / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\nexit 1\n")
    hook.chmod(0o755)

    failed = book.run("victim", "new", "--name", "Kim New", "--child", book.child,
                      "--consent-contact", "yes")

    assert failed.exit_code == NotCommitted.exit_code, failed.output
    assert "Opened V-" in failed.output  # said before the warning: it is there
    assert book.run("check").exit_code == 0
    hook.unlink()
    assert log_contact(book, "next").exit_code == 0
    assert git(book, "status", "--porcelain").stdout == ""


def test_without_git_on_the_path_a_save_says_it_is_not_committed(
        committed_casebook: CasebookUnderTest, tmp_path: Path) -> None:
    book = committed_casebook
    empty = tmp_path / "no-git"
    empty.mkdir()

    result = log_contact(book, "no git", env={"PATH": str(empty)})

    assert result.exit_code == NotCommitted.exit_code, result.output
    assert "git is not installed" in plain(result.output)
    assert notes(book).count("no git") == 1
    assert log_contact(book, "with git").exit_code == 0
    assert git(book, "status", "--porcelain").stdout == ""


def test_git_missing_is_its_own_error() -> None:
    from rjcli.errors import from_os_error

    error = from_os_error(FileNotFoundError(errno.ENOENT, "No such file", "git"))

    assert isinstance(error, GitMissing)
    assert "git is not installed" in error.message
