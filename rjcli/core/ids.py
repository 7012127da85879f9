"""Record ids and entry ids.

Record ids (``V-7K3M2Q``, ``C-4HX9TD``) are short enough to read out on the phone:
a letter for the folder and six Crockford base-32 characters (no I, L, O or U, so
nothing reads as a digit). They are random, not counters, so two workers creating
records on different laptops before syncing do not collide (1 in a billion per
pair); the storage layer also checks the folder under a lock.

Entry ids on appended log entries are ULID-style: 48 bits of milliseconds then 80
random bits, 26 characters, so they sort by time and are unique across machines
(the merge driver unions logs by entry id).
"""

from __future__ import annotations

import re

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
RECORD_PREFIX = {"victim": "V", "child": "C"}
PREFIX_KIND = {v: k for k, v in RECORD_PREFIX.items()}
RECORD_ID_RE = re.compile(r"^(V|C)-[0-9A-HJKMNP-TV-Z]{4,8}$")
ENTRY_ID_RE = re.compile(r"^[0-9A-HJKMNP-TV-Z]{26}$")

CaseId = str
EntryId = str


def is_record_id(text: str) -> bool:
    """True when ``text`` is a well-formed record id (no path can hide in it)."""
    return bool(RECORD_ID_RE.fullmatch(text))


def normalise_record_id(text: str) -> str | None:
    """Upper-case a typed id (``v-7k3m2q``) and return it when valid, else None."""
    candidate = text.strip().upper()
    return candidate if is_record_id(candidate) else None


def kind_of(record_id: CaseId) -> str:
    """``victim`` or ``child`` for a valid id."""
    return PREFIX_KIND[record_id[0]]


def _encode(number: int, length: int) -> str:
    chars = []
    for _ in range(length):
        chars.append(CROCKFORD[number & 31])
        number >>= 5
    return "".join(reversed(chars))


def new_record_id(kind: str, random_bytes: bytes) -> CaseId:
    """A fresh record id from at least 4 random bytes (30 bits are used)."""
    number = int.from_bytes(random_bytes[:4], "big") >> 2
    return f"{RECORD_PREFIX[kind]}-{_encode(number, 6)}"


def new_entry_id(millis: int, random_bytes: bytes) -> EntryId:
    """A ULID-style entry id from a millisecond timestamp and 10 random bytes."""
    return _encode(millis & ((1 << 48) - 1), 10) + _encode(int.from_bytes(random_bytes[:10], "big"), 16)


LOOK_ALIKES = str.maketrans({"S": "5", "O": "0", "I": "1", "L": "1", "B": "8", "Z": "2"})
"""Characters heard or read for one another (Crockford: O is 0, I and L are 1; on the
phone S and 5, B and 8, Z and 2 are easily confused)."""


def _one_apart(a: str, b: str) -> bool:
    """One character changed, or two neighbours swapped."""
    if len(a) != len(b):
        return False
    diffs = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
    if len(diffs) == 1:
        return True
    return (len(diffs) == 2 and diffs[1] == diffs[0] + 1
            and a[diffs[0]] == b[diffs[1]] and a[diffs[1]] == b[diffs[0]])


def similar_ids(typed: str, existing: list[CaseId]) -> list[CaseId]:
    """Ids in ``existing`` that ``typed`` may have meant: the same once look-alike
    characters (S/5, O/0, I/1, B/8, Z/2) are read alike, else one character off."""
    wanted = typed.strip().upper()
    same = [r for r in existing if r.translate(LOOK_ALIKES) == wanted.translate(LOOK_ALIKES)
            and r != wanted]
    if same:
        return sorted(same)
    return sorted(r for r in existing if _one_apart(r, wanted))
