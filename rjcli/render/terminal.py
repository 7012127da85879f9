"""Terminal output: one Console each for results and for messages.

Record text reaches the terminal inert: :func:`escape` is the way record text goes into
a Rich message (no control character, so no escape sequence and no forged line; no
Rich markup), and the consoles themselves drop control characters from every string
they render, for text that reached them any other way. Plain-text layouts that skip
Rich (``rj due``, long listings) pass record text through
:func:`rjcli.core.text.printable` before they measure or cut it.
"""

from __future__ import annotations

import json
import sys
from functools import cache
from typing import Any

from rjcli.core.problems import Problem
from rjcli.storage.schemas import to_json


@cache
def _console_class() -> Any:
    from rich.console import Console

    from rjcli.core.text import printable

    class InertConsole(Console):
        """A Rich console that renders no control character it is given in a string
        (rj's own styling comes from markup, never from escape codes in the text)."""

        def render_str(self, text: str, **options: Any) -> Any:
            return super().render_str(printable(text, newlines=True), **options)

    return InertConsole


@cache
def out() -> Any:
    # piped output is not wrapped, so "path:line: message" stays one line for grep and CI
    return _console_class()(highlight=False, soft_wrap=not sys.stdout.isatty())


@cache
def err() -> Any:
    return _console_class()(stderr=True, highlight=False)


def print_json(value: Any) -> None:
    """Stable JSON on stdout (dates as YYYY-MM-DD)."""
    sys.stdout.write(json.dumps(to_json(value), indent=2, ensure_ascii=False) + "\n")


def say(message: str) -> None:
    out().print(message)


def warn(message: str) -> None:
    err().print(f"[yellow]{message}[/yellow]")


def print_problems(problems: list[Problem]) -> None:
    for problem in problems:
        colour = "red" if problem.severity == "error" else "yellow"
        out().print(f"[{colour}]{escape(problem.location())}[/{colour}]: {escape(problem.message)}")


def escape(text: str, newlines: bool = False) -> str:
    """Record text for a Rich message: printed as written, never obeyed. Control
    characters are dropped and line breaks become spaces (kept with ``newlines``, where
    the layout has room for several lines, e.g. a table cell), and Rich markup
    (``[red]``, ``[link=...]``) is escaped."""
    from rich.markup import escape as rich_escape

    from rjcli.core.text import printable

    return str(rich_escape(printable(text, newlines)))
