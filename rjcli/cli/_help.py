"""Help text built from the vocabulary, so that what ``--help`` lists is what rj accepts."""

from __future__ import annotations

import inspect
import textwrap
from collections.abc import Callable
from typing import Any


def allowed_values(*lists: tuple[str, tuple[str, ...]]) -> str:
    """Paragraphs naming the values an argument or option takes, one heading each,
    wrapped between values and never inside one ("not-appropriate" stays whole)."""
    blocks = []
    for heading, values in lists:
        lines = textwrap.wrap(", ".join(values), 72, break_on_hyphens=False)
        # \b: click prints the paragraph as it is, without re-wrapping it
        blocks.append("\b\n" + heading + "\n" + "\n".join("  " + line for line in lines))
    return "\n\n".join(blocks)


def help_with_values(command: Callable[..., Any], *lists: tuple[str, tuple[str, ...]]) -> str:
    """The command's docstring with ``{allowed}`` replaced by ``allowed_values(*lists)``."""
    return inspect.cleandoc(command.__doc__ or "").replace("{allowed}", allowed_values(*lists))
