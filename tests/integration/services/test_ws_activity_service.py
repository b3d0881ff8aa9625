"""The activity list editor's services: order, flows, branches, documents and the diagram."""

from __future__ import annotations

import re

import pytest
from lxml import etree

from qms.domain.entities import Activity, Document, OrgUnit, Risk, Role
from qms.domain.errors import InvalidInput
from qms.domain.graph import Link
from qms.domain.kinds import ActivityType, DocumentKind, OrgLevel
from qms.domain.labels import Label, Rel
from qms.services.access import coordinator
from qms.services.app import Qms
from qms.services.bpmn_diagrams import process_svg
from qms.services.bpmn_export import export_process, revision
from qms.services.bpmn_graph import stored_model
from qms.services.bpmn_import import import_bpmn
from qms.services.workspace import EditConflict
from qms.services.workspace_activities import (
    activity_list,
    activity_values,
    add_activity,
    move_activity,
    remove_activity,
    reorder,
    update_activity,
)
from qms.services.workspace_processes import create_process

ANNA = coordinator("anna")
BERIT = coordinator("berit")
BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"


@pytest.fixture
def org(qms: Qms) -> Qms:
    """Two branches of an organisation, a role and a rutin on each side."""
    with qms.unit_of_work("test") as uow:
        uow.add(OrgUnit(id="ou-top", name="Förvaltningen", level=OrgLevel.ADMINISTRATION))
        uow.add(OrgUnit(id="ou-a", name="Äldreomsorgen", level=OrgLevel.DEPARTMENT))
        uow.add(OrgUnit(id="ou-b", name="Förskolan", level=OrgLevel.DEPARTMENT))
        uow.link(Link(Rel.PART_OF, "ou-a", "ou-top"))
        uow.link(Link(Rel.PART_OF, "ou-b", "ou-top"))
        uow.add(Role(id="r-hl", name="Handläggare"))
        uow.add(Document(id="d-top", title="Riktlinje", kind=DocumentKind.GUIDELINE))
        uow.add(Document(id="d-a", title="Rutin för ansökan", kind=DocumentKind.ROUTINE))
        uow.add(Document(id="d-b", title="Rutin i förskolan", kind=DocumentKind.ROUTINE))
        uow.link(Link(Rel.BELONGS_TO, "d-top", "ou-top"))
        uow.link(Link(Rel.BELONGS_TO, "d-a", "ou-a"))
        uow.link(Link(Rel.BELONGS_TO, "d-b", "ou-b"))
    return qms


def lock(qms: Qms, process_id: str) -> dict[str, str]:
    listing = activity_list(qms, process_id)
    return {"state": listing.state, "seen": listing.seen}


def build(qms: Qms, *names: str) -> tuple[str, list[str]]:
    process = create_process(qms, ANNA, {"name": "Ansökan", "kind": "core", "org_unit": "ou-a"})
    ids = [
        add_activity(qms, ANNA, process.id, {"name": n, **lock(qms, process.id)}).id for n in names
    ]
    return process.id, ids


def names(qms: Qms, process_id: str) -> list[str]:
    return [row.activity.name for row in activity_list(qms, process_id).rows]


def flows(qms: Qms, process_id: str) -> set[tuple[str, str]]:
    rows = activity_list(qms, process_id).rows
    return {
        (link.source, link.target)
        for row in rows
        for link in qms.store.outgoing(Label.ACTIVITY, row.activity.id, Rel.FLOWS_TO)
    }


def test_added_activities_flow_in_list_order(org: Qms) -> None:
    pid, (a, b, c) = build(org, "Ta emot", "Utreda", "Besluta")
    assert names(org, pid) == ["Ta emot", "Utreda", "Besluta"]
    assert flows(org, pid) == {(a, b), (b, c)}
    positions = [row.activity.position for row in activity_list(org, pid).rows]
    assert positions == [1, 2, 3]


def test_a_new_activity_goes_before_the_closing_end_event(org: Qms) -> None:
    pid, _ = build(org, "Ta emot")
    add_activity(org, ANNA, pid, {"name": "Klart", "node_type": "end_event", **lock(org, pid)})
    add_activity(org, ANNA, pid, {"name": "Besluta", **lock(org, pid)})
    assert names(org, pid) == ["Ta emot", "Besluta", "Klart"]


def test_move_and_reorder_rewrite_the_flow(org: Qms) -> None:
    pid, (a, b, c) = build(org, "Ta emot", "Utreda", "Besluta")
    move_activity(org, ANNA, pid, {"activity": c, "direction": "up", **lock(org, pid)})
    assert names(org, pid) == ["Ta emot", "Besluta", "Utreda"]
    assert flows(org, pid) == {(a, c), (c, b)}
    reorder(org, ANNA, pid, {"order": [b, a, c], **lock(org, pid)})
    assert names(org, pid) == ["Utreda", "Ta emot", "Besluta"]
    assert flows(org, pid) == {(b, a), (a, c)}


def test_reorder_must_name_every_activity_once(org: Qms) -> None:
    pid, (a, b, _) = build(org, "Ta emot", "Utreda", "Besluta")
    with pytest.raises(InvalidInput) as caught:
        reorder(org, ANNA, pid, {"order": [a, b], **lock(org, pid)})
    assert "order" in caught.value.errors


def test_a_stale_list_is_a_conflict_with_the_other_change(org: Qms) -> None:
    pid, (a, b, _) = build(org, "Ta emot", "Utreda", "Besluta")
    seen = lock(org, pid)
    move_activity(org, ANNA, pid, {"activity": b, "direction": "up", **seen})
    with pytest.raises(EditConflict) as caught:
        move_activity(org, BERIT, pid, {"activity": a, "direction": "down", **seen})
    assert {c.actor for c in caught.value.changes} == {"anna"}
    assert "position" in {c.field for c in caught.value.changes}
    assert names(org, pid) == ["Utreda", "Ta emot", "Besluta"]


def test_decision_branches_meet_again_after_them(org: Qms) -> None:
    pid, (recv, gate, yes, no, close) = build(
        org, "Ta emot", "Beviljas?", "Bevilja", "Avslå", "Avsluta"
    )
    values = activity_values(org, gate)
    values.update(
        node_type="exclusive_gateway",
        branches=[
            {"name": "Ja", "to": yes, "is_default": True},
            {"name": "Nej", "condition": "avslag", "to": no},
            {"name": "", "condition": "", "to": ""},
        ],
    )
    update_activity(org, ANNA, gate, values)
    assert flows(org, pid) == {(recv, gate), (gate, yes), (gate, no), (yes, close), (no, close)}
    nej = [lk for lk in org.store.outgoing(Label.ACTIVITY, gate, Rel.FLOWS_TO) if lk.target == no]
    assert nej[0].props["condition"] == "avslag"
    row = next(r for r in activity_list(org, pid).rows if r.activity.id == gate)
    assert [b.name for b in row.routes] == ["Ja", "Nej"]
    # the branches survive a reorder: Avsluta first, then back
    reorder(org, ANNA, pid, {"order": [recv, gate, no, yes, close], **lock(org, pid)})
    assert flows(org, pid) == {(recv, gate), (gate, yes), (gate, no), (yes, close), (no, close)}


def test_branch_without_target_or_name_is_refused(org: Qms) -> None:
    pid, (_, gate, yes) = build(org, "Ta emot", "Beviljas?", "Bevilja")
    values = activity_values(org, gate)
    values.update(node_type="exclusive_gateway", branches=[{"name": "Ja", "to": ""}, {"to": yes}])
    with pytest.raises(InvalidInput) as caught:
        update_activity(org, ANNA, gate, values)
    assert len(caught.value.errors["branches"]) == 2


def test_explicit_next_step_is_kept(org: Qms) -> None:
    pid, (a, b, c) = build(org, "Ta emot", "Utreda", "Besluta")
    values = activity_values(org, a)
    values["next"] = c
    update_activity(org, ANNA, a, values)
    assert (a, c) in flows(org, pid)
    assert activity_values(org, a)["next"] == c


def test_role_documents_inputs_outputs_and_rename(org: Qms) -> None:
    pid, (a, _) = build(org, "Ta emot", "Utreda")
    values = activity_values(org, a)
    values.update(
        name="Registrera ansökan",
        role="r-hl",
        documents=["d-a", "d-top"],
        inputs=["Ansökan", ""],
        outputs=["Registrerat ärende"],
    )
    saved = update_activity(org, ANNA, a, values)
    assert saved.name == "Registrera ansökan"
    assert saved.inputs == ("Ansökan",)
    row = activity_list(org, pid).rows[0]
    assert row.role is not None
    assert row.role.id == "r-hl"
    assert {d.id for d in row.documents} == {"d-a", "d-top"}


def test_a_document_of_another_branch_is_refused(org: Qms) -> None:
    _, (a,) = build(org, "Ta emot")
    values = activity_values(org, a)
    values["documents"] = ["d-b"]
    with pytest.raises(InvalidInput) as caught:
        update_activity(org, ANNA, a, values)
    (message,) = caught.value.errors["documents"]
    assert "Förskolan" in message
    assert "samma gren" in message
    assert org.store.outgoing(Label.ACTIVITY, a, Rel.GOVERNED_BY) == []


def test_activity_form_conflict(org: Qms) -> None:
    _, (a,) = build(org, "Ta emot")
    seen = activity_values(org, a)
    update_activity(org, ANNA, a, {**seen, "role": "r-hl"})
    with pytest.raises(EditConflict) as caught:
        update_activity(org, BERIT, a, {**seen, "name": "Annat"})
    assert [c.field for c in caught.value.changes] == ["PERFORMED_BY"]


def test_remove_and_refuse_removal_when_a_risk_points_at_it(org: Qms) -> None:
    pid, (a, b, c) = build(org, "Ta emot", "Utreda", "Besluta")
    remove_activity(org, ANNA, pid, b, lock(org, pid))
    assert org.store.label_of(b) is None
    assert flows(org, pid) == {(a, c)}
    with org.unit_of_work("test") as uow:
        uow.add(Risk(id="rk-1", title="Fel"))
        uow.link(Link(Rel.THREATENS, "rk-1", c))
    with pytest.raises(InvalidInput):
        remove_activity(org, ANNA, pid, c, lock(org, pid))
    assert org.store.label_of(c) is Label.ACTIVITY


def _svg_order(qms: Qms, pid: str, wanted: list[str]) -> list[str]:
    text = process_svg(qms.store, pid)[0].decode("utf-8")
    xs = {}
    for name in wanted:
        match = re.search(r'<text[^>]*x="([\d.]+)"[^>]*>' + re.escape(name) + "<", text)
        assert match, f"{name} not in the SVG"
        xs[name] = float(match.group(1))
    return sorted(wanted, key=xs.__getitem__)


def test_a_list_edit_is_reflected_in_the_diagram(org: Qms) -> None:
    pid, (a, b, c) = build(org, "Alfa", "Beta", "Gamma")
    assert _svg_order(org, pid, ["Alfa", "Beta", "Gamma"]) == ["Alfa", "Beta", "Gamma"]
    reorder(org, ANNA, pid, {"order": [c, a, b], **lock(org, pid)})
    add_activity(org, ANNA, pid, {"name": "Delta", **lock(org, pid)})
    assert _svg_order(org, pid, ["Alfa", "Beta", "Gamma", "Delta"]) == [
        "Gamma",
        "Alfa",
        "Beta",
        "Delta",
    ]


def test_a_kept_bpmn_file_follows_the_list(org: Qms) -> None:
    pid, (a, b, c) = build(org, "Alfa", "Beta", "Gamma")
    data = export_process(org.store, pid)
    import_bpmn(org, data, "modeler", "anna", process_id=pid, expected_revision=revision(data))
    assert stored_model(org.store, pid) is not None
    reorder(org, ANNA, pid, {"order": [c, b, a], **lock(org, pid)})
    kept = stored_model(org.store, pid)
    assert kept is not None
    root = etree.fromstring(kept.xml.encode("utf-8"))
    pairs = {(f.get("sourceRef"), f.get("targetRef")) for f in root.iter(f"{{{BPMN}}}sequenceFlow")}
    assert pairs == {(c, b), (b, a)}


def test_a_bpmn_save_is_reflected_in_the_list(org: Qms) -> None:
    pid, (a, b, c) = build(org, "Alfa", "Beta", "Gamma")
    data = export_process(org.store, pid)
    root = etree.fromstring(data)
    process = next(root.iter(f"{{{BPMN}}}process"))
    for flow in process.iter(f"{{{BPMN}}}sequenceFlow"):
        if flow.get("sourceRef") == a:
            flow.set("targetRef", "Task_drawn")
    task = etree.SubElement(
        process, f"{{{BPMN}}}task", id="Task_drawn", name="Ritad i modelleraren"
    )
    task.tail = "\n"
    etree.SubElement(
        process, f"{{{BPMN}}}sequenceFlow", id="Flow_drawn", sourceRef="Task_drawn", targetRef=b
    )
    edited = etree.tostring(root)
    import_bpmn(org, edited, "modeler", "anna", process_id=pid, expected_revision=revision(data))
    assert names(org, pid) == ["Alfa", "Ritad i modelleraren", "Beta", "Gamma"]
    drawn = org.store.get(Label.ACTIVITY, "Task_drawn")
    assert isinstance(drawn, Activity)
    assert drawn.node_type is ActivityType.TASK
    # and the list's next edit keeps the drawing's order
    add_activity(org, ANNA, pid, {"name": "Delta", **lock(org, pid)})
    assert names(org, pid) == ["Alfa", "Ritad i modelleraren", "Beta", "Gamma", "Delta"]
    assert ("Task_drawn", b) in flows(org, pid)
