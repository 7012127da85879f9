"""The annual report for the board (Tower Hamlets "Monitoring and Evaluation": an annual
report; issue 20), built from the sections the other reports already define: the four
quarters' headline trends, then the quarterly report's sections counted over the whole
financial year, the Victims' Code rights for the year, and the year's feedback."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from rjcli.core.periods import trend_section
from rjcli.core.reports import Period, Report, Row, Section, Table, quarter

TITLE = "Victims and restorative justice: annual report"


def quarters_of(year: int) -> list[Period]:
    """The four financial-year quarters of the year that starts on 1 April ``year``."""
    return [quarter(year, n) for n in range(1, 5)]


def annual_report(year: Period, whole: Report, quarters: Sequence[Period],
                  by_quarter: Sequence[Report], code: Section, feedback: Report) -> Report:
    """One report: the trends of ``quarters`` (each as its own quarterly report counts it),
    ``whole`` (the quarterly report's sections counted over ``year``), ``code`` and the
    sections of ``feedback`` (the six-monthly report over the year)."""
    own = (f"The financial year {year.label}: {year.words()}. The trends give each quarter "
           "as its own quarterly report counts it; every other figure is counted over the "
           "whole year, as the quarterly report counts a quarter (a victim once, in the "
           "year). Tower Hamlets' Monitoring and Evaluation asks for an annual report to "
           "the board.")
    theirs = (*whole.notes, *(n for n in feedback.notes if n not in whole.notes))
    trends = replace(trend_section(quarters, by_quarter, "quarter"),
                     intro=f"The four quarters of {year.label}, oldest first: are we getting "
                           "better? Each quarter's figure as its own quarterly report gives it.")
    counted = tuple(_over_the_year(s) for s in (*whole.sections, code))
    sections = (trends, *counted, *feedback.sections)
    return Report("annual", TITLE, whole.service, year, whole.today,
                  (own, *(_year_words(n) for n in theirs)), sections)


QUARTER_WORDS = re.compile(r"\b(this|the|that|each) quarter('s)?\b")
"""How the quarterly sections name their period ("Victims counted this quarter")."""


def _year_words(text: str) -> str:
    """``text`` about a quarter, said of the year the annual report counts over."""
    return QUARTER_WORDS.sub(lambda m: f"{m.group(1)} year{m.group(2) or ''}", text)


def _over_the_year(section: Section) -> Section:
    """A quarterly section counted over the year, its words saying so."""
    return replace(section, title=_year_words(section.title), intro=_year_words(section.intro),
                   definitions=tuple(_year_words(d) for d in section.definitions),
                   tables=tuple(_table(t) for t in section.tables))


def _table(table: Table) -> Table:
    return replace(table, title=_year_words(table.title), note=_year_words(table.note),
                   rows=tuple(_row(r) for r in table.rows))


def _row(row: Row) -> Row:
    return replace(row, label=_year_words(row.label))
