"""What a diagram shows, before it has coordinates: boxes, lines, pools and lanes as bands."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field

from qms.bpmn.model import Collaboration, Container, FlowNode, Item, Lane, Process, Verbatim
from qms.bpmn.ns import ACTIVITIES, EVENTS, GATEWAYS, local

SIZES = {"task": (100.0, 80.0), "event": (36.0, 36.0), "gateway": (50.0, 50.0)}
SIZES |= {"data": (36.0, 50.0), "store": (50.0, 50.0)}
CHAR_WIDTH = 6.5
LINE_HEIGHT = 14.0


@dataclass
class Box:
    """A node to place; ``outside`` means its label sits below the shape."""

    id: str
    kind: str
    tag: str
    width: float
    height: float
    text: str = ""
    outside: bool = False
    label: tuple[float, float] = (0.0, 0.0)


@dataclass
class Line:
    """An edge to route: sequence flow, message flow, association or data association."""

    id: str
    source: str
    target: str
    kind: str
    text: str = ""
    label: tuple[float, float] = (0.0, 0.0)

    def __post_init__(self) -> None:
        if self.text and not self.label[0]:
            self.label = label_size(self.text, 16)


@dataclass
class Band:
    """A pool or a lane: the boxes directly in it and its nested bands."""

    id: str
    name: str
    kind: str
    bands: list[Band] = field(default_factory=list)
    boxes: list[str] = field(default_factory=list)


@dataclass
class Scene:
    """Everything one diagram plane shows."""

    element: str
    boxes: dict[str, Box] = field(default_factory=dict)
    lines: list[Line] = field(default_factory=list)
    bands: list[Band] = field(default_factory=list)
    loose: list[str] = field(default_factory=list)
    hosts: dict[str, str] = field(default_factory=dict)
    collapsed: list[FlowNode] = field(default_factory=list)


def label_size(text: str, width: int = 18) -> tuple[float, float]:
    """Width and height of a label wrapped at ``width`` characters (0×0 when empty)."""
    lines = textwrap.wrap(" ".join(text.split()), width) if text.strip() else []
    if not lines:
        return 0.0, 0.0
    return max(len(line) for line in lines) * CHAR_WIDTH + 6, len(lines) * LINE_HEIGHT + 4


def task_size(text: str) -> tuple[float, float]:
    """Room for a task's name inside it: wider for long words, taller for long names."""
    longest = max((len(word) for word in text.split()), default=0)
    width = min(160.0, max(100.0, longest * 7.5 + 16))
    lines = len(textwrap.wrap(" ".join(text.split()), max(1, int((width - 12) / 7)))) or 1
    return width, min(120.0, max(80.0, lines * 15 + 14))


def _box(node: FlowNode | Item) -> Box:
    tag = node.tag
    if tag in ACTIVITIES:
        kind = "task"
    elif tag in EVENTS:
        kind = "event"
    elif tag in GATEWAYS:
        kind = "gateway"
    elif tag == "dataStoreReference":
        kind = "store"
    elif tag == "textAnnotation":
        text = node.text if isinstance(node, Item) else ""
        height = max(30.0, label_size(text or "", 16)[1] + 8)
        return Box(node.id, "annotation", tag, 100.0, height, text or "")
    else:
        kind = "data"
    width, height = SIZES[kind]
    text = node.name or ""
    if kind == "task":
        width, height = task_size(text)
    outside = kind != "task"
    return Box(
        node.id, kind, tag, width, height, text, outside, label_size(text) if outside else (0, 0)
    )


def of_collaboration(collaboration: Collaboration, processes: dict[str, Process]) -> Scene:
    """A collaboration plane: one band per pool, message flows between them."""
    scene = Scene(collaboration.id)
    for pool in collaboration.participants:
        band = Band(pool.id, pool.name or "", "pool")
        scene.bands.append(band)
        if pool.process in processes:
            _content(scene, processes[pool.process].body, band)
    for flow in collaboration.message_flows:
        scene.lines.append(
            Line(flow.id, flow.source or "", flow.target or "", "message", flow.name or "")
        )
    _artifacts(scene, collaboration.artifacts)
    scene.loose += [a.id for a in collaboration.artifacts if a.tag == "textAnnotation"]
    return scene


def of_body(element: str, body: Container) -> Scene:
    """A process without pool, or the inside of a collapsed subprocess."""
    scene = Scene(element)
    _content(scene, body, None)
    return scene


def _content(scene: Scene, body: Container, pool: Band | None) -> None:
    lane_of: dict[str, Band] = {}
    bands = [_band(lane, lane_of) for s in body.lane_sets for lane in s.lanes]
    if pool is not None:
        pool.bands = bands
    else:
        scene.bands += bands
    for node in body.nodes:
        scene.boxes[node.id] = _box(node)
        if node.attached_to:
            scene.hosts[node.id] = node.attached_to
        elif node.id in lane_of:
            lane_of[node.id].boxes.append(node.id)
        elif pool is not None:
            pool.boxes.append(node.id)
        else:
            scene.loose.append(node.id)
        if node.body is not None and node.body.nodes:
            scene.collapsed.append(node)
        for extra in node.extras:
            _data_line(scene, node.id, extra)
    for flow in body.flows:
        scene.lines.append(Line(flow.id, flow.source, flow.target, "sequence", flow.name or ""))
    referenced = {item.attrs.get("dataObjectRef") for item in body.data}
    for item in body.data:
        if item.tag != "dataObject" or item.id not in referenced:  # references are drawn
            scene.boxes[item.id] = _box(item)
    _artifacts(scene, body.artifacts)
    for item in (*body.data, *(a for a in body.artifacts if a.tag == "textAnnotation")):
        if item.id in scene.boxes:
            _home(scene, item.id, lane_of, pool)


def _band(lane: Lane, lane_of: dict[str, Band]) -> Band:
    band = Band(lane.id, lane.name or "", "lane")
    for ref in lane.refs:
        lane_of[ref] = band
    # Child lanes come after, so the innermost lane holding a node wins.
    band.bands = [_band(child, lane_of) for s in lane.children for child in s.lanes]
    return band


def _data_line(scene: Scene, node: str, extra: Verbatim) -> None:
    kind = local(extra)
    if kind not in ("dataInputAssociation", "dataOutputAssociation") or not extra.get("id"):
        return
    refs = {local(r): (r.text or "").strip() for r in extra}
    ident = extra.get("id")
    if kind == "dataInputAssociation" and refs.get("sourceRef"):
        scene.lines.append(Line(ident, refs["sourceRef"], node, "data"))
    elif kind == "dataOutputAssociation" and refs.get("targetRef"):
        scene.lines.append(Line(ident, node, refs["targetRef"], "data"))


def _artifacts(scene: Scene, items: list[Item]) -> None:
    for item in items:
        if item.tag == "textAnnotation":
            scene.boxes[item.id] = _box(item)
        elif item.tag == "association" and item.source and item.target:
            scene.lines.append(Line(item.id, item.source, item.target, "association"))


def _home(scene: Scene, box: str, lane_of: dict[str, Band], pool: Band | None) -> None:
    """Data and annotations go into the band of the first node they are connected to."""
    for line in scene.lines:
        other = line.target if line.source == box else line.source if line.target == box else None
        if other in lane_of:
            lane_of[other].boxes.append(box)
            return
    if pool is not None:
        pool.boxes.append(box)
    else:
        scene.loose.append(box)
