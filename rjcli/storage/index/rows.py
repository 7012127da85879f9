"""What the index stores of one record file, worked out from its bytes: reading and
parsing it, its summary, links and identifiers, and its due items and rule instances
as JSON. No SQL here; the rule engine, model and YAML parser are imported only when a
file is parsed (a fresh index is read without them).
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from rjcli.core.due import DueItem

if TYPE_CHECKING:
    from rjcli.core.calendar import WorkingCalendar
    from rjcli.core.model import Child, Victim
    from rjcli.core.policy import Policy

RACY_NS = 2_000_000_000
"""A file changed (mtime or ctime) less than 2 s before it was listed is read again next
time: within one tick of the file system's clock it could change again keeping its
size and times (git's "racy clean" rule; 2 s covers the coarsest clocks, FAT's)."""

Parsed = tuple[str, Any, tuple[int | None, int | None, str] | None, str | None, str | None]
"""(relative path, json-able data or None, problem or None, digest of the file's bytes,
the data as JSON or None)."""


def read_record(root: str, rel: str) -> tuple[bytes | None, str | None, Any]:
    """(bytes, their digest, problem) of one record file: the bytes are None when the
    file cannot be read or is too large (the problem says why)."""
    from rjcli.storage.recordfile import YamlProblem, read_bytes

    try:
        raw = read_bytes(os.path.join(root, rel))
    except YamlProblem as exc:
        return None, None, (exc.line, exc.column, exc.message)
    except OSError as exc:
        return None, None, (None, None, f"cannot read: {exc.strerror}")
    return raw, content_digest(raw), None


def content_digest(raw: bytes) -> str:
    """What the index keeps of a file's bytes, to tell whether they changed."""
    return hashlib.sha1(raw, usedforsecurity=False).hexdigest()


def parse_one(args: tuple[str, str], raw: bytes | None = None, content: str | None = None
              ) -> Parsed:
    """Worker: parse one file (``raw``: its bytes, when already read)."""
    root, rel = args
    problem = None
    if raw is None:
        raw, content, problem = read_record(root, rel)
    if raw is None:
        return rel, None, problem, None, None
    from rjcli.storage import yamlio

    try:
        data, text = yamlio.parse_json_text(yamlio.decode(raw))
    except yamlio.YamlProblem as exc:
        return rel, None, (exc.line, exc.column, exc.message), content, None
    if not isinstance(data, dict):
        return rel, None, (1, None, "not a record (expected a mapping of fields)"), content, None
    stem = record_id_of(rel)
    if data.get("id") != stem:
        problem = (1, None, f"id '{data.get('id')}' does not match file name {stem}")
        return rel, None, problem, content, None
    return rel, data, None, content, text


def record_id_of(rel: str) -> str:
    """The record id a file's name gives (``Path(rel).stem``, without making a Path)."""
    name = rel[rel.rfind("/") + 1:]
    dot = name.rfind(".")
    return name[:dot] if 0 < dot < len(name) - 1 else name


def is_racy(mtime: int, ctime: int, listed: int) -> bool:
    """Whether a file changed so shortly before listed (ns since the epoch) that its
    size and times may not tell a later change apart. The ctime counts too: a hand edit
    that restores the mtime (``os.utime``) still moves the ctime."""
    return max(mtime, ctime) > listed - RACY_NS


def trusted_mtime(mtime: int, ctime: int) -> int:
    """The mtime to keep of a file, or -1 when it is racy now: read again next time."""
    return -1 if is_racy(mtime, ctime, time.time_ns()) else mtime


def tick_one(tick: Callable[[int], None] | None) -> None:
    if tick is not None:
        tick(1)


Row = tuple[Any, ...]
"""What the index stores of one file, for ``RecordRows._insert``: (path, data as JSON,
problem, summary, links, is open, due items, rule instances, content digest, (allocation
day, order end day, identifiers))."""


ROW_SKIPS = frozenset({"contacts", "consents", "appointments"})
"""The logs a record's row does not read: its summary, whether it is open, its
allocation or order end day and its identifiers come from the other fields (a test,
tests/test_rule_history.py, holds every sample and generated record to it). Building
the contact log is most of the cost of building a record."""


def row_view(data: dict[str, Any]) -> dict[str, Any]:
    """A record's data less the logs its row does not read (``ROW_SKIPS``): what a cold
    build builds a closed record from."""
    return {k: v for k, v in data.items() if k not in ROW_SKIPS}


def unread_row(rel: str, problem: Any, content: str | None) -> Row:
    """The row of a file that could not be read as a record (``problem`` says why)."""
    return rel, None, problem, None, None, 0, "[]", "[]", content, (None, None, None)


def record_row(rel: str, kind: str, data: dict[str, Any], record: Victim | Child,
               content: str | None, items: str | None = "[]", evals: str | None = "[]",
               data_text: str | None = None) -> Row:
    """The row of a record read from ``data`` (its rules' items and instances, when
    worked out already; None: not worked out yet, see ``rebuild.py``; ``data_text``: the
    data as JSON, when read as JSON already)."""
    from rjcli.core.model import Victim
    from rjcli.core.summary import child_summary, victim_summary

    summary = (victim_summary(record) if isinstance(record, Victim)
               else child_summary(record))
    return (rel, data_text or json.dumps(data), None, json.dumps(summary.as_json()),
            json.dumps(links_of(kind, data)), int(record.is_open), items, evals, content,
            facts_of(record))


def facts_of(record: Victim | Child | None) -> tuple[int | None, int | None, str | None]:
    """(allocation day, order end day, as ordinals; identifiers as JSON) of a record: what
    a quarterly report selects records by, and keeps out of its text."""
    from rjcli.core.model import Victim, identifiers_of

    if record is None:
        return None, None, None
    if isinstance(record, Victim):
        day, end = record.referral.allocated, None
    else:
        day, end = None, record.order_end
    return (day.toordinal() if day else None, end.toordinal() if end else None,
            json.dumps(identifiers_of(record)))


def links_of(kind: str, data: dict[str, Any]) -> list[str]:
    if kind == "victim":
        return [str(c.get("child")) for c in data.get("children") or [] if isinstance(c, dict)]
    return [str(v.get("ref")) for v in data.get("victims") or [] if isinstance(v, dict)]


def record_links(record: Victim | Child) -> tuple[str, ...]:
    from rjcli.core.model import Victim

    if isinstance(record, Victim):
        return record.child_ids
    return tuple(ref.ref for ref in record.victims)


def items_text(case: Any, policy: Policy, cal: WorkingCalendar,
               record: Victim | Child) -> tuple[str, str]:
    """(outstanding items, every rule instance) of one record, as JSON for the index.

    Rule instances are kept compactly (rule id, applies, due, met) for reports: their
    timeliness figures need every instance, met or not, and re-evaluating 15,000 records
    for each report costs seconds.
    """
    from rjcli.core.deadlines import evaluate_case
    from rjcli.core.due import items_from

    evaluations = evaluate_case(case, policy, cal)
    items = items_from(evaluations, {record.id: record.name or ""})
    compact = [[e.rule.id, e.timing_code, e.due.toordinal() if e.due else None,
                e.met_on.toordinal() if e.met_on else None] for e in evaluations]
    return json.dumps([item_json(i) for i in items]), json.dumps(compact)


def item_json(item: DueItem) -> list[Any]:
    return [item.case, item.name, item.rule, item.title, item.due.toordinal(), item.worker,
            item.source, item.counts_from, item.instance]


def item_from(raw: list[Any]) -> DueItem:
    case, name, rule, title, due, worker, source, counts_from, instance = raw
    return DueItem(case, name, rule, title, date.fromordinal(due), worker, source, counts_from,
                   instance)

