"""Edge routes in the BPMN manner: orthogonal where that cuts nothing, dot's route otherwise.

dot's polyline router keeps to its corridors but may shave the corner of a shape beside
them; every route is checked against every shape and the first clean candidate wins.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from itertools import pairwise

from qms.bpmn.geometry import cuts
from qms.bpmn.model import Bounds

Point = tuple[float, float]


class Obstacles:
    """Shapes and labels sorted by x, so a route is checked only against those near it."""

    def __init__(self, frames: list[Bounds]) -> None:
        self.frames = sorted(frames, key=lambda f: f.x)
        self.xs = [f.x for f in self.frames]
        self.widest = max((f.width for f in self.frames), default=0.0)

    def around(self, points: list[Point], skip: list[Bounds]) -> list[Bounds]:
        """The frames overlapping the box around ``points``, except ``skip`` (by identity)."""
        x0, x1 = min(x for x, _ in points), max(x for x, _ in points)
        y0, y1 = min(y for _, y in points), max(y for _, y in points)
        low = bisect_left(self.xs, x0 - self.widest)
        high = bisect_right(self.xs, x1)
        return [
            f
            for f in self.frames[low:high]
            if f.x < x1
            and x0 < f.x + f.width
            and f.y < y1
            and y0 < f.y + f.height
            and not any(f is s for s in skip)
        ]

    def count(self, points: list[Point], skip: list[Bounds]) -> int:
        """How many (segment, frame) cuts a route makes."""
        near = self.around(points, skip)
        return sum(cuts(a, b, box) for a, b in pairwise(points) for box in near)


def _centre(frame: Bounds) -> Point:
    return frame.x + frame.width / 2, frame.y + frame.height / 2


def orthogonal(source: Bounds, target: Bounds, kind: str = "") -> list[list[Point]]:
    """Right side out, left side in, bending half-way. A branch may also leave a gateway by
    the corner facing it, and a flow from a boundary event goes straight down first."""
    sx, sy = _centre(source)
    tx, ty = _centre(target)
    below = source.y + source.height
    if kind == "boundary":
        return [[(sx, below), (sx, ty), (target.x, ty)]] if ty > below and tx > sx else []
    found = []
    if (
        kind == "gateway"
        and target.x >= source.x + source.width
        and abs(ty - sy) > source.height / 2
    ):
        found.append([(sx, below if ty > sy else source.y), (sx, ty), (target.x, ty)])
    if target.x >= source.x + source.width:
        start, end = (source.x + source.width, sy), (target.x, ty)
    elif target.x + target.width <= source.x:
        start, end = (source.x, sy), (target.x + target.width, ty)
    else:
        down = ty > sy
        start = (sx, below if down else source.y)
        end = (tx, target.y if down else target.y + target.height)
        middle = (start[1] + end[1]) / 2
        return [*found, [start, (sx, middle), (tx, middle), end]]
    if abs(start[1] - end[1]) < 1:
        return [*found, [start, (end[0], start[1])]]
    if target.height > 60 and target.y + 10 < start[1] < target.y + target.height - 10:
        found.append([start, (end[0], start[1])])  # into the side of a task: stay straight
    middle = (start[0] + end[0]) / 2
    return [*found, [start, (middle, start[1]), (middle, end[1]), end]]


def _repair(points: list[Point], obstacles: Obstacles, skip: list[Bounds]) -> list[Point]:
    """Replace each segment that cuts a shape by the first elbow around it that does not."""
    result = [points[0]]
    for a, b in pairwise(points):
        if obstacles.count([a, b], skip):
            middle = (a[0] + b[0]) / 2
            for detour in ([(middle, a[1]), (middle, b[1])], [(b[0], a[1])], [(a[0], b[1])]):
                if not obstacles.count([a, *detour, b], skip):
                    result += detour
                    break
        result.append(b)
    return result


def _around(source: Bounds, target: Bounds) -> list[list[Point]]:
    """Back edges: out of the bottom (or top), along below (or above), into the target."""
    sx, tx = _centre(source)[0], _centre(target)[0]
    low = max(source.y + source.height, target.y + target.height)
    high = min(source.y, target.y)
    found = []
    for step in range(6):
        y = low + 18 + 30 * step
        found.append(
            [(sx, source.y + source.height), (sx, y), (tx, y), (tx, target.y + target.height)]
        )
        y = high - 18 - 30 * step
        found.append([(sx, source.y), (sx, y), (tx, y), (tx, target.y)])
    return found


def route(
    points: list[Point],
    source: Bounds | None,
    target: Bounds | None,
    obstacles: Obstacles,
    skip: list[Bounds],
    kind: str = "",
) -> list[Point]:
    """The first route that cuts nothing (or the one cutting least): orthogonal, dot's own,
    dot's with elbows, into the target through the channel before it, around the others."""
    candidates = []
    if source is not None and target is not None:
        candidates += orthogonal(source, target, kind)
    candidates += [points, _repair(points, obstacles, skip)]
    forward = target is not None and points[0][0] < target.x
    if target is not None and forward and len(points) > 2 and points[-2][0] < target.x - 12:
        # Keep dot's route to the last bend, then drop into the target's left side through
        # the free channel in front of its column.
        x, y = target.x - 12, target.y + target.height / 2
        candidates.append([*points[:-1], (x, points[-2][1]), (x, y), (target.x, y)])
    if source is not None and target is not None and not forward:
        candidates += _around(source, target)
    best, fewest = candidates[0], obstacles.count(candidates[0], skip)
    for candidate in candidates[1:]:
        if fewest == 0:
            break
        cut = obstacles.count(candidate, skip)
        if cut < fewest:
            best, fewest = candidate, cut
    return best
