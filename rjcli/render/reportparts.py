"""What every format of a report prints the same way: the lines under the title and
the case ids behind each figure (``--explain``)."""

from __future__ import annotations

from collections.abc import Iterator

from rjcli.core.reports import Report, Table

SUPPRESSION_NOTE = ("Small numbers are hidden for publication: counts from 1 to 4 are shown "
                    "as <5, and figures worked out from them as -.")
EXPLAIN_NOTE = "INTERNAL: lists the case ids behind each figure. Do not publish."


def header_lines(report: Report, suppress: bool, explain: bool) -> list[str]:
    lines = [report.subtitle(), *report.notes]
    if suppress:
        lines.append(SUPPRESSION_NOTE)
    if explain:
        lines.append(EXPLAIN_NOTE)
    return lines


def explained(table: Table) -> Iterator[tuple[str, str, tuple[str, ...]]]:
    """(row label, column heading, case ids) of every figure with cases behind it."""
    for row in table.rows:
        for column, fig in zip(table.columns, row.figures, strict=True):
            if fig.cases:
                yield row.label, column.heading, fig.cases


