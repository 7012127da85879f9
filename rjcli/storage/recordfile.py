"""A record file as bytes and text, before any YAML: the size limit, the refusal of
binary or non-UTF-8 files, and the problem type every reader raises.

Kept apart from ``yamlio`` so that the index can read a file and compare its content
with what it holds without importing a YAML parser (~25 ms) when nothing changed.
"""

from __future__ import annotations

import os
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


def read_bytes(path: Path) -> bytes:
    """The bytes of a record file, never more than MAX_RECORD_BYTES read into memory: a
    larger file is a YamlProblem giving its real size."""
    with open(path, "rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        raw = handle.read(MAX_RECORD_BYTES + 1)
    if max(size, len(raw)) > MAX_RECORD_BYTES:
        raise YamlProblem(
            f"file is {max(size, len(raw)) / 1_048_576:.1f} MB, larger than the "
            f"{MAX_RECORD_BYTES // 1_048_576} MB a record may be; not read"
        )
    return raw
