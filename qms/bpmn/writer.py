"""Write the model as BPMN 2.0 XML: XSD order, incoming/outgoing on every flow node, DI."""

from __future__ import annotations

import copy

from lxml import etree  # type: ignore[import-untyped]

from qms.bpmn.model import (
    Collaboration,
    Container,
    Definitions,
    Element,
    FlowNode,
    Item,
    LaneSet,
    Process,
    Verbatim,
)
from qms.bpmn.ns import BPMN, NSMAP, q
from qms.bpmn.schema import order, schema
from qms.bpmn.write_di import diagram

Links = dict[str, list[str]]


def write(definitions: Definitions) -> bytes:
    """The file as UTF-8 bytes with an XML declaration, indented."""
    root = to_tree(definitions)
    etree.indent(root, space="  ")
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))


def to_tree(definitions: Definitions) -> etree._Element:
    """The file as an lxml tree, children in the order the XSDs require."""
    nsmap = {**definitions.nsmap, **NSMAP}
    root = etree.Element(q(BPMN, "definitions"), nsmap=nsmap)
    if definitions.id:
        root.set("id", definitions.id)
    for name, value in definitions.attrs.items():
        root.set(name, value)
    _copies(root, definitions.extras)
    for item in definitions.roots:
        if isinstance(item, Process):
            _process(root, item)
        elif isinstance(item, Collaboration):
            _collaboration(root, item)
        else:
            _copies(root, [item])
    for drawing in definitions.diagrams:
        diagram(root, drawing)
    order(root, schema().elements[root.tag])
    return root


def _copies(parent: etree._Element, elements: list[Verbatim]) -> None:
    for element in elements:
        twin = copy.deepcopy(element)
        twin.tail = None
        parent.append(twin)


def element(parent: etree._Element, made: Element, **typed: str | None) -> etree._Element:
    """A child of ``parent`` for ``made``: id, attributes, documentation and extras."""
    node = etree.SubElement(parent, q(BPMN, made.tag))
    if made.id:
        node.set("id", made.id)
    for name, value in typed.items():
        if value is not None:
            node.set(name, value)
    for name, value in made.attrs.items():
        node.set(name, value)
    _copies(node, made.docs)
    _copies(node, made.extras)
    return node


def _process(parent: etree._Element, process: Process) -> None:
    node = element(parent, process, name=process.name)
    incoming: Links = {}
    outgoing: Links = {}
    for body in process.body.containers():
        for flow in body.flows:
            incoming.setdefault(flow.target, []).append(flow.id)
            outgoing.setdefault(flow.source, []).append(flow.id)
    _container(node, process.body, incoming, outgoing)


def _container(parent: etree._Element, body: Container, incoming: Links, outgoing: Links) -> None:
    for lane_set in body.lane_sets:
        _lane_set(parent, lane_set, "laneSet")
    for flow_node in body.nodes:
        _flow_node(parent, flow_node, incoming, outgoing)
    for data in body.data:
        element(parent, data, name=data.name)
    for flow in body.flows:
        line = element(parent, flow, name=flow.name, sourceRef=flow.source, targetRef=flow.target)
        if flow.condition is not None:
            _copies(line, [flow.condition])
    for artifact in body.artifacts:
        _item(parent, artifact)


def _flow_node(parent: etree._Element, node: FlowNode, incoming: Links, outgoing: Links) -> None:
    made = element(
        parent, node, name=node.name, default=node.default, attachedToRef=node.attached_to
    )
    for ref in incoming.get(node.id, ()):
        etree.SubElement(made, q(BPMN, "incoming")).text = ref
    for ref in outgoing.get(node.id, ()):
        etree.SubElement(made, q(BPMN, "outgoing")).text = ref
    for event_def in node.definitions:
        element(made, event_def)
    if node.body is not None:
        _container(made, node.body, incoming, outgoing)


def _item(parent: etree._Element, item: Item) -> None:
    made = element(parent, item, name=item.name, sourceRef=item.source, targetRef=item.target)
    if item.text is not None:
        etree.SubElement(made, q(BPMN, "text")).text = item.text


def _lane_set(parent: etree._Element, lane_set: LaneSet, tag: str) -> None:
    made = element(parent, lane_set, name=lane_set.name)
    made.tag = q(BPMN, tag)
    for lane in lane_set.lanes:
        node = element(made, lane, name=lane.name)
        for ref in lane.refs:
            etree.SubElement(node, q(BPMN, "flowNodeRef")).text = ref
        for child in lane.children:
            _lane_set(node, child, "childLaneSet")


def _collaboration(parent: etree._Element, collaboration: Collaboration) -> None:
    node = element(parent, collaboration, name=collaboration.name)
    for pool in collaboration.participants:
        element(node, pool, name=pool.name, processRef=pool.process)
    for flow in collaboration.message_flows:
        _item(node, flow)
    for artifact in collaboration.artifacts:
        _item(node, artifact)
