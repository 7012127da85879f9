"""What listings, ``rj due`` and reports read: record summaries and due work.

Served from the rebuildable index when it is fresh (see ``index.py``), else by
reading every file; both paths give identical results.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rjcli.core.problems import Problem
from rjcli.core.summary import RecordSummary, child_summary, victim_summary
from rjcli.storage.casebook import Casebook


@dataclass
class Snapshot:
    records: list[RecordSummary] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def summaries(casebook: Casebook, use_cache: bool = True) -> Snapshot:
    """Every record's summary, sorted by folder then id, and the unreadable files."""
    loaded = casebook.load_all()
    records = [victim_summary(v) for v in loaded.victims.values()]
    records += [child_summary(c) for c in loaded.children.values()]
    records.sort(key=lambda s: (s.folder != "victims", s.id))
    return Snapshot(records=records, problems=sorted(loaded.problems))
