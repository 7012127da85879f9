"""The rule history a cold build leaves for later: the rule instances of closed records.

``rj due`` shows only open records' items, so a cold build (``Refreshing._rebuild``)
evaluates only open records' rules, and leaves closed records' ``items`` and ``evals``
NULL. The first read of every rule instance (``Queries.evaluations``, which reports
count) works these out here, once, from the data the index holds (no file is parsed),
in two processes when there are many. Every later change evaluates the records it
affects as before, closed or not; a change of policy or calendar evaluates every
record.
"""

from __future__ import annotations

import json
import os
from datetime import date
from typing import Any

from rjcli.storage.atomic import locked
from rjcli.storage.index.records import RecordRows

PARALLEL_FROM = 400
"""Evaluate in two processes when this many records wait."""


class RuleHistory(RecordRows):
    """Working out the rule instances a cold build left for later."""

    def complete_rule_history(self) -> int:
        """Evaluate every record whose rules are not worked out yet (none, but after a
        cold build: one query by a partial index, no lock); returns how many."""
        if not self.rule_history_pending():
            return 0
        if self.refreshed_on is None:
            raise RuntimeError("the index is read before it was refreshed")
        with locked(self.casebook.lock_path("index"), "the index", wait=10):
            done = self._complete(self.refreshed_on)
            self.open().commit()
            return done

    def rule_history_pending(self) -> bool:
        """Whether some record's rule instances are not worked out yet."""
        return self.open().execute(
            "SELECT 1 FROM files WHERE evals IS NULL AND data IS NOT NULL LIMIT 1"
        ).fetchone() is not None

    def _complete(self, today: date) -> int:
        import multiprocessing

        from rjcli.storage.index import rebuild

        db = self.open()
        # victims in the order of their first child, so that the victims of one child
        # mostly fall to one worker, which builds that child once; children last
        pending = db.execute(
            "SELECT kind, record_id, data, is_open FROM files "
            "WHERE evals IS NULL AND data IS NOT NULL "
            "ORDER BY kind DESC, json_extract(data, '$.children[0].child'), record_id"
        ).fetchall()
        if not pending:
            return 0
        rebuild.clear()
        rebuild.prepare()
        rebuild.SHARED.update(
            policy=self.policy(), cal=self.calendar(today), roles=self.roles(),
            child_data=dict(db.execute("SELECT record_id, data FROM files "
                                       "WHERE kind='child' AND data IS NOT NULL")),
            workers=self._workers(), pending=pending)
        try:
            if len(pending) < PARALLEL_FROM or (os.cpu_count() or 1) < 2:
                updates = [rebuild.evaluate_record(n) for n in range(len(pending))]
            else:
                with multiprocessing.get_context("fork").Pool(2) as pool:
                    updates = list(pool.imap(rebuild.evaluate_record, range(len(pending)),
                                             chunksize=32))
        finally:
            rebuild.clear()
        db.executemany("UPDATE files SET items=?, evals=? WHERE record_id=?", updates)
        opened = {rid for _, rid, _, is_open in pending if is_open}
        if opened:  # none after a cold build, which evaluates open records
            self._touched = opened
            self._save_due_items()
            self._touched = None
        return len(updates)

    def _workers(self) -> dict[str, Any]:
        """Victim id -> its ``referral.worker`` as written (what a child's rules read of
        it; ``worker_of`` reads it as ``victim_from_dict`` does). None where the referral
        or the worker is missing, or the referral is not a mapping, as a record reads."""
        out = {}
        for rid, worker, kind in self.open().execute(
                "SELECT record_id, json_extract(data, '$.referral.worker'), "
                "json_type(data, '$.referral.worker') FROM files "
                "WHERE kind='victim' AND data IS NOT NULL"):
            # SQLite gives JSON true/false as 1/0 and an object or list as its text
            out[rid] = (json.loads(worker) if kind in ("object", "array")
                        else kind == "true" if kind in ("true", "false") else worker)
        return out
