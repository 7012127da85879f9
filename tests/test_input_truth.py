"""What you type is what rj records (issue 16): UK dates, staff names, ages, the two clocks."""

from __future__ import annotations

import shlex
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from rjcli.storage import yamlio
from tests.conftest import CasebookUnderTest, invoke, json_of, plain

SAMPLE = Path(__file__).resolve().parent.parent / "sample-casebook"


# --- dates and times, read day first ------------------------------------------------------

def test_a_contact_at_05_06_is_logged_on_5_june_and_said_in_words(
        casebook: CasebookUnderTest) -> None:
    result = casebook.run("contact", "log", casebook.victim, "--method", "phone",
                          "--outcome", "spoke", "--at", "05/06/2026 10:15", today="2026-06-15")
    assert result.exit_code == 0, result.output
    assert "Friday 5 June 2026 at 10:15" in plain(result.output)
    assert casebook.data(casebook.victim)["contacts"][-1]["at"] == "2026-06-05 10:15"


def test_yesterday_at_a_time_is_understood(casebook: CasebookUnderTest) -> None:
    result = casebook.run("contact", "log", casebook.victim, "--method", "phone",
                          "--outcome", "spoke", "--at", "yesterday 14:30")
    assert result.exit_code == 0, result.output
    assert casebook.data(casebook.victim)["contacts"][-1]["at"] == "2026-04-01 14:30"
    assert "Wednesday 1 April 2026 at 14:30" in plain(result.output)


def test_us_order_is_refused_with_the_forms_accepted(casebook: CasebookUnderTest) -> None:
    result = casebook.run("contact", "log", casebook.victim, "--method", "phone",
                          "--outcome", "spoke", "--at", "06/15/2026 10:00", today="2026-06-20")
    assert result.exit_code == 2
    out = plain(result.output)
    assert "--at '06/15/2026 10:00' has no month 15" in out
    assert "05/06/2026" in out and "yesterday 14:30" in out
    assert "contacts" not in casebook.data(casebook.victim)


def test_today_may_be_written_day_first(casebook: CasebookUnderTest) -> None:
    result = casebook.run("contact", "log", casebook.victim, "--method", "phone",
                          "--outcome", "spoke", "--at", "10:00", today="15/06/2026")
    assert result.exit_code == 0, result.output
    assert casebook.data(casebook.victim)["contacts"][-1]["at"] == "2026-06-15 10:00"


def test_a_date_option_reads_words_and_says_the_day(casebook: CasebookUnderTest) -> None:
    result = casebook.run("consent", casebook.victim, "rj-participation", "yes",
                          "--date", "1 Apr")
    assert result.exit_code == 0, result.output
    assert "Wednesday 1 April 2026" in plain(result.output)


# --- names of staff are checked -------------------------------------------------------------

def _add_priya(casebook: CasebookUnderTest) -> None:
    result = casebook.run("staff", "add", "Priya Nair", "--role", "rj-worker")
    assert result.exit_code == 0, result.output


def _new_victim(casebook: CasebookUnderTest, *options: str, **run: Any) -> Result:
    return casebook.run("victim", "new", "--name", "Lee Example", "--child", casebook.child,
                        "--consent-contact", "yes", *options, "--json", **run)


def test_a_misspelt_worker_is_refused_with_a_suggestion(casebook: CasebookUnderTest) -> None:
    _add_priya(casebook)
    before = sorted(p.name for p in (casebook.root / "victims").iterdir())
    result = _new_victim(casebook, "--worker", "Pryia Nair")
    assert result.exit_code == 2
    out = plain(result.output)
    assert "--worker 'Pryia Nair' is not on the staff list; did you mean Priya Nair?" in out
    assert 'rj staff add "Pryia Nair" --role rj-worker' in out
    assert sorted(p.name for p in (casebook.root / "victims").iterdir()) == before


@pytest.mark.parametrize("typed", ["priya nair", "  Priya   Nair ", "Priya", "PRIYA"])
def test_a_worker_is_matched_whatever_the_case_and_by_first_name(
        casebook: CasebookUnderTest, typed: str) -> None:
    _add_priya(casebook)
    result = _new_victim(casebook, "--worker", typed)
    assert result.exit_code == 0, result.output
    assert json_of(result)["referral"]["worker"] == "Priya Nair"
    mine = casebook.run("list", "--json", worker=typed)
    assert json_of(result)["id"] in [r["id"] for r in json_of(mine) if r["worker"] == "Priya Nair"]
    due = casebook.run("due", "--json", worker=typed)
    assert due.exit_code == 0, due.output
    assert {item["worker"] for item in json_of(due)} == {"Priya Nair"}


def test_an_ambiguous_first_name_is_refused(casebook: CasebookUnderTest) -> None:
    _add_priya(casebook)
    assert casebook.run("staff", "add", "Priya Shah", "--role", "rj-worker").exit_code == 0
    result = _new_victim(casebook, "--worker", "Priya")
    assert result.exit_code == 2
    assert "'Priya' could be any of Priya Nair, Priya Shah; give the full name" in \
        plain(result.output)


def test_a_stranger_at_the_keyboard_writes_nothing(committed_casebook: CasebookUnderTest
                                                   ) -> None:
    book = committed_casebook
    before = book.text(book.victim)
    for run in ({"worker": "Sam Stranger"}, {"worker": None, "env": {"RJ_WORKER": "Sam Stranger"}}):
        result = book.run("contact", "log", book.victim, "--method", "phone",
                          "--outcome", "spoke", **run)
        assert result.exit_code == 2
        assert "'Sam Stranger' is not on the staff list" in plain(result.output)
    assert "RJ_WORKER 'Sam Stranger'" in plain(result.output)
    assert book.text(book.victim) == before


def test_the_matched_staff_member_is_the_git_author(committed_casebook: CasebookUnderTest
                                                    ) -> None:
    book = committed_casebook
    result = book.run("contact", "log", book.victim, "--method", "phone", "--outcome", "spoke",
                      worker="sam worker")
    assert result.exit_code == 0, result.output
    author = subprocess.run(["git", "log", "-1", "--format=%an"], cwd=book.root,
                            capture_output=True, text=True, check=True).stdout.strip()
    assert author == "Sam Worker"
    assert book.data(book.victim)["contacts"][-1]["by"] == "Sam Worker"


def test_a_change_needs_a_worker_but_reading_does_not(casebook: CasebookUnderTest) -> None:
    before = casebook.text(casebook.victim)
    result = casebook.run("contact", "log", casebook.victim, "--method", "phone",
                          "--outcome", "spoke", worker=None)
    assert result.exit_code == 2
    out = plain(result.output)
    assert "say who you are: rj records who made every change" in out
    assert "--worker" in out and "RJ_WORKER" in out and "Sam Worker" in out
    assert casebook.text(casebook.victim) == before
    assert casebook.run("show", casebook.victim, worker=None).exit_code == 0
    assert casebook.run("due", worker=None).exit_code == 0


# --- age from the date of birth -------------------------------------------------------------

def test_a_14_year_old_is_under_18_and_needs_a_parent(casebook: CasebookUnderTest) -> None:
    result = _new_victim(casebook, "--name", "Kid Young", "--dob", "2012-01-01")
    assert result.exit_code == 2
    assert ("a victim under 18 (Kid Young is 14 on 2026-04-02) needs a parent or guardian "
            "(--parent NAME)") in plain(result.output)


def test_letters_to_a_victim_under_18_go_to_the_parent(tmp_path: Path) -> None:
    book = tmp_path / "sample"
    shutil.copytree(SAMPLE, book, ignore=shutil.ignore_patterns(".rj", "output", "letters"))
    options = {"casebook": book, "today": "2026-06-15", "worker": "Jo Whitlock"}
    result = invoke("victim", "new", "--name", "Kid Young", "--child", "C-0001",
                    "--consent-contact", "yes", "--dob", "01/01/2012", "--stage", "pre-court",
                    "--parent", "Pat Young", "--address", "1 Example Road",
                    "--address", "Exampletown", "--postcode", "XE1 1AA", **options)
    assert result.exit_code == 0, result.output
    assert "(under 18: letters go to their parent or guardian)" in plain(result.output)
    victim_id = plain(result.output).split()[1]
    letter = invoke("letter", "initial", victim_id, "--draft", "--format", "txt", **options)
    assert letter.exit_code == 0, letter.output
    (written,) = [p for p in book.rglob(f"*{victim_id}*") if p.parent.name != "victims"]
    text = written.read_text(encoding="utf-8")
    assert "Dear Pat Young" in text and "Dear Kid Young" not in text


def test_a_hand_made_record_of_a_child_victim_gets_no_letter_without_a_parent(
        casebook: CasebookUnderTest) -> None:
    text = casebook.text(casebook.victim).replace("dob: 1980-05-06", "dob: 2012-01-01")
    casebook.write(casebook.victim, text)
    letter = casebook.run("letter", "initial", casebook.victim, "--draft")
    assert letter.exit_code != 0
    assert "the parent or guardian's name" in plain(letter.output)
    assert not (casebook.root / "letters").exists() or \
        not list((casebook.root / "letters").rglob(f"*{casebook.victim}*"))


@pytest.mark.parametrize(("what", "dob", "why"), [
    ("victim", "1900-01-01",
     "date of birth 1900-01-01 makes them 126 on 2026-04-02: check the year"),
    ("child", "2020-01-01", "makes the child 6 today: a child under 10 cannot have a youth "
                            "justice case"),
    ("child", "1901-01-01", "makes them 125 today"),
])
def test_an_impossible_age_is_refused(casebook: CasebookUnderTest, what: str, dob: str,
                                      why: str) -> None:
    if what == "victim":
        result = _new_victim(casebook, "--dob", dob)
    else:
        result = casebook.run("child", "new", "--name", "Kit Child", "--dob", dob)
    assert result.exit_code == 2
    assert why in plain(result.output)


def test_a_young_child_may_be_a_victim(casebook: CasebookUnderTest) -> None:
    # DOMAIN.md (Wait 'til Eight §5.4): "under 14 only through the parent" - victims can be
    # young children, so no lower age is refused for a victim; the parent is needed
    result = _new_victim(casebook, "--dob", "2020-01-01", "--parent", "Pat Young")
    assert result.exit_code == 0, result.output
    assert json_of(result)["kind"] == "under-18"


# --- two clocks: the working date and the moment of recording -------------------------------

def test_recorded_at_is_the_machine_clock_not_the_working_date(
        casebook: CasebookUnderTest) -> None:
    december = {"RJ_CLOCK": "2026-12-04T16:20"}
    result = casebook.run("contact", "log", casebook.victim, "--method", "phone",
                          "--outcome", "spoke", "--at", "2026-04-07 10:00",
                          today="2026-04-07", env=december)
    assert result.exit_code == 0, result.output
    entry = casebook.data(casebook.victim)["contacts"][-1]
    assert (entry["at"], entry["recorded_at"]) == ("2026-04-07 10:00", "2026-12-04 16:20")


def test_a_letter_is_logged_at_the_clock_time_of_the_working_day(tmp_path: Path) -> None:
    book = tmp_path / "sample"
    shutil.copytree(SAMPLE, book, ignore=shutil.ignore_patterns(".rj", "output", "letters"))
    result = invoke("letter", "initial", "V-0001", casebook=book, today="2026-06-15",
                    worker="Jo Whitlock", env={"RJ_CLOCK": "2026-12-04T11:05"})
    assert result.exit_code == 0, result.output
    sent = [c for c in yamlio.parse_text((book / "victims" / "V-0001.yaml").read_text())
            ["contacts"] if c.get("letter") == "initial"][-1]
    assert (sent["at"], sent["recorded_at"]) == ("2026-06-15 11:05", "2026-12-04 11:05")


def test_an_entry_written_down_months_late_is_shown_as_late(casebook: CasebookUnderTest) -> None:
    for at, clock in (("2026-04-07 10:00", "2026-12-04T16:20"),
                      ("2026-04-08 10:00", "2026-04-10T09:00")):  # two working days: on time
        result = casebook.run("contact", "log", casebook.victim, "--method", "phone",
                              "--outcome", "spoke", "--at", at, today=at[:10],
                              env={"RJ_CLOCK": clock})
        assert result.exit_code == 0, result.output
    show = plain(casebook.run("show", casebook.victim, today="2026-12-04").output)
    assert "2026-04-07 10:00 (recorded late, on 4 December 2026)" in show
    assert "2026-04-08 10:00 phone" in show
    timeline = plain(casebook.run("timeline", casebook.victim, today="2026-12-04").output)
    assert "phone with the victim: spoke (recorded late, on 4 December 2026)" in timeline
    assert timeline.count("recorded late") == 1


# --- help and errors -----------------------------------------------------------------------

def test_the_first_example_of_rj_help_runs(tmp_path: Path) -> None:
    from rjcli.__main__ import HELP_PAGE

    book = tmp_path / "sample-casebook"
    shutil.copytree(SAMPLE, book, ignore=shutil.ignore_patterns(".rj", "output", "letters"))
    (example,) = [line.split("Example: ", 1)[1] for line in
                  HELP_PAGE.read_text(encoding="utf-8").splitlines() if "Example: " in line]
    args = shlex.split(example)
    assert args[0] == "rj"
    args = [str(book) if a == "sample-casebook" else a for a in args[1:]]
    result = invoke(*args, today=None, worker=None)
    assert result.exit_code == 0, result.output
    assert "2 overdue, 2 due today" in plain(result.output)


@pytest.mark.parametrize("typo", [["duee"], ["contact", "lgo"]])
def test_a_typo_is_suggested_once(casebook: CasebookUnderTest, typo: list[str]) -> None:
    result = casebook.run(*typo)
    assert result.exit_code == 2
    assert plain(result.output).count("Did you mean") == 1


def test_an_id_heard_wrong_on_the_phone_is_suggested(casebook: CasebookUnderTest) -> None:
    text = casebook.text(casebook.victim).replace(f"id: {casebook.victim}", "id: V-K2FT53")
    (casebook.root / "victims" / "V-K2FT53.yaml").write_text(text, encoding="utf-8")
    for wrong in ("V-K2FTS3", "v-k2ft35", "V-K2FT5B"):  # S heard for 5; two swapped; one off
        result = casebook.run("show", wrong)
        assert result.exit_code == 4
        assert "did you mean V-K2FT53?" in plain(result.output)
    assert casebook.run("show", "v-k2ft53").exit_code == 0
    far = casebook.run("show", "V-ZZZZZZ")
    assert far.exit_code == 4 and "did you mean" not in plain(far.output)


@pytest.mark.parametrize(("typed", "meant"), [
    ("V-K2FTS3", ["V-K2FT53"]), ("V-8ZO1BB", ["V-B2018B"]), ("V-K2FT35", ["V-K2FT53"]),
    ("V-K2FT54", ["V-K2FT53"]), ("V-K2FT53", []), ("C-K2FTS3", [])])
def test_look_alike_ids(typed: str, meant: list[str]) -> None:
    from rjcli.core.ids import similar_ids

    assert similar_ids(typed, ["V-K2FT53", "V-B2018B", "V-0001"]) == meant


# --- rj staff rename and retire --------------------------------------------------------------

def test_a_renamed_worker_keeps_their_history_and_cases(committed_casebook: CasebookUnderTest
                                                         ) -> None:
    book = committed_casebook
    logged = book.run("contact", "log", book.victim, "--method", "phone", "--outcome", "spoke")
    assert logged.exit_code == 0, logged.output
    result = book.run("staff", "rename", "Sam Worker", "Sam Marsh")
    assert result.exit_code == 0, result.output
    assert "Sam Worker is now Sam Marsh on the staff list; 1 open case(s) moved" in \
        plain(result.output)
    data = book.data(book.victim)
    assert data["referral"]["worker"] == "Sam Marsh"
    assert data["contacts"][-1]["by"] == "Sam Worker"  # history keeps the name it was made in
    config = yamlio.parse_text((book.root / "rj.yaml").read_text(encoding="utf-8"))
    (member,) = [s for s in config["staff"] if s["name"] == "Sam Marsh"]
    assert member["formerly"] == ["Sam Worker"]
    # the old name, typed by habit, finds the same person; new entries carry the new name
    again = book.run("contact", "log", book.victim, "--method", "phone", "--outcome", "spoke",
                     worker="Sam Worker")
    assert again.exit_code == 0, again.output
    assert book.data(book.victim)["contacts"][-1]["by"] == "Sam Marsh"
    mine = book.run("list", "--json", "--worker", "sam marsh")
    assert [r["id"] for r in json_of(mine) if r["id"].startswith("V-")] == [book.victim]
    assert book.run("check").exit_code == 0


def test_a_retired_worker_does_no_new_work(casebook: CasebookUnderTest) -> None:
    _add_priya(casebook)
    result = casebook.run("staff", "retire", "Sam Worker", "--reassign-to", "Priya",
                          worker="Priya Nair")
    assert result.exit_code == 0, result.output
    out = plain(result.output)
    assert "Sam Worker retired on Thursday 2 April 2026." in out
    assert f"1 open case(s) moved to Priya Nair: {casebook.victim}" in out
    assert casebook.data(casebook.victim)["referral"]["worker"] == "Priya Nair"
    refused = casebook.run("contact", "log", casebook.victim, "--method", "phone",
                           "--outcome", "spoke", worker="Sam Worker")
    assert refused.exit_code == 2
    assert "--worker Sam Worker retired on 2026-04-02" in plain(refused.output)
    allocated = _new_victim(casebook, "--worker", "Sam Worker", worker="Priya Nair")
    assert allocated.exit_code == 2
    # their old work can still be looked at
    assert casebook.run("due", "--worker", "Sam Worker", worker="Priya Nair").exit_code == 0
    listed = casebook.run("staff", "list", worker=None)
    assert "2026-04-02" in plain(listed.output)


def test_retiring_without_reassigning_lists_the_open_cases(casebook: CasebookUnderTest) -> None:
    _add_priya(casebook)
    result = casebook.run("staff", "retire", "Sam Worker", worker="Priya Nair")
    assert result.exit_code == 0, result.output
    assert f"still allocated to Sam Worker: {casebook.victim}" in plain(result.output)
    assert casebook.data(casebook.victim)["referral"]["worker"] == "Sam Worker"


def test_check_warns_of_a_case_allocated_to_nobody_on_the_staff_list(
        casebook: CasebookUnderTest) -> None:
    text = casebook.text(casebook.victim).replace("worker: Sam Worker", "worker: Pryia Nair")
    casebook.write(casebook.victim, text)
    result = casebook.run("check")
    assert f"{casebook.victim}.yaml: allocated to Pryia Nair, who is not on the staff list" \
        in plain(result.output)


def test_a_hand_made_record_of_a_child_victim_with_a_parent_gets_the_parent_letter(
        tmp_path: Path) -> None:
    book = tmp_path / "sample"
    shutil.copytree(SAMPLE, book, ignore=shutil.ignore_patterns(".rj", "output", "letters"))
    path = book / "victims" / "V-0001.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "dob: 1963-09-14", "dob: 2012-09-14\nparent_guardian:\n  name: Pat Marchbank"),
        encoding="utf-8")
    options = {"casebook": book, "today": "2026-06-15", "worker": "Jo Whitlock"}
    for kind in ("initial", "parent-consent"):
        letter = invoke("letter", kind, "V-0001", "--draft", "--format", "txt", **options)
        assert letter.exit_code == 0, letter.output
    texts = [p.read_text(encoding="utf-8") for p in book.rglob("*V-0001*.txt")]
    assert len(texts) == 2
    for text in texts:
        assert "Dear Pat Marchbank" in text and "Dear Helen" not in text


def test_a_contact_written_down_months_late_is_late_for_wokingham_4(tmp_path: Path) -> None:
    # the sample casebook works to the Wokingham profile: record within 2 working days
    book = tmp_path / "sample"
    shutil.copytree(SAMPLE, book, ignore=shutil.ignore_patterns(".rj", "output", "letters"))
    logged = invoke("contact", "log", "V-0001", "--method", "phone", "--outcome", "spoke",
                    "--at", "15/06/2026 09:30", casebook=book, today="2026-06-15",
                    worker="Jo Whitlock", env={"RJ_CLOCK": "2026-12-04T10:00"})
    assert logged.exit_code == 0, logged.output
    explained = plain(invoke("explain", "V-0001", casebook=book, today="2026-12-04",
                             worker=None).output)
    assert "met 4 December 2026: recorded 4 December 2026 (late)" in explained
