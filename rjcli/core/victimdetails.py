"""A victim's monitoring, communication and police-officer details (pure).

- Self-defined ethnicity (``ethnicity``, free text: Somerset 5.2 "all victim records must
  have ... self-defined ethnicity") and equality monitoring (``monitoring``): the
  service's own ethnicity category (from ``monitoring: ethnicity_categories`` in rj.yaml),
  sex and disability. Counted in reports; never in a letter, never on a child's record.
- Communication (``communication``): needs, language and whether an interpreter is needed
  (Victims' Code right 1, to understand and be understood; Tower Hamlets: "establish
  whether additional support is required i.e. an interpreter"; Wait 'til Eight 6.6).
- The police officer in the case (``police_officer``): for a court referral, spoken to
  before the victim is contacted (Somerset 6.2), so their details and the day.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from rjcli.core.dates import uk_date
from rjcli.core.text import name_problem
from rjcli.core.vocab import SEXES, label

DISABILITY_ANSWERS = ("yes", "no", "not-known", "prefers-not-to-say")
"""rj's own answers for the disability monitoring question."""
MONITORING_FIELDS = ("ethnicity_category", "sex", "disability")
"""Kept under ``monitoring``: counted, never printed in a letter."""
OFFICER_FIRST = ("A court referral: speak to the police officer in the case before contacting "
                 "the victim (Somerset 6.2): ask for the impact statement and whether contact "
                 "is appropriate; then rj victim set ID --officer NAME --officer-spoken-to DATE")


@dataclass(frozen=True)
class DetailsChange:
    """What ``rj victim set`` was given (None: leave as it is)."""

    ethnicity: str | None = None
    """Self-defined, in the victim's words."""
    ethnicity_category: str | None = None
    """One of the service's categories (rj.yaml)."""
    sex: str | None = None
    """SEXES."""
    disability: str | None = None
    """DISABILITY_ANSWERS."""
    communication_needs: str | None = None
    """How to communicate with them (hearing, reading, SLCN...)."""
    language: str | None = None
    """Their language, when not English (or the interpreter's)."""
    interpreter: bool | None = None
    """Whether an interpreter is needed."""
    officer: str | None = None
    """The police officer in the case (name, rank or number)."""
    officer_phone: str | None = None
    officer_email: str | None = None
    officer_spoken_to: date | None = None
    """When the officer was spoken to (Somerset 6.2)."""
    officer_note: str | None = None
    """What they said: the impact statement, whether contact is appropriate."""


def ethnicity_categories(settings: Mapping[str, Any]) -> list[str]:
    """The service's ethnicity categories (rj.yaml ``monitoring: ethnicity_categories``)."""
    monitoring = settings.get("monitoring")
    listed = monitoring.get("ethnicity_categories") if isinstance(monitoring, Mapping) else None
    return [str(c) for c in listed] if isinstance(listed, list) else []


def category_of(typed: str, categories: Sequence[str]) -> str | None:
    """The service's spelling of ``typed`` (case and spacing forgiven), or None."""
    def fold(text: str) -> str:
        return " ".join(text.casefold().split())

    return next((c for c in categories if fold(c) == fold(typed)), None)


def detail_problems(change: DetailsChange, categories: Sequence[str], today: date
                    ) -> list[tuple[str, str]]:
    """(field, message) for every value given that cannot be recorded (errors as values;
    the field is the ``DetailsChange`` name, so an import can name its column)."""
    problems: list[tuple[str, str]] = []
    if change.ethnicity_category is not None:
        if not categories:
            problems.append(("ethnicity_category", "rj.yaml lists no ethnicity categories: "
                             "add the service's list under monitoring: ethnicity_categories"))
        elif category_of(change.ethnicity_category, categories) is None:
            problems.append(("ethnicity_category", f"'{change.ethnicity_category}' is not one "
                             f"of the service's ethnicity categories: {'; '.join(categories)}"))
    if change.sex is not None and change.sex not in SEXES:
        problems.append(("sex", f"--sex '{change.sex}' is not one of: {', '.join(SEXES)}"))
    if change.disability is not None and change.disability not in DISABILITY_ANSWERS:
        problems.append(("disability", f"--disability '{change.disability}' is not one of: "
                         f"{', '.join(DISABILITY_ANSWERS)}"))
    if change.officer_spoken_to is not None and change.officer_spoken_to > today:
        problems.append(("officer_spoken_to",
                         f"--officer-spoken-to {change.officer_spoken_to} is after today"))
    # one line of plain text each: a control character (an escape sequence, a line break)
    # is refused, never stored to act later on a terminal or a report
    problems += [(what, p) for what, p in (
        (what, name_problem(f"--{what.replace('_', '-')}", getattr(change, what)))
        for what in ("ethnicity", "ethnicity_category", "communication_needs", "language",
                     "officer", "officer_phone", "officer_email", "officer_note")) if p]
    return problems


def given(change: DetailsChange) -> bool:
    """Whether any detail was given."""
    return any(value is not None for value in vars(change).values())


def details_updates(change: DetailsChange, categories: Sequence[str]
                    ) -> list[tuple[tuple[str, ...], Any]]:
    """(path in the record, value) for every field given, in the record's words."""
    category = (category_of(change.ethnicity_category, categories)
                if change.ethnicity_category is not None else None)
    wanted: list[tuple[tuple[str, ...], Any]] = [
        (("ethnicity",), _text(change.ethnicity)),
        (("monitoring", "ethnicity_category"), category),
        (("monitoring", "sex"), change.sex),
        (("monitoring", "disability"), change.disability),
        (("communication", "needs"), _text(change.communication_needs)),
        (("communication", "language"), _text(change.language)),
        (("communication", "interpreter"), change.interpreter),
        (("police_officer", "name"), _text(change.officer)),
        (("police_officer", "phone"), _text(change.officer_phone)),
        (("police_officer", "email"), _text(change.officer_email)),
        (("police_officer", "spoken_to"), change.officer_spoken_to),
        (("police_officer", "note"), _text(change.officer_note)),
    ]
    return [(path, value) for path, value in wanted if value is not None]


def details_tree(updates: Sequence[tuple[tuple[str, ...], Any]]) -> dict[str, Any]:
    """The updates as the nested mapping a new record holds (``ethnicity``, ``monitoring``,
    ``communication``, ``police_officer``), in the order given."""
    tree: dict[str, Any] = {}
    for path, value in updates:
        here = tree
        for key in path[:-1]:
            here = here.setdefault(key, {})
        here[path[-1]] = value
    return tree


def _text(value: str | None) -> str | None:
    return " ".join(value.split()) if value is not None and value.strip() else None


def _map(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def details_lines(data: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(label, text) lines for ``rj show``, only for what is recorded."""
    lines: list[tuple[str, str]] = []
    if data.get("ethnicity"):
        lines.append(("Ethnicity (self-defined)", str(data["ethnicity"])))
    monitoring = _map(data.get("monitoring"))
    shown = [str(monitoring["ethnicity_category"])] if monitoring.get("ethnicity_category") else []
    shown += [f"{key} {label(str(monitoring[key]))}" for key in ("sex", "disability")
              if monitoring.get(key)]
    if shown:
        lines.append(("Monitoring", "; ".join(shown)))
    talk = _map(data.get("communication"))
    said = [str(talk["needs"])] if talk.get("needs") else []
    language = [f"language {talk['language']}"] if talk.get("language") else []
    if talk.get("interpreter") is True:
        language.append("interpreter needed")
    elif talk.get("interpreter") is False:
        language.append("no interpreter needed")
    said += [", ".join(language)] if language else []
    if said:
        lines.append(("Communication", "; ".join(said)))
    officer = _map(data.get("police_officer"))
    who = ", ".join(str(officer[k]) for k in ("name", "phone", "email") if officer.get(k))
    if who or officer.get("spoken_to"):
        spoken = officer.get("spoken_to")
        when = f"spoken to {uk_date(spoken)}" if isinstance(spoken, date) else "not spoken to yet"
        text = "; ".join(x for x in (who, when, str(officer.get("note") or "")) if x)
        lines.append(("Police officer in the case", text))
    return lines


def officer_reminder(data: Mapping[str, Any]) -> str | None:
    """For a court referral, until the officer in the case is recorded as spoken to (or a
    contact with the police is logged): say so before anyone contacts the victim."""
    if _map(data.get("referral")).get("source") != "court":
        return None
    if _map(data.get("police_officer")).get("spoken_to"):
        return None
    contacts = data.get("contacts") or []
    if any(isinstance(c, Mapping) and c.get("with") == "police" for c in contacts):
        return None
    return OFFICER_FIRST
