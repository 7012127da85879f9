"""Letters: one copy of a form for each party, addressed to them (issue 21).

The outcome agreement is signed by everyone who took part, and each party is posted a
copy of their own (``rj letter outcome-agreement V-... --copy victim|child|C-...``): the
victim's copy goes to the victim's side (the victim; the parent or guardian of a victim
under 18; an organisation's named representative) and is logged on the victim's record;
the child's copy goes to the child and their parent or carer, at the child's address, and
is logged on the child's record. The child's copy shows no victim record id and none of
the victim's contact details (Somerset 5.4; :mod:`rjcli.core.letterprivacy`).

Pure: the copies are worked out from the records passed in.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rjcli.core.age import victim_under_18
from rjcli.core.model import Child, Victim

VICTIM = "victim"
CHILD = "child"


@dataclass(frozen=True)
class PartyCopy:
    """The copy of a shared form for one party."""

    party: str
    """``victim`` (the victim's side) or ``child`` (the child and their parent or carer)."""
    record_id: str
    """The record it is addressed from, printed as its reference and logged on."""
    copy_for: str
    """Whose copy it says it is, as a word the templates turn into their own language:
    ``victim``, ``victim-under-18``, ``organisation`` or ``child``."""
    label: str | None = None
    """For the child's copy: how the child's record names the victim ("Victim 1"), for the
    contact it leaves (never the victim's name or details)."""


class CopyError(ValueError):
    """The copy asked for is not one there is (the message lists the ones there are)."""


def linked_child_ids(victim: Victim) -> tuple[str, ...]:
    return tuple(dict.fromkeys(victim.child_ids))


def choices(victim: Victim) -> list[str]:
    """The ``--copy`` values there are for ``victim``'s agreement, in words for a message."""
    ids = linked_child_ids(victim)
    words = ["--copy victim (the victim's side)"]
    if len(ids) == 1:
        words.append(f"--copy child ({ids[0]}, the child and their parent or carer)")
    words += [f"--copy {cid} (that child and their parent or carer)" for cid in ids
              if len(ids) > 1]
    return words


def choose(option: str | None, victim: Victim, what: str) -> tuple[str, str]:
    """(party, record id) of the copy ``option`` names, or :class:`CopyError` listing the
    copies there are (``what``: the form, in words)."""
    ids = linked_child_ids(victim)
    listed = "; ".join(choices(victim))
    if option is None:
        raise CopyError(f"the {what} is written one copy per party, each addressed to them "
                        f"for a window envelope and logged on their own record: choose "
                        f"{listed}")
    wanted = option.strip()
    if wanted.lower() == VICTIM or wanted == victim.id:
        return VICTIM, victim.id
    if wanted.lower() == CHILD and len(ids) == 1:
        return CHILD, ids[0]
    if wanted.upper() in ids:
        return CHILD, wanted.upper()
    if wanted.lower() == CHILD and not ids:
        raise CopyError(f"{victim.id} is linked to no child, so there is no child's copy: "
                        f"choose {listed}")
    if wanted.lower() == CHILD:
        raise CopyError(f"{victim.id} is linked to {len(ids)} children: name the child's "
                        f"copy by id: {listed}")
    raise CopyError(f"--copy '{option}' is not a copy of {victim.id}'s {what}: choose {listed}")


def party_copy(party: str, record_id: str, victim: Victim,
               children: Sequence[Child]) -> PartyCopy:
    """The copy for ``party`` (see :func:`choose`), with whose copy it says it is."""
    if party == VICTIM:
        copy_for = ("victim-under-18" if victim_under_18(victim)
                    else "organisation" if victim.kind == "corporate" else "victim")
        return PartyCopy(VICTIM, victim.id, copy_for)
    child = next((c for c in children if c.id == record_id), None)
    return PartyCopy(CHILD, record_id, "child", _label(child, victim.id))


def _label(child: Child | None, victim_id: str) -> str | None:
    """How the child's record names the victim ("Victim 1"), if it does."""
    for ref in child.victims if child is not None else ():
        if ref.ref == victim_id and ref.label:
            return ref.label
    return None


def sections(copy: PartyCopy, needs: tuple[str, ...]) -> tuple[str, ...]:
    """The sections a copy needs: the form's own, with its party as the recipient. The
    child's copy does not contact the victim, so it does not need their consent to it."""
    if copy.party == VICTIM:
        return (*needs, "recipient")
    return (*(n for n in needs if n != "contact-consent"), "child-recipient")
