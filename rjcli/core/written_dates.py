"""Dates of birth as people write them (pure): the look-up keys of a recorded date and the
finding of a written one in a text, for the victim-identifier matcher
(:mod:`rjcli.core.identifiers`), which passes its scanned text and matcher in."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rjcli.core.identifiers import Matcher, _Text

_MONTH = (r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
          r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)(?![a-z])\.?")
_DAY = r"(\d{1,2})(?!\d)(?:st|nd|rd|th)?(?:[ \t]+day)?"
_YEAR = r"'?(\d{4}|\d{2})(?!\d)"
_SEP = r"[ \t.,/\-]*"
_WORD_DATES = re.compile(
    rf"(?<!\d){_DAY}(?:[ \t]+of)?{_SEP}{_MONTH}{_SEP}{_YEAR}"  # 14th of Sept 1963
    rf"|(?<![a-z]){_MONTH}{_SEP}{_DAY},?{_SEP}{_YEAR}",  # September 14, 1963
    re.IGNORECASE)
_MONTHS = {m: n for n, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug",
                                       "sep", "oct", "nov", "dec"), 1)}


def birthday_keys(iso: str | None) -> tuple[str, ...]:
    """The look-up keys of a date of birth (ISO): with its year, and its year's last two
    digits (none for a date that is not one)."""
    parts = (iso or "").split("-")
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        return ()
    year, month, day = (int(p) for p in parts)
    return f"{year}-{month}-{day}", f"'{year % 100}-{month}-{day}"


def eight_digit_keys(birthdays: Mapping[str, str]) -> dict[str, str]:
    """Each date of birth of ``birthdays`` (look-up key -> owner) in eight digits, day
    first (``14091963``) and year first (``19630914``) -> owner."""
    eights = {}
    for key, owner in birthdays.items():
        if not key.startswith("'"):
            year, month, day = (int(p) for p in key.split("-"))
            eights[f"{day:02}{month:02}{year:04}"] = eights[f"{year:04}{month:02}{day:02}"] = owner
    return eights


def _date_keys(year: str, month: int, day: int) -> list[str]:
    """Look-up keys of a written date: a two-digit year stands for its last two digits."""
    if len(year) == 4:
        return [f"{int(year)}-{month}-{day}"]
    return [f"'{int(year)}-{month}-{day}"]


MONTH_WORDS = frozenset({"jan", "january", "feb", "february", "mar", "march", "apr", "april",
                         "may", "jun", "june", "jul", "july", "aug", "august", "sep", "sept",
                         "september", "oct", "october", "nov", "november", "dec",
                         "december"})
_NUMERIC_DATE = re.compile(r"(\d{1,4})([./\- ])(\d{1,2})\2(\d{1,4})(?!\d)")
COMPACT_DATE = re.compile(rf"(\d{{1,2}}){_MONTH}(\d{{4}}|\d{{2}})")

_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9,
          "x": 10, "xi": 11, "xii": 12}
_ROMAN_DATE = re.compile(r"(?<!\d)(\d{1,2})[ \t./\-]+(x?i{1,3}|x|i?[vx]|vi{1,3})[ \t./\-]+"
                         r"(\d{4}|\d{2})(?!\d)", re.IGNORECASE)


def numeric_dates(scan: _Text, matcher: Matcher) -> list[tuple[int, str]]:
    """(line, owner) of each all-numeric date of birth: ISO, or day and month either way
    round with a two- or four-digit year."""
    hits = []
    for match in _NUMERIC_DATE.finditer(scan.text):
        year, _sep, middle, last = match.groups()
        if len(year) == 4:
            keys = _date_keys(year, int(middle), int(last))
        elif len(last) in (2, 4) and len(year) <= 2:
            keys = _date_keys(last, int(middle), int(year)) + _date_keys(last, int(year),
                                                                          int(middle))
        else:
            continue
        owner = next((matcher.birthdays[k] for k in keys if k in matcher.birthdays), None)
        if owner:
            hits.append((scan.line_of(match.start()), owner))
    return hits


def other_dates(scan: _Text, matcher: Matcher) -> list[tuple[int, str]]:
    """(line, owner) of each date of birth in eight digits (``14091963``, ``19630914``)
    or with a Roman month (``14 IX 1963``)."""
    hits = []
    eights = matcher.eight_digit_birthdays
    for token in scan.present.intersection(eights):
        at = scan.text.find(token)
        while at >= 0:  # not part of a longer number
            if not (scan.text[at - 1:at].isdigit() or scan.text[at + 8:at + 9].isdigit()):
                hits.append((scan.line_of(at), eights[token]))
            at = scan.text.find(token, at + 1)
    years = scan.present.intersection(matcher.birthday_years)
    lines: set[int] = set()  # a Roman date ends in its year, a word of the text
    for year in years:
        at = scan.text.find(year)
        while at >= 0:
            lines.add(scan.line_of(at))
            at = scan.text.find(year, at + 1)
    for line in sorted(lines):
        for match in _ROMAN_DATE.finditer(scan.line_text(line)):
            day, month, year = match.groups()
            keys = _date_keys(year, _ROMAN[month.casefold()], int(day))
            owner = next((matcher.birthdays[k] for k in keys if k in matcher.birthdays), None)
            if owner:
                hits.append((line, owner))
    return hits


def named_month_dates(scan: _Text, matcher: Matcher, months: Iterable[str]
                       ) -> list[tuple[int, str]]:
    lines: set[int] = set()
    for month in months:
        at = scan.folded.find(month)
        while at >= 0:
            lines.add(scan.line_of(at))
            at = scan.folded.find(month, at + 1)
    hits = []
    for line in sorted(lines):
        for match in _WORD_DATES.finditer(scan.line_text(line)):
            d1, m1, y1, m2, d2, y2 = match.groups()
            owner = owner_of_words(matcher, d1 or d2, m1 or m2, y1 or y2)
            if owner:
                hits.append((line, owner))
    return hits


def owner_of_words(matcher: Matcher, day: str | None, month: str | None, year: str | None
                    ) -> str | None:
    if not (day and month and year):
        return None
    keys = _date_keys(year, _MONTHS[month[:3].casefold()], int(day))
    return next((matcher.birthdays[k] for k in keys if k in matcher.birthdays), None)
