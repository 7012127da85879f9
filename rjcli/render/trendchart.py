"""A line chart of a trend table (inline SVG, no script; issue 20).

One line per row of the table, the periods (its columns) along the bottom, 0 to 100% up
the side, with both axes labelled, a legend that names each line by colour and by mark
(so it reads in black and white too), and each point's value printed above it. A figure
that cannot be worked out (nothing fell due) or is hidden by ``--suppress-small`` is a gap
in its line, never a 0.
"""

from __future__ import annotations

import html

from rjcli.core.reports import Table, is_suppressed, shown

COLOURS = ("#1f4e79", "#c55a11", "#548235", "#7030a0", "#bf8f00")
MARKS = ("circle", "square", "diamond", "triangle", "circle")
WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 62, 24, 24, 58
INSET = 30
"""Room between the y axis (and the right edge) and the first (last) period."""
"""Margins: room for the y labels and title (left), the period labels and x title
(bottom)."""


def _mark(kind: str, x: float, y: float, colour: str) -> str:
    if kind == "square":
        return f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" fill="{colour}"/>'
    if kind == "diamond":
        return (f'<polygon points="{x:.1f},{y - 5:.1f} {x + 5:.1f},{y:.1f} {x:.1f},{y + 5:.1f} '
                f'{x - 5:.1f},{y:.1f}" fill="{colour}"/>')
    if kind == "triangle":
        return (f'<polygon points="{x:.1f},{y - 5:.1f} {x + 5:.1f},{y + 4:.1f} '
                f'{x - 5:.1f},{y + 4:.1f}" fill="{colour}"/>')
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}"/>'


class _Plot:
    """Where a period and a percentage fall on the chart."""

    def __init__(self, periods: int) -> None:
        self.n = periods
        self.width, self.height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
        self.step = (self.width - 2 * INSET) / max(periods - 1, 1)

    def x(self, i: int) -> float:
        return LEFT + INSET + (i * self.step if self.n > 1 else self.width / 2 - INSET)

    def y(self, value: float) -> float:
        return TOP + self.height * (1 - value / 100)


def _axes(plot: _Plot, headings: list[str], period_heading: str) -> list[str]:
    """Grid lines, both axes, their labels and titles."""
    parts = []
    for tick in (0, 25, 50, 75, 100):
        y = plot.y(tick)
        parts.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" '
                     f'stroke="#ccc" stroke-width="1"/>')
        parts.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{tick}%</text>')
    foot = TOP + plot.height
    parts.append(f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{foot}" stroke="#444"/>')
    parts.append(f'<line x1="{LEFT}" y1="{foot}" x2="{WIDTH - RIGHT}" y2="{foot}" '
                 'stroke="#444"/>')
    size = 12 if plot.n <= 8 else 9  # twelve quarters' labels side by side
    parts += [f'<text x="{plot.x(i):.1f}" y="{foot + 16}" text-anchor="middle" '
              f'font-size="{size}">{html.escape(heading)}</text>'
              for i, heading in enumerate(headings)]
    parts.append(f'<text x="{LEFT + plot.width / 2:.1f}" y="{HEIGHT - 22}" '
                 f'text-anchor="middle" font-weight="bold">{html.escape(period_heading)}</text>')
    parts.append(f'<text transform="translate(14 {TOP + plot.height / 2:.1f}) rotate(-90)" '
                 'text-anchor="middle" font-weight="bold">Per cent</text>')
    return parts


def _line(points: list[tuple[float, float, str] | None], colour: str) -> list[str]:
    """The line through ``points``, broken where a point is missing."""
    parts, segment = [], []
    for point in [*points, None]:
        if point is not None:
            segment.append(f"{point[0]:.1f},{point[1]:.1f}")
            continue
        if len(segment) > 1:
            parts.append(f'<polyline points="{" ".join(segment)}" fill="none" '
                         f'stroke="{colour}" stroke-width="2"/>')
        segment = []
    return parts


def _series(table: Table, suppress: bool, plot: _Plot) -> list[str]:
    """Each row's line, its marks, and each value above its mark (once where lines meet)."""
    parts: list[str] = []
    labelled: set[tuple[float, float]] = set()
    for r, row in enumerate(table.rows):
        colour, mark = COLOURS[r % len(COLOURS)], MARKS[r % len(MARKS)]
        points = [None if f.value is None or is_suppressed(f, suppress)
                  else (plot.x(i), plot.y(float(f.value)), shown(f, suppress))
                  for i, f in enumerate(row.figures)]
        parts += _line(points, colour)
        for x, y, value in (p for p in points if p is not None):
            parts.append(_mark(mark, x, y, colour))
            if (x, y) not in labelled:
                labelled.add((x, y))
                parts.append(f'<text x="{x:.1f}" y="{y - 8:.1f}" text-anchor="middle" '
                             f'font-size="10">{html.escape(value)}</text>')
    return parts


def _legend(table: Table) -> str:
    items = []
    for r, row in enumerate(table.rows):
        colour, mark = COLOURS[r % len(COLOURS)], MARKS[r % len(MARKS)]
        items.append('<li style="display:inline-block;margin:0 1.4em .2em 0">'
                     '<svg width="34" height="12" aria-hidden="true" '
                     'style="vertical-align:middle">'
                     f'<line x1="1" y1="6" x2="33" y2="6" stroke="{colour}" stroke-width="2"/>'
                     f"{_mark(mark, 17, 6, colour)}</svg> {html.escape(row.label)}</li>")
    return ('<ul class="legend" style="list-style:none;padding:0;margin:.2rem 0">'
            f'{"".join(items)}</ul>')


def line_chart(table: Table, suppress: bool) -> str:
    """The table as a line chart in a ``<figure>`` with a legend and a caption (empty: no
    rows)."""
    if not table.rows or not table.columns:
        return ""
    keys = [c.key for c in table.columns]
    period_heading = "Quarter" if all("-Q" in k for k in keys) else \
        "Half year" if all("-H" in k for k in keys) else "Period"
    plot = _Plot(len(keys))
    parts = _axes(plot, [c.heading for c in table.columns], period_heading)
    parts += _series(table, suppress, plot)
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
           f'viewBox="0 0 {WIDTH} {HEIGHT}" style="max-width:100%;height:auto" role="img" '
           f'aria-label="{html.escape(table.title)}">{"".join(parts)}</svg>')
    caption = (f"Lines: each figure by {period_heading.lower()}, 0 to 100%. A gap: nothing to "
               "work the figure out from that period (or hidden as a small number).")
    return (f'<figure class="block trend">{svg}{_legend(table)}'
            f"<figcaption>{html.escape(caption)}</figcaption></figure>")
