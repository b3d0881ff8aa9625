"""Read diagram interchange: shapes, edges, waypoints, labels and their flags."""

from __future__ import annotations

from lxml import etree  # type: ignore[import-untyped]

from qms.bpmn.errors import Problems
from qms.bpmn.model import Bounds, Diagram, DiagramLabel, Edge, Shape
from qms.bpmn.ns import BPMNDI, DC, DI, q

_FLAGS = ("isExpanded", "isHorizontal", "isMarkerVisible")


def diagram(element: etree._Element, problems: Problems) -> Diagram:
    """A BPMNDiagram with its plane; broken shapes and edges are dropped with a warning."""
    plane = element.find(q(BPMNDI, "BPMNPlane"))
    made = Diagram(
        id=element.get("id", ""),
        element=plane.get("bpmnElement") if plane is not None else None,
        attrs={k: v for k, v in element.attrib.items() if k != "id"},
        extras=[c for c in element if c.tag != q(BPMNDI, "BPMNPlane")],
    )
    if plane is None:
        return made
    made.plane_id = plane.get("id")
    made.plane_attrs = {k: v for k, v in plane.attrib.items() if k not in ("id", "bpmnElement")}
    for child in plane:
        if child.tag == q(BPMNDI, "BPMNShape"):
            found = shape(child, problems)
            if found is not None:
                made.shapes.append(found)
        elif child.tag == q(BPMNDI, "BPMNEdge"):
            line = edge(child, problems)
            if line is not None:
                made.edges.append(line)
        else:
            made.plane_extras.append(child)
    return made


def _number(element: etree._Element, name: str, problems: Problems) -> float:
    try:
        return float(element.get(name, ""))
    except ValueError:
        problems.error(element, f"{name}={element.get(name)!r} är inget tal")
        return 0.0


def bounds(element: etree._Element | None, problems: Problems) -> Bounds | None:
    """The dc:Bounds child of ``element``, if any."""
    found = element.find(q(DC, "Bounds")) if element is not None else None
    if found is None:
        return None
    return Bounds(*(_number(found, n, problems) for n in ("x", "y", "width", "height")))


def _label(element: etree._Element, problems: Problems) -> DiagramLabel | None:
    found = element.find(q(BPMNDI, "BPMNLabel"))
    if found is None:
        return None
    return DiagramLabel(
        bounds(found, problems),
        dict(found.attrib),
        [c for c in found if c.tag != q(DC, "Bounds")],
    )


def _ident(element: etree._Element) -> str:
    return element.get("id") or f"{element.get('bpmnElement', 'di')}_di"


def shape(element: etree._Element, problems: Problems) -> Shape | None:
    """A BPMNShape; None (with a warning) when it has no bounds."""
    box = bounds(element, problems)
    if box is None:
        problems.warn(element, "form utan dc:Bounds togs bort")
        return None
    flags = {name: element.get(name) for name in _FLAGS}
    skip = {"id", "bpmnElement", *_FLAGS}
    return Shape(
        id=_ident(element),
        element=element.get("bpmnElement", ""),
        bounds=box,
        label=_label(element, problems),
        is_expanded=_flag(flags["isExpanded"]),
        is_horizontal=_flag(flags["isHorizontal"]),
        is_marker_visible=_flag(flags["isMarkerVisible"]),
        attrs={k: v for k, v in element.attrib.items() if k not in skip},
        extras=[c for c in element if c.tag not in (q(DC, "Bounds"), q(BPMNDI, "BPMNLabel"))],
    )


def _flag(value: str | None) -> bool | None:
    return None if value is None else value == "true"


def edge(element: etree._Element, problems: Problems) -> Edge | None:
    """A BPMNEdge; None (with a warning) when it has fewer than two waypoints."""
    points = [
        (_number(p, "x", problems), _number(p, "y", problems))
        for p in element.iter(q(DI, "waypoint"))
    ]
    if len(points) < 2:
        problems.warn(element, "kant med färre än två brytpunkter togs bort")
        return None
    return Edge(
        id=_ident(element),
        element=element.get("bpmnElement", ""),
        waypoints=points,
        label=_label(element, problems),
        attrs={k: v for k, v in element.attrib.items() if k not in ("id", "bpmnElement")},
        extras=[c for c in element if c.tag not in (q(DI, "waypoint"), q(BPMNDI, "BPMNLabel"))],
    )
