"""From a file to the graph and back: activities, flows, lanes as roles; edits reach the file."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from lxml import etree

from qms.bpmn.from_graph import document, lanes_of
from qms.bpmn.reader import read
from qms.bpmn.schema import validate
from qms.bpmn.to_graph import ProcessGraph, to_graph
from qms.bpmn.writer import write
from qms.domain.entities import Activity, Role
from qms.domain.graph import Link
from qms.domain.kinds import ActivityType as T
from qms.domain.labels import Rel

RICH = (Path(__file__).parent / "data" / "rich.bpmn").read_bytes()


def _graph() -> ProcessGraph:
    (graph,) = to_graph(read(RICH, "rich.bpmn"))
    return graph


def test_activities_types_and_descriptions() -> None:
    graph = _graph()
    types = {a.id: a.node_type for a in graph.activities}
    assert types["Task_reg"] is T.USER_TASK
    assert types["Task_kompl"] is T.SEND_TASK
    assert types["Timer_1"] is T.BOUNDARY_EVENT
    assert types["Sub_utred"] is T.SUBPROCESS
    assert types["Call_beslut"] is T.CALL_ACTIVITY
    assert types["Signal_1"] is T.INTERMEDIATE_EVENT
    assert types["Fork"] is T.PARALLEL_GATEWAY
    assert [a.position for a in graph.activities] == list(range(1, len(graph.activities) + 1))
    reg = next(a for a in graph.activities if a.id == "Task_reg")
    assert reg.description == "Registrera i verksamhetssystemet samma dag."
    assert reg.outputs == ("Personakt",)
    hembesok = next(a for a in graph.activities if a.id == "Sub_task")
    assert hembesok.inputs == ("Verksamhetssystem",)


def test_flows_carry_name_condition_and_default() -> None:
    flows = {(f.source, f.target): f.props for f in _graph().flows}
    assert flows[("Gw_komplett", "Task_kompl")] == {
        "name": "Nej",
        "condition": "komplett = false",
        "is_default": False,
    }
    assert flows[("Gw_komplett", "Sub_utred")]["is_default"] is True
    assert ("Sub_start", "Sub_task") in flows


def test_named_lanes_are_roles_and_the_innermost_lane_performs() -> None:
    graph = _graph()
    assert [(r.id, r.name) for r in graph.roles] == [
        ("Lane_hl", "Handläggare"),
        ("Lane_chef", "Enhetschef"),
    ]
    assert graph.performers["Task_reg"] == "Lane_hl"
    assert graph.performers["Call_beslut"] == "Lane_chef"
    assert graph.name == "Ekonomiskt bistånd"


def _export(graph: ProcessGraph) -> bytes:
    return write(document([graph], read(RICH, "rich.bpmn")))


def test_graph_edits_reach_the_file_and_the_rest_is_kept() -> None:
    graph = _graph()
    renamed = [
        dataclasses.replace(a, name="Registrera ärendet") if a.id == "Task_reg" else a
        for a in graph.activities
        if a.id != "Signal_1"
    ]
    new = Activity(id="a-kontroll", name="Kontrollera", node_type=T.MANUAL_TASK, position=99)
    flows = [f for f in graph.flows if "Signal_1" not in (f.source, f.target)]
    flows.append(
        Link(Rel.FLOWS_TO, "Fork", "a-kontroll", {"name": "", "condition": "", "is_default": False})
    )
    flows.append(
        Link(Rel.FLOWS_TO, "a-kontroll", "Join", {"name": "", "condition": "", "is_default": False})
    )
    edited = dataclasses.replace(graph, activities=(*renamed, new), flows=tuple(flows))
    data = _export(edited)
    assert validate(etree.fromstring(data)) == []
    model = read(data, "export")
    (again,) = to_graph(model)
    names = {a.id: a.name for a in again.activities}
    assert names["Task_reg"] == "Registrera ärendet"
    assert "Signal_1" not in names
    assert names["a-kontroll"] == "Kontrollera"
    assert {(f.source, f.target) for f in again.flows} == {(f.source, f.target) for f in flows}
    diagram = next(d for d in model.diagrams if d.element == "Collab_1")
    assert "a-kontroll" in {s.element for s in diagram.shapes}
    text = data.decode("utf-8")
    assert "camunda:inputOutput" in text
    assert "P14D" in text


def test_a_changed_condition_and_default_are_written() -> None:
    graph = _graph()
    flows = []
    for link in graph.flows:
        if (link.source, link.target) == ("Gw_komplett", "Task_kompl"):
            link = Link(
                link.rel,
                link.source,
                link.target,
                {**link.props, "is_default": True, "condition": ""},
            )
        elif (link.source, link.target) == ("Gw_komplett", "Sub_utred"):
            link = Link(
                link.rel,
                link.source,
                link.target,
                {**link.props, "is_default": False, "condition": "komplett"},
            )
        flows.append(link)
    (again,) = to_graph(read(_export(dataclasses.replace(graph, flows=tuple(flows))), "x"))
    props = {(f.source, f.target): f.props for f in again.flows}
    assert props[("Gw_komplett", "Task_kompl")]["is_default"] is True
    assert props[("Gw_komplett", "Task_kompl")]["condition"] == ""
    assert props[("Gw_komplett", "Sub_utred")]["condition"] == "komplett"


def test_a_new_role_becomes_a_lane_holding_its_activities() -> None:
    graph = _graph()
    role = Role(id="r-ny", name="Socialsekreterare")
    performers = {**graph.performers, "Task_kompl": "r-ny"}
    model = read(
        _export(dataclasses.replace(graph, roles=(*graph.roles, role), performers=performers)), "x"
    )
    lanes = {lane.id: lane for lane in lanes_of(model.processes[0])}
    assert lanes["r-ny"].name == "Socialsekreterare"
    assert lanes["r-ny"].refs == ["Task_kompl"]
    assert "Task_kompl" not in lanes["Lane_hl"].refs


def test_a_process_from_model_files_gets_a_pool_and_lanes() -> None:
    graph = ProcessGraph(
        "p-1",
        "Ta emot ansökan",
        (
            Activity(id="a1", name="Start", node_type=T.START_EVENT, position=1),
            Activity(id="a2", name="Registrera", position=2),
        ),
        (Link(Rel.FLOWS_TO, "a1", "a2", {"name": "", "condition": "", "is_default": False}),),
        (Role(id="r1", name="Handläggare"),),
        {"a1": "r1", "a2": "r1"},
    )
    model = document([graph], None)
    assert [p.name for c in model.collaborations for p in c.participants] == ["Ta emot ansökan"]
    assert [lane.name for lane in lanes_of(model.processes[0])] == ["Handläggare"]
    assert validate(etree.fromstring(write(model))) == []
