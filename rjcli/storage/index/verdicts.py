"""What the report redactor said of each worker-written text, kept in the index between
runs (judging a text reads everyone's identifiers and builds the matcher: most of what a
warm report cost).

A text's verdict depends only on the text and on the identifiers of every record (the
``people`` column of ``files``; as a set: the matcher finds the same keys in any order).
The index's triggers (``schema.TABLES``) delete every kept verdict and count one more
``people:generation`` whenever a row's identifiers are written otherwise, added or
deleted. A verdict is stored only if the generation is still the one read before the
identifiers it was judged against, so a change made meanwhile by another process is
never hidden.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, MutableMapping

from rjcli.storage.index.store import IndexStore


class KeptVerdicts(MutableMapping[str, str]):
    """Text -> what a report shows of it (itself, or the redactor's words for a text that
    names someone), as judged for the identifiers the index holds now; what is added is
    kept for the next run."""

    def __init__(self, store: IndexStore) -> None:
        self.store = store
        self.seen: dict[str, str] = {}
        self.generation = 0
        self.keeping = True
        try:
            for kind, text, shown in store.open().execute(
                    "SELECT 0, value, NULL FROM meta WHERE key = 'people:generation' "
                    "UNION ALL SELECT 1, text, shown FROM redactions"):
                if kind == 0:
                    self.generation = text
                else:
                    self.seen[text] = shown
        except sqlite3.Error:
            self.keeping = False

    def __getitem__(self, text: str) -> str:
        return self.seen[text]

    def __setitem__(self, text: str, shown: str) -> None:
        self.seen[text] = shown
        if not self.keeping:
            return
        try:  # one connection for every verdict of the run (each commit is its own)
            db = self.store.open()
            db.execute("INSERT OR REPLACE INTO redactions SELECT ?, ? WHERE coalesce((SELECT "
                       "value FROM meta WHERE key = 'people:generation'), 0) = ?",
                       (text, shown, self.generation))
            db.commit()
        except sqlite3.Error:  # locked or read-only: judged again next time
            self.keeping = False
            self.store.close()

    def __delitem__(self, text: str) -> None:
        del self.seen[text]

    def __iter__(self) -> Iterator[str]:
        return iter(self.seen)

    def __len__(self) -> int:
        return len(self.seen)
