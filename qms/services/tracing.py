"""Tracing an avvikelse or a risk up to the goals: sentences that say why, and a picture."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import graphviz

from qms.domain.entities import Deviation, Goal
from qms.domain.kinds import DeviationKind, GoalLevel
from qms.domain.labels import Label, Rel
from qms.domain.views import NodeRef, Step, TracePath
from qms.services.access import Actor, Permission
from qms.services.app import Qms

#: How a node is named inside a sentence (definite form), by label.
NOUNS: dict[Label, str] = {
    Label.DEVIATION: "avvikelsen",
    Label.RISK: "risken",
    Label.ACTIVITY: "aktiviteten",
    Label.PROCESS: "processen",
    Label.GOAL: "målet",
}
DEVIATION_NOUNS: dict[DeviationKind, str] = {
    DeviationKind.DEVIATION: "avvikelsen",
    DeviationKind.COMPLAINT: "klagomålet",
    DeviationKind.SUGGESTION: "synpunkten",
    DeviationKind.LEX_SARAH: "lex Sarah-rapporten",
    DeviationKind.LEX_MARIA: "lex Maria-händelsen",
}
GOAL_NOUNS: dict[GoalLevel, str] = {
    GoalLevel.DIRECTION: "inriktningsmålet",
    GoalLevel.COUNCIL: "KF-målet",
    GoalLevel.COMMITTEE: "nämndmålet",
    GoalLevel.UNIT: "enhetsmålet",
}
#: The Swedish verb of each hop: (relationship, walked backwards?) → phrase.
VERBS: dict[tuple[Rel, bool], str] = {
    (Rel.AFFECTS, False): "berör",
    (Rel.REALISES, False): "realiserar",
    (Rel.THREATENS, False): "hotar",
    (Rel.HAS_ACTIVITY, True): "ingår i",
    (Rel.CONTRIBUTES_TO, False): "bidrar till",
    (Rel.SUBPROCESS_OF, False): "är en delprocess till",
    (Rel.BREAKS_DOWN, False): "bryter ned",
}
#: The shorter edge label of the picture.
EDGE_LABELS: dict[tuple[Rel, bool], str] = VERBS | {(Rel.SUBPROCESS_OF, False): "delprocess till"}
COLOURS: dict[Label, tuple[str, str]] = {
    Label.DEVIATION: ("#fde2e1", "#b3261e"),
    Label.RISK: ("#fff0d6", "#b35c00"),
    Label.ACTIVITY: ("#e3f0fb", "#1f5f99"),
    Label.PROCESS: ("#dcefe3", "#2e6b3f"),
    Label.GOAL: ("#efe6f7", "#5b3a85"),
}
KIND_NAMES: dict[Label, str] = {
    Label.DEVIATION: "Avvikelse",
    Label.RISK: "Risk",
    Label.ACTIVITY: "Aktivitet",
    Label.PROCESS: "Process",
    Label.GOAL: "Mål",
}
GOAL_NAMES: dict[GoalLevel, str] = {
    GoalLevel.DIRECTION: "Inriktningsmål",
    GoalLevel.COUNCIL: "KF-mål",
    GoalLevel.COMMITTEE: "Nämndmål",
    GoalLevel.UNIT: "Enhetsmål",
}


@dataclass(frozen=True)
class Hop:
    """One edge of the picture: ``source`` to ``target`` (in reading order) and its verb."""

    source: str
    target: str
    step: Step


@dataclass(frozen=True)
class Trace:
    """A traced avvikelse or risk: its routes to the top of the goal chain, as sentences."""

    start: NodeRef
    routes: tuple[tuple[tuple[NodeRef, ...], tuple[Step, ...]], ...]
    sentences: tuple[str, ...]
    nodes: dict[str, NodeRef]
    hops: tuple[Hop, ...]
    goal_levels: dict[str, GoalLevel]

    @property
    def goals(self) -> tuple[NodeRef, ...]:
        """Every goal reached, top of the chain first."""
        order = list(GoalLevel)
        found = [n for n in self.nodes.values() if n.label is Label.GOAL]
        return tuple(sorted(found, key=lambda n: (order.index(self.goal_levels[n.id]), n.caption)))


def trace(qms: Qms, actor: Actor, label: Label, entity_id: str) -> Trace:
    """Trace from an avvikelse or a risk; an avvikelse's title is hidden without permission."""
    paths = qms.trace(label, entity_id)
    start_entity = qms.store.get(label, entity_id)
    start = NodeRef(label, entity_id, start_entity.caption)
    start_noun = NOUNS[label]
    if isinstance(start_entity, Deviation):
        start_noun = DEVIATION_NOUNS[start_entity.kind]
        if not actor.can(Permission.READ_PERSONAL_DATA):
            start = NodeRef(label, entity_id, entity_id)
    goal_ids = {n.id for p in paths for n in p.nodes if n.label is Label.GOAL}
    goals, parents = _goals(qms, goal_ids)
    routes = _routes(paths, parents, start)
    nodes: dict[str, NodeRef] = {start.id: start}
    hops: dict[tuple[str, str], Hop] = {}
    for route_nodes, steps in routes:
        for i, step in enumerate(steps):
            a, b = route_nodes[i], route_nodes[i + 1]
            nodes.setdefault(b.id, b)
            hops.setdefault((a.id, b.id), Hop(a.id, b.id, step))
    levels = {gid: g.level for gid, g in goals.items()}
    sentences = tuple(_sentence(n, s, start_noun, levels) for n, s in routes)
    return Trace(start, tuple(routes), sentences, nodes, tuple(hops.values()), levels)


def _goals(qms: Qms, ids: set[str]) -> tuple[dict[str, Goal], dict[str, str]]:
    """The goals reached (their levels name them) and the goal each one breaks down."""
    found: dict[str, Goal] = {}
    parents: dict[str, str] = {}
    for goal_id in sorted(ids):
        around = qms.store.neighbourhood(Label.GOAL, goal_id)
        if isinstance(around.entity, Goal):
            found[goal_id] = around.entity
        for parent in around.out(Rel.BREAKS_DOWN):
            parents[goal_id] = parent.id
    return found, parents


def _routes(
    paths: list[TracePath], parents: dict[str, str], start: NodeRef
) -> list[tuple[tuple[NodeRef, ...], tuple[Step, ...]]]:
    """Each path that enters the goal chain, carried on up to its top.

    A trace keeps the shortest path to each goal, so the path to an enhetsmål stops there
    when its nämndmål was reached another way; the sentence still reads to the top.
    """
    by_id = {p.goal.id: p.goal for p in paths}
    routes = []
    for path in paths:
        if len(path.nodes) > 1 and path.nodes[-2].label is Label.GOAL:
            continue  # a goal reached from a goal: part of a longer route
        nodes, steps = [start, *path.nodes[1:]], list(path.steps)
        while (up := parents.get(nodes[-1].id)) is not None and up in by_id:
            nodes.append(by_id[up])
            steps.append(Step(Rel.BREAKS_DOWN, False))
        routes.append((tuple(nodes), tuple(steps)))
    return routes


def _name(node: NodeRef, levels: dict[str, GoalLevel]) -> str:
    if node.label is Label.GOAL and node.id in levels:
        return GOAL_NOUNS[levels[node.id]]
    return NOUNS[node.label]


def _sentence(
    nodes: tuple[NodeRef, ...],
    steps: tuple[Step, ...],
    start_noun: str,
    levels: dict[str, GoalLevel],
) -> str:
    """ "Avvikelsen X berör aktiviteten Y, som ingår i processen Z, som bidrar till …"."""
    text = f"{start_noun[0].upper()}{start_noun[1:]} {_quoted(nodes[0])}"
    for i, step in enumerate(steps):
        verb = VERBS[(step.rel, step.inverse)]
        target = f"{_name(nodes[i + 1], levels)} {_quoted(nodes[i + 1])}"
        text += f" {verb} {target}" if i == 0 else f", som {verb} {target}"
    return text + "."


def _quoted(node: NodeRef) -> str:
    return f"”{node.caption}”"


# -- the picture ------------------------------------------------------------------------
def dot_source(found: Trace, link: Callable[[Label, str], str] | None = None) -> str:
    """The trace as a Graphviz graph: bottom (the avvikelse) to top (the inriktningsmål)."""
    graph = graphviz.Digraph("trace", graph_attr={"rankdir": "BT", "tooltip": "Spårning"})
    graph.attr("graph", fontname="Helvetica", nodesep="0.35", ranksep="0.55", bgcolor="white")
    graph.attr("node", shape="box", style="rounded,filled", fontname="Helvetica", fontsize="11")
    graph.attr("edge", fontname="Helvetica", fontsize="10", color="#555555", fontcolor="#333333")
    names = {node_id: f"n{number}" for number, node_id in enumerate(found.nodes)}
    for node in found.nodes.values():
        fill, line = COLOURS[node.label]
        kind = (
            GOAL_NAMES[found.goal_levels[node.id]]
            if node.label is Label.GOAL and node.id in found.goal_levels
            else KIND_NAMES[node.label]
        )
        attrs = {
            "label": f"{kind}\n{_wrap(node.caption, 30)}",
            "fillcolor": fill,
            "color": line,
            "id": f"spar-{names[node.id]}",
            "tooltip": f"{kind}: {node.caption}",
        }
        if link is not None:
            attrs |= {"href": link(node.label, node.id), "target": "_top"}
        graph.node(names[node.id], **attrs)
    for hop in found.hops:
        graph.edge(
            names[hop.source],
            names[hop.target],
            label=EDGE_LABELS[(hop.step.rel, hop.step.inverse)],
        )
    return str(graph.source)


def svg(found: Trace, link: Callable[[Label, str], str] | None = None) -> str:
    """The picture as SVG text (without the XML declaration, to inline it in a page)."""
    text = bytes(graphviz.Source(dot_source(found, link)).pipe(format="svg")).decode("utf-8")
    return text[text.index("<svg") :]


def png(found: Trace) -> bytes:
    """The picture as PNG bytes."""
    return bytes(graphviz.Source(dot_source(found)).pipe(format="png"))


def _wrap(text: str, width: int) -> str:
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "\n".join(lines[:4]) + ("…" if len(lines) > 4 else "")
