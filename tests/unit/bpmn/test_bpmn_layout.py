"""Layout with Graphviz: DI for everything, lanes as bands, no edge through a shape."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from lxml import etree

from qms.bpmn.from_graph import document, lanes_of
from qms.bpmn.geometry import crossings, label_overlaps
from qms.bpmn.model import Definitions
from qms.bpmn.reader import read
from qms.bpmn.sample import synthetic_process
from qms.bpmn.schema import validate
from qms.bpmn.to_graph import to_graph
from qms.bpmn.writer import write

RICH = (Path(__file__).parent / "data" / "rich.bpmn").read_bytes()


def _frames(model: Definitions) -> set[str]:
    pools = {p.id for c in model.collaborations for p in c.participants}
    return pools | {lane.id for p in model.processes for lane in lanes_of(p)}


@pytest.mark.parametrize(("size", "seed"), [(12, 1), (40, 2), (60, 3)])
def test_a_process_without_diagram_gets_a_clean_layout(size: int, seed: int) -> None:
    graph = synthetic_process(size, seed)
    model = document([graph], None)
    (diagram,) = model.diagrams
    drawn = {s.element for s in diagram.shapes}
    process = model.processes[0]
    assert {n.id for n, _ in process.body.walk()} <= drawn
    assert {f.id for f in process.body.flows} <= {e.element for e in diagram.edges}
    assert crossings(diagram, _frames(model)) == []
    assert label_overlaps(diagram, _frames(model)) == []
    assert validate(etree.fromstring(write(model))) == []


def test_lanes_are_stacked_full_width_bands_in_file_order_holding_their_nodes() -> None:
    graph = synthetic_process(30, 4, lanes=3)
    model = document([graph], None)
    (diagram,) = model.diagrams
    shapes = {s.element: s.bounds for s in diagram.shapes}
    lanes = [shapes[lane.id] for lane in lanes_of(model.processes[0])]
    assert len(lanes) == 3
    assert [lane.y for lane in lanes] == sorted(lane.y for lane in lanes)
    for upper, lower in zip(lanes, lanes[1:], strict=False):
        assert upper.y + upper.height == pytest.approx(lower.y)
    assert len({(lane.x + lane.width) for lane in lanes}) == 1
    for activity, role in graph.performers.items():
        lane, box = shapes[role], shapes[activity]
        assert lane.y <= box.y
        assert box.y + box.height <= lane.y + lane.height
        assert lane.x < box.x


def test_layout_of_sixty_activities_is_quick() -> None:
    graph = synthetic_process(60, 1)
    started = time.perf_counter()
    document([graph], None)
    assert time.perf_counter() - started < 1.5  # the target (150 ms) is checked by the bench


def test_a_collaboration_without_diagram_is_laid_out_with_pools_and_drill_down() -> None:
    data = re.sub(rb"<bpmndi:BPMNDiagram.*</bpmndi:BPMNDiagram>", b"", RICH, flags=re.S)
    model = document(to_graph(read(data, "bare.bpmn")), read(data, "bare.bpmn"))
    elements = {d.element for d in model.diagrams}
    assert elements == {"Collab_1", "Sub_utred"}
    main = next(d for d in model.diagrams if d.element == "Collab_1")
    shapes = {s.element: s for s in main.shapes}
    assert shapes["Sub_utred"].is_expanded is False
    assert shapes["Pool_sokande"].is_horizontal is True
    assert {"Lane_hl", "Lane_chef", "Timer_1", "Note_1", "DataRef_akt"} <= set(shapes)
    timer, host = shapes["Timer_1"].bounds, shapes["Task_kompl"].bounds
    assert timer.y + timer.height / 2 == pytest.approx(host.y + host.height)
    assert validate(etree.fromstring(write(model))) == []


def test_a_diagram_that_came_with_the_file_is_not_touched() -> None:
    model = read(RICH, "rich.bpmn")
    before = [(s.id, s.bounds) for s in model.diagrams[0].shapes]
    document(to_graph(model), model)
    assert [(s.id, s.bounds) for s in model.diagrams[0].shapes] == before
