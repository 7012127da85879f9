"""Retention and purge (issue #8): records are kept only as long as rj.yaml says, then
deleted with their letters and copies, leaving a tombstone that explains the gap."""

from __future__ import annotations

import json
import os
import subprocess
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from conftest import CHILD, VICTIM, CasebookUnderTest, json_of, plain
from rjcli.core.model import StatusEntry, child_from_dict
from rjcli.core.retention import add_years, closure, past_retention, retention_of
from rjcli.storage import edits, yamlio
from rjcli.storage.casebook import Casebook, entry_id

CLOSED_ON = "2026-04-02"
"""The day the fixture records are closed in these tests."""
AFTER = "2028-04-02"
"""Two years on: the default retention period (rj init writes 2) has just ended."""
BEFORE = "2028-04-01"
"""The day before it ends."""


def close(book: CasebookUnderTest, record_id: str, day: str = CLOSED_ON) -> None:
    result = book.run("close", record_id, "--reason", "completed", "--date", day, today=day)
    assert result.exit_code == 0, result.output


def add_letter(book: CasebookUnderTest, record_id: str, file: str, text: str = "Dear ...\n",
               create: bool = True) -> Path:
    """A letter file (unless not ``create``) and the contact that logs it as sent."""
    path = Path(file) if Path(file).is_absolute() else book.root / file
    if create:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    entry = {"id": entry_id(), "at": "2026-04-01 10:00", "method": "letter",
             "outcome": "sent", "letter": "initial", "file": file}
    Casebook(book.root).change(record_id, lambda tree: edits.append(tree, "contacts", entry),
                               "log letter on")
    return path


def rel(book: CasebookUnderTest, path: Path) -> str:
    return path.relative_to(book.root).as_posix()


def files_under(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


# --- the rules (pure) ---------------------------------------------------------------------


def status(day: str, state: str, entry_id: str) -> StatusEntry:
    return StatusEntry(id=entry_id, date=date.fromisoformat(day), status=state, reason=None,
                       by=None)


def test_retention_counts_from_the_last_closure_of_a_closed_record() -> None:
    history = (status("2020-01-01", "open", "A"), status("2020-06-01", "closed", "B"),
               status("2021-01-01", "open", "C"), status("2021-03-01", "closed", "D"))
    assert closure(history) == history[3]
    assert closure(history[:3]) is None  # reopened: open again, no closure counts
    child = child_from_dict({"id": "C-4HX9TD", "name": "x", "status_history": [
        {"id": "A", "date": date(2021, 3, 1), "status": "closed"}]})
    state = retention_of(child, {"child": 2}, date(2023, 3, 1))
    assert (state.closed, state.ends, state.past) == (date(2021, 3, 1), date(2023, 3, 1), True)
    assert not retention_of(child, {"child": 2}, date(2023, 2, 28)).past
    assert not retention_of(child, {"victim": 2}, date(2099, 1, 1)).past  # no period set


def test_a_leap_day_closure_ends_on_28_february() -> None:
    assert add_years(date(2024, 2, 29), 2) == date(2026, 2, 28)
    assert add_years(date(2024, 2, 29), 4) == date(2028, 2, 29)


def test_an_open_record_is_never_past_retention() -> None:
    child = child_from_dict({"id": "C-4HX9TD", "name": "x", "status_history": [
        {"id": "A", "date": date(2001, 1, 1), "status": "open"}]})
    assert past_retention([child], {"child": 0}, date(2099, 1, 1)) == []


# --- rj retention --------------------------------------------------------------------------


def test_retention_lists_closed_records_past_their_date_without_names(
        casebook: CasebookUnderTest) -> None:
    close(casebook, casebook.victim)
    close(casebook, casebook.child, "2026-03-25")

    before = casebook.run("retention", "--json", today=BEFORE)
    after = casebook.run("retention", "--json", today=AFTER)
    shown = casebook.run("retention", today=AFTER).output

    assert before.exit_code == 0, before.output
    assert [r["id"] for r in json_of(before)["past"]] == [casebook.child]
    assert json_of(after)["past"] == [
        {"id": casebook.child, "kind": "child", "closed": "2026-03-25",
         "retention_end": "2028-03-25"},
        {"id": casebook.victim, "kind": "victim", "closed": CLOSED_ON,
         "retention_end": AFTER},
    ]
    for name in (VICTIM["name"], CHILD["name"]):
        for word in name.split():
            assert word not in after.output and word not in shown
    assert casebook.victim in shown and "2028-04-02" in shown


def test_retention_says_when_nothing_is_past(casebook: CasebookUnderTest) -> None:
    result = casebook.run("retention", today=AFTER)
    assert result.exit_code == 0
    assert "No record is past its retention date" in plain(result.output)


# --- rj purge: refusals --------------------------------------------------------------------


def test_purge_without_confirm_deletes_nothing_and_shows_what_would_go(
        casebook: CasebookUnderTest) -> None:
    close(casebook, casebook.victim)
    before = files_under(casebook.root)

    result = casebook.run("purge", casebook.victim, today=AFTER)

    assert result.exit_code == 6
    assert f"victims/{casebook.victim}.yaml" in result.output
    assert "add --confirm" in plain(result.output)
    assert files_under(casebook.root) == before


def test_an_open_record_is_never_purged(casebook: CasebookUnderTest) -> None:
    before = casebook.path(casebook.victim).read_bytes()
    result = casebook.run("purge", casebook.victim, "--confirm", "--early", "--reason", "x",
                          today="2099-01-01")
    assert result.exit_code == 6
    assert f"{casebook.victim} is open" in plain(result.output)
    assert casebook.path(casebook.victim).read_bytes() == before
    assert not (casebook.root / "tombstones").exists()


def test_a_record_within_retention_needs_early_and_a_reason(casebook: CasebookUnderTest) -> None:
    close(casebook, casebook.victim)

    kept = casebook.run("purge", casebook.victim, "--confirm", today=BEFORE)
    no_reason = casebook.run("purge", casebook.victim, "--confirm", "--early", today=BEFORE)

    assert kept.exit_code == 6 and "kept until 2028-04-02" in plain(kept.output)
    assert no_reason.exit_code == 6 and "--early needs --reason" in plain(no_reason.output)
    assert casebook.path(casebook.victim).is_file()

    early = casebook.run("purge", casebook.victim, "--confirm", "--early", "--reason",
                         "asked for erasure (UK GDPR art. 17)", today=BEFORE)
    assert early.exit_code == 0, early.output
    stone = yamlio.read_fast(casebook.root / "tombstones" / f"{casebook.victim}.yaml")
    assert stone["reason"] == "asked for erasure (UK GDPR art. 17)"


# --- rj purge: what goes and what stays ------------------------------------------------------


def test_purge_deletes_the_record_its_letters_and_copies_and_leaves_a_tombstone(
        casebook: CasebookUnderTest, tmp_path: Path) -> None:
    v = casebook.victim
    sent = add_letter(casebook, v, f"output/letters/{v}-initial-2026-04-01.md")
    draft = casebook.root / "output" / "letters" / f"{v}-final-2026-04-02-draft.md"
    draft.write_text("draft\n", encoding="utf-8")
    risk = casebook.root / "output" / "risk" / f"{v}.md"
    risk.parent.mkdir(parents=True)
    risk.write_text("checklist answers\n", encoding="utf-8")
    edit_draft = casebook.root / ".rj" / "edits" / f"{v}-20260401-100000.yaml"
    edit_draft.parent.mkdir(parents=True)
    edit_draft.write_text(f"name: {VICTIM['name']}\n", encoding="utf-8")
    other_letter = casebook.root / "output" / "letters" / f"{casebook.child}-x-2026-04-01.md"
    other_letter.write_text("to the child\n", encoding="utf-8")
    close(casebook, v)
    casebook.run("list")  # the index now holds a parsed copy of the victim's record
    before = files_under(casebook.root)

    result = casebook.run("purge", v, "--confirm", "--json", today=AFTER)

    assert result.exit_code == 0, result.output
    gone = {f"victims/{v}.yaml", rel(casebook, sent), rel(casebook, draft), rel(casebook, risk),
            rel(casebook, edit_draft)}
    assert set(json_of(result)["deleted"]) == gone
    after = files_under(casebook.root)
    assert not (gone & after)
    assert f"tombstones/{v}.yaml" in after
    assert other_letter.is_file() and casebook.path(casebook.child).is_file()
    assert before - after - gone <= {p for p in before if p.startswith(".rj/index")}
    assert yamlio.read_fast(casebook.root / "tombstones" / f"{v}.yaml") == {
        "id": v, "kind": "victim", "allocated": date(2026, 3, 30), "closed": date(2026, 4, 2),
        "closure_reason": "completed", "purged": date(2028, 4, 2),
        "reason": "retention period ended"}
    # nothing that identifies the victim is left anywhere in the casebook
    for path in casebook.root.rglob("*"):
        if path.is_file() and ".git" not in path.parts:
            data = path.read_bytes()
            for identifier in (VICTIM["name"], VICTIM["email"], VICTIM["phone"]):
                assert identifier.encode() not in data, path


def test_purge_never_deletes_a_file_outside_output_that_the_record_names(
        casebook: CasebookUnderTest, tmp_path: Path) -> None:
    v = casebook.victim
    outside = tmp_path / "outside.txt"
    outside.write_text("not rj's\n", encoding="utf-8")
    add_letter(casebook, v, "../outside.txt", create=False)
    add_letter(casebook, v, str(outside), create=False)
    add_letter(casebook, v, f"children/{casebook.child}.yaml", create=False)
    add_letter(casebook, v, "output/letters/../../rj.yaml", create=False)
    child_letter = add_letter(casebook, v,
                              f"output/letters/{casebook.child}-child-appointment-2026-04-01.md")
    close(casebook, v)

    result = casebook.run("purge", v, "--confirm", today=AFTER)

    assert result.exit_code == 0, result.output
    assert outside.read_text(encoding="utf-8") == "not rj's\n"
    assert casebook.path(casebook.child).is_file() and (casebook.root / "rj.yaml").is_file()
    shown = plain(result.output)
    assert "not deleted: ../outside.txt (outside the casebook's output/ folder" in shown
    assert f"not deleted: {outside} (outside the casebook's output/ folder" in shown
    assert (f"not deleted: output/letters/{casebook.child}-child-appointment-2026-04-01.md "
            "(outside the casebook's output/ folder, or another record's letter)") in shown
    assert child_letter.is_file()  # named by the victim's log, but the child's letter


def test_a_purged_victim_is_not_a_broken_link_and_every_command_still_works(
        casebook: CasebookUnderTest) -> None:
    close(casebook, casebook.victim)
    assert casebook.run("purge", casebook.victim, "--confirm", today=AFTER).exit_code == 0

    checked = casebook.run("check", "--json", today=AFTER)
    assert checked.exit_code == 0, checked.output
    for command in (["due", "--all"], ["list"], ["show", casebook.child],
                    ["explain", casebook.child], ["retention"]):
        result = casebook.run(*command, today=AFTER)
        assert result.exit_code == 0, (command, result.output)
    shown = casebook.run("export", casebook.victim, "--out", str(casebook.root / "output" / "x"))
    assert shown.exit_code == 4
    assert f"{casebook.victim} was purged on 2028-04-02" in plain(shown.output)

    # the same missing record without its tombstone is a broken link
    (casebook.root / "tombstones" / f"{casebook.victim}.yaml").unlink()
    broken = casebook.run("check", "--json", today=AFTER)
    assert broken.exit_code == 1
    assert [p["message"] for p in json_of(broken)["problems"]] == [
        f"victim reference {casebook.victim} does not exist"]


def test_a_purged_child_is_not_a_broken_link_from_its_victim(casebook: CasebookUnderTest) -> None:
    close(casebook, casebook.child)
    assert casebook.run("purge", casebook.child, "--confirm", today=AFTER).exit_code == 0

    checked = casebook.run("check", "--json", today=AFTER)
    assert checked.exit_code == 0, checked.output
    for command in (["due", "--all"], ["show", casebook.victim], ["explain", casebook.victim]):
        result = casebook.run(*command, today=AFTER)
        assert result.exit_code == 0, (command, result.output)

    (casebook.root / "tombstones" / f"{casebook.child}.yaml").unlink()
    assert casebook.run("check", today=AFTER).exit_code == 1


def test_a_purged_id_is_never_given_to_a_new_record(casebook: CasebookUnderTest,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    # a child's "Victim 1" still points at the purged id: a new victim must not take it
    close(casebook, casebook.victim)
    assert casebook.run("purge", casebook.victim, "--confirm", today=AFTER).exit_code == 0
    from rjcli.core import ids

    wanted = casebook.victim
    number = sum(ids.CROCKFORD.index(c) << (5 * i) for i, c in enumerate(reversed(wanted[2:])))
    again = (number << 2).to_bytes(4, "big")
    assert ids.new_record_id("victim", again) == wanted
    draws = iter([again, again, b"\x01\x02\x03\x04"] + [os.urandom(4) for _ in range(100)])
    real = os.urandom
    monkeypatch.setattr("rjcli.storage.casebook.os.urandom",
                        lambda n: next(draws) if n == 4 else real(n))

    made = Casebook(casebook.root).create("victim", lambda i: {
        "id": i, "kind": "individual", "name": "Lee New",
        "referral": {"allocated": date(2028, 4, 2)},
        "status_history": [{"id": "01KN7Q0000AAAAAAAAAAAAAAAA", "date": date(2028, 4, 2),
                            "status": "open"}]}, "open")

    assert made["id"] != wanted


# --- git ---------------------------------------------------------------------------------------


def test_with_git_the_purge_is_committed_and_the_history_is_explained(
        committed_casebook: CasebookUnderTest) -> None:
    book = committed_casebook
    close(book, book.victim)

    result = book.run("purge", book.victim, "--confirm", today=AFTER, env={"COLUMNS": "60"})

    assert result.exit_code == 0, result.output
    shown = plain(result.output)
    rel = f"victims/{book.victim}.yaml"
    assert f"git history still holds {rel}" in shown
    # each command whole on its line, to copy and paste (never wrapped at the terminal width)
    lines = [line.strip() for line in result.output.splitlines()]
    assert f"git filter-repo --invert-paths --path {rel}" in lines
    assert "git remote add origin URL && git push --force --all && git push --force --tags" \
        in lines
    assert "git push --force --all" in shown and "clone again" in shown
    git = lambda *a: subprocess.run(["git", *a], cwd=book.root, capture_output=True,
                                    text=True, check=True).stdout  # noqa: E731
    assert book.victim not in git("status", "--porcelain", "--untracked-files=all")
    last = git("show", "--stat", "--format=%s", "HEAD")
    assert last.startswith(f"rj: purge {book.victim}\n")
    assert rel in last and f"tombstones/{book.victim}.yaml" in last
    for word in VICTIM["name"].split():
        assert word not in git("log", "--format=%B")
    # as promised, the history still has it until it is rewritten
    assert VICTIM["name"] in git("log", "-p", "--all", "--", rel)


def test_purge_of_a_record_git_never_held_says_nothing_about_history(
        casebook: CasebookUnderTest) -> None:
    if not (casebook.root / ".git").is_dir():
        pytest.skip("git is not installed")
    close(casebook, casebook.child)  # autocommit off: the record was never committed

    result = casebook.run("purge", casebook.child, "--confirm", today=AFTER)

    assert result.exit_code == 0, result.output
    assert "git history" not in plain(result.output)


def test_purge_output_as_json(casebook: CasebookUnderTest) -> None:
    close(casebook, casebook.child)
    result = casebook.run("purge", casebook.child, "--confirm", "--json", today=AFTER)
    data: dict[str, Any] = json.loads(result.stdout)
    assert data == {"record": casebook.child, "tombstone": f"tombstones/{casebook.child}.yaml",
                    "deleted": [f"children/{casebook.child}.yaml"], "not_deleted": [],
                    "git_history_holds_it": False, "committed": False}
