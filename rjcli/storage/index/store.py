"""The index's connection and what it keeps besides the records' rows: the policy,
staff roles and calendar it was built with, and the listing it last saw (in chunks,
see ``listing.py``), with the files written through since then (``unlisted``).
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Iterable
from dataclasses import asdict
from datetime import date
from typing import TYPE_CHECKING, Any

from rjcli.core.calendar import WorkingCalendar
from rjcli.storage.index.schema import connect, delete_files
from rjcli.storage.listing import Stat, files_of

if TYPE_CHECKING:
    from rjcli.core.policy import Policy
    from rjcli.storage.casebook import Casebook


class IndexStore:
    """The SQLite file of one casebook's index, opened on first use."""

    def __init__(self, casebook: Casebook) -> None:
        self.casebook = casebook
        self.path = casebook.cache_dir / "index.sqlite"
        self.db: sqlite3.Connection | None = None
        self.refreshed_on: date | None = None
        """The day of the last refresh (``Refreshing.refresh``): what rules are evaluated
        for (``RuleHistory``)."""

    # --- opening -----------------------------------------------------------------

    def open(self) -> sqlite3.Connection:
        if self.db is None:
            try:
                self.db = connect(self.path)
                self.db.execute("SELECT count(*) FROM files").fetchone()
            except sqlite3.DatabaseError:
                self.drop()
                self.db = connect(self.path)
        return self.db

    def start_afresh(self) -> sqlite3.Connection:
        """Delete the index and open a new, empty one in rollback-journal mode: a rebuild
        writes every row in one transaction, which in WAL mode is written twice (to the
        log, then into the file by the commit's checkpoint, a fifth of a cold build's
        last, single-process part). Only this process, holding the index's lock, has the
        new file open; ``wal_again`` returns it to WAL mode after the commit. A crash
        before the commit leaves the new file empty (the journal rolls it back)."""
        self.drop()
        self.db = connect(self.path, wal=False)
        return self.db

    def wal_again(self) -> None:
        """Back to WAL mode after ``start_afresh``'s commit (if the mode cannot change now,
        the next connection changes it: ``connect`` asks for WAL every time)."""
        if self.db is not None:
            self.db.execute("PRAGMA journal_mode=WAL")

    def drop(self) -> None:
        """Delete the index (it is rebuilt from the files on the next run)."""
        if self.db is not None:
            with contextlib.suppress(sqlite3.Error):
                self.db.close()
            self.db = None
        delete_files(self.path)

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
        refresh need not read rj.yaml (a change to it drops them: ``forget_settings``)."""
        raw = self.meta("roles")
        if raw is not None:
            return json.loads(raw)  # type: ignore[no-any-return]
        from rjcli.storage.snapshot import staff_by_role

        roles = staff_by_role(self.casebook)
        self.set_meta("roles", json.dumps(roles))
        return roles

    def calendar(self, today: date) -> WorkingCalendar:
        key = self._calendar_key(today)
        raw = self.meta(key)
        if raw is not None:
            return WorkingCalendar(frozenset(date.fromordinal(n) for n in json.loads(raw)))
        from rjcli.storage.policy import load_calendar

        cal = load_calendar(self.casebook, today)
        self.set_meta(key, json.dumps(sorted(d.toordinal() for d in cal.non_working)))
        return cal

    @staticmethod
    def _calendar_key(today: date) -> str:
        from rjcli.storage.policy import calendar_years

        years = calendar_years(today)
        return f"calendar:{years.start}-{years.stop}"

    def forget_settings(self) -> None:
        """rj.yaml, a profile or a checklist changed: drop the roles kept here, and the
        policy or the calendars when what they are made from changed (the profiles and
        rj.yaml's policy; the region and closures), so they are read afresh when next
        asked for. (Loading a policy or a calendar costs ~1 s of imports: a new colleague
        on the staff list need not pay it.)"""
        db = self.open()
        db.execute("DELETE FROM meta WHERE key='roles'")
        for key, digest in self.sources().items():
            if self.meta(f"source:{key}") != digest:
                drop = "key='policy'" if key == "policy" else "key LIKE 'calendar:%'"
                db.execute(f"DELETE FROM meta WHERE {drop}")
                self.set_meta(f"source:{key}", digest)

    def sources(self) -> dict[str, str]:
        """Digests of what the policy (the profiles, rj.yaml's policy) and the calendar
        (rj.yaml's region and closures) are made from."""
        import hashlib

        from rjcli.storage.policy import profile_files

        config = self.casebook.config
        policy = hashlib.sha256(repr((config.profile, config.rule_overrides,
                                      config.extra_rules, config.addons)).encode())
        for name, path in sorted(profile_files(self.casebook).items()):
            policy.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
        calendar = hashlib.sha256(repr((config.region, config.closures)).encode())
        return {"policy": policy.hexdigest(), "calendar": calendar.hexdigest()}

    def inputs(self, today: date) -> dict[str, Any]:
        """What the rules are evaluated with: digests of the policy and the calendar, and
        the roles (each loaded, and kept here, if not yet)."""
        import hashlib

        self.policy(), self.calendar(today)
        digests = {}
        for name, key in (("policy", "policy"), ("calendar", self._calendar_key(today))):
            value = self.meta(key)
            digests[name] = hashlib.sha256(
                value if isinstance(value, bytes) else str(value).encode()).hexdigest()[:20]
        return digests | {"roles": self.roles()}

    def _data_of(self, ids: Iterable[str]) -> dict[str, tuple[str, dict[str, Any]]]:
        """Record id -> (kind, parsed data) of these records (those readable)."""
        return {r: (kind, json.loads(raw)) for r, kind, raw in self.open().execute(
            "SELECT record_id, kind, data FROM files WHERE data IS NOT NULL AND record_id IN "
            "(SELECT value FROM json_each(?))", (json.dumps(sorted(ids)),))}

    # --- the listing last seen -------------------------------------------------------

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

    def unlisted(self) -> set[str]:
        """Files rj wrote and took into the index (write-through) since the last refresh:
        the listing saved then may not hold them, so the next refresh looks for each (a
        file deleted or renamed meanwhile has its row deleted)."""
        raw = self.meta("unlisted")
        return set(json.loads(raw)) if raw else set()

    def add_unlisted(self, rel: str) -> None:
        self.set_meta("unlisted", json.dumps(sorted(self.unlisted() | {rel})))
        self.set_meta("scan", None)  # the next refresh compares, never stops at the digest
