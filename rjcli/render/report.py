"""Reports in every format: terminal table, Markdown, CSV, JSON, HTML, Excel.

Each format prints the figures of a :class:`rjcli.core.reports.Report` as they are;
nothing is counted here. ``suppress`` hides counts of 1 to 4 (and rates worked out
from them); ``explain`` adds the record ids behind each figure, for internal use.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from rjcli.core.reports import Figure, Report, Table, is_suppressed, json_value, shown
from rjcli.core.text import (formula_like, markdown_literal, printable, spreadsheet_cell,
                              spreadsheet_text)
from rjcli.render.report_html import as_html
from rjcli.render.reportparts import (  # noqa: F401  (re-exported)
    EXPLAIN_NOTE,
    SUPPRESSION_NOTE,
    explained,
    header_lines,
)

FORMATS = ("table", "md", "csv", "json", "html", "xlsx")
EXTENSIONS = {"table": "txt", "md": "md", "csv": "csv", "json": "json", "html": "html",
              "xlsx": "xlsx"}


def render(report: Report, fmt: str, suppress: bool = False, explain: bool = False
           ) -> str | bytes:
    """The report as text (or bytes, for xlsx) in ``fmt``."""
    if fmt == "table":
        return as_text(report, suppress, explain)
    if fmt == "md":
        return as_markdown(report, suppress, explain)
    if fmt == "csv":
        return as_csv(report, suppress, explain)
    if fmt == "json":
        return json.dumps(as_json(report, suppress, explain), indent=2, ensure_ascii=False) + "\n"
    if fmt == "html":
        return as_html(report, suppress, explain)
    return as_xlsx(report, suppress, explain)


# --- terminal -------------------------------------------------------------------------


def print_tables(report: Report, suppress: bool, explain: bool, console: Any) -> None:
    """The report as Rich tables on ``console``."""
    from rich.table import Table as RichTable
    from rich.text import Text

    console.print(Text(report.title, style="bold"))
    for line in header_lines(report, suppress, explain):
        console.print(Text(line, style="dim"))
    for section in report.sections:
        console.print()
        console.rule(Text(section.title, style="bold"), align="left")
        console.print(Text(section.intro))
        for table in section.tables:
            grid = RichTable(title=table.title, title_justify="left", title_style="bold",
                             padding=(0, 1))
            widest = max((len(r.label) for r in table.rows), default=len(table.row_heading))
            grid.add_column(table.row_heading, min_width=min(36, widest), overflow="fold")
            for column in table.columns:
                grid.add_column(column.heading, justify="right")
            for row in table.rows:
                style = "bold" if row.total else None
                grid.add_row(Text(printable(row.label)),
                             *(shown(f, suppress) for f in row.figures), style=style)
            console.print()
            console.print(grid)
            console.print(Text(table.note, style="dim"))
            if explain:
                for label, heading, cases in explained(table):
                    console.print(Text(printable(f"  {label} / {heading}: {', '.join(cases)}"),
                                       style="dim"))
        if section.definitions:
            console.print()
            console.print(Text("How these are counted:", style="bold"))
            for sentence in section.definitions:
                console.print(Text(f"- {sentence}"))


def as_text(report: Report, suppress: bool, explain: bool) -> str:
    """The terminal tables as plain text (for --out with --format table)."""
    from rich.console import Console

    buffer = io.StringIO()
    console = Console(file=buffer, width=110, color_system=None, highlight=False,
                      force_terminal=False)
    print_tables(report, suppress, explain, console)
    return buffer.getvalue()


# --- Markdown ---------------------------------------------------------------------------


def _md(text: str) -> str:
    return text.replace("|", "\\|")


def _md_record(text: str) -> str:
    """Text a record gave (a worker's name, a reason) shown as written in a Markdown
    table: one line, no Markdown or HTML of its own."""
    return markdown_literal(printable(text))


def as_markdown(report: Report, suppress: bool, explain: bool) -> str:
    out = [f"# {_md(report.title)}", ""]
    out += [f"{_md(line)}  " for line in header_lines(report, suppress, explain)]
    for section in report.sections:
        out += ["", f"## {_md(section.title)}", "", _md(section.intro)]
        for table in section.tables:
            out += ["", f"### {_md(table.title)}", ""]
            out.append("| " + " | ".join([_md(table.row_heading),
                                          *(_md(c.heading) for c in table.columns)]) + " |")
            out.append("| --- |" + " ---: |" * len(table.columns))
            for row in table.rows:
                cells = [shown(f, suppress) for f in row.figures]
                label = f"**{_md(row.label)}**" if row.total else _md_record(row.label)
                out.append("| " + " | ".join([label, *cells]) + " |")
            out += ["", f"*{_md(table.note)}*"]
            if explain:
                out += [""] + [f"- {_md_record(label)} / {_md(heading)}: {', '.join(cases)}"
                               for label, heading, cases in explained(table)]
        if section.definitions:
            out += ["", "How these are counted:", ""]
            out += [f"- {_md(sentence)}" for sentence in section.definitions]
    return "\n".join(out) + "\n"


# --- CSV ---------------------------------------------------------------------------------


def as_csv(report: Report, suppress: bool, explain: bool) -> str:
    """One line per figure: section, table, row, column, value (and cases with --explain)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    head = ["period", "section", "table", "row", "row_label", "column", "value"]
    writer.writerow([*head, "cases"] if explain else head)

    def write(cells: list[str]) -> None:
        """One line, each cell text a spreadsheet shows and never runs as a formula."""
        writer.writerow([spreadsheet_text(cell) for cell in cells])

    period = report.period.label if report.period else report.today.isoformat()
    for section in report.sections:
        for table in section.tables:
            for row in table.rows:
                for column, fig in zip(table.columns, row.figures, strict=True):
                    line = [period, section.key, table.key, row.key, row.label, column.key,
                            shown(fig, suppress)]
                    write([*line, " ".join(fig.cases)] if explain else line)
    return buffer.getvalue()


# --- JSON --------------------------------------------------------------------------------


def _table_json(table: Table, suppress: bool) -> dict[str, Any]:
    return {
        "key": table.key, "title": table.title, "note": table.note,
        "columns": [{"key": c.key, "heading": c.heading} for c in table.columns],
        "rows": [{"key": r.key, "label": r.label,
                  "values": {c.key: json_value(f, suppress)
                             for c, f in zip(table.columns, r.figures, strict=True)}}
                 for r in table.rows],
    }


def as_json(report: Report, suppress: bool, explain: bool) -> dict[str, Any]:
    period = report.period
    data: dict[str, Any] = {
        "report": report.kind,
        "title": report.title,
        "service": report.service,
        "period": ({"label": period.label, "start": period.start.isoformat(),
                    "end": period.end.isoformat()} if period else None),
        "produced": report.today.isoformat(),
        "suppress_small": suppress,
        "notes": list(report.notes),
    }
    for section in report.sections:
        if section.key == "kpi10":
            table = section.table("kpi10")
            data["kpi10"] = {r.key: json_value(r.figures[0], suppress) for r in table.rows}
    data["sections"] = [{"key": s.key, "title": s.title, "intro": s.intro,
                         "definitions": list(s.definitions),
                         "tables": [_table_json(t, suppress) for t in s.tables]}
                        for s in report.sections]
    if explain:
        data["explain"] = [
            {"section": s.key, "table": t.key, "row": r.key, "column": c.key,
             "cases": list(f.cases)}
            for s in report.sections for t in s.tables for r in t.rows
            for c, f in zip(t.columns, r.figures, strict=True) if f.cases]
    return data


# --- Excel -------------------------------------------------------------------------------


def _cell_value(fig: Figure, suppress: bool) -> tuple[Any, str | None]:
    """(value, number format) of a figure in a spreadsheet cell."""
    if is_suppressed(fig, suppress) or (fig.kind != "count" and fig.value is None):
        return shown(fig, suppress), None
    if fig.kind == "percent":
        return float(fig.value or 0) / 100, "0.0%"
    return fig.value, None


def _sheet_name(title: str, taken: set[str]) -> str:
    name = "".join(ch for ch in title if ch not in "[]:*?/\\")[:31].strip() or "Sheet"
    base, n = name, 2
    while name in taken:
        name = f"{base[:28]} {n}"
        n += 1
    taken.add(name)
    return name


def _append(sheet: Any, values: list[Any]) -> None:
    """A row whose text cells stay text: one that would start a formula (``=``, ``+``,
    ``-``, ``@``...) is stored as a string with Excel's own quote prefix, as if typed
    after an apostrophe (OWASP CSV injection); numbers stay numbers. Control characters
    are dropped (openpyxl refuses most of them)."""
    values = [spreadsheet_cell(v) if isinstance(v, str) else v for v in values]
    sheet.append(values)
    for column, value in enumerate(values, start=1):
        if isinstance(value, str) and formula_like(value.lstrip()):
            cell = sheet.cell(sheet.max_row, column)
            cell.data_type = "s"
            cell.quotePrefix = True


def as_xlsx(report: Report, suppress: bool, explain: bool) -> bytes:
    """One sheet per section; an 'Explain' sheet with --explain."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    taken: set[str] = set()
    bold = Font(bold=True)
    for section in report.sections:
        sheet = book.create_sheet(_sheet_name(section.title, taken))
        _append(sheet, [report.title])
        sheet["A1"].font = Font(bold=True, size=14)
        for line in header_lines(report, suppress, explain):
            _append(sheet, [line])
        _append(sheet, [])
        _append(sheet, [section.title])
        sheet.cell(sheet.max_row, 1).font = Font(bold=True, size=12)
        _append(sheet, [section.intro])
        for table in section.tables:
            _append(sheet, [])
            _append(sheet, [table.title])
            sheet.cell(sheet.max_row, 1).font = bold
            _append(sheet, [table.row_heading, *(c.heading for c in table.columns)])
            for cell in sheet[sheet.max_row]:
                cell.font = bold
            for row in table.rows:
                values = [_cell_value(f, suppress) for f in row.figures]
                _append(sheet, [row.label, *(v for v, _ in values)])
                for n, (_, number_format) in enumerate(values, start=2):
                    cell = sheet.cell(sheet.max_row, n)
                    if number_format:
                        cell.number_format = number_format
                    if row.total:
                        cell.font = bold
                if row.total:
                    sheet.cell(sheet.max_row, 1).font = bold
            _append(sheet, [table.note])
            sheet.cell(sheet.max_row, 1).font = Font(italic=True)
        if section.definitions:
            _append(sheet, [])
            _append(sheet, ["How these are counted"])
            sheet.cell(sheet.max_row, 1).font = bold
            for sentence in section.definitions:
                _append(sheet, [sentence])
        sheet.column_dimensions["A"].width = 62
        for letter in "BCDEF":
            sheet.column_dimensions[letter].width = 16
    if explain:
        sheet = book.create_sheet(_sheet_name("Explain (internal)", taken))
        _append(sheet, ["section", "table", "row", "column", "cases"])
        for s in report.sections:
            for t in s.tables:
                for label, heading, cases in explained(t):
                    _append(sheet, [s.title, t.title, label, heading, " ".join(cases)])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
