"""The workers of a cold index build (``Refreshing._rebuild``) and of working out the
rule history it left for later (``RuleHistory.complete_rule_history``). No SQL here.

A cold build parses every file and works out its row (``rows.record_row``); the rules
of open records only are evaluated then: closed records' rule instances are read by
reports alone (``rj due`` shows open records' items), so the first report works them
out, from the data the index holds (``evaluate_record``), in two processes too.

The workers are forked, and inherit ``SHARED``: the policy, calendar and roles, and
the children's data as JSON (child id -> data). A victim's rules read its linked
children: each worker builds those it needs from the data, once (building a child
costs a fifth of parsing it, and unpickling one built elsewhere costs more than building
it). A child's rules come after every victim's, in the same workers: they read only its
victims' workers (``child_rules``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from rjcli.storage.index.rows import (
    Row,
    items_text,
    parse_one,
    record_row,
    row_view,
    unread_row,
)

if TYPE_CHECKING:
    from rjcli.core.model import Child, Victim

SHARED: dict[str, Any] = {}
"""Set before a rebuild forks its workers: ``policy``, ``cal``, ``roles``, and
``child_data`` (child id -> its data as JSON) before the victims' workers are forked;
for ``evaluate_record``, ``pending`` and ``workers`` (victim id -> its ``referral.worker``
as written) too."""
_BUILT: dict[str, Child] = {}
"""The children this process built from ``SHARED["child_data"]`` (a forked worker starts
with none; cleared with SHARED)."""


def prepare() -> None:
    """Before forking workers: import what they use (once, here, instead of once in each
    worker of each pool), and take the fast reader's path from the first record on."""
    import rjcli.core.deadlines
    import rjcli.core.due
    import rjcli.core.model
    import rjcli.core.summary  # noqa: F401
    from rjcli.storage import fastread, yamlio

    fastread.ryml_module()
    yamlio.fast_from_now()


def worker_of(record_id: str, worker: Any) -> Any:
    """What a child's rules read of a linked victim: its id and worker (``worker``: the
    victim's ``referral.worker`` as read, or as written in its data)."""
    from rjcli.core.model import victim_from_dict

    return victim_from_dict({"id": record_id, "referral": {"worker": worker}})


def linked_children(victim: Victim) -> dict[str, Child]:
    """The victim's linked children, built from ``SHARED["child_data"]`` once each."""
    from rjcli.core.model import child_from_dict

    data, out = SHARED["child_data"], {}
    for child_id in victim.child_ids:
        child = _BUILT.get(child_id)
        if child is None:
            raw = data.get(child_id)
            if raw is None:
                continue
            child = _BUILT[child_id] = child_from_dict(json.loads(raw))
        out[child_id] = child
    return out


def victim_rules(victim: Victim) -> tuple[str, str]:
    """(outstanding items, every rule instance) of one victim, as JSON for the index."""
    from rjcli.core.deadlines import victim_case

    case = victim_case(victim, linked_children(victim), SHARED["roles"])
    return items_text(case, SHARED["policy"], SHARED["cal"], victim)


def index_child(args: tuple[str, str]) -> Row:
    """Worker: the row of one child's file. Its rules come last, once every victim's
    worker is known, from the data in the row (``row[1]``)."""
    from rjcli.core.model import child_from_dict

    rel, data, problem, content, text = parse_one(args)
    if data is None:
        return unread_row(rel, problem, content)
    return record_row(rel, "child", data, child_from_dict(row_view(data)), content, None, None,
                      text)


def index_victim(args: tuple[str, str]) -> tuple[Row, str | None]:
    """Worker: (the row of one victim's file, with its rules evaluated if it is open;
    the victim's worker). A closed victim is built without the logs its row does not
    read (``rows.row_view``)."""
    from rjcli.core.model import victim_from_dict

    rel, data, problem, content, text = parse_one(args)
    if data is None:
        return unread_row(rel, problem, content), None
    victim = victim_from_dict(row_view(data))
    items = evals = None
    if victim.is_open:
        victim = victim_from_dict(data)
        items, evals = victim_rules(victim)
    return (record_row(rel, "victim", data, victim, content, items, evals, text),
            victim.referral.worker)


def child_rules(args: tuple[str, Mapping[str, Any]]) -> tuple[str, str, str]:
    """Worker: (items, rule instances, id) of one child whose data ``SHARED["child_data"]``
    holds, given the workers of the victims it links to (victim id -> worker)."""
    from rjcli.core.model import child_from_dict

    record_id, workers = args
    child = child_from_dict(json.loads(SHARED["child_data"][record_id]))
    return (*_child_items(child, workers), record_id)


def _child_items(child: Child, workers: Mapping[str, Any]) -> tuple[str, str]:
    """(outstanding items, every rule instance) of one child: its rules read only its
    victims' workers (victim id -> worker, as read or as written)."""
    from rjcli.core.deadlines import child_case

    victims = {ref.ref: worker_of(ref.ref, workers[ref.ref])
               for ref in child.victims if ref.ref in workers}
    case = child_case(child, victims, SHARED["roles"])
    return items_text(case, SHARED["policy"], SHARED["cal"], child)


def evaluate_record(n: int) -> tuple[str, str, str]:
    """Worker: (items, rule instances, record id) of ``SHARED["pending"][n]``: (kind, id,
    its data as the index holds it: JSON, is open; inherited, not sent: the data of 10,000
    records is 60 MB)."""
    from rjcli.core.model import child_from_dict, victim_from_dict

    kind, record_id, raw, _ = SHARED["pending"][n]
    if kind == "victim":
        return (*victim_rules(victim_from_dict(json.loads(raw))), record_id)
    return (*_child_items(child_from_dict(json.loads(raw)), SHARED["workers"]), record_id)


def clear() -> None:
    SHARED.clear()
    _BUILT.clear()
