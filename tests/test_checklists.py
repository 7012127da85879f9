"""Checklists: the data files in policy/checklists/ and the logic in rjcli.core.checklist."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator

from rjcli.core.checklist import (
    APPROVE_COMMAND,
    Answer,
    Checklist,
    answer_problems,
    assess,
    checklist_from_dict,
    checklist_problems,
    is_risk,
    next_unanswered,
    suggested_rating,
)

ROOT = Path(__file__).resolve().parent.parent
SCHEMA_PATH = ROOT / "schemas" / "checklist.schema.json"
CHECKLIST_DIR = ROOT / "policy" / "checklists"
CHECKLIST_FILES = sorted(CHECKLIST_DIR.glob("*.yaml"))
EXPECTED = {
    "conference", "suitability", "child-interview", "victim-consultation",
    "participants", "venue", "home-visit",
}


@pytest.fixture(scope="module")
def validator() -> Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def load(name: str) -> Checklist:
    return checklist_from_dict(yaml.safe_load((CHECKLIST_DIR / f"{name}.yaml").read_text()))


def small(text: str) -> Checklist:
    """A checklist written inline in a test."""
    return checklist_from_dict(yaml.safe_load(textwrap.dedent(text)))


TWO_QUESTIONS = """\
    id: mini
    title: Mini
    source: "test"
    purpose: A test.
    applies_to: [victim]
    participants: false
    rating: true
    sections:
      - id: s
        title: Section
        questions:
          - id: targeting
            text: Is there targeting?
            type: yes-no
            risk_if: "yes"
          - id: supported
            text: Will the victim be supported?
            type: yes-no
            risk_if: "no"
          - id: notes
            text: Anything else?
            type: text
          - id: neutral
            text: Did they have a cup of tea?
            type: yes-no
    """


def all_answered(checklist: Checklist, **risky: str) -> dict[str, Answer]:
    """Answer every question safely, then override the given ones (with a note)."""
    answers: dict[str, Answer] = {}
    for q in checklist.questions:
        if q.type == "text":
            word = "none"
        elif q.risk_if == "yes" or q.support_if == "yes":
            word = "no"
        else:
            word = "yes"
        answers[q.id] = Answer(q.id, word, None)
    for qid, word in risky.items():
        answers[qid] = Answer(qid, word, "a plan")
    return answers


# --- the data files ---------------------------------------------------------


def test_every_expected_checklist_is_there() -> None:
    assert EXPECTED <= {p.stem for p in CHECKLIST_FILES}


@pytest.mark.parametrize("path", CHECKLIST_FILES, ids=lambda p: p.stem)
def test_file_validates_and_loads(path: Path, validator: Draft202012Validator) -> None:
    data: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(data)]
    assert errors == []
    checklist = checklist_from_dict(data)
    assert checklist.id == path.stem
    assert checklist_problems(checklist) == []
    ids = [q.id for q in checklist.questions]
    assert len(ids) == len(set(ids))
    assert checklist.source.strip()


def test_schema_catches_typos_and_bare_yes(validator: Draft202012Validator) -> None:
    data = yaml.safe_load(textwrap.dedent(TWO_QUESTIONS))
    assert list(validator.iter_errors(data)) == []
    data["sections"][0]["questions"][0]["risk_if"] = True  # an unquoted yes in YAML 1.1
    assert list(validator.iter_errors(data))
    data = yaml.safe_load(textwrap.dedent(TWO_QUESTIONS))
    data["sections"][0]["questions"][0]["rsik_if"] = "yes"
    assert list(validator.iter_errors(data))
    data = yaml.safe_load(textwrap.dedent(TWO_QUESTIONS))
    data["sections"][0]["questions"][2]["risk_if"] = "yes"  # text questions cannot be risks
    assert list(validator.iter_errors(data))


def test_duplicate_question_ids_are_reported() -> None:
    data = yaml.safe_load(textwrap.dedent(TWO_QUESTIONS))
    data["sections"].append(
        {"id": "t", "title": "T", "questions": [{"id": "notes", "text": "Again?", "type": "text"}]}
    )
    assert checklist_problems(checklist_from_dict(data)) == [
        "question id 'notes' is used more than once"
    ]


def test_conference_has_five_sections_and_every_yes_no_is_a_risk_or_a_support_need() -> None:
    conference = load("conference")
    sections = {q.section_id for q in conference.questions}
    assert sections == {"offence", "child", "victim", "supporters", "venue"}
    assert conference.rating is True
    assert conference.applies_to == ("victim", "child")
    for q in conference.questions:
        if q.type == "yes-no":
            assert q.risk_if in ("yes", "no") or q.support_if == "yes", q.id


def test_conference_polarity() -> None:
    by_id = {q.id: q for q in load("conference").questions}
    responsibility = by_id["child-accepts-responsibility"]
    targeting = by_id["targeting"]
    assert "responsibility" in responsibility.text
    assert is_risk(responsibility, "no") and not is_risk(responsibility, "yes")
    assert is_risk(targeting, "yes") and not is_risk(targeting, "no")
    for qid in (
        "child-supported", "victim-supported", "victim-informed-consent",
        "victim-expectations-reasonable", "venue-visited", "venue-disability-access",
        "venue-facilities", "child-parent-permission",
    ):
        assert by_id[qid].risk_if == "no", qid


def test_interview_and_consultation_questions() -> None:
    interview = load("child-interview")
    assert len(interview.questions) == 10
    assert all(q.type == "text" for q in interview.questions)
    consultation = {q.id: q for q in load("victim-consultation").questions}
    assert consultation["compensation-cannot-be-enforced"].risk_if == "no"
    assert consultation["what-happened"].text == "What happened?"


# --- answers ----------------------------------------------------------------


def test_risk_answer_needs_a_note() -> None:
    checklist = small(TWO_QUESTIONS)
    targeting, supported, _, neutral = checklist.questions
    needs_note = ["say how this risk will be managed"]
    assert answer_problems(checklist, targeting, "yes", None) == needs_note
    assert answer_problems(checklist, targeting, "yes", "   ") == needs_note
    assert answer_problems(checklist, targeting, "yes", "two facilitators present") == []
    assert answer_problems(checklist, supported, "no", None) == needs_note
    assert answer_problems(checklist, targeting, "no", None) == []
    assert answer_problems(checklist, neutral, "yes", None) == []


def test_unknown_on_a_risk_question_needs_a_note() -> None:
    checklist = small(TWO_QUESTIONS)
    targeting, _, _, neutral = checklist.questions
    assert is_risk(targeting, "unknown")
    assert answer_problems(checklist, targeting, "unknown", None) == [
        "say how this risk will be managed"
    ]
    assert answer_problems(checklist, targeting, "unknown", "ask the police") == []
    assert not is_risk(neutral, "unknown")
    assert answer_problems(checklist, neutral, "unknown", None) == []


def test_bad_answer_word_and_empty_text() -> None:
    checklist = small(TWO_QUESTIONS)
    targeting, _, notes, _ = checklist.questions
    bad_word = ["answer must be yes, no or unknown"]
    assert answer_problems(checklist, targeting, "maybe", "x") == bad_word
    assert answer_problems(checklist, targeting, "Y", None) == bad_word
    assert answer_problems(checklist, notes, "  ", None) != []
    assert answer_problems(checklist, notes, "none", None) == []
    assert not is_risk(notes, "yes")


# --- rating and outcome -----------------------------------------------------


def test_suggested_rating_counts_risk_answers() -> None:
    conference = load("conference")
    assert suggested_rating(conference, all_answered(conference)) == "LOW"
    one = all_answered(conference, targeting="yes")
    assert suggested_rating(conference, one) == "MEDIUM"
    two = all_answered(conference, targeting="yes", **{"child-supported": "no"})
    assert suggested_rating(conference, two) == "MEDIUM"
    three = all_answered(
        conference, targeting="yes", **{"child-supported": "no", "venue-visited": "unknown"}
    )
    assert suggested_rating(conference, three) == "HIGH"


def test_no_risks_and_low_is_not_blocked() -> None:
    conference = load("conference")
    outcome = assess(conference, all_answered(conference), "LOW")
    assert outcome.blocked is False
    assert outcome.risks == ()
    assert outcome.reasons == ()
    assert outcome.next_steps == ("No risks found: preparation can continue.",)


def test_one_risk_blocks_with_the_question_in_reasons() -> None:
    conference = load("conference")
    answers = all_answered(conference, **{"child-accepts-responsibility": "no"})
    outcome = assess(conference, answers, "LOW")
    assert outcome.blocked is True
    [(question, answer)] = outcome.risks
    assert question.id == "child-accepts-responsibility"
    assert answer.note == "a plan"
    assert any(question.text in reason and "a plan" in reason for reason in outcome.reasons)
    assert any(APPROVE_COMMAND in step and "<ID>" in step for step in outcome.next_steps)
    assert not any("can continue" in step for step in outcome.next_steps)


def test_medium_rating_blocks_without_risk_answers() -> None:
    conference = load("conference")
    outcome = assess(conference, all_answered(conference), "MEDIUM")
    assert outcome.blocked is True
    assert outcome.risks == ()
    assert any("MEDIUM" in reason for reason in outcome.reasons)
    assert any(APPROVE_COMMAND in step for step in outcome.next_steps)
    assert assess(conference, all_answered(conference), "HIGH").blocked is True


def test_unfinished_checklist_is_not_cleared() -> None:
    conference = load("conference")
    answers = all_answered(conference)
    del answers["venue-visited"]
    outcome = assess(conference, answers, "LOW")
    assert outcome.blocked is True
    assert not any("can continue" in step for step in outcome.next_steps)
    assert assess(conference, all_answered(conference), None).blocked is True
    with pytest.raises(ValueError):
        assess(conference, all_answered(conference), "low")


def test_rating_lower_than_suggestion_asks_for_reasons() -> None:
    conference = load("conference")
    answers = all_answered(
        conference, targeting="yes", **{"child-supported": "no", "venue-visited": "no"}
    )
    steps = assess(conference, answers, "LOW").next_steps
    assert any("suggests HIGH" in step for step in steps)


def test_next_unanswered_resumes_at_first_gap() -> None:
    checklist = small(TWO_QUESTIONS)
    assert next_unanswered(checklist, {}) == 0
    answers = {"targeting": Answer("targeting", "no", None)}
    assert next_unanswered(checklist, answers) == 1
    answers["notes"] = Answer("notes", "none", None)  # answered out of order
    assert next_unanswered(checklist, answers) == 1
    answers["supported"] = Answer("supported", "yes", None)
    assert next_unanswered(checklist, answers) == 3
    answers["neutral"] = Answer("neutral", "no", None)
    assert next_unanswered(checklist, answers) is None
