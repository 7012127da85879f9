"""Three-way merge of casebook records, for team work over git (pure).

Two workers change copies of the same record on different laptops; ``merge`` takes
the version both started from (*base*) and the two changed versions (*ours*,
*theirs*) as plain parsed YAML and returns one record holding both sets of changes,
plus every place where the two really disagree.

* A field changed on one side only takes that side's value; unchanged on both,
  it stays; changed to the same value on both, it is that value.
* A log of appended entries (every key of :data:`LOG_KEYS`, and any nested list
  whose entries all carry an ``id``, such as a conference's ``agreement``) is a
  union by entry id: an entry added on one side is added, in date order (its
  ``at``/``date``, then id); an entry removed on one side and untouched on the
  other is removed; an entry present on both sides is merged field by field.
* The staff list of ``rj.yaml`` is a union by name the same way, a child's victim
  list by victim id (``ref``) and a victim's child links by child id. Two victims
  added to one child on both sides can carry the same "Victim 2" label: labels the
  record already had are kept, then those of the senior side (the shared copy), and
  a clashing newcomer takes the next free number. Labels never conflict.
* An entry with an integer id is known by it like a text id (two entries added with
  id 2 on both sides conflict field by field instead of both being kept); an entry
  without an id is known by its content, and one changed on both sides (each side
  removing it and adding its own version) is a conflict on the whole list.
* Any other value (a name, ``phones``, an address line) changed differently on
  both sides is a :class:`Conflict`: the merged data keeps *ours* there, and the
  caller decides (rj's merge driver writes conflict markers and fails).

No file IO here: ``rjcli.storage.sync`` reads the files and applies the result onto
the round-trip tree of *ours* so comments and formatting survive.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Final

from rjcli.core.checks import LOG_KEYS


class _Missing:
    """The value of a field a version does not have (absent, or removed)."""

    _instance: _Missing | None = None

    def __new__(cls) -> _Missing:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "MISSING"

    def __bool__(self) -> bool:
        return False


MISSING: Final = _Missing()
"""Marks a field or entry that is not there in one version."""

KEYED_LISTS: Final[Mapping[str, str]] = {"staff": "name", "victims": "ref", "children": "child"}
"""Lists of mappings without ids that are still merged entry by entry, by this field."""

LABELLED_LISTS: Final[Mapping[str, str]] = {"victims": "label"}
"""Keyed lists whose entries carry a label that must stay unique ("Victim 2"): merged
without conflict, renumbered where two entries would share one (Somerset 5.4)."""

_NUMBERED = re.compile(r"^(.*?)(\d+)$")

WHEN_FIELDS: Final = ("at", "date", "started", "recorded_at")
"""Fields that date an entry, first found wins (merged logs are in date order)."""


@dataclass(frozen=True)
class EntryRef:
    """One entry of a log, as a step in a path: found again by its id."""

    key: str
    """The identifying value (the entry's ``id``; a staff member's name)."""
    field: str
    """Which field holds ``key`` ("id", "name"; "" when the entry has no id)."""
    when: str | None
    """The entry's date or moment as text, for messages ("2026-04-02 10:15")."""

    def __str__(self) -> str:
        return f"[{self.field or 'entry'}={self.key}]"


PathStep = str | EntryRef


@dataclass(frozen=True)
class Conflict:
    """One field both sides changed, each in its own way."""

    path: tuple[PathStep, ...]
    """Where: keys and entry references from the top of the record."""
    base: Any
    """The value both started from (MISSING when neither had it)."""
    ours: Any
    """Our value (MISSING when we removed it)."""
    theirs: Any
    """Their value (MISSING when they removed it)."""

    def where(self) -> str:
        """The path as text: ``contacts[id=01J...].note``."""
        text = ""
        for step in self.path:
            text += str(step) if isinstance(step, EntryRef) else ("." if text else "") + step
        return text or "(the whole file)"


@dataclass(frozen=True)
class MergeResult:
    """The merged data and what could not be merged."""

    merged: Any
    """Both sides' changes; at each conflict, our value."""
    conflicts: tuple[Conflict, ...]
    """Fields changed differently on both sides, in the order found."""

    @property
    def clean(self) -> bool:
        return not self.conflicts


def merge(base: Any, ours: Any, theirs: Any,
          log_keys: Sequence[str] = LOG_KEYS,
          keyed_lists: Mapping[str, str] = KEYED_LISTS, senior: str = "ours") -> MergeResult:
    """Three-way merge of plain parsed YAML (see the module docstring).

    ``base`` is None or MISSING for a file both sides created (git passes an empty
    file), which makes every field both sides set differently a conflict.
    ``senior`` ("ours" or "theirs"): the side whose labels stay when two clash.
    """
    merger = _Merger(frozenset(log_keys), keyed_lists, senior == "ours")
    start = MISSING if base is None else base
    merged = merger.value(start, ours, theirs, ())
    return MergeResult(merged=merged, conflicts=tuple(merger.conflicts))


def same(a: Any, b: Any) -> bool:
    """Equal as YAML values: ``1`` is not ``true``, ``"1"`` is not ``1``, key order aside."""
    if a is MISSING or b is MISSING:
        return a is b
    if isinstance(a, Mapping) or isinstance(b, Mapping):
        return (isinstance(a, Mapping) and isinstance(b, Mapping) and a.keys() == b.keys()
                and all(same(a[k], b[k]) for k in a))
    if isinstance(a, list) or isinstance(b, list):
        return (isinstance(a, list) and isinstance(b, list) and len(a) == len(b)
                and all(same(x, y) for x, y in zip(a, b, strict=True)))
    for kind in (bool, str, datetime):
        if isinstance(a, kind) != isinstance(b, kind):
            return False
    return bool(a == b)


def when_of(entry: Any) -> str | None:
    """The date or moment of an entry as sortable text, or None."""
    if not isinstance(entry, Mapping):
        return None
    for name in WHEN_FIELDS:
        value = entry.get(name)
        if isinstance(value, datetime):
            return value.strftime("%Y-%m-%d %H:%M")
        if isinstance(value, (date, str)) and str(value):
            return str(value)
    return None


Identity = Callable[[Any], EntryRef]


class _Merger:
    def __init__(self, log_keys: frozenset[str], keyed_lists: Mapping[str, str],
                 ours_senior: bool = True) -> None:
        self.log_keys = log_keys
        self.keyed_lists = keyed_lists
        self.ours_senior = ours_senior
        self.conflicts: list[Conflict] = []

    def value(self, base: Any, ours: Any, theirs: Any, path: tuple[PathStep, ...]) -> Any:
        if same(ours, theirs):
            return ours
        if same(base, ours):
            return theirs
        if same(base, theirs):
            return ours
        if isinstance(ours, Mapping) and isinstance(theirs, Mapping):
            return self.mapping(base if isinstance(base, Mapping) else {}, ours, theirs, path)
        if isinstance(ours, list) and isinstance(theirs, list):
            old = base if isinstance(base, list) else []
            identity = self.identity(path, old, ours, theirs)
            if identity is not None:
                return self.entries(old, ours, theirs, identity, path)
        if _is_label(path):
            return ours if self.ours_senior else theirs  # clashes are renumbered after
        self.conflicts.append(Conflict(path, base, ours, theirs))
        return ours

    def mapping(self, base: Mapping[str, Any], ours: Mapping[str, Any],
                theirs: Mapping[str, Any], path: tuple[PathStep, ...]) -> dict[str, Any]:
        merged: dict[str, Any] = {}
        for key in _key_order(ours, theirs):
            value = self.value(base.get(key, MISSING), ours.get(key, MISSING),
                               theirs.get(key, MISSING), (*path, key))
            if value is not MISSING:
                merged[key] = value
        return merged

    def identity(self, path: tuple[PathStep, ...], *lists: list[Any]) -> Identity | None:
        """How entries of this list are told apart, or None: merge it as one value."""
        key = path[-1] if path and isinstance(path[-1], str) else None
        items = [item for one in lists for item in one]
        if not all(isinstance(item, Mapping) for item in items):
            return None
        if key is not None and key in self.keyed_lists:
            field = self.keyed_lists[key]
            if not all(isinstance(item.get(field), str) for item in items):
                return None
            identity = _by_field(field)
        elif key in self.log_keys or (items and all(entry_id(i) is not None for i in items)):
            identity = _by_id_or_content
        else:
            return None
        for one in lists:  # a list holding one id twice cannot be merged by id
            keys = [identity(item).key for item in one]
            if len(keys) != len(set(keys)):
                return None
        return identity

    def entries(self, base: list[Any], ours: list[Any], theirs: list[Any],
                identity: Identity, path: tuple[PathStep, ...]) -> list[Any]:
        old = {identity(e).key: e for e in base}
        mine = {identity(e).key: e for e in ours}
        other = {identity(e).key: e for e in theirs}
        if _content_changed_on_both(old, mine, other, identity):
            self.conflicts.append(Conflict(path, base, ours, theirs))
            return ours
        merged: list[Any] = []
        for entry in ours:
            ref = identity(entry)
            value = self.value(old.get(ref.key, MISSING), entry, other.get(ref.key, MISSING),
                               (*path, ref))
            if value is not MISSING:
                merged.append(value)
        for entry in theirs:
            ref = identity(entry)
            if ref.key in mine:
                continue
            value = self.value(old.get(ref.key, MISSING), MISSING, entry, (*path, ref))
            if value is not MISSING:
                _insert_in_date_order(merged, value, identity)
        key = path[-1] if path and isinstance(path[-1], str) else ""
        if key in LABELLED_LISTS:
            senior = ours if self.ours_senior else theirs
            return _relabel(merged, LABELLED_LISTS[key], base, senior, identity)
        return merged


def _is_label(path: tuple[PathStep, ...]) -> bool:
    """True for the label of an entry of a labelled list (``victims[ref=V-1].label``)."""
    return (len(path) >= 3 and isinstance(path[-2], EntryRef) and isinstance(path[-3], str)
            and LABELLED_LISTS.get(path[-3]) == path[-1])


def _content_changed_on_both(old: Mapping[str, Any], mine: Mapping[str, Any],
                             other: Mapping[str, Any], identity: Identity) -> bool:
    """An entry without an id, changed on both sides: each side removed it and added its
    own version (a union would keep both versions, as two entries)."""
    def by_content(entries: Mapping[str, Any]) -> set[str]:
        return {key for key, entry in entries.items() if not identity(entry).field}

    gone = by_content(old) - set(mine) - set(other)
    new_mine = by_content(mine) - set(old) - set(other)
    new_other = by_content(other) - set(old) - set(mine)
    return bool(gone and new_mine and new_other)


def _relabel(merged: list[Any], field: str, base: list[Any], senior: list[Any],
             identity: Identity) -> list[Any]:
    """``merged`` with every ``field`` (label) unique: labels unchanged since the base
    are kept first, then the senior side's; a clashing one takes the next free number."""
    def labels(entries: list[Any]) -> dict[str, Any]:
        return {identity(e).key: e.get(field) for e in entries}

    was, seniors = labels(base), labels(senior)
    keys = [identity(e).key for e in merged]

    def rank(index: int) -> int:
        label = merged[index].get(field)
        return 0 if was.get(keys[index]) == label else 1 if seniors.get(keys[index]) == label else 2

    taken: set[Any] = set()
    clashing: list[int] = []
    for index in sorted(range(len(merged)), key=lambda i: (rank(i), i)):
        label = merged[index].get(field)
        if label in taken:
            clashing.append(index)
        taken.add(label)
    if not clashing:
        return merged
    numbers = [int(m.group(2)) for m in (_NUMBERED.match(str(t)) for t in taken) if m]
    following = max(numbers, default=0) + 1
    result = list(merged)
    for index in sorted(clashing):
        found = _NUMBERED.match(str(merged[index].get(field)))
        prefix = found.group(1) if found else "Victim "
        result[index] = {**merged[index], field: f"{prefix}{following}"}
        following += 1
    return result


def _key_order(ours: Mapping[str, Any], theirs: Mapping[str, Any]) -> list[str]:
    """Our keys in our order; a key only they have goes after the key it follows there."""
    order = list(ours)
    previous: str | None = None
    for key in theirs:
        if key not in order:
            order.insert(order.index(previous) + 1 if previous in order else 0, key)
        previous = key
    return order


def _by_field(field: str) -> Identity:
    def identity(entry: Any) -> EntryRef:
        return EntryRef(str(entry[field]), field, when_of(entry))

    return identity


def entry_id(entry: Any) -> str | None:
    """An entry's id as text: a text id, or an integer one (``id: 2``); None without."""
    value = entry.get("id") if isinstance(entry, Mapping) else None
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return None


def _by_id_or_content(entry: Any) -> EntryRef:
    """An entry's id; an entry written without one is known by its whole content."""
    known = entry_id(entry)
    if known is not None:
        return EntryRef(known, "id", when_of(entry))
    content = json.dumps(entry, sort_keys=True, default=str, ensure_ascii=False)
    return EntryRef(content, "", when_of(entry))


def _insert_in_date_order(entries: list[Any], entry: Any, identity: Identity) -> None:
    """Insert after the last entry dated no later (ties by id); undated: at the end."""
    ref = identity(entry)
    if ref.when is None:
        entries.append(entry)
        return
    position = None
    for index, other in enumerate(entries):
        other_ref = identity(other)
        if other_ref.when is None:
            continue
        if position is None:
            position = index  # before the first dated entry, unless one is earlier
        if (other_ref.when, other_ref.key) <= (ref.when, ref.key):
            position = index + 1
    entries.insert(len(entries) if position is None else position, entry)


# --- plain words ------------------------------------------------------------------------

FIELD_WORDS: Final[Mapping[str, str]] = {
    "name": "name", "phones": "phone number", "phone": "phone number", "email": "e-mail address",
    "address": "address", "lines": "address", "postcode": "postcode", "dob": "date of birth",
    "kind": "kind", "ethnicity": "ethnicity", "contact_preferences": "contact preferences",
    "needs": "needs", "entitlements": "entitlements", "parent_guardian": "parent or guardian",
    "representative": "representative", "home_service": "home service",
    "children": "linked children", "victims": "linked victims", "referral": "referral",
    "allocated": "allocation date", "worker": "allocated worker", "screening": "screening",
    "view": "view", "progress_request": "progress request", "vcs_notified": "VCS notification",
    "case_holder": "case holder", "disposal": "disposal", "sentence_date": "sentence date",
    "order_start": "order start", "order_end": "order end", "offences": "offences",
    "note": "note", "outcome": "outcome", "method": "method", "status": "status",
    "answer": "answer", "reason": "reason", "due": "due date", "who": "who",
    "action": "action", "venue": "venue", "service": "service",
}
"""Field names in the words of a practitioner (messages about conflicts)."""

ENTRY_WORDS: Final[Mapping[str, str]] = {
    "contacts": "contact", "consents": "consent", "status_history": "status change",
    "appointments": "appointment", "offers": "offer", "conferences": "conference",
    "agreement": "agreement item", "feedback": "feedback", "complaints": "complaint",
    "assessments": "assessment", "progress_updates": "progress update", "support": "support",
    "support_requests": "support request", "victim_awareness": "victim awareness session",
    "reparation": "reparation", "readiness": "readiness note", "staff": "staff member",
}
"""What one entry of each log is called."""


def describe(conflict: Conflict) -> str:
    """The conflicting field in plain words: "the phone number", "the note of the
    contact of 2026-04-02 10:15"."""
    words = "the " + _field_words(conflict.path)
    owner = _owner_words(conflict.path)
    return f"{words} of {owner}" if owner else words


def _field_words(path: tuple[PathStep, ...]) -> str:
    if not path:
        return "whole record"
    last = path[-1]
    if isinstance(last, EntryRef):
        return _entry_words(path)
    return FIELD_WORDS.get(last, last.replace("_", " "))


def _owner_words(path: tuple[PathStep, ...]) -> str:
    """The entry (or section) that holds the field, if any."""
    steps = path[:-1] if path and not isinstance(path[-1], EntryRef) else path[:-2]
    for index in range(len(steps) - 1, -1, -1):
        if isinstance(steps[index], EntryRef):
            return "the " + _entry_words(steps[: index + 1])
    top = steps[0] if steps else None
    if isinstance(top, str):
        return "the " + FIELD_WORDS.get(top, top.replace("_", " "))
    return ""


def _entry_words(path: tuple[PathStep, ...]) -> str:
    ref = path[-1]
    if not isinstance(ref, EntryRef):
        return "entry"
    key = path[-2] if len(path) >= 2 and isinstance(path[-2], str) else ""
    noun = ENTRY_WORDS.get(key, "entry")
    if ref.field == "name":
        return f"{noun} {ref.key}"
    return f"{noun} of {ref.when}" if ref.when else noun


def show_value(value: Any) -> str:
    """A value as a person reads it: lists joined, dates as YYYY-MM-DD, gaps named."""
    if value is MISSING or value is None:
        return "(removed)" if value is MISSING else "(empty)"
    if isinstance(value, list):
        return ", ".join(show_value(v) for v in value) if value else "(none)"
    if isinstance(value, Mapping):
        return "; ".join(f"{k}: {show_value(v)}" for k, v in value.items()) or "(none)"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)
