"""Bringing the index up to date with the files: the listing compared in chunks with
the one saved, the files whose stat changed read, those whose bytes changed parsed,
the rows of files gone deleted, and a two-process rebuild when most files changed."""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from rjcli.core.problems import Problem
from rjcli.storage.atomic import locked
from rjcli.storage.index.records import RecordRows
from rjcli.storage.index.rows import (
    is_racy,
    read_record,
    record_id_of,
    tick_one,
    trusted_mtime,
)
from rjcli.storage.index.schema import (
    fingerprint,
    make_cache_dir,
    settings_fingerprint,
)
from rjcli.storage.listing import Listing, Stat, files_of, listing

OWNED_BY_ROLE = ("manager", "admin")
"""Rules owned by these roles are given to the first staff member of the role."""
PARALLEL_FROM = 400
"""Parse in two processes when this many files changed (a cold build)."""


@dataclass
class Refreshed:
    """What a refresh found."""

    changed: int = 0
    removed: int = 0
    rebuilt: bool = False
    reevaluated: bool = False
    """The settings changed what the rules read: every record evaluated again (no parse)."""
    problems: list[Problem] = field(default_factory=list)


def chunks_holding(files: Listing, paths: set[str]) -> tuple[set[str], set[str]]:
    """(keys of the chunks of ``files`` that hold any of ``paths``, the paths not in the
    listing at all)."""
    keys, found = set(), set()
    for key, (names, _) in files.chunks.items():
        folder = key.partition(":")[0]
        hits = {p for p in paths if p.partition("/")[0] == folder
                and p.partition("/")[2] in names}
        if hits:
            keys.add(key)
            found |= hits
    return keys, paths - found


class Refreshing(RecordRows):
    """The index, refreshed from the files."""

    def refresh(self, today: date,
                progress: Callable[[int, int], Callable[[int], None]] | None = None
                ) -> Refreshed:
        """Bring the index up to date with the files; returns what changed."""
        self.refreshed_on = today
        make_cache_dir(self.casebook.cache_dir)  # before the lock makes it, owner-only
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
        rework: str | set[str] = ""
        wanted = fingerprint(self.casebook)
        settings = settings_fingerprint(self.casebook)
        if self.meta("fingerprint") != wanted:
            # another rj version or layout: start from an empty file
            db = self.start_afresh()
            self.set_meta("fingerprint", wanted)
            result.rebuilt = True
        elif self.meta("settings") != settings:
            # rj.yaml, a profile or a checklist changed: the rules are evaluated again
            # from the stored data (nothing parsed) if the policy, roles or calendar
            # they read differ; "inputs" is saved only once that is done
            self.forget_settings()
            try:
                before = json.loads(self.meta("inputs") or "{}")
            except ValueError:
                before = {}
            rework = self._rework(before if isinstance(before, dict) else {},
                                  self.inputs(today))
            result.reevaluated = rework == "all"
        # files changed since the listing began (or just before) count as racy
        started, files = listing(self.casebook.root)
        whole = files.digest
        unlisted = self.unlisted()
        if not result.rebuilt and not rework and self.meta("scan") == whole and not unlisted:
            # the same files, unchanged since the last run
            if self.meta("settings") != settings:
                self.set_meta("settings", settings)
                db.commit()
            return result
        chunks, digests = files.chunks, dict(files.digests)
        stored = self._chunk_digests()
        stale = {k for k in digests.keys() | stored.keys() if digests.get(k) != stored.get(k)}
        # files written through since: compared wherever they now are, their rows
        # deleted if they are gone (the saved listing may never have held them)
        holding, gone = chunks_holding(files, unlisted)
        stale |= holding
        self._touched = set()
        result = self._update(files, stale, today, progress, result, gone)
        # what the files table now holds of each file, racy ones marked to be read again
        saved = {}
        for key in stale & chunks.keys():
            names, stats = chunks[key]
            marked = [(size, -1, ctime) if is_racy(mtime, ctime, started)
                      else (size, mtime, ctime) for size, mtime, ctime in stats]
            if marked != stats:
                digests[key] = ""  # compared again next time
            saved[key] = (names, marked)
        self._save_chunks(saved, stale - chunks.keys(), digests)
        self.set_meta("scan", None if "" in digests.values() else whole)
        self.set_meta("unlisted", None)
        if rework == "all" and self._touched is not None:
            self._evaluate_every(today)
            self._touched = None
        elif rework and self._touched is not None:
            self._reassign(set(rework))
            self._touched = None
        if result.rebuilt or self.meta("settings") != settings:
            self._save_settings(settings, today)
        self._save_due_items()
        db.commit()
        if result.rebuilt:
            self.wal_again()
        return result

    @staticmethod
    def _rework(before: dict[str, Any], now: dict[str, Any]) -> str | set[str]:
        """What a change of settings asks of the stored rows: "all" (every record's
        rules evaluated again: the policy or calendar differ), the roles whose items
        change hands (only manager and admin rules are owned through the staff list),
        or nothing ("")."""
        if any(before.get(k) != now[k] for k in ("policy", "calendar")):
            return "all"
        old = before.get("roles") or {}
        return {r for r in OWNED_BY_ROLE if old.get(r) != now["roles"].get(r)} or ""

    def _save_settings(self, settings: str, today: date) -> None:
        """Note the settings and the inputs (policy, roles, calendar) every record's rules
        were evaluated with (none kept when the policy cannot be read: the next change of
        settings then re-evaluates every record)."""
        from rjcli.errors import RjError

        self.set_meta("settings", settings)
        try:
            self.set_meta("inputs", json.dumps(self.inputs(today)))
            if self.meta("source:policy") is None:  # a new index: made from these
                for key, digest in self.sources().items():
                    self.set_meta(f"source:{key}", digest)
        except RjError:
            self.set_meta("inputs", None)

    def _update(self, files: Listing, stale: set[str], today: date, progress: Any,
                result: Refreshed, gone: set[str]) -> Refreshed:
        """Bring the files table up to date with the stale chunks' files (every file,
        when so many changed that a two-process rebuild is quicker; ``stale`` then grows
        to every chunk) and delete the rows of the ``gone`` files."""
        db = self.open()
        chunks = files.chunks
        on_disk = files_of({k: chunks[k] for k in stale & chunks.keys()})
        known = self._known_stats(stale)
        removed = sorted((known.keys() | gone) - on_disk.keys())
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
            raw, content, problem = read_record(root, rel)
            if content is not None and self._holds(rel, content):
                # touched, checked out again, or racy last time: the same bytes, the same
                # row (no parse, no YAML parser even imported)
                _, (size, mtime, ctime) = on_disk[rel]
                db.execute("UPDATE files SET size=?, mtime_ns=?, ctime_ns=? WHERE path=?",
                           (size, trusted_mtime(mtime, ctime), ctime, rel))
            else:
                reread.append((rel, raw, content, problem))
        result.changed = len(reread)
        affected = self._affected_ids(removed, [rel for rel, *_ in reread])
        affected |= {record_id_of(p) for p in removed}
        self._forget(removed)
        for rel, raw, content, problem in reread:
            affected |= self._reread(rel, on_disk[rel], raw, content, problem)
        self._evaluate(affected, today)
        self._touched = affected
        db.commit()
        return result

    def _rebuild(self, on_disk: dict[str, tuple[str, Stat]], today: date,
                 tick: Callable[[int], None] | None) -> None:
        """Index every file afresh in two processes (``index/rebuild.py``): children first
        (victims' rules read them), then victims, then the children's own rules (which
        read their victims' workers, evaluated by the same workers last). The workers
        parse, summarise and evaluate; only what the index stores comes back, and this
        process writes it. The rules of closed records are left for the first report
        (``complete_rule_history``)."""
        import multiprocessing

        from rjcli.storage.index import rebuild

        db = self.open()
        db.execute("DELETE FROM files")
        root = str(self.casebook.root)
        rels = {kind: sorted(r for r, (k, _) in on_disk.items() if k == kind)
                for kind in ("victim", "child")}
        child_data: dict[str, Any] = {}
        links: dict[str, list[str]] = {}
        """Open child id -> the victims it links to."""
        workers: dict[str, str | None] = {}
        rebuild.clear()
        rebuild.prepare()
        context = multiprocessing.get_context("fork")
        try:
            with self._bulk_insert():
                with context.Pool(2) as pool:
                    rows = pool.imap(rebuild.index_child, [(root, r) for r in rels["child"]],
                                     chunksize=64)
                    # while the children's workers parse (they evaluate nothing): what the
                    # victims' workers will read, and inherit (imported once, here)
                    policy, cal, roles = self.policy(), self.calendar(today), self.roles()
                    rebuild.SHARED.update(policy=policy, cal=cal, roles=roles,
                                          child_data=child_data)
                    for row in rows:
                        self._insert(row, on_disk[row[0]])
                        if row[5]:
                            links[record_id_of(row[0])] = json.loads(row[4])
                        if row[1] is not None:
                            child_data[record_id_of(row[0])] = row[1]  # its data as JSON
                        tick_one(tick)
                # forked now: the victims' workers inherit the children's data read above
                with context.Pool(2) as pool:
                    for row, worker in pool.imap(rebuild.index_victim,
                                                 [(root, r) for r in rels["victim"]],
                                                 chunksize=32):
                        self._insert(row, on_disk[row[0]])
                        if row[1] is not None:
                            workers[record_id_of(row[0])] = worker
                        tick_one(tick)
                    # then, in the same workers, an open child's rules, which read only
                    # its victims' workers (those it links to, sent with it)
                    db.executemany("UPDATE files SET items=?, evals=? WHERE record_id=?",
                                   pool.imap(rebuild.child_rules, [
                                       (rid, {v: workers[v] for v in links[rid] if v in workers})
                                       for rid in sorted(links)], chunksize=16))
        finally:
            rebuild.clear()
