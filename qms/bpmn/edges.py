"""Edges of a laid-out scene: routes that cut no shape and labels put beside them."""

from __future__ import annotations

import math
from itertools import pairwise

from qms.bpmn.dot import Raw
from qms.bpmn.geometry import overlap
from qms.bpmn.model import Bounds, DiagramLabel, Edge
from qms.bpmn.route import Obstacles, route
from qms.bpmn.scene import Scene

Point = tuple[float, float]


def snap(toward: Point, frame: Bounds, kind: str) -> Point:
    """Where the line from ``toward`` to the centre of a shape meets its outline."""
    cx, cy = frame.x + frame.width / 2, frame.y + frame.height / 2
    dx, dy = toward[0] - cx, toward[1] - cy
    length = math.hypot(dx, dy) or 1.0
    ux, uy = dx / length, dy / length
    half_w, half_h = frame.width / 2, frame.height / 2
    if kind == "event":
        t = half_w
    elif kind == "gateway":
        t = 1 / (abs(ux) / half_w + abs(uy) / half_h or 1)
    else:
        t = min(half_w / abs(ux) if ux else math.inf, half_h / abs(uy) if uy else math.inf)
    return cx + ux * t, cy + uy * t


def edges(
    scene: Scene, raw: Raw, names: dict[str, str], boxes: dict[str, Bounds], labels: list[Bounds]
) -> list[Edge]:
    """Every line of the scene that dot routed, rerouted where needed, with its label."""
    found = []
    taken = list(labels)
    obstacles = Obstacles(list(boxes.values()) + labels)
    for line in scene.lines:
        answer = raw.edges.get(names.get(f"line:{line.id}", ""))
        if answer is None or len(answer[0]) < 2:
            continue
        points, centre = list(answer[0]), answer[1]
        if line.source in scene.hosts and line.source in boxes:
            frame = boxes[line.source]
            points[0] = (frame.x + frame.width / 2, frame.y + frame.height)
        for end, other, ident in ((0, 1, line.source), (-1, -2, line.target)):
            if ident in boxes and ident in scene.boxes and ident not in scene.hosts:
                points[end] = snap(points[other], boxes[ident], scene.boxes[ident].kind)
        own = {line.source, line.target, scene.hosts.get(line.source, "")}
        kind = "boundary" if line.source in scene.hosts else _kind(scene, line.source)
        points = route(
            points,
            boxes.get(line.source),
            boxes.get(line.target),
            obstacles,
            [boxes[k] for k in own if k in boxes],
            kind,
        )
        label = None
        if line.label[0]:
            spot = _spot(points, line.label, list(boxes.values()) + taken, centre)
            if spot is not None:
                taken.append(spot)
                label = DiagramLabel(spot)
        found.append(Edge(f"{line.id}_di", line.id, points, label))
    return found


def _kind(scene: Scene, ident: str) -> str:
    box = scene.boxes.get(ident)
    return box.kind if box is not None else ""


def _spot(
    points: list[Point], size: tuple[float, float], taken: list[Bounds], centre: Point | None
) -> Bounds | None:
    """Beside the first segment long enough for the label, else where dot kept room."""
    width, height = size
    for a, b in pairwise(points):
        if abs(a[1] - b[1]) < 1 and abs(b[0] - a[0]) > width + 8:
            x = min(a[0], b[0]) + (abs(b[0] - a[0]) - width) / 2
            candidates = [
                Bounds(x, a[1] - height - 3, width, height),
                Bounds(x, a[1] + 3, width, height),
            ]
        elif abs(a[0] - b[0]) < 1 and abs(b[1] - a[1]) > height + 8:
            y = min(a[1], b[1]) + (abs(b[1] - a[1]) - height) / 2
            candidates = [
                Bounds(a[0] + 4, y, width, height),
                Bounds(a[0] - width - 4, y, width, height),
            ]
        else:
            continue
        for candidate in candidates:
            if not any(overlap(candidate, other) for other in taken):
                return candidate
    if centre is None:
        return None
    return Bounds(centre[0] - width / 2, centre[1] - height / 2, width, height)
