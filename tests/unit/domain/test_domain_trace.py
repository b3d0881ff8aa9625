"""Tracing a deviation or a risk to the goals it endangers, on an in-memory graph."""

import pytest

from qms.domain.graph import REL_TYPES
from qms.domain.labels import Label, Rel
from qms.domain.trace import MAX_DEPTH, TRACE_HOPS, TRACE_START, trace
from qms.domain.views import NodeRef, Step, TracePath

D, R, A, P, G = Label.DEVIATION, Label.RISK, Label.ACTIVITY, Label.PROCESS, Label.GOAL
Edge = tuple[str, Rel, str]


class Graph:
    """An adjacency list; ``expand`` follows a label's TRACE_HOPS as a store adapter does."""

    def __init__(self, nodes: dict[str, Label], edges: list[Edge]) -> None:
        self.nodes = nodes
        self.edges = edges
        self.calls: list[tuple[Label, list[str]]] = []

    def ref(self, node_id: str) -> NodeRef:
        return NodeRef(self.nodes[node_id], node_id, node_id.upper())

    def expand(self, label: Label, ids: list[str]) -> list[tuple[str, Step, NodeRef]]:
        self.calls.append((label, list(ids)))
        hops = []
        for step in TRACE_HOPS.get(label, ()):
            for source, rel, target in self.edges:
                here, there = (target, source) if step.inverse else (source, target)
                if rel is step.rel and here in ids and self.nodes[here] is label:
                    hops.append((here, step, self.ref(there)))
        return hops

    def trace(self, start: str) -> list[TracePath]:
        return trace(self.ref(start), self.expand)


def ids(path: TracePath) -> list[str]:
    return [node.id for node in path.nodes]


def test_a_deviation_reaches_goals_through_activity_process_and_goal_chain() -> None:
    graph = Graph(
        {"d": D, "a": A, "p": P, "g-unit": G, "g-nmd": G},
        [
            ("d", Rel.AFFECTS, "a"),
            ("p", Rel.HAS_ACTIVITY, "a"),
            ("p", Rel.CONTRIBUTES_TO, "g-unit"),
            ("g-unit", Rel.BREAKS_DOWN, "g-nmd"),
        ],
    )
    paths = graph.trace("d")
    assert [ids(p) for p in paths] == [
        ["d", "a", "p", "g-unit"],
        ["d", "a", "p", "g-unit", "g-nmd"],
    ]
    assert paths[1].steps == (
        Step(Rel.AFFECTS, False),
        Step(Rel.HAS_ACTIVITY, True),
        Step(Rel.CONTRIBUTES_TO, False),
        Step(Rel.BREAKS_DOWN, False),
    )
    assert paths[1].goal == NodeRef(G, "g-nmd", "G-NMD")


def test_the_shortest_path_to_each_goal_is_kept() -> None:
    graph = Graph(
        {"d": D, "a": A, "p": P, "g": G},
        [
            ("d", Rel.AFFECTS, "a"),
            ("p", Rel.HAS_ACTIVITY, "a"),
            ("p", Rel.CONTRIBUTES_TO, "g"),
            ("a", Rel.CONTRIBUTES_TO, "g"),
        ],
    )
    assert [ids(p) for p in graph.trace("d")] == [["d", "a", "g"]]


def test_a_goal_reached_two_ways_is_listed_once() -> None:
    graph = Graph(
        {"rk": R, "a": A, "p": P, "g-low": G, "g-top": G},
        [
            ("rk", Rel.THREATENS, "a"),
            ("rk", Rel.THREATENS, "p"),
            ("a", Rel.CONTRIBUTES_TO, "g-low"),
            ("p", Rel.CONTRIBUTES_TO, "g-low"),
            ("g-low", Rel.BREAKS_DOWN, "g-top"),
            ("p", Rel.CONTRIBUTES_TO, "g-top"),
        ],
    )
    paths = graph.trace("rk")
    assert [p.goal.id for p in paths] == ["g-low", "g-top"]
    assert [ids(p) for p in paths] == [["rk", "a", "g-low"], ["rk", "p", "g-top"]]


def test_paths_are_ordered_by_length_then_goal_id() -> None:
    graph = Graph(
        {"rk": R, "p": P, "g-b": G, "g-a": G, "g-z": G, "g-c": G},
        [
            ("rk", Rel.THREATENS, "g-z"),
            ("rk", Rel.THREATENS, "p"),
            ("p", Rel.CONTRIBUTES_TO, "g-b"),
            ("p", Rel.CONTRIBUTES_TO, "g-a"),
            ("rk", Rel.THREATENS, "g-c"),
        ],
    )
    assert [p.goal.id for p in graph.trace("rk")] == ["g-c", "g-z", "g-a", "g-b"]


def test_a_subprocess_leads_to_the_goals_of_its_parent() -> None:
    graph = Graph(
        {"d": D, "a": A, "p-sub": P, "p-main": P, "g": G},
        [
            ("d", Rel.AFFECTS, "a"),
            ("p-sub", Rel.HAS_ACTIVITY, "a"),
            ("p-sub", Rel.SUBPROCESS_OF, "p-main"),
            ("p-main", Rel.CONTRIBUTES_TO, "g"),
        ],
    )
    assert [ids(p) for p in graph.trace("d")] == [["d", "a", "p-sub", "p-main", "g"]]


def test_a_deviation_that_realises_a_risk_reaches_what_the_risk_threatens() -> None:
    graph = Graph(
        {"d": D, "rk": R, "g": G}, [("d", Rel.REALISES, "rk"), ("rk", Rel.THREATENS, "g")]
    )
    paths = graph.trace("d")
    assert [ids(p) for p in paths] == [["d", "rk", "g"]]
    assert paths[0].steps == (Step(Rel.REALISES, False), Step(Rel.THREATENS, False))


def test_the_goal_chain_is_followed_upwards_only() -> None:
    graph = Graph(
        {"rk": R, "g-low": G, "g-mid": G, "g-top": G},
        [
            ("rk", Rel.THREATENS, "g-mid"),
            ("g-low", Rel.BREAKS_DOWN, "g-mid"),
            ("g-mid", Rel.BREAKS_DOWN, "g-top"),
        ],
    )
    assert [p.goal.id for p in graph.trace("rk")] == ["g-mid", "g-top"]


def test_links_outside_the_trace_hops_are_not_followed() -> None:
    graph = Graph(
        {
            "d": D,
            "a": A,
            "a-other": A,
            "p": P,
            "p-child": P,
            "rk": R,
            "role": Label.ROLE,
            "doc": Label.DOCUMENT,
            "g-other": G,
            "g-child": G,
            "g-risk": G,
            "si": Label.SELF_INSPECTION,
        },
        [
            ("d", Rel.AFFECTS, "p"),
            ("p", Rel.HAS_ACTIVITY, "a-other"),  # down into activities: not a trace hop
            ("a-other", Rel.CONTRIBUTES_TO, "g-other"),
            ("p-child", Rel.SUBPROCESS_OF, "p"),  # down into subprocesses: not a trace hop
            ("p-child", Rel.CONTRIBUTES_TO, "g-child"),
            ("rk", Rel.THREATENS, "p"),  # a risk on the process: the inverse is not a hop
            ("rk", Rel.THREATENS, "g-risk"),
            ("p", Rel.OWNED_BY, "role"),
            ("p", Rel.GOVERNED_BY, "doc"),
            ("si", Rel.CHECKS, "p"),
        ],
    )
    assert graph.trace("d") == []


def test_a_start_that_reaches_no_goal_gives_no_paths() -> None:
    graph = Graph({"d": D, "a": A}, [("d", Rel.AFFECTS, "a")])
    assert graph.trace("d") == []


def _goal_chain(length: int) -> Graph:
    """A risk threatening g00, which breaks down g01, …: goal gNN is NN + 1 hops away."""
    nodes = {"rk": R} | {f"g{i:02d}": G for i in range(length)}
    edges: list[Edge] = [("rk", Rel.THREATENS, "g00")]
    edges += [(f"g{i:02d}", Rel.BREAKS_DOWN, f"g{i + 1:02d}") for i in range(length - 1)]
    return Graph(nodes, edges)


def test_the_walk_stops_at_max_depth() -> None:
    paths = _goal_chain(MAX_DEPTH + 3).trace("rk")
    assert len(paths) == MAX_DEPTH
    assert max(len(p.steps) for p in paths) == MAX_DEPTH
    assert paths[-1].goal.id == f"g{MAX_DEPTH - 1:02d}"


def test_a_goal_exactly_max_depth_hops_away_is_reached() -> None:
    paths = _goal_chain(MAX_DEPTH).trace("rk")
    assert [p.goal.id for p in paths] == [f"g{i:02d}" for i in range(MAX_DEPTH)]


def test_a_cycle_ends_and_every_node_is_expanded_once() -> None:
    graph = Graph(
        {"d": D, "p1": P, "p2": P, "g": G, "g2": G},
        [
            ("d", Rel.AFFECTS, "p1"),
            ("p1", Rel.SUBPROCESS_OF, "p2"),
            ("p2", Rel.SUBPROCESS_OF, "p1"),
            ("p2", Rel.CONTRIBUTES_TO, "g"),
            ("g", Rel.BREAKS_DOWN, "g2"),
            ("g2", Rel.BREAKS_DOWN, "g"),
        ],
    )
    assert [ids(p) for p in graph.trace("d")] == [
        ["d", "p1", "p2", "g"],
        ["d", "p1", "p2", "g", "g2"],
    ]
    expanded = [node_id for _, batch in graph.calls for node_id in batch]
    assert sorted(expanded) == ["d", "g", "g2", "p1", "p2"]


def test_nodes_of_one_label_at_one_depth_are_expanded_together() -> None:
    graph = Graph(
        {"d": D, "a1": A, "a2": A, "g": G},
        [("d", Rel.AFFECTS, "a1"), ("d", Rel.AFFECTS, "a2"), ("a2", Rel.CONTRIBUTES_TO, "g")],
    )
    graph.trace("d")
    assert graph.calls[:2] == [(D, ["d"]), (A, ["a1", "a2"])]


def test_ties_are_broken_the_same_way_whatever_order_the_store_answers_in() -> None:
    nodes = {"d": D, "a": A, "rk": R, "p": P, "g": G, "g2": G}
    edges: list[Edge] = [
        ("d", Rel.AFFECTS, "a"),
        ("d", Rel.REALISES, "rk"),
        ("d", Rel.AFFECTS, "p"),
        ("a", Rel.CONTRIBUTES_TO, "g"),
        ("rk", Rel.THREATENS, "g"),
        ("p", Rel.CONTRIBUTES_TO, "g"),
        ("g", Rel.BREAKS_DOWN, "g2"),
    ]
    expected = Graph(nodes, edges).trace("d")
    for turn in range(len(edges)):
        rotated = edges[turn:] + edges[:turn]
        assert Graph(nodes, rotated).trace("d") == expected
        assert Graph(nodes, rotated[::-1]).trace("d") == expected
    assert [len(p.nodes) for p in expected] == [3, 4]


@pytest.mark.parametrize(
    ("label", "step"), [(label, step) for label, steps in TRACE_HOPS.items() for step in steps]
)
def test_every_trace_hop_is_a_relationship_the_label_can_have(label: Label, step: Step) -> None:
    pairs = REL_TYPES[step.rel].pairs
    ends = (
        [target for source, target in pairs if source is label]
        if not step.inverse
        else [source for source, target in pairs if target is label]
    )
    assert ends


def test_traces_start_from_deviations_and_risks() -> None:
    assert set(TRACE_START) == {D, R}
    assert all(label in TRACE_HOPS for label in TRACE_START)
