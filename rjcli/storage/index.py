"""The rebuildable index: what listings, ``rj due`` and reports need, without parsing
thousands of YAML files on every run.

A git-ignored SQLite file, ``.rj/index.sqlite``, holds one row per record file, keyed
by path, size, mtime_ns and ctime_ns (which moves on every write): the digest of its
bytes, the parse problem (if any), the record's summary, its parsed data (as JSON),
its outstanding due items and every rule instance (for reports). The ``due`` table
holds the items of open records, all that a warm ``rj due`` reads.

A run lists every file with its stat (``listing.py``, ~60 ms for 15,000) and stops
there when nothing changed. Otherwise it compares the listing in chunks with what it
holds, reads the files whose stat changed, parses only those whose bytes changed (a
file touched or checked out unchanged costs a read, not a parse), and re-evaluates
the rules of those records and of the records linked to them. A file changed within
0.1 s of being indexed is read again next time (git's "racy clean" rule). The policy,
staff roles and bank holidays are kept here too.

The whole index is rebuilt when its fingerprint changes (index layout, rj version,
any policy profile, rj.yaml, the checklists), and deleted and rebuilt when SQLite
reports corruption. It is only ever a cache: ``--no-cache`` (or any trouble taking
its lock) reads the files instead, with identical results.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rjcli import __version__
from rjcli.core.calendar import WorkingCalendar
from rjcli.core.due import DueItem
from rjcli.core.problems import Problem
from rjcli.core.summary import RecordSummary
from rjcli.errors import LockTimeout
from rjcli.shipped import shipped_dir
from rjcli.storage.atomic import locked
from rjcli.storage.casebook import Casebook, Loaded
from rjcli.storage.listing import Listing, Stat, files_of, listing

if TYPE_CHECKING:
    from rjcli.core.model import Child, Identifiers, Victim
    from rjcli.core.policy import Policy

# Reading a fresh index needs none of the YAML, model or rule code: those are imported
# by the functions that build rows, only when files changed.

LAYOUT = 12
"""Bump when what is stored in the tables changes (a change to TABLES rebuilds anyway)."""
TABLES = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value BLOB);
CREATE TABLE IF NOT EXISTS files (
    path TEXT PRIMARY KEY, kind TEXT, size INTEGER, mtime_ns INTEGER,
    ctime_ns INTEGER,
    record_id TEXT, problem TEXT, summary TEXT, data TEXT, links TEXT,
    is_open INTEGER, items TEXT, evals TEXT, content TEXT,
    allocated INTEGER, order_end INTEGER, people TEXT);
CREATE INDEX IF NOT EXISTS files_by_record ON files (record_id);
CREATE INDEX IF NOT EXISTS victims_by_allocation ON files (allocated) WHERE kind='victim';
CREATE INDEX IF NOT EXISTS children_by_order_end ON files (order_end) WHERE kind='child';
CREATE INDEX IF NOT EXISTS files_with_problems ON files (path)
    WHERE problem IS NOT NULL;
CREATE TABLE IF NOT EXISTS due (record_id TEXT PRIMARY KEY, items TEXT);
CREATE TABLE IF NOT EXISTS checks (
    path TEXT PRIMARY KEY, size INTEGER, mtime_ns INTEGER, ctime_ns INTEGER,
    problems TEXT);
"""
"""The index's tables: part of its fingerprint, so an index made with other tables is
rebuilt, never read."""
ROW = ",".join("?" * 17)
"""Placeholders of a row of ``files``."""
RACY_NS = 100_000_000
"""A file modified less than 0.1 s before it was indexed is read again next time."""
PARALLEL_FROM = 400
"""Parse in two processes when this many files changed (a cold build)."""
WHOLE_FROM = 300
"""Re-evaluate by streaming every record when more than this many are affected."""



@dataclass
class Refreshed:
    """What a refresh found."""

    changed: int = 0
    removed: int = 0
    rebuilt: bool = False
    problems: list[Problem] = field(default_factory=list)


def checklists_fingerprint(casebook: Casebook) -> bytes:
    digest = hashlib.sha256()
    for folder in (shipped_dir("policy") / "checklists", casebook.root / "policy" / "checklists"):
        for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
            digest.update(path.name.encode() + path.read_bytes())
    return digest.digest()


def fingerprint(casebook: Casebook) -> str:
    from rjcli.storage.policy import policy_fingerprint

    parts = f"{LAYOUT}:{__version__}:{TABLES}:{policy_fingerprint(casebook)}".encode()
    return hashlib.sha256(parts + checklists_fingerprint(casebook)).hexdigest()[:20]


Parsed = tuple[str, Any, tuple[int | None, int | None, str] | None, str | None]
"""(relative path, json-able data or None, problem or None, digest of the file's bytes)."""


def _read(root: str, rel: str) -> tuple[bytes | None, str | None, Any]:
    """(bytes, their digest, problem) of one record file: the bytes are None when the
    file cannot be read or is too large (the problem says why)."""
    from rjcli.storage.recordfile import YamlProblem, read_bytes

    try:
        raw = read_bytes(Path(root) / rel)
    except YamlProblem as exc:
        return None, None, (exc.line, exc.column, exc.message)
    except OSError as exc:
        return None, None, (None, None, f"cannot read: {exc.strerror}")
    return raw, _content_digest(raw), None


def _content_digest(raw: bytes) -> str:
    """What the index keeps of a file's bytes, to tell whether they changed."""
    return hashlib.sha1(raw, usedforsecurity=False).hexdigest()


def _parse_one(args: tuple[str, str], raw: bytes | None = None, content: str | None = None
               ) -> Parsed:
    """Worker: parse one file (``raw``: its bytes, when already read)."""
    root, rel = args
    problem = None
    if raw is None:
        raw, content, problem = _read(root, rel)
    if raw is None:
        return rel, None, problem, None
    from rjcli.storage import yamlio
    from rjcli.storage.schemas import to_json

    try:
        data = yamlio.parse_text(yamlio.decode(raw))
    except yamlio.YamlProblem as exc:
        return rel, None, (exc.line, exc.column, exc.message), content
    if not isinstance(data, dict):
        return rel, None, (1, None, "not a record (expected a mapping of fields)"), content
    stem = Path(rel).stem
    if data.get("id") != stem:
        problem = (1, None, f"id '{data.get('id')}' does not match file name {stem}")
        return rel, None, problem, content
    return rel, to_json(data), None, content


def _trusted_mtime(mtime: int) -> int:
    """A file changed less than RACY_NS ago could change again within the same clock tick
    keeping its size and mtime: store -1 so it is read again next time (git's "racy
    clean" rule)."""
    return -1 if time.time_ns() - mtime < RACY_NS else mtime


def _tick(tick: Callable[[int], None] | None) -> None:
    if tick is not None:
        tick(1)


_SHARED: dict[str, Any] = {}
"""Set before a rebuild forks its workers, which inherit it: policy, calendar, roles and
the children (victims' rules read their linked children)."""


def _index_victim(args: tuple[str, str]) -> tuple[Any, ...]:
    """Worker: parse one victim file and compute everything the index stores for it."""
    from rjcli.core.deadlines import victim_case
    from rjcli.core.model import victim_from_dict
    from rjcli.core.summary import victim_summary

    rel, data, problem, content = _parse_one(args)
    if data is None:
        return rel, None, problem, None, None, 0, "[]", "[]", None, content, (None, None, None)
    victim = victim_from_dict(data)
    case = victim_case(victim, _SHARED["children"], _SHARED["roles"])
    items, evals = _items_text(case, _SHARED["policy"], _SHARED["cal"], victim)
    return (rel, json.dumps(data), None, json.dumps(asdict(victim_summary(victim))),
            json.dumps(_links("victim", data)), int(victim.is_open), items, evals,
            victim.referral.worker, content, _facts(victim))


def _facts(record: Victim | Child | None) -> tuple[int | None, int | None, str | None]:
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


class Index:
    """The SQLite index of one casebook."""

    def __init__(self, casebook: Casebook) -> None:
        self.casebook = casebook
        self.path = casebook.cache_dir / "index.sqlite"
        self.db: sqlite3.Connection | None = None

    # --- opening -----------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, timeout=5)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.executescript(TABLES)
        return db

    def open(self) -> sqlite3.Connection:
        if self.db is None:
            try:
                self.db = self._connect()
                self.db.execute("SELECT count(*) FROM files").fetchone()
            except sqlite3.DatabaseError:
                self.drop()
                self.db = self._connect()
        return self.db

    def drop(self) -> None:
        """Delete the index (it is rebuilt from the files on the next run)."""
        if self.db is not None:
            with contextlib.suppress(sqlite3.Error):
                self.db.close()
            self.db = None
        for suffix in ("", "-wal", "-shm"):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(str(self.path) + suffix)

    def close(self) -> None:
        """Commit what was cached on the way (policy, calendar) and close."""
        if self.db is not None:
            with contextlib.suppress(sqlite3.Error):
                self.db.commit()
            self.db.close()
            self.db = None

    def meta(self, key: str) -> Any:
        row = self.open().execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: Any) -> None:
        self.open().execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    # --- policy and calendar, cached ------------------------------------------------

    def policy(self) -> Policy:
        import marshal

        from rjcli.core.policy import policy_from_plain

        blob = self.meta("policy")
        if blob is not None:
            with contextlib.suppress(ValueError, EOFError, TypeError, KeyError):
                return policy_from_plain(marshal.loads(blob))
        from rjcli.storage.policy import load_policy

        policy = load_policy(self.casebook)
        self.set_meta("policy", marshal.dumps(asdict(policy)))
        return policy

    def roles(self) -> dict[str, str]:
        """The first staff member of each role (rules name who does what), kept here so a
        refresh need not read rj.yaml (whose changes rebuild the index anyway)."""
        raw = self.meta("roles")
        if raw is not None:
            return json.loads(raw)  # type: ignore[no-any-return]
        from rjcli.storage.snapshot import staff_by_role

        roles = staff_by_role(self.casebook)
        self.set_meta("roles", json.dumps(roles))
        return roles

    def calendar(self, today: date) -> WorkingCalendar:
        from rjcli.storage.policy import calendar_years

        years = calendar_years(today)
        key = f"calendar:{years.start}-{years.stop}"
        raw = self.meta(key)
        if raw is not None:
            return WorkingCalendar(frozenset(date.fromordinal(n) for n in json.loads(raw)))
        from rjcli.storage.policy import load_calendar

        cal = load_calendar(self.casebook, today)
        self.set_meta(key, json.dumps(sorted(d.toordinal() for d in cal.non_working)))
        return cal

    # --- refresh ------------------------------------------------------------------------

    def refresh(self, today: date, progress: Callable[[int, int], Callable[[int], None]] | None = None
                ) -> Refreshed:
        """Bring the index up to date with the files; returns what changed."""
        try:
            with locked(self.casebook.lock_path("index"), "the index", wait=10):
                return self._refresh(today, progress)
        except sqlite3.DatabaseError:
            self.drop()
            with locked(self.casebook.lock_path("index"), "the index", wait=10):
                return self._refresh(today, progress)

    def _refresh(self, today: date, progress: Any) -> Refreshed:
        db = self.open()
        result = Refreshed()
        wanted = fingerprint(self.casebook)
        if self.meta("fingerprint") != wanted:
            # another rj version, policy or layout: start from an empty file
            self.drop()
            db = self.open()
            self.set_meta("fingerprint", wanted)
            result.rebuilt = True
        # files changed since the listing began (or just before) count as racy
        started, files = listing(self.casebook.root)
        whole = files.digest
        if not result.rebuilt and self.meta("scan") == whole:
            return result  # the same files, unchanged since the last run
        chunks, digests = files.chunks, dict(files.digests)
        stored = self._chunk_digests()
        stale = {k for k in digests.keys() | stored.keys() if digests.get(k) != stored.get(k)}
        self._touched: set[str] | None = set()  # records whose items may have changed (all: None)
        result = self._update(files, stale, today, progress, result)
        # what the files table now holds of each file, racy ones marked to be read again
        threshold = started - RACY_NS
        saved = {}
        for key in stale & chunks.keys():
            names, stats = chunks[key]
            marked = [(size, -1, ctime) if mtime > threshold else (size, mtime, ctime)
                      for size, mtime, ctime in stats]
            if marked != stats:
                digests[key] = ""  # compared again next time
            saved[key] = (names, marked)
        self._save_chunks(saved, stale - chunks.keys(), digests)
        self.set_meta("scan", None if "" in digests.values() else whole)
        self._save_due_items()
        db.commit()
        return result

    def _save_due_items(self) -> None:
        """Keep the ``due`` table (the outstanding items of each open record that has
        any: all a warm ``rj due`` reads) in step with the files table: only the touched
        records' rows after a few changes, every row after a rebuild."""
        db = self.open()
        touched = self._touched
        if touched is None:
            db.execute("DELETE FROM due")
            db.execute("INSERT OR REPLACE INTO due SELECT record_id, items FROM files "
                       "WHERE is_open=1 AND items != '[]' AND record_id IS NOT NULL")
            return
        ids = [(record_id,) for record_id in touched]
        db.executemany("DELETE FROM due WHERE record_id=?", ids)
        db.executemany("INSERT OR REPLACE INTO due SELECT record_id, items FROM files "
                       "WHERE record_id=? AND is_open=1 AND items != '[]'", ids)

    def _update(self, files: Listing, stale: set[str], today: date, progress: Any,
                result: Refreshed) -> Refreshed:
        """Bring the files table up to date with the stale chunks' files (every file,
        when so many changed that a two-process rebuild is quicker; ``stale`` then grows
        to every chunk)."""
        db = self.open()
        chunks = files.chunks
        on_disk = files_of({k: chunks[k] for k in stale & chunks.keys()})
        known = self._known_stats(stale)
        removed = [p for p in known if p not in on_disk]
        changed = [p for p, (_, stat) in on_disk.items() if known.get(p, ("", None))[1] != stat]
        result.changed, result.removed = len(changed), len(removed)
        if not changed and not removed:
            return result
        tick = progress(len(files), 0) if progress and len(changed) > 300 else None
        if len(changed) >= PARALLEL_FROM and (os.cpu_count() or 1) > 1:
            stale |= chunks.keys() | self._chunk_digests().keys()
            self._rebuild(files.files(), today, tick)
            self._touched = None
            return result
        root = str(self.casebook.root)
        reread = []
        for rel in changed:
            raw, content, problem = _read(root, rel)
            if content is not None and self._holds(rel, content):
                # touched, checked out again, or racy last time: the same bytes, the same
                # row (no parse, no YAML parser even imported)
                _, (size, mtime, ctime) = on_disk[rel]
                db.execute("UPDATE files SET size=?, mtime_ns=?, ctime_ns=? WHERE path=?",
                           (size, _trusted_mtime(mtime), ctime, rel))
            else:
                reread.append((rel, raw, content, problem))
        result.changed = len(reread)
        affected = self._affected_ids(removed, [rel for rel, *_ in reread])
        affected |= {Path(p).stem for p in removed}
        db.executemany("DELETE FROM files WHERE path=?", [(p,) for p in removed])
        for rel, raw, content, problem in reread:
            affected |= self._reread(rel, on_disk[rel], raw, content, problem)
        self._evaluate(affected, today)
        self._touched = affected
        db.commit()
        return result

    def _reread(self, rel: str, found: tuple[str, Stat], raw: bytes | None,
                content: str | None, problem: Any) -> set[str]:
        """Store one file's row from its bytes (``raw``; None when unreadable, ``problem``
        says why); returns the ids whose due items may change with it."""
        data = None
        if raw is not None:
            _, data, problem, content = _parse_one((str(self.casebook.root), rel), raw, content)
        self._store(rel, found, data, problem, content)
        ids = {Path(rel).stem}
        if data is not None:
            ids.add(str(data["id"]))
            ids |= set(_links(found[0], data))
        return ids

    def written(self, rel: str, raw: bytes, today: date) -> bool:
        """Take in a record file rj has just written (``raw``: the bytes it wrote), so that
        the next run finds it here and need not parse it. Does nothing (False) when the
        index is for another policy or rj version, or the file no longer holds these
        bytes (someone changed it again: the next refresh reads it)."""
        from rjcli.storage.listing import KIND_OF_FOLDER
        from rjcli.storage.recordfile import YamlProblem, read_bytes

        with locked(self.casebook.lock_path("index"), "the index", wait=0.5):
            if self.meta("fingerprint") != fingerprint(self.casebook):
                return False
            try:
                if read_bytes(self.casebook.root / rel) != raw:
                    return False
            except (OSError, YamlProblem):
                return False
            content = _content_digest(raw)
            if self._holds(rel, content):
                return True
            # its stat is left unknown (-1): the next refresh compares the file's bytes
            # with these (a read, no parse) and takes its stat then
            found = (KIND_OF_FOLDER[rel.partition("/")[0]], (len(raw), -1, 0))
            affected = self._affected_ids([], [rel]) | self._reread(rel, found, raw, content,
                                                                     None)
            self._evaluate(affected, today)
            self._touched = affected
            self._save_due_items()
            self.open().commit()
            return True

    def _holds(self, rel: str, content: str) -> bool:
        """Whether the index holds this file with exactly this content."""
        row = self.open().execute("SELECT content FROM files WHERE path=?", (rel,)).fetchone()
        return row is not None and row[0] == content

    def _chunk_digests(self) -> dict[str, str]:
        import marshal

        blob = self.meta("chunks")
        if blob is not None:
            with contextlib.suppress(ValueError, EOFError, TypeError):
                return marshal.loads(blob)  # type: ignore[no-any-return]
        return {}

    def _known_stats(self, keys: Iterable[str]) -> dict[str, tuple[str, Stat]]:
        """What the index holds of the files of these chunks (one small blob each)."""
        import marshal

        held = {}
        for key in keys:
            blob = self.meta(f"chunk:{key}")
            if blob is not None:
                with contextlib.suppress(ValueError, EOFError, TypeError):
                    held[key] = marshal.loads(blob)
        return files_of(held)

    def _save_chunks(self, chunks: dict[str, tuple[list[str], list[Stat]]], gone: set[str],
                     digests: dict[str, str]) -> None:
        """Save what the files table now holds of the files of these chunks, forget the
        chunks past the end of a shorter listing, and save every chunk's digest (one
        whose digest is "" is compared again next time)."""
        import marshal

        for key, chunk in chunks.items():
            self.set_meta(f"chunk:{key}", marshal.dumps(chunk))
        self.open().executemany("DELETE FROM meta WHERE key=?", [(f"chunk:{k}",) for k in gone])
        self.set_meta("chunks", marshal.dumps(digests))

    def _rebuild(self, on_disk: dict[str, tuple[str, Stat]], today: date,
                 tick: Callable[[int], None] | None) -> None:
        """Index every file afresh in two processes: children first (victims' rules read
        them), then victims parsed, summarised and evaluated in the workers, then the
        children's own rules. Only what the index stores comes back to this process."""
        import multiprocessing

        from rjcli.core.deadlines import child_case
        from rjcli.core.model import child_from_dict, victim_from_dict

        db = self.open()
        db.execute("DELETE FROM files")
        root = str(self.casebook.root)
        rels = {kind: sorted(r for r, (k, _) in on_disk.items() if k == kind)
                for kind in ("victim", "child")}
        _SHARED.clear()
        _SHARED.update(policy=self.policy(), cal=self.calendar(today),
                       roles=self.roles(), children={})
        context = multiprocessing.get_context("fork")
        with context.Pool(2) as pool:
            for rel, data, problem, content in pool.imap(
                    _parse_one, [(root, r) for r in rels["child"]], chunksize=64):
                self._store(rel, on_disk[rel], data, problem, content)
                if data is not None:
                    _SHARED["children"][str(data["id"])] = child_from_dict(data)
                _tick(tick)
        workers: dict[str, Victim] = {}
        with context.Pool(2) as pool:
            for row in pool.imap(_index_victim, [(root, r) for r in rels["victim"]], chunksize=32):
                (rel, data_text, problem, summary, links, is_open, items, evals, worker,
                 content, facts) = row
                kind, (size, mtime, ctime) = on_disk[rel]
                record_id = Path(rel).stem if data_text is not None else None
                db.execute(f"INSERT OR REPLACE INTO files VALUES ({ROW})",
                           (rel, kind, size, _trusted_mtime(mtime), ctime, record_id,
                            json.dumps(problem) if problem else None, summary, data_text,
                            links, is_open, items, evals, content, *facts))
                if record_id:
                    workers[record_id] = victim_from_dict({"id": record_id,
                                                           "referral": {"worker": worker}})
                _tick(tick)
        policy, cal, roles = _SHARED["policy"], _SHARED["cal"], _SHARED["roles"]
        db.executemany("UPDATE files SET items=?, evals=? WHERE record_id=?", [
            (*_items_text(child_case(c, workers, roles), policy, cal, c), rid)
            for rid, c in _SHARED["children"].items()])
        _SHARED.clear()

    def _affected_ids(self, removed: list[str], changed: list[str]) -> set[str]:
        """Records whose rules may read a removed or changed record (its links)."""
        ids: set[str] = set()
        db = self.open()
        for rel in removed + changed:
            row = db.execute("SELECT record_id, links FROM files WHERE path=?", (rel,)).fetchone()
            if row and row[0]:
                ids.add(row[0])
                ids |= set(json.loads(row[1] or "[]"))
        return ids

    def _store(self, rel: str, found: tuple[str, Stat], data: Any, problem: Any,
               content: str | None) -> None:
        from rjcli.core.model import Victim, child_from_dict, victim_from_dict
        from rjcli.core.summary import child_summary, victim_summary

        kind, (size, mtime, ctime) = found
        mtime = _trusted_mtime(mtime)
        record_id = Path(rel).stem if data is not None else None
        problem_json = json.dumps(problem) if problem else None
        summary = links = record = None
        is_open = 0
        if data is not None:
            record = victim_from_dict(data) if kind == "victim" else child_from_dict(data)
            summary_value = (victim_summary(record) if isinstance(record, Victim)
                             else child_summary(record))
            summary = json.dumps(asdict(summary_value))
            links = json.dumps(_links(kind, data))
            is_open = int(record.is_open)
        self.open().execute(
            f"INSERT OR REPLACE INTO files VALUES ({ROW})",
            (rel, kind, size, mtime, ctime, record_id, problem_json, summary,
             json.dumps(data) if data is not None else None, links, is_open, "[]", "[]",
             content, *_facts(record)))

    def _records(self, ids: Iterable[str]) -> dict[str, Victim | Child]:
        from rjcli.core.model import child_from_dict, victim_from_dict

        return {record_id: victim_from_dict(data) if kind == "victim" else child_from_dict(data)
                for record_id, (kind, data) in self._data_of(ids).items()}

    def _data_of(self, ids: Iterable[str]) -> dict[str, tuple[str, dict[str, Any]]]:
        """Record id -> (kind, parsed data) of these records (those readable)."""
        return {r: (kind, json.loads(raw)) for r, kind, raw in self.open().execute(
            "SELECT record_id, kind, data FROM files WHERE data IS NOT NULL AND record_id IN "
            "(SELECT value FROM json_each(?))", (json.dumps(sorted(ids)),))}

    def _evaluate(self, ids: set[str], today: date) -> None:
        """Recompute the due items of ``ids`` from the data in the index."""
        if not ids:
            return
        policy, cal, roles = self.policy(), self.calendar(today), self.roles()
        if len(ids) > WHOLE_FROM:
            updates = self._evaluate_all(policy, cal, roles)
        else:
            updates = self._evaluate_some(ids, policy, cal, roles)
        self.open().executemany("UPDATE files SET items=?, evals=? WHERE record_id=?", updates)

    def _evaluate_some(self, ids: set[str], policy: Policy, cal: WorkingCalendar,
                       roles: dict[str, str]) -> list[tuple[str, str]]:
        from rjcli.core.deadlines import child_case, victim_case
        from rjcli.core.model import Child, Victim

        records = self._records(ids)
        linked_ids = {link for r in records.values() for link in _record_links(r)}
        linked = self._records(linked_ids - set(records)) | records
        victims = {k: v for k, v in linked.items() if isinstance(v, Victim)}
        children = {k: c for k, c in linked.items() if isinstance(c, Child)}
        updates = []
        for record_id, record in records.items():
            if isinstance(record, Victim):
                case = victim_case(record, children, roles)
            else:
                case = child_case(record, victims, roles)
            updates.append((*_items_text(case, policy, cal, record), record_id))
        return updates

    def _evaluate_all(self, policy: Policy, cal: WorkingCalendar,
                      roles: dict[str, str]) -> list[tuple[str, str]]:
        """Every record, streaming the victims so memory stays small: children are held
        (victims' rules read them); a child's rules read only its victims' workers."""
        from rjcli.core.deadlines import child_case, victim_case
        from rjcli.core.model import child_from_dict, victim_from_dict

        db = self.open()
        children = {rid: child_from_dict(json.loads(raw)) for rid, raw in db.execute(
            "SELECT record_id, data FROM files WHERE kind='child' AND data IS NOT NULL")}
        workers: dict[str, Victim] = {}
        updates = []
        rows = db.execute("SELECT record_id, data FROM files WHERE kind='victim' AND data IS NOT NULL")
        for record_id, raw in rows.fetchall():
            victim = victim_from_dict(json.loads(raw))
            workers[record_id] = victim_from_dict({"id": record_id,
                                                   "referral": {"worker": victim.referral.worker}})
            case = victim_case(victim, children, roles)
            updates.append((*_items_text(case, policy, cal, victim), record_id))
        for record_id, child in children.items():
            updates.append((*_items_text(child_case(child, workers, roles), policy, cal, child),
                            record_id))
        return updates

    # --- reading --------------------------------------------------------------------------

    def summaries(self) -> list[RecordSummary]:
        rows = self.open().execute("SELECT summary FROM files WHERE summary IS NOT NULL")
        return [RecordSummary(**json.loads(s)) for (s,) in rows]

    def problems(self) -> list[Problem]:
        rows = self.open().execute("SELECT path, problem FROM files WHERE problem IS NOT NULL")
        out = []
        for path, raw in rows:
            line, column, message = json.loads(raw)
            out.append(Problem(path, line, message, column))
        return sorted(out)

    def due_items(self) -> list[DueItem]:
        """Outstanding items of open records (the ``due`` table, kept by every refresh)."""
        rows = self.open().execute("SELECT items FROM due")
        text = ",".join(raw[1:-1] for (raw,) in rows)
        return [_item_from(i) for i in json.loads(f"[{text}]")]

    def loaded(self) -> Loaded:
        """Every readable record as ``Casebook.load_all`` gives it, from the index."""
        from rjcli.core.model import child_from_dict, victim_from_dict

        loaded = Loaded(problems=self.problems())
        rows = self.open().execute(
            "SELECT kind, path, record_id, data FROM files WHERE data IS NOT NULL")
        for kind, rel, record_id, raw in rows:
            data = json.loads(raw)
            loaded.data[record_id] = data
            loaded.paths[record_id] = rel
            if kind == "victim":
                loaded.victims[record_id] = victim_from_dict(data)
            else:
                loaded.children[record_id] = child_from_dict(data)
        return loaded

    def file_checks(self) -> dict[str, list[Problem]]:
        """Per-file check results (schema, entry ids) still valid for the file on disk."""
        rows = self.open().execute(
            "SELECT c.path, c.problems FROM checks c JOIN files f ON f.path = c.path "
            "AND f.size = c.size AND f.mtime_ns = c.mtime_ns AND f.ctime_ns = c.ctime_ns "
            "WHERE f.mtime_ns != -1")
        return {path: [Problem(**p) for p in json.loads(raw)] for path, raw in rows}

    def store_file_checks(self, results: dict[str, list[Problem]]) -> None:
        db = self.open()
        for path, problems in results.items():
            row = db.execute("SELECT size, mtime_ns, ctime_ns FROM files WHERE path=?",
                             (path,)).fetchone()
            if row:
                db.execute("INSERT OR REPLACE INTO checks VALUES (?,?,?,?,?)",
                           (path, row[0], row[1], row[2],
                            json.dumps([p.as_json() for p in problems])))

    def evaluations(self, policy: Policy, due_in: tuple[date, date] | None = None,
                    whole: Iterable[str] = ()) -> dict[str, list[Any]]:
        """Every record's rule instances as the reports read them (rule, applies, due,
        met), rebuilt from the index; instances of rules no longer in force are dropped.
        With ``due_in``: only the instances due in that span, except for the ``whole``
        records (all of theirs)."""
        from rjcli.core.deadlines import RuleTiming

        rules = {r.id: r for r in policy.rules}
        days: dict[int, date] = {}

        def day(n: int | None) -> date | None:
            if n is None:
                return None
            found = days.get(n)
            if found is None:
                found = days[n] = date.fromordinal(n)
            return found

        def timings(record_id: str, compact: list[Any]) -> list[RuleTiming]:
            return [RuleTiming(record_id, rules[rule_id], bool(applies), day(due), day(met))
                    for rule_id, applies, due, met in compact if rule_id in rules]

        db = self.open()
        if due_in is None:
            return {record_id: timings(record_id, json.loads(raw)) for record_id, raw in
                    db.execute("SELECT record_id, evals FROM files WHERE evals IS NOT NULL")}
        whole = json.dumps(sorted(whole))
        out = {record_id: timings(record_id, json.loads(raw)) for record_id, raw in db.execute(
            "SELECT record_id, evals FROM files WHERE evals IS NOT NULL AND record_id IN "
            "(SELECT value FROM json_each(?))", (whole,))}
        first, last = (d.toordinal() for d in due_in)
        for record_id, raw in db.execute(
                "SELECT f.record_id, j.value FROM files f, json_each(f.evals) j "
                "WHERE json_extract(j.value, '$[2]') BETWEEN ? AND ? AND f.record_id NOT IN "
                "(SELECT value FROM json_each(?))", (first, last, whole)):
            out.setdefault(record_id, []).extend(timings(record_id, [json.loads(raw)]))
        return out

    # --- what a period's report selects by ---------------------------------------------

    def ids_between(self, kind: str, column: str, first: date, last: date) -> set[str]:
        """Records of ``kind`` whose ``allocated`` or ``order_end`` day is in the span."""
        if column not in ("allocated", "order_end"):
            raise ValueError(column)
        return {r for (r,) in self.open().execute(
            f"SELECT record_id FROM files WHERE kind=? AND {column} BETWEEN ? AND ?",
            (kind, first.toordinal(), last.toordinal()))}

    def linked(self, ids: Iterable[str], kind: str) -> set[str]:
        """Records of ``kind`` linked to any of ``ids`` either way round: naming one of
        them in their links, or named in one of theirs."""
        wanted = json.dumps(sorted(ids))
        db = self.open()
        found = {r for (r,) in db.execute(
            "SELECT DISTINCT f.record_id FROM files f, json_each(f.links) j "
            "WHERE f.kind=? AND j.value IN (SELECT value FROM json_each(?))", (kind, wanted))}
        named = {i for (raw,) in db.execute(
            "SELECT links FROM files WHERE links IS NOT NULL AND record_id IN "
            "(SELECT value FROM json_each(?))", (wanted,)) for i in json.loads(raw)}
        return found | {r for (r,) in db.execute(
            "SELECT record_id FROM files WHERE kind=? AND record_id IN "
            "(SELECT value FROM json_each(?))", (kind, json.dumps(sorted(named))))}

    def data_of(self, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        """The parsed data of these records (those readable)."""
        return {r: data for r, (_, data) in self._data_of(ids).items()}

    def people(self) -> tuple[Identifiers, ...]:
        """The identifiers of every readable record (reports keep them out of their text)."""
        from rjcli.core.model import Identifiers

        (raw,) = self.open().execute(
            "SELECT '[' || coalesce(group_concat(people, ','), '') || ']' FROM files "
            "WHERE people IS NOT NULL").fetchone()
        return tuple(Identifiers(*(tuple(v) if isinstance(v, list) else v for v in row))
                     for row in json.loads(raw))

    def data(self, kind: str | None = None) -> Iterator[tuple[str, dict[str, Any]]]:
        """(record id, parsed data) of every readable record (reports, exports)."""
        query = "SELECT record_id, data FROM files WHERE data IS NOT NULL"
        args: tuple[str, ...] = ()
        if kind:
            query += " AND kind=?"
            args = (kind,)
        for record_id, raw in self.open().execute(query, args):
            yield record_id, json.loads(raw)


def _links(kind: str, data: dict[str, Any]) -> list[str]:
    if kind == "victim":
        return [str(c.get("child")) for c in data.get("children") or [] if isinstance(c, dict)]
    return [str(v.get("ref")) for v in data.get("victims") or [] if isinstance(v, dict)]


def _record_links(record: Victim | Child) -> tuple[str, ...]:
    from rjcli.core.model import Victim

    if isinstance(record, Victim):
        return record.child_ids
    return tuple(ref.ref for ref in record.victims)


def _items_text(case: Any, policy: Policy, cal: WorkingCalendar,
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
    compact = [[e.rule.id, int(e.applies), e.due.toordinal() if e.due else None,
                e.met_on.toordinal() if e.met_on else None] for e in evaluations]
    return json.dumps([_item_json(i) for i in items]), json.dumps(compact)


def _item_json(item: DueItem) -> list[Any]:
    return [item.case, item.name, item.rule, item.title, item.due.toordinal(), item.worker,
            item.source, item.counts_from, item.instance]


def _item_from(raw: list[Any]) -> DueItem:
    case, name, rule, title, due, worker, source, counts_from, instance = raw
    return DueItem(case, name, rule, title, date.fromordinal(due), worker, source, counts_from,
                   instance)


def note_written(casebook: Casebook, path: Path, raw: bytes, today: date) -> None:
    """After rj writes a record: take it into the index, if there is one (write-through).
    Never fails the command: the index is a cache, and the next refresh reads the file
    anyway if this could not be done."""
    index = Index(casebook)
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
