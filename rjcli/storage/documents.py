"""Documents kept with a victim's record (``rj attach``): a signed consent form, the police
referral, a letter received (YJB §24 asks for written consent; Somerset 5.2).

Each file is copied, owner-only, to ``documents/<record id>/<entry id>-<name>``; the record
lists it (``documents``: file, original name, SHA-256, size, kind, date, note, who). The copy
and the record change are one commit. ``rj check`` reports a listed document that is
missing or whose bytes no longer match their SHA-256; ``rj purge`` deletes the folder.
"""

from __future__ import annotations

import hashlib
import re
import stat
from collections.abc import Callable, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

from rjcli.core.dates import format_datetime
from rjcli.core.problems import Problem
from rjcli.errors import BadInput
from rjcli.storage.atomic import atomic_write_bytes, make_folders
from rjcli.storage.casebook import Casebook

FOLDER = "documents"
KINDS = ("consent-form", "referral", "letter-received", "other")
MAX_BYTES = 50 * 1024 * 1024
"""A scan or a letter is far smaller; anything larger is refused, not copied."""
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def folder_of(casebook: Casebook, record_id: str) -> Path:
    return casebook.root / FOLDER / record_id


def safe_name(original: str) -> str:
    """A file name that is one path part, never hidden: letters, digits, ``._-``."""
    name = _UNSAFE.sub("-", original).strip(".-") or "document"
    return name[-80:]


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _read_source(source: Path) -> bytes:
    try:
        status = source.stat()
    except OSError as exc:
        raise BadInput(f"cannot read {source}: {exc.strerror}") from None
    if not stat.S_ISREG(status.st_mode):
        raise BadInput(f"{source} is not a file", hint="give the file to keep with the record")
    if status.st_size > MAX_BYTES:
        raise BadInput(f"{source} is larger than {MAX_BYTES // (1024 * 1024)} MB",
                       hint="scan it at a lower resolution, or keep it in the case system")
    return source.read_bytes()


def attach(casebook: Casebook, record_id: str, source: Path, kind: str, note: str | None,
           day: date, by: Callable[[], str | None], now: datetime,
           new_id: Callable[[], str]) -> dict[str, Any]:
    """Copy ``source`` under ``documents/<record_id>/`` and list it on the record, in one
    commit; the entry written. Nothing is left behind when the record refuses the change."""
    if kind not in KINDS:
        raise BadInput(f"--kind '{kind}' is not one of: {', '.join(KINDS)}")
    casebook.read(record_id)  # a record that is missing or unreadable stops it first
    data = _read_source(source)
    entry_id = new_id()
    target = folder_of(casebook, record_id) / f"{entry_id}-{safe_name(source.name)}"
    entry = {k: v for k, v in {
        "id": entry_id, "file": target.name, "original_name": source.name,
        "sha256": sha256(data), "size": len(data), "kind": kind, "date": day, "note": note,
        "by": by(), "recorded_at": format_datetime(now)}.items() if v not in (None, "")}

    def add(tree: Any) -> None:
        from rjcli.storage.edits import append

        append(tree, "documents", entry)

    make_folders(target.parent)
    atomic_write_bytes(target, data, private=True)
    try:
        with casebook.one_commit(f"attach a document to {record_id}"):
            casebook.change(record_id, add, "attach a document to")
            casebook.committed([target], f"attach a document to {record_id}")
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return entry


def check_documents(casebook: Casebook, records: Mapping[str, Any],
                    paths: Mapping[str, str]) -> list[Problem]:
    """A listed document missing from ``documents/<id>/``, or changed since it was kept."""
    problems = []
    for record_id, data in records.items():
        entries = data.get("documents") if isinstance(data, Mapping) else None
        for entry in entries if isinstance(entries, list) else []:
            if not isinstance(entry, Mapping) or not isinstance(entry.get("file"), str):
                continue  # the schema check names it
            name = entry["file"]
            where = f"{FOLDER}/{record_id}/{name}"
            if safe_name(name) != name:
                problems.append(Problem(paths[record_id], None, f"document '{name}' is not a "
                                        f"plain file name in {FOLDER}/{record_id}/"))
                continue
            path = folder_of(casebook, record_id) / name
            try:
                digest = sha256(path.read_bytes()) if not path.is_symlink() else None
            except OSError:
                problems.append(Problem(paths[record_id], None, f"document {where} "
                                        f"({entry.get('kind', 'document')}) is missing"))
                continue
            if digest != entry.get("sha256"):
                problems.append(Problem(paths[record_id], None, f"document {where} was "
                                        "changed since it was attached (its SHA-256 differs)"))
    return problems


def document_files(casebook: Casebook, record_id: str) -> list[Path]:
    """Every file kept for ``record_id`` (for ``rj purge``)."""
    folder = folder_of(casebook, record_id)
    if not folder.is_dir() or folder.is_symlink():
        return []
    return sorted(p for p in folder.iterdir() if p.is_file() or p.is_symlink())


def listed_files(casebook: Casebook, record_id: str, data: Mapping[str, Any]) -> list[Path]:
    """The documents the record lists that are there, as plain files (for ``rj export``)."""
    entries = data.get("documents")
    found = []
    for entry in entries if isinstance(entries, list) else []:
        name = entry.get("file") if isinstance(entry, Mapping) else None
        if isinstance(name, str) and safe_name(name) == name:
            path = folder_of(casebook, record_id) / name
            if path.is_file() and not path.is_symlink() and path not in found:
                found.append(path)
    return found
