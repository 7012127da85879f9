"""Questions at a terminal (never in scripts): a default shown in brackets only when there
is one, a required answer asked again when left empty, a wrong one asked again with what
would be accepted, and Ctrl-D as "stop, save nothing"."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rjcli.errors import BadInput
from rjcli.render.terminal import escape, say

Check = Callable[[str], str | None]
"""Returns what is wrong with an answer, or None."""


def ask(label: str, required: bool = False, default: str | None = None,
        check: Check | None = None) -> str | None:
    """One answer: re-asked while empty (when required) or refused by ``check``."""
    from rich.prompt import Prompt

    hint = "" if required or default else " (Enter to skip)"
    while True:
        try:
            typed = Prompt.ask(escape(label + hint), default=default or "",
                               show_default=bool(default))
        except EOFError:
            raise BadInput("stopped: nothing was saved") from None
        answer = typed.strip()
        if not answer:
            if required:
                say(f"[red]{escape(label)} is needed.[/red]")
                continue
            return None
        problem = check(answer) if check else None
        if problem is None:
            return answer
        say(f"[red]{escape(problem)}[/red]")


def one_of(what: str, allowed: Sequence[str]) -> Check:
    """A check accepting only ``allowed`` (case forgiven)."""
    def check(answer: str) -> str | None:
        if answer.lower() in allowed:
            return None
        return f"{what} '{answer}' is not one of: {', '.join(allowed)}"

    return check


def ask_lines(label: str) -> list[str]:
    """Several lines (an address), until an empty one."""
    lines: list[str] = []
    while True:
        line = ask(f"{label} {len(lines) + 1}" + (" (Enter when done)" if lines else ""))
        if line is None:
            return lines
        lines.append(line)
