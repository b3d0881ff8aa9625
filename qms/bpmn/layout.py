"""Compute diagram interchange with Graphviz and write it into the model."""

from __future__ import annotations

from qms.bpmn.dot import PAD, Raw, parts, run, source, upright
from qms.bpmn.edges import edges as route_edges
from qms.bpmn.geometry import cuts
from qms.bpmn.model import Bounds, Definitions, Diagram, DiagramLabel, Edge, Process, Shape
from qms.bpmn.scene import Band, Scene, of_body, of_collaboration

STRIP = 30.0
MARGIN = 20.0
Point = tuple[float, float]


def scene_of(model: Definitions, process: Process) -> Scene:
    """What the diagram of ``process`` shows: its collaboration (every pool) or itself."""
    for collaboration in model.collaborations:
        if any(pool.process == process.id for pool in collaboration.participants):
            return of_collaboration(collaboration, {p.id: p for p in model.processes})
    return of_body(process.id, process.body)


def lay_out(model: Definitions, process: Process) -> None:
    """Lay out the diagram showing ``process`` (with every pool beside it) afresh."""
    scene = scene_of(model, process)
    draw(model, scene, {scene.element, process.id})


def draw(model: Definitions, scene: Scene, elements: set[str]) -> None:
    """Place ``scene`` and make it the content of its diagram (created when missing)."""
    diagram = next((d for d in model.diagrams if d.element in elements), None)
    if diagram is None:
        diagram = Diagram(f"BPMNDiagram_{scene.element}", scene.element)
        diagram.plane_id = f"BPMNPlane_{scene.element}"
        model.diagrams.append(diagram)
    diagram.element = scene.element
    diagram.shapes, diagram.edges = place(scene)
    collapsed = {node.id for node in scene.collapsed}
    for shape in diagram.shapes:
        if shape.element in collapsed:
            shape.is_expanded = False
    for node in scene.collapsed:
        if node.body is not None:
            draw(model, of_body(node.id, node.body), {node.id})


def place(scene: Scene) -> tuple[list[Shape], list[Edge]]:
    """Shapes and edges for every box, band and line of the scene."""
    names: dict[str, str] = {}
    raw = run(source(scene, names))
    upright(raw, scene, names)
    boxes: dict[str, Bounds] = {}
    shapes: list[Shape] = []
    for box in scene.boxes.values():
        if names[box.id] not in raw.nodes:
            continue
        cx, cy, _, height = raw.nodes[names[box.id]]
        top = cy - height / 2 + PAD if box.outside else cy - box.height / 2
        boxes[box.id] = Bounds(cx - box.width / 2, top, box.width, box.height)
        label = None
        if box.outside and box.label[0]:
            width, tall = box.label
            label = DiagramLabel(Bounds(cx - width / 2, top + box.height + PAD + 2, width, tall))
        marker = True if box.tag == "exclusiveGateway" else None
        shapes.append(Shape(f"{box.id}_di", box.id, boxes[box.id], label, is_marker_visible=marker))
    _boundaries(scene, boxes, shapes)
    labels = [s.label.bounds for s in shapes if s.label and s.label.bounds]
    edges = route_edges(scene, raw, names, boxes, labels)
    bands = _bands(scene, raw, names, shapes, edges)
    _to_pools(scene, {s.element: s.bounds for s in bands}, boxes, edges)
    _shift(bands + shapes, edges)
    return bands + shapes, edges


def _shift(shapes: list[Shape], edges: list[Edge]) -> None:
    """Move the drawing so its top left corner is at (MARGIN, MARGIN)."""
    frames = [s.bounds for s in shapes] + [
        s.label.bounds for s in shapes if s.label and s.label.bounds
    ]
    xs = [f.x for f in frames] + [x for e in edges for x, _ in e.waypoints]
    ys = [f.y for f in frames] + [y for e in edges for _, y in e.waypoints]
    if not xs:
        return
    dx, dy = MARGIN - min(xs), MARGIN - min(ys)
    for frame in frames + [e.label.bounds for e in edges if e.label and e.label.bounds]:
        frame.x += dx
        frame.y += dy
    for edge in edges:
        edge.waypoints = [(x + dx, y + dy) for x, y in edge.waypoints]


def _boundaries(scene: Scene, boxes: dict[str, Bounds], shapes: list[Shape]) -> None:
    """Boundary events sit on the lower border of their host, spread along it."""
    by_host: dict[str, list[str]] = {}
    for event, host in scene.hosts.items():
        by_host.setdefault(host, []).append(event)
    for host, events in by_host.items():
        if host not in boxes:
            continue
        frame = boxes[host]
        for index, event in enumerate(events):
            cx = frame.x + frame.width * (index + 1) / (len(events) + 1)
            boxes[event] = Bounds(cx - 18, frame.y + frame.height - 18, 36, 36)
            text = scene.boxes[event].label
            label = (
                DiagramLabel(Bounds(cx + 20, frame.y + frame.height + 4, *text))
                if text[0]
                else None
            )
            shapes.append(Shape(f"{event}_di", event, boxes[event], label))


def _bands(
    scene: Scene, raw: Raw, names: dict[str, str], shapes: list[Shape], edges: list[Edge]
) -> list[Shape]:
    """Pools and lanes as full-width horizontal bands around what dot placed in them."""
    if not scene.bands:
        return []
    xs = [s.bounds.x for s in shapes] + [x for e in edges for x, _ in e.waypoints]
    ends = [s.bounds.x + s.bounds.width for s in shapes] + [
        x for e in edges for x, _ in e.waypoints
    ]
    for shape in shapes:
        if shape.label and shape.label.bounds:
            xs.append(shape.label.bounds.x)
            ends.append(shape.label.bounds.x + shape.label.bounds.width)
    depth = _depth(scene.bands)
    left = (min(xs) if xs else 0.0) - MARGIN - STRIP * depth
    right = (max(ends) if ends else 400.0) + MARGIN
    found: list[Shape] = []

    def frame(band: Band) -> tuple[float, float]:
        x, y, _, height = raw.clusters[names[f"band:{band.id}"]]
        return y, y + height

    def visit(bands: list[Band], top: float, bottom: float, level: int, fill: bool) -> None:
        spans = sorted(((frame(b), b) for b in bands), key=lambda item: item[0][0])
        for index, ((start, end), band) in enumerate(spans):
            if fill:
                start = top if index == 0 else (spans[index - 1][0][1] + start) / 2
                end = bottom if index == len(spans) - 1 else (end + spans[index + 1][0][0]) / 2
            if band.kind == "own":
                continue  # a lane's own nodes: room in the lane, no shape of its own
            x = left + STRIP * level
            found.append(
                Shape(
                    f"{band.id}_di",
                    band.id,
                    Bounds(x, start, right - x, end - start),
                    is_horizontal=True,
                )
            )
            visit(parts(band) if band.bands else [], start, end, level + 1, True)

    pools = scene.bands[0].kind == "pool"
    tops = [frame(b)[0] for b in scene.bands]
    bottoms = [frame(b)[1] for b in scene.bands]
    visit(scene.bands, min(tops), max(bottoms), 0, not pools)
    return found


def _to_pools(
    scene: Scene, pools: dict[str, Bounds], boxes: dict[str, Bounds], edges: list[Edge]
) -> None:
    """A message flow to or from a pool without a process runs straight to its border."""
    by_id = {edge.element: edge for edge in edges}
    for line in scene.lines:
        edge = by_id.get(line.id)
        pool_end = line.source if line.source in pools else line.target
        node_end = line.target if pool_end == line.source else line.source
        if edge is None or pool_end not in pools or node_end not in boxes:
            continue
        pool, node = pools[pool_end], boxes[node_end]
        others = [frame for key, frame in boxes.items() if key != node_end]
        for x in (node.x + node.width / 2, node.x + 6, node.x + node.width - 6):
            if pool.y + pool.height <= node.y:
                points = [(x, pool.y + pool.height), (x, node.y)]
            else:
                points = [(x, pool.y), (x, node.y + node.height)]
            if not any(cuts(points[0], points[1], frame) for frame in others):
                break
        edge.waypoints = points if pool_end == line.source else points[::-1]
        if edge.label is not None and edge.label.bounds is not None:
            box = edge.label.bounds
            box.x, box.y = x + 4, (points[0][1] + points[1][1] - box.height) / 2


def _depth(bands: list[Band]) -> int:
    return 1 + max((_depth(b.bands) for b in bands), default=0) if bands else 0
