"""``rj report``: every figure against a casebook counted by hand.

The casebook is ``tests/fixtures/report-casebook/`` (12 victims, 6 children, read on
Wednesday 15 July 2026). Each record file says in its opening comment which figures
it feeds; each expected number below carries a one-line reason. The sample casebook
is used only for a smoke test that every report renders in every format.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from conftest import invoke, plain
from hypothesis import given, settings
from hypothesis import strategies as st

from rjcli.core.model import child_from_dict, victim_from_dict
from rjcli.core.reports import (
    WITHHELD,
    Casework,
    Redactor,
    half,
    last_complete_half,
    last_complete_quarter,
    parse_half,
    parse_quarter,
    quarter,
)
from rjcli.storage import yamlio

HERE = Path(__file__).resolve().parent
FIXTURE = HERE / "fixtures" / "report-casebook"
SAMPLE = HERE.parent / "sample-casebook"
TODAY = "2026-07-15"
FORMATS = ("table", "md", "csv", "json", "html", "xlsx")
REPORTS = (("quarterly", "--quarter", "2026-Q1"), ("six-monthly", "--half", "2026-H1"),
           ("caseload",))


class Book:
    """A copy of a casebook (runs leave an index and output/ in it) and its reports."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._json: dict[tuple[str, ...], Any] = {}

    def run(self, *args: str, today: str = TODAY, cache: bool = True) -> Any:
        pre = () if cache else ("--no-cache",)
        return invoke(*pre, "report", *args, casebook=self.root, today=today, worker=None)

    def json(self, *args: str, today: str = TODAY, cache: bool = True) -> Any:
        key = (*args, today, str(cache))
        if key not in self._json:
            result = self.run(*args, "--format", "json", today=today, cache=cache)
            assert result.exit_code == 0, result.output
            self._json[key] = json.loads(result.stdout)
        return self._json[key]

    def table(self, report: str, period: tuple[str, ...], section: str, table: str,
              **options: Any) -> dict[str, dict[str, Any]]:
        """{row key: {column key: value}} of one table."""
        data = self.json(report, *period, **options)
        found = next(s for s in data["sections"] if s["key"] == section)
        rows = next(t for t in found["tables"] if t["key"] == table)["rows"]
        return {r["key"]: r["values"] for r in rows}


def copy_of(source: Path, target: Path) -> Path:
    shutil.copytree(source, target, ignore=shutil.ignore_patterns(".rj", "output"))
    return target


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Book:
    return Book(copy_of(FIXTURE, tmp_path_factory.mktemp("reports") / "book"))


Q1 = ("--quarter", "2026-Q1")


def activity(book: Book, table: str) -> dict[str, dict[str, Any]]:
    return book.table("quarterly", Q1, "activity", table)


def column(rows: dict[str, dict[str, Any]], name: str) -> dict[str, Any]:
    return {key: values[name] for key, values in rows.items()}


# --- periods -------------------------------------------------------------------------------


def test_financial_year_quarters_and_halves() -> None:
    assert parse_quarter("2026-Q1") == quarter(2026, 1)
    assert (quarter(2026, 1).start, quarter(2026, 1).end) == (date(2026, 4, 1), date(2026, 6, 30))
    # Q4 of the 2026 financial year is January to March 2027
    assert (quarter(2026, 4).start, quarter(2026, 4).end) == (date(2027, 1, 1), date(2027, 3, 31))
    assert parse_quarter("2026q3") == quarter(2026, 3)
    assert (half(2026, 2).start, half(2026, 2).end) == (date(2026, 10, 1), date(2027, 3, 31))
    assert parse_half("2026-H1") == half(2026, 1)
    assert parse_quarter("2026-Q5") is None and parse_half("2026-Q1") is None
    # the last complete quarter: on the quarter's last day it is not complete yet
    assert last_complete_quarter(date(2026, 7, 1)).label == "2026-Q1"
    assert last_complete_quarter(date(2026, 6, 30)).label == "2025-Q4"
    assert last_complete_quarter(date(2026, 2, 10)).label == "2025-Q3"
    assert last_complete_half(date(2026, 7, 15)).label == "2025-H2"


def test_header_prints_the_exact_dates_and_the_default_is_the_last_complete_quarter(book: Book):
    result = book.run("quarterly")
    assert result.exit_code == 0, result.output
    assert "2026-Q1: 1 April 2026 to 30 June 2026" in plain(result.stdout)
    data = book.json("six-monthly")
    assert data["period"] == {"label": "2025-H2", "start": "2025-10-01", "end": "2026-03-31"}


def test_a_period_not_over_says_so(book: Book) -> None:
    notes = book.json("quarterly", "--quarter", "2026-Q2")["notes"]
    assert notes == ["This period is not over yet: it counts what was recorded up to 15 July 2026."]


def test_a_mistyped_quarter_is_refused_with_an_example(book: Book) -> None:
    result = book.run("quarterly", "--quarter", "2026-05")
    assert result.exit_code == 2
    assert "'2026-05' is not a quarter" in plain(result.output)
    assert "2026-Q1 (April to June 2026)" in plain(result.output)
    result = book.run("quarterly", "--format", "pdf")
    assert result.exit_code == 2 and "table, md, csv, json, html, xlsx" in plain(result.output)


# --- KPI 10 --------------------------------------------------------------------------------


def test_kpi10_counted_by_hand(book: Book) -> None:
    kpi = book.json("quarterly", *Q1)["kpi10"]
    assert kpi == {
        # C-0001 (ended 15 May) and C-0002 (ended 30 June, the last day); C-0005 had no victim
        "children_with_victims": 2,
        # V-0001, V-0002, V-0008 (C-0001) and V-0003, V-0004, V-0007 (C-0002); not V-0005
        # (its other child ends in Q2) nor V-0006 (its child ended 31 March)
        "victims_total": 6,
        # V-0001, V-0003 (withdrew after the order end), V-0007, V-0008; not V-0002
        # (withdrew before it) nor V-0004 (said no)
        "consented_to_contact": 4,
        # V-0001 and V-0003 spoke to us, V-0007's parent was rung (no answer); V-0008 never
        "contacted": 3,
        # none: V-0001's view (2 April) and V-0007's (4 March) were sought after their
        # child's court order began, when it was planned (issue 17: only views sought by
        # the decision count); V-0002's was sought, but V-0002 is not consented
        "view_sought": 0,
        # V-0001's conference, with written consent to take part (YJB §24); V-0003
        # declined, V-0007 accepted only after 30 June
        "engaged_rj": 1,
        # 1 engaged of 4 consented
        "engagement_rate": 25.0,
        # V-0001 and V-0003 (V-0002 asked too, but is not consented)
        "progress_requested": 2,
        # V-0001 was given an update on 20 May; V-0003 never
        "progress_provided": 1,
        # nobody said no; V-0007 and V-0008 were never asked (no request, no answer)
        "progress_declined": 0,
        "progress_not_asked": 2,
        # V-0001 and V-0003
        "support_requested": 2,
        # V-0001 was given information on 3 April; V-0003 never
        "support_provided": 1,
    }


def test_kpi10_victim_of_two_children_counts_once_in_the_later_quarter(book: Book) -> None:
    kpi = book.json("quarterly", "--quarter", "2026-Q2")["kpi10"]
    # V-0005 (C-0001 ended 15 May, C-0003 ended 10 July): counted in Q2, not Q1
    assert kpi["victims_total"] == 1
    # C-0003 ended 10 July (by "today"); C-0006 ends 30 September, after today
    assert kpi["children_with_victims"] == 1
    # V-0005: consented, spoke to us, accepted panel attendance and the panel was held
    assert (kpi["consented_to_contact"], kpi["contacted"], kpi["engaged_rj"]) == (1, 1, 1)
    assert kpi["engagement_rate"] == 100.0


def test_kpi10_an_order_ending_the_day_before_the_quarter_counts_in_the_one_before(book: Book):
    kpi = book.json("quarterly", "--quarter", "2025-Q4")["kpi10"]
    # C-0004 ended 31 March 2026 with one victim, V-0006: consented, spoke, no RJ
    assert (kpi["children_with_victims"], kpi["victims_total"]) == (1, 1)
    assert (kpi["consented_to_contact"], kpi["contacted"], kpi["engaged_rj"]) == (1, 1, 0)
    assert kpi["engagement_rate"] == 0.0


# --- service activity (victims allocated in 2026-Q1: V-0001..V-0005, V-0008..V-0011) ----------


def test_referrals_by_source_and_stage(book: Book) -> None:
    rows = activity(book, "referrals")
    # V-0001 to V-0005
    assert rows["court"] == {"pre-court": 0, "statutory": 5, "not-recorded": 0, "total": 5}
    # V-0009, V-0010
    assert rows["police"] == {"pre-court": 2, "statutory": 0, "not-recorded": 0, "total": 2}
    assert rows["other-yjs"]["statutory"] == 1  # V-0008
    assert rows["case-holder"]["not-recorded"] == 1  # V-0011 has no stage
    assert rows["self"]["total"] == 0 and rows["not-recorded"]["total"] == 0
    # 9 allocated 1 April - 30 June; V-0012 (1 July) and V-0007 (March) are not
    assert rows["total"] == {"pre-court": 2, "statutory": 6, "not-recorded": 1, "total": 9}


def test_first_contact_within_the_timescale(book: Book) -> None:
    rows = column(activity(book, "first-contact"), "victims")
    assert rows == {
        # V-0001 (due 10 April after Easter), V-0009, V-0010, V-0011, and V-0002 and
        # V-0003, who withdrew consent later (judged by the consent of the time)
        "on-time": 6,
        "late": 1,             # V-0005: due 12 May, first call 14 May
        "outstanding": 1,      # V-0008: due 18 May, never contacted
        "total": 8,
        "on-time-rate": 75.0,  # 6 of 8
        "not-applicable": 1,   # V-0004 said no to contact
    }


def test_contacted_and_response_rate_pre_court_and_statutory(book: Book) -> None:
    rows = activity(book, "response")
    # V-0009 spoke; V-0010 had a call and a letter but never answered
    assert rows["pre-court"] == {"contacted": 2, "responded": 1, "rate": 50.0}
    # V-0001, V-0002, V-0003, V-0005 all spoke to us; V-0004 and V-0008 were never contacted
    assert rows["statutory"] == {"contacted": 4, "responded": 4, "rate": 100.0}
    # the above and V-0011 (no stage; spoke on 21 May): 6 of 7
    assert rows["all"] == {"contacted": 7, "responded": 6, "rate": 85.7}


def test_restorative_options_offered_and_taken_up_by_type(book: Book) -> None:
    rows = {k: tuple(v.values()) for k, v in activity(book, "offers").items()}
    # (offered, taken up, declined, not appropriate)
    assert rows["conference"] == (1, 1, 0, 2)          # V-0001; not appropriate for V-0009, V-0011
    assert rows["shuttle-mediation"] == (1, 0, 1, 0)   # V-0003 declined
    assert rows["direct-reparation"] == (1, 0, 1, 0)   # V-0011 declined
    assert rows["panel-attendance"] == (1, 1, 0, 0)    # V-0005
    assert rows["letter-of-explanation"] == (2, 1, 1, 0)  # V-0009 accepted; V-0002 changed her mind
    assert rows["indirect-reparation"] == (0, 0, 0, 1)    # V-0003: judged not appropriate only
    assert rows["panel-statement"] == (0, 0, 0, 0)
    assert rows["impact-statement"] == (1, 1, 0, 0)       # V-0011 completed it
    # Two axes (issue 17; DOMAIN §4). Whom the reparation is for: the victim (conference,
    # letter of explanation, direct reparation: YJB §17, Somerset 11.4) - offered to
    # V-0001, 2, 9, 11; taken up by V-0001, 9; V-0002 and V-0011 declined theirs; V-0011's
    # conference was judged not appropriate - or the community (indirect reparation:
    # V-0003, not appropriate only)
    assert rows["reparation-victim"] == (4, 2, 2, 1)
    assert rows["reparation-community"] == (0, 0, 0, 1)
    # How the parties communicate: face to face (conference, panel attendance: V-0001 and
    # V-0005 took theirs up; V-0009, V-0011 not suitable for a conference), or through
    # the worker (shuttle mediation is indirect: Somerset 11.3, Wait 'til Eight §3.3.4,
    # appendix 7A; letters, statements) - V-0003, 2, 9, 11 offered; V-0009, 11 took one up
    assert rows["communication-direct"] == (2, 2, 0, 2)
    assert rows["communication-mediated"] == (4, 2, 2, 0)
    assert "direct" not in rows and "indirect" not in rows
    # offered: V-0001, 2, 3, 5, 9, 11; took up: V-0001, 5, 9, 11; declined everything
    # they took: V-0002, V-0003; not appropriate with nothing taken up: V-0003
    assert rows["any"] == (6, 4, 2, 1)


def test_not_appropriate_reasons_tallied_without_names(book: Book) -> None:
    rows = activity(book, "not-appropriate")
    # V-0009 "Child denies the offence" and V-0011 "child denies the offence." are one reason
    assert rows["child denies the offence"] == {"victims": 2}
    # V-0003's reason names her: counted, not printed
    assert rows[WITHHELD.casefold()] == {"victims": 1}
    assert rows["total"] == {"victims": 3}
    assert "Priya" not in json.dumps(book.json("quarterly", *Q1))


def test_conferences_panels_and_outcome_agreement_items(book: Book) -> None:
    held = column(activity(book, "delivery"), "number")
    # V-0001's conference on 5 May; V-0005's Referral Order panel on 20 May
    assert held == {"conferences": 1, "panels": 1, "victims": 2}
    items = column(activity(book, "agreement"), "items")
    assert items == {
        "on-time": 1,       # the apology letter: due 20 May, done 18 May
        "late": 1,          # the fence: due 30 May, done 5 June
        "done-undated": 1,  # the bicycle: done, no date recorded
        "failed": 1,        # victim awareness sessions
        "open": 1,          # paying for the damage, due 1 August
        "total": 5,
    }


def test_outcomes_and_days_from_allocation_to_outcome(book: Book) -> None:
    rows = column(activity(book, "outcomes"), "victims")
    assert rows["completed"] == 2   # V-0001; V-0011 (closed, reopened, closed again)
    assert rows["declined"] == 1    # V-0004
    assert rows["withdrew"] == 2    # V-0002, V-0003
    assert rows["no-response"] == 0  # V-0010 was, but was reopened; V-0011's was undone
    assert rows["closed"] == 5
    assert rows["open"] == 4        # V-0005, V-0008, V-0009, V-0010 (reopened)
    # days: V-0004 1, V-0002 19, V-0011 66 (from the last closure), V-0001 86, V-0003 95
    assert rows["median-days"] == 66


def test_satisfaction_and_complaints_of_the_quarters_victims(book: Book) -> None:
    rows = column(activity(book, "satisfaction"), "all")
    assert rows == {
        "very-satisfied": 1,     # V-0001 after the conference
        "satisfied": 2,          # V-0001 after contact, V-0005 after the panel
        "neither": 0,
        "dissatisfied": 1,       # V-0011
        "very-dissatisfied": 0,  # V-0007's form is not in this cohort (allocated in March)
        "not-given": 1,          # V-0009 gave no level
        "total": 5,
        "satisfied-share": 75.0,  # 3 of the 4 that gave a level
    }
    complaints = column(activity(book, "complaints"), "number")
    # V-0003 (29 April) and V-0011 (12 May, manager told); V-0007's was in March
    assert complaints == {"complaints": 2, "manager-told": 1, "victims": 2}


# --- timeliness --------------------------------------------------------------------------------


def test_timeliness_per_rule_worst_first(book: Book) -> None:
    data = book.json("quarterly", *Q1)
    table = next(s for s in data["sections"] if s["key"] == "timeliness")["tables"][0]
    rows = [(r["key"], *r["values"].values()) for r in table["rows"]]
    # (rule, fell due, on time, late, outstanding, share late or outstanding)
    assert rows == [
        # V-0001's conference (5 May) and V-0005's panel (20 May) were planned, then held
        # with no conference risk assessment of anyone: missed, not gone (issue 17)
        ("pre-conference-risk", 2, 0, 0, 2, 100.0),
        # V-0001's items due 20 May (on time), 30 May (late), 15 June (failed, victim told
        # 16 June: late) and 25 May (done, no date: not met); item 4 is due in August
        ("agreement-action", 4, 1, 2, 1, 75.0),
        # V-0001's conference (feedback in 3 days); V-0005's panel 20 May, feedback 29 May
        ("conference-feedback", 2, 1, 1, 0, 50.0),
        # V-0001's 20 May update, given that day; V-0003's 15 June update, never given (her
        # consent was withdrawn on 5 July, after it fell due: it still fell due, issue 17)
        ("progress-update", 2, 1, 0, 1, 50.0),
        # as in the activity section: V-0001, 2, 3, 9, 10, 11 on time, V-0005 late,
        # V-0008 not met (V-0012's falls due in July)
        ("first-contact", 8, 6, 1, 1, 25.0),
        ("agreement-copy", 1, 1, 0, 0, 0.0),    # copies sent 7 May, due 8 May
        # C-0006 due 18 June, met 10 June; C-0005 has no victim, so no such duty (issue 18:
        # it fell due 12 May and was met late before the rule asked for a linked victim)
        ("child-first-contact", 1, 1, 0, 0, 0.0),
        ("home-service-liaison", 0, 0, 0, 0, None),  # no victim lives in another area
        ("risk-approval", 0, 0, 0, 0, None),
        ("risk-approval-child", 0, 0, 0, 0, None),  # no risk found with the child
        ("vcs-notify", 0, 0, 0, 0, None),       # no violent or sexual offence
    ]


# --- six-monthly and caseload ----------------------------------------------------------------


def test_six_monthly_satisfaction_and_feedback_themes(book: Book) -> None:
    h1 = ("--half", "2026-H1")
    summary = column(book.table("six-monthly", h1, "satisfaction", "feedback"), "number")
    assert summary == {
        "contact": 4,       # V-0001 27 June, V-0007, V-0009, V-0011 (V-0006's was 31 March)
        "conference": 2,    # V-0001 8 May, V-0005 29 May
        "total": 6,
        "victims": 5,       # V-0001 gave two
        "with-answers": 5,  # all but V-0009's
        "complaints": 2,    # V-0003 and V-0011 (V-0007's was in March)
    }
    levels = {k: tuple(v.values()) for k, v in
              book.table("six-monthly", h1, "satisfaction", "satisfaction").items()}
    assert levels == {             # (after contact, after a conference, all)
        "very-satisfied": (0, 1, 1),     # V-0001 after the conference
        "satisfied": (1, 1, 2),          # V-0001 after contact; V-0005 after the panel
        "neither": (0, 0, 0),
        "dissatisfied": (1, 0, 1),       # V-0011
        "very-dissatisfied": (1, 0, 1),  # V-0007
        "not-given": (1, 0, 1),          # V-0009
        "total": (4, 2, 6),
        # after contact 1 of 3 with a level; after a conference 2 of 2; overall 3 of 5
        "satisfied-share": (33.3, 100.0, 60.0),
    }
    themes = {k: tuple(v.values()) for k, v in
              book.table("six-monthly", h1, "satisfaction", "answers").items()}
    assert themes == {             # (answered, yes, no), in the questionnaires' order
        "went": (1, 0, 0),         # V-0001 wrote an answer (not printed)
        "pleased": (2, 1, 1),      # V-0001 yes, V-0005 no
        "worries": (1, 0, 1),      # V-0001 no
        "recommend": (1, 1, 0),    # V-0005 yes
        "listened": (3, 1, 2),     # V-0001 yes; V-0007 and V-0011 no
        "better": (1, 0, 0),       # V-0011 wrote an answer
        "comments": (1, 0, 0),     # V-0001 wrote an answer
    }
    assert list(themes) == ["went", "pleased", "worries", "recommend", "listened", "better",
                            "comments"]

@pytest.mark.parametrize("fmt", FORMATS)
def test_a_period_with_nothing_in_it_still_renders(book: Book, fmt: str) -> None:
    # 2024-H1: no feedback, so the themes table has no rows at all
    text = output_text(book, ("six-monthly", "--half", "2024-H1"), fmt)
    assert ("Feedback themes" if fmt != "csv" else ",feedback,total,") in text


def test_six_monthly_never_prints_what_victims_wrote(book: Book) -> None:
    for fmt in ("table", "md", "csv", "json", "html"):
        result = book.run("six-monthly", "--half", "2026-H1", "--format", fmt,
                          "--out", str(book.root / "output" / f"h1.{fmt}"))
        assert result.exit_code == 0, result.output
        text = (book.root / "output" / f"h1.{fmt}").read_text(encoding="utf-8")
        assert "Did you feel listened to" in text  # the question, from the questionnaire
        for written in ("It went well", "Call back sooner", "Thank you for ringing"):
            assert written not in text


def test_caseload_per_worker(book: Book) -> None:
    rows = {k: tuple(v.values()) for k, v in
            book.table("caseload", (), "caseload", "workers").items()}
    # (open victims, open children, overdue, due today, oldest overdue in working days)
    # Robin: V-0005, V-0007, V-0009 open; V-0009's progress update is due today
    assert rows["robin fairweather"] == (3, 0, 0, 1, None)
    # Morgan: V-0008, V-0010, V-0012 open; V-0008's first contact due 18 May (41 working
    # days ago, the 25 May bank holiday skipped) and V-0012's due 8 July
    assert rows["morgan ellis"] == (3, 0, 2, 0, 41)
    assert rows["pat holder"] == (0, 2, 0, 0, None)   # C-0003 and C-0006 open
    assert rows["dana boss"] == (0, 0, 0, 0, None)    # listed though nothing is hers
    assert rows["total"] == (6, 2, 2, 1, 41)
    by_rule = column(book.table("caseload", (), "caseload", "overdue-by-rule"), "overdue")
    assert by_rule == {"first-contact": 2, "total": 2}


def test_caseload_agrees_with_rj_due(book: Book) -> None:
    due = invoke("due", "--all", "--overdue", "--json", casebook=book.root, today=TODAY,
                 worker=None)
    overdue = [i for i in json.loads(due.stdout) if i["status"] == "overdue"]
    total = book.table("caseload", (), "caseload", "workers")["total"]
    assert total["overdue"] == len(overdue)


# --- reading: index or files ----------------------------------------------------------------


@pytest.mark.parametrize("report", REPORTS, ids=lambda r: r[0])
def test_index_and_files_give_identical_reports(book: Book, report: tuple[str, ...]) -> None:
    from_index = book.json(*report, "--explain")
    from_files = book.json(*report, "--explain", cache=False)
    assert (book.root / ".rj" / "index.sqlite").is_file()
    assert from_index == from_files


def test_an_unreadable_record_is_reported_and_not_counted(tmp_path: Path) -> None:
    broken = Book(copy_of(FIXTURE, tmp_path / "book"))
    (broken.root / "victims" / "V-0013.yaml").write_text("id: V-0013\nname: [unclosed\n")
    result = broken.run("quarterly", *Q1, "--format", "json")
    assert result.exit_code == 1
    assert "not read: victims/V-0013.yaml" in plain(result.output)
    data = json.loads(result.stdout)
    assert data["kpi10"]["victims_total"] == 6
    assert "1 record file(s) could not be read and are not counted" in data["notes"][-1]


# --- privacy, suppression, explain ------------------------------------------------------------


def identifiers(root: Path) -> set[str]:
    """Every name, id, date of birth, phone and e-mail of a casebook's victims and children."""
    found: set[str] = set()
    for path in [*(root / "victims").glob("*.yaml"), *(root / "children").glob("*.yaml")]:
        data = yamlio.read_fast(path)
        record = (victim_from_dict if path.parent.name == "victims" else child_from_dict)(data)
        found |= {record.id, *(p for p in [record.name] if p)}
        if record.dob:
            found |= {record.dob.isoformat(), record.dob.strftime("%d/%m/%Y")}
        if path.parent.name == "victims":
            found |= set(record.phones) | {p.replace(" ", "") for p in record.phones}
            parent = record.parent_guardian.name if record.parent_guardian else None
            postcode = record.address.postcode if record.address else None
            found |= {x for x in (record.email, parent, postcode) if x}
    return found


def output_text(book: Book, report: tuple[str, ...], fmt: str, *extra: str,
                today: str = TODAY) -> str:
    target = book.root / "output" / f"{report[0]}-{fmt}-{'-'.join(extra) or 'plain'}.{fmt}"
    result = book.run(*report, "--format", fmt, "--out", str(target), *extra, today=today)
    assert result.exit_code == 0, result.output
    if fmt != "xlsx":
        return target.read_text(encoding="utf-8")
    from openpyxl import load_workbook

    workbook = load_workbook(target)
    return "\n".join(str(cell) for sheet in workbook for row in sheet.iter_rows(values_only=True)
                     for cell in row if cell is not None)


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_names_ids_or_contact_details_in_any_format(book: Book, fmt: str) -> None:
    secrets = identifiers(book.root)
    assert {"Ann Example", "V-0001", "C-0006", "1980-05-06", "07700 900001"} <= secrets
    for report in REPORTS:
        text = output_text(book, report, fmt)
        leaked = sorted(s for s in secrets if s in text)
        assert leaked == [], (report[0], fmt, leaked)
        assert not re.search(r"\b[VC]-[0-9A-Z]{4,8}\b", text), (report[0], fmt)
    # the screen, too
    screen = book.run("quarterly", *Q1).stdout
    assert not [s for s in secrets if s in screen]


def test_suppress_small_hides_counts_of_1_to_4_and_rates_from_them(book: Book) -> None:
    data = book.json("quarterly", *Q1, "--suppress-small")
    kpi = data["kpi10"]
    assert kpi["victims_total"] == 6                 # 5 or more: shown
    assert kpi["consented_to_contact"] == "<5"       # 4
    assert kpi["engaged_rj"] == "<5"                 # 1
    assert kpi["engagement_rate"] == "-"             # 1 of 4: worked out from small counts
    offers = book.table("quarterly", Q1, "activity", "offers", )
    assert offers["any"]["offered"] == 6             # unsuppressed run, for comparison
    rows = {r["key"]: r["values"] for s in data["sections"] for t in s["tables"]
            if t["key"] == "offers" for r in t["rows"]}
    assert rows["any"] == {"offered": 6, "taken-up": "<5", "declined": "<5",
                           "not-appropriate": "<5"}
    assert rows["panel-statement"]["offered"] == 0   # nothing to hide in a zero
    referrals = {r["key"]: r["values"] for s in data["sections"] for t in s["tables"]
                 if t["key"] == "referrals" for r in t["rows"]}
    assert referrals["total"] == {"pre-court": "<5", "statutory": 6, "not-recorded": "<5",
                                  "total": 9}
    outcomes = {r["key"]: r["values"] for s in data["sections"] for t in s["tables"]
                if t["key"] == "outcomes" for r in t["rows"]}
    assert outcomes["median-days"] == {"victims": 66}  # a median of 5 cases is shown
    assert data["suppress_small"] is True


@pytest.mark.parametrize("fmt", ("table", "md", "csv", "html", "xlsx"))
def test_suppress_small_in_every_format(book: Book, fmt: str) -> None:
    text = output_text(book, ("quarterly", *Q1), fmt, "--suppress-small")
    assert "<5" in text or "&lt;5" in text
    assert "25.0%" not in text and "0.25" not in text  # the engagement rate of 1 in 4
    if fmt != "csv":  # CSV is data: one line per figure, no prose
        assert "Small numbers are hidden for publication" in text
    plain_text = output_text(book, ("quarterly", *Q1), fmt)
    assert "<5" not in plain_text and "&lt;5" not in plain_text


def test_explain_lists_the_cases_behind_each_figure_only_when_asked(book: Book) -> None:
    assert "explain" not in book.json("quarterly", *Q1)
    data = book.json("quarterly", *Q1, "--explain")
    behind = {(e["section"], e["table"], e["row"], e["column"]): e["cases"]
              for e in data["explain"]}
    assert behind[("kpi10", "kpi10", "engaged_rj", "number")] == ["V-0001"]
    assert behind[("kpi10", "kpi10", "consented_to_contact", "number")] == \
        ["V-0001", "V-0003", "V-0007", "V-0008"]
    assert behind[("kpi10", "kpi10", "children_with_victims", "number")] == ["C-0001", "C-0002"]
    assert behind[("activity", "first-contact", "late", "victims")] == ["V-0005"]
    assert behind[("timeliness", "timeliness", "child-first-contact", "on-time")] == ["C-0006"]
    screen = plain(book.run("quarterly", *Q1, "--explain").stdout)
    assert "Victims engaged with restorative justice opportunities / All: V-0001" in screen
    assert "INTERNAL" in screen


def test_redactor_withholds_text_naming_anyone() -> None:
    victim = victim_from_dict({"id": "V-0001", "name": "Ann Example", "phones": ["07700 900001"],
                               "email": "ann@example.org", "referral": {}, "status_history": []})
    child = child_from_dict({"id": "C-0001", "name": "Jo Childfixture", "status_history": []})
    redactor = Redactor(Casework({"V-0001": victim}, {"C-0001": child}))
    assert redactor.text("Child denies the offence") == "Child denies the offence"
    assert redactor.text("Victim cannot attend") == "Victim cannot attend"  # "ann" inside a word
    for naming in ("Ann is moving", "jo childfixture refused", "ring 07700900001",
                   "see V-0001", "wrote to ann@example.org"):
        assert redactor.text(naming) == WITHHELD, naming


# --- formats -----------------------------------------------------------------------------------


def test_csv_has_one_line_per_figure(book: Book) -> None:
    text = output_text(book, ("quarterly", *Q1), "csv")
    lines = list(csv.DictReader(io.StringIO(text)))
    assert list(lines[0]) == ["period", "section", "table", "row", "row_label", "column", "value"]
    engaged = next(x for x in lines if x["row"] == "engaged_rj")
    assert (engaged["period"], engaged["section"], engaged["value"]) == ("2026-Q1", "kpi10", "1")


def test_html_is_self_contained_printable_and_explained(book: Book) -> None:
    html = output_text(book, ("quarterly", *Q1), "html")
    assert html.startswith("<!DOCTYPE html>")
    for external in ("<script", "src=", "href=", "@import", "url(", "<link"):
        assert external not in html
    assert "@media print" in html and "@page" in html
    assert html.count("<svg") >= 8  # a bar chart beside most tables
    # plain headings, and a sentence under each table saying what it counts
    assert "<h2>YJB KPI 10: victims</h2>" in html
    assert re.search(r"</table><p class=\"note\">Victims allocated this quarter, by who referred",
                     html)
    assert html.count("<table>") == html.count('<p class="note">')


def test_html_and_xlsx_go_to_output_without_out(book: Book) -> None:
    for fmt in ("html", "xlsx"):
        result = book.run("quarterly", *Q1, "--format", fmt)
        target = book.root / "output" / f"report-2026-Q1.{fmt}"
        assert result.exit_code == 0 and target.is_file()
        assert f"Report written to {target}" in plain(result.stdout)


def test_xlsx_has_one_sheet_per_section(book: Book) -> None:
    from openpyxl import load_workbook

    target = book.root / "output" / "sheets.xlsx"
    assert book.run("quarterly", *Q1, "--format", "xlsx", "--out", str(target)).exit_code == 0
    workbook = load_workbook(target)
    assert workbook.sheetnames == ["YJB KPI 10 victims", "Service activity", "Timeliness",
                                   "Data quality"]
    rows = {r[0]: r[1] for r in workbook["YJB KPI 10 victims"].iter_rows(values_only=True)}
    assert rows["Victims counted this quarter"] == 6
    assert rows["Engagement rate (engaged / consented)"] == 0.25
    assert workbook["YJB KPI 10 victims"]["B15"].number_format == "0.0%"


@pytest.mark.skipif(shutil.which("chromium") is None, reason="headless Chromium is not installed")
def test_html_renders_in_headless_chromium(book: Book, tmp_path: Path) -> None:
    page = book.root / "output" / "screenshot.html"
    assert book.run("quarterly", *Q1, "--format", "html", "--out", str(page)).exit_code == 0
    shot = tmp_path / "report.png"
    subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu",
                    f"--screenshot={shot}", "--window-size=1200,2400", page.as_uri()],
                   check=True, capture_output=True, timeout=60)
    assert shot.is_file()
    png = shot.read_bytes()
    assert png.startswith(b"\x89PNG") and len(png) > 20_000  # a blank page is a few KB


# --- totals, and the sample casebook ---------------------------------------------------------


def test_totals_equal_the_sum_of_their_rows(book: Book) -> None:
    referrals = activity(book, "referrals")
    for key, values in referrals.items():
        assert values["total"] == values["pre-court"] + values["statutory"] + values["not-recorded"]
    for col in ("pre-court", "statutory", "not-recorded", "total"):
        assert referrals["total"][col] == sum(v[col] for k, v in referrals.items() if k != "total")
    items = column(activity(book, "agreement"), "items")
    assert items["total"] == sum(v for k, v in items.items() if k != "total")
    outcomes = column(activity(book, "outcomes"), "victims")
    reasons = [k for k in outcomes if k not in ("closed", "open", "median-days")]
    assert outcomes["closed"] == sum(outcomes[k] for k in reasons)
    assert outcomes["closed"] + outcomes["open"] == referrals["total"]["total"]
    levels = activity(book, "satisfaction")
    assert levels["total"]["all"] == sum(v["all"] for k, v in levels.items()
                                         if k not in ("total", "satisfied-share"))


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Book:
    return Book(copy_of(SAMPLE, tmp_path_factory.mktemp("sample") / "sample"))


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_section_renders_in_every_format_on_the_sample_casebook(sample: Book, fmt: str):
    # 2026-Q1 and 2026-H1 are the periods the sample's story (read on 15 June 2026) is in
    sections = {"quarterly": {"kpi10": "YJB KPI 10", "activity": "Service activity",
                              "timeliness": "Timeliness"},
                "six-monthly": {"satisfaction": "satisfaction and feedback"},
                "caseload": {"caseload": "Caseload"}}
    for report in REPORTS:
        text = output_text(sample, report, fmt, today="2026-06-15")
        for key, title in sections[report[0]].items():
            assert (f",{key}," if fmt == "csv" else title) in text, (report[0], fmt, title)


# --- laws that hold for any casebook ----------------------------------------------------------

DAYS = st.dates(date(2026, 1, 1), date(2026, 9, 30))
ENTRY = st.integers(0, 10**6).map(lambda n: f"01KR{n:022d}")


@st.composite
def casebooks(draw: st.DrawFn) -> Casework:
    children = {f"C-000{n}": child_from_dict({
        "id": f"C-000{n}", "status_history": [],
        "order_end": draw(st.one_of(st.none(), DAYS)),
        "disposal": draw(st.sampled_from([None, "youth-caution", "referral-order",
                                          "no-further-action"])),
        "order_start": draw(st.one_of(st.none(), DAYS)),
        "victims": [{"ref": f"V-000{v}", "label": f"Victim {v}"}
                    for v in draw(st.lists(st.integers(1, 6), max_size=3, unique=True))],
    }) for n in range(1, 4)}
    victims = {}
    for n in range(1, draw(st.integers(0, 6)) + 1):
        vid = f"V-000{n}"
        victims[vid] = victim_from_dict({
            "id": vid,
            "children": [{"child": c} for c in draw(st.lists(st.sampled_from(sorted(children)),
                                                              max_size=2, unique=True))],
            "referral": {"allocated": draw(DAYS),
                         "stage": draw(st.sampled_from(["pre-court", "pre-sentence", None])),
                         "source": draw(st.sampled_from(["police", "court", None]))},
            "consents": [{"id": draw(ENTRY), "date": draw(DAYS),
                          "kind": draw(st.sampled_from(["contact", "contact",
                                                        "progress-updates"])),
                          "answer": draw(st.sampled_from(["yes", "no", "withdrawn"]))}
                         for _ in range(draw(st.integers(0, 2)))],
            "contacts": [{"id": draw(ENTRY), "at": f"{draw(DAYS)} 10:00", "method": "phone",
                          "outcome": draw(st.sampled_from(["spoke", "no-answer", "cancelled"]))}
                         for _ in range(draw(st.integers(0, 2)))],
            "offers": [{"id": draw(ENTRY), "date": draw(DAYS),
                        "option": draw(st.sampled_from(["conference", "letter-of-explanation",
                                                        "impact-statement"])),
                        "status": draw(st.sampled_from(["offered", "accepted", "declined",
                                                        "completed", "not-appropriate"]))}
                       for _ in range(draw(st.integers(0, 3)))],
            "status_history": [{"id": draw(ENTRY), "date": draw(DAYS),
                                "status": draw(st.sampled_from(["open", "closed"])),
                                "reason": "completed"} for _ in range(draw(st.integers(0, 2)))],
            "progress_request": draw(st.one_of(st.none(), st.fixed_dictionaries({"date": DAYS}))),
            "view": draw(st.one_of(st.none(), st.fixed_dictionaries({"sought": DAYS}))),
            "progress_updates": [{"id": draw(ENTRY), "date": draw(DAYS)}
                                 for _ in range(draw(st.integers(0, 1)))],
        })
    return Casework(victims, children)


@settings(max_examples=60, deadline=None)
@given(casebooks())
def test_kpi10_lines_nest_and_totals_add_up_for_any_casebook(work: Casework) -> None:
    from rjcli.core.activity import activity_section
    from rjcli.core.kpi import kpi10_columns, kpi10_counts

    period, today = quarter(2026, 1), date(2026, 8, 15)
    k = {key: fig.value for key, fig in kpi10_counts(work, period, today).items()}
    assert k["consented_to_contact"] <= k["victims_total"]
    for line in ("contacted", "view_sought", "engaged_rj", "progress_requested",
                 "support_requested"):
        assert k[line] <= k["consented_to_contact"], line
    assert k["progress_provided"] <= k["progress_requested"]
    assert k["engagement_rate"] is None or 0 <= k["engagement_rate"] <= 100
    # every victim is asked, said no, or was not asked about progress information
    assert k["progress_requested"] + k["progress_declined"] + k["progress_not_asked"] == \
        k["consented_to_contact"]
    # the pre-court, statutory and not-recorded columns add up to "All" on every count line
    columns = kpi10_columns(work, period, today)
    for key, fig in columns["number"].items():
        if fig.kind == "count":
            assert fig.value == sum(columns[g][key].value for g in
                                    ("pre-court", "statutory", "not-recorded")), key
    section = activity_section(work, period, today, Redactor(work))
    referrals = section.table("referrals")
    for row in referrals.rows:
        assert row.figures[-1].value == sum(f.value for f in row.figures[:-1])
    for n in range(4):
        assert referrals.row("total").figures[n].value == \
            sum(r.figures[n].value for r in referrals.rows if not r.total)
    for row in section.table("offers").rows:
        offered, taken, declined, _ = (f.value for f in row.figures)
        assert taken <= offered and declined <= offered
    outcomes = section.table("outcomes")
    assert outcomes.figure("closed").value + outcomes.figure("open").value == \
        referrals.figure("total", "total").value
