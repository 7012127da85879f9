"""Feedback answers kept between runs of ``rj feedback`` at a terminal.

Kept under the casebook's ``.rj/feedback/ID-KIND.yaml`` (owner-only, never committed to
git: ``.rj/`` is ignored), written after every answer, removed once the feedback is saved
on the record; ``rj purge`` deletes a record's drafts with it (its ``ID-`` files under
``.rj/``).
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Any

FOLDER = "feedback"
"""The folder under the casebook's cache (``.rj``)."""


def draft_path(cache_dir: Path, record_id: str, kind: str) -> Path:
    return cache_dir / FOLDER / f"{record_id}-{kind}.yaml"


def read_draft(path: Path) -> Any:
    """The kept draft, or None (none kept, not a regular file, or unreadable)."""
    from rjcli.storage import yamlio

    if not os.path.isfile(path) or os.path.islink(path):
        return None
    try:
        return yamlio.parse_text(yamlio.decode(yamlio.read_bytes(path)))
    except (OSError, yamlio.YamlProblem):
        return None


def write_draft(path: Path, data: dict[str, Any]) -> None:
    """Replace the draft atomically (owner-only)."""
    from rjcli.storage import yamlio
    from rjcli.storage.atomic import atomic_write

    atomic_write(path, yamlio.dump_new(data))


def remove_draft(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)
