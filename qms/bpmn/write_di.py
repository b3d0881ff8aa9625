"""Write diagram interchange: BPMNDiagram, plane, shapes with bounds and labels, edges."""

from __future__ import annotations

import copy

from lxml import etree  # type: ignore[import-untyped]

from qms.bpmn.model import Bounds, Diagram, DiagramLabel, Edge, Shape, Verbatim
from qms.bpmn.ns import BPMNDI, DC, DI, q


def number(value: float) -> str:
    """A coordinate with at most two decimals and no trailing zeros."""
    text = f"{round(value, 2):.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _copies(parent: etree._Element, elements: list[Verbatim]) -> None:
    for element in elements:
        twin = copy.deepcopy(element)
        twin.tail = None
        parent.append(twin)


def _bounds(parent: etree._Element, box: Bounds) -> None:
    etree.SubElement(
        parent,
        q(DC, "Bounds"),
        x=number(box.x),
        y=number(box.y),
        width=number(box.width),
        height=number(box.height),
    )


def _label(parent: etree._Element, label: DiagramLabel | None) -> None:
    if label is None:
        return
    node = etree.SubElement(parent, q(BPMNDI, "BPMNLabel"), label.attrs)
    _copies(node, label.extras)
    if label.bounds is not None:
        _bounds(node, label.bounds)


def _flag(node: etree._Element, name: str, value: bool | None) -> None:
    if value is not None:
        node.set(name, "true" if value else "false")


def shape(parent: etree._Element, made: Shape) -> None:
    """One BPMNShape."""
    node = etree.SubElement(parent, q(BPMNDI, "BPMNShape"), id=made.id)
    if made.element:
        node.set("bpmnElement", made.element)
    _flag(node, "isExpanded", made.is_expanded)
    _flag(node, "isHorizontal", made.is_horizontal)
    _flag(node, "isMarkerVisible", made.is_marker_visible)
    for name, value in made.attrs.items():
        node.set(name, value)
    _copies(node, made.extras)
    _bounds(node, made.bounds)
    _label(node, made.label)


def edge(parent: etree._Element, made: Edge) -> None:
    """One BPMNEdge."""
    node = etree.SubElement(parent, q(BPMNDI, "BPMNEdge"), id=made.id)
    if made.element:
        node.set("bpmnElement", made.element)
    for name, value in made.attrs.items():
        node.set(name, value)
    _copies(node, made.extras)
    for x, y in made.waypoints:
        etree.SubElement(node, q(DI, "waypoint"), x=number(x), y=number(y))
    _label(node, made.label)


def diagram(parent: etree._Element, made: Diagram) -> None:
    """A BPMNDiagram with its plane, shapes first, then edges."""
    node = etree.SubElement(parent, q(BPMNDI, "BPMNDiagram"))
    if made.id:
        node.set("id", made.id)
    for name, value in made.attrs.items():
        node.set(name, value)
    plane = etree.SubElement(node, q(BPMNDI, "BPMNPlane"))
    if made.plane_id:
        plane.set("id", made.plane_id)
    if made.element:
        plane.set("bpmnElement", made.element)
    for name, value in made.plane_attrs.items():
        plane.set(name, value)
    _copies(plane, made.plane_extras)
    for each_shape in made.shapes:
        shape(plane, each_shape)
    for each_edge in made.edges:
        edge(plane, each_edge)
    _copies(node, made.extras)
