"""Reports for managers and the Youth Justice Board (pure; shared/DOMAIN.md §7).

A report is a value: sections of tables of figures. Every figure keeps the record
ids behind it (``--explain``) and what it was computed from (so that ``--suppress-small``
can hide a rate worked out from a count of 1 to 4). Rendering (terminal, Markdown, CSV,
JSON, HTML, Excel) lives in ``rjcli/render/report.py`` and never computes a figure.

Periods are the YJB's financial-year periods: quarter ``2026-Q1`` is 1 April to
30 June 2026 and ``2026-Q4`` is January to March 2027; half ``2026-H1`` is April to
September 2026, ``2026-H2`` October 2026 to March 2027.

The figures themselves: ``core/kpi.py`` (YJB KPI 10), ``core/activity.py`` (service
activity and timeliness), ``core/satisfaction.py`` (six-monthly), ``core/caseload.py``.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Callable, Iterable, Mapping, MutableMapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from rjcli.core.dates import as_date, uk_date
from rjcli.core.limits import FIRST_DAY, LAST_DAY
from rjcli.core.deadlines import Evaluation
from rjcli.core.model import Child, Identifiers, Victim, identifiers_of, log_entries
from rjcli.core.policy import Rule

if TYPE_CHECKING:
    from rjcli.core.calendar import WorkingCalendar
    from rjcli.core.identifiers import Matcher

SMALL = range(1, 5)
"""Counts hidden as "<5" by --suppress-small (1 to 4: small enough to identify someone)."""
SUPPRESSED = "<5"
NOT_SHOWN = "-"

# --- periods ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """A financial-year quarter or half."""

    label: str
    """``2026-Q1`` or ``2026-H1``."""
    start: date
    """First day."""
    end: date
    """Last day."""

    def words(self) -> str:
        """"1 April 2026 to 30 June 2026"."""
        return f"{uk_date(self.start)} to {uk_date(self.end)}"

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end


_QUARTER = re.compile(r"^\s*(\d{4})\s*-?\s*Q([1-4])\s*$", re.IGNORECASE)
_HALF = re.compile(r"^\s*(\d{4})\s*-?\s*H([12])\s*$", re.IGNORECASE)
# (first month, year offset) of each quarter of the financial year starting in April
_QUARTER_STARTS = {1: (4, 0), 2: (7, 0), 3: (10, 0), 4: (1, 1)}


def _month_end(year: int, month: int) -> date:
    """Last day of ``month`` of ``year`` (a month past 12 runs into the next year)."""
    y, m = year + (month - 1) // 12, (month - 1) % 12 + 1
    return date(y + m // 12, m % 12 + 1, 1) - timedelta(days=1)


def quarter(year: int, n: int) -> Period:
    """Quarter ``n`` (1-4) of the financial year that starts on 1 April ``year``."""
    month, offset = _QUARTER_STARTS[n]
    start = date(year + offset, month, 1)
    return Period(f"{year}-Q{n}", start, _month_end(year + offset, month + 2))


def half(year: int, n: int) -> Period:
    """Half ``n`` (1-2) of the financial year that starts on 1 April ``year``."""
    first, last = quarter(year, 2 * n - 1), quarter(year, 2 * n)
    return Period(f"{year}-H{n}", first.start, last.end)


def parse_quarter(text: str) -> Period | None:
    """``2026-Q1`` (also ``2026Q1``, lower case); None when it is not a quarter (or not
    within the dates rj keeps, limits.FIRST_DAY to LAST_DAY)."""
    m = _QUARTER.match(text)
    return quarter(int(m.group(1)), int(m.group(2))) if m and _kept(m.group(1)) else None


def parse_half(text: str) -> Period | None:
    """``2026-H1``; None when it is not a half year (as for ``parse_quarter``)."""
    m = _HALF.match(text)
    return half(int(m.group(1)), int(m.group(2))) if m and _kept(m.group(1)) else None


def _kept(year: str) -> bool:
    """A financial year (April to March) within the dates rj keeps."""
    return FIRST_DAY.year <= int(year) < LAST_DAY.year


def _financial_year(day: date) -> int:
    return day.year if day.month >= 4 else day.year - 1


def last_complete_quarter(today: date) -> Period:
    """The latest quarter whose last day is before ``today``."""
    year = _financial_year(today)
    candidates = [quarter(y, n) for y in (year - 1, year) for n in (1, 2, 3, 4)]
    return [p for p in candidates if p.end < today][-1]


def last_complete_half(today: date) -> Period:
    """The latest half year whose last day is before ``today``."""
    year = _financial_year(today)
    candidates = [half(y, n) for y in (year - 1, year) for n in (1, 2)]
    return [p for p in candidates if p.end < today][-1]


# --- figures ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """One number in a report, with the cases behind it."""

    value: int | float | None
    """A count, a percentage (0-100, one decimal) or a number of days; None: cannot be
    worked out (no denominator, nothing to take a median of)."""
    kind: str = "count"
    """``count``, ``percent`` or ``days``."""
    cases: tuple[str, ...] = ()
    """Record ids behind the figure (``--explain``; never in the default output)."""
    basis: tuple[int, ...] = ()
    """The counts a percentage or median was computed from (suppressed with them)."""


def count(cases: Iterable[str]) -> Figure:
    """How many distinct cases."""
    ids = tuple(sorted(set(cases)))
    return Figure(len(ids), "count", ids)


def tally(n: int, cases: Iterable[str]) -> Figure:
    """A count of entries (conferences, complaints...), with the cases they belong to."""
    return Figure(n, "count", tuple(sorted(set(cases))))


def percent(part: Figure, whole: Figure) -> Figure:
    """``part`` as a percentage of ``whole`` (one decimal); None when ``whole`` is 0."""
    n, d = int(part.value or 0), int(whole.value or 0)
    value = round(100 * n / d, 1) if d else None
    return Figure(value, "percent", part.cases, (n, d))


def median_days(days: Mapping[str, int]) -> Figure:
    """The median of a number of days per case."""
    value = statistics.median(days.values()) if days else None
    return Figure(value, "days", tuple(sorted(days)), (len(days),))


def is_suppressed(fig: Figure, suppress: bool) -> bool:
    """Hidden under --suppress-small: a count of 1 to 4, or computed from one."""
    if not suppress:
        return False
    if fig.kind == "count":
        return int(fig.value or 0) in SMALL
    return any(b in SMALL for b in fig.basis)


def shown(fig: Figure, suppress: bool = False) -> str:
    """The figure as printed: ``12``, ``<5``, ``66.7%``, ``14 days``, ``-``."""
    if fig.kind == "count":
        return SUPPRESSED if is_suppressed(fig, suppress) else str(fig.value or 0)
    if fig.value is None or is_suppressed(fig, suppress):
        return NOT_SHOWN
    if fig.kind == "percent":
        return f"{fig.value:.1f}%"
    return f"{fig.value:g}"


def json_value(fig: Figure, suppress: bool = False) -> int | float | str | None:
    """The figure in JSON: a number, ``"<5"`` / ``"-"`` when suppressed, null when
    it cannot be worked out."""
    if is_suppressed(fig, suppress):
        return SUPPRESSED if fig.kind == "count" else NOT_SHOWN
    if fig.kind == "count":
        return int(fig.value or 0)
    return fig.value


# --- tables, sections, reports ------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """A column of figures."""

    key: str
    """Stable key (JSON, CSV)."""
    heading: str
    """What it is headed in print."""


@dataclass(frozen=True)
class Row:
    """A line of a table: one figure per column."""

    key: str
    """Stable key (JSON, CSV): ``consented_to_contact``, ``police``."""
    label: str
    """In words."""
    figures: tuple[Figure, ...]
    """One per column."""
    total: bool = False
    """A total or summary line (printed in bold)."""


@dataclass(frozen=True)
class Table:
    """A table with a plain heading and one sentence saying what it counts."""

    key: str
    """Stable key."""
    title: str
    """Heading."""
    note: str
    """What it counts, in a sentence a manager reads without help."""
    row_heading: str
    """Heading of the label column."""
    columns: tuple[Column, ...]
    """The figure columns."""
    rows: tuple[Row, ...]
    """The lines."""
    chart: str | None = None
    """Key of the column drawn as a bar chart in HTML (None: no chart)."""

    def row(self, key: str) -> Row:
        return next(r for r in self.rows if r.key == key)

    def figure(self, row: str, column: str | None = None) -> Figure:
        index = 0 if column is None else [c.key for c in self.columns].index(column)
        return self.row(row).figures[index]


@dataclass(frozen=True)
class Section:
    """A part of a report."""

    key: str
    """Stable key: ``kpi10``, ``activity``, ``timeliness``..."""
    title: str
    """Heading."""
    intro: str
    """Who is counted, in plain words."""
    tables: tuple[Table, ...]
    """Its tables."""
    definitions: tuple[str, ...] = ()
    """How each figure is counted, one sentence each (printed under the tables)."""

    def table(self, key: str) -> Table:
        return next(t for t in self.tables if t.key == key)


@dataclass(frozen=True)
class Report:
    """A whole report."""

    kind: str
    """``quarterly``, ``six-monthly`` or ``caseload``."""
    title: str
    """Heading."""
    service: str
    """The service's name."""
    period: Period | None
    """The period reported (None for the caseload, which is as at today)."""
    today: date
    """The day it was produced."""
    notes: tuple[str, ...]
    """Sentences printed under the heading (period not over yet, files not read...)."""
    sections: tuple[Section, ...]
    """Its sections."""

    def section(self, key: str) -> Section:
        return next(s for s in self.sections if s.key == key)

    def subtitle(self) -> str:
        when = f"{self.period.label}: {self.period.words()}" if self.period else \
            f"As at {uk_date(self.today)}"
        return f"{self.service}. {when}. Produced {uk_date(self.today)}."


def single(key: str, label: str, fig: Figure, total: bool = False) -> Row:
    """A row with one figure."""
    return Row(key, label, (fig,), total)


# --- the data a report reads -----------------------------------------------------------


@dataclass(frozen=True)
class Casework:
    """The records a report reads, linked both ways, and their rule instances.

    Either every record of the casebook, or (a quarterly report from the index) the
    records of one period - every record a figure of that period counts, with every
    record linked to them - plus ``people``, the identifiers of every record, so that
    report text still names nobody of the whole casebook."""

    victims: Mapping[str, Victim]
    """Victims by id."""
    children: Mapping[str, Child]
    """Children by id."""
    evaluations: Mapping[str, Sequence[Evaluation]] = field(default_factory=dict)
    """Every rule instance of every record, by record id (open or closed)."""
    rules: tuple[Rule, ...] = ()
    """The rules in force (enabled), in policy order."""
    people: tuple[Identifiers, ...] | Callable[[], tuple[Identifiers, ...]] | None = None
    """Identifiers of every record of the casebook, when ``victims`` and ``children`` are
    not all of them (or how to get them, when first needed: most reports print no
    worker-written text, and need none)."""
    calendar: WorkingCalendar | None = None
    """The working calendar the rule instances were worked out with, when the loader had
    it at hand (the quarterly report counts contacts recorded late by it)."""
    verdicts: MutableMapping[str, str] | None = None
    """What the :class:`Redactor` showed of each text before, for the identifiers of these
    same people (kept by the index between runs: a verdict depends only on the text and on
    everyone's identifiers); the redactor adds the texts it judges."""

    def identifiers(self) -> Iterable[Identifiers]:
        if callable(self.people):
            return self.people()
        if self.people is not None:
            return self.people
        return (identifiers_of(r) for r in [*self.victims.values(), *self.children.values()])

    @cached_property
    def _named_by_children(self) -> dict[str, set[str]]:
        """Victim id -> ids of the children whose records name that victim."""
        found: dict[str, set[str]] = {}
        for c in self.children.values():
            for ref in c.victims:
                found.setdefault(ref.ref, set()).add(c.id)
        return found

    @cached_property
    def _children_named_by_victims(self) -> set[str]:
        return {cid for v in self.victims.values() for cid in v.child_ids}

    def children_of(self, v: Victim) -> list[Child]:
        """The children linked to a victim: named in the victim's record, or naming the
        victim in theirs (either side is enough)."""
        ids = set(v.child_ids) | self._named_by_children.get(v.id, set())
        return [self.children[i] for i in sorted(ids) if i in self.children]

    def has_victim(self, c: Child) -> bool:
        """A child with an identified victim: one named in the child's record, or a victim
        record linked to the child."""
        return bool(c.victims) or c.id in self._children_named_by_victims


def entries(record: Victim | Child, key: str, until: date | None = None) -> list[Mapping[str, Any]]:
    """The entries of a log section not typed in the model (offers, feedback...), those
    dated after ``until`` left out (undated entries are kept)."""
    found = log_entries(record.extra.get(key))
    if until is None:
        return found
    return [e for e in found if (d := as_date(e.get("date"))) is None or d <= until]


def dated(entry: Mapping[str, Any] | None, key: str = "date") -> date | None:
    return as_date(entry.get(key)) if isinstance(entry, Mapping) else None


# --- keeping free text out of reports ---------------------------------------------------

WITHHELD = "other (not shown: it names a person)"


class Redactor:
    """Keeps names, ids and contact details of victims and children out of report text.

    Reports print a few worker-written words as labels (a reason RJ was judged not
    appropriate, a feedback question). Any such text that contains a record id, a name
    or part of one (3 letters or more, whole words), a phone number, an e-mail address,
    or - found by the matcher of ``rj check`` (``rjcli.core.identifiers``), in any of the
    forms people type them - a postcode, an address line or a date of birth of any record
    is replaced by :data:`WITHHELD`.
    """

    def __init__(self, work: Casework) -> None:
        self.work = work
        self.seen: MutableMapping[str, str] = {} if work.verdicts is None else work.verdicts

    @cached_property
    def people(self) -> tuple[Identifiers, ...]:
        """Everyone's identifiers, with what is looked for of them (read when a text is
        first looked at: a report that prints no worker-written text never reads them)."""
        words: set[str] = set()
        digits: set[str] = set()
        people = tuple(self.work.identifiers())
        for person in people:
            words.add(person.id.casefold())
            digits |= {_digits(p) for p in person.phones}
            words |= {e.casefold() for e in (*person.emails, *person.postcodes)}
            if person.dob:
                words.add(person.dob)
            for name in person.names:
                words |= {part.casefold() for part in re.findall(r"[\w'-]+", name)
                          if len(part) >= 3}
        self.words = words
        self.phrases = [w for w in words if " " in w or "@" in w]
        self.digits = [d for d in digits if len(d) >= 6]
        return people

    @cached_property
    def matcher(self) -> Matcher:
        """Built when first needed (most reports print no worker-written text), without
        the names: every word of a name is already looked for, more strictly, above."""
        from rjcli.core.identifiers import matcher_of

        return matcher_of(p._replace(names=()) for p in self.people)

    def text(self, text: str) -> str:
        """``text`` if it names nobody, else :data:`WITHHELD`."""
        if text not in self.seen:
            from rjcli.core.identifiers import find

            folded, numbers = text.casefold(), _digits(text)
            self.people  # noqa: B018 - reads everyone's identifiers, once
            named = (not set(re.findall(r"[\w'-]+", folded)).isdisjoint(self.words)
                     or any(w in folded for w in self.phrases)
                     or (len(numbers) >= 6 and any(d in numbers for d in self.digits))
                     or bool(find(text, self.matcher)))
            self.seen[text] = WITHHELD if named else text
        return self.seen[text]


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def normalised(text: object) -> str:
    """A worker's short text as a tally label: trimmed, one space, no final full stop,
    first letter capital."""
    words = " ".join(str(text or "").split()).rstrip(".")
    return words[:1].upper() + words[1:] if words else "No reason recorded"


def not_over(period: Period, today: date) -> tuple[str, ...]:
    """A note for a period that has not ended yet."""
    if period.end < today:
        return ()
    return (f"This period is not over yet: it counts what was recorded up to "
            f"{uk_date(today)}.",)


def quarterly_report(work: Casework, period: Period, today: date, service: str,
                     calendar: WorkingCalendar) -> Report:
    """KPI 10, service activity, timeliness and data quality for one quarter (the
    calendar counts the working days between a contact and its recording)."""
    from rjcli.core.activity import activity_section, timeliness_section
    from rjcli.core.dataquality import data_quality_section
    from rjcli.core.kpi import kpi10_section
    from rjcli.core.recordedlate import DEFINITION, recorded_late_table

    late = recorded_late_table(work, period, calendar)
    sections = (kpi10_section(work, period, today),
                activity_section(work, period, today, Redactor(work)),
                timeliness_section(work, period, (late,), (DEFINITION,)),
                data_quality_section(work, period, today))
    return Report("quarterly", "Victims and restorative justice: quarterly report", service,
                  period, today, not_over(period, today), sections)
