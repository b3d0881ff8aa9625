"""Compare models: exact signatures for round trips, element counts against a reference."""

from __future__ import annotations

from collections import Counter
from typing import Any

from qms.bpmn.model import (
    Bounds,
    Collaboration,
    Container,
    Definitions,
    DiagramLabel,
    Element,
    FlowNode,
    Process,
    Verbatim,
)


def fingerprint(element: Verbatim) -> Any:
    """Prefix- and indentation-independent content of a verbatim element."""
    if not isinstance(element.tag, str):
        return None
    return (
        element.tag,
        tuple(sorted(element.attrib.items())),
        (element.text or "").strip(),
        tuple(fingerprint(child) for child in element if isinstance(child.tag, str)),
        (element.tail or "").strip(),
    )


def _base(item: Element) -> tuple[Any, ...]:
    fields = {k: v for k, v in vars(item).items() if k not in ("docs", "extras", "line", "body")}
    fields["definitions"] = [_base(d) for d in fields.get("definitions", [])]
    if "condition" in fields and fields["condition"] is not None:
        fields["condition"] = fingerprint(fields["condition"])
    if "lanes" in fields:
        fields["lanes"] = [_base(lane) for lane in fields["lanes"]]
    if "children" in fields:
        fields["children"] = [_base(child) for child in fields["children"]]
    if "participants" in fields:
        fields["participants"] = [_base(p) for p in fields["participants"]]
        fields["message_flows"] = [_base(m) for m in fields["message_flows"]]
        fields["artifacts"] = [_base(a) for a in fields["artifacts"]]
    docs = [fingerprint(d) for d in item.docs]
    extras = [fingerprint(e) for e in item.extras]
    return (repr(sorted(fields.items(), key=lambda kv: kv[0])), docs, extras)


def _container(body: Container) -> dict[str, Any]:
    return {
        "nodes": {n.id: (_base(n), _container(n.body) if n.body else None) for n in body.nodes},
        "flows": {f.id: _base(f) for f in body.flows},
        "data": {d.id: _base(d) for d in body.data},
        "artifacts": {a.id: _base(a) for a in body.artifacts},
        "lanes": [_base(s) for s in body.lane_sets],
    }


def _box(box: Bounds | None) -> Any:
    if box is None:
        return None
    return tuple(round(v, 2) for v in (box.x, box.y, box.width, box.height))


def _label(label: DiagramLabel | None) -> Any:
    if label is None:
        return None
    return (_box(label.bounds), sorted(label.attrs.items()), [fingerprint(e) for e in label.extras])


def signature(model: Definitions) -> dict[str, Any]:
    """Everything the model holds, as plain data: equal signatures mean equal models."""
    roots: list[Any] = []
    for root in model.roots:
        if isinstance(root, Process):
            roots.append((_base(root), _container(root.body)))
        elif isinstance(root, Collaboration):
            roots.append(_base(root))
        else:
            roots.append(fingerprint(root))
    diagrams = []
    for diagram in model.diagrams:
        shapes = {
            s.id: (
                s.element,
                _box(s.bounds),
                _label(s.label),
                (s.is_expanded, s.is_horizontal, s.is_marker_visible),
                sorted(s.attrs.items()),
                [fingerprint(e) for e in s.extras],
            )
            for s in diagram.shapes
        }
        edges = {
            e.id: (
                e.element,
                [(round(x, 2), round(y, 2)) for x, y in e.waypoints],
                _label(e.label),
                sorted(e.attrs.items()),
                [fingerprint(x) for x in e.extras],
            )
            for e in diagram.edges
        }
        diagrams.append((diagram.id, diagram.element, sorted(diagram.attrs.items()), shapes, edges))
    return {
        "id": model.id,
        "attrs": sorted(model.attrs.items()),
        "extras": [fingerprint(e) for e in model.extras],
        "roots": roots,
        "diagrams": diagrams,
    }


def differences(left: Definitions, right: Definitions) -> list[str]:
    """Which parts of two models' signatures differ (empty when they are the same model)."""
    a, b = signature(left), signature(right)
    found = [key for key in a if a[key] != b[key]]
    if "roots" in found and len(a["roots"]) == len(b["roots"]):
        found.remove("roots")
        found += [
            f"roots[{i}]"
            for i, (x, y) in enumerate(zip(a["roots"], b["roots"], strict=True))
            if x != y
        ]
    return found


def _name(text: str | None) -> str:
    return " ".join((text or "").split()).casefold()


def _kind(node: FlowNode) -> str:
    marks = sorted(d.tag.removesuffix("EventDefinition") for d in node.definitions)
    return node.tag + (f"[{','.join(marks)}]" if marks else "")


def census(model: Definitions) -> dict[str, Counter[str]]:
    """Counts to hold a tool's file against the reference: nodes by type, flows, lanes, DI."""
    nodes: Counter[str] = Counter()
    counts: Counter[str] = Counter()
    lanes: Counter[str] = Counter()
    pools: Counter[str] = Counter()
    for process in model.processes:
        for node, _body in process.body.walk():
            nodes[_kind(node)] += 1
        for body in process.body.containers():
            counts["sequenceFlow"] += len(body.flows)
            counts["data"] += len(body.data)
            stack = [lane for s in body.lane_sets for lane in s.lanes]
            while stack:
                lane = stack.pop()
                lanes[_name(lane.name)] += 1
                stack += [child for s in lane.children for child in s.lanes]
    for collaboration in model.collaborations:
        counts["messageFlow"] += len(collaboration.message_flows)
        pools.update(_name(p.name) for p in collaboration.participants)
    for diagram in model.diagrams:
        counts["BPMNShape"] += len(diagram.shapes)
        counts["BPMNEdge"] += len(diagram.edges)
    return {"nodes": nodes, "counts": counts, "lanes": lanes, "pools": pools}


def against_reference(model: Definitions, reference: Definitions) -> list[str]:
    """Human-readable differences from the reference model ('nodes: task 3≠4')."""
    mine, ref = census(model), census(reference)
    found = []
    for part in ("nodes", "counts", "lanes", "pools"):
        for key in sorted(set(mine[part]) | set(ref[part])):
            if mine[part][key] != ref[part][key]:
                found.append(f"{part}: {key or '(namnlös)'} {mine[part][key]}≠{ref[part][key]}")
    return found
