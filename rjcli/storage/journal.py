"""Changes to several files at once that a crash never leaves half-made.

``rj victim new --child C-...`` writes the victim and the link on the child's record;
``rj purge`` writes a tombstone and deletes the record and its letters. Either all of it
happens or, after a crash, the next ``rj`` command finishes it:

1. inside :func:`together`, every record is locked, loaded, changed and validated as
   usual, but nothing is written: the writes are *staged* (the casebook's ``_save``
   hands them here);
2. the staged writes go into an *intent journal*, ``.rj/journal/<name>.json``: each
   file with a digest of what it held before and its new text (or "delete"), written
   atomically and fsynced;
3. the files are written (each atomically), then committed together;
4. the journal is deleted; only then are the locks let go.

A journal is only ever seen without its owner alive when the owner died: the owner
holds the lock of every file the journal names from before the journal exists until
after it is deleted. :func:`recover` (run by every command that opens the casebook,
one ``os.listdir`` when there is nothing to do) takes those locks without waiting and
finishes the change: a file still as it was before is written, a file already new is
left, a file changed since by someone else is left as it is and named. A crash before
the journal is complete leaves nothing written, so there is nothing to undo.

``RJ_CRASH_AT=<point>`` makes rj kill itself (SIGKILL, as ``kill -9``) at a named
point (:data:`CRASH_POINTS`; ``atomic-tmp`` and ``atomic-replaced`` inside every atomic
write, ``git-commit`` before a commit; ``point:N`` for its N-th passing), so tests can
stop it exactly there.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rjcli.errors import LockTimeout
from rjcli.storage.atomic import atomic_write, crash_point, fsync_folder, locked

if TYPE_CHECKING:
    from rjcli.storage.casebook import Casebook

JOURNAL_DIR = "journal"
CRASH_POINTS = ("staged", "journal", "applied-1", "applied", "committed")
"""Where ``RJ_CRASH_AT`` may stop a multi-file change: every change validated and staged
(nothing written), the journal written, the first file written, every file written,
the commit made (the journal not yet deleted)."""


def digest(data: bytes | None) -> str | None:
    return None if data is None else hashlib.sha256(data).hexdigest()


def _current(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


@dataclass
class Step:
    """One file of a multi-file change."""

    rel: str
    """The file, relative to the casebook."""
    text: str | None
    """Its new text; None: delete it."""
    before: str | None
    """Digest of what it held when the change was made (None: it did not exist)."""
    private: bool = False
    """Owner-only (a victim's record)."""
    copy: bool = False
    """A copy to delete (a letter): deleted if there, never compared."""

    def state(self, root: Path) -> str:
        """'after' (already done), 'before' (still to do) or 'other' (changed since)."""
        now = digest(_current(root / self.rel))
        if self.copy:
            return "after" if now is None else "before"
        if now == (None if self.text is None else digest(self.text.encode("utf-8"))):
            return "after"
        return "before" if now == self.before else "other"

    def apply(self, root: Path) -> None:
        path = root / self.rel
        if self.text is not None:
            atomic_write(path, self.text, private=self.private)
            return
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
        fsync_folder(path.parent)


def folder_of(casebook: Casebook) -> Path:
    return casebook.cache_dir / JOURNAL_DIR


@dataclass
class Change:
    """A multi-file change under way (see :func:`together`)."""

    casebook: Casebook
    message: str
    """The commit message (an action and ids, never personal data)."""
    drop_index: bool = False
    """Delete the index once done (a purge: the index holds a copy of every record)."""
    steps: list[Step] = field(default_factory=list)
    commit: list[Path] = field(default_factory=list)
    held: set[str] = field(default_factory=set)
    wrote: list[tuple[Path, str]] = field(default_factory=list)
    _locks: contextlib.ExitStack = field(default_factory=contextlib.ExitStack)

    def lock(self, name: str, what: str) -> contextlib.AbstractContextManager[None]:
        """Take the lock ``name`` now and hold it until the change is done."""
        if name not in self.held:
            self._locks.enter_context(locked(self.casebook.lock_path(name), what))
            self.held.add(name)
        return contextlib.nullcontext()

    def _step(self, path: Path, text: str | None, private: bool, copy: bool) -> None:
        rel = self.casebook.rel(path)
        if any(s.rel == rel for s in self.steps):
            raise ValueError(f"{rel} is changed twice in one change")  # a programming error
        before = None if copy else digest(_current(path))
        self.steps.append(Step(rel, text, before, private, copy))

    def write(self, path: Path, text: str, private: bool = False) -> None:
        """Stage writing ``text`` to ``path`` (the caller holds its lock)."""
        self._step(path, text, private, copy=False)

    def delete(self, path: Path, copy: bool = False) -> None:
        """Stage deleting ``path``; ``copy``: a letter or draft, deleted if it is there."""
        self._step(path, None, False, copy)

    def finish(self) -> None:
        """Journal, apply, commit, forget the journal (the locks are still held)."""
        casebook = self.casebook
        crash_point("staged")
        if not self.steps:
            return
        folder = folder_of(casebook)
        journal = folder / f"{time.time_ns()}-{os.getpid()}.json"
        atomic_write(journal, json.dumps({
            "message": self.message, "locks": sorted(self.held), "drop_index": self.drop_index,
            "commit": [casebook.rel(p) for p in self.commit],
            "steps": [asdict(s) for s in self.steps]}), private=True)
        crash_point("journal")
        for n, step in enumerate(self.steps, 1):
            step.apply(casebook.root)
            crash_point(f"applied-{n}")
        crash_point("applied")
        casebook.committed(self.commit, self.message)
        crash_point("committed")
        journal.unlink()
        fsync_folder(folder)
        self.wrote = [(casebook.root / s.rel, s.text) for s in self.steps
                      if s.text is not None and not s.copy]


@contextlib.contextmanager
def together(casebook: Casebook, message: str, drop_index: bool = False) -> Iterator[Change]:
    """Changes made in the block (``casebook.change``, ``casebook.create``, and the
    :class:`Change`'s own ``write``/``delete``) are validated first, then written and
    committed as one, crash-safe. Nothing is written if the block raises."""
    if casebook._change is not None:
        raise RuntimeError("one multi-file change at a time")  # a programming error
    change = Change(casebook, message, drop_index)
    casebook._change = change
    try:
        with change._locks:
            yield change
            casebook._change = None
            change.finish()
    finally:
        casebook._change = None
    _after(casebook, change.wrote, change.drop_index)


def _after(casebook: Casebook, wrote: Iterable[tuple[Path, str]], drop: bool) -> None:
    """Tell the index what was written (after the locks are let go, as single saves do)."""
    if drop:
        drop_index(casebook)
    for path, text in wrote:
        if path.parent.name in ("victims", "children"):
            casebook._wrote(path, text)


def drop_index(casebook: Casebook) -> None:
    """The index holds a parsed copy of every record: delete it (rebuilt on the next run)."""
    from rjcli.storage.index import Index

    with contextlib.suppress(LockTimeout), locked(casebook.lock_path("index"), "the index"):
        Index(casebook).drop()


# --- finishing what a crash interrupted ----------------------------------------------------


def pending(casebook: Casebook) -> list[Path]:
    """Journals left in ``.rj/journal/`` (one listdir; none is the usual answer)."""
    folder = folder_of(casebook)
    try:
        names = os.listdir(folder)
    except OSError:  # none there; or .rj/ unreadable: the change itself will say so
        return []
    return [folder / n for n in sorted(names) if n.endswith(".json")]


def recover(casebook: Casebook, holding: Iterable[str] = (),
            tell: Callable[[str], None] | None = None) -> int:
    """Finish every change a crash interrupted whose files are free now; ``holding``:
    locks this process already holds. Returns how many were finished."""
    finished = 0
    for journal in pending(casebook):
        with contextlib.ExitStack() as stack:
            try:
                record = json.loads(journal.read_text(encoding="utf-8"))
                names = [str(n) for n in record["locks"]]
                steps = [Step(**s) for s in record["steps"]]
            except FileNotFoundError:
                continue  # finished meanwhile
            except (OSError, ValueError, KeyError, TypeError) as exc:
                _set_aside(casebook, journal, tell, f"it cannot be read ({exc})")
                continue
            try:
                for name in names:
                    if name not in holding:
                        stack.enter_context(locked(casebook.lock_path(name), name, wait=0))
            except LockTimeout:
                continue  # its owner is still at work, or another command is finishing it
            if not journal.exists():
                continue
            try:
                wrote = _finish(casebook, journal, record, steps, tell)
            except OSError as exc:  # a full disk, a bad link: kept for a later command
                if tell is not None:
                    tell(f"rj: a change that was interrupted ({record.get('message')}) could "
                         f"not be finished yet: {exc.strerror or exc}; the next rj command "
                         "tries again")
                continue
            finished += 1
        _after(casebook, wrote, bool(record.get("drop_index")))
    return finished


def _finish(casebook: Casebook, journal: Path, record: dict[str, Any], steps: list[Step],
            tell: Callable[[str], None] | None) -> list[tuple[Path, str]]:
    root = casebook.root
    left = []
    for step in steps:
        if not step.copy and (Path(step.rel).is_absolute() or ".." in Path(step.rel).parts):
            left.append(step.rel)
            continue
        state = step.state(root)
        if state == "before":
            step.apply(root)
        elif state == "other":
            left.append(step.rel)
    message = str(record.get("message", "a change"))
    casebook.committed([root / str(p) for p in record.get("commit", [])], message)
    journal.unlink()
    fsync_folder(journal.parent)
    if tell is not None:
        note = f"rj: finished a change that was interrupted: {message}"
        if left:
            note += (f"; left {', '.join(left)} as it is: it was changed since "
                     "(rj check lists anything still missing)")
        tell(note)
    return [(root / s.rel, s.text) for s in steps
            if s.text is not None and not s.copy and s.rel not in left]


def _set_aside(casebook: Casebook, journal: Path, tell: Callable[[str], None] | None,
               why: str) -> None:
    with contextlib.suppress(OSError):
        journal.rename(journal.with_suffix(".unreadable"))
    if tell is not None:
        tell(f"rj: an interrupted change could not be finished: {why}; it was kept as "
             f"{casebook.rel(journal.with_suffix('.unreadable'))} (rj check lists what is "
             "missing)")
