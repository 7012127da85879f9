"""Where the shipped defaults live: templates/, schemas/ and policy/.

In a source checkout (and an editable install) they are the top-level folders of
the repository; in a wheel they are packaged under ``rjcli/_shipped/``.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


@cache
def shipped_dir(name: str) -> Path:
    """The shipped folder ``name`` (``templates``, ``schemas`` or ``policy``)."""
    packaged = _PACKAGE / "_shipped" / name
    if packaged.is_dir():
        return packaged
    return _PACKAGE.parent / name
