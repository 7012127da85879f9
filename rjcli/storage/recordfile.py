"""A record file as bytes and text, before any YAML: the size limit, the refusal of
binary or non-UTF-8 files, and the problem type every reader raises.

Kept apart from ``yamlio`` so that the index can read a file and compare its content
with what it holds without importing a YAML parser (~25 ms) when nothing changed.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

MAX_RECORD_BYTES = 2 * 1024 * 1024
"""A record larger than this is refused unread (a contact log of years is ~100 KB)."""


class YamlProblem(Exception):
    """A file that cannot be read as a record, with where (1-based line and column)."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None):
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


def decode(raw: bytes) -> str:
    """UTF-8 text of a record file, or a YamlProblem saying why it is not text."""
    if len(raw) > MAX_RECORD_BYTES:
        raise YamlProblem(
            f"file is {len(raw) / 1_048_576:.1f} MB, larger than the "
            f"{MAX_RECORD_BYTES // 1_048_576} MB a record may be; not read"
        )
    if b"\x00" in raw:
        raise YamlProblem("file holds binary data (NUL bytes), not YAML text")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise YamlProblem("file is not UTF-8 text", line=line) from None


NOT_REGULAR = {stat.S_IFIFO: "a named pipe (FIFO)", stat.S_IFSOCK: "a socket",
               stat.S_IFCHR: "a device", stat.S_IFBLK: "a device", stat.S_IFDIR: "a folder",
               stat.S_IFLNK: "a symbolic link"}
"""What a path may be instead of a regular file, in words."""


def not_regular(mode: int) -> str | None:
    """Why a file of this ``st_mode`` is not read (None: it is a regular file)."""
    if stat.S_ISREG(mode):
        return None
    return NOT_REGULAR.get(stat.S_IFMT(mode), "not a file")


def refusal(kind: str) -> str:
    """The problem of a path that is ``kind`` (see NOT_REGULAR) instead of a regular file."""
    if kind == "a symbolic link":
        return ("not a regular file but a symbolic link; rj does not follow links (one could "
                "lead to another casebook or outside this one): put the file itself here")
    return f"not a regular file but {kind}; rj reads only regular files: remove it"


def read_bytes(path: Path | str) -> bytes:
    """The bytes of a record file, never more than MAX_RECORD_BYTES read into memory: a
    larger file is a YamlProblem giving its real size.

    Only a regular file is read: anything else (a FIFO, which would block the reader for
    ever; a socket, device or folder; a symbolic link, which is never followed) is a
    YamlProblem saying what it is, and is not opened (the open after the check refuses a
    link and does not block, in case the file was swapped in between).
    """
    kind = not_regular(os.lstat(path).st_mode)
    if kind is not None:
        raise YamlProblem(refusal(kind))
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        status = os.fstat(fd)
        kind = not_regular(status.st_mode)
        if kind is not None:
            raise YamlProblem(refusal(kind))
        size = status.st_size
        # to the end, in reads of the size it had (plus one, to see the end at once), and
        # never past MAX_RECORD_BYTES + 1 (no buffer of that size is made for a small file)
        chunks, got = [], 0
        while got <= MAX_RECORD_BYTES:
            chunk = os.read(fd, min(max(size + 1 - got, 65_536), MAX_RECORD_BYTES + 1 - got))
            if not chunk:
                break
            chunks.append(chunk)
            got += len(chunk)
        raw = chunks[0] if len(chunks) == 1 else b"".join(chunks)
    finally:
        os.close(fd)
    if max(size, len(raw)) > MAX_RECORD_BYTES:
        raise YamlProblem(
            f"file is {max(size, len(raw)) / 1_048_576:.1f} MB, larger than the "
            f"{MAX_RECORD_BYTES // 1_048_576} MB a record may be; not read"
        )
    return raw
