"""`rj report six-monthly` and `rj report caseload` from the index read only what their
period needs, and give exactly the report of reading every file (``--no-cache``), also
after records are edited by hand."""

from __future__ import annotations

import re
import shutil

import pytest
from typer.testing import CliRunner

from rjcli.cli import app

TODAY = "2026-06-15"
HALF = "2025-H2"
REPORTS = (("report", "six-monthly", "--half", HALF, "--format", "json", "--explain"),
           ("report", "six-monthly", "--half", "2024-H1", "--format", "json", "--explain"),
           ("report", "six-monthly", "--format", "md"),
           ("report", "caseload", "--format", "json", "--explain"))


def run(root, *args, cache=True):
    options = ["--casebook", str(root), "--today", TODAY, "--worker", "Ruth Kenwardine"]
    options += [] if cache else ["--no-cache"]
    result = CliRunner().invoke(app, options + list(args))
    assert "Traceback" not in result.output, result.output
    return result.exit_code, result.stdout


def same_reports(root):
    for args in REPORTS:
        assert run(root, *args) == run(root, *args, cache=False), args


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    from conftest import generated_casebook

    return generated_casebook(tmp_path_factory, seed=11)


@pytest.fixture
def book(generated, tmp_path):
    root = tmp_path / "casebook"
    shutil.copytree(generated, root)
    return root


FEEDBACK = ("  - id: {id}\n    date: {date}\n    kind: after-contact\n"
            "    satisfaction: satisfied\n")


def add_feedback(path, entry_id, day):
    text = path.read_text()
    entry = FEEDBACK.format(id=entry_id, date=day)
    if "\nfeedback:\n" in text:
        text = text.replace("\nfeedback:\n", "\nfeedback:\n" + entry, 1)
    else:
        text += "feedback:\n" + entry
    path.write_text(text)


def test_reports_from_the_index_equal_the_files_after_hand_edits(book):
    victims = sorted((book / "victims").glob("*.yaml"))
    same_reports(book)
    add_feedback(victims[0], "FB-IN-HALF", "2025-11-03")  # in the half
    add_feedback(victims[1], "FB-QUOTED", '" 2025-12-01"')  # a date as text, with a space
    add_feedback(victims[2], "FB-BEFORE", "2019-01-01")  # in no half reported
    victims[3].write_text(victims[3].read_text().replace("\nname: ", "\nname: [broken\n", 1))
    victims[4].unlink()
    same_reports(book)


def test_the_six_monthly_builds_only_the_victims_with_feedback_in_its_half(book, monkeypatch):
    import rjcli.core.model as model

    def dated_in_half(path):
        days = re.findall(r"^feedback:\n((?:  .*\n)*)", path.read_text(), re.M)
        days += re.findall(r"^complaints:\n((?:  .*\n)*)", path.read_text(), re.M)
        return any("2025-10-01" <= d <= "2026-03-31"
                   for block in days for d in re.findall(r"date: (\d{4}-\d\d-\d\d)", block))

    wanted = {p.stem for p in (book / "victims").glob("*.yaml") if dated_in_half(p)}
    with_any = {p.stem for p in (book / "victims").glob("*.yaml")
                if re.search(r"^(feedback|complaints):", p.read_text(), re.M)}
    assert wanted and wanted < with_any  # the half is a part of all feedback
    run(book, "due")  # the index made
    built = []
    victim_from_dict = model.victim_from_dict

    def counting(data):
        built.append(data["id"])
        return victim_from_dict(data)

    monkeypatch.setattr(model, "victim_from_dict", counting)
    code, out = run(book, *REPORTS[0])
    assert code == 0
    assert set(built) == wanted
