"""Place a scene with Graphviz ``dot``: left to right, bands stacked, labels given room."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import graphviz

from qms.bpmn.scene import Band, Box, Scene

POINTS = 72.0
LANE_MIN = 80.0
#: Room kept free around every shape, so routes never graze a border.
PAD = 8.0


@dataclass
class Raw:
    """What ``dot`` answered, in its own coordinates (points, y upwards)."""

    height: float
    nodes: dict[str, tuple[float, float, float, float]] = field(default_factory=dict)
    clusters: dict[str, tuple[float, float, float, float]] = field(default_factory=dict)
    edges: dict[str, tuple[list[tuple[float, float]], tuple[float, float] | None]] = field(
        default_factory=dict
    )


def _table(box: Box) -> str:
    size = f'WIDTH="{box.width + 2 * PAD:.0f}" HEIGHT="{box.height + 2 * PAD:.0f}"'
    rows = f'<TR><TD PORT="p" FIXEDSIZE="TRUE" {size}></TD></TR>'
    width, height = box.label
    if width:
        rows += f'<TR><TD FIXEDSIZE="TRUE" WIDTH="{width:.0f}" HEIGHT="{height + 4:.0f}"></TD></TR>'
    return f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="0">{rows}</TABLE>>'


def _cell(width: float, height: float) -> str:
    size = f'WIDTH="{width:.0f}" HEIGHT="{height:.0f}"'
    table = '<TABLE BORDER="0" CELLSPACING="0" CELLPADDING="0">'
    return f'<{table}<TR><TD FIXEDSIZE="TRUE" {size}></TD></TR></TABLE>>'


def own(band: Band) -> Band | None:
    """The part of a lane holding its own nodes when it also has child lanes (else None).

    Drawn as a sibling of the child lanes, so that it is stacked with them like a lane.
    """
    if band.boxes and band.bands:
        return Band(f"{band.id}#own", "", "own", boxes=band.boxes)
    return None


def parts(band: Band) -> list[Band]:
    """The bands stacked inside ``band``: its own part first, then its child lanes."""
    part = own(band)
    return ([part] if part else []) + band.bands


def _leaves(bands: list[Band]) -> list[Band]:
    found: list[Band] = []
    for band in bands:
        found += _leaves(parts(band)) if band.bands else [band]
    return found


def source(scene: Scene, names: dict[str, str]) -> str:
    """The dot text for a scene; ``names`` gets the dot name of every box, band and line."""
    out = [
        "digraph G {",
        "graph [rankdir=LR, splines=polyline, nodesep=0.3, ranksep=0.45, newrank=true];",
        'node [shape=box, fixedsize=true, label="", margin=0];',
        "edge [arrowhead=none];",
    ]
    for number, box in enumerate(scene.boxes.values()):
        names[box.id] = f"n{number}"
    heads = {band.id: f"h{i}" for i, band in enumerate(_leaves(scene.bands))}
    names.update({f"head:{k}": v for k, v in heads.items()})

    def cluster(band: Band) -> None:
        names[f"band:{band.id}"] = f"cluster_{len([n for n in names if n.startswith('band:')])}"
        out.append(f"subgraph {names[f'band:{band.id}']} {{ margin=12;")
        if band.id in heads:
            out.append(
                f"{heads[band.id]} [width=0.01, height={LANE_MIN / POINTS:.3f}, style=invis];"
            )
        if not band.bands:
            out.extend(_node(scene.boxes[b], names) for b in band.boxes if b in scene.boxes)
        for child in parts(band) if band.bands else []:
            cluster(child)
        out.append("}")

    for band in scene.bands:
        cluster(band)
    out.extend(_node(scene.boxes[b], names) for b in scene.loose if b in scene.boxes)
    if len(heads) > 1:
        # One invisible head per lane in one rank, chained by flat edges: that stacks the
        # lanes as bands, in file order (a flat edge puts its tail first, and with
        # rankdir=LR "first" is at the bottom, hence the reversed chain).
        out.append(f"{{rank=same; {'; '.join(heads.values())};}}")
        out.append(" -> ".join(reversed(heads.values())) + " [style=invis];")
        # A head left on its own upsets dot's routing of back edges (they cut through
        # nodes); tied to the first node of its lane it does not.
        for band in _leaves(scene.bands):
            first = next((b for b in band.boxes if b in scene.boxes), None)
            if first is not None:
                out.append(f"{heads[band.id]} -> {_end(scene, first, names, heads)} [style=invis];")
    for number, line in enumerate(scene.lines):
        tail = _end(scene, line.source, names, heads)
        head = _end(scene, line.target, names, heads)
        if tail is None or head is None:
            continue
        names[f"line:{line.id}"] = f"e{number}"
        attrs = [f'id="e{number}"']
        if line.source in scene.hosts:
            attrs.append("tailport=s")
        if line.kind == "message":
            attrs.append("constraint=false")
        elif line.kind == "sequence":
            attrs.append("weight=2")
        if line.label[0]:
            attrs.append(f"label={_cell(*line.label)}")
        out.append(f"{tail} -> {head} [{', '.join(attrs)}];")
    out.append("}")
    return "\n".join(out)


def _node(box: Box, names: dict[str, str]) -> str:
    if box.outside:
        return f"{names[box.id]} [shape=plain, fixedsize=false, label={_table(box)}];"
    width, height = (box.width + 2 * PAD) / POINTS, (box.height + 2 * PAD) / POINTS
    return f"{names[box.id]} [width={width:.3f}, height={height:.3f}];"


def _end(scene: Scene, ident: str, names: dict[str, str], heads: dict[str, str]) -> str | None:
    ident = scene.hosts.get(ident, ident)
    if ident in heads:
        return heads[ident]  # a message flow to a pool without a process
    if ident not in names:
        return None
    return f"{names[ident]}:p" if scene.boxes[ident].outside else names[ident]


def run(text: str) -> Raw:
    """Run ``dot`` and read back node boxes, cluster boxes and edge routes."""
    answer: dict[str, Any] = json.loads(graphviz.Source(text).pipe(format="json0"))
    height = float(answer["bb"].split(",")[3])
    raw = Raw(height)
    by_gvid: dict[int, str] = {}
    for item in answer.get("objects", []):
        if "bb" in item and item["name"].startswith("cluster_"):
            x0, y0, x1, y1 = (float(v) for v in item["bb"].split(","))
            raw.clusters[item["name"]] = (x0, height - y1, x1 - x0, y1 - y0)
        elif "pos" in item:
            x, y = (float(v) for v in item["pos"].split(","))
            w, h = float(item["width"]) * POINTS, float(item["height"]) * POINTS
            raw.nodes[item["name"]] = (x, height - y, w, h)
            by_gvid[item["_gvid"]] = item["name"]
    for edge in answer.get("edges", []):
        if "pos" not in edge or "id" not in edge:
            continue
        points = _points(edge["pos"], height)
        label = None
        if "lp" in edge:
            lx, ly = (float(v) for v in edge["lp"].split(","))
            label = (lx, height - ly)
        tail = raw.nodes.get(by_gvid.get(edge["tail"], ""))
        if tail and _far(points[0], tail) > _far(points[-1], tail):
            points.reverse()
        raw.edges[edge["id"]] = (points, label)
    return raw


def upright(raw: Raw, scene: Scene, names: dict[str, str]) -> None:
    """Mirror the drawing top to bottom when dot stacked the lanes last to first.

    The flat edges between lane heads fix their order, but dot may lay that order out
    bottom-up; a mirror image keeps every property of the layout and reads in file order.
    """
    ys = [raw.nodes[names[f"head:{b.id}"]][1] for b in _leaves(scene.bands)]
    if len(ys) < 2 or ys == sorted(ys):
        return
    height = raw.height
    raw.nodes = {k: (x, height - y, w, h) for k, (x, y, w, h) in raw.nodes.items()}
    raw.clusters = {k: (x, height - y - h, w, h) for k, (x, y, w, h) in raw.clusters.items()}
    raw.edges = {
        k: ([(x, height - y) for x, y in points], None if lp is None else (lp[0], height - lp[1]))
        for k, (points, lp) in raw.edges.items()
    }


def _far(point: tuple[float, float], node: tuple[float, float, float, float]) -> float:
    return abs(point[0] - node[0]) + abs(point[1] - node[1])


def _points(pos: str, height: float) -> list[tuple[float, float]]:
    start: tuple[float, float] | None = None
    end: tuple[float, float] | None = None
    spline: list[tuple[float, float]] = []
    for part in pos.split(";")[0].split():
        fields = part.split(",")
        if fields[0] in ("s", "e"):
            point = (float(fields[1]), height - float(fields[2]))
            start, end = (point, end) if fields[0] == "s" else (start, point)
        else:
            spline.append((float(fields[0]), height - float(fields[1])))
    corners = spline[::3] if len(spline) >= 4 else spline
    return [p for p in (start, *corners, end) if p is not None]
