"""The limits of every value a record may hold (issue 15): what the fast reader refuses
where it is written, what the schemas (schemas/*.json) state for ``rj check`` and for a
change, and what a date typed on the command line must keep to.

A value outside them would reach the rules as something no rule was written for (a date
in the year 9999 overflows the first day added to it; a 5,000-digit number takes seconds
to read), so it is a problem of its file alone, reported with its line, and every other
record is still served.
"""

from __future__ import annotations

from datetime import date

FIRST_DAY = date(1900, 1, 1)
"""The earliest date rj keeps (a date of birth of the oldest victim is later)."""
LAST_DAY = date(2100, 12, 31)
"""The latest date rj keeps (any deadline or retention date is earlier)."""
MAX_INT = 2**53 - 1
"""The largest whole number either way (the largest JSON keeps exactly)."""
MAX_TEXT = 100_000
"""Characters in one text value (a long contact note is a few thousand)."""
MAX_KEY = 1_000
"""Characters in one field name."""
MAX_DEPTH = 32
"""Levels of lists and mappings inside each other (a record uses five or six)."""
