"""Make a model process hold what the graph says: its flow nodes and sequence flows.

Elements the graph still has keep everything the file gave them (DI, extensions, event
definitions); only names, types, descriptions, conditions and defaults are written over.
"""

from __future__ import annotations

import hashlib

from lxml import etree  # type: ignore[import-untyped]

from qms.bpmn.ids import resolve, xml_id
from qms.bpmn.kinds import TAG_OF, TYPE_OF
from qms.bpmn.model import Container, FlowNode, Process, SequenceFlow
from qms.bpmn.ns import BPMN, EVENTS, HAS_DEFAULT, SUBPROCESSES, XSI, q
from qms.bpmn.to_graph import ProcessGraph, text
from qms.domain.entities import Activity
from qms.domain.kinds import ActivityType

Index = dict[str, tuple[FlowNode, Container]]


def index(process: Process, known: dict[str, str]) -> Index:
    """Every flow node of a process by graph id, with the container it is in."""
    return {resolve(node.id, known): (node, body) for node, body in process.body.walk()}


def documentation(text_value: str) -> etree._Element:
    """A ``documentation`` element holding plain text."""
    element = etree.Element(q(BPMN, "documentation"))
    element.text = text_value
    return element


def _flatten(node: FlowNode, parent: Container) -> None:
    """A subprocess that stops being one hands its contents to the container around it."""
    if node.body is None:
        return
    inner = node.body
    parent.nodes += inner.nodes
    parent.flows += inner.flows
    parent.data += inner.data
    parent.artifacts += inner.artifacts
    node.body = None


def _retype(node: FlowNode, wanted: ActivityType, parent: Container) -> None:
    tag = TAG_OF[wanted]
    if wanted is ActivityType.BOUNDARY_EVENT and node.attached_to is None:
        tag = "intermediateCatchEvent"  # a boundary event needs a host the graph does not know
    if tag not in SUBPROCESSES:
        _flatten(node, parent)
    elif node.body is None:
        node.body = Container()
    if tag not in EVENTS:
        node.definitions = []
    if tag != "boundaryEvent":
        node.attached_to = None
        node.attrs.pop("cancelActivity", None)
    if tag not in HAS_DEFAULT:
        node.default = None
    node.tag = tag


def _update(node: FlowNode, activity: Activity, parent: Container) -> None:
    if (node.name or "") != activity.name:
        node.name = activity.name or None
    if TYPE_OF[node.tag] is not activity.node_type:
        _retype(node, activity.node_type, parent)
    if text(node) != activity.description:
        node.docs = [documentation(activity.description)] if activity.description else []


def nodes(process: Process, graph: ProcessGraph, known: dict[str, str]) -> set[str]:
    """Remove, update and add flow nodes; returns the XML ids of what went away."""
    found = index(process, known)
    wanted = {a.id: a for a in graph.activities}
    gone = {found[g][0].id for g in found if g not in wanted}
    for graph_id, (node, body) in list(found.items()):
        if graph_id in wanted:
            continue
        _flatten(node, body)
        body.nodes.remove(node)
    found = index(process, known)
    for graph_id, (node, body) in found.items():
        _update(node, wanted[graph_id], body)
        if node.attached_to in gone:
            _retype(node, ActivityType.INTERMEDIATE_EVENT, body)
            node.tag = "intermediateCatchEvent"
    for activity in graph.activities:
        if activity.id not in found:
            node = FlowNode(tag="task", id=xml_id(activity.id))
            _retype(node, activity.node_type, process.body)
            node.name = activity.name or None
            if activity.description:
                node.docs = [documentation(activity.description)]
            process.body.nodes.append(node)
    return gone


def _flow_id(source: str, target: str, taken: set[str]) -> str:
    digest = hashlib.sha1(f"{source}>{target}".encode()).hexdigest()[:10]  # noqa: S324
    candidate, number = f"Flow_{digest}", 1
    while candidate in taken:
        number += 1
        candidate = f"Flow_{digest}_{number}"
    taken.add(candidate)
    return candidate


def _condition(flow: SequenceFlow, value: str) -> None:
    condition = flow.condition
    current = " ".join("".join(condition.itertext()).split()) if condition is not None else ""
    if current == value:
        return
    if not value:
        flow.condition = None
        return
    if flow.condition is None:
        flow.condition = etree.Element(q(BPMN, "conditionExpression"))
        flow.condition.set(q(XSI, "type"), "bpmn:tFormalExpression")
    for child in list(flow.condition):
        flow.condition.remove(child)
    flow.condition.text = value


def flows(
    process: Process, graph: ProcessGraph, known: dict[str, str], taken: set[str]
) -> set[str]:
    """Remove, update and add sequence flows; returns the XML ids of removed flows."""
    found = index(process, known)
    ids = {graph_id: node.id for graph_id, (node, _) in found.items()}
    wanted = {(link.source, link.target): link.props for link in graph.flows}
    seen: set[tuple[str, str]] = set()
    gone: set[str] = set()
    for body in process.body.containers():
        for flow in list(body.flows):
            pair = (resolve(flow.source, known), resolve(flow.target, known))
            if pair[0] not in found or pair[1] not in found:
                continue  # an end outside this process: not the graph's to manage
            if pair not in wanted:
                body.flows.remove(flow)
                gone.add(flow.id)
                continue
            if pair in seen:
                continue  # a second flow between the same two nodes stays as drawn
            seen.add(pair)
            props = wanted[pair]
            if (flow.name or "") != props.get("name", ""):
                flow.name = props.get("name") or None
            _condition(flow, str(props.get("condition", "")))
            _default(found[pair[0]][0], flow, bool(props.get("is_default")))
    for (source, target), props in wanted.items():
        if (source, target) in seen or source not in ids or target not in ids:
            continue
        flow = SequenceFlow(
            tag="sequenceFlow",
            id=_flow_id(ids[source], ids[target], taken),
            source=ids[source],
            target=ids[target],
            name=props.get("name") or None,
        )
        _condition(flow, str(props.get("condition", "")))
        source_body, target_body = found[source][1], found[target][1]
        (source_body if source_body is target_body else process.body).flows.append(flow)
        _default(found[source][0], flow, bool(props.get("is_default")))
    return gone


def _default(node: FlowNode, flow: SequenceFlow, is_default: bool) -> None:
    if is_default and node.tag in HAS_DEFAULT:
        node.default = flow.id
    elif not is_default and node.default == flow.id:
        node.default = None
