"""Server-side SVG charts: accessible (title, desc, text on every bar) and free of scripts."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from xml.sax.saxutils import escape

#: Colour-blind-safe series colours (Okabe–Ito), darkened for contrast with white text.
PALETTE = (
    "#0b6aa2",
    "#c0571b",
    "#008060",
    "#b0397a",
    "#6b5b00",
    "#3b6fb6",
    "#7a4e9e",
    "#555555",
)
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"
BAR, GAP, LEFT, TOP, PLOT_HEIGHT = 44, 18, 40, 16, 200


def stacked_bars(
    title: str,
    description: str,
    columns: Sequence[str],
    series: Sequence[tuple[str, Sequence[int]]],
) -> str:
    """A stacked bar chart: one bar per column, one coloured segment per series.

    ``series`` is (name, one count per column). Each segment carries a ``<title>`` with its
    series, column and count, and the legend names every colour, so nothing relies on
    colour alone; the page puts the same numbers in a table under the picture.
    """
    totals = [sum(values[i] for _, values in series) for i in range(len(columns))]
    top = max([*totals, 1])
    legend_rows = len(series)
    longest = max((len(name) for name, _ in series), default=0)
    width = max(LEFT + len(columns) * (BAR + GAP) + GAP, LEFT + 28 + 7 * longest, 320)
    height = TOP + PLOT_HEIGHT + 40 + legend_rows * 20 + 8
    key = hashlib.sha1(f"{title}|{columns}|{series}".encode()).hexdigest()[:8]  # noqa: S324
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-labelledby="ch-{key}-t ch-{key}-d" font-family="{FONT}" font-size="12">',
        f'<title id="ch-{key}-t">{escape(title)}</title>',
        f'<desc id="ch-{key}-d">{escape(description)}</desc>',
    ]
    base = TOP + PLOT_HEIGHT
    for step in _ticks(top):
        y = base - step * PLOT_HEIGHT / top
        out.append(
            f'<line x1="{LEFT - 4}" x2="{width - GAP / 2}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="#d0d0d0" stroke-width="1"/>'
        )
        out.append(f'<text x="{LEFT - 8}" y="{y + 4:.1f}" text-anchor="end">{step}</text>')
    for i, column in enumerate(columns):
        x = LEFT + GAP + i * (BAR + GAP)
        y = float(base)
        for number, (name, values) in enumerate(series):
            count = values[i]
            if not count:
                continue
            h = count * PLOT_HEIGHT / top
            y -= h
            colour = PALETTE[number % len(PALETTE)]
            label = f"{name}, {column}: {count}"
            out.append(
                f'<rect x="{x}" y="{y:.1f}" width="{BAR}" height="{h:.1f}" fill="{colour}" '
                f'stroke="#ffffff" stroke-width="1"><title>{escape(label)}</title></rect>'
            )
            if h >= 14:
                out.append(
                    f'<text x="{x + BAR / 2}" y="{y + h / 2 + 4:.1f}" text-anchor="middle" '
                    f'fill="#ffffff" aria-hidden="true">{count}</text>'
                )
        out.append(
            f'<text x="{x + BAR / 2}" y="{base + 16}" text-anchor="middle">{escape(column)}</text>'
        )
    out.append(
        f'<line x1="{LEFT}" x2="{width - GAP / 2}" y1="{base}" y2="{base}" stroke="#333333"/>'
    )
    for number, (name, _) in enumerate(series):
        y = base + 36 + number * 20
        colour = PALETTE[number % len(PALETTE)]
        out.append(f'<rect x="{LEFT}" y="{y}" width="14" height="14" fill="{colour}"/>')
        out.append(f'<text x="{LEFT + 20}" y="{y + 11}">{escape(name)}</text>')
    out.append("</svg>")
    return "\n".join(out)


def _ticks(top: int) -> list[int]:
    """Whole-number grid lines, at most five."""
    step = max(1, -(-top // 5))
    return list(range(0, top + 1, step))
