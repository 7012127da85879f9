"""Risk assessments as stored on a record, and what they mean for a conference (pure).

A checklist (``rjcli.core.checklist``) run with one participant becomes one entry of the
record's ``assessments`` list (schema: ``assessments`` in schemas/victim.schema.json).
The entry keeps each question's text and section as asked, so a later edit of the
checklist file never rewrites what was asked (Wait 'til Eight appendix 5B is a form
filled in once, then kept).

Rules applied here, with their sources:

- Any risk answer stops conference preparation until a manager has discussed it
  (Wokingham 20.1), and so does an overall rating of MEDIUM or HIGH (Wait 'til Eight
  appendix 5B). A manager's approval, stored on the entry, lifts that hold.
- An unfinished checklist also holds preparation: the risk assessment is completed
  before preparation starts (Wokingham 20.1).
- A conference risk assessment is approved by a manager even when it found no risk
  (Wait 'til Eight §5.9); a conference is not planned without that approval
  (rjcli.core.gates).
- Only the latest run of a checklist with a participant counts: running it again (after
  circumstances change) replaces the earlier result.

Pure code: no file IO, no printing, no clock ("today" is a parameter).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from rjcli.core.checklist import (
    RATINGS,
    Answer,
    Checklist,
    Question,
    answer_problems,
    assess,
    is_risk,
    is_support,
)
from rjcli.core.dates import as_date, uk_date

NewId = Callable[[], str]
"""Supplies a fresh entry id."""

ASSESSMENT_KEYS = (
    "id", "checklist", "title", "source", "participant", "started", "completed", "assessor",
    "answers", "rating", "rating_reasons", "blocked", "reasons", "approval",
)
"""The order of an assessment entry's keys on disk, whichever way it was written."""
ANSWERS_FILE_KEYS = ("answers", "rating", "rating_reasons")
"""The top-level keys of an answers file (``rj risk run --answers FILE``)."""

ANSWER_WORDS = {
    "yes": "yes", "y": "yes",
    "no": "no", "n": "no",
    "unknown": "unknown", "not known": "unknown", "not-known": "unknown", "k": "unknown",
    "u": "unknown", "?": "unknown", "don't know": "unknown", "dont know": "unknown",
}
"""What a worker may type or write for each answer of ANSWERS."""
RATING_WORDS = {"low": "LOW", "l": "LOW", "medium": "MEDIUM", "m": "MEDIUM",
                "high": "HIGH", "h": "HIGH"}
"""What a worker may type for each rating of RATINGS."""

MSG_NEEDS_REASONS = "give the reasons for the overall rating"


def answer_word(text: str) -> str | None:
    """The stored answer (yes, no, unknown) for what was typed, or None if not one."""
    return ANSWER_WORDS.get(" ".join(text.strip().casefold().split()))


def rating_word(text: str) -> str | None:
    """The rating (LOW, MEDIUM, HIGH) for what was typed, or None if not one."""
    return RATING_WORDS.get(text.strip().casefold())


def _compact(mapping: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in mapping.items() if v not in (None, "", [], {}, ())}


def new_assessment(new_id: NewId, checklist: Checklist, participant: str | None,
                   started: date, assessor: str | None) -> dict[str, Any]:
    """A new, empty assessment entry: answers are added one by one as they are given."""
    return _compact({
        "id": new_id(), "checklist": checklist.id, "title": checklist.title,
        "source": checklist.source, "participant": participant, "started": started,
        "assessor": assessor,
    })


def answer_entry(question: Question, answer: Answer) -> dict[str, Any]:
    """One stored answer: the question as asked, the answer, whether it is a risk, the note."""
    return _compact({
        "question": question.id, "section": question.section_title, "text": question.text,
        "answer": answer.answer, "risk": is_risk(question, answer.answer),
        "support": True if is_support(question, answer.answer) else None,
        "note": (answer.note or "").strip() or None,
    })


def stored_answers(entry: Mapping[str, Any]) -> dict[str, Answer]:
    """The answers of a stored entry, keyed by question id, in the order stored."""
    answers: dict[str, Answer] = {}
    for item in entry.get("answers") or []:
        if isinstance(item, Mapping) and item.get("question") is not None:
            note = item.get("note")
            answers[str(item["question"])] = Answer(
                question_id=str(item["question"]), answer=str(item.get("answer", "")),
                note=str(note) if note is not None else None)
    return answers


def progress_fields(checklist: Checklist, answers: Mapping[str, Answer],
                    rating: str | None) -> dict[str, Any]:
    """``blocked`` and ``reasons`` for the entry as it stands (kept current after each save)."""
    outcome = assess(checklist, answers, rating)
    return {"blocked": outcome.blocked, "reasons": list(outcome.reasons)}


def completion_fields(checklist: Checklist, answers: Mapping[str, Answer], rating: str | None,
                      rating_reasons: str | None, today: date) -> dict[str, Any]:
    """The fields set when the last answer (and the rating, when asked) is in."""
    fields: dict[str, Any] = {"completed": today}
    if rating is not None:
        fields["rating"] = rating
    if rating_reasons and rating_reasons.strip():
        fields["rating_reasons"] = rating_reasons.strip()
    return fields | progress_fields(checklist, answers, rating)


def same_participant(a: str | None, b: str | None) -> bool:
    """Participants match ignoring case and spacing ('Victim' is 'victim')."""
    def norm(text: str | None) -> str:
        return " ".join((text or "").casefold().split())

    return norm(a) == norm(b)


def unfinished(assessments: Iterable[Mapping[str, Any]], checklist_id: str | None = None,
               participant: str | None = None,
               any_participant: bool = False) -> list[Mapping[str, Any]]:
    """Started but not completed entries, optionally of one checklist and participant."""
    return [
        a for a in assessments
        if not a.get("completed")
        and (checklist_id is None or a.get("checklist") == checklist_id)
        and (any_participant or same_participant(a.get("participant"), participant))
    ]


def label_of(entry: Mapping[str, Any]) -> str:
    """'Conference risk assessment (victim)': the checklist's title and the participant."""
    title = str(entry.get("title") or entry.get("checklist") or "assessment")
    participant = entry.get("participant")
    return f"{title} ({participant})" if participant else title


def _latest(assessments: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The last entry of each checklist and participant (a new run replaces an old one)."""
    latest: dict[tuple[str, str], Mapping[str, Any]] = {}
    for entry in assessments:
        if isinstance(entry, Mapping):
            participant = " ".join(str(entry.get("participant") or "").casefold().split())
            latest[(str(entry.get("checklist")), participant)] = entry
    return list(latest.values())


def needs_manager(entry: Mapping[str, Any]) -> list[str]:
    """Why a completed entry needs a manager's approval: its risk answers, a MEDIUM or
    HIGH rating (Wokingham 20.1; Wait 'til Eight appendix 5B). Empty when it does not."""
    why: list[str] = []
    risks = sum(1 for a in entry.get("answers") or [] if isinstance(a, Mapping) and a.get("risk"))
    if risks:
        why.append(f"{risks} risk answer{'s' if risks != 1 else ''}")
    if entry.get("rating") in ("MEDIUM", "HIGH"):
        why.append(f"an overall rating of {entry['rating']}")
    return why


def _day(value: object) -> str:
    day = as_date(value)
    return uk_date(day) if day else "an unknown date"


def conference_blocked(assessments: Sequence[Mapping[str, Any]]) -> list[str]:
    """Why conference preparation is on hold, one sentence per assessment; empty if not.

    Only the latest run of each checklist and participant counts. It holds preparation
    when unfinished (Wokingham 20.1), or when it has risk answers or a MEDIUM or HIGH
    rating and no manager's approval (Wokingham 20.1; Wait 'til Eight appendix 5B).
    An empty list means no assessment holds preparation, not that one has been done.
    """
    reasons: list[str] = []
    for entry in _latest(assessments):
        label = label_of(entry)
        if not entry.get("completed"):
            answered = len(entry.get("answers") or [])
            reasons.append(f"{label}, started {_day(entry.get('started'))}, is not finished "
                           f"({answered} answered).")
            continue
        why = needs_manager(entry)
        if why and not entry.get("approval"):
            reasons.append(f"{label} of {_day(entry.get('completed'))}: {' and '.join(why)} "
                           "need a manager's approval.")
    return reasons


APPROVED_ALWAYS = ("conference",)
"""Checklists a manager approves whatever they found: "The RJ Manager should approve the
pre-conference risk assessment" (Wait 'til Eight §5.9), so a conference is planned only on
an approved one (rjcli.core.gates)."""


def awaiting_approval(assessments: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The latest completed entries that need a manager's approval and do not have it:
    those that found risk, and every conference risk assessment (APPROVED_ALWAYS)."""
    return [e for e in _latest(assessments)
            if e.get("completed") and not e.get("approval")
            and (needs_manager(e) or e.get("checklist") in APPROVED_ALWAYS)]


def approval_entry(manager: str, note: str, today: date) -> dict[str, Any]:
    """The ``approval`` mapping stored on an assessment."""
    return {"manager": manager, "note": note.strip(), "date": today}


@dataclass(frozen=True)
class FileAnswers:
    """A checklist completed in a file (``rj risk run --answers FILE``), checked."""

    answers: Mapping[str, Answer]
    """Every question's answer, keyed by question id, in checklist order."""
    rating: str | None
    """The overall rating (RATINGS), or None when the checklist asks none."""
    rating_reasons: str | None
    """Why that rating."""


def _file_answer(question: Question, value: object) -> tuple[Answer | None, list[str]]:
    """One answer from the file: ``text`` or ``{answer: ..., note: ...}``."""
    where = f"answers.{question.id}"
    note: object = None
    if isinstance(value, Mapping):
        extra = sorted(str(k) for k in value if k not in ("answer", "note"))
        if extra:
            return None, [f"{where}: unknown field {', '.join(extra)} (expected answer, note)"]
        note = value.get("note")
        value = value.get("answer")
        if note is not None and not isinstance(note, str):
            return None, [f"{where}.note: write the note as text"]
    if not isinstance(value, str) or not value.strip():
        wanted = "text" if question.type == "text" else "yes, no or unknown"
        return None, [f"{where}: write the answer as {wanted}"]
    word = value.strip() if question.type == "text" else answer_word(value)
    if word is None:
        return None, [f"{where}: '{value}' is not an answer: write yes, no or unknown"]
    return Answer(question.id, word, note.strip() or None if isinstance(note, str) else None), []


def _rating_problems(checklist: Checklist, data: Mapping[str, Any]) -> tuple[str | None, list[str]]:
    given, reasons = data.get("rating"), data.get("rating_reasons")
    if not checklist.rating:
        if given is not None or reasons is not None:
            return None, [f"checklist {checklist.id} asks no overall rating: remove rating"]
        return None, []
    if given is None:
        return None, [f"rating: give the overall rating: {', '.join(RATINGS)}"]
    rating = rating_word(given) if isinstance(given, str) else None
    problems = [] if rating else [f"rating: '{given}' is not one of {', '.join(RATINGS)}"]
    if not isinstance(reasons, str) or not reasons.strip():
        problems.append(f"rating_reasons: {MSG_NEEDS_REASONS}")
    return rating, problems


def read_answers(checklist: Checklist, data: object) -> tuple[FileAnswers | None, list[str]]:
    """Check a parsed answers file against the checklist: the answers, or every problem.

    Shape: ``{answers: {QUESTION_ID: TEXT or {answer: ..., note: ...}}, rating: ...,
    rating_reasons: ...}``. Every question must be answered, with the same rules as at
    the terminal (a risk answer needs a note saying how it will be managed).
    """
    if not isinstance(data, Mapping):
        return None, ["the answers must be a mapping with 'answers:' (see rj risk run --help)"]
    problems = [f"unknown field '{k}' (expected {', '.join(ANSWERS_FILE_KEYS)})"
                for k in data if k not in ANSWERS_FILE_KEYS]
    given = data.get("answers")
    if not isinstance(given, Mapping):
        return None, [*problems, "answers: list each question id with its answer"]
    known = {q.id for q in checklist.questions}
    problems += [f"answers.{k}: no such question in checklist {checklist.id}"
                 for k in given if k not in known]
    answers: dict[str, Answer] = {}
    missing: list[str] = []
    for question in checklist.questions:
        if given.get(question.id) is None:
            missing.append(question.id)
            continue
        answer, found = _file_answer(question, given[question.id])
        if answer is not None:
            found = [f"answers.{question.id}: {p}"
                     for p in answer_problems(checklist, question, answer.answer, answer.note)]
            answers[question.id] = answer
        problems += found
    if missing:
        problems.append(f"not answered: {', '.join(missing)}")
    rating, rating_problems = _rating_problems(checklist, data)
    problems += rating_problems
    if problems:
        return None, problems
    reasons = data.get("rating_reasons")
    return FileAnswers(answers, rating, reasons.strip() if isinstance(reasons, str) else None), []
