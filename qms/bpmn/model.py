"""What the reader makes of a BPMN 2.0 file; ``extras`` hold what it keeps without reading."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TypeAlias

from lxml import etree  # type: ignore[import-untyped]

Verbatim: TypeAlias = etree._Element


@dataclass(eq=False)
class Element:
    """A BPMN element: its kind (local name), id, other attributes and unread children."""

    tag: str
    id: str
    attrs: dict[str, str] = field(default_factory=dict)
    docs: list[Verbatim] = field(default_factory=list)
    extras: list[Verbatim] = field(default_factory=list)
    line: int = 0


@dataclass(eq=False)
class FlowNode(Element):
    """Task, subprocess, call activity, event or gateway."""

    name: str | None = None
    default: str | None = None
    attached_to: str | None = None
    definitions: list[Element] = field(default_factory=list)
    body: Container | None = None


@dataclass(eq=False)
class SequenceFlow(Element):
    """A sequence flow with its optional condition (kept as the element it came as)."""

    name: str | None = None
    source: str = ""
    target: str = ""
    condition: Verbatim | None = None


@dataclass(eq=False)
class Item(Element):
    """Data object (reference), data store reference or artifact (annotation, association)."""

    name: str | None = None
    text: str | None = None
    source: str | None = None
    target: str | None = None


@dataclass(eq=False)
class Lane(Element):
    """A lane with the flow nodes it holds and its child lane sets."""

    name: str | None = None
    refs: list[str] = field(default_factory=list)
    children: list[LaneSet] = field(default_factory=list)


@dataclass(eq=False)
class LaneSet(Element):
    """A set of lanes of a process or subprocess."""

    name: str | None = None
    lanes: list[Lane] = field(default_factory=list)


@dataclass(eq=False)
class Container:
    """The inside of a process or subprocess."""

    nodes: list[FlowNode] = field(default_factory=list)
    flows: list[SequenceFlow] = field(default_factory=list)
    data: list[Item] = field(default_factory=list)
    artifacts: list[Item] = field(default_factory=list)
    lane_sets: list[LaneSet] = field(default_factory=list)

    def walk(self) -> Iterator[tuple[FlowNode, Container]]:
        """Every flow node with the container it is in, subprocess bodies included."""
        for node in self.nodes:
            yield node, self
            if node.body is not None:
                yield from node.body.walk()

    def containers(self) -> Iterator[Container]:
        """This container and every subprocess body inside it."""
        yield self
        for node in self.nodes:
            if node.body is not None:
                yield from node.body.containers()


@dataclass(eq=False)
class Process(Element):
    """A process: its flow elements are in ``body``."""

    name: str | None = None
    body: Container = field(default_factory=Container)


@dataclass(eq=False)
class Participant(Element):
    """A pool; ``process`` is the id of the process it shows (None for a black box)."""

    name: str | None = None
    process: str | None = None


@dataclass(eq=False)
class Collaboration(Element):
    """Pools, the message flows between them and their artifacts."""

    name: str | None = None
    participants: list[Participant] = field(default_factory=list)
    message_flows: list[Item] = field(default_factory=list)
    artifacts: list[Item] = field(default_factory=list)


@dataclass
class Bounds:
    """A rectangle in diagram coordinates (y grows downwards)."""

    x: float
    y: float
    width: float
    height: float


@dataclass(eq=False)
class DiagramLabel:
    """A label of a shape or edge; ``bounds`` may be absent."""

    bounds: Bounds | None = None
    attrs: dict[str, str] = field(default_factory=dict)
    extras: list[Verbatim] = field(default_factory=list)


@dataclass(eq=False)
class Shape:
    """A BPMNShape; the flags are None when the file did not say."""

    id: str
    element: str
    bounds: Bounds
    label: DiagramLabel | None = None
    is_expanded: bool | None = None
    is_horizontal: bool | None = None
    is_marker_visible: bool | None = None
    attrs: dict[str, str] = field(default_factory=dict)
    extras: list[Verbatim] = field(default_factory=list)


@dataclass(eq=False)
class Edge:
    """A BPMNEdge with its waypoints."""

    id: str
    element: str
    waypoints: list[tuple[float, float]]
    label: DiagramLabel | None = None
    attrs: dict[str, str] = field(default_factory=dict)
    extras: list[Verbatim] = field(default_factory=list)


@dataclass(eq=False)
class Diagram:
    """A BPMNDiagram and its one plane."""

    id: str
    element: str | None
    plane_id: str | None = None
    shapes: list[Shape] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    attrs: dict[str, str] = field(default_factory=dict)
    plane_attrs: dict[str, str] = field(default_factory=dict)
    extras: list[Verbatim] = field(default_factory=list)
    plane_extras: list[Verbatim] = field(default_factory=list)


Root: TypeAlias = Process | Collaboration | Verbatim


@dataclass(eq=False)
class Definitions:
    """A whole BPMN file: root elements in file order, then the diagrams."""

    id: str | None
    attrs: dict[str, str] = field(default_factory=dict)
    nsmap: dict[str, str] = field(default_factory=dict)
    roots: list[Root] = field(default_factory=list)
    diagrams: list[Diagram] = field(default_factory=list)
    extras: list[Verbatim] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def processes(self) -> list[Process]:
        """The processes, in file order."""
        return [r for r in self.roots if isinstance(r, Process)]

    @property
    def collaborations(self) -> list[Collaboration]:
        """The collaborations, in file order."""
        return [r for r in self.roots if isinstance(r, Collaboration)]
