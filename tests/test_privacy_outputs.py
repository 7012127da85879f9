"""The victim-identifier matcher at the doors out of the casebook (issue 14): report text,
a child's subject-access export and child letters never carry a victim's details, in any
of the forms people type them."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from conftest import CasebookUnderTest, invoke, plain
from test_letters import letter_files, rj, write_casebook
from test_reports import FIXTURE, copy_of

WITHHELD = "other (not shown: it names a person)"
V9 = "victims/V-0009.yaml"


@pytest.mark.parametrize(("reason", "detail"), [
    ("Victim moved to 7 Elm Way", "Elm Way"),
    ("Victim moved to xe74jd", "xe74jd"),
    ("Victim moved to XE7  4JD", "4JD"),
    ("Born 2nd February 1990 and unwell", "1990"),
    ("Born 02.02.90", "02.02.90"),
    ("Mobile +44 7700 900 009 cut off", "900 009"),
])
def test_a_not_appropriate_reason_naming_the_victim_is_withheld_from_the_csv(
        tmp_path: Path, reason: str, detail: str) -> None:
    root = copy_of(FIXTURE, tmp_path / "book")
    text = (root / V9).read_text(encoding="utf-8")
    text = text.replace("reason: Child denies the offence}", f"reason: '{reason}'}}")
    text = text.replace("phones:", "address: {lines: [7 Elm Way, Exampletown], "
                        "postcode: XE7 4JD}\nphones:")
    (root / V9).write_text(text, encoding="utf-8")
    out = tmp_path / "q1.csv"

    result = invoke("report", "quarterly", "--quarter", "2026-Q1", "--format", "csv", "--out",
                    str(out), casebook=root, today="2026-07-15", worker=None)

    assert result.exit_code == 0, result.output
    written = out.read_text(encoding="utf-8")
    labels = {row["row_label"] for row in csv.DictReader(io.StringIO(written))
              if row["table"] == "not-appropriate"}
    assert WITHHELD in labels
    assert not any(detail in label for label in labels), labels
    assert detail not in written


@pytest.mark.parametrize("planted", [
    "victim born 6th May 1980",
    "victim born May 6, 1980",
    "victim born 06.05.80",
    "victim lives near ex11aa",
    "ring her on +44 (0)7700 900001",
])
def test_a_childs_export_refuses_a_victims_details_in_any_form(
        casebook: CasebookUnderTest, tmp_path: Path, planted: str) -> None:
    c = casebook.child
    casebook.write(c, casebook.text(c) + f"notes: {planted}\n")  # by hand, past the gate
    line = len(casebook.text(c).splitlines())

    result = casebook.run("export", c, "--out", str(tmp_path / "sar"))

    assert result.exit_code == 6
    assert f"children/{c}.yaml:{line}: a victim's" in plain(result.output)
    assert not (tmp_path / "sar").exists()


def test_a_child_letter_holding_a_victims_address_is_not_written(tmp_path: Path) -> None:
    book = write_casebook(tmp_path / "casebook")
    result = rj(book, "letter", "child-appointment", "C-0001", "--at", "2026-04-20 16:30",
                "--venue", "1 example rd, Exampletown")
    assert result.exit_code == 2
    assert "a victim's address (V-0001)" in plain(result.output)
    assert letter_files(book) == []


def test_a_child_letter_naming_no_victim_is_written(tmp_path: Path) -> None:
    book = write_casebook(tmp_path / "casebook")
    result = rj(book, "letter", "child-appointment", "C-0001", "--at", "2026-04-20 16:30",
                "--venue", "Exampletown Youth Justice Office")
    assert result.exit_code == 0, result.output
    assert len(letter_files(book)) == 1

