"""Only regular files are read from a casebook; symbolic links are never followed.

A casebook's records, templates and policy files come from many hands (a teammate's
sync, a hand copy, an unzip). A symbolic link among them could lead into another
casebook, to a victim's file (a template that includes it puts the victim into a child's
letter) or anywhere on the computer; a FIFO would make the reader wait for ever. So
:func:`irregular_files` lists every such entry for ``rj check`` (an error naming it), and
:func:`refuse_irregular` stops a command that would read a folder holding one. Record
files themselves are refused one by one as they are read (``recordfile.read_bytes``), so
every other record is still served.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from rjcli.core.problems import Problem
from rjcli.errors import RecordInvalid
from rjcli.storage.recordfile import not_regular, refusal

CHECKED_FOLDERS = ("victims", "children", "tombstones", "templates", "policy", "schemas",
                   "documents")
"""Folders whose every entry must be a folder or a regular file."""
CHECKED_FILES = ("rj.yaml", ".gitattributes", ".gitignore")
"""The casebook's own files at its top (rj writes to .gitattributes: never through a link)."""


def irregular_under(root: Path, folder: str) -> list[Problem]:
    """Every entry under ``root/folder`` (the folder itself included) that is neither a
    folder nor a regular file; links are reported, never followed."""
    top = root / folder
    try:
        mode = os.lstat(top).st_mode
    except OSError:
        return []
    if not stat.S_ISDIR(mode) or folder in CHECKED_FILES:
        kind = not_regular(mode)
        return [Problem(folder, None, refusal(kind))] if kind else []
    found: list[Problem] = []
    stack = [top]
    while stack:
        try:
            entries = list(os.scandir(stack.pop()))
        except OSError:
            continue
        for entry in entries:
            try:
                if entry.is_file(follow_symlinks=False):
                    continue  # told by the directory entry's type: no stat (rj check, 15,000)
                mode = entry.stat(follow_symlinks=False).st_mode
            except OSError:
                continue
            if stat.S_ISDIR(mode):
                stack.append(Path(entry.path))
                continue
            kind = not_regular(mode)
            if kind is not None:
                rel = Path(entry.path).relative_to(root).as_posix()
                found.append(Problem(rel, None, refusal(kind)))
    return sorted(found)


def irregular_files(root: Path) -> list[Problem]:
    """Every link, FIFO, socket or device in the casebook's own folders (for rj check)."""
    return [p for name in (*CHECKED_FILES, *CHECKED_FOLDERS) for p in irregular_under(root, name)]


def refuse_irregular(root: Path, folder: str, what: str) -> None:
    """Stop before reading ``root/folder`` when it holds a link or another non-file."""
    problems = irregular_under(root, folder)
    if problems:
        listed = "; ".join(str(p) for p in problems[:5])
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        raise RecordInvalid(f"{what} cannot be used: {listed}{more}",
                            hint="replace each link with the file itself (rj never follows "
                            "links in a casebook); rj check lists them all")
