"""The rebuildable index: what listings, ``rj due`` and reports need, without parsing
thousands of YAML files on every run.

A git-ignored SQLite file, ``.rj/index.sqlite`` (owner-only), holds one row per record
file, keyed by path, size, mtime_ns and ctime_ns (which moves on every write): the
digest of its bytes, the parse problem (if any), the record's summary, its parsed data
(as JSON), its outstanding due items and every rule instance (for reports). The
``due`` table holds the items of open records, all that a warm ``rj due`` reads.

A run lists every file with its stat (``listing.py``, ~60 ms for 15,000) and stops
there when nothing changed. Otherwise it compares the listing in chunks with what it
holds, reads the files whose stat changed, parses only those whose bytes changed (a
file touched or checked out unchanged costs a read, not a parse), deletes the rows of
files gone, and re-evaluates the rules of those records and of the records linked to
them. A file changed within 2 s of being listed is read again next time (git's "racy
clean" rule). A file rj writes is taken in at once (write-through) and looked for by
the next refresh. The policy, staff roles and bank holidays are kept here too.

The whole index is rebuilt when its fingerprint changes (index layout, rj version),
and deleted and rebuilt when SQLite reports corruption. A change of settings (rj.yaml,
a policy profile, a checklist) parses nothing again: when the policy or the calendar
the rules read differ, every record's rules are evaluated again from the stored data;
when only the first manager or admin on the staff list changed, their items change
hands; otherwise (a new colleague, a service address) nothing is redone. It is only
ever a cache: ``--no-cache`` (or any trouble taking its lock) reads the files instead,
with identical results.

The modules, each importing only those before it: ``schema`` (tables, fingerprint,
the owner-only file), ``rows`` (what is stored of one file; no SQL), ``store`` (the
connection, meta, the listing last seen), ``records`` (the rows kept in step, rules
re-evaluated), then ``refresh``, ``writes`` (write-through), ``rebuild`` (a cold
build's workers) and ``history`` (the closed records' rule instances a cold build
leaves for the first report), ``verdicts`` (what the report redactor judged, kept),
``queries`` and
``checkcache`` (what ``rj check`` keeps: each file's own problems and privacy findings).
"""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path
from typing import Any

from rjcli.errors import LockTimeout
from rjcli.storage.casebook import Casebook
from rjcli.storage.index.checkcache import CheckCache
from rjcli.storage.index.queries import Queries
from rjcli.storage.index.refresh import Refreshed, Refreshing
from rjcli.storage.index.writes import WriteThrough

__all__ = ["Index", "Refreshed", "note_written", "open_index"]


class Index(Refreshing, WriteThrough, Queries, CheckCache):
    """The SQLite index of one casebook."""


def note_written(casebook: Casebook, path: Path, raw: bytes, today: date) -> None:
    """After rj writes a record: take it into the index, if there is one (write-through).
    Never fails the command: the index is a cache, and the next refresh reads the file
    anyway if this could not be done (a file the index could not take in this way is
    not in its listing either: the next refresh finds it as a new file)."""
    index = WriteThrough(casebook)
    if not index.path.is_file():
        return
    try:
        index.written(casebook.rel(path), raw, today)
    except (LockTimeout, sqlite3.Error, OSError):
        pass
    finally:
        index.close()


def open_index(casebook: Casebook, today: date, progress: Any = None) -> Index | None:
    """A fresh index, or None when it cannot be had (locked too long): read files then."""
    index = Index(casebook)
    try:
        index.refresh(today, progress)
    except (LockTimeout, sqlite3.Error, OSError):
        index.close()
        return None
    return index
