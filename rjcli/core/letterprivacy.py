"""Letters: keeping the child's details out of what a victim reads.

Before a letter is written, the texts a worker typed are checked for the name of a
linked child who has not agreed to their details being shared (Somerset 7.3); after it
is rendered, the letter's whole text is checked again, whatever the template (the last
guard), and the initial letter for any mention of meeting the child (Wait 'til Eight
§6.4.3).
"""

from __future__ import annotations

import re

from rjcli.core.dates import uk_date
from rjcli.core.identifiers import (
    ADDRESS,
    BIRTHDAY,
    EMAIL,
    PHONE,
    POSTCODE,
    find,
    victim_identifiers,
)
from rjcli.core.letterfacts import Context, LetterDraft, LetterFacts
from rjcli.core.model import Child

INITIAL_FORBIDDEN = (
    "face to face", "face-to-face", "conference", "meet the young person",
    "meeting the young person", "meeting with the young person", "meet the child",
    "meeting the child",
)
"""Words the initial letter must not contain: meeting the child is raised in person,
never in the first letter (Wait 'til Eight §6.4.3)."""


def _unpermitted(facts: LetterFacts) -> list[Child]:
    return [c for c in facts.linked_children if not c.permits("share-details-with-victim")]


def private_terms(facts: LetterFacts) -> tuple[str, ...]:
    """The full name and date of birth of each linked child who gave no permission."""
    terms: list[str] = []
    for c in _unpermitted(facts):
        if c.name:
            terms.append(c.name)
        if c.dob:
            terms += [uk_date(c.dob), c.dob.isoformat(), c.dob.strftime("%d/%m/%Y")]
    return tuple(terms)


def _free_texts(context: Context) -> list[tuple[str, str]]:
    """(what, text) for every text a worker typed that a victim letter prints."""
    texts = [("the offence for letters", context.get("offence")), ("--note", context.get("news")),
             ("--note", context.get("statement"))]
    for row in context.get("agreement") or []:
        texts += [(f"agreement item {row['n']}", row["action"]),
                  (f"agreement item {row['n']}", row["who"])]
    return [(what, text) for what, text in texts if text]


def _name_pattern(name: str) -> re.Pattern[str]:
    """The child's full name (any case) or any part of it of 2+ letters (as written)."""
    parts = [re.escape(p) for p in name.split() if len(p) >= 2]
    full = re.escape(name)
    return re.compile(rf"(?i:\b{full}\b)|\b(?:{'|'.join(parts)})\b" if parts
                      else rf"(?i:\b{full}\b)")


def free_text_problems(context: Context, facts: LetterFacts) -> list[str]:
    problems: list[str] = []
    for child in _unpermitted(facts):
        if not child.name:
            continue
        pattern = _name_pattern(child.name)
        for what, text in _free_texts(context):
            found = pattern.search(text)
            if found:
                problems.append(
                    f"{what} names the child ('{found.group(0)}'), who has not agreed to their "
                    "details being shared with the victim (Somerset 7.3): reword it, or record "
                    f"the child's permission (rj consent {child.id} share-details-with-victim yes)")
    return list(dict.fromkeys(problems))


def rendered_problems(draft: LetterDraft, text: str) -> list[str]:
    """What is wrong with a rendered letter (its text): the last guard, for any template.

    A letter a victim reads must not show the child's name or date of birth without the
    child's permission (Somerset 7.3); the initial letter must not raise meeting the
    child or a conference (Wait 'til Eight §6.4.3).
    """
    problems = []
    folded = _fold(text)
    for term in draft.private_terms:
        if _fold(term) in folded:
            problems.append(f"it shows the child's details ('{term}') without the child's "
                            "permission (Somerset 7.3)")
    if draft.kind.name == "initial":
        body = folded
        for line in _from_the_record(draft.context):  # "Conference House" is not an offer
            body = body.replace(_fold(line), " ")
        for phrase in INITIAL_FORBIDDEN:
            if re.search(rf"\b{re.escape(phrase)}\b", body):
                problems.append(f"the initial letter mentions '{phrase}': meeting the young "
                                "person is raised in person, not in the first letter "
                                "(Wait 'til Eight §6.4.3)")
    if draft.kind.shared and (draft.copy is None or draft.copy.party != "victim"):
        problems += shared_copy_problems(draft, text)
    return problems


_VICTIM_ID = re.compile(r"\bV-[0-9A-HJKMNP-TV-Z]{4,8}\b")
_CONTACT_DETAILS = (PHONE, EMAIL, POSTCODE, ADDRESS, BIRTHDAY)


def shared_copy_problems(draft: LetterDraft, text: str) -> list[str]:
    """A copy that goes to the child and everyone who took part (the outcome agreement)
    shows no victim record id and none of the victim's contact details (their side's
    phone, e-mail, address, postcode, date of birth), whatever the template or the
    typed agreement says (Somerset 5.4). The child's copy is checked without the address
    it is posted to: the child's own, which a family victim may share."""
    everyone = ("which the child's copy must not show" if draft.copy is not None
                else "which a copy for everyone who took part must not show")
    if draft.copy is not None:
        text = without_recipient(draft.context, text)
    problems = [f"it shows a victim's record id ({found}), {everyone}"
                for found in dict.fromkeys(_VICTIM_ID.findall(text))]
    if draft.victim is not None:
        matcher = victim_identifiers([draft.victim])
        problems += [f"it shows {f.what}, {everyone}: reword the agreement or the template"
                     for f in find(text, matcher) if f.what in _CONTACT_DETAILS]
    return list(dict.fromkeys(problems))


def without_recipient(context: Context, text: str) -> str:
    """``text`` without the lines of the address block it is posted to."""
    block = (context.get("recipient") or {}).get("block") or []
    kept = [line for line in text.splitlines() if line.strip() not in block]
    for line in sorted(block, key=len, reverse=True):  # a block joined into one line
        kept = [k.replace(line, " ") for k in kept]
    return "\n".join(kept)


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


def _from_the_record(context: Context) -> list[str]:
    """Addresses and the offence: words of the record, not of the template."""
    service = context.get("service") or {}
    recipient = context.get("recipient") or {}
    offence = context.get("offence")
    return [*service.get("heading_lines", []), *recipient.get("block", []),
            *([offence] if offence else [])]
