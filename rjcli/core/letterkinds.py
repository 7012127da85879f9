"""Letters and forms: the kinds there are, what each needs and uses, in words.

Every kind is data (:data:`KINDS`): which record it is written from, who reads it,
which facts it needs (a letter with a need unmet is not written: all the missing
facts are listed at once) and which it uses when they are recorded. The facts
themselves are gathered in :mod:`rjcli.core.letterfacts` and
:mod:`rjcli.core.letterparties`; :mod:`rjcli.core.letters` builds a letter.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class LetterKind:
    """One kind of letter or form."""

    name: str
    """The word on the command line and in the contact log (``initial``)."""
    title: str
    """What it is, for people."""
    record: str
    """The record it is written from: ``victim`` or ``child``."""
    audience: str
    """Who reads it: ``victim`` (the victim's side) or ``child`` (the child and family)."""
    layout: str
    """``letter`` (address block, Dear..., signature) or ``form`` (to read and sign)."""
    source: str
    """Where the sources ask for it."""
    needs: tuple[str, ...]
    """Sections that must be complete (see :data:`NEEDS`), else nothing is written."""
    uses: tuple[str, ...] = ()
    """Sections printed when recorded, never required."""
    enclosures: tuple[str, ...] = ()
    """What goes in the envelope."""
    options: tuple[str, ...] = ()
    """Command-line facts it takes: ``note``, ``at``, ``venue``."""
    shared: bool = False
    """A copy goes to the child and everyone who took part: it holds no victim record id
    and no victim contact details."""

    @property
    def has_reply_by(self) -> bool:
        return "reply-by" in self.needs


LEAFLET = "Our leaflet about how we help people affected by crime"
COMPLAINTS = "How to make a complaint"
FEEDBACK_FORM = "A short feedback form and a reply envelope"
CHILD_LEAFLET = "Our leaflet for young people about restorative justice"

_VICTIM_LETTER = ("service", "worker", "recipient", "contact-consent")

KINDS: tuple[LetterKind, ...] = (
    LetterKind(
        "initial", "Initial contact letter", "victim", "victim", "letter",
        "Wokingham 5 and appendices 3a/3b; Wait 'til Eight §6.4.3; Tower Hamlets appendix 3",
        needs=(*_VICTIM_LETTER, "route", "complaints", "reply-by"),
        uses=("young-person", "offence"),
        enclosures=(LEAFLET, COMPLAINTS),
    ),
    LetterKind(
        "final", "Second and final letter", "victim", "victim", "letter",
        "Wokingham 6; Somerset 6.1; Tower Hamlets appendix 4",
        needs=(*_VICTIM_LETTER, "reply-by"),
        uses=("young-person", "offence", "earlier-letter"),
        enclosures=(LEAFLET,),
    ),
    LetterKind(
        "closure", "Closure letter", "victim", "victim", "letter",
        "Wokingham 12, 14 and appendix 4",
        needs=_VICTIM_LETTER,
        uses=("young-person", "offence", "completed-options", "closure-reason"),
        enclosures=(FEEDBACK_FORM, LEAFLET),
    ),
    LetterKind(
        "update", "Progress update", "victim", "victim", "letter",
        "Somerset 7.6; Tower Hamlets e",
        needs=(*_VICTIM_LETTER, "progress-request", "news"),
        uses=("young-person",),
        options=("note",),
    ),
    LetterKind(
        "panel-statement", "Statement for the panel", "victim", "victim", "form",
        "Wokingham 9d and appendix 6; Tower Hamlets appendix 6",
        needs=("service", "worker", "contact-consent"),
        uses=("panel", "statement"),
        options=("note",),
    ),
    LetterKind(
        "compensation", "Compensation cannot be enforced", "victim", "victim", "letter",
        "Somerset 7.8",
        needs=_VICTIM_LETTER,
        uses=("young-person", "offence"),
    ),
    LetterKind(
        "parent-consent", "Letter asking a parent or guardian for consent", "victim", "victim",
        "letter", "Somerset 6.4; Wait 'til Eight §5.4; Wokingham PSR 2",
        needs=(*_VICTIM_LETTER, "parent-guardian", "reply-by"),
        enclosures=(LEAFLET,),
    ),
    LetterKind(
        "consent-form", "Consent to take part in restorative justice", "victim", "victim",
        "form", "YJB §24; Wait 'til Eight 9.1-9.2",
        needs=("service", "worker", "contact-consent", "participant", "accepted-options"),
        uses=("signatures",),
    ),
    LetterKind(
        "confidentiality-agreement", "Confidentiality agreement", "victim", "victim", "form",
        "Tower Hamlets appendix 8 and additional notes",
        needs=("service", "worker", "contact-consent", "participant"),
        uses=("planned-meeting", "signatures"),
    ),
    LetterKind(
        "outcome-agreement", "Outcome agreement", "victim", "victim", "form",
        "Wait 'til Eight appendix 7; Tower Hamlets appendix 12",
        needs=("service", "worker", "contact-consent", "agreement"),
        uses=("signatures",),
        shared=True,
    ),
    LetterKind(
        "feedback-form", "Feedback form", "victim", "victim", "form",
        "Wokingham 11, 11a and 14; Tower Hamlets appendix 9; Somerset 12.2",
        needs=(*_VICTIM_LETTER, "questionnaire"),
    ),
    LetterKind(
        "child-appointment", "Invitation to a restorative justice appointment", "child",
        "child", "letter", "Wait 'til Eight 4.1, introductory letters",
        needs=("service", "worker", "child-recipient", "appointment"),
        uses=("case-holder",),
        enclosures=(CHILD_LEAFLET,),
        options=("at", "venue"),
    ),
)

KIND_NAMES = tuple(k.name for k in KINDS)


NEEDS: Mapping[str, str] = {
    "service": "the service's name and postal address (rj.yaml)",
    "worker": "the signing worker's name and phone number (staff list in rj.yaml)",
    "recipient": "the recipient's name and postal address (the victim; a parent or guardian "
                 "for a victim under 18; the named representative of an organisation)",
    "contact-consent": "the victim's consent to be contacted (and no other service "
                       "making contact for us)",
    "route": "the referral stage or disposal (chooses the court or out-of-court letter)",
    "complaints": "how to complain (service.complaints in rj.yaml)",
    "reply-by": "a reply-by date (worked out: 5 working days after the letter date)",
    "progress-request": "what the victim asked to be told (progress_request.what), still wanted",
    "news": "the news to give, in plain words (--note)",
    "parent-guardian": "a victim under 18 with a parent or guardian",
    "participant": "who signs (the victim; with a parent or guardian for a victim under 18)",
    "accepted-options": "a restorative option the victim has accepted (offers)",
    "agreement": "a held conference with agreement items (conferences)",
    "child-recipient": "the child's name and postal address, and their parent or carer",
    "appointment": "the appointment's time and place (--at, --venue)",
    "questionnaire": "the feedback questions (policy/questionnaires/: after a held conference "
                     "conference.yaml, else contact.yaml)",
}
"""Each need in words, for ``rj letter list``."""

NEEDS_SHORT: Mapping[str, str] = {
    "service": "service address",
    "worker": "worker's phone",
    "recipient": "recipient's address",
    "contact-consent": "consent to contact",
    "route": "stage or disposal",
    "complaints": "complaints route",
    "reply-by": "reply-by date",
    "progress-request": "what updates were asked for",
    "news": "--note",
    "parent-guardian": "victim under 18",
    "participant": "who signs",
    "accepted-options": "an accepted option",
    "agreement": "a held conference's agreement",
    "child-recipient": "child's address and carer",
    "appointment": "--at and --venue",
    "questionnaire": "the feedback questions",
}
"""Each need in a few words, for the table of ``rj letter list``."""

USES: Mapping[str, str] = {
    "young-person": "the child's name, only with the child's permission",
    "offence": "the offence in words recorded for letters (offence_for_letters, else "
               "offence_category); never the offence notes; none for a family victim",
    "earlier-letter": "the date of the initial letter",
    "completed-options": "the support the victim completed",
    "closure-reason": "why the case closed",
    "panel": "the Referral Order panel",
    "statement": "the victim's words (--note)",
    "planned-meeting": "the planned meeting's date",
    "case-holder": "the child's case holder",
    "signatures": "a signature and date line for each party",
}


def describe(kind: LetterKind) -> dict[str, Any]:
    """A kind as plain data for ``rj letter list --json``."""
    return {
        "kind": kind.name,
        "title": kind.title,
        "record": kind.record,
        "audience": kind.audience,
        "layout": kind.layout,
        "needs": [NEEDS[n] for n in kind.needs],
        "uses": [USES[u] for u in kind.uses],
        "enclosures": list(kind.enclosures),
        "options": [f"--{o}" for o in kind.options],
        "source": kind.source,
        "reply_by": kind.has_reply_by,
        "shared": kind.shared,
    }


def addressed_to(kind: LetterKind, short: bool = False) -> str:
    """Who a kind goes to, in words (``short``: in a few)."""
    if short:
        if kind.record == "child":
            return "child and carer"
        if kind.name == "parent-consent":
            return "parent or guardian"
        if kind.shared:
            return "everyone, to sign"
        return "victim, to sign" if kind.layout == "form" else "victim's side"
    if kind.record == "child":
        return "the child and their parent or carer"
    if kind.shared:
        return ("everyone who took part, to sign: one copy each, addressed to its party "
                "(--copy victim: the victim's side; --copy child: the child and their parent "
                "or carer, with no victim reference or contact details)")
    if kind.layout == "form":
        return "the victim, to read and sign" if kind.name != "panel-statement" else (
            "the victim, then read at the panel")
    if kind.name == "parent-consent":
        return "the parent or guardian of a victim under 18"
    return "the victim (parent or guardian if under 18; representative if an organisation)"


def unused_options(kind: LetterKind, given: Sequence[str]) -> list[str]:
    """Options given on the command line that this kind does not take."""
    return [o for o in given if o not in kind.options]
