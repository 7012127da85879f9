"""Which letters are due (pure): ``rj letter KIND --due`` reads the due list.

A kind of letter is due when a rule of the policy in force is met by sending it: its
``met_by`` names the event ``letter-KIND-sent`` (rjcli/core/met.py), as the initial,
final and closure letters' rules do (Wokingham 5, 6 and 14; Tower Hamlets appendix 1;
Somerset 6.1). A letter is due for a case when that rule's item is due today or overdue.
Kinds no rule names have no notion of being due.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from rjcli.core.due import DueItem, Standing
from rjcli.core.policy import Rule

_LETTER_SENT = re.compile(r"^letter-(?P<kind>[a-z0-9-]+)-sent$")
DUE_NOW = ("overdue", "today")
"""The standings of an item whose letter is written now."""


def letter_rules(rules: Iterable[Rule]) -> dict[str, tuple[str, ...]]:
    """Each kind of letter a switched-on rule is met by, with those rules' ids."""
    found: dict[str, list[str]] = {}
    for rule in rules:
        if not rule.enabled:
            continue
        for event in rule.met_by:
            sent = _LETTER_SENT.match(event)
            if sent:
                found.setdefault(sent.group("kind"), []).append(rule.id)
    return {kind: tuple(ids) for kind, ids in found.items()}


def due_letters(rows: Iterable[tuple[DueItem, Standing]],
                rule_ids: Sequence[str]) -> list[DueItem]:
    """The items of ``rule_ids`` due today or overdue, one per case, in the due list's
    order (the most overdue first)."""
    chosen: dict[str, DueItem] = {}
    for item, standing in rows:
        if item.rule in rule_ids and standing.status in DUE_NOW:
            chosen.setdefault(item.case, item)
    return list(chosen.values())


def kinds_in_words(rules: Mapping[str, Sequence[str]]) -> str:
    """"initial (rule initial-letter), closure (rule closure-letter)"."""
    return ", ".join(f"{kind} (rule {', '.join(ids)})" for kind, ids in sorted(rules.items()))


@dataclass(frozen=True)
class NotWritten:
    """A due letter that could not be written."""

    case: str
    """The record."""
    name: str
    """The person's name, as the due list shows it."""
    why: str
    """What stopped it, in one line."""

    def line(self) -> str:
        name = f" {self.name}" if self.name else ""
        return f"{self.case}{name}: {self.why}"


def one_line(message: str) -> str:
    """A refusal's message (a list of gaps, one a line) as one line."""
    parts = [p.strip(" -") for p in message.splitlines() if p.strip(" -")]
    if not parts:
        return message
    head, rest = parts[0].rstrip(":"), parts[1:]
    return f"{head}: {'; '.join(rest)}" if rest else head
