"""What a change of some victims' identifiers can change in the matcher's findings (pure),
so that ``rj check`` scans again only the texts it can concern.

The matcher (:mod:`rjcli.core.identifiers`) is built from every victim, in id order; a
look-up key (a name or address phrase, a family name, phone, e-mail, postcode, date of
birth) holds the owner that the last (or, for an address, first) victim gave it. When
only some victims changed, a key's value can differ only if one of *their* one-person
matchers gives it differently before and after (:func:`changed_keys`). A text's findings
can differ only if the text holds such a key, or a word that decides whether a kind is
looked for at all (an anchor), or a year of a changed date of birth
(:meth:`Delta.touches`: a cheap test that may say yes too often, never too rarely).

A change of the staff list changes only what is found of a family name alone, and only
of a word of a colleague's name, added or removed (:func:`staff_changed`): a staff word is
never taken alone for a family name, nor found as one where it is a colleague's.

What the whole matcher gives every text alike (staff words excluded, the longest phone,
which kinds are empty) is its :func:`shape`: when that differs, every text is scanned
again.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from rjcli.core.identifiers import (
    Matcher,
    matcher_of,
    name_words,
    phrase_anchors,
    plain,
    written_forms,
)
from rjcli.core.model import Identifiers

_NON_DIGITS = re.compile(r"\D")
_NON_ALNUM = re.compile(r"[^0-9A-Z]")
_SPACED = str.maketrans({c: " " for c in "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~\u2018\u2019"
                         "\u201c\u201d\u00ab\u00bb\u2013\u2014\u2026\u00b7\u2022"})
"""As the matcher splits a text into its words (``identifiers._SPACED``)."""


def shape(matcher: Matcher) -> list[object]:
    """What every text's findings depend on besides the keys themselves: the longest phone
    (how far a run of digits is tried) and which kinds are looked for at all. (The longest
    phrase is not: a phrase is looked up whole, so one found is found whatever the others'
    lengths; a phrase that changed is a changed key.)"""
    return [matcher.longest_phone, bool(matcher.phrases),
            bool(matcher.surnames), bool(matcher.phones), bool(matcher.emails),
            bool(matcher.postcodes), bool(matcher.birthdays)]


@dataclass
class Delta:
    """The keys whose owner (or presence) may differ, as strings a text would hold."""

    words: set[str] = field(default_factory=set)
    """Anchors of changed phrases (every written form), family names, e-mails: folded."""
    phones: set[str] = field(default_factory=set)
    """National digits."""
    postcodes: set[str] = field(default_factory=set)
    """Upper case, letters and digits only."""
    postcode_words: set[str] = field(default_factory=set)
    """Postcode anchors (whole words of the folded text)."""
    years: set[str] = field(default_factory=set)
    """The last two digits of the year of each changed date of birth."""

    def __or__(self, other: Delta) -> Delta:
        return Delta(self.words | other.words, self.phones | other.phones,
                     self.postcodes | other.postcodes,
                     self.postcode_words | other.postcode_words, self.years | other.years)

    @property
    def empty(self) -> bool:
        return not (self.words or self.phones or self.postcodes or self.postcode_words
                    or self.years)

    def touches(self, text: str) -> bool:
        """Whether ``text``'s findings may differ (False: they are as they were)."""
        text = plain(text)
        folded = text.casefold()
        if any(w in folded for w in self.words) or any(y in text for y in self.years):
            return True
        if self.phones:
            digits = _NON_DIGITS.sub("", text)
            if any(p in digits for p in self.phones):
                return True
        if self.postcodes:
            squeezed = _NON_ALNUM.sub("", text.upper())
            if any(p in squeezed for p in self.postcodes):
                return True
        return (any(w in folded for w in self.postcode_words)
                and not self.postcode_words.isdisjoint(folded.translate(_SPACED).split()))


def staff_changed(before: Iterable[str], after: Iterable[str]) -> Delta:
    """The words a change of the staff list from ``before`` to ``after`` (full names) may
    find otherwise: each word of one list's names not of the other's (a family name
    ``Quill`` is looked for as ``quill`` and ``quills``, both holding the word)."""
    return Delta(words=written_forms(name_words(before) ^ name_words(after)))


def changed_keys(before: Mapping[str, Identifiers], after: Mapping[str, Identifiers],
                 exclude_words: Iterable[str] = ()) -> Delta:
    """The keys the victims that differ between ``before`` and ``after`` (by id: added,
    removed or changed) may give otherwise."""
    words = list(exclude_words)
    delta = Delta()
    for victim_id in sorted(before.keys() | after.keys()):
        old, new = before.get(victim_id), after.get(victim_id)
        if old == new:
            continue
        _add(delta, _one(old, words), _one(new, words))
    return delta


def _one(person: Identifiers | None, words: Sequence[str]) -> Matcher:
    return matcher_of([person] if person is not None else [], words)


def _differ(old: Mapping[object, object], new: Mapping[object, object]) -> set[object]:
    return {k for k in old.keys() | new.keys() if old.get(k) != new.get(k)}


def _add(delta: Delta, old: Matcher, new: Matcher) -> None:
    # a phrase is found only where its longest word is, written one of its ways; the
    # same words decide whether names are looked for at all
    delta.words |= {a for phrase in _differ(old.phrases, new.phrases)
                    for a in phrase_anchors(phrase)}  # type: ignore[arg-type]
    delta.words |= {str(k) for k in _differ(old.surnames, new.surnames)}
    delta.words |= {str(k) for k in _differ(old.emails, new.emails)}
    delta.phones |= {str(k) for k in _differ(old.phones, new.phones)}
    postcodes = {str(k) for k in _differ(old.postcodes, new.postcodes)}
    delta.postcodes |= postcodes
    delta.postcode_words |= {f for p in postcodes
                             for f in (p.casefold(), p[-3:].casefold(), p[-2:].casefold())}
    delta.postcode_words |= old.postcode_anchors ^ new.postcode_anchors
    for key in _differ(old.birthdays, new.birthdays):
        year = str(key).split("-")[0].lstrip("'")
        delta.years.add(f"{int(year) % 100:02}")
