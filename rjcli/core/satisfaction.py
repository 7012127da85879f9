"""Victims' satisfaction and feedback, six-monthly (pure; Tower Hamlets "Monitoring":
"Victim satisfaction and responses to feedback (6-month reports)"; YJB §27-28).

Feedback forms hold free-text answers: they are personal and never printed. The
report counts forms, satisfaction levels and which questions were answered.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any

from rjcli.core import vocab
from rjcli.core.reports import (
    Casework,
    Column,
    Figure,
    Period,
    Redactor,
    Report,
    Row,
    Section,
    Table,
    count,
    dated,
    entries,
    not_over,
    percent,
    single,
    tally,
)

Feedback = Sequence[tuple[str, Mapping[str, Any]]]
"""(victim id, feedback entry) pairs."""

KINDS = (("contact", "After contact"), ("conference", "After a conference"))
SATISFIED = ("very-satisfied", "satisfied")

DEFINITIONS = (
    "A feedback form is counted in the period in which it is dated, whenever the victim's "
    "case began.",
    "Satisfied: very satisfied or satisfied, as a share of the forms that gave a level (the "
    "YJB once set a target of 70%).",
    "What victims wrote is personal and is not printed: only how many forms answered each "
    "question.",
)


def _tally(chosen: Feedback) -> Figure:
    return tally(len(chosen), (i for i, _ in chosen))


def satisfaction_table(feedback: Feedback, title: str, note: str, by_kind: bool = False) -> Table:
    """Satisfaction levels (rows) of feedback forms, all together or by kind (columns)."""
    groups: list[tuple[str, str, Feedback]] = []
    if by_kind:
        groups += [(k, label, [(i, f) for i, f in feedback if f.get("kind") == k])
                   for k, label in KINDS]
    groups.append(("all", "All forms" if by_kind else "Forms", feedback))
    columns = tuple(Column(k, label) for k, label, _ in groups)

    def row(key: str, label: str, test: Callable[[Mapping[str, Any]], bool],
            total: bool = False) -> Row:
        return Row(key, label, tuple(_tally([(i, f) for i, f in members if test(f)])
                                     for _, _, members in groups), total)

    rows = [row(level, vocab.label(level).capitalize(),
                lambda f, level=level: f.get("satisfaction") == level)
            for level in vocab.SATISFACTION]
    rows.append(row("not-given", "No level given",
                    lambda f: f.get("satisfaction") not in vocab.SATISFACTION))
    rows.append(row("total", "All feedback forms", lambda f: True, total=True))
    shares = []
    for _, _, members in groups:
        happy = _tally([(i, f) for i, f in members if f.get("satisfaction") in SATISFIED])
        rated = _tally([(i, f) for i, f in members if f.get("satisfaction") in vocab.SATISFACTION])
        shares.append(percent(happy, rated))
    rows.append(Row("satisfied-share", "Satisfied or very satisfied", tuple(shares), True))
    return Table("satisfaction", title, note, "Satisfaction", columns, tuple(rows),
                 chart=columns[-1].key)


def feedback_in(work: Casework, period: Period) -> list[tuple[str, Mapping[str, Any]]]:
    return [(v.id, f) for _, v in sorted(work.victims.items())
            for f in entries(v, "feedback") if dated(f) in period]


def answers_table(feedback: Feedback, redactor: Redactor, questions: Mapping[str, str]) -> Table:
    """Per question: forms that answered it, and the yes / no answers of yes-no questions.

    ``questions`` maps question ids to their wording (from the questionnaires); an id not
    there is shown as its words, unless it names someone."""
    answered: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for victim_id, f in feedback:
        answers = f.get("answers")
        for question, text in (answers.items() if isinstance(answers, Mapping) else []):
            if str(text or "").strip():
                answered[str(question)].append((victim_id, str(text).strip().casefold()))
    order = {q: n for n, q in enumerate(questions)}
    rows = []
    for question in sorted(answered, key=lambda q: (order.get(q, len(order)), q)):
        given = answered[question]
        label = questions.get(question) or redactor.text(
            question.replace("_", " ").replace("-", " "))
        key = question if question in questions else label.casefold()
        rows.append(Row(key, label[:1].upper() + label[1:], tuple(
            tally(len(chosen), (i for i, _ in chosen))
            for chosen in (given, [g for g in given if g[1] == "yes"],
                           [g for g in given if g[1] == "no"]))))
    return Table("answers", "Feedback themes: questions answered",
                 "How many feedback forms answered each question, and for yes-or-no questions "
                 "how many said yes and no. What victims wrote is not printed.", "Question",
                 (Column("answered", "Answered"), Column("yes", "Yes"), Column("no", "No")),
                 tuple(rows), chart="answered")


def six_monthly_report(work: Casework, period: Period, today: date, service: str,
                       questions: Mapping[str, str] | None = None) -> Report:
    """Satisfaction and feedback themes for a half year; ``questions``: question id ->
    wording, from the feedback questionnaires."""
    feedback = feedback_in(work, period)
    complaints = [(v.id, c) for _, v in sorted(work.victims.items())
                  for c in entries(v, "complaints") if dated(c) in period]
    summary = Table(
        "feedback", "Feedback received",
        "Feedback forms dated in the period, after contact with the service or after a "
        "conference, and complaints made in the period.", "Feedback",
        (Column("number", "Number"),),
        (*(single(k, f"Forms {label.lower()}", _tally([(i, f) for i, f in feedback
                                                       if f.get("kind") == k]))
           for k, label in KINDS),
         single("total", "All feedback forms", _tally(feedback), total=True),
         single("victims", "Victims who gave feedback", count(i for i, _ in feedback)),
         single("with-answers", "Forms answering more than the satisfaction question",
                _tally([(i, f) for i, f in feedback if isinstance(f.get("answers"), Mapping)
                        and any(str(t or "").strip() for t in f["answers"].values())])),
         single("complaints", "Complaints recorded", _tally(complaints))),
        chart="number")
    section = Section(
        "satisfaction", "Victims' satisfaction and feedback",
        f"Feedback from victims dated from {period.words()}.",
        (summary,
         satisfaction_table(feedback, "Satisfaction",
                            "How satisfied victims said they were, after contact and after a "
                            "conference.", by_kind=True),
         answers_table(feedback, Redactor(work), questions or {})),
        DEFINITIONS)
    notes = not_over(period, today)
    return Report("six-monthly", "Victims' satisfaction: six-monthly report", service, period,
                  today, notes, (section,))

