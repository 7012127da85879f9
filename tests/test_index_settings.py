"""A change to rj.yaml's staff, closures or policy (or to a policy profile or checklist)
re-evaluates the rules from the data the index holds: no record file is parsed again,
and every command answers exactly as it does from the files (``--no-cache``)."""

from __future__ import annotations

import json
import shutil

import pytest
from typer.testing import CliRunner

from rjcli.cli import app

TODAY = "2026-06-15"


def run(root, *args, cache=True):
    return answer(root, *args, cache=cache)[1]


def answer(root, *args, cache=True):
    """(exit code, output) of one command."""
    options = ["--casebook", str(root), "--today", TODAY, "--worker", "Ruth Kenwardine"]
    options += [] if cache else ["--no-cache"]
    result = CliRunner().invoke(app, options + list(args))
    assert "Traceback" not in result.output, result.output
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, result.stdout


ANSWERS = (
    ("due", "--all", "--json"),
    ("list", "--json"),
    ("check", "--json"),
    ("report", "caseload", "--format", "json", "--explain"),
    ("report", "quarterly", "--quarter", "2025-Q2", "--format", "json", "--explain"),
    ("report", "six-monthly", "--half", "2025-H2", "--format", "json", "--explain"),
    ("report", "code", "--quarter", "2025-Q2", "--format", "json", "--explain"),
    ("report", "annual", "--year", "2025", "--format", "md"),
)


def answers(root, cache=True):
    return {args: answer(root, *args, cache=cache) for args in ANSWERS}


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    from conftest import generated_casebook

    return generated_casebook(tmp_path_factory, seed=5)


@pytest.fixture
def book(generated, tmp_path):
    root = tmp_path / "casebook"
    shutil.copytree(generated, root)
    return root


def no_parsing(monkeypatch):
    """Make any parse of a record file for the index fail the test."""
    import rjcli.storage.index.rebuild as rebuild
    import rjcli.storage.index.records as records

    def refuse(*args, **kwargs):
        raise AssertionError(f"a record file was parsed again: {args[0]}")

    for module in (records, rebuild):
        monkeypatch.setattr(module, "parse_one", refuse)
    for worker in ("index_victim", "index_child"):  # a rebuild's workers
        monkeypatch.setattr(rebuild, worker, refuse)


def edit_config(root, old, new):
    config = root / "rj.yaml"
    text = config.read_text()
    assert old in text
    config.write_text(text.replace(old, new, 1))


CHANGES = {
    "a worker added": lambda root: run(root, "staff", "add", "New Person", "--role",
                                       "rj-worker"),
    "the first worker gone": lambda root: edit_config(
        root, "  - name: Priya Oakhanger\n    role: rj-worker\n", "  - name: Nobody Else\n"
        "    role: rj-worker\n"),
    "a new manager first": lambda root: edit_config(
        root, "staff:\n", "staff:\n  - name: Lou Newmanager\n    role: manager\n"),
    "closure days": lambda root: edit_config(
        root, "  region: england\n",
        "  region: england\n  closures: [2026-06-16, 2026-06-17, 2025-08-04]\n"),
    "a rule changed": lambda root: edit_config(
        root, "  profile: wokingham\n",
        "  profile: wokingham\n  rules:\n    risk-approval: {enabled: false}\n"),
    "another profile": lambda root: edit_config(
        root, "  profile: wokingham\n", "  profile: somerset\n"),
}


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_a_settings_change_reevaluates_without_parsing_a_record(book, monkeypatch, change):
    before = answers(book)  # builds the index
    CHANGES[change](book)
    with monkeypatch.context() as patched:
        no_parsing(patched)
        after = answers(book)
    expected = answers(book, cache=False)
    assert [args for args in ANSWERS if after[args] != expected[args]] == []
    if change != "a worker added":  # the others change some item, check or figure
        assert after != before


def test_a_record_changed_with_the_settings_is_still_read(book, monkeypatch):
    """The settings and a record changed together: the record is parsed (it changed),
    the rest re-evaluated from the index."""
    answers(book)
    edit_config(book, "  profile: wokingham\n",
                "  profile: wokingham\n  rules:\n    first-contact: {offset: 3}\n")
    victim = sorted((book / "victims").glob("*.yaml"))[0]
    victim.write_text(victim.read_text().replace("\nname: ", "\nname: Renamed ", 1))
    assert answers(book) == answers(book, cache=False)


def test_the_caseload_from_the_index_evaluates_nothing_and_equals_the_files(book,
                                                                            monkeypatch):
    """`rj report caseload` reads the open records and their outstanding items from the
    index (as `rj due` does): no rule is evaluated, and the report is the one the files
    give, also after a record is edited and another closed."""
    import rjcli.core.deadlines as deadlines

    caseload = ("report", "caseload", "--format", "json", "--explain")
    run(book, "due", "--all")  # builds the index
    victims = [r["id"] for r in json.loads(run(book, "list", "--json"))
               if r["id"].startswith("V-") and r["status"] == "open"]
    run(book, "contact", "log", victims[0], "--method", "phone", "--outcome", "spoke")
    run(book, "close", victims[1], "--reason", "declined")

    def refuse(*args, **kwargs):
        raise AssertionError("a rule was evaluated")

    with monkeypatch.context() as patched:
        run(book, "due", "--all")  # the edits taken in
        patched.setattr(deadlines, "evaluate_case", refuse)
        from_index = run(book, *caseload)
    assert json.loads(from_index)["sections"]
    assert from_index == run(book, *caseload, cache=False)


@pytest.mark.parametrize("half", ["2024-H1", "2025-H2"])
def test_the_six_monthly_from_the_index_reads_only_victims_with_feedback(book, monkeypatch,
                                                                          half):
    """`rj report six-monthly` takes from the index only the victims with feedback or
    complaints (and everyone's identifiers, kept out of its text), never every record's
    data; the report is the one the files give."""
    from rjcli.storage.index.queries import Queries

    report = ("report", "six-monthly", "--half", half, "--format", "json", "--explain")
    run(book, "due", "--all")  # builds the index

    def refuse(*args, **kwargs):
        raise AssertionError("every record's data read")

    with monkeypatch.context() as patched:
        patched.setattr(Queries, "data", refuse)
        patched.setattr(Queries, "loaded", refuse)
        from_index = run(book, *report)
    assert json.loads(from_index)["sections"]
    assert from_index == run(book, *report, cache=False)
