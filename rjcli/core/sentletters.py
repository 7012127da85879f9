"""A letter is logged as sent once: the sent-letter log of a record, read from its contacts.

Writing a letter already sent (same kind, same record) again, in another format or by
mistake, writes the file but logs nothing: the contact log and every report would count it
twice (issue 16). ``--resend --reason TEXT`` logs it again, as a resend with its reason.

The rule holds for kinds whose whole content comes from the record (initial, final,
closure...). Kinds that take their content from the command line (``update`` and
``panel-statement`` take --note, ``child-appointment`` takes --at and --venue) are a new
letter each time: each is logged.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rjcli.core.letterkinds import LetterKind
from rjcli.core.model import Contact
from rjcli.core.when import say_date


@dataclass(frozen=True)
class Sending:
    """What to do with one letter about to be written (not a draft)."""

    log: bool
    """Log it as sent on the record."""
    earlier: Contact | None
    """The letter of this kind already logged as sent, if any."""
    resend_reason: str | None = None
    """Logged with the entry when it is a resend."""


def sent_once(kind: LetterKind) -> bool:
    """Is a second letter of ``kind`` to the same record the same letter again?"""
    return not kind.options


def earlier_letter(kind: LetterKind, contacts: Sequence[Contact]) -> Contact | None:
    """The first letter of ``kind`` logged as sent, if any (for kinds sent once)."""
    if not sent_once(kind):
        return None
    for contact in contacts:
        if contact.method == "letter" and contact.letter == kind.name \
                and contact.outcome == "sent":
            return contact
    return None


def resend_problems(kind: LetterKind, record_id: str, earlier: Contact | None, resend: bool,
                    reason: str | None, is_draft: bool) -> list[str]:
    """What is wrong with --resend / --reason as given (empty: nothing)."""
    reason = (reason or "").strip() or None
    if not resend:
        return ["--reason goes with --resend (a letter sent again)"] if reason else []
    if is_draft:
        return ["--resend logs the letter as sent again; a --draft logs nothing"]
    if reason is None:
        return ["--resend needs --reason TEXT: why the letter is sent again (e.g. 'returned: "
                "wrong house number')"]
    if earlier is None:
        why = (f"no {kind.name} letter was sent for {record_id}: leave out --resend"
               if sent_once(kind) else
               f"every {kind.name} letter is logged when it is sent: leave out --resend")
        return [why]
    return []


def sending(earlier: Contact | None, resend: bool, reason: str | None) -> Sending:
    """Log the letter unless the same letter was already sent (and this is no resend)."""
    if earlier is None:
        return Sending(log=True, earlier=None)
    if resend:
        return Sending(log=True, earlier=earlier, resend_reason=(reason or "").strip())
    return Sending(log=False, earlier=earlier)


def already_sent(kind: LetterKind, earlier: Contact) -> str:
    """'The initial letter was sent on Friday 5 June 2026 by Sam Worker; not logged again'."""
    when = f" on {say_date(earlier.day)}" if earlier.day else ""
    who = f" by {earlier.by}" if earlier.by else ""
    return f"The {kind.name} letter was sent{when}{who}; not logged again"
