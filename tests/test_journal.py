"""Changes to two records at once (issue #15): ``rj victim new --child`` and ``rj purge``
are validated in full before anything is written, and a process killed at any point of
them leaves no half-made record: the next rj command finishes the change and says so."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys

import pytest

from conftest import TODAY, WORKER, CasebookUnderTest, json_of, plain
from rjcli.storage import yamlio
from rjcli.storage.atomic import locked
from rjcli.storage.casebook import Casebook
from rjcli.storage.journal import CRASH_POINTS, recover


def rj_killed_at(book: CasebookUnderTest, point: str, *args: str,
                 today: str = TODAY) -> subprocess.CompletedProcess[str]:
    """``rj *args`` in its own process, made to kill itself (SIGKILL) at ``point``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("RJ_")}
    env["RJ_CRASH_AT"] = point
    return subprocess.run(
        [sys.executable, "-m", "rjcli", "--casebook", str(book.root), "--today", today,
         "--worker", WORKER, *args], capture_output=True, text=True, env=env, timeout=120)


def git(book: CasebookUnderTest, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=book.root, capture_output=True, text=True,
                           check=False)


def victim_files(book: CasebookUnderTest) -> set[str]:
    return {p.stem for p in (book.root / "victims").glob("V-*.yaml")}


def assert_whole(book: CasebookUnderTest) -> None:
    """No half-made record: links both ways, rj check clean, nothing left uncommitted, and
    git's commit hook (rj check) accepts a hand commit."""
    child = book.data(book.child)
    listed = {ref["ref"] for ref in child.get("victims") or []}
    assert listed == victim_files(book), (listed, victim_files(book))
    for victim in victim_files(book):
        assert book.child in [link["child"] for link in book.data(victim)["children"]]
    check = book.run("check")
    assert check.exit_code == 0, check.output
    assert git(book, "status", "--porcelain", "--", "victims", "children",
               "tombstones").stdout == ""
    hand = git(book, "commit", "-q", "--allow-empty", "-m", "a hand commit")
    assert hand.returncode == 0, hand.stderr


# --- validate both records before writing either ---------------------------------------------


def test_victim_new_with_an_invalid_child_writes_and_commits_nothing(
        committed_casebook: CasebookUnderTest) -> None:
    book = committed_casebook
    text = book.text(book.child).replace("disposal: referral-order", "disposal: 42")
    book.write(book.child, text)
    git(book, "commit", "-q", "--no-verify", "-am", "a bad hand edit")
    commits = git(book, "rev-list", "--count", "HEAD").stdout

    result = book.run("victim", "new", "--name", "Kim New", "--child", book.child,
                      "--consent-contact", "yes")

    assert result.exit_code == 5, result.output
    assert "nothing was changed" in plain(result.output)
    assert victim_files(book) == {book.victim}
    assert git(book, "rev-list", "--count", "HEAD").stdout == commits
    assert git(book, "status", "--porcelain").stdout == ""


# --- killed half-way ----------------------------------------------------------------------------


@pytest.mark.parametrize("point", CRASH_POINTS)
def test_victim_new_killed_at_each_point_leaves_no_half_made_victim(
        committed_casebook: CasebookUnderTest, point: str) -> None:
    book = committed_casebook

    killed = rj_killed_at(book, point, "victim", "new", "--name", "Kim New", "--child",
                          book.child, "--consent-contact", "yes")

    assert killed.returncode == -signal.SIGKILL, killed.stderr
    after = book.run("list", "--json")
    assert after.exit_code == 0, after.output
    made = victim_files(book) - {book.victim}
    if point == "staged":  # validated, nothing written yet: nothing to finish
        assert made == set()
        assert "interrupted" not in after.output
    else:
        assert len(made) == 1
        assert "finished a change that was interrupted: open victim case" in plain(after.output)
        assert made <= {r["id"] for r in json_of(after)}
    assert not list((book.root / ".rj" / "journal").glob("*.json"))
    assert_whole(book)


def test_victim_new_with_two_children_killed_after_the_first_file(
        committed_casebook: CasebookUnderTest) -> None:
    book = committed_casebook
    second = book.run("child", "new", "--name", "Kit Child", "--json")
    other = json_of(second)["id"]

    killed = rj_killed_at(book, "applied-1", "victim", "new", "--name", "Kim New",
                          "--child", book.child, "--child", other, "--consent-contact", "yes")

    assert killed.returncode == -signal.SIGKILL
    # the next command to change one of the files finishes the change first
    logged = book.run("contact", "log", other, "--method", "phone", "--outcome", "spoke",
                      "--at", "2026-04-02 10:00", "--note", "after")
    assert logged.exit_code == 0, logged.output
    assert "finished a change that was interrupted" in plain(logged.output)
    new = victim_files(book) - {book.victim}
    assert len(new) == 1
    assert {r["ref"] for r in book.data(other)["victims"]} == new
    assert [c.get("note") for c in book.data(other)["contacts"]] == ["after"]
    links = book.data(next(iter(new)))["children"]
    assert {link["child"] for link in links} == {book.child, other}
    assert book.run("check").exit_code == 0


@pytest.mark.parametrize("point", CRASH_POINTS)
def test_purge_killed_at_each_point_is_finished_or_never_started(
        committed_casebook: CasebookUnderTest, point: str) -> None:
    book = committed_casebook
    closed = book.run("close", book.victim, "--reason", "completed")
    assert closed.exit_code == 0, closed.output
    letter = book.root / "output" / "letters" / f"{book.victim}-copy.txt"
    letter.parent.mkdir(parents=True, exist_ok=True)
    letter.write_text("a letter\n", encoding="utf-8")

    killed = rj_killed_at(book, point, "purge", book.victim, "--confirm", today="2028-04-02")

    assert killed.returncode == -signal.SIGKILL, killed.stderr
    after = book.run("list", "--json", today="2028-04-02")
    assert after.exit_code == 0, after.output
    stone = book.root / "tombstones" / f"{book.victim}.yaml"
    if point == "staged":
        assert book.path(book.victim).exists() and not stone.exists() and letter.exists()
        book.run("purge", book.victim, "--confirm", today="2028-04-02")
    else:
        assert "finished a change that was interrupted: purge" in plain(after.output)
    assert not book.path(book.victim).exists()
    assert yamlio.read_fast(stone)["id"] == book.victim
    assert not letter.exists()
    # the child still lists the purged victim by id (the tombstone answers for it)
    check = book.run("check", today="2028-04-02")
    assert check.exit_code == 0, check.output
    assert git(book, "status", "--porcelain", "--", "victims", "tombstones").stdout == ""


def test_a_file_changed_by_hand_after_the_crash_is_left_as_it_is_and_named(
        committed_casebook: CasebookUnderTest) -> None:
    book = committed_casebook
    killed = rj_killed_at(book, "journal", "victim", "new", "--name", "Kim New", "--child",
                          book.child, "--consent-contact", "yes")
    assert killed.returncode == -signal.SIGKILL
    edited = book.text(book.child) + "# a note typed by hand\n"
    book.write(book.child, edited)

    after = book.run("list")

    assert f"left children/{book.child}.yaml as it is: it was changed since" in plain(
        after.output)
    assert book.text(book.child) == edited
    assert not list((book.root / ".rj" / "journal").glob("*.json"))


def test_a_change_whose_owner_is_still_at_work_is_left_alone(
        casebook: CasebookUnderTest) -> None:
    folder = casebook.root / ".rj" / "journal"
    folder.mkdir(parents=True, exist_ok=True)
    journal = folder / "1-1.json"
    journal.write_text(json.dumps({
        "message": "open victim case", "locks": [casebook.child], "commit": [],
        "steps": [{"rel": f"children/{casebook.child}.yaml", "text": "id: x\n",
                   "before": None}]}), encoding="utf-8")
    book = Casebook(casebook.root)
    before = casebook.text(casebook.child)

    with locked(book.lock_path(casebook.child), "held by its owner"):
        assert recover(book) == 0

    assert journal.exists() and casebook.text(casebook.child) == before


def test_an_unreadable_journal_is_set_aside_and_named(casebook: CasebookUnderTest) -> None:
    folder = casebook.root / ".rj" / "journal"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "1-1.json").write_text("{not json", encoding="utf-8")

    result = casebook.run("list")

    assert result.exit_code == 0
    assert "an interrupted change could not be finished" in plain(result.output)
    assert (folder / "1-1.unreadable").exists()
    assert "could not be finished" not in plain(casebook.run("list").output)


def test_no_journal_is_left_by_changes_that_finish(
        committed_casebook: CasebookUnderTest) -> None:
    book = committed_casebook
    made = book.run("victim", "new", "--name", "Kim New", "--child", book.child,
                    "--consent-contact", "yes", "--json")
    assert made.exit_code == 0, made.output
    assert json_of(made)["id"] in {r["ref"] for r in book.data(book.child)["victims"]}
    assert list((book.root / ".rj" / "journal").iterdir()) == []
    assert git(book, "status", "--porcelain").stdout == ""
    log = git(book, "log", "-1", "--name-only", "--format=%s").stdout
    assert f"rj: open victim case and link it to {book.child}" in log
    assert f"children/{book.child}.yaml" in log and f"victims/{json_of(made)['id']}" in log


def test_a_change_that_cannot_be_finished_yet_is_kept_and_reading_goes_on(
        committed_casebook: CasebookUnderTest, monkeypatch: pytest.MonkeyPatch) -> None:
    import errno

    from rjcli.storage import atomic

    book = committed_casebook
    killed = rj_killed_at(book, "journal", "victim", "new", "--name", "Kim New", "--child",
                          book.child, "--consent-contact", "yes")
    assert killed.returncode == -signal.SIGKILL

    def full(*_args: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(atomic.os, "fsync", full)
    listed = book.run("list")
    monkeypatch.undo()

    assert listed.exit_code == 0, listed.output
    assert "could not be finished yet: No space left on device" in plain(listed.output)
    assert list((book.root / ".rj" / "journal").glob("*.json"))
    again = book.run("list")
    assert "finished a change that was interrupted" in plain(again.output)
    assert_whole(book)
