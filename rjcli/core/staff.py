"""Which member of staff a typed name means (pure).

``--worker``, ``--case-holder``, ``--manager``, ``--facilitator`` and ``RJ_WORKER`` must
name someone on the staff list in rj.yaml: case and spacing are forgiven, and a first name
that only one member of staff has is taken as their full name. Anything else is refused
with the names it might have meant, so that no case is allocated to nobody.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rjcli.core.problems import Problem

if TYPE_CHECKING:
    from rjcli.core.config import StaffMember
    from rjcli.core.model import Child, Victim


def _plain(name: str) -> str:
    return " ".join(name.split()).casefold()


@dataclass(frozen=True)
class NameMatch:
    """The member of staff a typed name means, or why there is none."""

    name: str | None
    """The staff member's full name as written in rj.yaml; None when there is no match."""
    problem: str | None = None
    """Why the name was not taken (None when it was)."""
    suggestions: tuple[str, ...] = ()
    """Staff names it may have meant."""


def match_staff(typed: str, staff: Sequence[str],
                formerly: Mapping[str, str] | None = None) -> NameMatch:
    """The one member of ``staff`` that ``typed`` names (full name, any case or spacing;
    or a first name only one of them has; or a name in ``formerly``, a former name ->
    the name now)."""
    wanted = _plain(typed)
    if not wanted:
        return NameMatch(None, "no name given")
    by_plain = {_plain(s): s for s in staff}
    if wanted in by_plain:
        return NameMatch(by_plain[wanted])
    former = {_plain(old): now for old, now in (formerly or {}).items() if now in staff}
    if wanted in former:
        return NameMatch(former[wanted])
    if " " not in wanted:
        firsts = [s for s in staff if _plain(s).split(" ")[0] == wanted]
        if len(firsts) == 1:
            return NameMatch(firsts[0])
        if len(firsts) > 1:
            return NameMatch(None, f"'{typed.strip()}' could be any of "
                             + ", ".join(firsts) + "; give the full name", tuple(firsts))
    close = difflib.get_close_matches(wanted, list(by_plain), n=3, cutoff=0.6)
    firsts_close = [p for p in by_plain if wanted.split(" ")[0] == p.split(" ")[0]
                    and p not in close]
    suggestions = tuple(by_plain[p] for p in [*close, *firsts_close])
    return NameMatch(None, f"'{typed.strip()}' is not on the staff list", suggestions)


def check_allocations(victims: Mapping[str, Victim], children: Mapping[str, Child],
                      paths: Mapping[str, str], staff: Sequence[StaffMember]) -> list[Problem]:
    """Open cases allocated to nobody on the staff list, or to someone retired (warnings:
    ``rj due`` would show their work to nobody). Nothing to check without a staff list."""
    held: list[tuple[str, str | None, str]] = [
        *((v.id, v.referral.worker, "allocated to") for v in victims.values()
          if v.status == "open"),
        *((c.id, c.case_holder, "case holder") for c in children.values() if c.status == "open"),
    ]
    return allocation_problems(held, paths, staff)


def allocation_problems(held: Sequence[tuple[str, str | None, str]], paths: Mapping[str, str],
                        staff: Sequence[StaffMember]) -> list[Problem]:
    """:func:`check_allocations` of the open cases ``held`` (record id, worker or case
    holder, "allocated to" or "case holder"): the index keeps these without building
    records."""
    if not staff:
        return []
    current = {_plain(s.name): s for s in staff}
    current.update({_plain(old): s for s in staff for old in s.formerly})
    problems = []
    for record_id, name, role in held:
        if not name:
            continue
        member = current.get(_plain(name))
        if member is None:
            message = f"{role} {name}, who is not on the staff list in rj.yaml"
        elif member.retired is not None:
            message = (f"{role} {member.name}, who retired on {member.retired}: "
                       f'rj staff retire "{member.name}" --reassign-to NAME')
        else:
            continue
        problems.append(Problem(paths.get(record_id, record_id), None, message,
                                severity="warning"))
    return problems
