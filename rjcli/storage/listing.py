"""The record files of a casebook as the index sees them: each file's name and stat,
listed in the order its folder gives them, compared with the index's copy in chunks.

Listing 15,000 files (one stat each) is the largest part of a warm ``rj due`` (~60 ms
of ~240 here). Listing them in a background thread while the command-line machinery
is imported was measured and did not help: the thread hardly runs until the main
thread waits for it (the interpreter lock), and runs were ~6% slower.
"""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path
from typing import Any

from rjcli.storage.casebook import FOLDERS

Stat = tuple[int, int, int]
"""(size, mtime_ns, ctime_ns) of a file."""

KIND_OF_FOLDER = {folder: kind for kind, folder in FOLDERS.items()}
"""Record folders and the kind of record each holds."""
CHUNK = 256
"""Files per chunk of a listing (see ``Listing``)."""


class Listing:
    """Every record file's name and stat, in the order its folder lists them.

    The listing is cut into chunks of CHUNK files by position, each with a digest, and
    ``digest`` is the digest of those: equal digests, nothing was added, removed or
    changed (the warm path stops there). Otherwise each chunk's digest is compared with
    the one saved, and only the files of chunks that differ are compared one by one (a
    changed file lies in one chunk; a file added or removed shifts the chunks after
    it, which are then compared and found unchanged, never missed). A file cannot be
    in two chunks, so a file found in an unchanged chunk is exactly as the index holds
    it.
    """

    def __init__(self, folders: dict[str, tuple[list[str], list[Stat]]]) -> None:
        self.folders = folders
        self.chunks = {f"{folder}:{start // CHUNK}": (names[start:start + CHUNK],
                                                      stats[start:start + CHUNK])
                       for folder, (names, stats) in folders.items()
                       for start in range(0, len(names), CHUNK)}
        """Chunk key (``victims:3``) -> (names, stats) of its files."""
        self.digests = {key: digest_of(chunk) for key, chunk in self.chunks.items()}
        """Chunk key -> digest of the chunk."""

    @property
    def digest(self) -> str:
        return digest_of(sorted(self.digests.items()))

    def files(self) -> dict[str, tuple[str, Stat]]:
        """Relative path -> (kind, stat) of every file."""
        return files_of({f"{folder}:": pair for folder, pair in self.folders.items()})

    def __len__(self) -> int:
        return sum(len(names) for names, _ in self.folders.values())


def digest_of(value: Any) -> str:
    import marshal

    # marshal version 2 writes no back-references, so equal values give equal bytes
    return hashlib.sha1(marshal.dumps(value, 2), usedforsecurity=False).hexdigest()


def files_of(chunks: dict[str, tuple[list[str], list[Stat]]]) -> dict[str, tuple[str, Stat]]:
    """Relative path -> (kind, stat) of the files of some chunks."""
    out: dict[str, tuple[str, Stat]] = {}
    for key, (names, stats) in chunks.items():
        folder = key.partition(":")[0]
        kind = KIND_OF_FOLDER[folder]
        out.update((f"{folder}/{name}", (kind, stat))
                   for name, stat in zip(names, stats, strict=True))
    return out


def scan(root: Path) -> Listing:
    """Every record file's name and stat (size, mtime_ns, ctime_ns)."""
    folders: dict[str, tuple[list[str], list[Stat]]] = {}
    for folder in KIND_OF_FOLDER:
        names: list[str] = []
        stats: list[Stat] = []
        folders[folder] = (names, stats)
        try:
            entries = os.scandir(root / folder)
        except FileNotFoundError:
            continue
        with entries:
            for entry in entries:
                name = entry.name
                if name.endswith(".yaml") and not name.startswith("."):
                    st = entry.stat(follow_symlinks=False)  # a link is listed, never followed
                    names.append(name)
                    # ctime too: it moves on every write, even one that restores the mtime
                    stats.append((st.st_size, st.st_mtime_ns, st.st_ctime_ns))
    return Listing(folders)


def listing(root: Path) -> tuple[int, Listing]:
    """(when the listing began, in ns since the epoch; the listing) of ``root``."""
    started = time.time_ns()
    return started, scan(root)
