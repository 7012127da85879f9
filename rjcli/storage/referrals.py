"""Reading a referrals file (CSV or XLSX) and writing an import plan into the casebook.

The plan (``rjcli.core.referrals``) is checked whole before anything is written: each
record it would make is built and validated against its schema first, so an import
either writes every planned record, in one git commit, or nothing.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from rjcli.core.referrals import (
    Casebook as Known,
)
from rjcli.core.referrals import (
    ExistingChild,
    ExistingVictim,
    ImportPlan,
    PlannedVictim,
    RowProblem,
)
from rjcli.core.victimdetails import ethnicity_categories
from rjcli.errors import BadInput
from rjcli.storage.casebook import Casebook


def read_table(path: Path) -> list[list[str]]:
    """Every row of a ``.csv`` (UTF-8, Excel's BOM allowed) or ``.xlsx`` file (its first
    sheet), each cell as text; a date cell of a spreadsheet as YYYY-MM-DD."""
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise BadInput(f"{path.name}: rj reads referrals from .csv or .xlsx files",
                       hint="save the list as CSV (UTF-8) or as an Excel workbook")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise BadInput(f"cannot read {path}: {exc.strerror}") from None
    if suffix == ".xlsx":
        return _xlsx_rows(data, path.name)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BadInput(f"{path.name} is not UTF-8 text",
                       hint="save it as 'CSV UTF-8' in the spreadsheet program") from None
    return [list(row) for row in csv.reader(io.StringIO(text, newline=""))]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() \
            else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _xlsx_rows(data: bytes, name: str) -> list[list[str]]:
    from zipfile import BadZipFile

    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (BadZipFile, KeyError, ValueError, OSError):
        raise BadInput(f"{name} is not an Excel workbook rj can read",
                       hint="save it again as .xlsx, or as CSV (UTF-8)") from None
    try:
        sheet = book.worksheets[0]
        return [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        book.close()


def known(casebook: Casebook, worker: str | None) -> Known:
    """What the import is checked against: the victims and children there are, the staff."""
    loaded = casebook.load_all()
    if loaded.problems:
        listed = "; ".join(str(p) for p in loaded.problems[:3])
        raise BadInput(f"some records cannot be read ({listed}), so duplicates cannot be "
                       "checked; nothing was imported", hint="rj check lists them")
    members = casebook.config.staff
    return Known(
        victims=[ExistingVictim(v.id, v.name or "", v.dob, v.phones)
                 for v in loaded.victims.values()],
        children=[ExistingChild(c.id, c.name or "", c.dob) for c in loaded.children.values()],
        staff=[s.name for s in members if s.retired is None],
        formerly={old: s.name for s in members for old in s.formerly},
        worker=worker,
        ethnicity_categories=ethnicity_categories(casebook.config.raw),
    )


def schema_problems(plan: ImportPlan, build_victim: Callable[[str, PlannedVictim], Any],
                    build_child: Callable[[str, Any], Any]) -> list[RowProblem]:
    """The rows whose record would not match its schema (checked before any write)."""
    from rjcli.storage.schemas import validate

    # the built mappings are checked as they are (dates as dates: validate reads them as
    # the saved text would be read); Casebook.create checks the saved text again
    problems = []
    for row, child in plan.new_children.values():
        data = build_child("C-000000", child)
        problems += [RowProblem(row, "child_name", p.message)
                     for p in validate("child", data, "children")]
    for planned in plan.victims:
        data = build_victim("V-000000", planned)
        problems += [RowProblem(planned.row, _column(p.message), p.message)
                     for p in validate("victim", data, "victims")]
    return problems


_FIELD_COLUMNS = {"name": "name", "dob": "dob", "email": "email", "phones": "phone",
                  "address": "address", "parent_guardian": "parent",
                  "representative": "representative", "referral": "allocated",
                  "consents": "consent_contact", "children": "offence"}


def _column(message: str) -> str:
    """The column a schema message of a victim record is about ("email: ... does not ...")."""
    field = re.split(r"[.:\[\s]", message, maxsplit=1)[0]
    return _FIELD_COLUMNS.get(field, "-")


def write_plan(casebook: Casebook, plan: ImportPlan,
               build_victim: Callable[[str, PlannedVictim], Any],
               build_child: Callable[[str, Any], Any],
               link: Callable[[str, list[str]], None], message: str
               ) -> Iterator[tuple[int, str]]:
    """Write the plan in one commit; yields (row, new victim id) as each is written. Each
    child's record then gets all its new victims in one change (one pass of the child
    gate, not one a victim: a long list for one child stays quick)."""
    links: dict[str, list[str]] = {}
    with casebook.one_commit(message):
        child_ids: dict[tuple[str, date], str] = {}
        for key, (_row, child) in plan.new_children.items():
            made = casebook.create("child", lambda rid, c=child: build_child(rid, c),
                                   "open child case")
            child_ids[key] = str(made["id"])
        for planned in plan.victims:
            if planned.new_child is not None:
                planned = replace(planned, victim=replace(
                    planned.victim, children=(child_ids[planned.new_child],)))
            made = casebook.create("victim", lambda rid, p=planned: build_victim(rid, p),
                                   "open victim case")
            for child_id in planned.victim.children:
                links.setdefault(child_id, []).append(str(made["id"]))
            yield planned.row, str(made["id"])
        for child_id, victim_ids in links.items():
            link(child_id, victim_ids)


def rejected_csv(plan: ImportPlan) -> bytes:
    """The rejected rows, as read, with a last column saying what is wrong with each."""
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow([*plan.header, "problems"])
    for row in plan.bad_rows:
        said = "; ".join(f"{p.column}: {p.message}" for p in plan.problems if p.row == row)
        cells = plan.rows.get(row, [])
        writer.writerow([*cells, *[""] * (len(plan.header) - len(cells)), f"row {row}: {said}"])
    return out.getvalue().encode("utf-8")
