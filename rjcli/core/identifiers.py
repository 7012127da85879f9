"""Finding a person's identifiers in text, written the ways people actually type them.

One matcher, used wherever text must not identify a victim: ``rj check`` (every file under
``children/``, reports, child-side letters), the gate on writes to a child's record, the
report redactor, the child's subject-access export and child letters (Somerset 5.4;
Wait 'til Eight §7.10.1).

What it finds, from each person's recorded details:

* a **name**: the full name, first and last name, "Last, First", in any case, spacing or
  punctuation; the **family name** alone or plural (``the Quills'``; a warning) when it is
  not a common word (:data:`COMMON_WORDS`), not a staff member's and not the child's own;
* a **phone number** in any spacing, with ``+44``, ``0044``, ``(0)`` or brackets;
* an **e-mail address** in any case;
* a **postcode** in any case, spacing and separators (``XE3 1AB``, ``xe31ab``, ``XE3/1AB``,
  ``XE3 1 AB``, ``X E3 1AB``);
* an **address line** (the street lines of the recorded address; not a town alone), in any
  case, spacing and punctuation, with ``Rd``/``St``/``Ave``... read as the full word;
* a **date of birth** in every common written form: ``14/09/1963``, ``14.09.1963``,
  ``14-09-1963``, ``14 09 1963``, ``14/9/63``, ISO ``1963-09-14``, ``14 Sept 1963``, ``14th September 1963``,
  ``14th of Sept '63``, ``14th day of September 1963``, ``September 14, 1963``,
  ``14SEP1963``, ``14091963``, ``19630914``, ``14 IX 1963``; a numeric date is read both
  day-first and month-first (US order), a two-digit year as its last two digits.

The text is read as it shows (:func:`plain`: full-width letters as plain ones, zero-width
and soft-hyphen characters dropped). The whole text is scanned at once (tokens and regular
expressions over the text, not a loop per line), and each finding located on its line.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from datetime import date
from typing import Any

from rjcli.core.model import Identifiers, Victim, identifiers_of, log_entries
from rjcli.core.problems import Problem
from rjcli.core.written_dates import (COMPACT_DATE, MONTH_WORDS, birthday_keys,
                                      eight_digit_keys, named_month_dates, numeric_dates,
                                      other_dates, owner_of_words)

# --- what each finding is called --------------------------------------------------------

NAME = "a victim's name"
PHONE = "a victim's phone number"
EMAIL = "a victim's e-mail address"
POSTCODE = "a victim's postcode"
ADDRESS = "a victim's address"
BIRTHDAY = "a victim's date of birth"

COMMON_WORDS = frozenset("""
baker banks bell best bird black bond booth bridge bridges brook brooks brown burns bush
butler carpenter carter case chance chapman church clay clark clarke coates cook cooper
cross day dean drew eve fair field fielding fisher fletcher ford fox frost fry gardener
glass gold good grace gray green grey hall hand hardy hart hay hill hills hood hope horn
house hunt hunter joy keen king knight lamb lane law lee little lock long lord love low
major mann mark marsh mason may mills miller moon moss noble north oak page park parker
penny pike pool pope potter price read reed rice rich ridge rose rush salt savage sharp
shepherd short silver small smith snow spring steward stone street summer summers swan
sweet swift tanner taylor temple thorn tower town tree true turner vale victim vine wade
walker wall ward waters way weaver wells west white winter wise wolf wood woods wren young
""".split())
"""Family names that are also common English words: alone (without the first name) they
are not taken for a victim's name, which would stop ordinary sentences."""

_STREET_WORDS = {"rd": "road", "st": "street", "ave": "avenue", "av": "avenue", "ln": "lane",
                 "cl": "close", "ct": "court", "cres": "crescent", "dr": "drive",
                 "gdns": "gardens", "pl": "place", "sq": "square", "tce": "terrace",
                 "terr": "terrace", "gr": "grove", "pk": "park", "hse": "house"}
"""Abbreviations read as the full word, in addresses and names alike."""
_GENERIC_ADDRESS_WORDS = frozenset({"flat", "apartment", "apt", "unit", "floor", "house",
                                    "room", "block", "the"})

_TOKEN = re.compile(r"\d+|[^\W\d_]+")
"""A word: a run of digits or of letters (``14Orchard`` is ``14`` and ``orchard``)."""
_HAS_DIGIT = re.compile(r"\d").search
_NON_DIGITS = re.compile(r"\D")
_NON_ALNUM = re.compile(r"[^0-9A-Z]")
_SHORT_FORMS: dict[str, tuple[str, ...]] = {}
for _short, _full in _STREET_WORDS.items():
    _SHORT_FORMS[_full] = (*_SHORT_FORMS.get(_full, ()), _short)
_DIGIT_GROUP = re.compile(r"\d+")
_EMAIL = re.compile(r"[\w.+\-']{1,64}@[\w\-]{1,255}(?:\.[\w\-]{1,255})+")
"""Bounded as an address is (RFC 5321): unbounded, a long line with no @ took quadratic time."""
_PC_SEP = r"[ \t\-./_]{0,3}"
_POSTCODE = re.compile(
    rf"(?<![^\W_])([A-Za-z](?:{_PC_SEP}[A-Za-z])?{_PC_SEP}\d(?:{_PC_SEP}[A-Za-z\d])?)"
    rf"{_PC_SEP}(\d){_PC_SEP}([A-Za-z]){_PC_SEP}([A-Za-z])(?![^\W_])")
"""A postcode with any separators (``XE2/7HN``, ``XE2 7 HN``, ``X E2 7HN``)."""
OWN_DATE_KEYS = re.compile(
    r"^\s*(?:- )?(?:dob|date|at|recorded_at|recorded_on|sentence_date|order_start|order_end|"
    r"allocated|received|due|target|done|told|sought|until)\s*:")
"""Keys whose date values, on a child's record, are the child's own dates (its ``dob:``,
an entry's ``date:``...), never a victim's birthday."""


def national(digits: str) -> str:
    """A UK phone number's national digits: 07700 900001, +44 7700 900001, 0044 (0)7700
    900001 and 7700900001 (a spreadsheet drops the leading zero) are one phone."""
    if digits.startswith("00"):
        digits = digits[2:]
    if digits.startswith("44") and len(digits) > 10:
        digits = digits[2:]
    return digits.lstrip("0")


def _words(text: str) -> list[str]:
    return [_STREET_WORDS.get(t, t) for t in _TOKEN.findall(text.casefold())]


# --- the matcher -------------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    """One identifier found in a text."""

    what: str
    """What it is, in words (``a victim's phone number``, ``the family name 'X' of a victim``)."""
    owner: str
    """The record id of the person it identifies."""
    line: int
    """1-based line of the text it starts on."""
    severity: str = "error"
    """``error``, or ``warning`` for a family name alone (it may be an ordinary word)."""


@dataclass(frozen=True)
class Matcher:
    """Every identifier of some people, normalised for look-up, with whose it is.

    Each kind also keeps *anchors*: words one of which a text must hold for that kind to
    be looked for at all (most texts hold none, and are passed over at the cost of one
    split of the text)."""

    phrases: dict[tuple[str, ...], tuple[str, str]]
    """Names and address lines as word tuples -> (what, owner)."""
    anchors: frozenset[str]
    """For each phrase, its longest word as it may be written."""
    longest: int
    """Words in the longest phrase."""
    surnames: dict[str, str]
    """Family names alone (not common words, not staff) -> owner."""
    phones: dict[str, str]
    """National digits (:func:`national`) -> owner."""
    longest_phone: int
    emails: dict[str, str]
    postcodes: dict[str, str]
    """Postcode, upper case, no space -> owner."""
    postcode_anchors: frozenset[str]
    """Inward codes (``1ab``) and whole postcodes (``xe31ab``), folded."""
    birthdays: dict[str, str]
    """:func:`~rjcli.core.written_dates.birthday_keys` of each date of birth -> owner."""

    @property
    def empty(self) -> bool:
        return not (self.phrases or self.surnames or self.phones or self.emails
                    or self.postcodes or self.birthdays)

    @cached_property
    def eight_digit_birthdays(self) -> dict[str, str]:
        """Dates of birth in eight digits -> owner (worked out once, not for each text)."""
        return eight_digit_keys(self.birthdays)

    @cached_property
    def birthday_years(self) -> frozenset[str]:
        """The years of the dates of birth as written (four digits, or two)."""
        return frozenset(k.split("-")[0].lstrip("'") for k in self.birthdays)


def matcher_of(people: Iterable[Identifiers], exclude_words: Iterable[str] = ()) -> Matcher:
    """A matcher of ``people``'s identifiers; ``exclude_words`` (staff names...) are never
    taken alone for a family name."""
    phrases: dict[tuple[str, ...], tuple[str, str]] = {}
    surnames: dict[str, str] = {}
    phones: dict[str, str] = {}
    emails: dict[str, str] = {}
    postcodes: dict[str, str] = {}
    birthdays: dict[str, str] = {}
    excluded = COMMON_WORDS.union(w for n in exclude_words for w in _words(n))
    for person in people:
        owner = person.id
        for name in person.names:
            _add_name(name, owner, phrases, surnames, excluded)
        for n, line in enumerate(person.addresses):
            if n == 0 or _HAS_DIGIT(line):  # a later line without a number: a town
                for phrase in _address_phrases(line, first=n == 0):
                    phrases.setdefault(phrase, (ADDRESS, owner))
        phones.update((k, owner) for k in (national(_NON_DIGITS.sub("", p))
                                           for p in person.phones) if len(k) >= 9)
        emails.update((e.strip().casefold(), owner) for e in person.emails)
        postcodes.update((_NON_ALNUM.sub("", p.upper()), owner) for p in person.postcodes)
        birthdays.update((k, owner) for k in birthday_keys(person.dob))
    anchors = frozenset(a for phrase in phrases for a in phrase_anchors(phrase))
    postcode_anchors = frozenset(f for p in postcodes
                                 for f in (p.casefold(), p[-3:].casefold(), p[-2:].casefold()))
    return Matcher(phrases, anchors, max((len(p) for p in phrases), default=1), surnames,
                   phones, max((len(p) for p in phones), default=0) + 4, emails, postcodes,
                   postcode_anchors, birthdays)


def phrase_anchors(phrase: tuple[str, ...]) -> tuple[str, ...]:
    """The longest word of a phrase, in every way it may be written (``road``, ``rd``)."""
    word = max(phrase, key=len)
    return (word, *_SHORT_FORMS.get(word, ()))


def name_words(names: Iterable[str]) -> set[str]:
    """Every word of ``names`` as the matcher compares it (folded, ``Rd`` read as ``road``)."""
    return {word for name in names for word in _words(name)}


def written_forms(words: Iterable[str]) -> set[str]:
    """Each of these words (of :func:`name_words`) in every way a text may hold it
    (``road``, ``rd``)."""
    return {form for word in words for form in (word, *_SHORT_FORMS.get(word, ()))}


def _add_name(name: str, owner: str, phrases: dict[tuple[str, ...], tuple[str, str]],
              surnames: dict[str, str], excluded: frozenset[str]) -> None:
    words = _words(name)
    if len(words) >= 2:
        for phrase in {tuple(words), (words[0], words[-1]), (words[-1], words[0])}:
            phrases[phrase] = (NAME, owner)
    last = words[-1] if len(words) >= 2 else ""  # an organisation's one word is not a family name
    if len(last) >= 3 and not last.isdigit() and last not in excluded:
        surnames[last] = owner
        if f"{last}s" not in excluded:  # the Quills, the Quills' house
            surnames[f"{last}s"] = owner


def _address_phrases(line: str, first: bool) -> list[tuple[str, ...]]:
    """The phrases of one address line that identify: the line with a house number, or a
    first line of two words or more (a house name: ``Rose Cottage``), and the street from
    its number (``12 Elm Way`` of ``Flat 3, 12 Elm Way``). A street without a number
    after the first line, a town or a county is not one: many people live there."""
    words = _words(line)
    named = [w for w in words if w.isalpha() and len(w) >= 3 and w not in _GENERIC_ADDRESS_WORDS]
    if len(words) < 2 or not named:
        return []
    found = [tuple(words)]
    numbers = [i for i, w in enumerate(words) if not w.isalpha()]  # words hold letters, digits
    if numbers and numbers[-1] > 0 and numbers[-1] < len(words) - 1:
        found.append(tuple(words[numbers[-1]:]))
    if not numbers and not first:
        return []
    return found


def victim_identifiers(victims: Iterable[Victim], exclude_words: Iterable[str] = ()) -> Matcher:
    """A matcher of these victims' identifiers (and their guardians' and representatives')."""
    return matcher_of((identifiers_of(v) for v in victims), exclude_words)


# --- scanning ------------------------------------------------------------------------------

_SPACED = str.maketrans({c: " " for c in "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~\u2018\u2019"
                         "\u201c\u201d\u00ab\u00bb\u2013\u2014\u2026\u00b7\u2022"})
_PHONE_RUN = re.compile(r"\d[\d ().\-]{7,}\d")


def plain(text: str) -> str:
    """``text`` as it reads: Unicode NFKC (full-width ``Ａｎｎ`` is ``Ann``) without format
    characters (zero-width space, soft hyphen, bidi controls). No line break is added or
    removed, so a line number of the plain text is one of ``text``."""
    if text.isascii():
        return text
    return "".join(c for c in unicodedata.normalize("NFKC", text)
                   if unicodedata.category(c) != "Cf")


class _Text:
    """A text being scanned: its words, and the line of an offset (worked out once, when
    first asked for)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.folded = text.casefold()
        self.present = frozenset(self.folded.translate(_SPACED).split())
        self._starts: list[int] | None = None

    @property
    def starts(self) -> list[int]:
        if self._starts is None:
            self._starts = _line_starts(self.text)
        return self._starts

    def line_of(self, offset: int) -> int:
        return bisect_right(self.starts, offset)

    def line_text(self, line: int) -> str:
        start = self.starts[line - 1]
        end = self.text.find("\n", start)
        return self.text[start:end if end >= 0 else len(self.text)]


def find(text: str, matcher: Matcher, own_names: Sequence[str] = (),
         own_dates: bool = False) -> list[Finding]:
    """Every identifier of ``matcher`` in ``text``, each on its line.

    ``own_names``: names that belong in this text (the child's own, staff), whose words are
    not taken for a family name. ``own_dates``: the text is a child's record, whose ``dob:``,
    ``date:``... lines hold the child's own dates (a report or letter has no such keys:
    every date there is looked at).
    """
    if matcher.empty or not text:
        return []
    text = plain(text)
    scan = _Text(text)
    found: list[Finding] = []
    numbered = {w.lstrip("0123456789") for w in scan.present if w[:1].isdigit()}
    if not (scan.present.isdisjoint(matcher.anchors) and numbered.isdisjoint(matcher.anchors)
            and scan.present.isdisjoint(matcher.surnames)):
        found += _words_found(scan, matcher, own_names)
    if matcher.phones:
        found += _matches(scan, _PHONE_RUN, PHONE, lambda m: _phone_owner(m.group(), matcher))
    if matcher.emails and "@" in text:
        found += _matches(scan, _EMAIL, EMAIL,
                          lambda m: matcher.emails.get(m.group().casefold()))
    if matcher.postcodes and not scan.present.isdisjoint(matcher.postcode_anchors):
        found += _matches(scan, _POSTCODE, POSTCODE,
                          lambda m: matcher.postcodes.get(
                              _NON_ALNUM.sub("", m.group(1).upper()) + "".join(
                                  m.group(2, 3, 4)).upper()))
    if matcher.birthdays:
        found += _birthdays_found(scan, matcher, own_dates)
    return sorted(found, key=lambda f: f.line)


def _matches(scan: _Text, pattern: re.Pattern[str], what: str,
             owner_of: Callable[[re.Match[str]], str | None]) -> list[Finding]:
    """A finding for each match of ``pattern`` that ``owner_of`` says is someone's."""
    found = []
    for match in pattern.finditer(scan.text):
        owner = owner_of(match)
        if owner:
            found.append(Finding(what, owner, scan.line_of(match.start())))
    return found


def _line_starts(text: str) -> list[int]:
    starts = [0]
    at = text.find("\n")
    while at >= 0:
        starts.append(at + 1)
        at = text.find("\n", at + 1)
    return starts


def _words_found(scan: _Text, matcher: Matcher, own_names: Sequence[str]) -> list[Finding]:
    tokens = [(m.group(), m.start()) for m in _TOKEN.finditer(scan.text)]
    folded = [_STREET_WORDS.get(t.casefold(), t.casefold()) for t, _ in tokens]
    starts = {p[0] for p in matcher.phrases}
    found: list[Finding] = []
    named: set[int] = set()  # tokens of a name found whole: not a family name alone too
    for i, word in enumerate(folded):
        if word not in starts:
            continue
        for size in range(2, min(matcher.longest, len(folded) - i) + 1):
            hit = matcher.phrases.get(tuple(folded[i:i + size]))
            if hit:
                found.append(Finding(hit[0], hit[1], scan.line_of(tokens[i][1])))
                named.update(range(i, i + size))
    lone = scan.present.intersection(matcher.surnames)
    if lone:
        own = {w for n in own_names for w in _words(n)}
        for i, word in enumerate(folded):
            if word in lone and word not in own and i not in named and tokens[i][0][0].isupper():
                found.append(Finding(f"the family name '{tokens[i][0]}' of a victim",
                                     matcher.surnames[word], scan.line_of(tokens[i][1]),
                                     "warning"))
    return found


def _phone_owner(run: str, matcher: Matcher) -> str | None:
    """Whose phone a run of digits is, trying it from the start of each digit group (two
    numbers written one after the other are two numbers)."""
    groups = _DIGIT_GROUP.findall(run)
    if sum(len(g) for g in groups) < 9:
        return None
    for first in range(len(groups)):
        digits = ""
        for group in groups[first:]:
            digits += group
            owner = matcher.phones.get(national(digits))
            if owner:
                return owner
            if len(digits) > matcher.longest_phone:
                break
    return None


def _birthdays_found(scan: _Text, matcher: Matcher, own_dates: bool) -> list[Finding]:
    """Dates of birth: numeric dates anywhere, dates with a month's name on the lines
    that hold one (found by the words of the text, not by a search of every line)."""
    hits = numeric_dates(scan, matcher) + other_dates(scan, matcher)
    months = scan.present & MONTH_WORDS
    if months:
        hits += named_month_dates(scan, matcher, months)
    for token in scan.present:
        compact = COMPACT_DATE.fullmatch(token) if token[:1].isdigit() else None
        if compact:
            owner = owner_of_words(matcher, compact.group(1), compact.group(2),
                                    compact.group(3))
            at = scan.folded.find(token)
            if owner and at >= 0:
                hits.append((scan.line_of(at), owner))
    found = []
    for line, owner in hits:
        if own_dates and OWN_DATE_KEYS.match(scan.line_text(line)):
            continue
        found.append(Finding(BIRTHDAY, owner, line))
    return found


# --- as problems ------------------------------------------------------------------------------


def find_victim_identifiers(path: str, text: str, ids: Matcher,
                            own_names: Sequence[str] = (), own_dates: bool = True
                            ) -> list[Problem]:
    """Problems for every identifier in ``text`` (see :func:`find`)."""
    return [as_problem(path, f) for f in find(text, ids, own_names, own_dates)]


def as_problem(path: str, finding: Finding) -> Problem:
    return Problem(path, finding.line, f"{finding.what} ({finding.owner}) must not appear "
                   "here: refer to victims only as 'Victim 1' or by id (Somerset 5.4)",
                   severity=finding.severity)


# --- the one exception ---------------------------------------------------------------------

FAMILY = "family-or-carer"


def family_approval(victim: Victim, child_id: str) -> Mapping[str, Any] | None:
    """The manager's approval for a family-or-carer victim to appear on one child's record
    (YJB §30, §34; Somerset 5.4 leaves family victims to a case-by-case decision): the
    latest ``family_approvals`` entry for ``child_id``, or None (any other kind of victim:
    always None)."""
    if victim.kind != FAMILY:
        return None
    entries = [e for e in log_entries(victim.extra.get("family_approvals"))
               if e.get("child") == child_id and e.get("manager") and e.get("reason")]
    return entries[-1] if entries else None


def family_approval_problems(victim: Victim, child_id: str, reason: str) -> list[str]:
    """Why a manager's approval of ``victim`` on ``child_id``'s record cannot be recorded."""
    problems = []
    if victim.kind != FAMILY:
        problems.append(f"{victim.id} is a victim of kind '{victim.kind}': only a {FAMILY} "
                        "victim may appear on a child's record (if that is what they are, "
                        f"set 'kind: {FAMILY}' with rj edit {victim.id} first)")
    if child_id not in victim.child_ids:
        problems.append(f"{victim.id} is not linked to {child_id}")
    if not reason.strip():
        problems.append("say why with --reason: the manager's decision is recorded with it "
                        "(YJB §30, §34)")
    return problems


def family_approval_entry(entry_id: str, child_id: str, manager: str, reason: str,
                          today: date, by: str | None) -> dict[str, Any]:
    """The ``family_approvals`` entry a manager's approval leaves on the victim's record."""
    entry: dict[str, Any] = {"id": entry_id, "child": child_id, "manager": manager,
                             "reason": " ".join(reason.split()), "date": today}
    if by:
        entry["by"] = by
    return entry
