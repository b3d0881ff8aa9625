"""From the model to the quality graph: processes, activities, flows, lanes as roles."""

from __future__ import annotations

from dataclasses import dataclass, field

from qms.bpmn.ids import resolve
from qms.bpmn.kinds import TYPE_OF
from qms.bpmn.model import (
    Container,
    Definitions,
    FlowNode,
    Lane,
    Process,
    SequenceFlow,
    Verbatim,
)
from qms.bpmn.ns import local
from qms.domain.entities import Activity, Role
from qms.domain.errors import InvalidInput
from qms.domain.graph import Link
from qms.domain.labels import Rel


@dataclass(frozen=True)
class ProcessGraph:
    """A process as the graph holds it: activities in order, flows, lanes as roles."""

    process_id: str
    name: str
    activities: tuple[Activity, ...]
    flows: tuple[Link, ...]
    roles: tuple[Role, ...] = ()
    performers: dict[str, str] = field(default_factory=dict)


def text(node: FlowNode | Process) -> str:
    """The documentation of an element as plain text (paragraphs joined)."""
    parts = ["".join(d.itertext()).strip() for d in node.docs]
    return "\n\n".join(p for p in parts if p)


def process_names(model: Definitions) -> dict[str, str]:
    """Each process's name, falling back on the name of the pool that shows it."""
    names = {p.id: p.name or "" for p in model.processes}
    for collaboration in model.collaborations:
        for pool in collaboration.participants:
            if pool.process in names and not names[pool.process] and pool.name:
                names[pool.process] = pool.name
    return names


def chosen(model: Definitions) -> list[Process]:
    """The processes an import takes: those with flow nodes, else the first."""
    return [p for p in model.processes if p.body.nodes] or model.processes[:1]


def to_graph(
    model: Definitions, known: dict[str, str] | None = None, first: str | None = None
) -> list[ProcessGraph]:
    """The processes of a file that hold flow nodes (or its first process if none does);
    the one with XML id ``first`` comes first."""
    known = known or {}
    processes = sorted(chosen(model), key=lambda p: p.id != first)
    if not processes:
        raise InvalidInput("filen innehåller ingen BPMN-process", {"process": ["saknas"]})
    names = process_names(model)
    return [_process(p, names[p.id], known) for p in processes]


def _process(process: Process, name: str, known: dict[str, str]) -> ProcessGraph:
    data = _data_names(process.body)
    activities: list[Activity] = []
    flows: dict[tuple[str, str], Link] = {}
    leaving: dict[str, list[SequenceFlow]] = {}
    for inner in process.body.containers():
        for each in inner.flows:
            leaving.setdefault(each.source, []).append(each)
    for node, _body in process.body.walk():
        ident = resolve(node.id, known)
        inputs, outputs = _data_links(node, data)
        activities.append(
            Activity(
                id=ident,
                name=node.name or "",
                position=len(activities) + 1,
                node_type=TYPE_OF[node.tag],
                description=text(node),
                inputs=inputs,
                outputs=outputs,
            )
        )
        for flow in leaving.get(node.id, ()):
            pair = (ident, resolve(flow.target, known))
            props = {
                "name": flow.name or "",
                "condition": _condition(flow.condition),
                "is_default": node.default == flow.id,
            }
            flows.setdefault(pair, Link(Rel.FLOWS_TO, *pair, props))
    roles, performers = _lanes(process, known)
    return ProcessGraph(
        resolve(process.id, known),
        name or process.id,
        tuple(activities),
        tuple(link for link in flows.values() if link.target in {a.id for a in activities}),
        roles,
        performers,
    )


def _condition(element: Verbatim | None) -> str:
    if element is None:
        return ""
    return " ".join("".join(element.itertext()).split())


def _data_names(body: Container) -> dict[str, str]:
    names: dict[str, str] = {}
    for inner in body.containers():
        objects = {d.id: d.name or "" for d in inner.data if d.tag == "dataObject"}
        for item in inner.data:
            ref = item.attrs.get("dataObjectRef", "")
            names[item.id] = item.name or objects.get(ref, "") or item.id
    return names


def _data_links(node: FlowNode, names: dict[str, str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Objekt in and ut: the data objects a node reads and writes through associations."""
    inputs: list[str] = []
    outputs: list[str] = []
    for extra in node.extras:
        kind = local(extra)
        refs = [(r.text or "").strip() for r in extra if local(r) in ("sourceRef", "targetRef")]
        if kind == "dataInputAssociation":
            inputs += [names[r] for r in refs if r in names]
        elif kind == "dataOutputAssociation":
            outputs += [names[r] for r in refs if r in names]
    return tuple(dict.fromkeys(inputs)), tuple(dict.fromkeys(outputs))


def _lanes(process: Process, known: dict[str, str]) -> tuple[tuple[Role, ...], dict[str, str]]:
    """Named lanes become roles; a node is performed by the innermost lane holding it."""
    roles: dict[str, Role] = {}
    performers: dict[str, str] = {}

    def visit(lane: Lane, depth: int, depths: dict[str, int]) -> None:
        if lane.name and lane.name.strip():
            role_id = resolve(lane.id, known)
            roles[role_id] = Role(id=role_id, name=" ".join(lane.name.split()))
            for ref in lane.refs:
                if depths.get(ref, -1) < depth:
                    depths[ref] = depth
                    performers[resolve(ref, known)] = role_id
        for child_set in lane.children:
            for child in child_set.lanes:
                visit(child, depth + 1, depths)

    depths: dict[str, int] = {}
    for body in process.body.containers():
        for lane_set in body.lane_sets:
            for lane in lane_set.lanes:
                visit(lane, 0, depths)
    return tuple(roles.values()), performers
