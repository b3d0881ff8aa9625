"""The tag→handler table that turns the elements of a sanitised tree into the model."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from lxml import etree  # type: ignore[import-untyped]

from qms.bpmn import read_di
from qms.bpmn.errors import Problems
from qms.bpmn.model import (
    Collaboration,
    Container,
    Definitions,
    Element,
    FlowNode,
    Item,
    Lane,
    LaneSet,
    Participant,
    Process,
    SequenceFlow,
)
from qms.bpmn.ns import (
    ARTIFACTS,
    BPMNDI,
    DATA,
    FLOW_NODES,
    NSMAP,
    OMG,
    SUBPROCESSES,
    XSI,
    local,
    q,
    split,
)

Handler = Callable[["Reader", etree._Element, Container], None]
E = TypeVar("E", bound=Element)
_NOT_ROOT = {"import", "extension", "relationship"}
XML = "http://www.w3.org/XML/1998/namespace"


def namespaces(root: etree._Element) -> dict[str, str]:
    """Prefixes for every foreign namespace in the file, to declare once on the root.

    Declaring them at the top keeps lxml from inventing ``ns0``-style prefixes for copied
    extension elements, which can clash with prefixes those elements declare themselves.
    """
    # The root's own declarations first: QName values (typeRef="feel:string") may use them.
    found = {p: u for p, u in root.nsmap.items() if p and p not in NSMAP and u not in OMG | {XSI}}
    taken = set(NSMAP) | set(found)
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        uris = {split(element.tag)[0]} | {split(a)[0] for a in element.attrib}
        for uri in uris - OMG - {"", XSI, XML} - set(found.values()):
            prefix = next((p for p, u in element.nsmap.items() if u == uri and p), "ns")
            base, number = prefix, 1
            while prefix in taken:
                number += 1
                prefix = f"{base}{number}"
            taken.add(prefix)
            found[prefix] = uri
    return found


class Reader:
    """Turns one sanitised tree into the model, collecting problems."""

    def __init__(self, problems: Problems) -> None:
        self.problems = problems

    def definitions(self, root: etree._Element) -> Definitions:
        """The whole file."""
        result = Definitions(
            root.get("id"),
            attrs={k: v for k, v in root.attrib.items() if k != "id"},
            nsmap=namespaces(root),
        )
        for child in root:
            tag = local(child)
            if tag == "process":
                result.roots.append(self.process(child))
            elif tag == "collaboration":
                result.roots.append(self.collaboration(child))
            elif child.tag == q(BPMNDI, "BPMNDiagram"):
                result.diagrams.append(read_di.diagram(child, self.problems))
            elif tag in _NOT_ROOT:
                result.extras.append(child)
            else:
                result.roots.append(child)
        return result

    def base(self, element: etree._Element, cls: type[E], *modelled: str) -> E:
        """An element of ``cls`` with its unmodelled attributes; children are left to the caller."""
        attrs = {k: v for k, v in element.attrib.items() if k != "id" and k not in modelled}
        fields = {name: element.get(name) for name in modelled}
        made = cls(tag=local(element), id=element.get("id", ""), attrs=attrs, **fields)
        made.line = element.sourceline or 0
        return made

    def process(self, element: etree._Element) -> Process:
        """A process and everything in it."""
        made = self.base(element, Process, "name")
        self.fill(element, made, made.body)
        return made

    def fill(self, element: etree._Element, owner: Element, body: Container | None) -> None:
        """Sort children: documentation, flow elements and lanes into ``body``, else extras."""
        for child in element:
            tag = local(child)
            handler = CONTAINER.get(tag) if body is not None else None
            if tag == "documentation":
                owner.docs.append(child)
            elif handler is not None and body is not None:
                handler(self, child, body)
            elif isinstance(owner, FlowNode) and tag.endswith("EventDefinition"):
                event_def = self.base(child, Element)
                event_def.extras = list(child)
                owner.definitions.append(event_def)
            elif isinstance(owner, FlowNode) and tag in ("incoming", "outgoing"):
                continue  # written afresh from the sequence flows
            else:
                owner.extras.append(child)

    def flow_node(self, element: etree._Element, body: Container) -> None:
        """Task, subprocess, event or gateway."""
        node = self.base(element, FlowNode, "name", "default")
        node.attached_to = node.attrs.pop("attachedToRef", None)
        if node.tag in SUBPROCESSES:
            node.body = Container()
        self.fill(element, node, node.body)
        body.nodes.append(node)

    def sequence_flow(self, element: etree._Element, body: Container) -> None:
        """A sequence flow; one without both ends is dropped with a warning."""
        flow = self.base(element, SequenceFlow, "name")
        flow.source = flow.attrs.pop("sourceRef", "")
        flow.target = flow.attrs.pop("targetRef", "")
        if not flow.source or not flow.target:
            self.problems.warn(element, "sekvensflöde utan källa eller mål togs bort")
            return
        for child in element:
            if local(child) == "conditionExpression":
                flow.condition = child
            elif local(child) == "documentation":
                flow.docs.append(child)
            else:
                flow.extras.append(child)
        body.flows.append(flow)

    def item(self, element: etree._Element) -> Item:
        """Data object, data store reference, annotation, association, group or message flow."""
        made = self.base(element, Item, "name")
        made.source = made.attrs.pop("sourceRef", None)
        made.target = made.attrs.pop("targetRef", None)
        for child in element:
            if local(child) == "text":
                made.text = child.text or ""
            elif local(child) == "documentation":
                made.docs.append(child)
            else:
                made.extras.append(child)
        return made

    def lane_set(self, element: etree._Element) -> LaneSet:
        """A lane set with its (nested) lanes."""
        made = self.base(element, LaneSet, "name")
        for child in element:
            if local(child) == "lane":
                made.lanes.append(self.lane(child))
            elif local(child) == "documentation":
                made.docs.append(child)
            else:
                made.extras.append(child)
        return made

    def lane(self, element: etree._Element) -> Lane:
        """A lane, the flow nodes it holds and its child lanes."""
        made = self.base(element, Lane, "name")
        for child in element:
            if local(child) == "flowNodeRef":
                made.refs.append((child.text or "").strip())
            elif local(child) == "childLaneSet":
                made.children.append(self.lane_set(child))
            elif local(child) == "documentation":
                made.docs.append(child)
            else:
                made.extras.append(child)
        return made

    def collaboration(self, element: etree._Element) -> Collaboration:
        """Pools, message flows and the artifacts drawn on them."""
        made = self.base(element, Collaboration, "name")
        for child in element:
            tag = local(child)
            if tag == "participant":
                pool = self.base(child, Participant, "name")
                pool.process = pool.attrs.pop("processRef", None)
                self.fill(child, pool, None)
                made.participants.append(pool)
            elif tag == "messageFlow":
                made.message_flows.append(self.item(child))
            elif tag in ARTIFACTS:
                made.artifacts.append(self.item(child))
            elif tag == "documentation":
                made.docs.append(child)
            else:
                made.extras.append(child)
        return made


def _data(reader: Reader, element: etree._Element, body: Container) -> None:
    body.data.append(reader.item(element))


def _artifact(reader: Reader, element: etree._Element, body: Container) -> None:
    body.artifacts.append(reader.item(element))


def _lanes(reader: Reader, element: etree._Element, body: Container) -> None:
    body.lane_sets.append(reader.lane_set(element))


#: The tag→handler table for what a process or subprocess contains.
CONTAINER: dict[str, Handler] = {
    **{tag: Reader.flow_node for tag in FLOW_NODES},
    "sequenceFlow": Reader.sequence_flow,
    **{tag: _data for tag in DATA},
    **{tag: _artifact for tag in ARTIFACTS},
    "laneSet": _lanes,
}
