"""Importing BPMN into a real store: next versions keep ids and links, all or nothing."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from lxml import etree

from qms.bpmn.compare import differences
from qms.bpmn.reader import read
from qms.domain.entities import Activity, Document, Process, ProcessModel, Risk, Role
from qms.domain.errors import Conflict, InvalidInput
from qms.domain.graph import Link
from qms.domain.kinds import DocumentKind, ProcessKind
from qms.domain.labels import Label, Rel
from qms.services.app import Qms
from qms.services.bpmn_export import export_process, revision
from qms.services.bpmn_graph import process_graph
from qms.services.bpmn_import import import_bpmn

RICH = (Path(__file__).parents[2] / "unit" / "bpmn" / "data" / "rich.bpmn").read_bytes()
NS = {"b": "http://www.omg.org/spec/BPMN/20100524/MODEL"}


def _edit(data: bytes, rename: dict[str, str], remove: set[str], reroute: dict[str, str]) -> bytes:
    """The file with tasks renamed, nodes removed (with their flows), flows retargeted."""
    root = etree.fromstring(data)
    for element in root.iter():
        if element.get("id") in rename:
            element.set("name", rename[element.get("id")])
        if element.get("id") in reroute:
            element.set("targetRef", reroute[element.get("id")])
    for element in list(root.iter()):
        refs = {element.get("id"), element.get("sourceRef"), element.get("targetRef"), element.text}
        if refs & remove and element.getparent() is not None:
            element.getparent().remove(element)
    return bytes(etree.tostring(root))


CAMUNDA = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="Definitions_1"
    targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="{pid}" name="{name}" isExecutable="false">
    <bpmn:startEvent id="StartEvent_1" name="Start"/>
    <bpmn:task id="Activity_{pid}" name="Arbeta"/>
    <bpmn:sequenceFlow id="Flow_1" sourceRef="StartEvent_1" targetRef="Activity_{pid}"/>
  </bpmn:process>
</bpmn:definitions>"""


def _camunda(pid: str, name: str) -> bytes:
    return CAMUNDA.format(pid=pid, name=name).encode("utf-8")


def test_a_file_becomes_a_process_with_activities_flows_roles_and_its_model(qms: Qms) -> None:
    report = import_bpmn(qms, RICH, "rich.bpmn", "anna")
    assert report.processes == ["Proc_bistand"]
    process = qms.store.get(Label.PROCESS, "Proc_bistand")
    assert isinstance(process, Process)
    assert process.name == "Ekonomiskt bistånd"
    assert process.kind is ProcessKind.CORE
    graph = process_graph(qms.store, "Proc_bistand")
    assert len(graph.activities) == 14
    assert {r.name for r in graph.roles} == {"Handläggare", "Enhetschef"}
    assert graph.performers["Task_reg"] == "Lane_hl"
    (model_ref,) = qms.store.neighbours(Label.PROCESS, "Proc_bistand", Rel.HAS_MODEL)
    model = qms.store.get(Label.PROCESS_MODEL, model_ref.id)
    assert isinstance(model, ProcessModel)
    assert model.tool == "Handwritten 1"
    assert qms.store.changes("Task_reg")[0].actor == "anna"


def test_export_gives_back_what_came_in(qms: Qms) -> None:
    import_bpmn(qms, RICH, "rich.bpmn", "anna")
    exported = export_process(qms.store, "Proc_bistand")
    assert differences(read(RICH, "rich.bpmn"), read(exported, "export")) == []


def _link(qms: Qms, link: Link) -> None:
    with qms.unit_of_work("test") as uow:
        uow.link(link)


def _add(qms: Qms, *entities: Risk | Document | Role | Process) -> None:
    with qms.unit_of_work("test") as uow:
        for entity in entities:
            uow.add(entity)


def test_the_next_version_keeps_activity_ids_and_their_links(qms: Qms) -> None:
    import_bpmn(qms, RICH, "rich.bpmn", "anna")
    rutin = Document(id="d-1", title="Rutin", kind=DocumentKind.ROUTINE)
    _add(qms, Risk(id="rk-1", title="Ansökan tappas bort"), rutin)
    _link(qms, Link(Rel.THREATENS, "rk-1", "Task_reg"))
    _link(qms, Link(Rel.GOVERNED_BY, "Task_reg", "d-1"))
    _link(qms, Link(Rel.THREATENS, "rk-1", "Signal_1"))
    edited = _edit(
        RICH,
        rename={"Task_reg": "Registrera ärendet"},
        remove={"Fork", "Signal_1", "Flow_9", "Flow_10", "Flow_11"},
        reroute={"Flow_8": "Join"},
    )
    report = import_bpmn(qms, edited, "rich-v2.bpmn", "bertil")
    task = qms.store.get(Label.ACTIVITY, "Task_reg")
    assert isinstance(task, Activity)
    assert task.name == "Registrera ärendet"
    assert task.version == 2
    threats = qms.store.neighbours(Label.ACTIVITY, "Task_reg", Rel.THREATENS, "in")
    assert [r.id for r in threats] == ["rk-1"]
    rutiner = qms.store.neighbours(Label.ACTIVITY, "Task_reg", Rel.GOVERNED_BY)
    assert [r.id for r in rutiner] == ["d-1"]
    assert qms.store.label_of("Fork") is None  # no other links: deleted
    assert report.kept == ["Signal_1"]  # a risk points at it: kept, out of the process
    assert qms.store.neighbours(Label.ACTIVITY, "Signal_1", Rel.HAS_ACTIVITY, "in") == []
    flows = {(f.source, f.target) for f in process_graph(qms.store, "Proc_bistand").flows}
    assert ("Call_beslut", "Join") in flows


def test_default_ids_of_another_tool_file_do_not_take_over_other_processes(qms: Qms) -> None:
    import_bpmn(qms, _camunda("Process_a", "Första"), "a.bpmn", "anna")
    report = import_bpmn(qms, _camunda("Process_b", "Andra"), "b.bpmn", "anna")
    assert report.renamed == {"StartEvent_1": "Process_b.StartEvent_1"}
    first = process_graph(qms.store, "Process_a")
    second = process_graph(qms.store, "Process_b")
    assert [a.id for a in first.activities] == ["StartEvent_1", "Activity_Process_a"]
    assert [a.id for a in second.activities] == ["Process_b.StartEvent_1", "Activity_Process_b"]
    exported = export_process(qms.store, "Process_b").decode("utf-8")
    assert 'id="Process_b.StartEvent_1"' in exported
    again = import_bpmn(qms, exported.encode("utf-8"), "b2.bpmn", "anna")
    assert again.renamed == {}
    assert again.created == 0


def test_a_lane_named_like_an_existing_role_is_that_role(qms: Qms) -> None:
    _add(qms, Role(id="r-handlaggare", name="Handläggare"))
    import_bpmn(qms, RICH, "rich.bpmn", "anna")
    assert process_graph(qms.store, "Proc_bistand").performers["Task_reg"] == "r-handlaggare"
    assert qms.store.label_of("Lane_hl") is None
    assert b'<bpmn:lane id="r-handlaggare"' in export_process(qms.store, "Proc_bistand")


def test_a_stale_revision_is_a_conflict_and_nothing_is_written(qms: Qms) -> None:
    import_bpmn(qms, RICH, "rich.bpmn", "anna")
    seen = revision(export_process(qms.store, "Proc_bistand"))
    changed = _edit(
        RICH, rename={"Sub_task": "Hembesök hos den enskilde"}, remove=set(), reroute={}
    )
    import_bpmn(qms, changed, "v2.bpmn", "bertil")
    before = qms.store.counts()
    with pytest.raises(Conflict, match="ändrats sedan du öppnade"):
        import_bpmn(qms, RICH, "v3.bpmn", "anna", process_id="Proc_bistand", expected_revision=seen)
    assert qms.store.counts() == before


@pytest.mark.parametrize(
    "data",
    [
        b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY e SYSTEM "file:///etc/passwd">]><definitions/>',
        RICH.replace(b'x="270" y="260"', b'x="ett" y="260"'),
        b"<definitions xmlns='http://www.omg.org/spec/BPMN/20100524/MODEL' targetNamespace='x'/>",
        b"not xml at all",
    ],
    ids=["xxe", "bad-number", "no-process", "not-xml"],
)
def test_a_bad_file_writes_nothing(qms: Qms, data: bytes) -> None:
    import_bpmn(qms, RICH, "rich.bpmn", "anna")
    before, changes = qms.store.counts(), len(qms.store.changes())
    with pytest.raises(InvalidInput):
        import_bpmn(qms, data, "bad.bpmn", "mallory", process_id="Proc_bistand")
    assert qms.store.counts() == before
    assert len(qms.store.changes()) == changes


def test_a_targeted_import_is_the_next_version_of_that_process(qms: Qms) -> None:
    _add(qms, Process(id="p-mal", name="Gammalt namn", kind=ProcessKind.SUPPORT, purpose="Syfte"))
    import_bpmn(qms, _camunda("Process_x", "Nytt namn"), "x.bpmn", "anna", process_id="p-mal")
    process = qms.store.get(Label.PROCESS, "p-mal")
    assert isinstance(process, Process)
    assert process.name == "Nytt namn"
    assert process.kind is ProcessKind.SUPPORT
    assert process.purpose == "Syfte"
    assert qms.store.label_of("Process_x") is None
    assert len(process_graph(qms.store, "p-mal").activities) == 2


def test_a_process_from_model_files_survives_export_and_import_unchanged(demo: Qms) -> None:
    before = process_graph(demo.store, "p-hemtjanst")
    exported = export_process(demo.store, "p-hemtjanst")
    report = import_bpmn(demo, exported, "x", "anna", process_id="p-hemtjanst")
    after = process_graph(demo.store, "p-hemtjanst")
    assert report.updated == 0
    assert report.created == 1  # the file itself, kept from now on
    assert [dataclasses.astuple(a) for a in after.activities] == [
        dataclasses.astuple(a) for a in before.activities
    ]
    assert sorted((f.source, f.target, sorted(f.props.items())) for f in after.flows) == sorted(
        (f.source, f.target, sorted(f.props.items())) for f in before.flows
    )
    assert after.performers == before.performers
