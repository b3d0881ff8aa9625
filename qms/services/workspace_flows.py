"""The flow of a process as an ordered list: read from ``FLOWS_TO`` links, written back.

The list editor keeps three things: the order of the activities, the *branches* of each
decision point, and any *explicit* next step an activity was given (or was drawn with in the
modeler). Everything else is implicit: an activity flows to the one after it in the list; an
end event flows nowhere; an activity that a decision point branches to skips over its sibling
branches, so the branches meet again at the first activity after them.

Reading a drawn process gives the same three things back: the order is the flow itself
(topological, the stored position breaking ties and loops), and a flow is explicit only where
the implicit rule would not have made it.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from qms.domain.entities import Activity
from qms.domain.graph import Link
from qms.domain.kinds import ActivityType
from qms.domain.labels import Rel


@dataclass(frozen=True)
class Branch:
    """One way out of an activity: where it leads, and its name and condition."""

    to: str
    name: str = ""
    condition: str = ""
    is_default: bool = False

    @property
    def labelled(self) -> bool:
        """Whether the flow carries a name, a condition or the default mark."""
        return bool(self.name or self.condition or self.is_default)

    def link(self, source: str) -> Link:
        """The ``FLOWS_TO`` link of this branch."""
        props = {"name": self.name, "condition": self.condition, "is_default": self.is_default}
        return Link(Rel.FLOWS_TO, source, self.to, props)


def is_decision(activity: Activity) -> bool:
    """Whether the activity is a gateway (a decision point)."""
    return activity.node_type.endswith("gateway")


def branch_of(link: Link) -> Branch:
    """A stored flow as a branch."""
    props = link.props
    return Branch(
        link.target,
        str(props.get("name") or ""),
        str(props.get("condition") or ""),
        bool(props.get("is_default")),
    )


def flow_order(activities: Iterable[Activity], flows: Iterable[Link]) -> list[Activity]:
    """Activities in the order of the flow; position breaks ties and cycles."""
    nodes = {a.id: a for a in activities}
    key = {a.id: (a.position, a.id) for a in nodes.values()}
    incoming = dict.fromkeys(nodes, 0)
    out: dict[str, list[str]] = {}
    for link in flows:
        if link.source in nodes and link.target in nodes and link.source != link.target:
            out.setdefault(link.source, []).append(link.target)
            incoming[link.target] += 1
    ready = [(key[i], i) for i, n in incoming.items() if n == 0]
    heapq.heapify(ready)
    done: list[Activity] = []
    placed: set[str] = set()
    while len(done) < len(nodes):
        if not ready:  # a loop: take the earliest remaining activity
            first = min((i for i in nodes if i not in placed), key=key.__getitem__)
            heapq.heappush(ready, (key[first], first))
        _, current = heapq.heappop(ready)
        if current in placed:
            continue
        placed.add(current)
        done.append(nodes[current])
        for target in out.get(current, ()):
            incoming[target] -= 1
            if incoming[target] == 0 and target not in placed:
                heapq.heappush(ready, (key[target], target))
    return done


def implicit_next(
    order: Sequence[Activity], decisions: Mapping[str, Sequence[Branch]]
) -> dict[str, str]:
    """Where each activity flows when nothing says otherwise (end events: nowhere)."""
    parents: dict[str, set[str]] = {}
    for gateway, branches in decisions.items():
        for branch in branches:
            parents.setdefault(branch.to, set()).add(gateway)
    result: dict[str, str] = {}
    for index, activity in enumerate(order):
        if activity.node_type is ActivityType.END_EVENT:
            continue
        mine = parents.get(activity.id, set())
        following = index + 1
        while following < len(order) and mine & parents.get(order[following].id, set()):
            following += 1
        if following < len(order):
            result[activity.id] = order[following].id
    return result


def routes_of(order: Sequence[Activity], flows: Iterable[Link]) -> dict[str, tuple[Branch, ...]]:
    """The explicit ways out of each activity: decision branches and any drawn jump."""
    place = {a.id: index for index, a in enumerate(order)}
    leaving: dict[str, list[Branch]] = {}
    for link in sorted(flows, key=lambda lk: place.get(lk.target, -1)):
        if link.source in place and link.target in place:
            leaving.setdefault(link.source, []).append(branch_of(link))
    decisions = {
        a.id: tuple(leaving[a.id])
        for a in order
        if is_decision(a)
        and a.id in leaving
        and (len(leaving[a.id]) > 1 or any(b.labelled for b in leaving[a.id]))
    }
    implicit = implicit_next(order, decisions)
    routes = dict(decisions)
    for activity in order:
        found = leaving.get(activity.id, [])
        if activity.id in routes or not found:
            continue
        if len(found) > 1 or found[0].labelled or found[0].to != implicit.get(activity.id):
            routes[activity.id] = tuple(found)
    return routes


def flows_for(order: Sequence[Activity], routes: Mapping[str, Sequence[Branch]]) -> list[Link]:
    """The ``FLOWS_TO`` links of a list: explicit routes, else the implicit next step."""
    ids = {a.id for a in order}
    kept = {k: [b for b in v if b.to in ids] for k, v in routes.items() if k in ids}
    kept = {k: v for k, v in kept.items() if v}
    decisions = {a.id: kept[a.id] for a in order if a.id in kept and is_decision(a)}
    implicit = implicit_next(order, decisions)
    links: list[Link] = []
    for activity in order:
        if activity.id in kept:
            links += [b.link(activity.id) for b in kept[activity.id]]
        elif activity.id in implicit:
            links.append(Branch(implicit[activity.id]).link(activity.id))
    return links
