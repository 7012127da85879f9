"""The records' rows: storing one file's row, deleting the rows of files gone, and
re-evaluating the rules of the records a change affects (and the ``due`` table a warm
``rj due`` reads)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import TYPE_CHECKING, Any

from rjcli.storage.index.rows import (
    Row,
    items_text,
    links_of,
    parse_one,
    record_id_of,
    record_links,
    record_row,
    trusted_mtime,
    unread_row,
)
from rjcli.storage.index.schema import ROW
from rjcli.storage.index.store import IndexStore
from rjcli.storage.listing import Stat

if TYPE_CHECKING:
    from rjcli.core.calendar import WorkingCalendar
    from rjcli.core.model import Child, Victim
    from rjcli.core.policy import Policy

WHOLE_FROM = 300
"""Re-evaluate by streaming every record when more than this many are affected."""


class RecordRows(IndexStore):
    """The ``files`` and ``due`` tables, kept in step with the record files."""

    _touched: set[str] | None = None
    """Records whose items may have changed in this refresh (all: None)."""

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

    def _holds(self, rel: str, content: str) -> bool:
        """Whether the index holds this file with exactly this content."""
        row = self.open().execute("SELECT content FROM files WHERE path=?", (rel,)).fetchone()
        return row is not None and row[0] == content

    def _forget(self, paths: list[str]) -> None:
        """Delete the rows of files that are gone (their data overwritten: see schema)."""
        rows = [(p,) for p in paths]
        db = self.open()
        db.executemany("DELETE FROM files WHERE path=?", rows)
        db.executemany("DELETE FROM own_checks WHERE path=?", rows)

    def _reread(self, rel: str, found: tuple[str, Stat], raw: bytes | None,
                content: str | None, problem: Any) -> set[str]:
        """Store one file's row from its bytes (``raw``; None when unreadable, ``problem``
        says why); returns the ids whose due items may change with it."""
        data = text = None
        if raw is not None:
            _, data, problem, content, text = parse_one((str(self.casebook.root), rel), raw,
                                                        content)
        self._store(rel, found, data, problem, content, text)
        ids = {record_id_of(rel)}
        if data is not None:
            ids.add(str(data["id"]))
            ids |= set(links_of(found[0], data))
        return ids

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
               content: str | None, text: str | None = None) -> None:
        from rjcli.core.model import child_from_dict, victim_from_dict

        kind = found[0]
        if data is None:
            self._insert(unread_row(rel, problem, content), found)
            return
        record = victim_from_dict(data) if kind == "victim" else child_from_dict(data)
        self._insert(record_row(rel, kind, data, record, content, data_text=text), found)

    @contextmanager
    def _bulk_insert(self) -> Iterator[None]:
        """For a rebuild, which writes every row of an emptied ``files`` table in one
        transaction: its insert triggers are dropped while the rows are written, and what
        they do is done once for all rows afterwards, then they are made again as they
        were (from ``sqlite_master``), in the same transaction: a failure or a crash before
        the commit leaves the index as it was (the transaction is never committed). The
        triggers' work, row by row, is a third of writing 15,000 rows."""
        db = self.open()
        saved = db.execute("SELECT name, sql FROM sqlite_master WHERE type='trigger' AND "
                           "name IN ('due_span_written', 'links_written', 'people_written')"
                           ).fetchall()
        for name, _ in saved:
            db.execute(f"DROP TRIGGER {name}")
        yield
        # due_span_written: a row's spans go when it is written (every row was)
        db.execute("DELETE FROM due_spans")
        # links_written: each row's links
        db.execute("DELETE FROM links")
        db.execute("INSERT INTO links SELECT f.path, f.kind, f.record_id, j.value "
                   "FROM files f, json_each(coalesce(f.links, '[]')) j")
        # people_written: any identifiers written forget the redactor's decisions
        if db.execute("SELECT 1 FROM files WHERE people IS NOT NULL LIMIT 1").fetchone():
            db.execute("DELETE FROM redactions")
            db.execute("INSERT OR REPLACE INTO meta VALUES ('people:generation', coalesce("
                       "(SELECT value FROM meta WHERE key = 'people:generation'), 0) + 1)")
        for _, sql in saved:
            db.execute(sql)

    def _insert(self, row: Row, found: tuple[str, Stat]) -> None:
        """Write one file's row (``rows.Row``), with the stat it was listed with."""
        rel, data_text, problem, summary, links, is_open, items, evals, content, facts = row
        kind, (size, mtime, ctime) = found
        record_id = record_id_of(rel) if data_text is not None else None
        self.open().execute(
            f"INSERT OR REPLACE INTO files VALUES ({ROW})",
            (rel, kind, size, trusted_mtime(mtime, ctime), ctime, record_id,
             json.dumps(problem) if problem else None, summary, data_text, links, is_open,
             items, evals, content, *facts))

    def _records(self, ids: Iterable[str]) -> dict[str, Victim | Child]:
        from rjcli.core.model import child_from_dict, victim_from_dict

        return {record_id: victim_from_dict(data) if kind == "victim" else child_from_dict(data)
                for record_id, (kind, data) in self._data_of(ids).items()}

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

    def _evaluate_every(self, today: date) -> None:
        """Recompute every record's due items and rule instances from the stored data
        (after a change of policy, roles or calendar: nothing is parsed)."""
        updates = self._evaluate_all(self.policy(), self.calendar(today), self.roles())
        self.open().executemany("UPDATE files SET items=?, evals=? WHERE record_id=?", updates)

    def _reassign(self, roles: set[str]) -> None:
        """Give the outstanding items of the rules owned by ``roles`` to whoever is now
        first of the role on the staff list (nothing else of a record changes with it)."""
        policy, staff = self.policy(), self.roles()
        owners = {r.id: staff.get(r.owner) or r.owner for r in policy.rules if r.owner in roles}
        db = self.open()
        updates = []
        for record_id, raw in db.execute("SELECT record_id, items FROM files "
                                         "WHERE items != '[]'").fetchall():
            items = json.loads(raw)
            if any(item[2] in owners for item in items):
                for item in items:
                    item[5] = owners.get(item[2], item[5])
                updates.append((json.dumps(items), record_id))
        db.executemany("UPDATE files SET items=? WHERE record_id=?", updates)

    def _evaluate_some(self, ids: set[str], policy: Policy, cal: WorkingCalendar,
                       roles: dict[str, str]) -> list[tuple[str, str]]:
        from rjcli.core.deadlines import child_case, victim_case
        from rjcli.core.model import Child, Victim

        records = self._records(ids)
        linked_ids = {link for r in records.values() for link in record_links(r)}
        linked = self._records(linked_ids - set(records)) | records
        victims = {k: v for k, v in linked.items() if isinstance(v, Victim)}
        children = {k: c for k, c in linked.items() if isinstance(c, Child)}
        updates = []
        for record_id, record in records.items():
            if isinstance(record, Victim):
                case = victim_case(record, children, roles)
            else:
                case = child_case(record, victims, roles)
            updates.append((*items_text(case, policy, cal, record), record_id))
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
        rows = db.execute(
            "SELECT record_id, data FROM files WHERE kind='victim' AND data IS NOT NULL")
        for record_id, raw in rows.fetchall():
            victim = victim_from_dict(json.loads(raw))
            workers[record_id] = victim_from_dict({"id": record_id,
                                                   "referral": {"worker": victim.referral.worker}})
            case = victim_case(victim, children, roles)
            updates.append((*items_text(case, policy, cal, victim), record_id))
        for record_id, child in children.items():
            updates.append((*items_text(child_case(child, workers, roles), policy, cal, child),
                            record_id))
        return updates
