"""``rj assign``: a case or a whole caseload moves to another worker, logged (issue 19)."""

from __future__ import annotations

import subprocess

from conftest import WORKER, CasebookUnderTest, json_of, plain

OTHER = "Amir Haddon"


def _with_other(casebook: CasebookUnderTest) -> None:
    result = casebook.run("staff", "add", OTHER, "--role", "rj-worker")
    assert result.exit_code == 0, result.output


def _due_cases(casebook: CasebookUnderTest, worker: str) -> set[str]:
    result = casebook.run("due", "--worker", worker, "--json")
    assert result.exit_code == 0, result.output
    return {item["case"] for item in json_of(result)}


def test_assign_moves_the_case_logs_it_and_the_due_list_follows(
        casebook: CasebookUnderTest) -> None:
    _with_other(casebook)
    assert casebook.victim in _due_cases(casebook, WORKER)
    result = casebook.run("assign", casebook.victim, "--worker", "amir",
                          "--reason", "Sam on leave")
    assert result.exit_code == 0, result.output
    assert f"{casebook.victim}: {WORKER} -> {OTHER}." in plain(result.output)
    data = casebook.data(casebook.victim)
    assert data["referral"]["worker"] == OTHER
    logged = data["allocations"][-1]
    assert (logged["from"], logged["to"], logged["reason"], logged["by"], str(logged["date"])) \
        == (WORKER, OTHER, "Sam on leave", WORKER, "2026-04-02")
    assert casebook.victim in _due_cases(casebook, OTHER)
    assert casebook.victim not in _due_cases(casebook, WORKER)


def test_assign_refuses_a_name_not_on_the_staff_list_and_changes_nothing(
        casebook: CasebookUnderTest) -> None:
    before = casebook.text(casebook.victim)
    result = casebook.run("assign", casebook.victim, "--worker", "Amir Hadon")
    assert result.exit_code == 2
    assert "'Amir Hadon' is not on the staff list" in plain(result.output)
    assert casebook.text(casebook.victim) == before


def test_assign_needs_a_case_and_a_worker_or_from_and_to(casebook: CasebookUnderTest) -> None:
    _with_other(casebook)
    for args in ([casebook.victim], ["--from", WORKER], [casebook.victim, "--to", OTHER]):
        result = casebook.run("assign", *args)
        assert result.exit_code == 2, result.output
        assert "rj assign ID --worker NAME" in plain(result.output)


def test_assign_from_to_moves_open_cases_only_in_one_commit(
        committed_casebook: CasebookUnderTest) -> None:
    casebook = committed_casebook
    _with_other(casebook)
    made = casebook.run("victim", "new", "--name", "Lee Example", "--child", casebook.child,
                        "--consent-contact", "yes", "--allocated", "2026-03-31", "--json")
    closed = json_of(made)["id"]
    assert casebook.run("close", closed, "--reason", "declined").exit_code == 0
    count = _commits(casebook)
    result = casebook.run("assign", "--from", WORKER, "--to", OTHER, "--reason", "balancing")
    assert result.exit_code == 0, result.output
    assert f"1 open case(s) moved from {WORKER} to {OTHER}: {casebook.victim}." \
        in plain(result.output)
    assert casebook.data(casebook.victim)["referral"]["worker"] == OTHER
    assert casebook.data(closed)["referral"]["worker"] == WORKER
    assert "allocations" not in casebook.data(closed)
    assert _commits(casebook) == count + 1
    assert _due_cases(casebook, WORKER) == set()


def _commits(casebook: CasebookUnderTest) -> int:
    out = subprocess.run(["git", "-C", str(casebook.root), "rev-list", "--count", "HEAD"],
                 capture_output=True, text=True, check=True).stdout
    return int(out)
