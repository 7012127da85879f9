"""``rj risk run`` at a terminal: a checklist put to the worker question by question, with
"b" to go back, a note for every risk, and the rating with its reasons; saved after each
answer (cli/risk_saving.py)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rjcli.cli.context import current
from rjcli.cli.risk_saving import Saver, put
from rjcli.core.checklist import (
    MSG_BAD_ANSWER,
    MSG_NEEDS_TEXT,
    Answer,
    Checklist,
    Question,
    assess,
    is_risk,
    next_unanswered,
    note_problem,
    suggested_rating,
)
from rjcli.core.risk import (
    MSG_NEEDS_REASONS,
    answer_entry,
    answer_word,
    completion_fields,
    new_assessment,
    progress_fields,
    rating_word,
    stored_answers,
)
from rjcli.render import risk as show
from rjcli.render.terminal import escape, out, say

BACK_WORDS = ("b", "back")
"""What a worker types to return to the previous question."""


def ask(prompt: str) -> str:
    return str(out().input(prompt)).strip()


class Interview:
    """One checklist put to the worker question by question, saved after each answer."""

    def __init__(self, record_id: str, checklist: Checklist, participant: str | None,
                 entry: Mapping[str, Any] | None) -> None:
        self.record_id = record_id
        self.checklist = checklist
        self.participant = participant
        self.saver = Saver(record_id, entry)
        self.answers: dict[str, Answer] = stored_answers(entry) if entry else {}
        self.total = len(checklist.questions)

    def run(self) -> Mapping[str, Any]:
        """Ask every question not yet answered, then the rating; the saved entry."""
        questions = self.checklist.questions
        index = next_unanswered(self.checklist, self.answers)
        index = self.total if index is None else index
        shown_section: str | None = None
        while True:
            if index >= self.total:
                if self._finish():
                    return self.saver.entry()
                index, shown_section = self.total - 1, None
                continue
            q = questions[index]
            answer = self._question(q, index, q.section_id != shown_section)
            shown_section = q.section_id
            if answer is None:
                if index == 0:
                    say("[dim]This is the first question.[/dim]")
                else:
                    index, shown_section = index - 1, None
                continue
            self._save_answer(q, answer)
            index += 1

    def _question(self, q: Question, index: int, new_section: bool) -> Answer | None:
        """The worker's answer to one question, or None to go back."""
        before = self.answers.get(q.id)
        show.question(q, index, self.total, new_section,
                      (before.answer, before.note) if before else None)
        while True:
            if q.type == "text":
                typed = ask("Answer (b = back): ")
                if typed.casefold() in BACK_WORDS:
                    return None
                text = typed or (before.answer if before else "")
                if text:
                    return Answer(q.id, text, None)
                say(f"[red]{MSG_NEEDS_TEXT}[/red]")
                continue
            typed = ask("Answer (y = yes, n = no, k = not known, b = back): ")
            if typed.casefold() in BACK_WORDS:
                return None
            word = answer_word(typed) if typed else (before.answer if before else None)
            if word is None:
                say(f"[red]{MSG_BAD_ANSWER} (y, n or k)[/red]")
                continue
            if not is_risk(q, word):
                return Answer(q.id, word, None)
            note = self._risk_note(before.note if before else None)
            if note is not None:
                return Answer(q.id, word, note)

    def _risk_note(self, before: str | None) -> str | None:
        """How the risk will be managed (required), or None to answer again."""
        keep = "; Enter keeps what was written" if before else ""
        while True:
            typed = ask(f"[bold red]That is a risk.[/bold red] How will it be managed? "
                         f"(b = answer again{keep}): ")
            if typed.casefold() in BACK_WORDS:
                return None
            problem = note_problem(typed or before)
            if problem is None:
                return typed or before
            say(f"[red]{escape(problem)}[/red]")

    def _save_answer(self, q: Question, answer: Answer) -> None:
        stored = answer_entry(q, answer)
        self.answers[q.id] = answer
        fields = progress_fields(self.checklist, self.answers, None)

        def fresh() -> dict[str, Any]:
            ctx = current()
            return new_assessment(ctx.new_id, self.checklist, self.participant, ctx.today,
                                  ctx.worker) | {"answers": [stored]} | fields

        def update(entry: Any) -> None:
            from rjcli.storage.edits import append

            existing = next((a for a in entry.get("answers") or []
                             if a.get("question") == q.id), None)
            if existing is None:
                append(entry, "answers", stored)
            else:  # going back: the answer mapping is edited in place
                for key in [k for k in existing if k not in stored]:
                    del existing[key]
                for key, value in stored.items():
                    if existing.get(key) != value:
                        existing[key] = value
            for key, value in fields.items():
                put(entry, key, value)

        self.saver.save(fresh, update)
        say(f"[dim]saved ({len(self.answers)} of {self.total} answered)[/dim]")

    def _finish(self) -> bool:
        """The overall rating when asked, then completion; False to go back."""
        rating = reasons = None
        if self.checklist.rating:
            chosen = self._rating()
            if chosen is None:
                return False
            rating, reasons = chosen
        fields = completion_fields(self.checklist, self.answers, rating, reasons,
                                   current().today)

        def update(entry: Any) -> None:
            for key, value in fields.items():
                put(entry, key, value)

        self.saver.save(dict, update)
        return True

    def _rating(self) -> tuple[str, str] | None:
        """(rating, reasons), or None to go back to the last question."""
        risks = assess(self.checklist, self.answers, None).risks
        suggestion = suggested_rating(self.checklist, self.answers)
        say(f"\n[bold]Overall risk[/bold]: {len(risks)} risk answer"
            f"{'s' if len(risks) != 1 else ''}; the tool suggests [bold]{suggestion}[/bold]. "
            "The rating is yours to decide, with reasons (Wait 'til Eight appendix 5B).")
        while True:
            typed = ask("Overall rating (low / medium / high, b = back): ")
            if typed.casefold() in BACK_WORDS:
                return None
            rating = rating_word(typed)
            if rating is None:
                say("[red]type low, medium or high[/red]")
                continue
            reasons = self._reasons()
            if reasons is not None:
                return rating, reasons

    @staticmethod
    def _reasons() -> str | None:
        """Why the rating (required), or None to choose the rating again."""
        while True:
            typed = ask("Reasons for the rating (b = choose the rating again): ")
            if typed.casefold() in BACK_WORDS:
                return None
            if typed:
                return typed
            say(f"[red]{MSG_NEEDS_REASONS}[/red]")


# --- from a file ----------------------------------------------------------------------


