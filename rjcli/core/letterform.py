"""The feedback form's questions (pure): which questionnaire a victim is sent, and its
questions as a letter's context, in English or in Welsh.

Wokingham has a form for feedback after contact (appendix 11) and one after an RJ
meeting (appendix 11a); Tower Hamlets sends its evaluation form at the end of each
intervention (appendix 9). rj asks the questions of its questionnaire data
(``policy/questionnaires/``, the same that ``rj feedback`` asks; a casebook's own file
wins), read by the command and passed in: after a held conference the conference
questionnaire, else the contact one (as ``rj feedback`` chooses).
"""

from __future__ import annotations

from collections.abc import Mapping

from rjcli.core.letterfacts import Build, Context
from rjcli.core.model import Victim


def questionnaire_for(victim: Victim) -> str:
    """``conference`` after a held conference (Wokingham 11a), else ``contact`` (11)."""
    conferences = victim.extra.get("conferences")
    held = any(isinstance(c, Mapping) and c.get("status") == "held"
               for c in (conferences if isinstance(conferences, list) else []))
    return "conference" if held else "contact"


def _questionnaire(b: Build) -> None:
    wanted = questionnaire_for(b.victim)
    chosen = next((q for q in b.facts.questionnaires if q.id == wanted), None)
    if chosen is None:
        b.need(f"the feedback questions (policy/questionnaires/{wanted}.yaml)")
        b.context["questionnaire"], b.context["questions"] = None, []
        return
    # the reference is printed on the victim's own copy only, never on the pages sent
    # back (the Word paper prints ``reference`` at the top of every later page)
    b.context["own_copy_reference"], b.context["reference"] = b.context.get("reference"), None
    b.context["questionnaire"] = {"id": chosen.id, "title": chosen.title,
                                  "title_cy": chosen.title_cy}
    b.context["title"] = chosen.title
    b.context["questions"] = [
        {"id": q.id, "text": q.text, "text_cy": q.text_cy, "type": q.type}
        for q in chosen.questions
    ]


SECTIONS = {"questionnaire": _questionnaire}
"""The letter section this module builds (see :mod:`rjcli.core.letters`)."""


def welsh_questions(cy: Context, missing: list[str]) -> None:
    """The questionnaire's title and questions in Welsh (its ``title_cy`` and each
    question's ``text_cy``), or what is missing, by question id."""
    questionnaire = cy.get("questionnaire")
    if not isinstance(questionnaire, dict):
        return
    where = f"policy/questionnaires/{questionnaire['id']}.yaml"
    if questionnaire.get("title_cy"):
        questionnaire["title"] = cy["title"] = questionnaire["title_cy"]
    else:
        missing.append(f"the questionnaire's title in Welsh (title_cy in {where})")
    untranslated = []
    for question in cy.get("questions") or []:
        if question.get("text_cy"):
            question["text"] = question["text_cy"]
        else:
            untranslated.append(question["id"])
    if untranslated:
        missing.append(f"the questions in Welsh (text_cy in {where}) for: "
                       + ", ".join(untranslated))
