"""``rj check`` from the index: the same problems as reading every file, redoing only what
a change can alter.

* Each record file's own problems (schema, unknown fields, entry ids, dates) are kept by
  the digest of its bytes and the days they hold for; only files whose bytes changed
  (or whose dates' answer changed with the day) are checked again.
* Links (both ways, labels), open cases' allocations and listed documents are read from
  the stored data, without building a record.
* Every privacy-scanned file's findings are kept by its bytes' digest (and the child's
  own name); a change to a victim's identifiers scans again only the files that hold
  one of the keys it changes (:mod:`rjcli.core.matcher_delta`), and every file when the
  staff list or the matcher's shape changed.
"""

from __future__ import annotations

import hashlib
import json
import os
from datetime import date
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from rjcli.core import checks, identifiers
from rjcli.core.problems import Problem
from rjcli.errors import RecordInvalid, RjError

if TYPE_CHECKING:
    from rjcli.core.identifiers import Matcher
    from rjcli.core.model import Identifiers
    from rjcli.storage.casebook import Casebook
    from rjcli.storage.index import Index


def records_from_index(casebook: Casebook, index: Index, today: date) -> list[Problem]:
    """Parse problems, each file's own problems, links, allocations and documents."""
    from rjcli.core.staff import allocation_problems
    from rjcli.storage.checkfiles import own_problems
    from rjcli.storage.documents import check_documents
    from rjcli.storage.purge import tombstone_ids

    problems = index.problems()
    unreadable = {Path(p.path).stem for p in problems}
    kept = index.own_checks(today)
    files = index.record_files()
    missing = {record_id: (kind, rel) for rel, kind, record_id, _ in files if rel not in kept}
    fresh = {}
    for record_id, data in index.data_of(missing).items():
        kind, rel = missing[record_id]
        fresh[rel] = (*own_problems(casebook, kind, rel, data, today), links_of(kind, data),
                      isinstance(data.get("documents"), list) and bool(data["documents"]))
    index.store_own_checks(fresh)
    for rel, *_ in files:
        problems += kept[rel] if rel in kept else fresh[rel][0] if rel in fresh else []
    victims, children, paths = index.link_facts()
    problems += checks.link_problems(victims, children, paths, tombstone_ids(casebook),
                                     unreadable)
    try:
        staff = casebook.config.staff
    except RjError:
        staff = []  # rj.yaml does not parse: reported by check_config
    problems += allocation_problems(index.open_cases(), paths, staff)
    problems += check_documents(casebook, index.data_of(index.with_documents()), paths)
    return problems


def links_of(kind: str, data: dict[str, Any]) -> list[Any]:
    """What checks.check_links reads of a record, as the record model reads it: a victim's
    linked child ids, a child's [victim id, label] pairs."""
    from rjcli.core.model import log_entries

    if kind == "victim":
        return [str(e.get("child", "")) for e in log_entries(data.get("children"))]
    return [[str(e.get("ref", "")), str(e.get("label", ""))]
            for e in log_entries(data.get("victims"))]


# --- privacy -------------------------------------------------------------------------


def _identifiers(raw: str) -> Identifiers:
    from rjcli.core.model import Identifiers

    return Identifiers(*(tuple(v) if isinstance(v, list) else v for v in json.loads(raw)))


def _names(raw: str | None) -> list[str] | None:
    """The staff names kept with the findings (None: none kept, or not a list of names)."""
    try:
        names = json.loads(raw) if raw else None
    except ValueError:
        return None
    return names if isinstance(names, list) and all(isinstance(n, str) for n in names) \
        else None


def _digest(path: str) -> str | None:
    try:
        with open(path, "rb") as handle:
            return hashlib.sha1(handle.read(), usedforsecurity=False).hexdigest()
    except OSError:
        return None


class PrivacyScan:
    """The privacy check of one run, from the index's kept findings."""

    def __init__(self, casebook: Casebook, index: Index) -> None:
        self.casebook = casebook
        self.index = index
        try:
            self.staff = [s.name for s in casebook.config.staff]
        except RecordInvalid:
            self.staff = []  # rj.yaml does not parse: reported by check_config
        self.words = [w for n in self.staff for w in n.split()]
        self.people = index.victim_people()
        self.before = index.checked_people()
        """The victims' identifiers the kept findings were made with."""
        self._matcher: Matcher | None = None

    @property
    def matcher(self) -> Matcher:
        if self._matcher is None:
            self._matcher = identifiers.matcher_of(
                (_identifiers(self.people[v]) for v in sorted(self.people)), self.words)
        return self._matcher

    def problems(self) -> list[Problem]:
        from rjcli.storage.checkfiles import approved_notes, readable_text, scanned_files

        index = self.index
        names = index.child_names()
        contents = index.contents("child")
        scanned: dict[str, tuple[str, str | None, list[str], bool, str | None]] = {}
        for rel, path, record_file in scanned_files(self.casebook):
            name = os.path.basename(path)
            stem = PurePosixPath(name).stem  # as Path.stem reads it, dots and all
            child_id = next((c for c in (stem, name[:name.find("-", 2)]) if c in names), None)
            own = [names[child_id]] if child_id and names[child_id] else []
            digest = contents.get(rel) or _digest(path)
            key = f"{digest}:{int(record_file)}:{json.dumps(own)}" if digest else None
            scanned[rel] = (path, key, own, record_file, child_id)
        kept = index.privacy_rows()
        rows = self._still_valid(kept, {rel: s[0] for rel, s in scanned.items()})
        fresh = {}
        for rel, (path, key, own, record_file, _) in scanned.items():
            if key is None or rows.get(rel, ("",))[0] != key:
                text = readable_text(Path(path))
                found = None if text is None else [
                    [f.what, f.owner, f.line, f.severity] for f in identifiers.find(
                        text, self.matcher, own + self.staff, own_dates=record_file)]
                rows[rel] = (key or "", found)
                if key is not None:
                    fresh[rel] = (key, found)
        self._save(fresh, gone=kept.keys() - scanned.keys())
        problems: list[Problem] = []
        for rel, (path, _, _, record_file, child_id) in scanned.items():
            found = rows[rel][1]
            if found is None:
                if PurePosixPath(path).suffix not in (".yaml", ".yml") or not record_file:
                    problems.append(Problem(rel, None, "not checked for victim identifiers: "
                                            "not a text, Markdown, HTML or Word file rj can "
                                            "read", severity="warning"))
                continue
            if not found:
                continue
            findings = [identifiers.Finding(*f) for f in found]
            stem = PurePosixPath(path).stem
            if record_file and child_id is not None and stem == child_id:
                findings, notes = approved_notes(findings, self._victims(findings), child_id)
                problems += [Problem(rel, line, note, severity="note") for line, note in notes]
            problems += [identifiers.as_problem(rel, f) for f in findings]
        return problems

    def _victims(self, findings: list[identifiers.Finding]) -> dict[str, Any]:
        from rjcli.core.model import victim_from_dict

        return {r: victim_from_dict(d) for r, d in
                self.index.data_of({f.owner for f in findings}).items()
                if r in self.people}

    def _still_valid(self, rows: dict[str, tuple[str, Any]], paths: dict[str, str]
                     ) -> dict[str, tuple[str, Any]]:
        """The kept findings that hold for today's staff and victims' identifiers: all,
        none (the matcher's shape changed), or all but those of the files a change of some
        victims' identifiers or of the staff list may concern (read again to tell)."""
        from rjcli.core.matcher_delta import Delta, changed_keys, shape, staff_changed
        from rjcli.storage.checkfiles import readable_text

        index = self.index
        staff = _names(index.meta("privacy:staff"))
        before = self.before
        if not rows or staff is None:
            return {}
        if before == self.people and staff == sorted(self.staff):
            return rows
        if index.meta("privacy:shape") != json.dumps(shape(self.matcher)):
            return {}
        differ = {v for v in before.keys() | self.people.keys()
                  if before.get(v) != self.people.get(v)}
        delta = changed_keys({v: _identifiers(before[v]) for v in differ if v in before},
                             {v: _identifiers(self.people[v]) for v in differ
                              if v in self.people}, self.words) if differ else Delta()
        delta |= staff_changed(staff, self.staff)
        kept = {}
        for rel, row in rows.items():
            text = (readable_text(Path(paths[rel])) if rel in paths and row[1] is not None
                    else None)
            if rel in paths and (text is None or not delta.touches(text)):
                kept[rel] = row
        return kept

    def _save(self, fresh: dict[str, tuple[str, Any]], gone: set[str]) -> None:
        from rjcli.core.matcher_delta import shape

        index = self.index
        index.store_privacy(fresh, gone)
        before = self.before
        if before != self.people:
            index.save_checked_people(self.people, before)
        index.set_meta("privacy:staff", json.dumps(sorted(self.staff)))
        if self._matcher is not None or before != self.people:
            index.set_meta("privacy:shape", json.dumps(shape(self.matcher)))
