"""Supervision and quality assurance of victim work (pure).

The seeds ask for it without a form: the RJ worker completes "their own evaluation in
supervision to reflect and share good practice" (Wokingham 22.2); case supervision "on a
regular basis with each trained RJ Facilitator, by a person with RJ experience" (Wait 'til
Eight table 4, §6.8.2, §7.9); Tower Hamlets "Monitoring and Evaluation" lists a
"Quarterly check on cases" and findings from staff supervision. Each session is an entry
in the record's ``supervision`` list: when, who supervised, what kind, what was said.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from rjcli.core.dates import format_datetime, uk_date
from rjcli.core.vocab import label

SUPERVISION_KINDS = ("supervision", "quality-assurance")
"""Case supervision (Wokingham 22.2; Wait 'til Eight table 4) or a quality check of the
case (Tower Hamlets "Quarterly check on cases")."""


def supervision_problems(kind: str, day: date, note: str, today: date) -> list[str]:
    problems = []
    if kind not in SUPERVISION_KINDS:
        problems.append(f"--kind '{kind}' is not one of: {', '.join(SUPERVISION_KINDS)}")
    if day > today:
        problems.append(f"the date {day} is after today ({today})")
    if not note.strip():
        problems.append("say what was discussed or found with --note")
    return problems


def supervision_entry(entry_id: str, kind: str, day: date, manager: str, note: str,
                      by: str | None, now: datetime) -> dict[str, Any]:
    entry: dict[str, Any] = {"id": entry_id, "date": day, "kind": kind, "manager": manager,
                             "note": " ".join(note.split())}
    if by:
        entry["by"] = by
    entry["recorded_at"] = format_datetime(now)
    return entry


def supervision_line(data: Mapping[str, Any]) -> str | None:
    """The latest supervision for ``rj show``: day, kind, who, note (and how many)."""
    sessions: Sequence[Any] = data.get("supervision") or []
    dated = [s for s in sessions if isinstance(s, Mapping) and isinstance(s.get("date"), date)]
    if not dated:
        return None
    last = max(dated, key=lambda s: (s["date"], str(s.get("id", ""))))
    kind = "" if last.get("kind") == "supervision" else f" {label(str(last.get('kind')))}"
    text = f"{uk_date(last['date'])}{kind} by {last.get('manager', '?')}"
    if last.get("note"):
        text += f": {last['note']}"
    return text + (f" ({len(dated)} in all)" if len(dated) > 1 else "")
