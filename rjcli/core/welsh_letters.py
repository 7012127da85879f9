"""Letters in Welsh: which language a letter is written in, and the Welsh context a
template in ``templates/cy/`` sees (pure: no files, no clock).

The Welsh templates use the same context variables as the English ones. The values
that rj itself words (dates, the reply-by day, the salutation, "the young person",
the enclosures, the restorative options, role titles, "Telephone:") are given here in
Welsh; what people typed (names, addresses, the offence, a note, an agreement's
actions) is printed as typed. The service's own words come from ``service.cy`` in
``rj.yaml`` (``name``, ``letterhead``, ``complaints``, ``sign_off``): a Welsh letter that
needs the complaints route is not written without its Welsh wording.

Mutation: names, dates and the service's name are never mutated; the templates place
them where Welsh needs no mutation (see :mod:`rjcli.core.welsh`).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from rjcli.core import letterfacts, letterkinds
from rjcli.core.letterform import welsh_questions
from rjcli.core.model import Victim, clean_text
from rjcli.core.offences import OffenceCategories, offence_words
from rjcli.core.welsh import (
    time_from_uk,
    weekday_from_english,
    welsh_date,
    welsh_day_date,
    welsh_from_uk,
)

LANGUAGES = ("en", "cy")
"""The languages a letter is written in (a victim's ``language``)."""

LANGUAGE_CHOICES = ("en", "cy", "both")
"""What ``--language`` accepts: ``both`` is Welsh first, then English, in one document."""

SIGN_OFF = "Yn gywir"
"""The Welsh sign-off when ``service.cy.sign_off`` is not set."""

TITLES: Mapping[str, str] = {
    "initial": "Llythyr cyswllt cyntaf",
    "final": "Ail lythyr a'r llythyr olaf",
    "closure": "Llythyr cau'r achos",
    "update": "Diweddariad ar gynnydd",
    "panel-statement": "Datganiad ar gyfer y panel",
    "compensation": "Iawndal na ellir ei orfodi",
    "parent-consent": "Llythyr yn gofyn am ganiatâd rhiant neu warcheidwad",
    "consent-form": "Caniatâd i gymryd rhan mewn cyfiawnder adferol",
    "confidentiality-agreement": "Cytundeb cyfrinachedd",
    "outcome-agreement": "Cytundeb canlyniad",
    "child-appointment": "Gwahoddiad i apwyntiad cyfiawnder adferol",
    "feedback-form": "Ffurflen adborth",
}
"""Each kind's title in Welsh (the HTML page title)."""

ENCLOSURES: Mapping[str, str] = {
    letterkinds.LEAFLET: "Ein taflen am sut rydym yn helpu pobl y mae trosedd wedi effeithio "
                     "arnynt",
    letterkinds.COMPLAINTS: "Sut i wneud cwyn",
    letterkinds.FEEDBACK_FORM: "Ffurflen adborth fer ac amlen ateb",
    letterkinds.CHILD_LEAFLET: "Ein taflen i bobl ifanc am gyfiawnder adferol",
}

ROLE_TITLES: Mapping[str, str] = {
    "rj-worker": "Gweithiwr Dioddefwyr a Chyfiawnder Adferol",
    "case-holder": "Gweithiwr Cyfiawnder Ieuenctid",
    "manager": "Rheolwr Tîm",
    "admin": "Gweinyddwr",
}
"""How a staff role is printed under a signature in Welsh."""

OPTION_WORDS: Mapping[str, str] = {
    "conference": "cyfarfod cyfiawnder adferol",
    "shuttle-mediation": "negeseuon rhyngoch chi a'r person ifanc, wedi'u trosglwyddo "
                         "gennym ni",
    "letter-of-explanation": "llythyr esboniad gan y person ifanc",
    "direct-reparation": "gwaith gan y person ifanc i unioni'r niwed a wnaed i chi",
    "indirect-reparation": "gwaith gan y person ifanc er budd y gymuned",
    "panel-attendance": "mynd i banel Gorchymyn Atgyfeirio'r person ifanc",
    "panel-statement": "datganiad a gaiff ei ddarllen ym mhanel Gorchymyn Atgyfeirio'r "
                       "person ifanc",
    "impact-statement": "datganiad am sut effeithiodd y drosedd arnoch, a ddefnyddir yng "
                        "ngwaith y person ifanc gyda ni",
    "progress-updates": "diweddariadau am gynnydd y person ifanc",
    "support-referral": "atgyfeiriad at wasanaeth cymorth arall",
}
"""Restorative options in plain Welsh, by option (as :data:`letterfacts.OPTION_WORDS`)."""

_YOUNG_PERSON = {"the young person": "y person ifanc", "the young people": "y bobl ifanc"}
_PANEL = {"Referral Order panel": "panel y Gorchymyn Atgyfeirio", "panel": "panel"}
_LINE_PREFIXES = (("Telephone: ", "Ffôn: "), ("E-mail: ", "E-bost: "))


class LanguageError(ValueError):
    """A language that is not one of those accepted (the message says which are)."""


def letter_languages(option: str | None, recorded: object) -> tuple[str, ...]:
    """The languages of one letter, in the order printed: ``--language`` when given,
    else the victim's recorded ``language``, else English. ``both``: Welsh first, as
    the Welsh Language Standards expect."""
    if option is not None:
        if option not in LANGUAGE_CHOICES:
            raise LanguageError(f"--language '{option}' is not one of: "
                                f"{', '.join(LANGUAGE_CHOICES)}")
        return ("cy", "en") if option == "both" else (option,)
    if recorded in (None, ""):
        return ("en",)
    if recorded not in LANGUAGES:
        raise LanguageError(f"the record's language '{recorded}' is not one of: "
                            f"{', '.join(LANGUAGES)}")
    return (str(recorded),)


def conjoined(names: Sequence[str]) -> str:
    """``Pat a Jordan``; ``ac`` before a vowel (names are never mutated)."""
    if not names:
        return ""
    text = names[0]
    for name in names[1:]:
        text += (" ac " if name[:1].lower() in "aeiouwyâêîôûŵŷ" else " a ") + name
    return text


@dataclass(frozen=True)
class WelshOffence:
    """What a Welsh letter says of the offence."""

    words: str | None
    """The Welsh words printed, or None (the letter says "y drosedd")."""
    missing: tuple[str, ...] = ()
    """Why the Welsh letter cannot name it (English words only are recorded)."""


def welsh_offence(victim: Victim, categories: OffenceCategories) -> WelshOffence:
    """The offence as a Welsh letter to ``victim`` says it, as
    :func:`rjcli.core.offences.offence_words` chooses it in English: the victim's
    ``offence_for_letters_cy``, else the Welsh words (``words_cy``) of their category;
    English words typed for letters are never printed in a Welsh one."""
    english = offence_words(victim, categories)
    if english.words is None:
        return WelshOffence(None)
    own = clean_text(victim.extra.get("offence_for_letters_cy"))
    if own:
        return WelshOffence(" ".join(own.split()))
    category = clean_text(victim.extra.get("offence_category"))
    described = clean_text(victim.extra.get("offence_for_letters"))
    if category and not described and category in categories.words_cy:
        return WelshOffence(categories.words_cy[category])
    if described:
        return WelshOffence(None, (
            f"the offence in Welsh words (offence_for_letters_cy in victims/{victim.id}.yaml): "
            f"offence_for_letters is '{described}'",))
    return WelshOffence(None, (
        f"Welsh words for the offence category '{category}' (words_cy in "
        "policy/offence-categories.yaml), or offence_for_letters_cy in "
        f"victims/{victim.id}.yaml",))


@dataclass(frozen=True)
class WelshContext:
    """A Welsh context, or what stops a Welsh letter being written."""

    context: letterfacts.Context
    """What a template in templates/cy/ sees."""
    missing: tuple[str, ...]
    """What a Welsh letter needs and does not have, in words."""


def welsh_context(context: letterfacts.Context, kind: letterkinds.LetterKind,
                  service_cy: Mapping[str, Any], offence: WelshOffence) -> WelshContext:
    """The Welsh of an English letter context (a deep copy; ``context`` is unchanged).

    ``service_cy`` is ``service.cy`` of rj.yaml: the service's own words in Welsh;
    ``offence`` the offence in Welsh (:func:`welsh_offence`).
    """
    cy = copy.deepcopy(context)
    missing: list[str] = []
    cy["title"] = TITLES.get(kind.name, context.get("title"))
    _dates(cy)
    _people(cy, missing)
    _service(cy, context, service_cy, kind, missing)
    _worker(cy)
    cy["enclosures"] = [_word(ENCLOSURES, e, "enclosure", missing)
                        for e in context.get("enclosures") or []]
    _options(cy, missing)
    if "signatories" in cy:
        cy["signatories"] = [_signatory(row, missing) for row in cy["signatories"] or []]
    if "offence" in cy:
        cy["offence"] = offence.words
        missing += offence.missing
    welsh_questions(cy, missing)
    return WelshContext(cy, tuple(dict.fromkeys(missing)))


def _iso(text: object) -> date | None:
    return date.fromisoformat(text) if isinstance(text, str) and text else None


def _dates(cy: letterfacts.Context) -> None:
    """Every date rj prints: the letter date, the reply-by day (with its weekday, after
    ``erbyn``, which needs no mutation), and the dates of the record."""
    today = _iso(cy.get("letter_date_iso"))
    if today is not None:
        cy["letter_date"] = welsh_date(today)
    reply = _iso(cy.get("reply_by_iso"))
    if reply is not None:
        cy["reply_by"] = welsh_day_date(reply, in_sentence=True)
    for key in ("initial_letter_date", "updates_until", "meeting_date"):
        if key in cy:
            cy[key] = welsh_from_uk(cy[key])
    if isinstance(cy.get("conference"), dict):
        cy["conference"]["date"] = welsh_from_uk(cy["conference"].get("date"))
    for row in cy.get("agreement") or []:
        row["due"] = welsh_from_uk(row.get("due"))
    appointment = cy.get("appointment")
    if isinstance(appointment, dict):
        appointment["date"] = welsh_from_uk(appointment.get("date"))
        appointment["weekday"] = weekday_from_english(appointment.get("weekday"))
        appointment["time"] = time_from_uk(appointment.get("time"))


def _people(cy: letterfacts.Context, missing: list[str]) -> None:
    """The salutation and "the young person" (or the children's names) in Welsh."""
    salutation, named = cy.get("salutation"), cy.get("greeting_name")
    if named:  # "Mrs Hollis", the full name, or the child and their carer
        cy["salutation"] = "Annwyl " + conjoined(str(named).split(" and "))
    elif isinstance(salutation, str) and salutation.startswith("Dear "):
        cy["salutation"] = "Annwyl " + salutation[len("Dear "):]  # the greeting recorded
    elif isinstance(salutation, str) and not salutation.startswith("Annwyl "):
        missing.append(f"a Welsh greeting: the salutation recorded is '{salutation}' "
                       "(write it as 'Annwyl ...' or 'Dear ...')")
    recipient = cy.get("recipient")
    if isinstance(recipient, dict) and recipient.get("name") and cy.get("child"):
        recipient["name"] = conjoined(str(recipient["name"]).split(" and "))
    young = cy.get("young_person")
    if isinstance(young, str):
        names = [c["name"] for c in cy.get("children") or []]
        cy["young_person"] = _YOUNG_PERSON.get(young) or conjoined(names) or young
    if isinstance(cy.get("panel"), str):
        cy["panel"] = _PANEL.get(cy["panel"], cy["panel"])


def _translated_lines(lines: Sequence[str]) -> list[str]:
    out = []
    for line in lines:
        for english, welsh in _LINE_PREFIXES:
            if line.startswith(english):
                line = welsh + line[len(english):]
        out.append(line)
    return out


def _service(cy: letterfacts.Context, context: letterfacts.Context, service_cy: Mapping[str, Any],
             kind: letterkinds.LetterKind, missing: list[str]) -> None:
    service = cy.get("service")
    if not isinstance(service, dict):
        return
    english_head = list(service.get("letterhead") or ([service["name"]] if service.get("name")
                                                     else []))
    welsh_head = [str(x) for x in service_cy.get("letterhead") or []] or (
        [str(service_cy["name"])] if service_cy.get("name") else english_head)
    lines = list(service.get("heading_lines") or [])
    if lines[:len(english_head)] == english_head:
        lines = welsh_head + lines[len(english_head):]
    service["heading_lines"] = _translated_lines(lines)
    if service_cy.get("name"):
        service["name"] = str(service_cy["name"])
    if service_cy.get("letterhead"):
        service["letterhead"] = welsh_head
    service["sign_off"] = str(service_cy.get("sign_off") or SIGN_OFF)
    complaints = service_cy.get("complaints")
    service["complaints"] = str(complaints) if complaints else None
    service["complaints_text"] = service["complaints"]
    if "complaints" in kind.needs and context["service"].get("complaints") and not complaints:
        missing.append("how to complain, in Welsh (service.cy.complaints in rj.yaml)")


def _worker(cy: letterfacts.Context) -> None:
    worker = cy.get("worker")
    if not isinstance(worker, dict):
        return
    english, welsh = worker.get("role_title"), ROLE_TITLES.get(str(worker.get("role")))
    if welsh:
        worker["role_title"] = welsh
    lines = [welsh if welsh and line == english else line
             for line in worker.get("signature_lines") or []]
    worker["signature_lines"] = _translated_lines(lines)


_SIGNATORY_LABELS: Mapping[str, str] = {
    "For the organisation harmed": "Ar ran y sefydliad a gafodd ei niweidio",
    "The person harmed": "Y person a gafodd ei niweidio",
    "Parent or guardian of the person harmed": "Rhiant neu warcheidwad y person a gafodd "
                                               "ei niweidio",
    "The young person": "Y person ifanc",
    "The young person's parent or carer": "Rhiant neu ofalwr y person ifanc",
    "Facilitator": "Hwylusydd",
}
_SIGNATORY_PATTERNS = (
    (re.compile(r"Facilitator: (.+)"), "Hwylusydd: {0}"),
    (re.compile(r"Parent or guardian: (.+)"), "Rhiant neu warcheidwad: {0}"),
    (re.compile(r"(.+), for (.+)"), "{0}, ar ran {1}"),
    (re.compile(r"For (.+)"), "Ar ran {0}"),
)
_STATEMENTS = ((re.compile(r"I agree that (.+) may take part\."),
                "Rwy'n cytuno y caiff {0} gymryd rhan."),)


def _pattern_word(patterns: Sequence[tuple[re.Pattern[str], str]], english: str) -> str | None:
    for pattern, welsh in patterns:
        found = pattern.fullmatch(english)
        if found:
            return welsh.format(*found.groups())
    return None


def _signatory(row: Mapping[str, Any], missing: list[str]) -> dict[str, Any]:
    """A signature line's label and statement in Welsh (the names as written)."""
    out = dict(row)
    label = str(row.get("label") or "")
    if row.get("role") == "victim" and label == (row.get("name") or ""):
        pass  # the victim's own name: no words to put into Welsh
    elif label in _SIGNATORY_LABELS:
        out["label"] = _SIGNATORY_LABELS[label]
    else:
        out["label"] = _pattern_word(_SIGNATORY_PATTERNS, label) or _word({}, label,
                                                                           "signature line",
                                                                           missing)
    statement = row.get("statement")
    if statement:
        out["statement"] = _pattern_word(_STATEMENTS, str(statement)) or _word(
            {}, str(statement), "statement above a signature", missing)
    return out


def _word(words: Mapping[str, str], english: str, what: str, missing: list[str]) -> str:
    if english in words:
        return words[english]
    missing.append(f"a Welsh wording for the {what} '{english}'")
    return english


def _options(cy: letterfacts.Context, missing: list[str]) -> None:
    by_words = {words: option for option, words in letterfacts.OPTION_WORDS.items()}
    welsh = {words: OPTION_WORDS[option] for words, option in by_words.items()
             if option in OPTION_WORDS}
    for key in ("options", "completed"):
        if key in cy:
            cy[key] = [_word(welsh, o, "restorative option", missing) for o in cy[key] or []]


INITIAL_FORBIDDEN = ("wyneb yn wyneb", "cynhadledd", "cyfarfod", "cwrdd")
"""Welsh words the initial letter must not contain (as
:data:`letterprivacy.INITIAL_FORBIDDEN`): meeting the young person is raised in person
(Wait 'til Eight §6.4.3)."""


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


def initial_problems(draft: letterfacts.LetterDraft, text: str) -> list[str]:
    """A Welsh initial letter that raises meeting the young person or a conference (the
    words of the record, such as an address, are not the template's)."""
    if draft.kind.name != "initial":
        return []
    body = _fold(text)
    service = draft.context.get("service") or {}
    recipient = draft.context.get("recipient") or {}
    offence = draft.context.get("offence")
    for line in [*service.get("heading_lines", []), *recipient.get("block", []),
                 *([offence] if offence else [])]:
        body = body.replace(_fold(line), " ")
    return [f"the initial letter mentions '{word}': meeting the young person is raised in "
            "person, not in the first letter (Wait 'til Eight §6.4.3)"
            for word in INITIAL_FORBIDDEN if re.search(rf"\b{re.escape(word)}", body)]


def private_terms(terms: Sequence[str]) -> tuple[str, ...]:
    """The Welsh form of each private date (``3 Mai 2010``), besides the terms themselves."""
    extra = []
    for term in terms:
        try:
            extra.append(welsh_from_uk(term))
        except ValueError:
            continue
    return (*terms, *(t for t in extra if t))
