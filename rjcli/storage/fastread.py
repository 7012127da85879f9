"""The fast reader: rapidyaml, for the plain records rj writes, and nothing else.

Building the index from nothing parses every record (15,000 at service scale). rj's
strict libyaml reader takes ~13 s of CPU for them; rapidyaml parses them and writes each
tree out as JSON, which ``json`` reads back, in ~1 s, ~4 s with every check below (bench
casebook, measured: see pyproject.toml). It is used only where it gives exactly the answer of the
strict reader (``yamlio.parse_strict``), and says ``Unsure`` everywhere else, so that
every refusal, with its words and line, still comes from the strict reader:

* the text first: no tab, carriage return, byte-order mark, backslash (escapes), control
  or line-separator character; no tag, anchor, alias, block scalar, directive, document
  marker, complex key, or flow collection other than ``[]`` and ``{}``; every quoted
  value simple (one line) and no quoted date, so that a string that looks like a date
  came from a plain scalar; no line that continues a multi-line plain scalar; no line
  indented deep enough to nest past limits.MAX_DEPTH;
* then each value as rj's YAML 1.2 resolver (``yamlio._Core12Resolver``) reads it: a
  plain date becomes a date (checked as the strict reader checks it); any other string
  that the resolver would read as a number, a boolean, a null or a timestamp, a float
  other than plain decimals (``2.5``), an integer beyond limits.MAX_INT, an empty or
  duplicate key, a text longer than limits.MAX_TEXT or a date-like text outside the dates
  rj keeps is ``Unsure``.

JSON keeps what the YAML said: rapidyaml writes a plain ``123``, ``true`` or empty value
as a JSON number, boolean or null, and a quoted ``"123"`` as a string, so a JSON number,
boolean or null came from a plain scalar that rj reads the same way.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

from rjcli.core import limits
from rjcli.core.dates import check_in_range


class Unsure(Exception):
    """The fast reader cannot promise the strict reader's answer: ask the strict one."""


NOT_TRIED: Any = object()
_RYML: Any = NOT_TRIED
"""The rapidyaml module once imported (None: not installed on this platform)."""


def ryml_module() -> Any:
    """rapidyaml's module, or None where its wheel is not installed."""
    global _RYML
    if _RYML is NOT_TRIED:
        try:
            import ryml
        except ImportError:
            ryml = None
        _RYML = ryml
    return _RYML


def describe() -> str:
    """Which YAML reader reads records here (for ``rj --version``)."""
    try:
        import ryml
    except ImportError:
        return "YAML reader: libyaml (rapidyaml not installed)"
    return f"YAML reader: rapidyaml {ryml.__version__} (fast path), libyaml fallback"


# What the fast reader leaves to the strict one, found in the text (see the module doc).
# Each pattern scans the text once (a pattern that starts with a character class or a
# literal is scanned several times faster than one alternation of them all); the text is
# given a line break before and after, so that every line starts after a "\n".
_CHARACTERS = (r"\n\x20-\x5b\x5d-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd"
               r"\U00010000-\U0010ffff")
"""The characters libyaml reads as text (not NEL, the line and paragraph separators, a
byte-order mark, U+FFFE/F, a tab or a carriage return), less the backslash (an escape in a
double-quoted value)."""
_OTHER = re.compile(f"[^{_CHARACTERS}]")
_INDICATORS = re.compile(r"[!&*|>%@`?\]}\[{](?<=[ \n\[\]{},:].)(?!(?<=\[)\])(?!(?<=\{)\})")
"""A token that starts with a tag, anchor, alias, block scalar, reserved or complex-key
indicator, or a flow collection that is not ``[]`` or ``{}``."""
_QUOTES = re.compile(r"""["',](?:(?<=[ \n\[\]{},:]["',])(?:(?<=,)|(?<=")(?![^"\n]*")"""
                     r"""|(?<=')(?!(?:[^'\n]|'')*'))|(?<=["'])[0-9]{4}-[0-9]{2}-[0-9]{2}["'])""")
"""A quote that does not close on its line, a quoted date (text, which rapidyaml's JSON
would not tell from a plain date), or a comma that starts a value (a flow entry)."""
_CONTINUED = re.compile(r"\n *+(?:[^ \n#-]|-[^ \n])[^:\n]*+(?::[^ \n][^:\n]*+)*+\n")
"""A line neither a key, a list entry nor a comment: it continues a multi-line plain scalar."""
_MARKS = re.compile(r"\n(?:---|\.\.\.|:|[ -]{" + str(limits.MAX_DEPTH - 4) + ",})")
"""A document marker, a key left empty, or a line nested nearly as deep as rj allows."""


_ASCII_READ = bytes([10, *range(0x20, 0x5C), *range(0x5D, 0x7F)])
"""The ASCII characters of ``_CHARACTERS``."""
_TOKEN_START = frozenset(" \n[]{},:")
"""What comes before a character that starts a token (or the start of the text)."""


def _odd_character(text: str, raw: bytes) -> bool:
    """``_OTHER.search(text)``; for ASCII text (``raw``: its bytes), by deleting the
    characters libyaml reads as text from the bytes, a third of the time."""
    if text.isascii():
        return bool(raw.translate(None, _ASCII_READ))
    return _OTHER.search(text) is not None


def _indicated(text: str) -> bool:
    """``_INDICATORS.search("\\n" + text)``: each indicator character found with
    ``str.find`` (records hold few: an e-mail's @, a note's ?) and the one before it looked
    at, instead of every character tried against a class (a fifth of the time)."""
    find = text.find
    for mark in "!&*|>%@`?]}[{":
        at = find(mark)
        while at != -1:
            before = text[at - 1] if at else "\n"
            if before in _TOKEN_START and not (
                    (before == "[" and mark == "]") or (before == "{" and mark == "}")):
                return True
            at = find(mark, at + 1)
    return False


def _plain(text: str, raw: bytes | None = None) -> bool:
    """Whether ``text`` holds nothing the fast reader leaves to the strict one (``raw``:
    its UTF-8 bytes, when made already)."""
    if _odd_character(text, text.encode("utf-8") if raw is None else raw) or _indicated(text):
        return False
    lines = "\n" + text + "\n"
    return not (_QUOTES.search(lines) or _CONTINUED.search(lines) or _MARKS.search(lines))


_SPECIAL = frozenset("-+0123456789.~nNtTfF")
"""The first characters of every plain scalar rj's resolver reads as other than text."""
_RESOLVED = re.compile(
    r"""(?:[-+]?[0-9_]+|[-+]?0b[01_]+|[-+]?0o[0-7_]+|[-+]?0x[0-9a-fA-F_]+
    |[-+]?(?:\.[0-9]+(?:[eE][-+][0-9]+)?|[0-9]+(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?)
    |[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)
    |true|True|TRUE|false|False|FALSE|~|null|Null|NULL
    |[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?
     (?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?
     (?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?
    |[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9])$""",
    re.X,
)
"""Every plain scalar rj's YAML 1.2 resolver (``yamlio._Core12Resolver``) reads as a
number, boolean, null or timestamp: the same patterns, as one."""
_DAY = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_DATE_TEXT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}(?:[ T][0-9]{2}:[0-9]{2}(?::[0-9]{2})?)?")
_FIRST_YEAR, _LAST_YEAR = limits.FIRST_DAY.year, limits.LAST_DAY.year
_MAX_TEXT = limits.MAX_TEXT


def _day(text: str) -> date:
    """A plain ``YYYY-MM-DD`` as the strict reader reads it (Unsure where it refuses)."""
    match = _DAY.fullmatch(text)
    if match is None:
        raise Unsure(text)
    try:
        day = date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        raise Unsure(text) from None
    if check_in_range(day):
        raise Unsure(text)
    return day


def _day_text(text: str) -> str:
    """A plain ``YYYY-MM-DD`` checked as :func:`_day` checks it, kept as its text (what
    ``schemas.to_json`` makes of the date the strict reader gives)."""
    _day(text)
    return text


def _scalar(text: str, day: Any = _day) -> Any:
    """A JSON string as rj reads the YAML scalar it came from (see the module doc); a
    plain date through ``day`` (a date, or its checked text for JSON)."""
    if not text:  # rapidyaml writes an empty plain value as null: this one was quoted
        return text
    size = len(text)
    if size > _MAX_TEXT:
        raise Unsure("long text")
    if text[0] not in _SPECIAL:  # neither a number, a date nor a date-like text
        return text
    if _RESOLVED.match(text):
        return day(text)
    if 10 <= size <= 19 and text[4] == "-" and _DATE_TEXT.fullmatch(text) and not (
            _FIRST_YEAR <= int(text[:4]) <= _LAST_YEAR):
        raise Unsure(text)
    return text


def _items(values: list[Any], day: Any = _day) -> list[Any]:
    """A list's strings read as rj reads them (its mappings were read already)."""
    for n, value in enumerate(values):
        if value.__class__ is str:
            values[n] = _scalar(value, day)
        elif value.__class__ is list:
            _items(value, day)
    return values


_KEYS: dict[str, Any] = {}
"""Keys read already (a casebook's records hold the same few dozen field names)."""
_JSON_KEYS: dict[str, Any] = {}
"""The same, read for JSON (a date key kept as its text)."""


def _key(text: str, day: Any = _day, keys: dict[str, Any] = _KEYS) -> Any:
    # a key starting or ending with a space is rapidyaml reading a wrongly indented line
    # that libyaml refuses (found by a differential fuzz run: "- on\n   ~: x" gave "  ~")
    if not text or len(text) > limits.MAX_KEY or text[0] == " " or text[-1] == " ":
        raise Unsure("key")
    key = _scalar(text, day)
    if len(keys) < 4096:
        keys[text] = key
    return key


def _mapping(pairs: list[tuple[str, Any]], day: Any = _day, keys: dict[str, Any] = _KEYS
             ) -> dict[Any, Any]:
    """A JSON object as rj reads the YAML mapping it came from."""
    mapping: dict[Any, Any] = {}
    special = _SPECIAL
    for key, value in pairs:
        if value.__class__ is str:
            if not value or value[0] in special or len(value) > _MAX_TEXT:
                value = _scalar(value, day)
        elif value.__class__ is list:
            _items(value, day)
        mapping[keys[key] if key in keys else _key(key, day, keys)] = value
    if len(mapping) != len(pairs):
        raise Unsure("duplicate key")
    return mapping


def _json_mapping(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """:func:`_mapping` for JSON: dates kept as their (checked) text."""
    return _mapping(pairs, _day_text, _JSON_KEYS)


def _whole_years() -> str:
    """A pattern of the years whose every day rj keeps (whole centuries only, e.g.
    ``19[0-9][0-9]|20[0-9][0-9]``): a date in one of them needs no look in Python."""
    first, last = limits.FIRST_DAY, limits.LAST_DAY
    low = first.year + (first != date(first.year, 1, 1))
    high = last.year - (last != date(last.year, 12, 31))
    centuries = [c for c in range(low // 100, high // 100 + 1)
                 if c * 100 >= low and c * 100 + 99 <= high]
    return "|".join(f"{c}[0-9][0-9]" for c in centuries) or "(?!)"


_YEARS = _whole_years()
_SUSPECTS = re.compile(
    f'"(?=[-+0-9.~nNtTfF])((?!(?:{_YEARS})-(?:0[1-9]|1[0-2])-(?:0[1-9]|1[0-9]|2[0-8])")'
    f'{_RESOLVED.pattern.rstrip().removesuffix("$")}|(?!(?:{_YEARS})-){_DATE_TEXT.pattern})"',
    re.X)
"""In rapidyaml's JSON without a backslash (so that every ``"`` opens or closes a string,
and a string is never followed by a letter or digit), every string, key or value, that
:func:`_scalar` could refuse: one that rj's resolver reads as other than text (except a
day of the 1st to the 28th in a whole year rj keeps, certainly a date rj keeps), or that
looks like a date or time in a year that may be outside the dates rj keeps. The rest are
text as they stand, and need no look in Python."""


def _json_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object whose values were looked at already (``_SUSPECTS``): its keys."""
    mapping = dict(pairs)
    if len(mapping) != len(pairs):
        raise Unsure("duplicate key")
    if not _JSON_KEYS.keys() >= mapping.keys():
        for key in mapping:
            if key not in _JSON_KEYS:
                _key(key, _day_text, _JSON_KEYS)
    return mapping


def _json_record(emitted: str, text: str) -> Any:
    """rapidyaml's JSON of ``text`` read as :func:`_json_mapping` reads it: with no
    backslash and no text too long, the strings that need a look are found by one
    pattern (``_SUSPECTS``), and only the keys are looked at one by one."""
    if "\\" in emitted or len(emitted) > _MAX_TEXT:
        return _loads(emitted, text, _json_mapping)
    for suspect in _SUSPECTS.findall(emitted):
        _scalar(suspect, _day_text)
    return _loads(emitted, text, _json_object)


def _loads(emitted: str, text: str, mapping: Any) -> Any:
    """rapidyaml's JSON of ``text``, each object read by ``mapping`` (pairs -> dict), each
    number as rj reads the YAML it came from."""
    return json.loads(emitted, object_pairs_hook=mapping, parse_int=_integer,
                      parse_float=lambda number: _decimal(number, text),
                      parse_constant=_unsure)


def _integer(text: str) -> int:
    if len(text) > 17:
        raise Unsure(text)
    value = int(text)
    if abs(value) > limits.MAX_INT:
        raise Unsure(text)
    return value


_DECIMAL = re.compile(r"-?(?:0|[1-9][0-9]*)\.[0-9]+")
"""The floats taken as rapidyaml writes them: ``2.5``, no exponent (rapidyaml writes ``.5e3``,
which rj reads as text, as ``0.5e3``)."""


def _decimal(number: str, text: str) -> float:
    """A JSON float as rj reads the YAML it came from: only one written as it was in the
    YAML (a ``.5`` rapidyaml wrote as ``0.5`` is left to the strict reader)."""
    if _DECIMAL.fullmatch(number) and number in text:
        return float(number)
    raise Unsure(number)


def _unsure(text: str) -> Any:
    raise Unsure(text)


_DEVNULL: int | None = None


@contextmanager
def _stderr_silenced() -> Iterator[None]:
    """rapidyaml writes its C++ parse errors to the process's stderr (file descriptor 2)
    before raising: the strict reader then says what is wrong in rj's words, so rapidyaml's
    are sent to /dev/null (four system calls, a few microseconds a record)."""
    global _DEVNULL
    if _DEVNULL is None:
        _DEVNULL = os.open(os.devnull, os.O_WRONLY)
    saved = os.dup(2)
    try:
        os.dup2(_DEVNULL, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def parse(text: str, as_json: bool = False) -> Any:
    """The record in ``text`` exactly as ``yamlio.parse_strict`` reads it, or Unsure. With
    ``as_json``: exactly what ``schemas.to_json`` makes of that (every date as its
    ``YYYY-MM-DD`` text), read without making the dates."""
    return parse_with_json(text, as_json)[0]


def parse_with_json(text: str, as_json: bool = True) -> tuple[Any, str]:
    """:func:`parse`, and rapidyaml's JSON text it was read from: with ``as_json``, JSON
    of exactly that data (the index keeps it as the record's data instead of writing
    the data out again)."""
    ryml = ryml_module()
    if ryml is None:
        raise Unsure("rapidyaml is not installed")
    raw = text.encode("utf-8")
    if not _plain(text, raw):
        raise Unsure("not plain")
    try:
        with _stderr_silenced():
            tree = ryml.parse_in_arena(raw)
            emitted = ryml.emit_json(tree)
    except Exception:  # rapidyaml's own exceptions: let the strict reader say what is wrong
        raise Unsure("rapidyaml could not read it") from None
    if not emitted or emitted[0] != "{":  # empty, a list or a scalar: not a record
        raise Unsure("not a mapping")
    try:
        return (_json_record(emitted, text) if as_json else _loads(emitted, text, _mapping),
                emitted)
    except ValueError:
        raise Unsure("not JSON") from None
