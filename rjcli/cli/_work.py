"""Shared by the restorative-work commands (offer, conference, agreement, view, progress,
support, complaint, appointment, vcs, feedback, child work): ids, dates, saving, output.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from rjcli.cli.context import record_id_arg
from rjcli.cli.context import current, parse_day
from rjcli.core.model import Child, Victim
from rjcli.errors import BadInput
from rjcli.render.terminal import escape, print_json, say, warn


def victim_arg(value: str, what: str) -> str:
    """A victim's record id, or a clear error saying where ``what`` is recorded."""
    record_id = record_id_arg(value)
    if not record_id.startswith("V-"):
        raise BadInput(f"{what} is recorded on the victim's record (V-...), not on {record_id}")
    return record_id


def child_arg(value: str, what: str) -> str:
    """A child's record id, or a clear error."""
    record_id = record_id_arg(value)
    if not record_id.startswith("C-"):
        raise BadInput(f"{what} is recorded on the child's record (C-...), not on {record_id}",
                       hint="nothing about the child's work goes on a victim's record")
    return record_id


def day_option(text: str | None, what: str = "--date") -> date:
    """A date given with an option, default today."""
    ctx = current()
    return parse_day(text, ctx.today, what) or ctx.today


def refuse(problems: Iterable[str], hint: str | None = None) -> None:
    """Raise BadInput listing every problem at once, if there are any."""
    found = [p for p in problems if p]
    if found:
        raise BadInput("; ".join(found), hint=hint)


def warn_all(warnings: Iterable[str]) -> None:
    for message in warnings:
        warn(f"warning: {escape(message)}")


def save(record_id: str, mutate: Callable[[Any], None], action: str) -> dict[str, Any]:
    """Change the record under its lock (validated, atomic); returns the saved record."""
    return current().casebook.change(record_id, mutate, action)


def appender(key: str, entry: dict[str, Any]) -> Callable[[Any], None]:
    """A change that appends ``entry`` to the list ``key``."""
    def mutate(tree: Any) -> None:
        from rjcli.storage.edits import append

        append(tree, key, entry)

    return mutate


def setter(key: str, value: Any) -> Callable[[Any], None]:
    """A change that sets the top-level ``key``."""
    def mutate(tree: Any) -> None:
        from rjcli.storage.edits import set_in

        set_in(tree, [key], value)

    return mutate


def linked_children(victim: Victim) -> list[Child]:
    """The children linked to a victim that exist in the casebook."""
    casebook = current().casebook
    return [casebook.child(cid) for cid in victim.child_ids if casebook.exists(cid)]


def done(data: dict[str, Any], as_json: bool, message: str) -> None:
    """Print the record as JSON, or the one-line confirmation (already escaped)."""
    if as_json:
        print_json(data)
    else:
        say(message)
