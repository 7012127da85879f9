"""The one gate on writes to a child's record: no victim's identifiers (Somerset 5.4).

Every change to a record under ``children/`` - a contact note, a consent's source, a
closure note, a reopening reason, child-side work, ``rj edit``, a new record, any command
added later - passes through :class:`~rjcli.storage.casebook.Casebook`, which calls
:func:`refuse_victim_identifiers` before it writes. The text the change *adds* (every
value that was not on the record before) is searched, with the matcher of ``rj check``
(``rjcli.core.identifiers``), for the identifiers of the victims linked to the child and
of any victim whose id the new text names. A finding refuses the whole change: nothing is
written.

The one exception (YJB §30, §34; Somerset 5.4 leaves family victims to a case-by-case
decision): a victim of kind ``family-or-carer`` whose appearance on this child's record a
manager approved with a reason (``rj victim family-approve``).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from rjcli.errors import ChangeRefused, RjError

if TYPE_CHECKING:
    from rjcli.core.model import Victim
    from rjcli.storage.casebook import Casebook

_VICTIM_ID = re.compile(r"\bV-[0-9A-HJKMNP-TV-Z]{4,8}\b")


def _scalars(value: Any, key: str = "") -> Iterator[str]:
    """Every scalar of a parsed record as ``key: value`` (the key keeps a child's own
    ``dob:`` and ``date:`` values from being taken for a victim's birthday)."""
    if isinstance(value, Mapping):
        for k, v in value.items():
            yield from _scalars(v, str(k))
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _scalars(item, key)
    elif isinstance(value, (str, int, float, date)) and not isinstance(value, bool):
        yield f"{key}: {value.isoformat() if isinstance(value, date) else value}"


def added_text(before: Mapping[str, Any] | None, after: Mapping[str, Any]) -> str:
    """The values a change adds to a record, one ``key: value`` a line (a value already on
    the record is not looked at again: ``rj check`` reports what was there before)."""
    old = Counter(_scalars(before or {}))
    added = []
    for line in _scalars(after):
        if old[line]:
            old[line] -= 1
        else:
            added.append(line)
    return "\n".join(added)


def added_comments(before_text: str, after_text: str) -> str:
    """What follows a ``#`` on each line the new text adds (a line already there is not
    looked at again); a ``#`` inside a quoted value only adds text to look at."""
    old = Counter(before_text.splitlines())
    found = []
    for line in after_text.splitlines():
        if old[line]:
            old[line] -= 1
        elif "#" in line:
            found.append(line[line.index("#") + 1:].strip())
    return "\n".join(found)


def _linked(data: Mapping[str, Any] | None) -> set[str]:
    refs = (data or {}).get("victims")
    return {str(r["ref"]) for r in refs if isinstance(r, Mapping) and r.get("ref")} \
        if isinstance(refs, list) else set()


def _data(before: Mapping[str, Any] | str | None) -> Mapping[str, Any] | None:
    """The record as it was: parsed data, or its text parsed (None: there was none, or it
    did not parse - then everything the change leaves is looked at)."""
    if isinstance(before, str):
        from rjcli.storage import yamlio

        try:
            before = yamlio.parse_text(before)
        except yamlio.YamlProblem:
            return None
    return before if isinstance(before, Mapping) else None


def refuse_victim_identifiers(casebook: Casebook, child_id: str,
                              before: Mapping[str, Any] | str | None,
                              after: Mapping[str, Any], after_text: str | None = None) -> None:
    """Raise :class:`ChangeRefused` when the change adds a victim's identifier to the
    child's record (see the module docstring); nothing has been written yet. ``before``:
    the record until now, as data or text (None for a new record); ``after_text``: the new
    text as typed, whose new comments are looked at too (a comment is in the file)."""
    from rjcli.core.identifiers import family_approval, find, victim_identifiers

    comments = added_comments(before if isinstance(before, str) else "", after_text or "")
    before = _data(before)
    text = "\n".join(filter(None, [added_text(before, after), comments]))
    if not text:
        return
    victims = _victims(casebook, sorted(_linked(before) | _linked(after)
                                        | set(_VICTIM_ID.findall(text))))
    allowed = {v.id for v in victims if family_approval(v, child_id) is not None}
    watched = [v for v in victims if v.id not in allowed]
    if not watched:
        return
    staff = [s.name for s in casebook.config.staff]
    matcher = victim_identifiers(watched, exclude_words=[w for n in staff for w in n.split()])
    own = [str(after.get("name") or ""), *staff]
    findings = find(text, matcher, own, own_dates=True)
    if findings:
        what = ", ".join(dict.fromkeys(f"{f.what} ({f.owner})" for f in findings))
        raise ChangeRefused(
            f"{child_id}'s record must not identify a victim (Somerset 5.4): the new text "
            f"holds {what}; nothing was written",
            hint="refer to victims only as 'Victim 1' or by id on the child's record. A "
                 "family-or-carer victim may appear there once a manager approves it: "
                 "rj victim family-approve V-... --child C-... --manager NAME --reason TEXT")


def _victims(casebook: Casebook, ids: list[str]) -> list[Victim]:
    found = []
    for victim_id in ids:
        try:
            found.append(casebook.victim(victim_id))
        except RjError:  # gone or unreadable: rj check reports the broken link
            continue
    return found


def identifiers_in_child_text(casebook: Casebook, child_id: str, text: str) -> list[str]:
    """What a text written from a child's record (a letter to the child and family) holds
    of the linked victims' identifiers, or of a victim it names by id, in words (empty:
    nothing). No exception here: a manager's approval covers the child's record only."""
    from rjcli.core.identifiers import find, victim_identifiers

    data = casebook.read(child_id)
    victims = _victims(casebook, sorted(_linked(data) | set(_VICTIM_ID.findall(text))))
    if not victims:
        return []
    staff = [s.name for s in casebook.config.staff]
    matcher = victim_identifiers(victims, exclude_words=[w for n in staff for w in n.split()])
    own = [str(data.get("name") or ""), *staff]
    return list(dict.fromkeys(f"{f.what} ({f.owner})" for f in find(text, matcher, own)))
