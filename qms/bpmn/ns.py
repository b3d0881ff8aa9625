"""Namespace constants and the families of BPMN element kinds (local names)."""

from __future__ import annotations

from typing import Any

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
BPMNDI = "http://www.omg.org/spec/BPMN/20100524/DI"
DC = "http://www.omg.org/spec/DD/20100524/DC"
DI = "http://www.omg.org/spec/DD/20100524/DI"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
#: Where elements and attributes that BPMN does not allow in their place are moved to.
QMSX = "urn:qms:bpmn:extension"

NSMAP = {"bpmn": BPMN, "bpmndi": BPMNDI, "dc": DC, "di": DI, "xsi": XSI}
OMG = frozenset({BPMN, BPMNDI, DC, DI})

#: Namespaces of drafts and early tools that mean the BPMN 2.0 model namespace.
BPMN_ALIASES = frozenset(
    {"http://schema.omg.org/spec/BPMN/2.0", "http://www.omg.org/spec/BPMN/20100501/MODEL"}
)
#: Local names of the DI elements, for files that put everything in one (or no) namespace.
DI_LOCALS = {
    "BPMNDiagram": BPMNDI,
    "BPMNPlane": BPMNDI,
    "BPMNShape": BPMNDI,
    "BPMNEdge": BPMNDI,
    "BPMNLabel": BPMNDI,
    "BPMNLabelStyle": BPMNDI,
    "Bounds": DC,
    "Font": DC,
    "waypoint": DI,
}

TASKS = frozenset(
    {
        "task",
        "userTask",
        "manualTask",
        "serviceTask",
        "sendTask",
        "receiveTask",
        "scriptTask",
        "businessRuleTask",
    }
)
SUBPROCESSES = frozenset({"subProcess", "transaction", "adHocSubProcess"})
ACTIVITIES = TASKS | SUBPROCESSES | {"callActivity"}
EVENTS = frozenset(
    {
        "startEvent",
        "endEvent",
        "intermediateCatchEvent",
        "intermediateThrowEvent",
        "boundaryEvent",
        "implicitThrowEvent",
    }
)
GATEWAYS = frozenset(
    {
        "exclusiveGateway",
        "inclusiveGateway",
        "parallelGateway",
        "complexGateway",
        "eventBasedGateway",
    }
)
FLOW_NODES = ACTIVITIES | EVENTS | GATEWAYS
DATA = frozenset({"dataObject", "dataObjectReference", "dataStoreReference"})
ARTIFACTS = frozenset({"textAnnotation", "association", "group"})
#: Gateways and activities may name a default outgoing flow.
HAS_DEFAULT = ACTIVITIES | {"exclusiveGateway", "inclusiveGateway", "complexGateway"}


def q(namespace: str, local: str) -> str:
    """The Clark name ``{namespace}local`` lxml uses for tags and attributes."""
    return f"{{{namespace}}}{local}"


def split(name: str) -> tuple[str, str]:
    """``(namespace, local)`` of a Clark name; the namespace is '' when there is none."""
    if name.startswith("{"):
        namespace, _, local = name[1:].partition("}")
        return namespace, local
    return "", name


def local(element: Any) -> str:
    """The local name of a BPMN element ('' for foreign elements and comments)."""
    if not isinstance(element.tag, str):
        return ""
    namespace, name = split(element.tag)
    return name if namespace == BPMN else ""
