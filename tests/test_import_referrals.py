"""``rj import referrals FILE``: 50 invented referrals, 3 bad rows, 2 duplicates (issue 19)."""

from __future__ import annotations

import csv
import stat
import subprocess
from pathlib import Path

from conftest import CHILD, VICTIM, WORKER, CasebookUnderTest, plain

HEADER = ["name", "dob", "phone", "email", "consent_contact", "allocated", "worker",
          "offence", "child_id", "child_name", "child_dob", "child_disposal"]
BAD_ROWS = {7: "dob", 19: "consent_contact", 33: "child_id"}
"""Spreadsheet row -> the column that is wrong in it (the header is row 1)."""
DUPLICATE_ROWS = (12, 40)
"""Row 12 repeats the fixture victim (name and date of birth); row 40 repeats row 3's phone."""


def referrals(casebook: CasebookUnderTest) -> list[list[str]]:
    """50 invented referrals: half for the fixture child, half for two new children."""
    rows = [HEADER]
    for n in range(50):
        row_number = n + 2
        if n % 2:
            child = [casebook.child, "", "", ""]
        else:
            child = ["", f"Rory Newchild{n % 4}", f"0{1 + n % 4}/05/2011", "referral-order"]
        rows.append([f"Vic Example{n:02d}", f"{1 + n % 28:02d}/03/1981",
                     f"07700 900{500 + n}", f"vic{n}@example.org", "yes", "30/03/2026",
                     "Sam", "criminal damage", *child])
        if row_number == 7:
            rows[-1][1] = "31/02/1981"
        if row_number == 19:
            rows[-1][4] = "maybe"
        if row_number == 33:
            rows[-1][8:10] = ["C-ZZZZZZ", ""]
        if row_number == 12:
            rows[-1][0:2] = [VICTIM["name"].upper(), "06/05/1980"]
        if row_number == 40:
            rows[-1][2] = "+44 7700 900501"
    return rows


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)
    return path


def victim_files(casebook: CasebookUnderTest) -> set[str]:
    return {p.name for p in (casebook.root / "victims").glob("*.yaml")}


def child_files(casebook: CasebookUnderTest) -> set[str]:
    return {p.name for p in (casebook.root / "children").glob("*.yaml")}


def test_bad_rows_stop_the_whole_import_and_are_named_by_row_and_column(
        casebook: CasebookUnderTest, tmp_path: Path) -> None:
    before = (victim_files(casebook), child_files(casebook))
    file = write_csv(tmp_path / "week.csv", referrals(casebook))
    result = casebook.run("import", "referrals", str(file))
    assert result.exit_code == 2, result.output
    out = plain(result.output)
    for row, column in BAD_ROWS.items():
        assert f"row {row}, column {column}:" in out
    assert "3 of 50 rows are not valid; nothing was imported" in out
    assert (victim_files(casebook), child_files(casebook)) == before


def test_dry_run_prints_what_would_be_created_and_writes_nothing(
        casebook: CasebookUnderTest, tmp_path: Path) -> None:
    rows = [r for i, r in enumerate(referrals(casebook), start=1) if i not in BAD_ROWS]
    file = write_csv(tmp_path / "week.csv", rows)
    before = (victim_files(casebook), child_files(casebook))
    result = casebook.run("import", "referrals", str(file), "--dry-run")
    assert result.exit_code == 0, result.output
    out = plain(result.output)
    assert "would open a victim case for Vic Example00, allocated to Sam Worker" in out
    assert "a new child record for Rory Newchild0 (born 2011-05-01)" in out
    assert ("45 victim case(s) and 2 new child record(s) would be created; 2 possible "
            "duplicate(s)") in out
    assert (victim_files(casebook), child_files(casebook)) == before


def test_skip_bad_imports_the_rest_once_in_one_commit_and_files_the_rejected(
        committed_casebook: CasebookUnderTest, tmp_path: Path) -> None:
    casebook = committed_casebook
    commits = _commits(casebook)
    before_victims, before_children = victim_files(casebook), child_files(casebook)
    file = write_csv(tmp_path / "week.csv", referrals(casebook))
    result = casebook.run("import", "referrals", str(file), "--skip-bad")
    assert result.exit_code == 0, result.output
    out = plain(result.output)
    assert f"row 12: {VICTIM['name'].upper()} is a possible duplicate of {casebook.victim} " \
           "(same name and date of birth): not created" in out
    assert "row 40: Vic Example38 is a possible duplicate of row 3 (same phone " \
           "+44 7700 900501): not created" in out
    assert "45 victim case(s) opened, 2 new child record(s); 2 possible duplicate(s)" in out
    assert len(victim_files(casebook) - before_victims) == 45
    new_children = child_files(casebook) - before_children
    assert len(new_children) == 2
    assert _commits(casebook) == commits + 1
    assert "import referrals from week.csv" in _git(casebook, "log", "-1", "--format=%s")
    # the rejected rows: owner-only, as read, with what is wrong with each
    rejected = casebook.root / "output" / "rejected-week.csv"
    assert stat.S_IMODE(rejected.stat().st_mode) == 0o600
    lines = list(csv.reader(rejected.open(encoding="utf-8")))
    assert lines[0] == [*HEADER, "problems"]
    assert [line[-1].split(":")[0] for line in lines[1:]] == ["row 7", "row 19", "row 33"]
    # a child's record holds its victims by id and label only: no victim's identifiers
    fixture_child = casebook.text(casebook.child)
    assert "Vic Example" not in fixture_child and "07700 900" not in fixture_child
    assert "label: Victim 2" in fixture_child
    for name in new_children:
        text = (casebook.root / "children" / name).read_text(encoding="utf-8")
        assert "Vic Example" not in text and "example.org" not in text
    # imported again: every row is now a possible duplicate, nothing is created twice
    again = casebook.run("import", "referrals", str(file), "--skip-bad", "--rejected",
                         str(tmp_path / "rejected-again.csv"))
    assert again.exit_code == 0, again.output
    assert "0 victim case(s) opened; 47 possible duplicate(s) not created" in plain(again.output)
    assert len(victim_files(casebook) - before_victims) == 45


def test_a_new_victim_is_found_by_the_child_name_and_date_of_birth(
        casebook: CasebookUnderTest, tmp_path: Path) -> None:
    file = write_csv(tmp_path / "one.csv", [
        ["Name", "Consent contact", "Phone", "Child name", "Child DOB"],
        ["Nia Example", "Yes", "07700 900777", CHILD["name"], "03/02/2010"]])
    before = child_files(casebook)
    result = casebook.run("import", "referrals", str(file))
    assert result.exit_code == 0, result.output
    assert child_files(casebook) == before
    victim_id = next(iter(victim_files(casebook) - {f"{casebook.victim}.yaml"}))[:-5]
    assert casebook.data(victim_id)["children"][0]["child"] == casebook.child
    assert casebook.data(victim_id)["referral"]["worker"] == WORKER


def test_an_unknown_column_is_refused_naming_the_columns(
        casebook: CasebookUnderTest, tmp_path: Path) -> None:
    file = write_csv(tmp_path / "odd.csv", [["name", "consent_contact", "shoe size"],
                                            ["Nia Example", "yes", "9"]])
    result = casebook.run("import", "referrals", str(file))
    assert result.exit_code == 2
    assert "row 1, column shoe size: is not a column rj knows" in plain(result.output)


def test_an_xlsx_file_is_read_like_a_csv(casebook: CasebookUnderTest, tmp_path: Path) -> None:
    from datetime import datetime

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["name", "dob", "consent_contact", "child_id"])
    sheet.append(["Nia Example", datetime(1990, 4, 5), "yes", casebook.child])
    book.save(tmp_path / "one.xlsx")
    result = casebook.run("import", "referrals", str(tmp_path / "one.xlsx"))
    assert result.exit_code == 0, result.output
    victim_id = next(iter(victim_files(casebook) - {f"{casebook.victim}.yaml"}))[:-5]
    assert str(casebook.data(victim_id)["dob"]) == "1990-04-05"


def test_the_sample_referrals_file_imports_into_the_sample_casebook(tmp_path: Path) -> None:
    import shutil

    from conftest import invoke

    root = tmp_path / "sample"
    shutil.copytree(Path(__file__).parent.parent / "sample-casebook", root)
    result = invoke("import", "referrals", str(root / "imports" / "referrals.csv"),
                    casebook=root, today="2026-06-15", worker="Jo Whitlock")
    assert result.exit_code == 0, result.output
    assert "3 victim case(s) opened, 1 new child record(s)" in plain(result.output)


def _git(casebook: CasebookUnderTest, *args: str) -> str:
    return subprocess.run(["git", "-C", str(casebook.root), *args], capture_output=True,
                          text=True, check=True).stdout.strip()


def _commits(casebook: CasebookUnderTest) -> int:
    return int(_git(casebook, "rev-list", "--count", "HEAD"))


def test_a_value_under_no_heading_is_refused_not_dropped(
        casebook: CasebookUnderTest, tmp_path: Path) -> None:
    file = write_csv(tmp_path / "odd.csv", [["name", "consent_contact", "child_id", ""],
                                            ["Nia Example", "yes", casebook.child, "07700 900999"]])
    result = casebook.run("import", "referrals", str(file))
    assert result.exit_code == 2
    assert "row 2, column #4: has a value under no heading" in plain(result.output)


def test_a_value_the_record_schema_refuses_is_named_by_row_and_column(
        casebook: CasebookUnderTest, tmp_path: Path) -> None:
    file = write_csv(tmp_path / "mail.csv", [
        ["name", "consent_contact", "email", "child_id"],
        ["Nia Example", "yes", "not an email", casebook.child]])
    before = victim_files(casebook)
    result = casebook.run("import", "referrals", str(file))
    assert result.exit_code == 2
    assert "row 2, column email: email: 'not an email' does not match" in plain(result.output)
    assert victim_files(casebook) == before


DETAILS_HEADER = ["name", "consent_contact", "child_id", "title", "ethnicity",
                  "ethnicity_category", "sex", "disability", "communication needs", "language",
                  "interpreter", "officer", "officer_phone", "officer_email"]


def _with_categories(casebook: CasebookUnderTest) -> None:
    with (casebook.root / "rj.yaml").open("a", encoding="utf-8") as settings:
        settings.write("\nmonitoring:\n  ethnicity_categories:\n    - White\n"
                       "    - Mixed or multiple ethnic groups\n")


def test_the_monitoring_communication_and_officer_columns_are_recorded(
        casebook: CasebookUnderTest, tmp_path: Path) -> None:
    # issue 19: the new fields "in the schema, rj victim new, the import, rj show"
    _with_categories(casebook)
    child_before = casebook.text(casebook.child)
    file = write_csv(tmp_path / "details.csv", [DETAILS_HEADER, [
        "Nia Example", "yes", casebook.child, "Ms", "White Welsh", "white", "female", "no",
        "Uses British Sign Language", "BSL", "yes", "PC Ola Birch", "07700 900888",
        "ola.birch@example.org"]])
    result = casebook.run("import", "referrals", str(file))
    assert result.exit_code == 0, result.output
    victim_id = next(iter(victim_files(casebook) - {f"{casebook.victim}.yaml"}))[:-5]
    data = casebook.data(victim_id)
    assert data["title"] == "Ms"
    assert data["ethnicity"] == "White Welsh"
    assert data["monitoring"] == {"ethnicity_category": "White", "sex": "female",
                                  "disability": "no"}
    assert data["communication"] == {"needs": "Uses British Sign Language", "language": "BSL",
                                     "interpreter": True}
    assert data["police_officer"] == {"name": "PC Ola Birch", "phone": "07700 900888",
                                      "email": "ola.birch@example.org"}
    linked = casebook.text(casebook.child)
    assert victim_id in linked and linked != child_before
    assert not [s for s in ("White Welsh", "Sign Language", "Ola Birch", "900888")
                if s in linked]


def test_a_bad_detail_is_named_by_row_and_column(casebook: CasebookUnderTest,
                                                  tmp_path: Path) -> None:
    _with_categories(casebook)
    before = victim_files(casebook)
    good = ["Nia Example", "yes", casebook.child, "", "", "", "", "", "", "", "", "", "", ""]
    file = write_csv(tmp_path / "details.csv", [
        DETAILS_HEADER, good,
        ["Ola Example", "yes", casebook.child, "Sir", "", "Whte", "", "", "", "", "", "", "", ""],
        ["Pat Example", "yes", casebook.child, "", "", "", "", "maybe", "", "", "perhaps",
         "", "", ""]])
    result = casebook.run("import", "referrals", str(file))
    assert result.exit_code == 2, result.output
    out = plain(result.output)
    assert "row 3, column ethnicity_category: 'Whte' is not one of the service's ethnicity " \
           "categories" in out
    assert "row 3, column title:" in out
    assert "row 4, column disability:" in out and "prefers-not-to-say" in out
    assert "row 4, column interpreter: 'perhaps' is not yes or no" in out
    assert "2 of 3 rows are not valid; nothing was imported" in out
    assert victim_files(casebook) == before
