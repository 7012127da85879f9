"""The workers of a cold index build (``Refreshing._rebuild``): each parses one record
file and works out everything the index stores of it, so that the main process only
writes rows. No SQL here.

The workers are forked, and inherit ``SHARED``: the policy, calendar and roles, and the
children, built once in the main process from the data their workers parsed (victims'
rules read their linked children: building a child costs a fifth of parsing it, and
unpickling one built elsewhere costs more than building it). The children's own rules
come last, in the main process (they are cheap): they read only their victims' workers,
and a victim is built for that only when a child names it (``Built``).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from rjcli.storage.index.rows import facts_of, items_text, links_of, parse_one

SHARED: dict[str, Any] = {}
"""Set before a rebuild forks its workers: ``policy``, ``cal``, ``roles``, and ``children``
(child id -> Child) before the victims' workers are forked."""

Row = tuple[Any, ...]
"""(path, data as JSON, problem, summary, links, is open, due items, rule instances,
worker, content digest, (allocation day, order end day, identifiers)); a child's row
ends with its parsed data, which the main process builds the child from."""


class Built(Mapping[str, Any]):
    """Records by id, each built (once) from its source when first read."""

    def __init__(self, sources: Mapping[str, Any], build: Callable[[str, Any], Any]) -> None:
        self._sources, self._build = sources, build
        self._built: dict[str, Any] = {}

    def __getitem__(self, record_id: str) -> Any:
        found = self._built.get(record_id)
        if found is None:
            found = self._built[record_id] = self._build(record_id, self._sources[record_id])
        return found

    def __contains__(self, record_id: object) -> bool:
        return record_id in self._sources

    def __iter__(self) -> Iterator[str]:
        return iter(self._sources)

    def __len__(self) -> int:
        return len(self._sources)


def worker_of(record_id: str, worker: str | None) -> Any:
    """What a child's rules read of a linked victim: its id and worker."""
    from rjcli.core.model import victim_from_dict

    return victim_from_dict({"id": record_id, "referral": {"worker": worker}})


def index_child(args: tuple[str, str]) -> Row:
    """Worker: parse one child's file and work out its row (its rules come last, once
    every victim's worker is known)."""
    from rjcli.core.model import child_from_dict
    from rjcli.core.summary import child_summary

    rel, data, problem, content = parse_one(args)
    if data is None:
        return (rel, None, problem, None, None, 0, "[]", "[]", None, content,
                (None, None, None), None)
    child = child_from_dict(data)
    return (rel, json.dumps(data), None, json.dumps(child_summary(child).as_json()),
            json.dumps(links_of("child", data)), int(child.is_open), "[]", "[]", None,
            content, facts_of(child), data)


def index_victim(args: tuple[str, str]) -> Row:
    """Worker: parse one victim's file and work out everything the index stores of it."""
    from rjcli.core.deadlines import victim_case
    from rjcli.core.model import victim_from_dict
    from rjcli.core.summary import victim_summary

    rel, data, problem, content = parse_one(args)
    if data is None:
        return rel, None, problem, None, None, 0, "[]", "[]", None, content, (None, None, None)
    victim = victim_from_dict(data)
    case = victim_case(victim, SHARED["children"], SHARED["roles"])
    items, evals = items_text(case, SHARED["policy"], SHARED["cal"], victim)
    return (rel, json.dumps(data), None, json.dumps(victim_summary(victim).as_json()),
            json.dumps(links_of("victim", data)), int(victim.is_open), items, evals,
            victim.referral.worker, content, facts_of(victim))
