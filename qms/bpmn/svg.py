"""A process drawn by Graphviz for print and pages without JavaScript (BPMN look, not DI)."""

from __future__ import annotations

import textwrap

import graphviz

from qms.bpmn.scene import Band, Box, Scene

FONT = "Helvetica,Arial,sans-serif"
INK = "#1f2328"
MARKS = {"parallelGateway": "+", "inclusiveGateway": "○", "eventBasedGateway": "⬠"}
MARKS |= {"complexGateway": "✱", "exclusiveGateway": "×"}


def quote(text: str) -> str:
    """A dot string literal (quotes and backslashes escaped, newlines kept)."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def wrap(text: str, width: int = 18) -> str:
    """Text broken into short lines for a node label (words are never split)."""
    words = " ".join(text.split())
    return "\n".join(textwrap.wrap(words, width, break_long_words=False)) if words else ""


def _node(box: Box, name: str) -> str:
    if box.kind == "event":
        ends = box.tag == "endEvent"
        double = box.tag.startswith("intermediate") or box.tag == "boundaryEvent"
        attrs = (
            f'shape=circle, width=0.45, fixedsize=true, label="", xlabel={quote(wrap(box.text))}'
            f", penwidth={3 if ends else 1.4}, peripheries={2 if double else 1}"
        )
    elif box.kind == "gateway":
        mark = MARKS.get(box.tag, "")
        attrs = (
            f'shape=diamond, width=0.6, height=0.6, fixedsize=true, label=<<FONT POINT-SIZE="16">'
            f"{mark}</FONT>>, xlabel={quote(wrap(box.text))}"
        )
    elif box.kind in ("data", "store"):
        shape = "note" if box.kind == "data" else "cylinder"
        attrs = f'shape={shape}, width=0.45, height=0.6, label="", xlabel={quote(wrap(box.text))}'
    elif box.kind == "annotation":
        attrs = f'shape=box, style=dashed, color="#6e7781", label={quote(wrap(box.text, 22))}'
    else:
        attrs = (
            f'shape=box, style="rounded,filled", fillcolor="#ffffff", width=1.3, height=0.9,'
            f" label={quote(wrap(box.text))}"
        )
    return f"{name} [{attrs}];"


def _cluster(scene: Scene, band: Band, names: dict[str, str], out: list[str]) -> None:
    number = len([k for k in names if k.startswith("band:")])
    names[f"band:{band.id}"] = f"cluster_{number}"
    fill = "#f6f8fa" if band.kind == "pool" else "#ffffff"
    out.append(
        f"subgraph cluster_{number} {{ label={quote(band.name)}; labeljust=l; style=filled;"
        f' fillcolor="{fill}"; color="#8c959f";'
    )
    if band.boxes or not band.bands:
        out.append(f'head{number} [style=invis, width=0.01, height=0.6, label=""];')
        names[f"head:{band.id}"] = f"head{number}"
    out.extend(_node(scene.boxes[b], names[b]) for b in band.boxes if b in scene.boxes)
    for child in band.bands:
        _cluster(scene, child, names, out)
    out.append("}")


def _all(bands: list[Band]) -> list[Band]:
    return [b for band in bands for b in (band, *_all(band.bands))]


def source(scene: Scene) -> str:
    """The dot text of a process in BPMN style: pools and lanes as labelled clusters."""
    names = {box: f"n{i}" for i, box in enumerate(scene.boxes)}
    out = [
        "digraph process {",
        f'graph [rankdir=LR, newrank=true, nodesep=0.3, ranksep=0.45, fontname="{FONT}",'
        ' fontsize=12, forcelabels=true, bgcolor="white", pad=0.2];',
        f'node [fontname="{FONT}", fontsize=10, color="{INK}", penwidth=1.4];',
        f'edge [fontname="{FONT}", fontsize=9, color="{INK}", arrowsize=0.7];',
    ]
    for band in scene.bands:
        _cluster(scene, band, names, out)
    firsts = {
        f"head:{band.id}": next((b for b in band.boxes if b in scene.boxes), "")
        for band in _all(scene.bands)
    }
    out.extend(_node(scene.boxes[b], names[b]) for b in scene.loose if b in scene.boxes)
    for event, host in scene.hosts.items():
        if event in names and host in names:
            out.append(f"{names[host]} -> {names[event]} [style=dotted, arrowhead=none];")
    heads = [v for k, v in names.items() if k.startswith("head:")]
    if len(heads) > 1:
        out.append(f"{{rank=same; {'; '.join(heads)};}}")
        out.append(" -> ".join(reversed(heads)) + " [style=invis];")
        for key, head_name in names.items():
            first = firsts.get(key)
            if key.startswith("head:") and first:
                out.append(f"{head_name} -> {names[first]} [style=invis];")
    for line in scene.lines:
        tail = names.get(line.source) or names.get(f"head:{line.source}")
        head = names.get(line.target) or names.get(f"head:{line.target}")
        if tail is None or head is None:
            continue
        style = {
            "message": "style=dashed, arrowhead=empty, constraint=false",
            "association": "style=dotted, arrowhead=none",
            "data": "style=dotted, arrowhead=vee",
        }.get(line.kind, "")
        label = f"label={quote(wrap(line.text, 14))}" if line.text else ""
        attrs = ", ".join(a for a in (style, label) if a)
        out.append(f"{tail} -> {head} [{attrs}];")
    out.append("}")
    return "\n".join(out)


def render(text: str) -> bytes:
    """SVG bytes of a dot text."""
    return bytes(graphviz.Source(text).pipe(format="svg"))
