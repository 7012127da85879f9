"""Purging a record whose retention period has ended, leaving a tombstone.

``rj purge ID`` deletes the record file, the letters written for it (the files its
contact log names, and ``output/**/ID-*``), anything else rj wrote about it under
``output/`` and the edit drafts kept in ``.rj/edits/``, and drops the index (a
cache that holds a parsed copy of every record). What stays is
``tombstones/ID.yaml``: id, kind, opening and closure dates, closure reason, purge
date and reason - nothing that identifies anyone.

Nothing outside ``output/`` and ``.rj/`` is ever deleted because a record names it:
a contact's ``file`` pointing elsewhere (a letter written with ``--out``, or a
hand-edited ``../../somewhere``) is listed for the worker to deal with instead.

The tombstone, the deletions and their commit are one crash-safe change
(``rjcli.storage.journal``): a purge stopped at any point is finished by the next
``rj`` command.
"""

from __future__ import annotations

import contextlib
import os
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from rjcli.core.ids import is_record_id, kind_of
from rjcli.core.model import Child, Victim, child_from_dict, victim_from_dict
from rjcli.core.retention import RETENTION_ENDED, Retention, retention_of, tombstone
from rjcli.errors import BadInput, ChangeRefused, RecordNotFound
from rjcli.storage import yamlio
from rjcli.storage.casebook import TOMBSTONES, Casebook
from rjcli.storage.journal import together


def tombstone_path(casebook: Casebook, record_id: str) -> Path:
    if not is_record_id(record_id):
        raise BadInput(f"'{record_id}' is not a record id")
    return casebook.root / TOMBSTONES / f"{record_id}.yaml"


def tombstone_ids(casebook: Casebook) -> frozenset[str]:
    """Ids of every purged record (from the tombstones' file names)."""
    try:
        with os.scandir(casebook.root / TOMBSTONES) as entries:
            names = [e.name[:-5] for e in entries if e.name.endswith(".yaml")]
    except (FileNotFoundError, NotADirectoryError):
        return frozenset()
    return frozenset(n for n in names if is_record_id(n))


def read_tombstone(casebook: Casebook, record_id: str) -> dict[str, Any] | None:
    """The tombstone of a purged record (None when it was never purged)."""
    path = tombstone_path(casebook, record_id)
    if not path.is_file():
        return None
    try:
        data = yamlio.read_fast(path)
    except (yamlio.YamlProblem, OSError):
        return {"id": record_id}
    return data if isinstance(data, dict) else {"id": record_id}


def record_of(data: dict[str, Any]) -> Victim | Child:
    record_id = str(data.get("id", ""))
    return victim_from_dict(data) if record_id.startswith("V-") else child_from_dict(data)


# --- what a purge deletes ----------------------------------------------------------


def _inside(path: Path, folder: Path) -> bool:
    """True when ``path`` (its folder resolved, the name itself not followed) is in ``folder``."""
    if path.name in ("", ".", ".."):
        return False
    try:
        where = path.parent.resolve() / path.name
    except OSError:
        return False
    return where.is_relative_to(folder.resolve()) and where != folder.resolve()


_RECORD_PREFIX = re.compile(r"^([VC]-[0-9A-HJKMNP-TV-Z]{4,8})[-.]")


def named_files(casebook: Casebook, data: dict[str, Any]) -> tuple[list[Path], list[str]]:
    """Files the contact log names: (those under output/ and not named for another
    record, the other names)."""
    inside: list[Path] = []
    outside: list[str] = []
    for entry in data.get("contacts") or []:
        name = entry.get("file") if isinstance(entry, dict) else None
        if not isinstance(name, str) or not name.strip() or "\x00" in name:
            continue
        path = Path(name) if Path(name).is_absolute() else casebook.root / name
        other = _RECORD_PREFIX.match(path.name)
        if _inside(path, casebook.output_dir) and not (other and other[1] != data.get("id")):
            inside.append(path.parent.resolve() / path.name)
        elif name not in outside:
            outside.append(name)  # elsewhere, or another record's letter: never deleted
    return inside, outside


def _own_files(folder: Path, record_id: str) -> list[Path]:
    """Files under ``folder`` whose name starts ``ID-`` or ``ID.`` (symlinks not followed)."""
    found: list[Path] = []
    if not folder.is_dir():
        return found
    for parent, _dirs, files in os.walk(folder):
        for name in files:
            if name.startswith((f"{record_id}-", f"{record_id}.")):
                found.append(Path(parent) / name)
    return found


@dataclass
class PurgePlan:
    """What purging one record would do."""

    record_id: str
    kind: str
    path: Path
    """The record file."""
    record: Victim | Child
    state: Retention
    files: list[Path] = field(default_factory=list)
    """Letters and other copies to delete (all under output/ or .rj/edits/)."""
    outside: list[str] = field(default_factory=list)
    """Files the contact log names outside output/: never deleted, listed."""

    def refusal(self, early: bool, reason: str | None) -> str | None:
        """Why the purge may not go ahead (None: it may)."""
        if self.state.closed is None:
            return (f"{self.record_id} is open: only a closed record can be purged "
                    f"(close it first: rj close {self.record_id} --reason ...)")
        if self.state.past:
            return None
        if early and reason and reason.strip():
            return None
        if early:
            return "--early needs --reason TEXT: say why the record goes before its time"
        if self.state.ends is None:
            return (f"rj.yaml sets no retention period for {self.kind} records, so "
                    f"{self.record_id} is not past it; to purge it anyway give "
                    "--early --reason TEXT")
        return (f"{self.record_id} is kept until {self.state.ends.isoformat()} (closed "
                f"{self.state.closed.isoformat()}, kept {self.state.years} years); to "
                "purge it before then give --early --reason TEXT")


def plan_purge(casebook: Casebook, record_id: str, today: date) -> PurgePlan:
    """What purging ``record_id`` would delete, and where it stands (reads, changes nothing)."""
    path = casebook.path_for(record_id)
    if not path.is_file():
        stone = read_tombstone(casebook, record_id)
        if stone is not None:
            raise RecordNotFound(f"{record_id} was purged on {stone.get('purged', '?')}; only "
                                 f"its tombstone is left ({TOMBSTONES}/{record_id}.yaml)")
        raise RecordNotFound(f"no record {record_id} in this casebook",
                             hint="rj retention lists the records past their retention date")
    data = casebook.read(record_id)
    record = record_of(data)
    state = retention_of(record, casebook.config.retention_years, today)
    inside, outside = named_files(casebook, data)
    files = {p: None for p in inside if os.path.islink(p) or os.path.isfile(p)}
    for folder in (casebook.output_dir, casebook.cache_dir / "edits",
                   casebook.cache_dir / "feedback"):  # rj feedback's kept answers
        files.update((p, None) for p in _own_files(folder, record_id))
    from rjcli.storage.documents import document_files

    files.update((p, None) for p in document_files(casebook, record_id))  # rj attach
    return PurgePlan(record_id=record_id, kind=kind_of(record_id), path=path, record=record,
                     state=state, files=sorted(files), outside=outside)


@dataclass
class Purged:
    """What a purge did."""

    record_id: str
    tombstone: str
    """The tombstone file, relative to the casebook."""
    deleted: list[str]
    """Every file deleted, relative to the casebook (the record first)."""
    outside: list[str]
    """Files named by the record outside output/, not deleted."""
    history: bool
    """True when git history still holds the record (it was committed once)."""
    committed: bool
    """True when the deletion was committed (autocommit)."""


def purge(casebook: Casebook, record_id: str, today: date, early: bool = False,
          reason: str | None = None) -> Purged:
    """Delete a closed record past retention (or ``early`` with a ``reason``), keep a tombstone.

    The tombstone, the deletions and the commit are one crash-safe change
    (``rjcli.storage.journal``): a purge stopped half-way is finished by the next command."""
    with together(casebook, f"purge {record_id}", drop_index=True) as change:
        change.lock(record_id, record_id)
        plan = plan_purge(casebook, record_id, today)  # again, under the lock
        refused = plan.refusal(early, reason)
        if refused:
            raise ChangeRefused(refused, hint="nothing was deleted")
        why = reason.strip() if reason and reason.strip() else RETENTION_ENDED
        stone_path = tombstone_path(casebook, record_id)
        stone = tombstone(plan.record, plan.state, today, why)
        change.write(stone_path, "# A purged record: what is kept so that reports still add "
                     "up.\n" + yamlio.dump_new(stone))
        for path in plan.files:
            change.delete(path, copy=True)
        change.delete(plan.path)
        repository, history, tracked = _git(casebook, plan.path)
        change.commit.extend([plan.path, stone_path] if tracked else [stone_path])
        change.commit.extend(_tracked_documents(casebook, record_id))  # rj attach
    with contextlib.suppress(OSError):  # the emptied documents/ID/ of rj attach
        (casebook.root / "documents" / record_id).rmdir()
    deleted = [casebook.rel(plan.path),
               *(casebook.rel(p) for p in plan.files if not os.path.lexists(p))]
    return Purged(record_id=record_id, tombstone=casebook.rel(stone_path), deleted=deleted,
                  outside=plan.outside, history=history,
                  committed=repository and casebook.config.autocommit)


def _git(casebook: Casebook, record: Path) -> tuple[bool, bool, bool]:
    """(the casebook is a git repository, its history holds the record, git tracks it)."""
    from rjcli.storage.git import is_repository, run_git

    if not is_repository(casebook.root):
        return False, False, False
    rel = casebook.rel(record)
    history = bool(run_git(casebook.root, "log", "--all", "--format=%h", "-1", "--", rel,
                           check=False).stdout.strip())
    tracked = bool(run_git(casebook.root, "ls-files", "--", rel, check=False).stdout.strip())
    return True, history, tracked


def _tracked_documents(casebook: Casebook, record_id: str) -> list[Path]:
    """The files of ``rj attach`` under documents/ID/ that git tracks (their deletion is
    part of the purge's commit)."""
    from rjcli.storage.git import is_repository, run_git

    if not is_repository(casebook.root):
        return []
    listed = run_git(casebook.root, "ls-files", "--", f"documents/{record_id}",
                     check=False).stdout
    return [casebook.root / line for line in listed.splitlines() if line.strip()]


def history_advice(rel: str) -> list[str]:
    """How to remove a file from every commit of a git history, step by step."""
    return [
        f"git history still holds {rel} as it was at every commit. To remove it from the "
        "history too:",
        "  1. in a fresh clone of the shared repository, with git-filter-repo installed:",
        f"       git filter-repo --invert-paths --path {rel}",
        "     (or with BFG: bfg --delete-files " + Path(rel).name + ", then "
        "git reflog expire --expire=now --all && git gc --prune=now --aggressive)",
        "  2. put the remote back and force-push every branch and tag:",
        "       git remote add origin URL && git push --force --all && git push --force --tags",
        "  3. have everyone delete their clone and clone again (an old clone would push the "
        "data back), and ask the hosting service to drop cached copies of old commits",
    ]
