"""The risk heat map: the matrix as a self-contained, accessible SVG with the risks placed.

Konsekvens runs left to right, sannolikhet bottom to top (the highest risk top right). Every
cell carries its value and level name as text, so the picture does not rely on colour alone;
each risk is a numbered marker whose ``<title>`` names it (screen readers and hover).
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Sequence
from xml.sax.saxutils import escape, quoteattr

from qms.domain.entities import Risk, RiskMatrix
from qms.domain.risk_matrix import level_of, levels, scale_label

CELL = 96
LEFT = 150  # room for the sannolikhet labels
TOP = 16
BOTTOM = 92  # konsekvens labels and axis name
LEGEND = 34
MARKER = 11
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"


def heatmap_svg(
    matrix: RiskMatrix,
    risks: Sequence[Risk],
    link: Callable[[Risk], str] | None = None,
) -> str:
    """The matrix as SVG; risk ``i`` (1-based, in the order given) is marker ``i``.

    ``link`` gives the address a marker leads to (none: plain markers). Risks outside the
    scale are drawn on its edge rather than left out.
    """
    p_size, c_size = len(matrix.probability_labels), len(matrix.consequence_labels)
    width = LEFT + c_size * CELL + 16
    grid_bottom = TOP + p_size * CELL
    height = grid_bottom + BOTTOM + LEGEND * len(levels(matrix)) // 2 + LEGEND
    key = hashlib.sha1(  # noqa: S324 - ids only need to differ between pictures
        "|".join([matrix.id, *(r.id for r in risks)]).encode()
    ).hexdigest()[:8]
    title_id, desc_id = f"hm-{key}-t", f"hm-{key}-d"
    # With links to the risks the picture holds controls: a group, not a single image.
    role = "img" if link is None else "group"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="heatmap" role="{role}" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-labelledby="{title_id} {desc_id}" font-family="{FONT}">',
        f'<title id="{title_id}">{escape(_title(matrix, risks))}</title>',
        f'<desc id="{desc_id}">{escape(_description(matrix, risks))}</desc>',
    ]
    parts.extend(_cells(matrix))
    parts.extend(_axes(matrix, grid_bottom))
    parts.extend(_markers(matrix, risks, link))
    parts.extend(_legend(matrix, grid_bottom + BOTTOM))
    parts.append("</svg>")
    return "\n".join(parts)


def _title(matrix: RiskMatrix, risks: Sequence[Risk]) -> str:
    count = len(risks)
    return f"Riskmatris: {count} {'risk' if count == 1 else 'risker'}"


def _description(matrix: RiskMatrix, risks: Sequence[Risk]) -> str:
    per_level: dict[str, int] = {lvl.name: 0 for lvl in levels(matrix)}
    for risk in risks:
        per_level[level_of(matrix, _clamped(matrix, risk)[0] * _clamped(matrix, risk)[1]).name] += 1
    counts = ", ".join(f"{name}: {n}" for name, n in per_level.items())
    return (
        f"Sannolikhet (lodrätt, 1–{len(matrix.probability_labels)}) mot konsekvens "
        f"(vågrätt, 1–{len(matrix.consequence_labels)}). Risker per nivå: {counts}."
    )


def _clamped(matrix: RiskMatrix, risk: Risk) -> tuple[int, int]:
    p_size, c_size = len(matrix.probability_labels), len(matrix.consequence_labels)
    return min(max(risk.probability, 1), p_size), min(max(risk.consequence, 1), c_size)


def _cell_origin(matrix: RiskMatrix, probability: int, consequence: int) -> tuple[int, int]:
    p_size = len(matrix.probability_labels)
    return LEFT + (consequence - 1) * CELL, TOP + (p_size - probability) * CELL


def _cells(matrix: RiskMatrix) -> list[str]:
    out = ['<g class="cells">']
    for probability in range(1, len(matrix.probability_labels) + 1):
        for consequence in range(1, len(matrix.consequence_labels) + 1):
            value = probability * consequence
            level = level_of(matrix, value)
            x, y = _cell_origin(matrix, probability, consequence)
            ink = level.ink
            out.append(
                f'<g class="cell" data-probability="{probability}" '
                f'data-consequence="{consequence}" data-value="{value}">'
                f"<title>Sannolikhet {probability} × konsekvens {consequence} = {value} "
                f"({escape(level.name)})</title>"
                f'<rect x="{x}" y="{y}" width="{CELL}" height="{CELL}" fill="{level.colour}" '
                f'stroke="#ffffff" stroke-width="2"/>'
                f'<text x="{x + 6}" y="{y + 16}" font-size="13" font-weight="bold" '
                f'fill="{ink}">{value}</text>'
                f'<text x="{x + CELL - 6}" y="{y + 16}" font-size="11" text-anchor="end" '
                f'fill="{ink}">{escape(level.name)}</text>'
                "</g>"
            )
    out.append("</g>")
    return out


def _axes(matrix: RiskMatrix, grid_bottom: int) -> list[str]:
    out = ['<g class="axes" fill="#1a1a1a">']
    for probability in range(1, len(matrix.probability_labels) + 1):
        _, y = _cell_origin(matrix, probability, 1)
        label = scale_label(matrix.probability_labels, probability)
        out.append(
            f'<text x="{LEFT - 8}" y="{y + CELL // 2 + 4}" font-size="12" '
            f'text-anchor="end">{escape(label)}</text>'
        )
    for consequence in range(1, len(matrix.consequence_labels) + 1):
        x, _ = _cell_origin(matrix, 1, consequence)
        number, _, name = scale_label(matrix.consequence_labels, consequence).partition(" - ")
        out.append(
            f'<text x="{x + CELL // 2}" y="{grid_bottom + 18}" font-size="12" '
            f'text-anchor="middle">{escape(number)} -</text>'
            f'<text x="{x + CELL // 2}" y="{grid_bottom + 33}" font-size="12" '
            f'text-anchor="middle">{escape(name)}</text>'
        )
    middle_x = LEFT + len(matrix.consequence_labels) * CELL // 2
    out.append(
        f'<text x="{middle_x}" y="{grid_bottom + 60}" font-size="14" font-weight="bold" '
        f'text-anchor="middle">Konsekvens →</text>'
        f'<text x="14" y="{TOP + 10}" font-size="14" font-weight="bold">↑ Sannolikhet</text>'
    )
    out.append("</g>")
    return out


def _markers(
    matrix: RiskMatrix, risks: Sequence[Risk], link: Callable[[Risk], str] | None
) -> list[str]:
    by_cell: dict[tuple[int, int], list[tuple[int, Risk]]] = {}
    for number, risk in enumerate(risks, start=1):
        by_cell.setdefault(_clamped(matrix, risk), []).append((number, risk))
    out = ['<g class="markers">']
    for (probability, consequence), placed in sorted(by_cell.items()):
        x, y = _cell_origin(matrix, probability, consequence)
        columns = max(1, math.ceil(math.sqrt(len(placed))))
        rows = math.ceil(len(placed) / columns)
        spacing = min(2 * MARKER + 4, (CELL - 8) / max(columns, rows))
        radius = min(MARKER, spacing / 2 - 1)
        left = x + CELL / 2 - spacing * (columns - 1) / 2
        top = y + 22 + (CELL - 22) / 2 - spacing * (rows - 1) / 2
        for index, (number, risk) in enumerate(placed):
            cx = left + spacing * (index % columns)
            cy = top + spacing * (index // columns)
            marker = (
                f'<g class="marker" data-risk="{escape(risk.id)}">'
                f"<title>{number}. {escape(risk.title)} ({escape(risk.id)}, riskvärde "
                f"{risk.value})</title>"
                f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{radius:.1f}" fill="#ffffff" '
                f'stroke="#1a1a1a" stroke-width="1.5"/>'
                f'<text x="{cx:.1f}" y="{cy + radius * 0.4:.1f}" font-size="{radius * 1.1:.1f}" '
                f'text-anchor="middle" fill="#1a1a1a">{number}</text>'
                "</g>"
            )
            if link is not None:
                marker = f"<a href={quoteattr(link(risk))}>{marker}</a>"
            out.append(marker)
    out.append("</g>")
    return out


def _legend(matrix: RiskMatrix, top: int) -> list[str]:
    out = [
        f'<g class="legend" font-size="12" fill="#1a1a1a"><text x="{LEFT}" y="{top}" '
        'font-weight="bold">Risknivåer</text>'
    ]
    found = levels(matrix)
    top_value = len(matrix.probability_labels) * len(matrix.consequence_labels)
    for index, level in enumerate(found):
        column, row = index % 2, index // 2
        x = LEFT + column * 190
        y = top + 10 + row * LEGEND
        upper = found[index + 1].minimum - 1 if index + 1 < len(found) else top_value
        out.append(
            f'<rect x="{x}" y="{y}" width="22" height="22" fill="{level.colour}" '
            f'stroke="#1a1a1a"/><text x="{x + 30}" y="{y + 16}">{escape(level.name)} '
            f"({level.minimum}–{upper})</text>"
        )
    out.append("</g>")
    return out
