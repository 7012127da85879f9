"""A report as one self-contained HTML page that also prints on A4 (issue 20).

On screen: headings, tables, a sentence under each, a bar chart beside most tables.
In print (Chromium's "Save as PDF", or a browser's print): A4 pages numbered "Page 3
of 5" with the service and period in a running header (``@page`` margin boxes), no
heading left at the foot of a page, no table row split across pages, charts sized for
paper. A table whose figures are all 0 is one line ("Conferences and panels held: none
this quarter"), and a section whose tables all are is one line too: a board reads what
happened, not tables of zeros. The other formats keep every zero (they are data).
"""

from __future__ import annotations

import html
import textwrap

from rjcli.core.reports import Report, Section, Table, is_suppressed, shown
from rjcli.render.reportparts import EXPLAIN_NOTE, explained, header_lines

SCREEN_CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif;
       color: #1a1a1a; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; line-height: 1.4; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; }
h2 { font-size: 1.3rem; border-bottom: 2px solid #1f4e79; padding-bottom: .2rem;
     margin-top: 2.2rem; }
h3 { font-size: 1.05rem; margin: 1.6rem 0 .4rem; }
p.meta { color: #444; margin: .2rem 0; }
p.warning { color: #8a1c1c; font-weight: 600; }
p.empty { color: #333; margin: .5rem 0; }
table { border-collapse: collapse; margin: .3rem 0; min-width: 50%; }
th, td { border-bottom: 1px solid #ccc; padding: .25rem .6rem; text-align: right; }
th:first-child, td:first-child { text-align: left; }
thead th { background: #e8eef5; border-bottom: 2px solid #1f4e79; }
tr.total td { font-weight: 700; border-top: 1px solid #888; }
p.note { font-size: .92rem; color: #333; margin: .3rem 0 .8rem; }
figure { margin: .5rem 0 1rem; }
figcaption { font-size: .85rem; color: #333; }
svg text { font-family: inherit; font-size: 12px; fill: #1a1a1a; }
.definitions { font-size: .9rem; color: #333; }
.explain { font-size: .8rem; color: #555; font-family: monospace; }
.block { break-inside: avoid; page-break-inside: avoid; }
"""

PRINT_CSS = """
@page { size: A4; margin: 17mm 14mm 15mm 14mm;
  @top-left { content: RUNNING; font-family: system-ui, Arial, sans-serif; font-size: 8pt;
              color: #444; }
  @bottom-right { content: "Page " counter(page) " of " counter(pages);
                  font-family: system-ui, Arial, sans-serif; font-size: 8pt; color: #444; } }
@media print {
  body { margin: 0; max-width: none; padding: 0; font-size: 9.5pt; line-height: 1.3; }
  h1 { font-size: 15pt; margin-top: 0; }
  h2 { font-size: 12.5pt; margin-top: 12pt; }
  h3 { font-size: 10.5pt; margin: 9pt 0 3pt; }
  h2, h3, section > p:first-of-type, figcaption { break-after: avoid; page-break-after: avoid; }
  tr, li, p.empty { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  thead th { background: none; }
  th, td { padding: 1.5pt 5pt; }
  p.note { margin: 2pt 0 5pt; font-size: 8.5pt; }
  figure { margin: 2pt 0 6pt; break-inside: avoid; page-break-inside: avoid; }
  figure > svg { width: 145mm; height: auto; }  /* the chart, not its legend's marks */
  figcaption { font-size: 8pt; }
  .block { break-inside: auto; page-break-inside: auto; }
  .definitions { font-size: 8.5pt; }
}
"""

BAR = "#1f4e79"
LABEL_CHARS = 44
"""Characters of a bar's label per line (two lines at most)."""


def _css_string(text: str) -> str:
    """``text`` as a CSS string: anything but letters, digits and plain punctuation
    escaped, so a service name can never end the string or the style sheet."""
    return '"' + "".join(ch if ch.isalnum() or ch in " .,:;()'-" else f"\\{ord(ch):x} "
                         for ch in text) + '"'


def _running_header(report: Report) -> str:
    when = f"{report.period.label} ({report.period.words()})" if report.period else \
        f"as at {report.today.isoformat()}"
    return _css_string(f"{report.service} \u00b7 {report.title} \u00b7 {when}")


def period_word(report: Report) -> str:
    """"this quarter", "this half year", "this year" (words of an empty table)."""
    label = report.period.label if report.period else ""
    if "-Q" in label:
        return "this quarter"
    if "-H" in label:
        return "this half year"
    return "this year" if report.period else "today"


def is_empty(table: Table) -> bool:
    """Every figure is 0 or cannot be worked out (or there are no rows)."""
    return all(not f.value for row in table.rows for f in row.figures)


def _label_lines(label: str) -> list[str]:
    lines = textwrap.wrap(label, LABEL_CHARS) or [""]
    if len(lines) > 2:
        lines = [lines[0], textwrap.shorten(" ".join(lines[1:]), LABEL_CHARS, placeholder="...")]
    return lines


def _chart(table: Table, suppress: bool) -> str:
    """A horizontal bar chart (inline SVG) of the table's chart column, totals left out,
    labels wrapped (never cut short), with a caption saying what the bars show."""
    if table.chart is None:
        return ""
    if table.chart == "line":  # a trend (rjcli.core.periods)
        from rjcli.render.trendchart import line_chart

        return line_chart(table, suppress)
    index = [c.key for c in table.columns].index(table.chart)
    rows = [(r.label, r.figures[index]) for r in table.rows if not r.total]
    rows = [(label, fig) for label, fig in rows if fig.kind in ("count", "percent", "days")]
    if not rows:
        return ""
    kind = table.columns[index].heading
    visible = [float(f.value or 0) for _, f in rows if not is_suppressed(f, suppress)]
    percent = all(f.kind == "percent" for _, f in rows)
    top = 100.0 if percent else max(visible + [1.0])
    label_w, bar_w, line_h = 320, 300, 15
    width_all = label_w + bar_w + 60
    parts, y = [], 4
    for label, fig in rows:
        lines = _label_lines(label)
        row_h = 7 + line_h * len(lines)
        text = "".join(f'<tspan x="0" dy="{0 if n == 0 else line_h}">{html.escape(line)}</tspan>'
                       for n, line in enumerate(lines))
        parts.append(f'<text x="0" y="{y + 15}"><title>{html.escape(label)}</title>{text}</text>')
        hidden = is_suppressed(fig, suppress) or fig.value is None
        width = 0 if hidden else round(bar_w * float(fig.value or 0) / top)
        if width:
            parts.append(f'<rect x="{label_w}" y="{y + 3}" width="{width}" height="14" '
                         f'fill="{BAR}"/>')
        parts.append(f'<text x="{label_w + width + 5}" y="{y + 15}">'
                     f'{html.escape(shown(fig, suppress))}</text>')
        y += row_h
    height = y + 4
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width_all}" height="{height}" '
           f'viewBox="0 0 {width_all} {height}" style="max-width:100%;height:auto" role="img" '
           f'aria-label="{html.escape(table.title)}: {html.escape(kind)}">{"".join(parts)}</svg>')
    scale = " (0 to 100%)" if percent else ""
    caption = f"Bars: {table.columns[index].heading.lower()}{scale}, per {table.row_heading.lower()}."
    return f'<figure class="block">{svg}<figcaption>{html.escape(caption)}</figcaption></figure>'


def _explained(table: Table) -> str:
    items = "".join(f"<li>{html.escape(label)} / {html.escape(heading)}: "
                    f"{html.escape(', '.join(cases))}</li>"
                    for label, heading, cases in explained(table))
    return f'<ul class="explain">{items}</ul>' if items else ""


def _html_table(table: Table, suppress: bool, explain: bool, when: str) -> str:
    if is_empty(table):
        return (f'<p class="empty"><strong>{html.escape(table.title)}</strong>: none {when}.'
                "</p>")
    head = "".join(f"<th scope=\"col\">{html.escape(c.heading)}</th>" for c in table.columns)
    body = []
    for row in table.rows:
        cells = "".join(f"<td>{html.escape(shown(f, suppress))}</td>" for f in row.figures)
        css = ' class="total"' if row.total else ""
        body.append(f"<tr{css}><td>{html.escape(row.label)}</td>{cells}</tr>")
    parts = [f'<div class="block"><h3>{html.escape(table.title)}</h3>',
             f'<table><thead><tr><th scope="col">{html.escape(table.row_heading)}</th>{head}'
             f'</tr></thead><tbody>{"".join(body)}</tbody></table>',
             f'<p class="note">{html.escape(table.note)}</p></div>',
             _chart(table, suppress)]
    if explain:
        parts.append(_explained(table))
    return "".join(parts)


def _html_section(section: Section, suppress: bool, explain: bool, when: str) -> str:
    parts = [f"<section><h2>{html.escape(section.title)}</h2><p>{html.escape(section.intro)}</p>"]
    if section.tables and all(is_empty(t) for t in section.tables):
        titles = "; ".join(t.title for t in section.tables)
        parts.append(f'<p class="empty">None {when}: every figure is 0 ({html.escape(titles)}).'
                     "</p></section>")
        return "".join(parts)
    parts += [_html_table(t, suppress, explain, when) for t in section.tables]
    if section.definitions:
        items = "".join(f"<li>{html.escape(d)}</li>" for d in section.definitions)
        parts.append(f'<div class="definitions"><h3>How these are counted</h3>'
                     f"<ul>{items}</ul></div>")
    parts.append("</section>")
    return "".join(parts)


def as_html(report: Report, suppress: bool, explain: bool) -> str:
    """A self-contained page: no scripts, no external fonts or images; prints on A4."""
    meta = "".join(f'<p class="{"warning" if line == EXPLAIN_NOTE else "meta"}">'
                   f"{html.escape(line)}</p>"
                   for line in header_lines(report, suppress, explain))
    when = period_word(report)
    sections = "".join(_html_section(s, suppress, explain, when) for s in report.sections)
    css = SCREEN_CSS + PRINT_CSS.replace("RUNNING", _running_header(report))
    return ("<!DOCTYPE html>\n"
            f'<html lang="en-GB"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{html.escape(report.title)}</title><style>{css}</style></head>"
            f"<body><header><h1>{html.escape(report.title)}</h1>{meta}</header>"
            f"<main>{sections}</main></body></html>\n")
