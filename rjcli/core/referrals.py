"""Referrals in bulk: the rows of a police notification or allocation list read into new
victim cases (pure: the table, today, the staff list and what the casebook holds are
parameters; ``rj import referrals`` reads the file and writes the plan).

A row is one victim. Its child is named by record id (``child_id``), or by name and date
of birth (``child_name`` and ``child_dob``): an existing child's record when exactly one
matches, else a new child record (rows naming the same new child share it). Dates are read
day first, with the reader of the command line (``rjcli.core.when``). Rows are numbered as
a spreadsheet shows them: the header is row 1, the first referral row 2.

Every problem is reported by row and column (errors as values, all at once). A row naming
someone already in the casebook (same name and date of birth, or the same phone number),
or an earlier row of the same file, is a possible duplicate: reported, never created.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from rjcli.core.age import kind_for_age
from rjcli.core.records import NewChild, NewVictim, new_child_problems, new_victim_problems
from rjcli.core.staff import match_staff
from rjcli.core.victimdetails import DetailsChange, detail_problems, details_updates
from rjcli.core.when import NotUnderstood, parse_date

COLUMNS: tuple[tuple[str, str], ...] = (
    ("name", "required: the victim's full name (or the organisation's)"),
    ("consent_contact", "required: consented to contact on the police form (YOT1): yes or no"),
    ("dob", "the victim's date of birth, day first (02/03/1980)"),
    ("kind", "individual (default), under-18, corporate, family-or-carer; an individual "
             "under 18 on the allocation date becomes under-18"),
    ("phone", "telephone number; several separated by ;"),
    ("email", "e-mail address"),
    ("address", "address lines separated by ;"),
    ("postcode", "postcode"),
    ("consent_source", "where the consent is recorded (default YOT1)"),
    ("allocated", "allocation date, day first (default: today)"),
    ("worker", "allocated RJ worker, a name on the staff list (default: you)"),
    ("offence", "the offence, in plain words"),
    ("stage", "pre-court, pre-sentence, post-sentence"),
    ("source", "referral source: police, court, other-yjs, case-holder, self"),
    ("disposal", "the disposal the case comes from"),
    ("sentenced", "sentence date, day first"),
    ("parent", "parent or guardian (needed for a victim under 18)"),
    ("parent_phone", "the parent or guardian's phone"),
    ("representative", "named representative (needed for a corporate victim)"),
    ("representative_role", "the representative's role"),
    ("title", "title for letters: Mrs, Mr, Ms, Mx, Dr or Miss"),
    ("salutation", "the greeting letters use instead: Dear Margaret"),
    ("offence_for_letters", "the offence in plain words a letter may print"),
    ("ethnicity", "self-defined ethnicity, in the victim's own words (Somerset 5.2)"),
    ("ethnicity_category", "the service's ethnicity category (rj.yaml monitoring: "
                           "ethnicity_categories)"),
    ("sex", "female, male, other, not-known"),
    ("disability", "yes, no, not-known, prefers-not-to-say"),
    ("communication_needs", "how to communicate with them: hearing, sight, reading, speech"),
    ("language", "their language, when it is not English"),
    ("interpreter", "yes or no: whether an interpreter is needed"),
    ("officer", "the police officer in the case (name, rank, number)"),
    ("officer_phone", "the officer's phone"),
    ("officer_email", "the officer's e-mail address"),
    ("child_id", "the child's record id (C-...), if the child has one"),
    ("child_name", "else the child's full name ..."),
    ("child_dob", "... and date of birth: an existing child's record matching both, "
                  "else a new child record"),
    ("child_disposal", "a new child record's disposal"),
    ("child_sentenced", "a new child record's sentence or decision date"),
    ("child_case_holder", "a new child record's case holder (a name on the staff list)"),
)
"""The columns a referrals file may have, in the order a template lists them. Headings
are matched ignoring case, spaces, hyphens and underscores; any other heading is refused."""

REQUIRED = ("name", "consent_contact")
LIST_SEPARATOR = ";"


@dataclass(frozen=True)
class RowProblem:
    """Why a row (or the header, row 1) cannot be imported."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"row {self.row}, column {self.column}: {self.message}"


@dataclass(frozen=True)
class Duplicate:
    """A row naming someone the casebook (or an earlier row) already has."""

    row: int
    name: str
    of: str
    """The victim's record id, or "row N" of the same file."""
    why: str

    def __str__(self) -> str:
        return f"row {self.row}: {self.name} is a possible duplicate of {self.of} ({self.why})"


@dataclass(frozen=True)
class ExistingVictim:
    id: str
    name: str
    dob: date | None
    phones: tuple[str, ...]


@dataclass(frozen=True)
class ExistingChild:
    id: str
    name: str
    dob: date | None


@dataclass(frozen=True)
class PlannedVictim:
    """One victim case to open."""

    row: int
    victim: NewVictim
    """Its ``children`` is empty when the child is a new record (``new_child``)."""
    new_child: tuple[str, date] | None = None
    """The key of the new child record it links to (name as plain text, date of birth)."""


@dataclass
class ImportPlan:
    """What an import would do, and what stops it."""

    victims: list[PlannedVictim] = field(default_factory=list)
    new_children: dict[tuple[str, date], tuple[int, NewChild]] = field(default_factory=dict)
    """New child records by key: the first row naming them, and their fields."""
    problems: list[RowProblem] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)
    rows: dict[int, list[str]] = field(default_factory=dict)
    """Every referral row as read, by row number (for the file of rejected rows)."""
    header: list[str] = field(default_factory=list)

    @property
    def bad_rows(self) -> list[int]:
        return sorted({p.row for p in self.problems if p.row > 1})


def column_key(heading: str) -> str:
    return re.sub(r"[\s_-]+", "_", heading.strip().casefold()).strip("_")


def plain_name(name: str) -> str:
    return " ".join(name.split()).casefold()


def phone_digits(phone: str) -> str:
    """A phone number as comparable digits, as the privacy matcher compares them
    (rjcli.core.identifiers.national): 07700 900001 = +44 7700 900001 = 0044 7700 900001."""
    from rjcli.core.identifiers import national

    return national(re.sub(r"\D", "", phone))


def _split(value: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in value.split(LIST_SEPARATOR) if p.strip())


_MESSAGE_COLUMNS = (
    ("consent to contact", "consent_contact"), ("referral source", "source"),
    ("kind", "kind"), ("stage", "stage"), ("disposal", "disposal"), ("name is needed", "name"),
    ("allocation date", "allocated"), ("parent", "parent"), ("representative", "representative"),
    ("date of birth", "dob"), ("born", "dob"), ("age", "dob"), ("salutation", "salutation"),
    ("offence-for-letters", "offence_for_letters"), ("title", "title"),
)


def _column_of(message: str) -> str:
    """Which column a message of ``new_victim_problems`` is about."""
    lowered = message.casefold()
    return next((col for words, col in _MESSAGE_COLUMNS if words in lowered), "name")


class _Row:
    """One row's cells by column, collecting its problems."""

    def __init__(self, number: int, cells: Mapping[str, str], today: date) -> None:
        self.number = number
        self.cells = cells
        self.today = today
        self.problems: list[RowProblem] = []

    def text(self, column: str) -> str | None:
        value = " ".join((self.cells.get(column) or "").split())
        return value or None

    def raw(self, column: str) -> str:
        return (self.cells.get(column) or "").strip()

    def fail(self, column: str, message: str) -> None:
        self.problems.append(RowProblem(self.number, column, message))

    def day(self, column: str) -> date | None:
        value = self.text(column)
        if value is None:
            return None
        try:
            return parse_date(value, self.today)
        except NotUnderstood as exc:
            self.fail(column, f"{exc} (dates are read day first: 05/06/2026)")
            return None

    def yes_no(self, column: str) -> bool | None:
        value = (self.text(column) or "").casefold()
        if value in ("yes", "y", "true"):
            return True
        if value in ("no", "n", "false"):
            return False
        if value:
            self.fail(column, f"'{self.text(column)}' is not yes or no")
        return None

    def details(self, categories: Sequence[str]) -> tuple[tuple[tuple[str, ...], Any], ...]:
        """The monitoring, communication and officer columns, checked (core/victimdetails)."""
        change = DetailsChange(
            ethnicity=self.text("ethnicity"), ethnicity_category=self.text("ethnicity_category"),
            sex=(self.text("sex") or "").casefold() or None,
            disability=(self.text("disability") or "").casefold() or None,
            communication_needs=self.text("communication_needs"),
            language=self.text("language"), interpreter=self.yes_no("interpreter"),
            officer=self.text("officer"), officer_phone=self.text("officer_phone"),
            officer_email=self.text("officer_email"))
        for column, message in detail_problems(change, categories, self.today):
            self.fail(column, message.replace(f"--{column.replace('_', '-')} ", ""))
        return tuple(details_updates(change, categories))

    def staff(self, column: str, staff: Sequence[str], formerly: Mapping[str, str],
              default: str | None) -> str | None:
        typed = self.text(column) or default
        if typed is None:
            self.fail(column, "no worker given, and nobody named with --worker")
            return None
        if not staff:
            return typed
        found = match_staff(typed, staff, formerly)
        if found.name is None:
            maybe = f"; did you mean {' or '.join(found.suggestions)}?" if found.suggestions else ""
            self.fail(column, f"{found.problem}{maybe}")
        return found.name


def _read_header(header: Sequence[str]) -> tuple[list[str], list[RowProblem]]:
    keys = [column_key(h) for h in header]
    known = {c for c, _ in COLUMNS}
    problems = [RowProblem(1, h.strip() or f"#{i + 1}", "is not a column rj knows; the columns "
                           "are: " + ", ".join(c for c, _ in COLUMNS))
                for i, (h, k) in enumerate(zip(header, keys, strict=True))
                if k not in known and (h.strip() or any(keys[i + 1:]))]
    seen: set[str] = set()
    for key in keys:
        if key in seen and key:
            problems.append(RowProblem(1, key, "is given twice"))
        seen.add(key)
    problems += [RowProblem(1, c, "is a required column and is missing")
                 for c in REQUIRED if c not in keys]
    return keys, problems


@dataclass(frozen=True)
class Casebook:
    """What the import is checked against."""

    victims: Sequence[ExistingVictim]
    children: Sequence[ExistingChild]
    staff: Sequence[str] = ()
    """Current staff (empty: names are taken as typed)."""
    formerly: Mapping[str, str] = field(default_factory=dict)
    worker: str | None = None
    """Who is importing: the default allocated worker."""
    ethnicity_categories: Sequence[str] = ()
    """The service's ethnicity categories (rj.yaml ``monitoring``)."""


def plan_import(table: Sequence[Sequence[str]], today: date, casebook: Casebook) -> ImportPlan:
    """The plan for ``table`` (its first row the header, every cell text)."""
    plan = ImportPlan()
    if not table:
        plan.problems.append(RowProblem(1, "-", "the file is empty: the first row must "
                                        "name the columns"))
        return plan
    plan.header = [str(h) for h in table[0]]
    keys, plan.problems = _read_header(plan.header)
    if plan.problems:
        return plan
    seen = _Seen(casebook.victims)
    for number, cells in enumerate(table[1:], start=2):
        if not any(str(c).strip() for c in cells):
            continue
        plan.rows[number] = [str(c) for c in cells]
        stray = [i for i, c in enumerate(cells)
                 if str(c).strip() and (i >= len(keys) or not keys[i])]
        if stray:  # a value under no heading would be dropped without a word
            plan.problems.append(RowProblem(number, f"#{stray[0] + 1}",
                                            "has a value under no heading"))
            continue
        row = _Row(number, dict(zip(keys, (str(c) for c in cells), strict=False)), today)
        planned, child = _plan_row(row, casebook, plan)
        plan.problems += row.problems
        if planned is None or row.problems:
            continue
        duplicate = seen.duplicate(number, planned.victim)
        if duplicate is not None:
            plan.duplicates.append(duplicate)
            continue
        seen.add(number, planned.victim)
        plan.victims.append(planned)
        if planned.new_child is not None and planned.new_child not in plan.new_children:
            plan.new_children[planned.new_child] = (number, child or _no_child())
    return plan


def _no_child() -> NewChild:  # pragma: no cover - a planned new child always has fields
    raise ValueError("a new child record without its fields")


class _Seen:
    """Who the casebook and the rows so far name: to spot possible duplicates."""

    def __init__(self, victims: Sequence[ExistingVictim]) -> None:
        self.by_name: dict[tuple[str, date], str] = {}
        self.by_phone: dict[str, str] = {}
        for v in victims:
            if v.dob is not None:
                self.by_name.setdefault((plain_name(v.name), v.dob), v.id)
            for p in v.phones:
                if phone_digits(p):
                    self.by_phone.setdefault(phone_digits(p), v.id)

    def duplicate(self, number: int, v: NewVictim) -> Duplicate | None:
        if v.dob is not None and (plain_name(v.name), v.dob) in self.by_name:
            return Duplicate(number, v.name, self.by_name[(plain_name(v.name), v.dob)],
                             "same name and date of birth")
        for phone in v.phones:
            if phone_digits(phone) in self.by_phone:
                return Duplicate(number, v.name, self.by_phone[phone_digits(phone)],
                                 f"same phone {phone}")
        return None

    def add(self, number: int, v: NewVictim) -> None:
        if v.dob is not None:
            self.by_name.setdefault((plain_name(v.name), v.dob), f"row {number}")
        for phone in v.phones:
            self.by_phone.setdefault(phone_digits(phone), f"row {number}")


def _plan_row(row: _Row, casebook: Casebook, plan: ImportPlan
              ) -> tuple[PlannedVictim | None, NewChild | None]:
    """The victim case a row opens (and the new child record it names), or None."""
    dob = row.day("dob")
    allocated = row.day("allocated") or row.today
    sentenced = row.day("sentenced")
    worker = row.staff("worker", casebook.staff, casebook.formerly, casebook.worker)
    consent = (row.text("consent_contact") or "").casefold()
    if not consent:
        row.fail("consent_contact", "is empty: give yes or no")
    child_id, new_child = _child_of(row, casebook, plan)
    fields = NewVictim(
        name=row.text("name") or "", kind=kind_for_age(row.text("kind") or "individual", dob,
                                                        allocated),
        children=(child_id or "C-NEW",), offence=row.text("offence"), allocated=allocated,
        worker=worker or "", consent_contact=consent,
        consent_source=row.text("consent_source") or "YOT1", dob=dob,
        phones=_split(row.raw("phone")), email=row.text("email"),
        address_lines=_split(row.raw("address")), postcode=row.text("postcode"),
        stage=row.text("stage"), source=row.text("source"), disposal=row.text("disposal"),
        sentence_date=sentenced, parent_name=row.text("parent"),
        parent_phone=row.text("parent_phone"), representative_name=row.text("representative"),
        representative_role=row.text("representative_role"), title=row.text("title"),
        salutation=row.text("salutation"), offence_for_letters=row.text("offence_for_letters"),
        details=row.details(casebook.ethnicity_categories),
    )
    if consent:
        for message in new_victim_problems(fields, row.today):
            row.fail(_column_of(message), message)
    elif not fields.name.strip():
        row.fail("name", "a name is needed")
    if new_child is not None and plain_name(new_child[0].name) == plain_name(fields.name):
        row.fail("child_name", "is the victim's own name: a victim's identifiers never go "
                 "on a child's record")
    if row.problems:
        return None, None
    if new_child is not None:
        return PlannedVictim(row.number, replace(fields, children=()), new_child[1]), new_child[0]
    return PlannedVictim(row.number, fields), None


def _child_of(row: _Row, casebook: Casebook, plan: ImportPlan
              ) -> tuple[str | None, tuple[NewChild, tuple[str, date]] | None]:
    """The existing child's id, or the new child record (fields, key) the row names."""
    typed_id = row.text("child_id")
    if typed_id:
        from rjcli.core.ids import normalise_record_id

        child_id = normalise_record_id(typed_id)
        if child_id is None or not child_id.startswith("C-") or \
                child_id not in {c.id for c in casebook.children}:
            row.fail("child_id", f"'{typed_id}' is not the id of a child's record in this "
                     "casebook (rj list children)")
            return None, None
        return child_id, None
    name, dob = row.text("child_name"), row.day("child_dob")
    if name is None:
        row.fail("child_name", "name the child: child_id, or child_name and child_dob")
        return None, None
    if dob is None:
        if row.text("child_dob") is None:
            row.fail("child_dob", "is needed with child_name, to find the child's record or "
                     "open a new one")
        return None, None
    matches = [c.id for c in casebook.children
               if plain_name(c.name) == plain_name(name) and c.dob == dob]
    if len(matches) > 1:
        row.fail("child_name", f"matches several children ({', '.join(matches)}): give "
                 "child_id")
        return None, None
    if matches:
        return matches[0], None
    key = (plain_name(name), dob)
    if key in plan.new_children:
        return None, (plan.new_children[key][1], key)
    holder = (row.staff("child_case_holder", casebook.staff, casebook.formerly, None)
              if row.text("child_case_holder") else None)
    child = NewChild(name=name, dob=dob, disposal=row.text("child_disposal"),
                     sentence_date=row.day("child_sentenced"), order_start=None,
                     order_end=None, case_holder=holder)
    for message in new_child_problems(child, row.today):
        column = ("child_disposal" if "disposal" in message
                  else "child_dob" if "birth" in message or "age" in message else "child_name")
        row.fail(column, message)
    return None, (child, key)

