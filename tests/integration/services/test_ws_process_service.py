"""The process editor's services on a real embedded store."""

from __future__ import annotations

import pytest

from qms.domain.entities import Goal, OrgUnit, Process, Role
from qms.domain.errors import Forbidden, InvalidInput
from qms.domain.graph import Link
from qms.domain.kinds import GoalLevel, OrgLevel, ProcessKind
from qms.domain.labels import Label, Rel
from qms.services.access import ANONYMOUS, coordinator
from qms.services.app import Qms
from qms.services.workspace import EditConflict
from qms.services.workspace_processes import (
    create_process,
    editor,
    move_process,
    set_archived,
    split_collaboration,
    unit_processes,
    update_process,
)

ANNA = coordinator("anna")
BERIT = coordinator("berit")


@pytest.fixture
def org(qms: Qms) -> Qms:
    """Two units on one branch, a role and a goal."""
    with qms.unit_of_work("test") as uow:
        uow.add(OrgUnit(id="ou-top", name="Förvaltningen", level=OrgLevel.ADMINISTRATION))
        uow.add(OrgUnit(id="ou-enh", name="Enheten", level=OrgLevel.UNIT))
        uow.link(Link(Rel.PART_OF, "ou-enh", "ou-top"))
        uow.add(Role(id="r-chef", name="Enhetschef"))
        uow.add(Goal(id="g-1", title="Trygg vård", level=GoalLevel.UNIT))
    return qms


def full_form(**extra: object) -> dict[str, object]:
    return {
        "name": "Ta emot ansökan",
        "kind": "core",
        "purpose": "Ge invånaren ett beslut",
        "trigger": "En ansökan kommer in",
        "ends_when": "Beslutet är meddelat",
        "desired_effect": "Rätt insats i tid",
        "recipients": ["Den sökande", " "],
        "stakeholders": ["Anhöriga", "Den sökande"],
        "collaboration_with": "Regionen",
        "collaboration_when": "Vid utskrivning",
        "collaboration_how": "SIP-möte",
        "owner": "r-chef",
        "org_unit": "ou-enh",
        "goals": ["g-1"],
        **extra,
    }


def lock(values: dict[str, object]) -> dict[str, object]:
    return {k: values[k] for k in ("version", "state", "seen")}


def test_create_stores_every_field_and_link(org: Qms) -> None:
    process = create_process(org, ANNA, full_form())
    assert process.kind is ProcessKind.CORE
    assert process.recipients == ("Den sökande",)
    assert process.collaboration == "Med vem: Regionen\nNär: Vid utskrivning\nHur: SIP-möte"
    values = editor(org, process.id).values
    assert values["owner"] == "r-chef"
    assert values["org_unit"] == "ou-enh"
    assert values["goals"] == ["g-1"]
    assert values["collaboration_how"] == "SIP-möte"
    assert editor(org, process.id).last is not None
    assert editor(org, process.id).last.actor == "anna"  # type: ignore[union-attr]


def test_subprocess_and_tree(org: Qms) -> None:
    top = create_process(org, ANNA, full_form())
    sub = create_process(org, ANNA, {"name": "Utreda", "kind": "core", "parent": top.id})
    tree = unit_processes(org, "ou-enh")
    (node,) = tree.by_kind[ProcessKind.CORE]
    assert node.process.id == top.id
    assert [c.process.id for c in node.children] == [sub.id]
    assert [p.id for p in editor(org, sub.id).trail] == [top.id]


@pytest.mark.parametrize("name", ["", "   ", "x" * 10_000])
def test_bad_names_are_refused_and_nothing_saved(org: Qms, name: str) -> None:
    before = len(org.store.entities(Label.PROCESS))
    with pytest.raises(InvalidInput) as caught:
        create_process(org, ANNA, full_form(name=name))
    assert "name" in caught.value.errors
    assert len(org.store.entities(Label.PROCESS)) == before


def test_unknown_references_are_field_errors(org: Qms) -> None:
    with pytest.raises(InvalidInput) as caught:
        create_process(org, ANNA, full_form(owner="r-nobody", goals=["ou-enh"]))
    assert set(caught.value.errors) == {"owner", "goals"}


def test_only_editors_may_write(org: Qms) -> None:
    with pytest.raises(Forbidden):
        create_process(org, ANONYMOUS, full_form())


def test_update_and_stale_save_shows_the_other_change(org: Qms) -> None:
    process = create_process(org, ANNA, full_form())
    seen = editor(org, process.id).values
    update_process(org, ANNA, process.id, {**seen, "name": "Ta emot ansökan om bistånd"})
    with pytest.raises(EditConflict) as caught:
        update_process(org, BERIT, process.id, {**seen, "purpose": "Något annat"})
    changes = caught.value.changes
    assert [(c.actor, c.field) for c in changes] == [("anna", "name")]
    assert "om bistånd" in changes[0].after
    assert org.store.get(Label.PROCESS, process.id).purpose == "Ge invånaren ett beslut"  # type: ignore[attr-defined]


def test_link_change_alone_is_also_a_conflict(org: Qms) -> None:
    process = create_process(org, ANNA, full_form())
    seen = editor(org, process.id).values
    update_process(org, ANNA, process.id, {**seen, "owner": ""})
    with pytest.raises(EditConflict) as caught:
        update_process(org, BERIT, process.id, {**seen, "name": "Nytt"})
    assert [c.field for c in caught.value.changes] == ["OWNED_BY"]


def test_move_refuses_own_ancestor(org: Qms) -> None:
    top = create_process(org, ANNA, full_form())
    sub = create_process(org, ANNA, {"name": "Utreda", "kind": "core", "parent": top.id})
    subsub = create_process(org, ANNA, {"name": "Besöka", "kind": "core", "parent": sub.id})
    for parent in (top.id, subsub.id):
        with pytest.raises(InvalidInput) as caught:
            move_process(org, ANNA, top.id, {"parent": parent})
        assert "sig själv" in caught.value.errors["parent"][0]
    assert org.store.neighbours(Label.PROCESS, top.id, Rel.SUBPROCESS_OF) == []


def test_move_to_another_parent_and_to_the_top(org: Qms) -> None:
    one = create_process(org, ANNA, full_form())
    two = create_process(org, ANNA, full_form(name="Annan"))
    sub = create_process(org, ANNA, {"name": "Utreda", "kind": "core", "parent": one.id})
    move_process(org, ANNA, sub.id, {"parent": two.id})
    assert [r.id for r in org.store.neighbours(Label.PROCESS, sub.id, Rel.SUBPROCESS_OF)] == [
        two.id
    ]
    move_process(org, ANNA, sub.id, {"parent": ""})
    assert org.store.neighbours(Label.PROCESS, sub.id, Rel.SUBPROCESS_OF) == []


def test_archive_keeps_the_process_and_hides_it(org: Qms) -> None:
    process = create_process(org, ANNA, full_form())
    values = lock(editor(org, process.id).values)
    archived = set_archived(org, ANNA, process.id, True, values)
    assert archived.archived
    tree = unit_processes(org, "ou-enh")
    assert tree.by_kind[ProcessKind.CORE] == ()
    assert [p.id for p in tree.archived] == [process.id]
    assert all(p.id != process.id for p in org.processes_by_kind()[ProcessKind.CORE])
    with pytest.raises(EditConflict):
        set_archived(org, ANNA, process.id, False, values)
    restored = set_archived(org, ANNA, process.id, False, lock(editor(org, process.id).values))
    assert not restored.archived


def test_collaboration_text_of_a_model_file_is_kept() -> None:
    assert split_collaboration("Med regionen vid utskrivning")["collaboration_how"] == (
        "Med regionen vid utskrivning"
    )


def test_created_process_is_a_process(org: Qms) -> None:
    process = create_process(org, ANNA, full_form())
    assert isinstance(org.store.get(Label.PROCESS, process.id), Process)
