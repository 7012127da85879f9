"""Plain lines with a little colour, for the output read most often (``rj due``):
ANSI codes written directly cost nothing to import, where Rich costs ~30 ms a run.
Colour only at a terminal, never when NO_COLOR is set (no-color.org)."""

from __future__ import annotations

import os
import sys

CODES = {"red": "31", "yellow": "33", "green": "32", "dim": "2", "bold": "1",
         "heading": "1;4"}


def colour_wanted() -> bool:
    return (sys.stdout.isatty() and "NO_COLOR" not in os.environ
            and os.environ.get("TERM") != "dumb")


def paint(text: str, style: str, on: bool) -> str:
    """``text`` in ``style`` when colour is on, else unchanged."""
    return f"\x1b[{CODES[style]}m{text}\x1b[0m" if on else text


def write_lines(lines: list[str]) -> None:
    sys.stdout.write("".join(line + "\n" for line in lines))
