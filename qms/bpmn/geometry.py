"""Checks on a drawing: edges that cut through shapes, labels that overlap."""

from __future__ import annotations

from itertools import pairwise

from qms.bpmn.model import Bounds, Diagram

_INSET = 1.0


def _inside(x: float, y: float, box: Bounds) -> bool:
    return box.x < x < box.x + box.width and box.y < y < box.y + box.height


def cuts(a: tuple[float, float], b: tuple[float, float], box: Bounds) -> bool:
    """Whether segment a–b passes through the inside of ``box`` (Liang–Barsky clipping)."""
    inner = Bounds(box.x + _INSET, box.y + _INSET, box.width - 2 * _INSET, box.height - 2 * _INSET)
    dx, dy = b[0] - a[0], b[1] - a[1]
    low, high = 0.0, 1.0
    for p, q in (
        (-dx, a[0] - inner.x),
        (dx, inner.x + inner.width - a[0]),
        (-dy, a[1] - inner.y),
        (dy, inner.y + inner.height - a[1]),
    ):
        if p == 0:
            if q < 0:
                return False
            continue
        t = q / p
        if p < 0:
            low = max(low, t)
        else:
            high = min(high, t)
        if low > high:
            return False
    return True


def crossings(diagram: Diagram, frames: set[str]) -> list[tuple[str, str]]:
    """(edge, shape) pairs where an edge cuts a shape other than its own ends.

    ``frames`` are the ids of pools and lanes, which edges cross by design.
    """
    shapes = [s for s in diagram.shapes if s.element not in frames]
    ends: dict[str, set[str]] = {}
    found = []
    for edge in diagram.edges:
        own = ends.setdefault(edge.element, set())
        first, last = edge.waypoints[0], edge.waypoints[-1]
        own.update(s.element for s in shapes if _near(first, s.bounds) or _near(last, s.bounds))
        for shape in shapes:
            if shape.element in own:
                continue
            pairs = pairwise(edge.waypoints)
            if any(cuts(a, b, shape.bounds) for a, b in pairs):
                found.append((edge.element, shape.element))
    return found


def _near(point: tuple[float, float], box: Bounds, slack: float = 3.0) -> bool:
    grown = Bounds(box.x - slack, box.y - slack, box.width + 2 * slack, box.height + 2 * slack)
    return _inside(point[0], point[1], grown)


def overlap(a: Bounds, b: Bounds) -> bool:
    """Whether two rectangles share inner points."""
    return (
        a.x < b.x + b.width
        and b.x < a.x + a.width
        and a.y < b.y + b.height
        and b.y < a.y + a.height
    )


def label_overlaps(diagram: Diagram, frames: set[str]) -> list[tuple[str, str]]:
    """Pairs of labels, or a label and a shape, that overlap."""
    labels = [(s.element, s.label.bounds) for s in diagram.shapes if s.label and s.label.bounds]
    labels += [(e.element, e.label.bounds) for e in diagram.edges if e.label and e.label.bounds]
    boxes = [(s.element, s.bounds) for s in diagram.shapes if s.element not in frames]
    found = []
    for index, (owner, box) in enumerate(labels):
        for other, second in labels[index + 1 :]:
            if overlap(box, second):
                found.append((owner, other))
        for other, second in boxes:
            if other != owner and overlap(box, second):
                found.append((owner, other))
    return found
