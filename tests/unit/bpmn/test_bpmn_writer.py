"""The writer: XSD-valid BPMN 2.0, incoming/outgoing everywhere, ids kept, round trips."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from qms.bpmn.compare import differences
from qms.bpmn.from_graph import document
from qms.bpmn.reader import read
from qms.bpmn.schema import validate
from qms.bpmn.to_graph import to_graph
from qms.bpmn.writer import write

RICH = (Path(__file__).parent / "data" / "rich.bpmn").read_bytes()
BPMN = "{http://www.omg.org/spec/BPMN/20100524/MODEL}"


def test_the_rich_file_itself_is_not_valid_but_its_export_is() -> None:
    assert validate(etree.fromstring(RICH))  # a vendor element where BPMN allows none
    assert validate(etree.fromstring(write(read(RICH, "rich.bpmn")))) == []


def test_every_flow_node_lists_its_incoming_and_outgoing_flows() -> None:
    root = etree.fromstring(write(read(RICH, "rich.bpmn")))
    flows = {f.get("id"): f for f in root.iter(f"{BPMN}sequenceFlow")}
    for flow_id, flow in flows.items():
        source = root.find(f".//*[@id='{flow.get('sourceRef')}']")
        target = root.find(f".//*[@id='{flow.get('targetRef')}']")
        assert flow_id in [o.text for o in source.findall(f"{BPMN}outgoing")]
        assert flow_id in [i.text for i in target.findall(f"{BPMN}incoming")]


def test_ids_are_kept() -> None:
    ids = {e.get("id") for e in etree.fromstring(RICH).iter() if e.get("id")}
    written = {e.get("id") for e in etree.fromstring(write(read(RICH, "x"))).iter() if e.get("id")}
    assert ids <= written


def test_read_write_read_gives_the_same_model() -> None:
    first = read(RICH, "rich.bpmn")
    assert differences(first, read(write(first), "again")) == []


def test_the_graph_round_trip_keeps_the_whole_file() -> None:
    model = read(RICH, "rich.bpmn")
    exported = write(document(to_graph(model), read(RICH, "rich.bpmn")))
    assert differences(model, read(exported, "export")) == []


def test_unknown_attributes_and_bpmn_elements_in_extensions_are_moved_not_lost() -> None:
    data = RICH.replace(b'<task id="Sub_task"', b'<task odd="1" id="Sub_task"').replace(
        b"<camunda:inputOutput>", b"<Mystery>x</Mystery><camunda:inputOutput>"
    )
    model = read(data, "odd.bpmn")
    text = write(model).decode("utf-8")
    assert 'qmsx:odd="1"' in text or ':odd="1"' in text
    assert "Mystery>x</" in text
    assert validate(etree.fromstring(text.encode("utf-8"))) == []
    assert len(model.warnings) == 3


def test_duplicate_ids_are_made_unique_keeping_the_process_id() -> None:
    data = RICH.replace(b'<message id="Msg_ansokan"', b'<message id="Proc_bistand"')
    model = read(data, "dup.bpmn")
    assert model.processes[0].id == "Proc_bistand"
    assert validate(etree.fromstring(write(model))) == []
