"""Write-through: a record file rj has just written is taken into the index at once, so
the next run finds its bytes there (compared, not parsed).

The index's saved listing does not hold a file written this way (its stat is unknown
until a refresh lists it): the file is noted as ``unlisted``, and the next refresh
looks for it wherever it now is, or deletes its row when it is gone (deleted, renamed,
reset by git) - never serving a record that has no file.
"""

from __future__ import annotations

from datetime import date

from rjcli.storage.atomic import locked
from rjcli.storage.index.records import RecordRows
from rjcli.storage.index.rows import content_digest
from rjcli.storage.index.schema import fingerprint, settings_fingerprint


class WriteThrough(RecordRows):
    """The index, taking in what rj writes."""

    def written(self, rel: str, raw: bytes, today: date) -> bool:
        """Take in a record file rj has just written (``raw``: the bytes it wrote), so that
        the next run finds it here and need not parse it. Does nothing (False) when the
        index is for other settings or another rj version, or the file no longer holds these
        bytes (someone changed it again: the next refresh reads it)."""
        from rjcli.storage.listing import KIND_OF_FOLDER
        from rjcli.storage.recordfile import YamlProblem, read_bytes

        with locked(self.casebook.lock_path("index"), "the index", wait=0.5):
            if (self.meta("fingerprint") != fingerprint(self.casebook)
                    or self.meta("settings") != settings_fingerprint(self.casebook)):
                return False  # the next refresh rebuilds or re-evaluates first
            try:
                if read_bytes(self.casebook.root / rel) != raw:
                    return False
            except (OSError, YamlProblem):
                return False
            content = content_digest(raw)
            self.add_unlisted(rel)
            if self._holds(rel, content):
                self.open().commit()
                return True
            # its stat is left unknown (-1): the next refresh compares the file's bytes
            # with these (a read, no parse) and takes its stat then
            found = (KIND_OF_FOLDER[rel.partition("/")[0]], (len(raw), -1, 0))
            affected = self._affected_ids([], [rel]) | self._reread(rel, found, raw, content,
                                                                     None)
            self._evaluate(affected, today)
            self._touched = affected
            self._save_due_items()
            self.open().commit()
            return True
