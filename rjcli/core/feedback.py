"""Feedback questionnaires and the answers to them (pure).

The questions live in data (``policy/questionnaires/conference.yaml`` and
``contact.yaml``, shape in ``schemas/questionnaire.schema.json``), each with its
source: the post-conference follow-up questions of Wait 'til Eight appendix 7D,
sought within 7 days of a conference (§6.7.2, §7.8.1), and a short questionnaire
after contact (Wokingham 14 asks for feedback with the closure letter; Somerset 12.2;
YJB §28 "ask victims if they were satisfied").

Every questionnaire has the question ``satisfaction`` on the scale very-satisfied /
satisfied / neither / dissatisfied / very-dissatisfied; its answer is stored as the
entry's ``satisfaction`` (what reports count), the other answers under ``answers``
and any comment beside a yes-no answer under ``notes``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from rjcli.core.vocab import SATISFACTION

QUESTION_TYPES = ("scale", "text", "yes-no")
"""scale: the satisfaction scale; text: own words; yes-no: yes or no, with a comment."""
SATISFACTION_ID = "satisfaction"
"""The question every questionnaire has, stored as the entry's ``satisfaction``."""
FEEDBACK_KINDS = ("conference", "contact")
"""The two questionnaires."""
FILE_KEYS = ("answers", "date")
"""The top-level keys of an answers file."""

_YES_NO = {"yes": "yes", "y": "yes", "no": "no", "n": "no"}
_SCALE_NUMBERS = {str(i): word for i, word in enumerate(SATISFACTION, 1)}


@dataclass(frozen=True)
class FeedbackQuestion:
    """One question as put to the person giving feedback."""

    id: str
    """Unique in the questionnaire; the answer is stored under it."""
    text: str
    """The question as read out."""
    type: str
    """scale, text or yes-no."""
    source: str
    """Where it comes from ("Wait 'til Eight appendix 7D, question 1")."""
    help: str | None
    """The tick-box choices of the source form, or a hint."""
    required: bool
    """True when it must be answered (the satisfaction question always is)."""
    text_cy: str | None = None
    """The question in Welsh, for the Welsh feedback form (``text_cy``)."""


@dataclass(frozen=True)
class Questionnaire:
    """A questionnaire as read from ``policy/questionnaires/<id>.yaml``."""

    id: str
    """conference or contact."""
    title: str
    """Shown at the top."""
    source: str
    """Where it comes from."""
    intro: str
    """What to say before the first question."""
    questions: tuple[FeedbackQuestion, ...]
    """In order."""
    title_cy: str | None = None
    """The title in Welsh, for the Welsh feedback form (``title_cy``)."""


def questionnaire_from_dict(data: Mapping[str, Any]) -> Questionnaire:
    """Build from a schema-valid mapping."""
    return Questionnaire(
        id=str(data["id"]), title=str(data["title"]), source=str(data["source"]),
        intro=str(data.get("intro") or "").strip(),
        questions=tuple(
            FeedbackQuestion(
                id=str(q["id"]), text=str(q["text"]).strip(), type=str(q["type"]),
                source=str(q["source"]), help=(str(q["help"]).strip() if q.get("help") else None),
                required=bool(q.get("required", False)) or str(q["id"]) == SATISFACTION_ID,
                text_cy=" ".join(str(q["text_cy"]).split()) if q.get("text_cy") else None,
            )
            for q in data["questions"]
        ),
        title_cy=str(data["title_cy"]) if data.get("title_cy") else None,
    )


def questionnaire_problems(q: Questionnaire) -> list[str]:
    """What the schema cannot see: ids used twice, the satisfaction question."""
    problems = []
    seen: set[str] = set()
    for question in q.questions:
        if question.id in seen:
            problems.append(f"question id {question.id!r} is used more than once")
        seen.add(question.id)
    scale = [x for x in q.questions if x.id == SATISFACTION_ID]
    if len(scale) != 1 or scale[0].type != "scale":
        problems.append(f"a questionnaire needs one scale question with id '{SATISFACTION_ID}'")
    return problems


def answer_value(question: FeedbackQuestion, text: str) -> tuple[str | None, str | None]:
    """(stored value, None), or (None, what is wrong). Empty text is (None, None)."""
    typed = " ".join(str(text).strip().split())
    if not typed:
        return None, None
    if question.type == "text":
        return typed, None
    if question.type == "yes-no":
        word = _YES_NO.get(typed.casefold())
        return (word, None) if word else (None, f"'{typed}' is not yes or no")
    word = _SCALE_NUMBERS.get(typed) or typed.casefold().replace(" ", "-")
    if word in SATISFACTION:
        return word, None
    return None, f"'{typed}' is not one of: {', '.join(SATISFACTION)} (or 1-5)"


@dataclass(frozen=True)
class FeedbackAnswers:
    """A questionnaire answered, checked."""

    satisfaction: str
    """The answer to the satisfaction question."""
    answers: Mapping[str, str]
    """The other answers, by question id, in questionnaire order."""
    notes: Mapping[str, str]
    """Comments beside yes-no answers, by question id."""


def collect(q: Questionnaire, given: Mapping[str, str],
            notes: Mapping[str, str]) -> tuple[FeedbackAnswers | None, list[str]]:
    """Check raw answers (id -> text) against the questionnaire: the answers, or problems."""
    known = {x.id: x for x in q.questions}
    problems = [f"answers.{k}: no such question in the {q.id} questionnaire"
                for k in list(given) + list(notes) if k not in known]
    values: dict[str, str] = {}
    for question in q.questions:
        value, problem = answer_value(question, given.get(question.id, ""))
        if problem:
            problems.append(f"answers.{question.id}: {problem}")
        elif value is None and question.required:
            problems.append(f"answers.{question.id}: an answer is needed ({question.text})")
        elif value is not None:
            values[question.id] = value
    if problems:
        return None, problems
    satisfaction = values.pop(SATISFACTION_ID)
    kept_notes = {k: " ".join(notes[k].split()) for k in known if notes.get(k, "").strip()}
    return FeedbackAnswers(satisfaction, values, kept_notes), []


def _as_text(value: object) -> str:
    """An answer as text: rj's YAML 1.2 reader keeps a bare yes/no as text, but a file
    written by another tool may hold true/false."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return "" if value is None else str(value)


def read_answers_file(q: Questionnaire, data: object) -> tuple[FeedbackAnswers | None, date | None,
                                                                list[str]]:
    """Answers from a parsed YAML file: ``answers: {ID: TEXT or {answer:, note:}}``,
    optionally ``date:``. Returns (answers, date, problems)."""
    if not isinstance(data, Mapping):
        return None, None, ["the file must be a mapping with 'answers:' (see rj feedback --help)"]
    problems = [f"unknown field '{k}' (expected {', '.join(FILE_KEYS)})"
                for k in data if k not in FILE_KEYS]
    raw = data.get("answers")
    if not isinstance(raw, Mapping):
        return None, None, [*problems, "answers: list each question id with its answer"]
    given: dict[str, str] = {}
    notes: dict[str, str] = {}
    for key, value in raw.items():
        if isinstance(value, Mapping):
            extra = [str(k) for k in value if k not in ("answer", "note")]
            if extra:
                problems.append(f"answers.{key}: unknown field {', '.join(extra)} "
                                "(expected answer, note)")
            value, note = value.get("answer"), value.get("note")
            if note is not None:
                notes[str(key)] = str(note)
        given[str(key)] = _as_text(value)
    answers, found = collect(q, given, notes)
    day = data.get("date")
    if day is not None and not isinstance(day, date):
        found.append(f"date: '{day}' is not a date (YYYY-MM-DD)")
    problems += found
    if problems:
        return None, None, problems
    return answers, day if isinstance(day, date) else None, []


def feedback_entry(new_id: Callable[[], str], day: date, kind: str, answers: FeedbackAnswers,
                   conference: str | None, by: str | None) -> dict[str, Any]:
    entry: dict[str, Any] = {"id": new_id(), "date": day, "kind": kind,
                             "satisfaction": answers.satisfaction}
    if answers.answers:
        entry["answers"] = dict(answers.answers)
    if answers.notes:
        entry["notes"] = dict(answers.notes)
    if conference:
        entry["conference"] = conference
    if by:
        entry["by"] = by
    return entry


# --- answers kept between runs: Ctrl-C part-way, then the same command resumes -------------

def draft_dict(kind: str, given: Mapping[str, str], notes: Mapping[str, str],
               asked: int) -> dict[str, Any]:
    """What is kept of an interview so far: the answers and comments given, and how many
    questions have been put (answered or skipped), so a new run starts at the next one."""
    return {"kind": kind, "asked": asked, "answers": dict(given), "notes": dict(notes)}


def resume_from_draft(q: Questionnaire, data: object) -> tuple[dict[str, str], dict[str, str],
                                                                int]:
    """(answers, comments, index of the next question) from a kept draft. Anything that no
    longer fits the questionnaire (changed since, or a draft of another kind) is dropped,
    and a draft that cannot be read is a fresh start."""
    if not isinstance(data, Mapping) or data.get("kind") != q.id:
        return {}, {}, 0
    known = {x.id: x for x in q.questions}
    raw_answers = data.get("answers") if isinstance(data.get("answers"), Mapping) else {}
    raw_notes = data.get("notes") if isinstance(data.get("notes"), Mapping) else {}
    given: dict[str, str] = {}
    for key, value in raw_answers.items():
        if key in known:
            checked, problem = answer_value(known[key], _as_text(value))
            if checked is not None and problem is None:
                given[str(key)] = checked
    notes = {str(k): " ".join(str(v).split()) for k, v in raw_notes.items()
             if k in given and str(v).strip()}
    asked = data.get("asked")
    start = asked if isinstance(asked, int) and 0 <= asked <= len(q.questions) else 0
    # a required question skipped over cannot be: resume at the first one unanswered
    for index, question in enumerate(q.questions[:start]):
        if question.required and question.id not in given:
            start = index
            break
    return given, notes, start
