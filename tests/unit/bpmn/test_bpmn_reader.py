"""The reader: any prefix or none, every element family, DI flags, unknown content kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from qms.bpmn.model import FlowNode, Item, Process
from qms.bpmn.reader import read
from qms.domain.errors import InvalidInput

RICH = (Path(__file__).parent / "data" / "rich.bpmn").read_bytes()
MODEL = "http://www.omg.org/spec/BPMN/20100524/MODEL"

MINIMAL = """<?xml version="1.0" encoding="UTF-8"?>
<{p}definitions {decl} id="D" targetNamespace="urn:x">
  <{p}process id="P" name="Flöde">
    <{p}startEvent id="S"/><{p}task id="T" name="Gör"/><{p}endEvent id="E"/>
    <{p}sequenceFlow id="F1" sourceRef="S" targetRef="T"/>
    <{p}sequenceFlow id="F2" sourceRef="T" targetRef="E"/>
  </{p}process>
</{p}definitions>"""


def _minimal(prefix: str, declaration: str) -> bytes:
    return MINIMAL.format(p=prefix, decl=declaration).encode("utf-8")


@pytest.mark.parametrize(
    ("prefix", "declaration"),
    [
        ("bpmn:", f'xmlns:bpmn="{MODEL}"'),
        ("bpmn2:", f'xmlns:bpmn2="{MODEL}"'),
        ("semantic:", f'xmlns:semantic="{MODEL}"'),
        ("", f'xmlns="{MODEL}"'),
        ("", ""),
        ("model:", 'xmlns:model="http://schema.omg.org/spec/BPMN/2.0"'),
    ],
)
def test_any_prefix_or_none_reads_the_same_process(prefix: str, declaration: str) -> None:
    model = read(_minimal(prefix, declaration), "f.bpmn")
    (process,) = model.processes
    assert [n.tag for n in process.body.nodes] == ["startEvent", "task", "endEvent"]
    assert [(f.source, f.target) for f in process.body.flows] == [("S", "T"), ("T", "E")]


def _nodes(process: Process) -> dict[str, FlowNode]:
    return {node.id: node for node, _ in process.body.walk()}


def test_every_family_of_the_rich_file_is_read() -> None:
    model = read(RICH, "rich.bpmn")
    (process,) = model.processes
    nodes = _nodes(process)
    assert nodes["Task_reg"].tag == "userTask"
    assert nodes["Timer_1"].attached_to == "Task_kompl"
    assert [d.tag for d in nodes["Timer_1"].definitions] == ["timerEventDefinition"]
    assert nodes["Gw_komplett"].default == "Flow_4"
    assert nodes["Sub_utred"].body is not None
    assert {n.id for n in nodes["Sub_utred"].body.nodes} == {"Sub_start", "Sub_task", "Sub_end"}
    flows = {f.id: f for body in process.body.containers() for f in body.flows}
    assert flows["Flow_3"].name == "Nej"
    assert flows["Flow_3"].condition is not None
    assert "".join(flows["Flow_3"].condition.itertext()) == "komplett = false"
    (lane,) = process.body.lane_sets[0].lanes
    assert lane.name == "Handläggare"
    assert [child.name for s in lane.children for child in s.lanes] == ["Enhetschef"]
    (collaboration,) = model.collaborations
    assert [p.process for p in collaboration.participants] == ["Proc_bistand", None]
    assert [(m.source, m.target) for m in collaboration.message_flows] == [
        ("Pool_sokande", "Start_1")
    ]
    items: dict[str, Item] = {i.id: i for i in (*process.body.data, *process.body.artifacts)}
    assert items["Note_1"].text == "Handläggningstid högst 4 veckor"
    assert (items["Assoc_1"].source, items["Assoc_1"].target) == ("Note_1", "Task_reg")
    assert items["Store_ref"].tag == "dataStoreReference"


def test_documentation_extensions_and_vendor_attributes_are_kept() -> None:
    process = read(RICH, "rich.bpmn").processes[0]
    task = _nodes(process)["Task_reg"]
    assert "".join(task.docs[0].itertext()) == "Registrera i verksamhetssystemet samma dag."
    assert any(e.tag.endswith("extensionElements") for e in task.extras)
    assert task.attrs["{http://camunda.org/schema/1.0/bpmn}assignee"] == "handlaggare"
    assert process.attrs["{urn:example:vendor}owner"] == "socialtjänsten"


def test_a_foreign_element_moves_into_extension_elements_with_a_warning() -> None:
    model = read(RICH, "rich.bpmn")
    holder = next(e for e in model.processes[0].extras if e.tag.endswith("extensionElements"))
    assert [child.get("id") for child in holder] == ["Sim_1"]
    assert any("rich.bpmn:" in w and "simulation" in w for w in model.warnings)


def test_diagram_interchange_is_read_with_flags_and_labels() -> None:
    (diagram,) = read(RICH, "rich.bpmn").diagrams
    shapes = {s.element: s for s in diagram.shapes}
    assert shapes["Pool_kommun"].is_horizontal is True
    assert shapes["Sub_utred"].is_expanded is True
    assert shapes["Gw_komplett"].is_marker_visible is True
    assert shapes["Start_1"].label is not None
    assert shapes["Start_1"].label.bounds is not None
    edges = {e.element: e for e in diagram.edges}
    assert edges["Flow_5"].waypoints == [(400, 390), (320, 390), (320, 340)]


def test_an_error_names_file_line_id_and_tag() -> None:
    data = RICH.replace(b'<omgdc:Bounds x="270" y="260"', b'<omgdc:Bounds x="abc" y="260"')
    with pytest.raises(InvalidInput) as caught:
        read(data, "rich.bpmn")
    (where,) = caught.value.errors
    assert where.startswith("rich.bpmn:")
    assert "<Bounds" in where
    assert caught.value.errors[where] == ["x='abc' är inget tal"]


def test_a_file_that_is_not_bpmn_is_refused() -> None:
    with pytest.raises(InvalidInput, match="inte BPMN <definitions>"):
        read(b"<html><body/></html>", "page.html")


def test_a_sequence_flow_without_an_end_is_dropped_with_a_warning() -> None:
    data = _minimal("", "").replace(b'sourceRef="T" targetRef="E"', b'targetRef="E"')
    model = read(data, "f.bpmn")
    assert [f.id for f in model.processes[0].body.flows] == ["F1"]
    assert model.warnings == [
        'f.bpmn:6 <sequenceFlow id="F2">: sekvensflöde utan källa eller mål togs bort'
    ]
