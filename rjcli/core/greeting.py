"""How a letter greets a person (pure): "Dear Mrs Hollis" when their title is recorded,
"Dear Margaret Hollis" when it is not, or the greeting they asked for ("Dear Margaret")
when one is recorded as their ``salutation``; and how they are named on the envelope.

The title and salutation are read from a person's mapping in the record: the victim's
own fields, or those under ``parent_guardian`` or ``representative`` (schemas: title,
salutation). A title not on the list, or a salutation holding a control character or
line break, is reported, never printed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rjcli.core.model import clean_text
from rjcli.core.text import name_problem

TITLES = ("Mrs", "Mr", "Ms", "Mx", "Dr", "Miss")
"""The titles a letter may use (schemas/common.schema.json#/$defs/title)."""


def family_name(name: str) -> str:
    """The family name, for "Dear Mrs ...": the last word, with the lower-case words
    before it that belong to it ("van der Berg"). A name this cannot read is a reason to
    record the whole greeting as ``salutation``."""
    words = name.split()
    start = len(words) - 1
    while start > 1 and words[start - 1][:1].islower():
        start -= 1
    return " ".join(words[start:])


def addressee(name: str | None, title: str | None) -> str | None:
    """The name on the envelope: "Mrs Margaret Hollis", or the name alone."""
    if not name:
        return None
    return f"{title} {name}" if title else name


def greeting_name(name: str | None, title: str | None) -> str | None:
    """Who "Dear" is followed by: "Mrs Hollis", or the full name (for a template in
    another language, which has its own word for "Dear")."""
    if not name:
        return None
    return f"{title} {family_name(name)}" if title else name


def salutation(name: str | None, title: str | None, own: str | None) -> str | None:
    """The greeting (see the module's docstring); None when there is no name to use."""
    if own:
        return own
    named = greeting_name(name, title)
    return f"Dear {named}" if named else None


def greeting_fields(raw: Mapping[str, Any], where: str) -> tuple[str | None, str | None,
                                                                  list[str]]:
    """(title, salutation, problems) of a person's mapping; ``where`` names the fields'
    place for the problems ("the victim's record", "parent_guardian")."""
    title = clean_text(raw.get("title"))
    own = clean_text(raw.get("salutation"))
    problems = []
    if title is not None and title not in TITLES:
        problems.append(f"a title on the list ({', '.join(TITLES)}, or none): '{title}' is "
                        f"not ({where}: title)")
        title = None
    problem = name_problem(f"the salutation ({where}: salutation)", own)
    if problem:
        problems.append(problem)
        own = None
    return title, own, problems
