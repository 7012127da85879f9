"""The one guard for every file rj writes where the user says (``--out``, ``--ics``).

The path is resolved first (``..`` and symbolic links: what counts is where the bytes
would land). Then it is refused:

- inside any casebook's own folders (``victims/``, ``children/``, ``tombstones/``,
  ``.rj/``, ``policy/``, ``templates/``, ``schemas/``, ``documents/``, ``checklists/``)
  or inside any ``.git/`` folder: records, settings and history that ``rj sync`` shares,
  and a report or a victim's export there would be committed and pushed to the team;
- over a casebook's own files (``rj.yaml``, ``.gitattributes``, ``.gitignore``) or the
  casebook folder itself;
- over an existing file that is not rj's own output, unless ``--force``; and over anything
  that is not a regular file (a folder, a FIFO), even with ``--force``.

rj's own output is (1) any file under a casebook's ``output/`` folder (rj's default place
for letters and reports, never shared by sync), or (2) a file rj wrote before through this
guard and that nobody changed since: the ledger ``.rj/outputs.json`` of the casebook keeps
each such file's path, size and SHA-256, so a file edited by hand after rj wrote it needs
``--force`` again.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import stat
from pathlib import Path

from rjcli.errors import BadInput
from rjcli.storage.atomic import atomic_write, atomic_write_bytes, locked

PROTECTED_FOLDERS = ("victims", "children", "tombstones", ".rj", ".git", "policy", "templates",
                     "schemas", "documents", "checklists")
"""A casebook's own folders: nothing rj writes on a user's say goes in them."""
PROTECTED_FILES = ("rj.yaml", ".gitattributes", ".gitignore")
"""A casebook's own files at its top."""
OUTPUT_FOLDER = "output"
LEDGER = Path(".rj") / "outputs.json"
"""Files rj wrote on a user's say: path -> [size, sha256]."""
LEDGER_SIZE = 1000
"""The ledger keeps the newest this many files."""


def _casebooks_above(path: Path) -> list[Path]:
    """Every folder above ``path`` (itself included) that holds a casebook."""
    return [folder for folder in (path, *path.parents) if (folder / "rj.yaml").is_file()]


def _refuse_protected(resolved: Path, what: str, option: str) -> None:
    hint = "give a place outside the casebook, or under its output/ folder"
    if ".git" in resolved.parts:
        raise BadInput(f"{what} cannot be written into .git/: that is git's history of the "
                       f"files ({option} {resolved})", hint=hint)
    for root in _casebooks_above(resolved):
        parts = resolved.relative_to(root).parts
        if not parts:
            raise BadInput(f"{what} cannot be written over the casebook folder {root}",
                           hint=hint)
        if parts[0] in PROTECTED_FOLDERS:
            raise BadInput(f"{what} cannot be written into {parts[0]}/: that folder is the "
                           f"casebook's own (records, settings or history that rj sync "
                           f"shares with the team)", hint=hint)
        if len(parts) == 1 and parts[0] in PROTECTED_FILES:
            raise BadInput(f"{what} cannot be written over {parts[0]}: it is the casebook's "
                           "own file", hint=hint)


def resolved_folder(given: Path, what: str, option: str = "--out") -> Path:
    """The folder ``given`` names, resolved, when rj may write into it (see module docs)."""
    resolved = given.expanduser().resolve()
    _refuse_protected(resolved, what, option)
    if resolved.exists() and not resolved.is_dir():
        raise BadInput(f"{option} {given} is a file, not a folder")
    return resolved


def resolved_file(casebook_root: Path, given: Path, what: str, force: bool,
                  option: str = "--out") -> Path:
    """The file ``given`` names, resolved, when rj may write it (see module docs)."""
    resolved = given.expanduser().resolve()
    _refuse_protected(resolved, what, option)
    try:
        status = os.stat(resolved)
    except FileNotFoundError:
        return resolved
    if stat.S_ISDIR(status.st_mode):
        raise BadInput(f"{option} {given} is a folder", hint="give a file name")
    if not stat.S_ISREG(status.st_mode):
        raise BadInput(f"{option} {given} is not a regular file, so rj will not write over it",
                       hint="give another file name")
    if not force and not is_rj_output(casebook_root, resolved):
        raise BadInput(f"{option} {given} already exists and is not a file rj wrote (or it was "
                       "changed since); rj will not overwrite it",
                       hint="give another file name, or add --force to replace it")
    return resolved


def is_rj_output(casebook_root: Path, path: Path) -> bool:
    """True when ``path`` (resolved) is rj's own output (see module docstring)."""
    for root in _casebooks_above(path):
        if path.relative_to(root).parts[:1] == (OUTPUT_FOLDER,):
            return True
    known = _ledger(casebook_root).get(str(path))
    if not known:
        return False
    try:
        if path.stat().st_size != known[0]:
            return False
        return _digest(path.read_bytes()) == known[1]
    except OSError:
        return False


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _ledger(casebook_root: Path) -> dict[str, list[object]]:
    try:
        data = json.loads((casebook_root / LEDGER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def remember(casebook_root: Path, path: Path, data: bytes) -> None:
    """Note that rj wrote ``data`` to ``path`` (resolved), so rj may replace it later."""
    with contextlib.suppress(OSError), locked(casebook_root / ".rj" / "locks" / "outputs.lock",
                                              "the list of files rj wrote"):
        ledger = _ledger(casebook_root)
        ledger.pop(str(path), None)
        ledger[str(path)] = [len(data), _digest(data)]
        kept = dict(list(ledger.items())[-LEDGER_SIZE:])
        atomic_write(casebook_root / LEDGER, json.dumps(kept, indent=0) + "\n")


def write_output(casebook_root: Path, given: Path, data: bytes, what: str, force: bool,
                 option: str = "--out") -> Path:
    """Write ``data`` where the user said, if the guard allows it (owner-only, atomic);
    returns the file written."""
    target = resolved_file(casebook_root, given, what, force, option)
    atomic_write_bytes(target, data)
    remember(casebook_root, target, data)
    return target
