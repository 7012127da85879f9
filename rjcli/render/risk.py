"""Risk assessments in the terminal: questions as asked, the end-of-run summary, the report."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from rjcli.core.checklist import Checklist, Outcome, Question
from rjcli.core.dates import as_date, uk_date
from rjcli.core.risk import label_of, needs_manager
from rjcli.render.terminal import escape, out
from rjcli.storage.checklists import ChecklistFile

ANSWER_SHOWN = {"yes": "yes", "no": "no", "unknown": "not known"}
"""How a stored answer word is shown."""


def _day(value: object) -> str:
    day = as_date(value)
    return uk_date(day) if day else "?"


def _answer_text(answer: str, question_type: str | None = "yes-no") -> str:
    return ANSWER_SHOWN.get(answer, answer) if question_type != "text" else answer


def run_header(checklist: Checklist, record_id: str, participant: str | None) -> None:
    """What is being run, on whom, and how to answer."""
    who = f" - participant: {escape(participant)}" if participant else ""
    out().print(f"[bold]{escape(checklist.title)}[/bold] on {record_id}{who} "
                f"[dim]({escape(checklist.source)})[/dim]")
    out().print(f"[dim]{escape(checklist.purpose)}[/dim]")
    out().print("[dim]Answer y (yes), n (no) or k (not known); b goes back to the previous "
                "question. Every answer is saved as you go: Ctrl-C stops, and running the "
                "same command again resumes.[/dim]")


def replaces(earlier: Mapping[str, Any]) -> None:
    """Say that a new run replaces an earlier, completed one of the same participant."""
    out().print(f"[dim]This new run replaces the one completed "
                f"{_day(earlier.get('completed'))}, which stays on the record.[/dim]")


def resumed(entry: Mapping[str, Any], total: int) -> None:
    """Say that an unfinished run is being resumed, and how far it got."""
    answered = len(entry.get("answers") or [])
    by = f" by {escape(str(entry['assessor']))}" if entry.get("assessor") else ""
    out().print(f"[yellow]Resuming the unfinished assessment started "
                f"{_day(entry.get('started'))}{by}: {answered} of {total} answered.[/yellow]")


def question(q: Question, index: int, total: int, new_section: bool,
             current: tuple[str, str | None] | None) -> None:
    """One question as put to the worker, with progress ('7 of 29')."""
    if new_section:
        out().print(f"\n[bold underline]{escape(q.section_title)}[/bold underline]")
    out().print(f"\n[bold cyan]{index + 1} of {total}[/bold cyan]  {escape(q.text)}")
    if q.help:
        out().print(f"  [dim]{escape(q.help)}[/dim]")
    if current is not None:
        answer, note = current
        shown = _answer_text(answer, q.type)
        out().print(f"  [dim]Answered before: {escape(shown)}"
                    + (f" ({escape(note)})" if note else "") + "; Enter keeps it.[/dim]")


def summary(record_id: str, entry: Mapping[str, Any], checklist: Checklist, outcome: Outcome,
            suggested: str | None) -> None:
    """The end of a run: risks found, the rating, and what happens next."""
    out().print(f"\n[bold]Finished: {escape(label_of(entry))} on {record_id}[/bold]")
    if outcome.risks:
        out().print(f"[bold red]Risks found ({len(outcome.risks)}):[/bold red]")
        for q, a in outcome.risks:
            out().print(f"  [red]- {escape(q.text)} {escape(_answer_text(a.answer))}.[/red]"
                        f" To be managed: {escape(a.note or '')}")
    else:
        out().print("[green]No risks found.[/green]")
    if checklist.rating:
        reasons = entry.get("rating_reasons")
        out().print(f"Overall rating: [bold]{outcome.rating}[/bold] (the tool suggested "
                    f"{suggested})" + (f": {escape(str(reasons))}" if reasons else ""))
    out().print("Next:")
    for step in outcome.next_steps:
        out().print(f"  - {escape(step.replace('<ID>', record_id))}")


def _answers(entry: Mapping[str, Any]) -> None:
    """The answers as a table: number, question as asked, answer; notes beneath."""
    from rich.table import Table

    table = Table.grid(padding=(0, 1))
    table.add_column(justify="right", no_wrap=True)
    table.add_column(ratio=1)
    table.add_column(no_wrap=True)
    section = None
    for n, a in enumerate(entry.get("answers") or [], 1):
        if not isinstance(a, Mapping):
            continue
        if a.get("section") and a.get("section") != section:
            section = a.get("section")
            table.add_row("", f"[underline]{escape(str(section))}[/underline]", "")
        answer = str(a.get("answer", ""))
        shown = escape(ANSWER_SHOWN.get(answer, answer))
        mark = f"[bold red]{shown}  RISK[/bold red]" if a.get("risk") else f"[bold]{shown}[/bold]"
        text = escape(str(a.get("text", a.get("question", ""))))
        if len(answer) > 20:  # a text answer: on its own line under the question
            table.add_row(f"{n}.", f"{text}\n[bold]{shown}[/bold]", "")
        else:
            table.add_row(f"{n}.", text, mark)
        if a.get("note"):
            label = "To be managed" if a.get("risk") else "Note"
            table.add_row("", f"[italic]{label}: {escape(str(a['note']))}[/italic]", "")
    out().print(table)


def _assessment(record_id: str, entry: Mapping[str, Any]) -> None:
    out().print(f"\n[bold]{escape(label_of(entry))}[/bold]"
                + (f"  [dim]({escape(str(entry['source']))})[/dim]" if entry.get("source") else ""))
    state = (f"completed {_day(entry['completed'])}" if entry.get("completed")
             else "[yellow]not finished[/yellow]")
    by = f" by {escape(str(entry['assessor']))}" if entry.get("assessor") else ""
    out().print(f"Started {_day(entry.get('started'))}{by}; {state}")
    _answers(entry)
    if entry.get("rating"):
        colour = "green" if entry["rating"] == "LOW" else "bold red"
        reasons = f": {escape(str(entry['rating_reasons']))}" if entry.get("rating_reasons") else ""
        out().print(f"Overall rating: [{colour}]{entry['rating']}[/{colour}]{reasons}")
    approval = entry.get("approval")
    if isinstance(approval, Mapping):
        note = f": {escape(str(approval['note']))}" if approval.get("note") else ""
        out().print(f"[green]Approved by {escape(str(approval.get('manager')))} on "
                    f"{_day(approval.get('date'))}[/green]{note}")
    elif entry.get("completed") and needs_manager(entry):
        out().print(f"[bold red]Needs a manager's approval ({' and '.join(needs_manager(entry))})"
                    f":[/bold red] rj risk approve {record_id} --manager NAME --note TEXT")


def report(record_id: str, entries: Sequence[Mapping[str, Any]], held: Sequence[str]) -> None:
    """Every assessment on a record, then whether conference preparation is on hold."""
    if not entries:
        out().print(f"No risk or suitability assessments on {record_id} yet.")
        out().print(f"[dim]Start one with: rj risk run {record_id} --checklist conference[/dim]")
        return
    out().print(f"[bold]Assessments on {record_id}[/bold] ({len(entries)})")
    for entry in entries:
        _assessment(record_id, entry)
    out().print()
    if held:
        out().print("[bold red]Conference preparation is on hold:[/bold red]")
        for reason in held:
            out().print(f"  - {escape(reason)}")
    else:
        out().print("[green]No assessment holds conference preparation.[/green]")


def checklists_table(files: Sequence[ChecklistFile]) -> None:
    """The checklists available, with the file in use for each."""
    from rich.table import Table

    table = Table("name", "checklist", box=None, show_header=False, padding=(0, 2, 1, 0))
    table.columns[0].no_wrap = True
    for f in files:
        c = f.checklist
        if c is None:
            listed = "\n".join(escape(str(p)) for p in f.problems)
            table.add_row(f"[red]{f.name}[/red]", f"[red]cannot be used:[/red]\n{listed}")
            continue
        table.add_row(f"[bold]{f.name}[/bold]",
                      f"{escape(c.title)}: {len(c.questions)} questions, for "
                      f"{' and '.join(c.applies_to)} records\n"
                      f"[dim]{escape(c.source)}; file: {escape(f.shown_path)}[/dim]")
    out().print(table)
