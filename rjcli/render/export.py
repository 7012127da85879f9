"""The readable account of a subject access export: everything one record holds, in
Markdown, section by section (details, consents, status, contacts, assessments with
the questions as they were asked, offers, conferences...).

It renders a record that has already been stripped of other people's details
(``rjcli.storage.export.disclosed``); every field of that record appears here,
including fields rj does not know (under "Other information"), so the account
hides nothing the JSON file holds except the internal reference of each entry.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from rjcli.core.dates import uk_date
from rjcli.core.text import markdown_literal

_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?$")

LABELS = {
    "dob": "Date of birth", "phones": "Telephone numbers", "email": "E-mail",
    "kind": "Kind", "contact_preferences": "Contact preferences",
    "needs": "Interpreter or access needs",
    "entitlements": "Enhanced entitlements (Victims' Code)",
    "parent_guardian": "Parent or guardian",
    "home_service": "Home youth justice service", "children": "The offence",
    "child": "Child", "case_holder": "Case holder", "co_defendants": "Co-defendants",
    "victims": "Victims", "sentence_date": "Date of sentence", "order_start": "Order start",
    "order_end": "Order end", "sentence_months": "Sentence (months)",
    "hospital_order": "Hospital order", "at": "When", "by": "Recorded by",
    "recorded_at": "Written down", "recorded_on": "Recorded on", "with": "With",
    "vcs_notified": "Victim Contact Scheme told", "progress_request": "Progress updates wanted",
    "violent_or_sexual": "Violent or sexual", "co_facilitator": "Co-facilitator",
    "writeup": "Write-up", "copies_sent": "Copies sent", "victim_told": "Victim told",
    "rating_reasons": "Reasons for the rating", "approval": "Manager's approval",
    "known_to_child": "Known to the child", "vcs_involved": "Victim Contact Scheme involved",
}
"""Field labels where the key is not plain words already."""

VICTIM_SECTIONS = (
    ("Details", ("name", "kind", "dob", "address", "phones", "email", "ethnicity",
                 "contact_preferences", "needs", "entitlements", "parent_guardian",
                 "representative", "home_service")),
    ("The case", ("children", "referral", "screening", "view", "progress_request",
                  "vcs_notified")),
)
CHILD_SECTIONS = (
    ("Details", ("name", "dob", "sex", "ethnicity", "case_holder")),
    ("The case", ("offences", "disposal", "sentence_date", "order_start", "order_end",
                  "sentence_months", "hospital_order", "co_defendants", "victims")),
)
LOGS = (
    ("status_history", "Status of the case"),
    ("consents", "Consents"),
    ("contacts", "Contact log"),
    ("appointments", "Appointments"),
    ("assessments", "Assessments"),
    ("offers", "Restorative options offered"),
    ("conferences", "Conferences and panels"),
    ("progress_updates", "Progress updates given"),
    ("support_requests", "Support asked for"),
    ("support", "Support given"),
    ("feedback", "Feedback"),
    ("complaints", "Complaints"),
    ("victim_awareness", "Victim awareness work"),
    ("reparation", "Reparation"),
    ("readiness", "Readiness for restorative work"),
)
"""Logs of entries, each shown as one heading per entry, in this order."""

_SUMMARY_KEYS = {
    "status_history": ("status", "reason"), "consents": ("kind", "answer"),
    "contacts": ("method", "outcome"), "appointments": ("purpose", "status"),
    "offers": ("option", "status"), "conferences": ("kind", "status"),
    "assessments": ("title",), "feedback": ("kind",), "support": ("kind", "service"),
}
_WHEN_KEYS = ("date", "at", "started", "recorded_on")


def label(key: object) -> str:
    text = str(key)
    return LABELS.get(text) or markdown_literal(text.replace("_", " ").capitalize())


def scalar(value: object) -> str:
    """One value in words: dates the UK way, yes/no for booleans, text as it is (shown
    as written: no Markdown or HTML of its own, see :func:`markdown_literal`)."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return f"{uk_date(value.date())} {value:%H:%M}"
    if isinstance(value, date):
        return uk_date(value)
    if value is None:
        return "(none)"
    text = str(value)
    if _DAY.match(text.strip()):
        try:
            return uk_date(date.fromisoformat(text.strip()))
        except ValueError:
            return markdown_literal(text)
    if _MOMENT.match(text.strip()):
        try:
            moment = datetime.fromisoformat(text.strip())
            return f"{uk_date(moment.date())} {moment:%H:%M}"
        except ValueError:
            return markdown_literal(text)
    return markdown_literal(text)


def _text_lines(text: str, indent: str) -> list[str]:
    """Multi-line free text, each line kept, indented under its bullet."""
    lines = text.splitlines() or [""]
    return [lines[0]] + [f"{indent}  {line}".rstrip() for line in lines[1:]]


def fields(value: Any, indent: str = "", skip: Sequence[str] = ("id",)) -> list[str]:
    """Bullets for a mapping (nested mappings and lists indented under their key)."""
    out: list[str] = []
    if isinstance(value, Mapping):
        for key, item in value.items():
            if key in skip:
                continue
            out += _bullet(label(key), item, indent)
    elif isinstance(value, list):
        for n, item in enumerate(value, 1):
            if isinstance(item, Mapping) and all(_is_short(v) for v in item.values()):
                # a small mapping reads best on one line: "Child: the child; Offence: ..."
                shown = "; ".join(f"{label(k)}: {scalar(v)}" for k, v in item.items()
                                  if k not in skip)
                out.append(f"{indent}- {shown or '(empty)'}")
            elif isinstance(item, Mapping):
                out.append(f"{indent}- {n}.")
                out += fields(item, indent + "  ", skip)
            else:
                out += _bullet(None, item, indent)
    else:
        out += _bullet(None, value, indent)
    return out


def _is_short(value: object) -> bool:
    return not isinstance(value, (Mapping, list)) and "\n" not in scalar(value)


def _bullet(name: str | None, value: Any, indent: str) -> list[str]:
    head = f"{indent}- {name}:" if name else f"{indent}-"
    if isinstance(value, (Mapping, list)):
        if not value:
            return [f"{head} (none)"]
        return [head] + fields(value, indent + "  ")
    text = _text_lines(scalar(value), indent)
    return [f"{head} {text[0]}".rstrip()] + text[1:]


def _heading(section: str, entry: Mapping[str, Any]) -> str:
    when = next((entry[k] for k in _WHEN_KEYS if entry.get(k) not in (None, "")), None)
    keys = _SUMMARY_KEYS.get(section, ())
    what = ", ".join(scalar(entry[k]) for k in keys if entry.get(k) not in (None, ""))
    if section == "assessments" and not what:
        what = scalar(entry.get("checklist", "assessment"))
    parts = [p for p in (scalar(when) if when is not None else "", what) if p]
    return " - ".join(parts) or "entry"


def _assessment(entry: Mapping[str, Any]) -> list[str]:
    """An assessment: its details, then each question as it was asked and its answer."""
    out = fields(entry, skip=("id", "answers"))
    answers = [a for a in entry.get("answers") or [] if isinstance(a, Mapping)]
    if answers:
        out += ["", "Questions as asked, and the answers given:", ""]
    for n, answer in enumerate(answers, 1):
        asked = answer.get("text") or answer.get("question") or "(question)"
        section = f" ({scalar(answer['section'])})" if answer.get("section") else ""
        out.append(f"{n}. {scalar(asked)}{section}")
        out += fields(answer, "   ", skip=("id", "text", "question", "section"))
    return out


def _log(section: str, title: str, entries: list[Any]) -> list[str]:
    out = [f"## {title}", ""]
    if not entries:
        return out + ["None recorded.", ""]
    for entry in entries:
        if not isinstance(entry, Mapping):
            out += fields([entry]) + [""]
            continue
        out.append(f"### {_heading(section, entry)}")
        out.append("")
        out += _assessment(entry) if section == "assessments" else fields(entry)
        out.append("")
    return out


def account(data: Mapping[str, Any], kind: str, today: date, service: str,
            letters: Sequence[str], not_copied: Sequence[str],
            comments: Sequence[str] = ()) -> str:
    """The Markdown account of a disclosed record (see module docstring)."""
    record_id = str(data.get("id", ""))
    whose = "a victim" if kind == "victim" else "a child"
    others = ("the child who caused the harm is called \"the child\" (or \"child 1\", "
              "\"child 2\") and is not otherwise described" if kind == "victim" else
              "each victim is called only by their label (\"Victim 1\"), and co-defendants "
              "by number")
    out = [
        f"# Information held about {record_id}",
        "",
        f"Prepared on {uk_date(today)}" + (f" by {service}" if service else "")
        + f", in answer to a subject access request. This is everything the casebook "
        f"holds in the record of {whose} ({record_id}), with copies of the letters sent.",
        "",
        f"Other people's details are left out: {others}. Notes are reproduced as they "
        "were written; read them for anyone else's details before this is released.",
        "",
    ]
    sections = VICTIM_SECTIONS if kind == "victim" else CHILD_SECTIONS
    shown = {"id"}
    for title, keys in sections:
        out += [f"## {title}", ""]
        present = [k for k in keys if k in data]
        shown.update(keys)
        out += fields({k: data[k] for k in present}) if present else ["None recorded."]
        out.append("")
    for key, title in LOGS:
        shown.add(key)
        if key in data or key in ("status_history", "consents", "contacts"):
            entries = data.get(key)
            out += _log(key, title, entries if isinstance(entries, list) else
                        ([] if entries is None else [entries]))
    rest = {k: v for k, v in data.items() if k not in shown}
    if rest:
        out += ["## Other information", ""] + fields(rest) + [""]
    if comments:
        out += ["## Comments written in the record file", ""]
        out += [f"- {markdown_literal(c)}" for c in comments] + [""]
    out += ["## Letters", ""]
    out += [f"- {name}" for name in letters] or ["No copies of letters are held."]
    if not_copied:
        out += ["", "Letters named in the contact log but not included here:", ""]
        out += [f"- {markdown_literal(note)}" for note in not_copied]
    out.append("")
    return "\n".join(out)
