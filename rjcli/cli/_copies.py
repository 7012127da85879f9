"""``rj letter outcome-agreement ID --copy victim|child|C-...``: one party's copy.

The copies themselves are worked out in :mod:`rjcli.core.lettercopies`; here they are read
from the casebook: the copy asked for, the facts of the child's copy (the child's record),
its language (the child's, not the victim's), whether it was sent already (on the child's
record, for this victim's agreement) and the last check of the child's copy against the
linked victims' identifiers (Somerset 5.4).
"""

from __future__ import annotations

from dataclasses import replace

from rjcli.cli.context import AppContext
from rjcli.core import lettercopies, letterfacts, letterkinds, sentletters, welsh_letters
from rjcli.core.lettercopies import PartyCopy
from rjcli.core.model import Contact
from rjcli.errors import BadInput


def chosen(ctx: AppContext, kind: letterkinds.LetterKind, record_id: str,
           option: str | None) -> PartyCopy | None:
    """The copy ``--copy`` names of a shared form (None for any other kind), or BadInput
    listing the copies there are."""
    if not kind.shared:
        if option is not None:
            raise BadInput(f"--copy is for a form each party gets a copy of (the outcome "
                           f"agreement); the {kind.name} letter has one recipient")
        return None
    book = ctx.casebook
    victim = book.victim(record_id)
    try:
        party, copy_id = lettercopies.choose(option, victim, kind.title.lower())
    except lettercopies.CopyError as exc:
        raise BadInput(str(exc), hint="nothing was written") from None
    if party == lettercopies.CHILD and not book.exists(copy_id):
        raise BadInput(f"{record_id} is linked to {copy_id}, which has no record: the child's "
                       "copy is addressed from it", hint="rj check lists broken links")
    children = tuple(book.child(c) for c in victim.child_ids if book.exists(c))
    return lettercopies.party_copy(party, copy_id, victim, children)


def facts_for(ctx: AppContext, facts: letterfacts.LetterFacts,
              copy: PartyCopy | None) -> letterfacts.LetterFacts:
    """The facts of the copy: for the child's copy, with the child it goes to."""
    if copy is None or copy.party != lettercopies.CHILD:
        return facts
    return replace(facts, child=ctx.casebook.child(copy.record_id))


def to_child(copy: PartyCopy | None) -> bool:
    return copy is not None and copy.party == lettercopies.CHILD


def child_plan(kind: letterkinds.LetterKind, copy: PartyCopy, facts: letterfacts.LetterFacts,
               language: str | None, resend: bool, reason: str | None,
               is_draft: bool) -> tuple[tuple[str, ...], sentletters.Sending]:
    """The child's copy's languages, and whether to log it (see :func:`sending`)."""
    return (child_languages(language, facts),
            sending(kind, copy, facts, resend, reason, is_draft))


def child_languages(option: str | None, facts: letterfacts.LetterFacts) -> tuple[str, ...]:
    """The child's copy is in ``--language``, else the child's recorded language."""
    recorded = facts.child.extra.get("language") if facts.child is not None else None
    try:
        return welsh_letters.letter_languages(option, recorded)
    except welsh_letters.LanguageError as exc:
        raise BadInput(str(exc), hint="en: English; cy: Welsh; both: Welsh then English "
                                      "in one document") from None


def child_contacts(copy: PartyCopy, facts: letterfacts.LetterFacts) -> tuple[Contact, ...]:
    """The child's contacts that count as this agreement's copy sent before: each victim's
    agreement is its own letter to the child (told apart by the victim's label)."""
    contacts = facts.child.contacts if facts.child is not None else ()
    if copy.label is None:
        return tuple(contacts)
    mark = f"(agreement with {copy.label})"
    return tuple(c for c in contacts if mark in (c.note or ""))


def sending(kind: letterkinds.LetterKind, copy: PartyCopy, facts: letterfacts.LetterFacts,
            resend: bool, reason: str | None, is_draft: bool) -> sentletters.Sending:
    """Log the child's copy, or not (sent already), or as a resend."""
    earlier = sentletters.earlier_letter(kind, child_contacts(copy, facts))
    problems = sentletters.resend_problems(kind, copy.record_id, earlier, resend, reason,
                                           is_draft)
    if problems:
        raise BadInput("; ".join(problems))
    return sentletters.sending(earlier, resend, reason)


def refuse_victim_identifiers(ctx: AppContext, draft: letterfacts.LetterDraft,
                              text: str) -> None:
    """The child's copy holds no linked victim's identifiers (Somerset 5.4), the address it
    is posted to aside (the child's own, which a family victim may share). Any other letter
    passes here untouched."""
    if not to_child(draft.copy):
        return
    from rjcli.core.letterprivacy import without_recipient
    from rjcli.storage.childgate import identifiers_in_child_text

    found = identifiers_in_child_text(ctx.casebook, draft.record_id,
                                      without_recipient(draft.context, text))
    if found:
        raise BadInput(f"the child's copy of the {draft.kind.title.lower()} was not written: "
                       f"it shows {', '.join(found)}, which the child's copy must never hold "
                       "(Somerset 5.4)",
                       hint="reword the agreement (rj edit) or the template; refer to victims "
                            "only as 'Victim 1'")
