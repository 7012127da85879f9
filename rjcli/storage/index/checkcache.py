"""What ``rj check`` keeps in the index, and reads of it instead of building every record.

* ``own_checks``: each record file's own problems (schema, unknown fields, entry ids,
  dates), kept with the digest of the bytes they were found in and the days they hold
  for (a date is "in the future" until that day: :func:`rjcli.core.checks.date_bounds`).
* ``privacy``: each scanned file's findings of victim identifiers, by a key made of its
  bytes' digest and what else its scan reads of it (the child's own name, whether it is
  a child's record); valid for the victims' identifiers in ``privacy_people`` (as they
  were at the last check) and the staff and matcher shape kept in ``meta``.
* Link, allocation and identifier facts read straight from the stored data.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date
from typing import Any

from rjcli.core.problems import Problem
from rjcli.storage.index.store import IndexStore

OwnChecks = tuple[list[Problem], date | None, date | None, Any, bool]
"""A record file's own problems, the days they hold for, its links (a victim's child ids,
a child's [victim id, label] pairs) and whether it lists documents."""


def _ordinal(day: date | None, default: int) -> int:
    return day.toordinal() if day is not None else default


class CheckCache(IndexStore):
    """``rj check``'s rows of the index (read after a refresh)."""

    # --- each record file's own problems ------------------------------------------------

    def record_files(self) -> list[tuple[str, str, str, str | None]]:
        """(path, kind, record id, content digest) of every readable record."""
        return self.open().execute(
            "SELECT path, kind, record_id, content FROM files WHERE data IS NOT NULL").fetchall()

    def own_checks(self, today: date) -> dict[str, list[Problem]]:
        """Each record file's own problems still valid for its bytes and ``today``."""
        day = today.toordinal()
        rows = self.open().execute(
            "SELECT c.path, c.problems FROM own_checks c JOIN files f ON f.path = c.path "
            "AND f.content = c.content WHERE f.data IS NOT NULL "
            "AND c.valid_from <= ? AND ? < c.valid_until", (day, day))
        return {path: [Problem(**p) for p in json.loads(raw)] for path, raw in rows}

    def store_own_checks(self, found: dict[str, OwnChecks]) -> None:
        """Keep each file's own problems, the days they hold for (None: unbounded), its
        links and whether it lists documents."""
        db = self.open()
        content = dict(db.execute(
            "SELECT path, content FROM files WHERE path IN (SELECT value FROM json_each(?))",
            (json.dumps(sorted(found)),)).fetchall())
        db.executemany("INSERT OR REPLACE INTO own_checks VALUES (?,?,?,?,?,?,?)", [
            (path, content.get(path), _ordinal(first, 0), _ordinal(until, 10**7),
             json.dumps([p.as_json() for p in problems]), json.dumps(links), int(documents))
            for path, (problems, first, until, links, documents) in found.items()
            if content.get(path)])

    def forget_own_checks(self) -> None:
        self.open().execute("DELETE FROM own_checks")

    # --- links and allocations, from the stored data ------------------------------------

    def link_facts(self) -> tuple[dict[str, list[str]], dict[str, list[tuple[str, str]]],
                                  dict[str, str]]:
        """(victim id -> linked child ids, child id -> (victim id, label) pairs, record id
        -> path) of every readable record (kept with its own problems: call after
        ``store_own_checks``)."""
        victims: dict[str, list[str]] = {}
        children: dict[str, list[tuple[str, str]]] = {}
        paths: dict[str, str] = {}
        for kind, record_id, path, raw in self.open().execute(
                "SELECT f.kind, f.record_id, f.path, c.links FROM files f JOIN own_checks c "
                "ON c.path = f.path AND c.content = f.content WHERE f.data IS NOT NULL"):
            paths[record_id] = path
            if kind == "victim":
                victims[record_id] = json.loads(raw)
            else:
                children[record_id] = [tuple(pair) for pair in json.loads(raw)]
        return victims, children, paths

    def with_documents(self) -> list[str]:
        """Ids of the readable records that list documents."""
        return [r for (r,) in self.open().execute(
            "SELECT f.record_id FROM files f JOIN own_checks c ON c.path = f.path "
            "AND c.content = f.content WHERE f.data IS NOT NULL AND c.documents = 1")]

    def open_cases(self) -> list[tuple[str, str | None, str]]:
        """(record id, worker or case holder, its role's words) of every open record, as
        :func:`rjcli.core.staff.check_allocations` reads them (the summary holds both)."""
        return [(record_id, worker, "allocated to" if kind == "victim" else "case holder")
                for kind, record_id, worker in self.open().execute(
                    "SELECT kind, record_id, json_extract(summary, '$.worker') FROM files "
                    "WHERE data IS NOT NULL AND json_extract(summary, '$.status') = 'open'")]

    def child_names(self) -> dict[str, str]:
        """Child id -> name ("" when none) of every readable child's record."""
        return dict(self.open().execute(
            "SELECT record_id, json_extract(summary, '$.name') FROM files "
            "WHERE kind='child' AND data IS NOT NULL").fetchall())

    def contents(self, kind: str) -> dict[str, str | None]:
        """Path -> digest of the bytes of every record file of ``kind`` (None: unread)."""
        return dict(self.open().execute(
            "SELECT path, content FROM files WHERE kind=?", (kind,)).fetchall())

    # --- victim identifiers, now and at the last check ------------------------------------

    def victim_people(self) -> dict[str, str]:
        """Victim id -> its identifiers (JSON) of every readable victim's record."""
        return dict(self.open().execute(
            "SELECT record_id, people FROM files WHERE kind='victim' AND data IS NOT NULL "
            "AND people IS NOT NULL").fetchall())

    def checked_people(self) -> dict[str, str]:
        """Victim id -> identifiers (JSON) the stored privacy findings were made with."""
        return dict(self.open().execute("SELECT record_id, people FROM privacy_people"))

    def save_checked_people(self, now: dict[str, str], before: dict[str, str]) -> None:
        db = self.open()
        db.executemany("DELETE FROM privacy_people WHERE record_id=?",
                       [(r,) for r in before.keys() - now.keys()])
        db.executemany("INSERT OR REPLACE INTO privacy_people VALUES (?, ?)",
                       [(r, p) for r, p in now.items() if before.get(r) != p])

    # --- each scanned file's findings ---------------------------------------------------

    def privacy_rows(self) -> dict[str, tuple[str, Any]]:
        """Path -> (key, findings: a list of [what, owner, line, severity], or None for a
        file that is not text rj can read)."""
        return {path: (key, json.loads(raw)) for path, key, raw in
                self.open().execute("SELECT path, key, findings FROM privacy")}

    def store_privacy(self, rows: dict[str, tuple[str, Any]], gone: Iterable[str]) -> None:
        db = self.open()
        db.executemany("DELETE FROM privacy WHERE path=?", [(p,) for p in gone])
        db.executemany("INSERT OR REPLACE INTO privacy VALUES (?, ?, ?)",
                       [(p, key, json.dumps(found)) for p, (key, found) in rows.items()])

    def forget_privacy(self) -> None:
        self.open().execute("DELETE FROM privacy")
