"""Policy files found valid before: their schema check is not run again.

Checking a policy data file (the Victims' Code rights list, the offence categories)
against its JSON Schema means importing ``jsonschema``, a fifth of a report's time. The
answer depends only on the file's bytes, the shipped schemas and rj's version, so a file
found valid once is noted, by a digest of all three, in ``.rj/valid-policy`` (owner-only,
like the rest of ``.rj/``), and is not checked again while none of them changes. Only
"valid" is kept: a file with problems is checked, and refused, every time.

The note is a cache: when it cannot be read or written (a read-only casebook, a full
disk), the file is simply checked as before.
"""

from __future__ import annotations

import contextlib
import hashlib
from pathlib import Path

from rjcli import __version__

NOTE = "valid-policy"
KEPT = 32
"""Digests kept (a casebook has a handful of policy files; older ones drop out)."""


def digest_of(schema: str, raw: bytes) -> str:
    """What the schema check of ``raw`` against ``schema`` depends on."""
    from rjcli.storage.schemas import shipped_digest

    return hashlib.sha256(__version__.encode() + b"\0" + shipped_digest() + schema.encode()
                          + b"\0" + raw).hexdigest()


def _noted(cache_dir: Path) -> list[str]:
    """The digests noted (none when the note is missing, damaged, or not a regular file:
    a FIFO or a link put in its place is never opened)."""
    from rjcli.storage.recordfile import YamlProblem, read_bytes

    try:
        return read_bytes(cache_dir / NOTE).decode("ascii").split()
    except (OSError, ValueError, YamlProblem):
        return []


def found_valid(cache_dir: Path, schema: str, raw: bytes) -> bool:
    """Whether these bytes were found valid against ``schema`` before."""
    return digest_of(schema, raw) in _noted(cache_dir)


def note_valid(cache_dir: Path, schema: str, raw: bytes) -> None:
    """Keep that these bytes are valid against ``schema`` (quietly not, if it cannot be)."""
    from rjcli.storage.atomic import atomic_write

    digest = digest_of(schema, raw)
    kept = [d for d in _noted(cache_dir) if d != digest][-(KEPT - 1):]
    with contextlib.suppress(OSError):  # atomic_write makes .rj/ owner-only if need be
        atomic_write(cache_dir / NOTE, "\n".join([*kept, digest]) + "\n")
