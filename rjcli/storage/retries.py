"""A change saved but not committed to git is not saved twice when the command is run again.

When git cannot commit a change (a failing hook, a full disk, git gone) the change IS saved
and rj says so (``NotCommitted``, exit 20); a person who runs the same command again anyway
would append the same entry a second time. So each such change is remembered under
``.rj/`` by a digest of what it added (its values, less entry ids and the moment of
recording, which differ on every run) and the action; while the file is still waiting for
its commit, the same change again is refused as already saved (issue 15).
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rjcli.storage.casebook import Casebook

RETRIES = "uncommitted-changes"
"""Under ``.rj/``: ``path<TAB>digest`` of each change saved whose commit failed."""
_EVERY_RUN = ("id", "recorded_at")
"""Keys whose values differ each time the same command runs."""


def change_digest(action: str, before: Mapping[str, Any] | None,
                  after: Mapping[str, Any]) -> str:
    """What a change added, less what differs on every run, with its action."""
    from rjcli.storage.childgate import added_text

    lines = sorted(line for line in added_text(before, after).splitlines()
                   if line.split(":", 1)[0] not in _EVERY_RUN)
    return hashlib.sha256("\n".join([action, *lines]).encode("utf-8")).hexdigest()


def _remembered(casebook: Casebook) -> list[tuple[str, str]]:
    try:
        text = (casebook.cache_dir / RETRIES).read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    return [tuple(line.split("\t", 1)) for line in text.splitlines()  # type: ignore[misc]
            if "\t" in line]


def saved_already(casebook: Casebook, rel: str, digest: str) -> bool:
    """True when this very change was saved before and is still waiting for its commit."""
    from rjcli.storage.git import pending_commit

    return (rel, digest) in _remembered(casebook) and rel in pending_commit(casebook)


def remember(casebook: Casebook, rel: str, digest: str) -> None:
    """Note a change saved whose commit failed (a full disk: nothing more to do)."""
    from rjcli.storage.atomic import atomic_write

    lines = [f"{r}\t{d}" for r, d in _remembered(casebook)] + [f"{rel}\t{digest}"]
    with contextlib.suppress(OSError):
        atomic_write(casebook.cache_dir / RETRIES, "".join(f"{n}\n" for n in lines))


def forget(casebook: Casebook) -> None:
    """Every waiting change was committed."""
    with contextlib.suppress(FileNotFoundError):
        (casebook.cache_dir / RETRIES).unlink()
