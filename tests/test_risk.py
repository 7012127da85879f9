"""rj risk: checklists run from answers files, approval, the report, and the pure rules
in rjcli.core.risk (the terminal run is in test_risk_pty.py)."""

from __future__ import annotations

import shutil
import textwrap
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import TODAY, CasebookUnderTest, json_of, make_casebook, plain

from rjcli.core.checklist import checklist_from_dict
from rjcli.core.risk import conference_blocked, read_answers

ROOT = Path(__file__).resolve().parent.parent
CONFERENCE = checklist_from_dict(
    yaml.safe_load((ROOT / "policy" / "checklists" / "conference.yaml").read_text()))


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> CasebookUnderTest:
    """The shared test casebook (a child, a victim of the child) with a manager, made once."""
    casebook = make_casebook(tmp_path_factory.mktemp("risk") / "casebook")
    assert casebook.run("staff", "add", "Mo Manager", "--role", "manager").exit_code == 0
    return casebook


@pytest.fixture()
def cb(made: CasebookUnderTest, tmp_path: Path) -> CasebookUnderTest:
    """A fresh copy of that casebook for one test."""
    root = tmp_path / "casebook"
    shutil.copytree(made.root, root)
    return replace(made, root=root)


def safe_answers(**overrides: Any) -> dict[str, Any]:
    """Every conference question answered with no risk, then the overrides."""
    answers: dict[str, Any] = {}
    for q in CONFERENCE.questions:
        if q.type == "text":
            answers[q.id] = "None found"
        else:
            answers[q.id] = "no" if q.risk_if == "yes" else "yes"
    return answers | overrides


def answers_yaml(answers: dict[str, Any], **top: Any) -> str:
    return yaml.safe_dump({"answers": answers, **top}, sort_keys=False)


RISKY = answers_yaml(
    safe_answers(targeting={"answer": "yes", "note": "Separate arrival times"}),
    rating="MEDIUM", rating_reasons="One risk, managed")


# --- running from a file ----------------------------------------------------------------


def test_answers_file_saves_the_whole_assessment(cb: CasebookUnderTest, tmp_path: Path) -> None:
    answers = tmp_path / "answers.yaml"
    answers.write_text(RISKY)
    result = cb.run("risk", "run", cb.victim, "--checklist", "conference",
                    "--answers", str(answers))
    assert result.exit_code == 0, result.output
    out = plain(result.output)
    assert "Risks found (1)" in out
    assert f"rj risk approve {cb.victim} --manager NAME" in out
    [entry] = cb.data(cb.victim)["assessments"]
    assert entry["checklist"] == "conference"
    assert entry["title"] == "Conference risk assessment"
    assert entry["participant"] == "victim"
    assert entry["assessor"] == "Sam Worker"
    assert str(entry["started"]) == str(entry["completed"]) == TODAY
    assert len(entry["answers"]) == 31  # self-harm of the child and the victim (issue 18)
    first = entry["answers"][0]
    assert first == {
        "question": "targeting", "section": "The offence",
        "text": "Is there evidence of targeting, harassment or ongoing tension between the "
                "child and the victim?",
        "answer": "yes", "risk": True, "note": "Separate arrival times"}
    assert [a["question"] for a in entry["answers"] if a["risk"]] == ["targeting"]
    assert entry["rating"] == "MEDIUM" and entry["rating_reasons"] == "One risk, managed"
    assert entry["blocked"] is True


def test_answers_on_stdin_and_a_named_participant(cb: CasebookUnderTest) -> None:
    text = answers_yaml(safe_answers(**{"victim-informed-consent": "not known",
                                        "victim-risk-to-child": {"answer": "unknown",
                                                                "note": "Ask her GP"}}),
                        rating="low", rating_reasons="Nothing of concern")
    problem = cb.run("risk", "run", cb.victim, "--checklist", "conference",
                     "--participant", "victim's supporter: sister", input=text)
    assert problem.exit_code == 2
    assert ("answers.victim-informed-consent: say how this risk will be managed"
            in plain(problem.output))
    assert "assessments" not in cb.data(cb.victim)

    text = text.replace("victim-informed-consent: not known", "victim-informed-consent: 'yes'")
    result = cb.run("risk", "run", cb.victim, "--checklist", "conference",
                    "--participant", "victim's supporter: sister", input=text)
    assert result.exit_code == 0, result.output
    [entry] = cb.data(cb.victim)["assessments"]
    assert entry["participant"] == "victim's supporter: sister"
    barriers = next(a for a in entry["answers"] if a["question"] == "victim-risk-to-child")
    assert (barriers["answer"], barriers["risk"], barriers["note"]) == ("unknown", True,
                                                                        "Ask her GP")
    assert entry["rating"] == "LOW"


def test_every_problem_in_an_answers_file_is_listed_and_nothing_saved(
        cb: CasebookUnderTest) -> None:
    before = cb.path(cb.victim).read_bytes()
    text = textwrap.dedent("""\
        answers:
          targeting: {answer: maybe}
          accounts-differ: yes
          incident-risks: true
          made-up: no
        rating: extreme
        colour: blue
        """)
    result = cb.run("risk", "run", cb.victim, "--checklist", "conference",
                    input=text)
    assert result.exit_code == 2
    out = plain(result.output)
    for expected in (
        "8 problems; nothing was saved",
        "unknown field 'colour'",
        "answers.made-up: no such question in checklist conference",
        "answers.targeting: 'maybe' is not an answer: write yes, no or unknown",
        "answers.accounts-differ: say how this risk will be managed",
        "answers.incident-risks: write the answer as text",
        "not answered: ongoing-contact, co-defendants-absent,",
        "rating: 'extreme' is not one of LOW, MEDIUM, HIGH",
        "rating_reasons: give the reasons for the overall rating",
    ):
        assert expected in out
    assert cb.path(cb.victim).read_bytes() == before


def test_a_file_completes_an_unfinished_assessment(cb: CasebookUnderTest) -> None:
    cb.write(cb.victim, cb.text(cb.victim) + textwrap.dedent("""\
        assessments:
          - id: 01JQZ5Y7N0000000000000000A
            checklist: conference
            title: Conference risk assessment
            participant: victim
            started: 2026-03-30
            answers:
              - question: targeting
                text: Is there targeting?
                answer: unknown
                risk: true
                note: Ask the police
        """))
    result = cb.run("risk", "run", cb.victim, input=RISKY)
    assert result.exit_code == 0, result.output
    assert "Completed the unfinished Conference risk assessment (victim)" in plain(result.output)
    [entry] = cb.data(cb.victim)["assessments"]
    assert entry["id"] == "01JQZ5Y7N0000000000000000A"
    assert str(entry["started"]) == "2026-03-30" and str(entry["completed"]) == TODAY
    assert entry["answers"][0]["answer"] == "yes"
    assert len(entry["answers"]) == 31  # self-harm of the child and the victim (issue 18)


def test_choosing_a_checklist(cb: CasebookUnderTest) -> None:
    result = cb.run("risk", "run", cb.victim, input=RISKY)
    assert result.exit_code == 2 and "--checklist NAME" in plain(result.output)
    result = cb.run("risk", "run", cb.child, "--checklist",
                    "victim-consultation", input="answers: {}")
    assert result.exit_code == 2
    assert "is for victim records, not a child's" in plain(result.output)
    result = cb.run("risk", "run", cb.victim, "--checklist", "venue",
                    "--participant", "sister", input="answers: {}")
    assert result.exit_code == 2 and "leave out --participant" in plain(result.output)
    result = cb.run("risk", "run", cb.victim, "--checklist", "nope")
    assert result.exit_code == 2 and "there is no checklist 'nope'" in plain(result.output)


def test_checklist_without_rating_refuses_one(cb: CasebookUnderTest) -> None:
    answers = {"views-may-reach-court": "yes",  # issue 18: asked first
               "what-happened": "A window was broken", "thinking": "Shock",
               "feeling": "Scared", "feeling-now": "Calmer", "needs-now": "An apology",
               "impact": "Slept badly", "others-affected": "none",
               "financial-loss-initial": "Window, 200 pounds",
               "financial-loss-ongoing": "none", "compensation-cannot-be-enforced": "yes"}
    text = answers_yaml(answers, rating="LOW")
    result = cb.run("risk", "run", cb.victim, "--checklist",
                    "victim-consultation", input=text)
    assert result.exit_code == 2 and "asks no overall rating" in plain(result.output)
    result = cb.run("risk", "run", cb.victim, "--checklist",
                    "victim-consultation", input=answers_yaml(answers))
    assert result.exit_code == 0, result.output
    [entry] = cb.data(cb.victim)["assessments"]
    assert "participant" not in entry and "rating" not in entry
    assert entry["blocked"] is False and entry["reasons"] == []
    assert "No risks found" in plain(result.output)


# --- approval and the hold on conference preparation ------------------------------------


def test_a_risk_holds_preparation_until_a_manager_approves(cb: CasebookUnderTest) -> None:
    assert cb.run("risk", "run", cb.victim, "--checklist", "conference",
                  input=RISKY).exit_code == 0
    shown = cb.run("risk", "show", cb.victim, "--json")
    held = json_of(shown)["conference_blocked"]
    assert held == ["Conference risk assessment (victim) of 2 April 2026: 1 risk answer and "
                    "an overall rating of MEDIUM need a manager's approval."]

    refused = cb.run("risk", "approve", cb.victim, "--manager", "Sam Worker",
                     "--note", "fine")
    assert refused.exit_code == 2
    assert "not on the staff list as a manager" in plain(refused.output)
    assert "Mo Manager" in plain(refused.output)

    approved = cb.run("risk", "approve", cb.victim, "--manager", "mo manager",
                      "--note", "Separate arrival times agreed", today="2026-04-03")
    assert approved.exit_code == 0, approved.output
    assert "No assessment holds conference preparation now." in plain(approved.output)
    [entry] = cb.data(cb.victim)["assessments"]
    assert entry["approval"] == {"manager": "Mo Manager", "note": "Separate arrival times agreed",
                                 "date": date(2026, 4, 3)}
    assert entry["blocked"] is False
    assert json_of(cb.run("risk", "show", cb.victim, "--json"))[
        "conference_blocked"] == []

    again = cb.run("risk", "approve", cb.victim, "--manager", "Mo Manager",
                   "--note", "again")
    assert again.exit_code == 2 and "needs a manager's approval" in plain(again.output)


def test_show_prints_questions_as_asked(cb: CasebookUnderTest) -> None:
    empty = cb.run("risk", "show", cb.victim)
    assert "No risk or suitability assessments" in plain(empty.output)
    cb.run("risk", "run", cb.victim, "--checklist", "conference", input=RISKY)
    result = cb.run("risk", "show", cb.victim)
    assert result.exit_code == 0
    out = plain(result.output)
    assert "Conference risk assessment (victim)" in out
    assert "The offence" in out and "Supporters" in out
    assert "yes RISK" in out
    assert "To be managed: Separate arrival times" in out
    assert "Overall rating: MEDIUM: One risk, managed" in out
    assert f"rj risk approve {cb.victim} --manager NAME --note TEXT" in out
    assert "Conference preparation is on hold" in out


# --- checklists as data ---------------------------------------------------------------


def test_checklists_listing_and_overrides(cb: CasebookUnderTest) -> None:
    result = cb.run("risk", "checklists")
    assert result.exit_code == 0
    out = plain(result.output)
    assert "Conference risk assessment: 31 questions, for victim and child records" in out
    assert "Wait 'til Eight appendix 5B; file: shipped" in out
    own = cb.root / "policy" / "checklists"
    own.mkdir(parents=True)
    (own / "conference.yaml").write_text(textwrap.dedent("""\
        id: conference
        title: Our conference check
        source: "Local policy"
        purpose: A shorter check.
        applies_to: [victim]
        participants: true
        rating: false
        sections:
          - id: only
            title: Only
            questions:
              - id: targeting
                text: Is there targeting?
                type: yes-no
                risk_if: "yes"
        """))
    listed = json_of(cb.run("risk", "list-checklists", "--json"))
    conference = next(c for c in listed if c["name"] == "conference")
    assert conference == {"name": "conference", "file": "policy/checklists/conference.yaml",
                          "overridden": True, "title": "Our conference check",
                          "source": "Local policy", "questions": 1, "applies_to": ["victim"],
                          "problems": []}
    result = cb.run("risk", "run", cb.victim, "--checklist", "conference",
                    input="answers: {targeting: 'no'}")
    assert result.exit_code == 0, result.output
    assert cb.data(cb.victim)["assessments"][0]["title"] == "Our conference check"

    (own / "conference.yaml").write_text("id: conference\ntitle: Broken\nrating: maybe\n")
    result = cb.run("risk", "run", cb.victim, "--checklist", "conference",
                    input="answers: {targeting: 'no'}")
    assert result.exit_code == 5
    out = plain(result.output)
    assert "checklist conference cannot be used: policy/checklists/conference.yaml: " \
           "'source' is a required property" in out
    assert "policy/checklists/conference.yaml:3: rating: 'maybe' is not of type 'boolean'" in out
    assert "remove it to use the shipped checklist conference" in out
    assert cb.run("risk", "checklists").exit_code == 1


# --- the pure rules -----------------------------------------------------------------------


def entry(**fields: Any) -> dict[str, Any]:
    base = {"id": "A", "checklist": "conference", "title": "Conference risk assessment",
            "participant": "victim", "started": "2026-04-01", "completed": "2026-04-01",
            "answers": [{"question": "q", "text": "Q?", "answer": "no", "risk": False}]}
    return base | fields


def test_conference_blocked_rules() -> None:
    risky = [{"question": "q", "text": "Q?", "answer": "yes", "risk": True, "note": "n"}]
    assert conference_blocked([]) == []
    assert conference_blocked([entry(rating="LOW")]) == []
    assert conference_blocked([entry(completed=None)]) == [
        "Conference risk assessment (victim), started 1 April 2026, is not finished "
        "(1 answered)."]
    assert conference_blocked([entry(answers=risky)]) == [
        "Conference risk assessment (victim) of 1 April 2026: 1 risk answer need a "
        "manager's approval."]
    assert conference_blocked([entry(rating="HIGH")])[0].endswith(
        "an overall rating of HIGH need a manager's approval.")
    approved = entry(answers=risky, approval={"manager": "M", "date": "2026-04-02"})
    assert conference_blocked([approved]) == []
    # a later run with the same participant replaces the earlier one; others still count
    assert conference_blocked([entry(answers=risky), entry(id="B", participant="Victim")]) == []
    supporter = entry(id="C", participant="supporter: sister", answers=risky)
    assert len(conference_blocked([approved, supporter])) == 1


def test_read_answers_accepts_plain_words_and_refuses_non_text() -> None:
    given, problems = read_answers(CONFERENCE, {
        "answers": safe_answers(**{"accounts-differ": "Not Known",
                                   "ongoing-contact": {"answer": "N"}}) | {
            "accounts-differ": {"answer": "not known", "note": " Ask them both "}},
        "rating": "medium", "rating_reasons": "Unclear accounts"})
    assert problems == []
    assert given is not None
    assert given.answers["accounts-differ"].answer == "unknown"
    assert given.answers["accounts-differ"].note == "Ask them both"
    assert given.answers["ongoing-contact"].answer == "no"
    assert given.rating == "MEDIUM"
    _, problems = read_answers(CONFERENCE, {"answers": safe_answers(targeting=True)})
    assert "answers.targeting: write the answer as yes, no or unknown" in problems
    assert read_answers(CONFERENCE, ["targeting"])[1] == [
        "the answers must be a mapping with 'answers:' (see rj risk run --help)"]
