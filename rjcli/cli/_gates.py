"""Holding a safety gate at the command line (rjcli.core.gates): refuse with what is
missing, or let a manager's override through and record it with the change."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Annotated, Any

import typer

from rjcli.cli.context import current
from rjcli.core.gates import Override, manager_hint, override_entry, override_problems
from rjcli.errors import BadInput, ChangeRefused

OverrideBy = Annotated[str | None, typer.Option(
    "--override-by", help="A manager (on the staff list) who decided this goes ahead although "
    "a safety gate refuses it; recorded with --override-reason.", show_default=False)]
OverrideReason = Annotated[str | None, typer.Option(
    "--override-reason", help="Why it goes ahead although a safety gate refuses it (recorded "
    "on the record, shown by rj timeline and rj explain).", show_default=False)]


def managers() -> list[str]:
    return [s.name for s in current().casebook.config.staff if s.role == "manager"]


def override_given(by: str | None, reason: str | None) -> Override | None:
    if by is None and reason is None:
        return None
    return Override(manager=by.strip() if by else None, reason=reason or "")


def hold(gate: str, missing: Sequence[str], override: Override | None, what: str,
         needs_manager: bool = True, entry: str | None = None) -> dict[str, Any] | None:
    """Refuse ``what`` when something is ``missing`` and no valid override is given.

    Returns the ``overrides`` entry to save with the change, or None when nothing was
    missing (an override given then is not needed and not recorded).
    """
    ctx = current()
    found = managers()
    problems = override_problems(override, needs_manager, found)
    if problems:
        raise BadInput("; ".join(problems), hint=manager_hint(found))
    if not missing:
        if override is not None:
            from rjcli.cli._work import warn_all

            warn_all([f"no safety gate holds {what}: the override was not needed and is not "
                      "recorded"])
        return None
    if override is None:
        hint = (manager_hint(found) if needs_manager else
                "to close it anyway, say why: --override-reason TEXT (recorded)")
        raise ChangeRefused(f"{what}: refused until this is recorded (safety gate {gate}):\n  - "
                            + "\n  - ".join(missing), hint=hint)
    return override_entry(ctx.new_id, gate, override, ctx.today, missing, ctx.worker, entry)


def with_override(mutate: Callable[[Any], None],
                  entry: dict[str, Any] | None) -> Callable[[Any], None]:
    """``mutate``, then the override appended to ``overrides`` in the same save."""
    if entry is None:
        return mutate

    def both(tree: Any) -> None:
        from rjcli.storage.edits import append

        mutate(tree)
        append(tree, "overrides", entry)

    return both
