"""The index file: its tables, its fingerprint (what makes it stale as a whole), and
opening it owner-only.

The index holds a parsed copy of every record, names and phone numbers included, so
the file and its WAL and shared-memory files are owner-only (0600) like the victim
files, ``.rj/`` is made owner-only (0700) when the index creates it, and deleted rows
are overwritten (``secure_delete``), not left in free pages for a disk reader.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from rjcli import __version__
from rjcli.shipped import shipped_dir
from rjcli.storage.schemas import shipped_digest

if TYPE_CHECKING:
    from rjcli.storage.casebook import Casebook

LAYOUT = 16
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
CREATE INDEX IF NOT EXISTS files_rules_pending ON files (path) WHERE evals IS NULL;
CREATE TABLE IF NOT EXISTS due (record_id TEXT PRIMARY KEY, items TEXT);
CREATE TABLE IF NOT EXISTS own_checks (
    path TEXT PRIMARY KEY, content TEXT, valid_from INTEGER, valid_until INTEGER,
    problems TEXT, links TEXT, documents INTEGER);
CREATE TABLE IF NOT EXISTS privacy (path TEXT PRIMARY KEY, key TEXT, findings TEXT);
CREATE TABLE IF NOT EXISTS privacy_people (record_id TEXT PRIMARY KEY, people TEXT);
CREATE TABLE IF NOT EXISTS due_spans (path TEXT PRIMARY KEY, first INTEGER, last INTEGER);
CREATE INDEX IF NOT EXISTS due_spans_by_last ON due_spans (last);
CREATE TRIGGER IF NOT EXISTS due_span_written AFTER INSERT ON files
    BEGIN DELETE FROM due_spans WHERE path = NEW.path; END;
CREATE TRIGGER IF NOT EXISTS due_span_changed AFTER UPDATE OF evals ON files
    BEGIN DELETE FROM due_spans WHERE path = NEW.path; END;
CREATE TRIGGER IF NOT EXISTS due_span_deleted AFTER DELETE ON files
    BEGIN DELETE FROM due_spans WHERE path = OLD.path; END;
CREATE TABLE IF NOT EXISTS links (path TEXT, kind TEXT, record_id TEXT, target TEXT);
CREATE INDEX IF NOT EXISTS links_by_target ON links (target, kind);
CREATE INDEX IF NOT EXISTS links_by_record ON links (record_id);
CREATE INDEX IF NOT EXISTS links_by_path ON links (path);
CREATE TRIGGER IF NOT EXISTS links_written AFTER INSERT ON files
    BEGIN DELETE FROM links WHERE path = NEW.path;
    INSERT INTO links SELECT NEW.path, NEW.kind, NEW.record_id, value
        FROM json_each(coalesce(NEW.links, '[]')); END;
CREATE TRIGGER IF NOT EXISTS links_changed AFTER UPDATE OF links, record_id, kind ON files
    BEGIN DELETE FROM links WHERE path = OLD.path;
    INSERT INTO links SELECT NEW.path, NEW.kind, NEW.record_id, value
        FROM json_each(coalesce(NEW.links, '[]')); END;
CREATE TRIGGER IF NOT EXISTS links_deleted AFTER DELETE ON files
    BEGIN DELETE FROM links WHERE path = OLD.path; END;
CREATE TABLE IF NOT EXISTS redactions (text TEXT PRIMARY KEY, shown TEXT);
CREATE TRIGGER IF NOT EXISTS people_written BEFORE INSERT ON files
    WHEN NEW.people IS NOT (SELECT people FROM files WHERE path = NEW.path)
    BEGIN DELETE FROM redactions; INSERT OR REPLACE INTO meta VALUES ('people:generation',
        coalesce((SELECT value FROM meta WHERE key = 'people:generation'), 0) + 1); END;
CREATE TRIGGER IF NOT EXISTS people_changed AFTER UPDATE OF people ON files
    WHEN NEW.people IS NOT OLD.people
    BEGIN DELETE FROM redactions; INSERT OR REPLACE INTO meta VALUES ('people:generation',
        coalesce((SELECT value FROM meta WHERE key = 'people:generation'), 0) + 1); END;
CREATE TRIGGER IF NOT EXISTS people_deleted AFTER DELETE ON files
    WHEN OLD.people IS NOT NULL
    BEGIN DELETE FROM redactions; INSERT OR REPLACE INTO meta VALUES ('people:generation',
        coalesce((SELECT value FROM meta WHERE key = 'people:generation'), 0) + 1); END;
"""
"""The index's tables: part of its fingerprint, so an index made with other tables is
rebuilt, never read."""
ROW = ",".join("?" * 17)
"""Placeholders of a row of ``files``."""
SIDE_FILES = ("-wal", "-shm", "-journal")
"""SQLite's companions of the index file: in WAL mode, and the rollback journal of a
rebuild into a new file (each made with the file's own mode)."""
PRIVATE = 0o600


def checklists_fingerprint(casebook: Casebook) -> bytes:
    digest = hashlib.sha256()
    for folder in (shipped_dir("policy") / "checklists", casebook.root / "policy" / "checklists"):
        for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
            digest.update(path.name.encode() + path.read_bytes())
    return digest.digest()


def fingerprint(casebook: Casebook) -> str:
    """What the stored parse of every file and its kept check results depend on: the index
    layout, rj version and the record schemas rj ships (a change rebuilds the index from
    the files, so a schema tightened by an upgrade of rj is never answered from results
    kept under the old one, whatever the version says)."""
    return hashlib.sha256(f"{LAYOUT}:{__version__}:{TABLES}".encode()
                          + shipped_digest()).hexdigest()[:20]


def settings_fingerprint(casebook: Casebook) -> str:
    """What the rules' evaluation may depend on: the policy profiles, rj.yaml (staff,
    closures, policy) and the checklists. A change re-evaluates from the stored data
    where the policy, roles or calendar it gives differ; no file is parsed again."""
    from rjcli.storage.policy import policy_fingerprint

    parts = policy_fingerprint(casebook).encode()
    return hashlib.sha256(parts + checklists_fingerprint(casebook)).hexdigest()[:20]



def make_cache_dir(folder: Path) -> None:
    """Create ``.rj/`` owner-only (0700, whatever the umask) if it is not there yet."""
    if folder.is_dir():
        return
    with contextlib.suppress(FileExistsError):
        os.mkdir(folder, 0o700)
        os.chmod(folder, 0o700)


def make_private(path: Path) -> None:
    """Create the index file owner-only, before SQLite does (its WAL and shared-memory
    files take the mode of the file), and take group and other access away from an
    index an older rj left readable."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, PRIVATE)
    try:
        if os.fstat(fd).st_mode & 0o077:
            os.fchmod(fd, PRIVATE)
    finally:
        os.close(fd)
    for suffix in SIDE_FILES:
        with contextlib.suppress(FileNotFoundError):
            side = f"{path}{suffix}"
            if os.stat(side).st_mode & 0o077:
                os.chmod(side, PRIVATE)


def connect(path: Path, wal: bool = True) -> sqlite3.Connection:
    """Open the index (creating it owner-only), with its tables; in WAL mode (readers
    never wait for a writer), or else in rollback-journal mode (for a rebuild into a new
    file: see ``IndexStore.start_afresh``)."""
    make_cache_dir(path.parent)
    make_private(path)
    db = sqlite3.connect(path, timeout=5)
    db.execute(f"PRAGMA journal_mode={'WAL' if wal else 'DELETE'}")
    db.execute("PRAGMA synchronous=NORMAL")
    # a deleted record's row (name, phone, contact log) is overwritten with zeros, not
    # left in free space (some SQLite builds do this by default, others not)
    db.execute("PRAGMA secure_delete=ON")
    db.executescript(TABLES)
    return db


def delete_files(path: Path) -> None:
    """Delete the index file and its companions."""
    for suffix in ("", *SIDE_FILES):
        with contextlib.suppress(FileNotFoundError):
            os.unlink(f"{path}{suffix}")
