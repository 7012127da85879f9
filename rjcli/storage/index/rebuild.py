"""The workers of a cold index build (``Refreshing._rebuild``): each parses one record
file and works out its row (``rows.record_row``), so that the main process only writes
rows. No SQL here.

The workers are forked, and inherit ``SHARED``: the policy, calendar and roles, and the
children, built once in the main process from the data their workers parsed (victims'
rules read their linked children: building a child costs a fifth of parsing it, and
unpickling one built elsewhere costs more than building it). The children's own rules
come last, in the main process (they are cheap): they read only their victims' workers.
"""

from __future__ import annotations

from typing import Any

from rjcli.storage.index.rows import Row, items_text, parse_one, record_row, unread_row

SHARED: dict[str, Any] = {}
"""Set before a rebuild forks its workers: ``policy``, ``cal``, ``roles``, and ``children``
(child id -> Child) before the victims' workers are forked."""


def worker_of(record_id: str, worker: str | None) -> Any:
    """What a child's rules read of a linked victim: its id and worker."""
    from rjcli.core.model import victim_from_dict

    return victim_from_dict({"id": record_id, "referral": {"worker": worker}})


def index_child(args: tuple[str, str]) -> tuple[Row, dict[str, Any] | None]:
    """Worker: (the row of one child's file, its parsed data to build the child from; None
    when unread). Its rules come last, once every victim's worker is known."""
    from rjcli.core.model import child_from_dict

    rel, data, problem, content = parse_one(args)
    if data is None:
        return unread_row(rel, problem, content), None
    return record_row(rel, "child", data, child_from_dict(data), content), data


def index_victim(args: tuple[str, str]) -> tuple[Row, str | None]:
    """Worker: (the row of one victim's file, rules evaluated; the victim's worker)."""
    from rjcli.core.deadlines import victim_case
    from rjcli.core.model import victim_from_dict

    rel, data, problem, content = parse_one(args)
    if data is None:
        return unread_row(rel, problem, content), None
    victim = victim_from_dict(data)
    case = victim_case(victim, SHARED["children"], SHARED["roles"])
    items, evals = items_text(case, SHARED["policy"], SHARED["cal"], victim)
    return (record_row(rel, "victim", data, victim, content, items, evals),
            victim.referral.worker)
