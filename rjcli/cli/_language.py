"""The language of ``rj letter``: English, Welsh, or both in one document (issue 21).

Chosen by ``--language en|cy|both``, else by the victim's ``language`` (en or cy), else
English. The Welsh context is built from the English one (:mod:`rjcli.core.welsh_letters`);
a Welsh letter that lacks the service's Welsh wording is not written.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from rjcli.core import letterfacts, letterprivacy, welsh_letters
from rjcli.errors import BadInput, MissingFields

WORDS = {("en",): "", ("cy",): "in Welsh", ("cy", "en"): "in Welsh and English"}
"""How a letter's languages are noted on the contact it leaves."""


def languages(option: str | None, facts: letterfacts.LetterFacts) -> tuple[str, ...]:
    """The letter's languages in print order, or BadInput naming the accepted values."""
    recorded = facts.victim.extra.get("language") if facts.victim is not None else None
    try:
        return welsh_letters.letter_languages(option, recorded)
    except welsh_letters.LanguageError as exc:
        where = "" if option is not None else f" (in {facts.victim.id if facts.victim else ''})"
        raise BadInput(f"{exc}{where}",
                       hint="en: English; cy: Welsh; both: Welsh then English in one "
                            "document") from None


def versions(draft: letterfacts.LetterDraft, chosen: tuple[str, ...],
             facts: letterfacts.LetterFacts) -> list[tuple[str, letterfacts.Context]]:
    """(language, context) of each version, in print order; MissingFields when the Welsh
    letter lacks something."""
    if "cy" not in chosen:
        return [("en", draft.context)]
    service = facts.config.raw.get("service") or {}
    service_cy = service.get("cy") if isinstance(service.get("cy"), Mapping) else {}
    try:
        offence = (welsh_letters.welsh_offence(facts.victim, facts.offence_categories)
                   if facts.victim is not None else welsh_letters.WelshOffence(None))
        welsh = welsh_letters.welsh_context(draft.context, draft.kind, service_cy, offence)
    except ValueError as exc:  # a date or time rj could not put into Welsh
        raise BadInput(f"the {draft.kind.name} letter for {draft.record_id} was not written "
                       f"in Welsh: {exc}") from None
    if welsh.missing:
        listed = "\n".join(f"  - {m}" for m in welsh.missing)
        raise MissingFields(
            f"the {draft.kind.name} letter for {draft.record_id} was not written in Welsh; "
            f"it needs:\n{listed}",
            hint=f"nothing was written: add what is listed (rj edit {draft.record_id} for the "
                 "record, rj.yaml's service.cy for the service), then run it again")
    contexts = {"cy": welsh.context, "en": draft.context}
    return [(lang, contexts[lang]) for lang in chosen]


def rendered_problems(draft: letterfacts.LetterDraft, chosen: tuple[str, ...],
                      text: str) -> list[str]:
    """The checks every letter passes, with the Welsh ones when it is in Welsh."""
    if "cy" not in chosen:
        return letterprivacy.rendered_problems(draft, text)
    welsh = replace(draft, private_terms=welsh_letters.private_terms(draft.private_terms))
    return [*letterprivacy.rendered_problems(welsh, text),
            *welsh_letters.initial_problems(draft, text)]
