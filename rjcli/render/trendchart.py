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


def line_chart(table: Table, suppress: bool) -> str:
    """The table as a line chart in a ``<figure>`` with a caption (empty: no rows)."""
    if not table.rows or not table.columns:
        return ""
    period_heading = "Quarter" if all("-Q" in c.key for c in table.columns) else \
        "Half year" if all("-H" in c.key for c in table.columns) else "Period"
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    n = len(table.columns)

    step = (plot_w - 2 * INSET) / max(n - 1, 1)

    def x_of(i: int) -> float:
        return LEFT + INSET + (i * step if n > 1 else plot_w / 2 - INSET)

    def y_of(value: float) -> float:
        return TOP + plot_h * (1 - value / 100)

    parts = []
    for tick in (0, 25, 50, 75, 100):  # grid and y labels
        y = y_of(tick)
        parts.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" '
                     f'stroke="#ccc" stroke-width="1"/>')
        parts.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{tick}%</text>')
    parts.append(f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{TOP + plot_h}" stroke="#444"/>')
    parts.append(f'<line x1="{LEFT}" y1="{TOP + plot_h}" x2="{WIDTH - RIGHT}" '
                 f'y2="{TOP + plot_h}" stroke="#444"/>')
    size = 12 if n <= 8 else 9  # twelve quarters' labels side by side
    for i, column in enumerate(table.columns):  # period labels
        parts.append(f'<text x="{x_of(i):.1f}" y="{TOP + plot_h + 16}" text-anchor="middle" '
                     f'font-size="{size}">'
                     f"{html.escape(column.heading)}</text>")
    parts.append(f'<text x="{LEFT + plot_w / 2:.1f}" y="{HEIGHT - 22}" text-anchor="middle" '
                 f'font-weight="bold">{html.escape(period_heading)}</text>')
    parts.append(f'<text transform="translate(14 {TOP + plot_h / 2:.1f}) rotate(-90)" '
                 'text-anchor="middle" font-weight="bold">Per cent</text>')
    labelled: set[tuple[float, float]] = set()  # one value printed where lines meet
    for r, row in enumerate(table.rows):
        colour, mark = COLOURS[r % len(COLOURS)], MARKS[r % len(MARKS)]
        points = [None if f.value is None or is_suppressed(f, suppress)
                  else (x_of(i), y_of(float(f.value)), shown(f, suppress))
                  for i, f in enumerate(row.figures)]
        segment: list[str] = []
        for point in [*points, None]:  # a gap ends a segment
            if point is None:
                if len(segment) > 1:
                    parts.append(f'<polyline points="{" ".join(segment)}" fill="none" '
                                 f'stroke="{colour}" stroke-width="2"/>')
                segment = []
            else:
                segment.append(f"{point[0]:.1f},{point[1]:.1f}")
        for point in points:
            if point is not None:
                parts.append(_mark(mark, point[0], point[1], colour))
                if (point[0], point[1]) in labelled:
                    continue
                labelled.add((point[0], point[1]))
                parts.append(f'<text x="{point[0]:.1f}" y="{point[1] - 8:.1f}" '
                             f'text-anchor="middle" font-size="10">{html.escape(point[2])}</text>')
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
           f'viewBox="0 0 {WIDTH} {HEIGHT}" style="max-width:100%;height:auto" role="img" '
           f'aria-label="{html.escape(table.title)}">{"".join(parts)}</svg>')
    legend = "".join(
        f'<li style="display:inline-block;margin:0 1.4em .2em 0">'
        f'<svg width="34" height="12" aria-hidden="true" style="vertical-align:middle"><line x1="1" y1="6" x2="33" y2="6" '
        f'stroke="{COLOURS[r % len(COLOURS)]}" stroke-width="2"/>'
        f'{_mark(MARKS[r % len(MARKS)], 17, 6, COLOURS[r % len(COLOURS)])}</svg> '
        f"{html.escape(row.label)}</li>" for r, row in enumerate(table.rows))
    caption = (f"Lines: each figure by {period_heading.lower()}, 0 to 100%. A gap: nothing to "
               "work the figure out from that period (or hidden as a small number).")
    return (f'<figure class="block trend">{svg}<ul class="legend" style="list-style:none;'
            f'padding:0;margin:.2rem 0">{legend}</ul>'
            f"<figcaption>{html.escape(caption)}</figcaption></figure>")

