"""Letters and forms: a letter's context built from the record, ``rj.yaml`` and the day
(pure: no files, no clock; today and the working calendar are parameters).

The kinds and their needs are in :mod:`rjcli.core.letterkinds`; the context a template
sees is plain data (text, lists and mappings, nothing else), built section by section:
the sender and the recipient (:mod:`rjcli.core.letterparties`), the facts of the record
and the reply-by date (:mod:`rjcli.core.letterfacts`, Wokingham 5). Nothing about the
child goes into a letter a victim reads unless the child's record holds permission to
share it (Somerset 7.3; :mod:`rjcli.core.letterprivacy`); a letter to the child holds
nothing about the victim (Somerset 5.4).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from rjcli.core import lettercopies, letterfacts, letterform, letterparties
from rjcli.core.dates import uk_date
from rjcli.core.lettercopies import PartyCopy
from rjcli.core.letterfacts import Build, LetterDraft, LetterFacts
from rjcli.core.letterkinds import LetterKind
from rjcli.core.letterprivacy import free_text_problems, private_terms

_SECTIONS: Mapping[str, Callable[[Build], None]] = {
    **letterparties.SECTIONS, **letterfacts.SECTIONS, **letterform.SECTIONS,
}


def build_letter(kind: LetterKind, facts: LetterFacts,
                 copy: PartyCopy | None = None) -> LetterDraft:
    """The context of a ``kind`` letter from ``facts``, with every missing fact listed
    (``copy``: one party's copy of a shared form, addressed to them; for the child's copy,
    ``facts.child`` is the child it goes to)."""
    subject = facts.victim if kind.record == "victim" else facts.child
    if subject is None:
        raise ValueError(f"a {kind.name} letter is written from a {kind.record} record")
    if copy is not None and copy.party == lettercopies.CHILD and facts.child is None:
        raise ValueError("the child's copy is addressed from the child's record")
    b = Build(kind, facts)
    if not kind.shared:  # a copy for everyone shows no victim record id (issue 21)
        b.context["record"] = subject.id
    b.context.update({
        "kind": kind.name,
        "title": kind.title,
        "layout": kind.layout,
        "reference": copy.record_id if copy else None if kind.shared else subject.id,
        "letter_date": uk_date(facts.today),
        "letter_date_iso": facts.today.isoformat(),
        "reply_by": None,
        "reply_by_iso": None,
        "enclosures": list(kind.enclosures),
    })
    if copy is not None:
        b.context["copy_for"] = copy.copy_for
    needs = lettercopies.sections(copy, kind.needs) if copy else kind.needs
    for section in (*needs, *kind.uses):
        _SECTIONS[section](b)
    to_child = copy is not None and copy.party == lettercopies.CHILD
    audience = "child" if to_child else kind.audience
    private = private_terms(facts) if audience == "victim" else ()
    if audience == "victim":
        b.missing += free_text_problems(b.context, facts)
    return LetterDraft(kind=kind, record_id=copy.record_id if copy else subject.id,
                       context=b.context, missing=tuple(b.missing), reply_by=b.reply_by,
                       party=b.party, private_terms=private,
                       warnings=tuple(dict.fromkeys(b.warnings)), victim=facts.victim,
                       copy=copy)


def missing_fields(kind: LetterKind, facts: LetterFacts) -> list[str]:
    """Every fact missing for a ``kind`` letter (empty: it can be written)."""
    return list(build_letter(kind, facts).missing)


COPY_NOTES = {
    "victim": "the victim's copy",
    "victim-under-18": "the copy for the victim and their parent or guardian",
    "organisation": "the organisation's copy",
    "child": "the copy for the child and their parent or carer",
}
"""Whose copy of a shared form was sent, on the contact it leaves."""


def contact_note(draft: LetterDraft) -> str:
    """The note on the contact entry a sent letter leaves."""
    parts = [draft.kind.title]
    route = draft.context.get("route")
    if route:
        parts.append(f"({route} version)")
    note = " ".join(parts)
    if draft.copy is not None:
        note += "; " + COPY_NOTES[draft.copy.copy_for]
        if draft.copy.label:
            note += f" (agreement with {draft.copy.label})"
    if draft.reply_by:
        note += f"; reply by {uk_date(draft.reply_by)}"
    return note
