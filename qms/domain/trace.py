"""Tracing a deviation or a risk to the goals it endangers.

The walk follows only the hops below, so a trace reads as a sentence: the avvikelse
*affects* an activity, which *belongs to* a process, which *contributes to* a goal, which
*breaks down* a goal higher up the ILS chain.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from qms.domain.labels import Label, Rel
from qms.domain.views import NodeRef, Step, TracePath

#: For each label, the hops a trace may take from it: (relationship, inverse?).
TRACE_HOPS: dict[Label, tuple[Step, ...]] = {
    Label.DEVIATION: (Step(Rel.AFFECTS, False), Step(Rel.REALISES, False)),
    Label.RISK: (Step(Rel.THREATENS, False),),
    Label.ACTIVITY: (Step(Rel.CONTRIBUTES_TO, False), Step(Rel.HAS_ACTIVITY, True)),
    Label.PROCESS: (Step(Rel.CONTRIBUTES_TO, False), Step(Rel.SUBPROCESS_OF, False)),
    Label.GOAL: (Step(Rel.BREAKS_DOWN, False),),
}
TRACE_START = (Label.DEVIATION, Label.RISK)
MAX_DEPTH = 16

#: Given a label and ids of that label, the neighbours reached by the label's hops:
#: (from id, step, neighbour).
Expand = Callable[[Label, list[str]], Iterable[tuple[str, Step, NodeRef]]]


def trace(start: NodeRef, expand: Expand) -> list[TracePath]:
    """Breadth-first walk from ``start``; the shortest path to each goal reached."""
    paths: dict[str, TracePath] = {start.id: TracePath((start,))}
    frontier = [start]
    for _ in range(MAX_DEPTH):
        by_label: dict[Label, list[str]] = {}
        for node in frontier:
            by_label.setdefault(node.label, []).append(node.id)
        frontier = []
        for label, ids in sorted(by_label.items()):
            for source, step, node in sorted(expand(label, ids), key=_order):
                if node.id in paths:
                    continue
                base = paths[source]
                paths[node.id] = TracePath(base.nodes + (node,), base.steps + (step,))
                frontier.append(node)
        if not frontier:
            break
    goals = [p for p in paths.values() if p.goal.label is Label.GOAL]
    return sorted(goals, key=lambda p: (len(p.nodes), p.goal.id))


def _order(hop: tuple[str, Step, NodeRef]) -> tuple[str, str, str]:
    source, step, node = hop
    return (source, step.rel.value, node.id)
