"""Deadlines true to what happened (issue 17): a rule instance, once started, keeps its
start and deadline and ends met, late, missed or cancelled with a reason, whatever the
record says later.

The walkthrough: a Wokingham case allocated on Thursday 2 April 2026 (Easter is 3-6
April). The phone is not answered on 7 April, so the initial letter falls due on 13 April
and goes on 9 April; the victim phones back on 14 April. A conference risk assessment
finds risk on 14 April and the manager approves it on 15 April (the day it falls due);
the conference is planned for Tuesday 28 April, the child is assessed on 22 April (the
pre-conference assessment falls due on 27 April) and the conference is held. Read on
1 July, every one of those duties was met on time.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from conftest import invoke, json_of, plain
from rjcli.shipped import shipped_dir
from rjcli.storage.yamlio import parse_text

WORKER = "Sam Worker"
MANAGER = "Mo Manager"


class Case:
    """A Wokingham casebook with one child and one victim, driven through the CLI."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.child = ""
        self.victim = ""

    def rj(self, today: str, *args: str, ok: bool = True, cache: bool = True) -> Any:
        flags = () if cache else ("--no-cache",)
        result = invoke(*flags, *args, casebook=self.root, today=today, worker=WORKER)
        if ok:
            assert result.exit_code == 0, result.output
        return result

    def explain(self, today: str, cache: bool = True) -> dict[str, dict[str, Any]]:
        """The victim's rule instances by rule id (one instance each in these stories)."""
        data = json_of(self.rj(today, "explain", self.victim, "--json", cache=cache))
        return {r["rule"]: r for r in data["rules"]}

    def due(self, today: str) -> set[tuple[str, str]]:
        result = self.rj(today, "due", "--all", "--json", "--within", "30")
        return {(i["rule"], i["due"]) for i in json_of(result) if i["case"] == self.victim}

    def timeliness(self, cache: bool = True) -> dict[str, tuple[Any, ...]]:
        """Q1 2026-27 (April to June) timeliness rows: rule -> (fell due, on time, late,
        outstanding)."""
        flags = () if cache else ("--no-cache",)
        result = invoke(*flags, "report", "quarterly", "--quarter", "2026-Q1", "--format", "json",
                        casebook=self.root, today="2026-07-01", worker=WORKER)
        assert result.exit_code == 0, result.output
        data = json.loads(result.stdout)
        table = next(s for s in data["sections"] if s["key"] == "timeliness")["tables"][0]
        return {r["key"]: tuple(r["values"].values())[:4] for r in table["rows"]}


def risk_answers(path: Path, risk: str | None = None, rating: str = "LOW") -> Path:
    """An answers file for the conference checklist: no risk, except ``risk``."""
    checklist = parse_text((shipped_dir("policy") / "checklists" / "conference.yaml")
                           .read_text(encoding="utf-8"))
    answers: dict[str, Any] = {}
    for section in checklist["sections"]:
        for q in section["questions"]:
            if q["type"] == "text":
                answers[q["id"]] = "none found"
            else:
                answers[q["id"]] = "no" if q.get("risk_if") == "yes" else "yes"
    if risk:
        answers[risk] = {"answer": "yes", "note": "Separate arrival and waiting rooms"}
    path.write_text(json.dumps({"answers": answers, "rating": rating,
                                "rating_reasons": "As the answers show"}), encoding="utf-8")
    return path


@pytest.fixture
def case(tmp_path: Path) -> Case:
    root = tmp_path / "casebook"
    assert invoke("init", str(root), "--service", "Exampletown YJS", "--profile", "wokingham",
                  "--no-autocommit", casebook=None, today="2026-04-02").exit_code == 0
    c = Case(root)
    c.rj("2026-04-02", "staff", "add", WORKER, "--role", "rj-worker", "--phone", "01632 960101")
    c.rj("2026-04-02", "staff", "add", MANAGER, "--role", "manager", "--phone", "01632 960102")
    result = c.rj("2026-04-02", "child", "new", "--name", "Jo Child", "--disposal",
                  "referral-order", "--sentenced", "2026-03-20", "--order-end", "2026-12-18",
                  "--case-holder", "Pat Holder", "--json")
    c.child = json_of(result)["id"]
    result = c.rj("2026-04-02", "victim", "new", "--name", "Ann Example", "--child", c.child,
                  "--allocated", "2026-04-02", "--consent-contact", "yes", "--stage",
                  "post-sentence", "--disposal", "referral-order", "--phone", "07700 900001",
                  "--json")
    c.victim = json_of(result)["id"]
    return c


def phone_fails_then_letter_then_phone_back(case: Case) -> None:
    v = case.victim
    case.rj("2026-04-07", "contact", "log", v, "--method", "phone", "--outcome", "no-answer",
            "--at", "2026-04-07 10:00")
    assert ("initial-letter", "2026-04-13") in case.due("2026-04-07")
    case.rj("2026-04-09", "contact", "log", v, "--method", "letter", "--letter", "initial",
            "--outcome", "sent", "--at", "2026-04-09 09:00")
    case.rj("2026-04-14", "contact", "log", v, "--method", "phone", "--outcome", "spoke",
            "--at", "2026-04-14 11:00", "--note", "Phoned back after the letter")


def risk_found_and_approved_then_conference_planned(case: Case, tmp_path: Path) -> None:
    v = case.victim
    case.rj("2026-04-14", "risk", "run", v, "--checklist", "conference", "--answers",
            str(risk_answers(tmp_path / "victim.yaml", risk="targeting", rating="MEDIUM")))
    assert ("risk-approval", "2026-04-15") in case.due("2026-04-14")
    case.rj("2026-04-15", "risk", "approve", v, "--manager", MANAGER, "--note",
            "Separate arrival times agreed")
    case.rj("2026-04-15", "conference", "plan", v, "--date", "2026-04-28", "--venue",
            "Town Hall, room 2", "--child", case.child, "--facilitator", WORKER)
    assert ("pre-conference-risk", "2026-04-27") in case.due("2026-04-15")


def test_walkthrough_every_rule_met_on_time_in_explain_and_the_quarterly_report(
        case: Case, tmp_path: Path) -> None:
    phone_fails_then_letter_then_phone_back(case)
    risk_found_and_approved_then_conference_planned(case, tmp_path)
    case.rj("2026-04-22", "risk", "run", case.child, "--checklist", "conference", "--answers",
            str(risk_answers(tmp_path / "child.yaml")))
    case.rj("2026-04-28", "conference", "record", case.victim, "--attended", "victim",
            "--attended", "child", "--dynamics", "The child apologised")

    expected = {"initial-letter": ("2026-04-13", "2026-04-09"),
                "risk-approval": ("2026-04-15", "2026-04-15"),
                "pre-conference-risk": ("2026-04-27", "2026-04-22")}
    for cache in (True, False):
        rules = case.explain("2026-07-01", cache=cache)
        for rule, (due, met) in expected.items():
            e = rules[rule]
            assert (e["applies"], e["due"], e["met"], e["late"], e.get("state")) == \
                (True, due, met, False, "met"), (rule, e)
        rows = case.timeliness(cache=cache)
        for rule in expected:
            assert rows[rule] == (1, 1, 0, 0), (rule, rows[rule])

    text = plain(case.rj("2026-07-01", "explain", case.victim).output)
    assert "initial-letter: Send the initial letter" in text
    assert "due 13 April 2026 met 9 April 2026" in text
    assert "due 15 April 2026 met 15 April 2026: approved by Mo Manager" in text
    assert "due 27 April 2026 met 22 April 2026: every participant assessed" in text
    assert "needs phone-failed" not in text
    assert "nothing to count from yet (risk found)" not in text
    assert "nothing to count from yet (conference planned)" not in text


def test_a_conference_held_without_the_assessment_is_missed_not_gone(
        case: Case, tmp_path: Path) -> None:
    """The child was never re-assessed: recording the conference as held ends the
    pre-conference duty as missed (it can no longer be met), still counted as not met."""
    phone_fails_then_letter_then_phone_back(case)
    risk_found_and_approved_then_conference_planned(case, tmp_path)
    case.rj("2026-04-28", "conference", "record", case.victim, "--attended", "victim",
            "--attended", "child", "--dynamics", "The child apologised")
    e = case.explain("2026-07-01")["pre-conference-risk"]
    assert (e["applies"], e["due"], e["met"], e.get("state")) == (True, "2026-04-27", None, "missed")
    assert e["ended"] == "2026-04-28"
    text = plain(case.rj("2026-07-01", "explain", case.victim).output)
    assert "missed 28 April 2026: conference held 28 April 2026 before every participant" in text
    assert ("pre-conference-risk", "2026-04-27") not in case.due("2026-04-29")
    assert case.timeliness()["pre-conference-risk"] == (1, 0, 0, 1)


def test_consent_withdrawn_cancels_with_its_reason_and_date(case: Case) -> None:
    """Consent to contact withdrawn before the letter went: the letter is cancelled, shown
    with the reason, and never fell due; first contact, met before, stays met."""
    v = case.victim
    case.rj("2026-04-07", "contact", "log", v, "--method", "phone", "--outcome", "no-answer",
            "--at", "2026-04-07 10:00")
    case.rj("2026-04-08", "consent", v, "contact", "no", "--source", "phone call from victim")
    rules = case.explain("2026-07-01")
    e = rules["initial-letter"]
    assert (e["applies"], e["due"], e.get("state"), e.get("ended")) == \
        (True, "2026-04-13", "cancelled", "2026-04-08")
    assert e["ended_why"] == "consent to contact is no (recorded 8 April 2026)"
    assert rules["first-contact"]["state"] == "met"
    text = plain(case.rj("2026-07-01", "explain", v).output)
    assert "cancelled 8 April 2026: consent to contact is no (recorded 8 April 2026)" in text
    assert case.timeliness()["initial-letter"] == (0, 0, 0, 0)
