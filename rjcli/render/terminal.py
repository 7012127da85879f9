"""Terminal output: one Console each for results and for messages."""

from __future__ import annotations

import json
import sys
from functools import cache
from typing import Any

from rjcli.core.problems import Problem
from rjcli.storage.schemas import to_json


@cache
def out() -> Any:
    from rich.console import Console

    # piped output is not wrapped, so "path:line: message" stays one line for grep and CI
    return Console(highlight=False, soft_wrap=not sys.stdout.isatty())


@cache
def err() -> Any:
    from rich.console import Console

    return Console(stderr=True, highlight=False)


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


def escape(text: str) -> str:
    from rich.markup import escape as rich_escape

    return str(rich_escape(text))
