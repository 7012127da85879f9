"""Checklists: risk, suitability and interview sheets, and what their answers mean.

The questions live in data (``policy/checklists/*.yaml``, shape in
``schemas/checklist.schema.json``); this module only interprets them (shared/DOMAIN.md §5).

Rules applied here, with their sources:

- Each yes-no question may name the answer that means risk (``risk_if``). The polarity
  differs: "targeting?" is a risk on yes, "accepts responsibility?" on no (Wait 'til Eight
  appendix 5B).
- Every risk answer needs a note saying how it will be managed: 5B has a "How to be
  managed" column beside each Y/N. An ``unknown`` on a question that can be a risk is an
  unassessed risk and counts as one.
- Any risk stops conference preparation until a manager has discussed it (Wokingham 20.1);
  an overall rating of MEDIUM or HIGH must be discussed with the manager (Wait 'til Eight
  appendix 5B).
- The risk assessment is completed before preparation starts (Wokingham 20.1), so an
  unfinished checklist also holds preparation.
- A yes-no question may instead name the answer that means a support need
  (``support_if``): speech, language and communication needs call for additional support
  (YJB §16), not a manager's decision. It never holds the work; it adds a next step.

Pure code: no file IO, no printing, no clock.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

ANSWERS = ("yes", "no", "unknown")
"""The answers a yes-no question accepts."""
RATINGS = ("LOW", "MEDIUM", "HIGH")
"""Overall risk of violence at the conference (Wait 'til Eight appendix 5B), lowest first."""
QUESTION_TYPES = ("yes-no", "text")
"""yes-no: answered from ANSWERS; text: answered in the worker's own words."""

APPROVE_COMMAND = "rj risk approve <ID> --manager NAME --note TEXT"
"""How a manager lifts the hold; ``<ID>`` is a literal placeholder for the CLI to fill."""
RESUME_COMMAND = "rj risk run <ID>"
"""How a worker resumes an unfinished checklist; ``<ID>`` as above."""

MSG_BAD_ANSWER = "answer must be yes, no or unknown"
MSG_NEEDS_NOTE = "say how this risk will be managed"
MSG_NEEDS_TEXT = "write an answer: this question needs text"
MIN_NOTE_WORDS = 3
"""Words a "how it will be managed" note needs at least. rj's own choice, not a source's:
three words can say who does what ("Separate arrival times", "Ask the police"); one
letter cannot (issue 16)."""


def note_problem(note: str | None) -> str | None:
    """What is wrong with a risk answer's note, if anything (empty, or too short)."""
    text = (note or "").strip()
    if not text:
        return MSG_NEEDS_NOTE
    if len(re.findall(r"[^\W_]+", text)) < MIN_NOTE_WORDS:
        return (f"say in at least {MIN_NOTE_WORDS} words how this risk will be managed "
                f"('{text}' is too short to act on)")
    return None


@dataclass(frozen=True)
class Question:
    """One question, flattened out of its section."""

    id: str
    """Unique within the checklist; answers are stored under it."""
    section_id: str
    """The id of the section it belongs to, e.g. ``offence``."""
    section_title: str
    """The section's heading, e.g. ``The offence``."""
    text: str
    """The question as the worker reads it aloud."""
    type: str
    """``yes-no`` or ``text`` (QUESTION_TYPES)."""
    risk_if: str | None
    """For yes-no: the answer that means risk (``yes`` or ``no``); None when none does."""
    help: str | None
    """A short hint for the worker, if any."""
    source: str | None
    """Citation when it differs from the checklist's own."""
    support_if: str | None = None
    """For yes-no: the answer that means a support need (YJB §16), never a risk."""


@dataclass(frozen=True)
class Checklist:
    """A checklist as read from ``policy/checklists/<id>.yaml``."""

    id: str
    """The file name stem, e.g. ``conference``."""
    title: str
    """Name shown to the worker."""
    source: str
    """Where the questions come from, e.g. ``Wait 'til Eight appendix 5B``."""
    purpose: str
    """One plain sentence: what it is for."""
    applies_to: tuple[str, ...]
    """Record kinds it may be run on: ``victim`` and/or ``child``."""
    participants: bool
    """True when it is completed with each participant in turn."""
    rating: bool
    """True when an overall LOW / MEDIUM / HIGH rating with reasons is asked at the end."""
    questions: tuple[Question, ...]
    """Every question, in order, sections flattened."""


@dataclass(frozen=True)
class Answer:
    """The worker's answer to one question."""

    question_id: str
    """The Question.id it answers."""
    answer: str
    """For yes-no, one of ANSWERS; for text, the text."""
    note: str | None
    """How a risk will be managed (required for a risk answer), or any comment."""


@dataclass(frozen=True)
class Outcome:
    """What a completed (or part-completed) checklist means for the case."""

    risks: tuple[tuple[Question, Answer], ...]
    """Each risk answer with its question, in checklist order."""
    rating: str | None
    """The assessor's overall rating (RATINGS), or None if not given."""
    blocked: bool
    """True when conference preparation may not go ahead yet."""
    reasons: tuple[str, ...]
    """Why it is blocked, one plain sentence each; empty when not blocked."""
    next_steps: tuple[str, ...]
    """What to do now, plain-English sentences; commands use the literal ``<ID>``."""
    support: tuple[tuple[Question, Answer], ...] = ()
    """Each support-need answer with its question (YJB §16), in checklist order."""


def _optional_text(value: object) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _questions_of(section: Mapping[str, Any]) -> tuple[Question, ...]:
    """The questions of one section, each labelled with the section."""
    return tuple(
        Question(
            id=str(q["id"]),
            section_id=str(section["id"]),
            section_title=str(section["title"]),
            text=str(q["text"]),
            type=str(q["type"]),
            risk_if=_optional_text(q.get("risk_if")),
            help=_optional_text(q.get("help")),
            source=_optional_text(q.get("source")),
            support_if=_optional_text(q.get("support_if")),
        )
        for q in section["questions"]
    )


def checklist_from_dict(data: Mapping[str, Any]) -> Checklist:
    """Build a Checklist from a parsed YAML mapping already valid against the schema."""
    sections: Sequence[Mapping[str, Any]] = data["sections"]
    return Checklist(
        id=str(data["id"]),
        title=str(data["title"]),
        source=str(data["source"]),
        purpose=str(data["purpose"]),
        applies_to=tuple(str(kind) for kind in data["applies_to"]),
        participants=bool(data["participants"]),
        rating=bool(data["rating"]),
        questions=tuple(q for s in sections for q in _questions_of(s)),
    )


def checklist_problems(checklist: Checklist) -> list[str]:
    """Problems the schema cannot see: a question id used twice (answers are keyed by it)."""
    seen: set[str] = set()
    problems: list[str] = []
    for question in checklist.questions:
        if question.id in seen:
            problems.append(f"question id {question.id!r} is used more than once")
        seen.add(question.id)
    return problems


def is_risk(question: Question, answer: str) -> bool:
    """True if ``answer`` (the answer word) is a risk on ``question``.

    The question's ``risk_if`` answer is a risk, and so is ``unknown`` on any question
    that has one: an unknown is an unassessed risk. Text questions and yes-no questions
    without ``risk_if`` are never risks.
    """
    if question.type != "yes-no" or question.risk_if is None:
        return False
    return answer in (question.risk_if, "unknown")


def is_support(question: Question, answer: str) -> bool:
    """True if ``answer`` is the question's support-need answer (``support_if``)."""
    return question.type == "yes-no" and question.support_if is not None \
        and answer == question.support_if


def answer_problems(
    checklist: Checklist, question: Question, answer: str, note: str | None
) -> list[str]:
    """What is wrong with this answer, as messages to show the worker; empty if fine.

    A risk answer needs a note saying how it will be managed (Wait 'til Eight appendix
    5B, "How to be managed"); a text question needs some text.
    """
    if question not in checklist.questions:
        return [f"question {question.id!r} is not in checklist {checklist.id!r}"]
    if question.type == "text":
        return [] if answer.strip() else [MSG_NEEDS_TEXT]
    if answer not in ANSWERS:
        return [MSG_BAD_ANSWER]
    problem = note_problem(note) if is_risk(question, answer) else None
    return [problem] if problem else []


def _risk_answers(
    checklist: Checklist, answers: Mapping[str, Answer]
) -> tuple[tuple[Question, Answer], ...]:
    """The risk answers, in checklist order; answers to unknown question ids are ignored."""
    found = ((q, answers.get(q.id)) for q in checklist.questions)
    return tuple((q, a) for q, a in found if a is not None and is_risk(q, a.answer))


def suggested_rating(checklist: Checklist, answers: Mapping[str, Answer]) -> str:
    """The tool's suggested overall rating: LOW with no risk answers, MEDIUM with 1 or 2,
    HIGH with 3 or more.

    This is only a suggestion from counting answers; the assessor decides the rating and
    gives reasons (Wait 'til Eight appendix 5B, "Overall assessment of risk").
    """
    count = len(_risk_answers(checklist, answers))
    if count == 0:
        return "LOW"
    return "MEDIUM" if count <= 2 else "HIGH"


def next_unanswered(checklist: Checklist, answers: Mapping[str, Answer]) -> int | None:
    """Index into ``checklist.questions`` of the first question not yet answered, so a
    run can resume there; None when every question has an answer."""
    for index, question in enumerate(checklist.questions):
        if question.id not in answers:
            return index
    return None


def _risk_reason(question: Question, answer: Answer) -> str:
    """One sentence naming a risk answer and how it is to be managed."""
    reason = f"{question.text} Answer: {answer.answer}."
    if answer.note and answer.note.strip():
        reason += f" To be managed: {answer.note.strip()}"
    return reason


def _incomplete_reasons(
    checklist: Checklist, answers: Mapping[str, Answer], rating: str | None
) -> list[str]:
    """Why the checklist is not finished (Wokingham 20.1: complete it before preparation)."""
    reasons: list[str] = []
    missing = sum(1 for q in checklist.questions if q.id not in answers)
    if missing:
        plural = "question is" if missing == 1 else "questions are"
        reasons.append(f"The checklist is not finished: {missing} {plural} not answered.")
    if checklist.rating and rating is None:
        reasons.append("No overall rating (LOW, MEDIUM or HIGH) has been given.")
    return reasons


def _rating_reasons(rating: str | None) -> list[str]:
    """A MEDIUM or HIGH rating must be discussed with the manager (Wait 'til Eight 5B)."""
    if rating in ("MEDIUM", "HIGH"):
        return [f"The overall rating is {rating}: a manager must discuss the arrangements."]
    return []


def _support_steps(support: Sequence[tuple[Question, Answer]], who: str) -> list[str]:
    """One next step for the support needs found (YJB §16: additional support)."""
    if not support:
        return []
    needs = "; ".join(q.text.rstrip("?") + (f" ({a.note.strip()})" if a.note and a.note.strip()
                                           else "") for q, a in support)
    return [f"Arrange the support the {who} needs to take part (YJB §16), and say what it is "
            f"in the answer's note: {needs}."]


def _next_steps(
    checklist: Checklist,
    answers: Mapping[str, Answer],
    rating: str | None,
    needs_manager: bool,
    support: Sequence[tuple[Question, Answer]] = (),
    rating_reasons: str | None = None,
) -> list[str]:
    """Plain-English next steps for the worker (reasons already given are not asked for
    again)."""
    steps: list[str] = []
    resume = next_unanswered(checklist, answers)
    if resume is not None or (checklist.rating and rating is None):
        where = "" if resume is None else f" (it resumes at question {resume + 1})"
        steps.append(f"Finish the checklist: {RESUME_COMMAND}{where}.")
    if needs_manager:
        steps.append(
            "Conference preparation is on hold until a manager approves: " + APPROVE_COMMAND
        )
    suggestion = suggested_rating(checklist, answers)
    if rating in RATINGS and RATINGS.index(rating) < RATINGS.index(suggestion):
        steps.append(
            f"The tool suggests {suggestion} but the rating given is {rating}"
            + (", for the reasons recorded." if (rating_reasons or "").strip()
               else ": record the reasons for the rating.")
        )
    if not steps:
        steps.append("No risks found: preparation can continue.")
    who = "child" if checklist.applies_to == ("child",) else "person"
    return steps + _support_steps(support, who)


def assess(
    checklist: Checklist, answers: Mapping[str, Answer], rating: str | None,
    rating_reasons: str | None = None,
) -> Outcome:
    """What the answers mean: the risks, whether preparation is on hold, and next steps.

    Blocked when any answer is a risk (Wokingham 20.1), when the rating is MEDIUM or HIGH
    (Wait 'til Eight appendix 5B), or when the checklist is unfinished (Wokingham 20.1:
    the assessment is completed before preparation starts). ``rating`` is the assessor's
    choice from RATINGS, or None if not given; any other value raises ValueError.
    """
    if rating is not None and rating not in RATINGS:
        raise ValueError(f"rating must be one of {', '.join(RATINGS)}, not {rating!r}")
    risks = _risk_answers(checklist, answers)
    found = ((q, answers.get(q.id)) for q in checklist.questions)
    support = tuple((q, a) for q, a in found if a is not None and is_support(q, a.answer))
    manager_reasons = [_risk_reason(q, a) for q, a in risks] + _rating_reasons(rating)
    reasons = manager_reasons + _incomplete_reasons(checklist, answers, rating)
    return Outcome(
        risks=risks,
        rating=rating,
        blocked=bool(reasons),
        reasons=tuple(reasons),
        next_steps=tuple(_next_steps(checklist, answers, rating, bool(manager_reasons),
                                     support, rating_reasons)),
        support=support,
    )
