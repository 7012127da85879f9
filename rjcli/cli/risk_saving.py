"""Saving a risk assessment as it is answered: one ``Casebook.change`` per answer (locked,
validated, written atomically), so Ctrl-C or a dropped connection loses nothing."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from rjcli.cli.context import current
from rjcli.core.risk import ASSESSMENT_KEYS
from rjcli.errors import ChangeRefused


def put(entry: Any, key: str, value: Any) -> None:
    """Set ``entry[key]``, placing a new key where ASSESSMENT_KEYS puts it."""
    from rjcli.storage.edits import set_in

    is_new = key not in entry
    set_in(entry, [key], value)
    if is_new and key in ASSESSMENT_KEYS:
        rank = ASSESSMENT_KEYS.index(key)
        position = sum(1 for k in entry if k in ASSESSMENT_KEYS and ASSESSMENT_KEYS.index(k) < rank)
        entry.insert(position, key, entry.pop(key))


def ordered(entry: Mapping[str, Any]) -> dict[str, Any]:
    return {k: entry[k] for k in ASSESSMENT_KEYS if k in entry}


class Saver:
    """Writes one assessment entry of one record: created by the first save."""

    def __init__(self, record_id: str, entry: Mapping[str, Any] | None) -> None:
        self.record_id = record_id
        self.entry_id: str | None = str(entry["id"]) if entry else None
        self.saved: Mapping[str, Any] | None = entry
        self.data: Mapping[str, Any] = {}

    def save(self, fresh: Callable[[], dict[str, Any]], update: Callable[[Any], None]) -> None:
        """Create the entry with ``fresh()`` or apply ``update`` to it, then save."""
        from rjcli.storage.edits import append, find_entry

        def mutate(tree: Any) -> None:
            if self.entry_id is None:
                new = fresh()
                self.entry_id = str(new["id"])
                append(tree, "assessments", ordered(new))
                return
            entry = find_entry(tree, "assessments", self.entry_id)
            if entry is None:
                raise ChangeRefused(f"the assessment {self.entry_id} is no longer on "
                                    f"{self.record_id} (was the file edited?)")
            update(entry)

        data = current().casebook.change(self.record_id, mutate, "risk assessment on")
        self.saved = next(a for a in data.get("assessments") or []
                          if a.get("id") == self.entry_id)
        self.data = data

    def entry(self) -> Mapping[str, Any]:
        """The entry as last saved."""
        if self.saved is None:  # pragma: no cover - every path saves before asking
            raise ChangeRefused("nothing was saved")
        return self.saved


