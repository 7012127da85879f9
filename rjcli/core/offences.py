"""The offence as letters say it (pure): rj's own list of offence categories in plain
words (``policy/offence-categories.yaml``, which a casebook may replace), and the choice
of words for one victim.

A letter never prints the offence notes typed on the record (``children[].offence``:
"(Shop window smashed; pushed over while trying to stop it)"). It prints the victim's
``offence_for_letters`` when recorded, else the words of their ``offence_category``,
else nothing (the templates then say "the offence"). A family-or-carer victim's letters
name no offence at all: the letter may be read at an address shared with the child
(Somerset 6.6).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from rjcli.core.model import Victim, clean_text

FILE = "offence-categories.yaml"
"""The list's file name, under ``policy/``."""


@dataclass(frozen=True)
class OffenceCategories:
    """The list in force."""

    source: str
    """Where the list comes from (rj's own, or the service's)."""
    words: Mapping[str, str]
    """Category id -> what a letter prints (``criminal-damage`` -> ``criminal damage``)."""
    words_cy: Mapping[str, str]
    """Category id -> the same in Welsh, where the list gives it."""


NO_CATEGORIES = OffenceCategories("none", {}, {})
"""No list: every recorded category is unknown."""


def offence_categories_from_data(data: Mapping[str, Any]) -> OffenceCategories:
    """The list from a file already checked against its schema."""
    rows = list(data["categories"])
    return OffenceCategories(
        str(data["source"]),
        {str(r["id"]): " ".join(str(r["words"]).split()) for r in rows},
        {str(r["id"]): " ".join(str(r["words_cy"]).split()) for r in rows if r.get("words_cy")},
    )


def duplicate_ids(data: Mapping[str, Any]) -> list[str]:
    """Category ids listed more than once (which words would a letter print?)."""
    seen: set[str] = set()
    twice: list[str] = []
    for row in data.get("categories") or []:
        cid = str(row.get("id"))
        if cid in seen and cid not in twice:
            twice.append(cid)
        seen.add(cid)
    return twice


def category_problem(category: str, categories: OffenceCategories) -> str | None:
    """Why ``category`` cannot be recorded (None: it is on the list)."""
    if category in categories.words:
        return None
    return (f"offence category '{category}' is not on the list: "
            f"{', '.join(categories.words) or 'none'} (policy/offence-categories.yaml)")


@dataclass(frozen=True)
class OffenceWords:
    """What a letter to this victim says of the offence."""

    words: str | None
    """The words printed, or None (the letter says "the offence")."""
    words_cy: str | None = None
    """The category's words in Welsh, where the list gives them."""
    unknown_category: str | None = None
    """A recorded category that is not on the list (the letter is not written)."""
    unnamed: bool = False
    """Nothing is recorded for letters, for a victim whose letters may name the offence
    (``rj letter`` says which field to set)."""


def offence_words(victim: Victim, categories: OffenceCategories) -> OffenceWords:
    """The offence as a letter to ``victim`` says it (see the module's docstring)."""
    if victim.kind == "family-or-carer":
        return OffenceWords(None)
    described = clean_text(victim.extra.get("offence_for_letters"))
    if described:
        return OffenceWords(" ".join(described.split()))
    category = clean_text(victim.extra.get("offence_category"))
    if category is None:
        return OffenceWords(None, unnamed=True)
    words = categories.words.get(category)
    if words is None:
        return OffenceWords(None, unknown_category=category)
    return OffenceWords(words, categories.words_cy.get(category))
