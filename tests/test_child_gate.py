"""One gate for writes to a child's record (issue 14): no command writes a linked victim's
identifiers there, whatever the command; the one exception is a family-or-carer victim a
manager approved, and ``rj check`` says so."""

from __future__ import annotations

import json
import shlex
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import VICTIM, CasebookUnderTest, plain

LEAK = "Ann Example (07700 900001) wants to meet him"


def _refused(casebook: CasebookUnderTest, result: Any, before: str, what: str) -> None:
    shown = plain(result.output)
    assert result.exit_code == 6, shown
    assert f"{what} ({casebook.victim})" in shown
    assert "nothing was written" in shown
    assert casebook.text(casebook.child) == before


@pytest.mark.parametrize("command", [
    ["contact", "log", "{child}", "--method", "phone", "--outcome", "spoke", "--at",
     "2026-04-01 10:00", "--note", LEAK],
    ["consent", "{child}", "rj-participation", "yes", "--source", LEAK],
    ["close", "{child}", "--reason", "completed", "--note", LEAK],
    ["child", "awareness", "{child}", "--note", LEAK],
    ["child", "readiness", "{child}", "--note", LEAK],
])
def test_a_command_writing_a_victims_details_on_a_childs_record_is_refused(
        casebook: CasebookUnderTest, command: list[str]) -> None:
    before = casebook.text(casebook.child)
    result = casebook.run(*[c.format(child=casebook.child) for c in command])
    _refused(casebook, result, before, "a victim's phone number")
    assert "a victim's name" in plain(result.output)


def test_reopen_with_a_victims_address_is_refused(casebook: CasebookUnderTest) -> None:
    assert casebook.run("close", casebook.child, "--reason", "completed").exit_code == 0
    before = casebook.text(casebook.child)
    result = casebook.run("reopen", casebook.child, "--reason",
                          f"victim moved, now at {VICTIM['postcode'].lower().replace(' ', '')}")
    _refused(casebook, result, before, "a victim's postcode")


def test_a_date_of_birth_in_words_is_refused(casebook: CasebookUnderTest) -> None:
    before = casebook.text(casebook.child)
    result = casebook.run("contact", "log", casebook.child, "--method", "phone", "--outcome",
                          "spoke", "--at", "2026-04-01 10:00", "--note",
                          "victim born 6th May 1980, so an adult")
    _refused(casebook, result, before, "a victim's date of birth")


def _editor(tmp_path: Path, replace: str, by: str) -> str:
    script = tmp_path / "editor.py"
    script.write_text("import sys\nfrom pathlib import Path\ndraft = Path(sys.argv[1])\n"
                      f"draft.write_text(draft.read_text().replace({replace!r}, {by!r}))\n",
                      encoding="utf-8")
    return f"{shlex.quote(sys.executable)} {shlex.quote(str(script))}"


def test_rj_edit_of_a_child_writing_a_victims_email_is_refused(
        casebook: CasebookUnderTest, tmp_path: Path) -> None:
    before = casebook.text(casebook.child)
    command = _editor(tmp_path, "case_holder: Pat Holder",
                      f"case_holder: Pat Holder\nnotes: wrote to {VICTIM['email'].upper()}")
    result = casebook.run("edit", casebook.child, env={"EDITOR": command})
    assert result.exit_code == 6
    assert f"a victim's e-mail address ({casebook.victim})" in plain(result.output)
    assert casebook.text(casebook.child) == before


@pytest.mark.parametrize("comment", ["  # victim: {name}, {phone}", "\n# ring {phone}"])
def test_rj_edit_of_a_child_writing_a_victim_into_a_comment_is_refused(
        casebook: CasebookUnderTest, tmp_path: Path, comment: str) -> None:
    """A YAML comment is in the file, and the file is shared (hostile test of issue 14)."""
    before = casebook.text(casebook.child)
    typed = comment.format(name=VICTIM["name"], phone=VICTIM["phone"])
    command = _editor(tmp_path, "case_holder: Pat Holder", f"case_holder: Pat Holder{typed}")
    result = casebook.run("edit", casebook.child, env={"EDITOR": command})
    assert result.exit_code == 6, result.output
    assert casebook.victim in plain(result.output)
    assert casebook.text(casebook.child) == before


def test_a_victim_named_in_the_text_but_not_linked_is_also_looked_for(
        casebook: CasebookUnderTest, child_factory: Any, victim_factory: Any) -> None:
    other = child_factory("Kit Child")
    lee = victim_factory("Lee Otherperson", child=other, phone="07700 900077")
    before = casebook.text(casebook.child)
    result = casebook.run("contact", "log", casebook.child, "--method", "phone", "--outcome",
                          "spoke", "--at", "2026-04-01 10:00", "--note",
                          f"about {lee}: ring 07700 900077")
    assert result.exit_code == 6
    assert f"a victim's phone number ({lee})" in plain(result.output)
    assert casebook.text(casebook.child) == before


def test_a_note_that_names_no_victim_is_written(casebook: CasebookUnderTest) -> None:
    result = casebook.run("contact", "log", casebook.child, "--method", "phone", "--outcome",
                          "spoke", "--at", "2026-04-01 10:00", "--note",
                          "Victim 1 wants to meet him; case holder on 01632 960101")
    assert result.exit_code == 0, result.output
    assert "Victim 1 wants to meet him" in casebook.text(casebook.child)


def test_an_old_leak_already_on_the_record_does_not_block_other_writes(
        casebook: CasebookUnderTest) -> None:
    # rj check reports the old line; the gate looks at what a command adds
    casebook.write(casebook.child, casebook.text(casebook.child)
                   + f"notes: rang {VICTIM['name']}\n")
    result = casebook.run("child", "awareness", casebook.child, "--note", "Harm to Victim 1")
    assert result.exit_code == 0, result.output


# --- the one exception: a family-or-carer victim a manager approved -----------------------


@pytest.fixture
def family(casebook: CasebookUnderTest, victim_factory: Any) -> str:
    assert casebook.run("staff", "add", "Mo Manager", "--role", "manager").exit_code == 0
    return str(victim_factory("Jane Parentname", kind="family-or-carer",
                              phone="07700 900055"))


def test_an_approved_family_victim_may_appear_on_the_childs_record(
        casebook: CasebookUnderTest, family: str) -> None:
    note = "Jane Parentname (07700 900055) will bring him"
    log = ["contact", "log", casebook.child, "--method", "phone", "--outcome", "spoke",
           "--at", "2026-04-01 10:00", "--note", note]
    assert casebook.run(*log).exit_code == 6

    approved = casebook.run("victim", "family-approve", family, "--child", casebook.child,
                            "--manager", "Mo Manager", "--reason",
                            "Mother and victim; she is his carer (YJB 30, 34)")
    assert approved.exit_code == 0, approved.output
    entry = json.loads(json.dumps(casebook.data(family)["family_approvals"][0], default=str))
    assert entry["child"] == casebook.child and entry["manager"] == "Mo Manager"
    assert entry["reason"].startswith("Mother and victim")

    assert casebook.run(*log).exit_code == 0
    assert note in casebook.text(casebook.child)
    check = casebook.run("check", "--json")
    problems = json.loads(check.stdout)["problems"]
    assert check.exit_code == 0, problems
    assert [p["severity"] for p in problems] == ["note"]
    assert family in problems[0]["message"] and "Mo Manager" in problems[0]["message"]
    assert "approved" in plain(casebook.run("check").output)


def test_the_approval_covers_that_victim_on_that_child_only(
        casebook: CasebookUnderTest, family: str) -> None:
    ok = casebook.run("victim", "family-approve", family, "--child", casebook.child,
                      "--manager", "Mo Manager", "--reason", "Carer")
    assert ok.exit_code == 0, ok.output
    before = casebook.text(casebook.child)
    result = casebook.run("contact", "log", casebook.child, "--method", "phone", "--outcome",
                          "spoke", "--at", "2026-04-01 10:00", "--note",
                          f"Jane Parentname and {VICTIM['name']} both rang")
    _refused(casebook, result, before, "a victim's name")
    assert family not in plain(result.output)


@pytest.mark.parametrize(("options", "message"), [
    (["--manager", "Sam Worker", "--reason", "Carer"], "not on the staff list as a manager"),
    (["--manager", "Mo Manager", "--reason", " "], "--reason"),
])
def test_an_approval_needs_a_manager_and_a_reason(casebook: CasebookUnderTest, family: str,
                                                  options: list[str], message: str) -> None:
    before = casebook.text(family)
    result = casebook.run("victim", "family-approve", family, "--child", casebook.child,
                          *options)
    assert result.exit_code == 2
    assert message in plain(result.output)
    assert casebook.text(family) == before


def test_only_a_family_or_carer_victim_can_be_approved(casebook: CasebookUnderTest,
                                                       family: str) -> None:
    before = casebook.text(casebook.victim)
    result = casebook.run("victim", "family-approve", casebook.victim, "--child",
                          casebook.child, "--manager", "Mo Manager", "--reason", "x")
    assert result.exit_code == 2
    assert "family-or-carer" in plain(result.output)
    assert casebook.text(casebook.victim) == before
