"""From the graph to a BPMN file: the kept model brought up to date, laid out where needed."""

from __future__ import annotations

from collections.abc import Iterator

from qms.bpmn import sync
from qms.bpmn.ids import resolve, xml_id
from qms.bpmn.layout import lay_out
from qms.bpmn.model import Collaboration, Definitions, Lane, LaneSet, Participant, Process
from qms.bpmn.to_graph import ProcessGraph, process_names

EXPORTER = "QMS"


def document(graphs: list[ProcessGraph], model: Definitions | None) -> Definitions:
    """The file for ``graphs`` (processes sharing one model), starting from ``model`` if any."""
    fresh = model is None
    model = model or Definitions(
        id=f"Definitions_{xml_id(graphs[0].process_id)}",
        attrs={"targetNamespace": "urn:qms:bpmn", "exporter": EXPORTER},
    )
    known = {
        xml_id(x): x
        for g in graphs
        for x in (g.process_id, *(a.id for a in g.activities), *(r.id for r in g.roles))
    }
    taken = ids_in(model)
    for graph in graphs:
        process = next(
            (p for p in model.processes if resolve(p.id, known) == graph.process_id), None
        )
        if process is None:
            process = Process(tag="process", id=xml_id(graph.process_id), name=graph.name)
            process.attrs["isExecutable"] = "false"
            model.roots.append(process)
            if fresh:
                _pool(model, process)
        _rename(model, process, graph.name)
        before = _members(process)
        gone = sync.nodes(process, graph, known) | sync.flows(process, graph, known, taken)
        moved = _lanes(process, graph, known)
        _forget(model, process, gone)
        if moved or _members(process) - before or not _covered(model, process):
            lay_out(model, process)
    return model


def ids_in(model: Definitions) -> set[str]:
    """Every id the model uses (typed elements, verbatim ones and DI)."""
    found: set[str] = set()
    for process in model.processes:
        found.add(process.id)
        for body in process.body.containers():
            found.update(n.id for n in body.nodes)
            found.update(f.id for f in body.flows)
            found.update(i.id for i in (*body.data, *body.artifacts))
        found.update(lane.id for lane in lanes_of(process))
    for diagram in model.diagrams:
        found.update(s.id for s in diagram.shapes)
        found.update(e.id for e in diagram.edges)
    return found


def lanes_of(process: Process) -> Iterator[Lane]:
    """Every lane of a process, nested ones included."""
    stack = [lane for body in process.body.containers() for s in body.lane_sets for lane in s.lanes]
    while stack:
        lane = stack.pop(0)
        yield lane
        stack += [child for s in lane.children for child in s.lanes]


def _pool(model: Definitions, process: Process) -> None:
    collaboration = Collaboration(tag="collaboration", id=f"Collaboration_{process.id}")
    collaboration.participants.append(
        Participant(
            tag="participant", id=f"Participant_{process.id}", name=process.name, process=process.id
        )
    )
    model.roots.insert(0, collaboration)


def _rename(model: Definitions, process: Process, name: str) -> None:
    if (process_names(model).get(process.id) or process.id) == name:
        return  # unnamed processes are called by their id in the graph
    pools = [p for c in model.collaborations for p in c.participants if p.process == process.id]
    if not process.name and pools and pools[0].name:
        pools[0].name = name
    else:
        process.name = name


def _lanes(process: Process, graph: ProcessGraph, known: dict[str, str]) -> bool:
    """Put each node in the lane of its role (a new lane when the role has none)."""
    lanes = {resolve(lane.id, known): lane for lane in lanes_of(process)}
    names = {role.id: role.name for role in graph.roles}
    xml_of = {resolve(node.id, known): node.id for node, _ in process.body.walk()}
    changed = False
    for activity_id, role_id in graph.performers.items():
        lane = lanes.get(role_id)
        if lane is None:
            lane = Lane(tag="lane", id=xml_id(role_id), name=names.get(role_id, role_id))
            if not process.body.lane_sets:
                process.body.lane_sets.append(LaneSet(tag="laneSet", id=f"LaneSet_{process.id}"))
            process.body.lane_sets[0].lanes.append(lane)
            lanes[role_id] = lane
        node = xml_of.get(activity_id)
        holders = [candidate for candidate in lanes.values() if node in candidate.refs]
        if node is None or holders[-1:] == [lane]:
            continue
        for holder in holders:
            holder.refs.remove(node)
        lane.refs.append(node)
        changed = True
    for role_id, lane in lanes.items():
        if role_id in names and " ".join((lane.name or "").split()) != names[role_id]:
            lane.name = names[role_id]
    return changed


def _forget(model: Definitions, process: Process, gone: set[str]) -> None:
    """Drop associations to removed elements and every DI element of what is gone."""
    for body in process.body.containers():
        for item in list(body.artifacts):
            if item.source in gone or item.target in gone:
                body.artifacts.remove(item)
                gone.add(item.id)
    for diagram in model.diagrams:
        diagram.shapes = [s for s in diagram.shapes if s.element not in gone]
        diagram.edges = [e for e in diagram.edges if e.element not in gone]


def _members(process: Process) -> set[str]:
    """Ids of the nodes, flows and lanes: anything new in them needs a place in the drawing."""
    found = {node.id for node, _ in process.body.walk()}
    found.update(flow.id for body in process.body.containers() for flow in body.flows)
    return found | {lane.id for lane in lanes_of(process)}


def _covered(model: Definitions, process: Process) -> bool:
    """Whether every visible node, flow and lane of the process has DI."""
    drawn = {s.element: s for d in model.diagrams for s in d.shapes}
    edges = {e.element for d in model.diagrams for e in d.edges}
    if any(lane.id not in drawn for lane in lanes_of(process)):
        return False
    pools = [p for c in model.collaborations for p in c.participants if p.process == process.id]
    if any(pool.id not in drawn for pool in pools) or not model.diagrams:
        return False
    bodies = [process.body]
    while bodies:
        body = bodies.pop()
        for node in body.nodes:
            if node.id not in drawn:
                return False
            if node.body is not None and drawn[node.id].is_expanded:
                bodies.append(node.body)
        if any(flow.id not in edges for flow in body.flows):
            return False
    return True
