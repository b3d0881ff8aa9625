"""The role catalogue: create, rename and merge without losing a link."""

from __future__ import annotations

import pytest

from qms.domain.entities import Activity, Document, OrgUnit, Process, Risk
from qms.domain.errors import InvalidInput
from qms.domain.graph import Link
from qms.domain.kinds import DocumentKind, OrgLevel, ProcessKind
from qms.domain.labels import Label, Rel
from qms.services.access import coordinator
from qms.services.app import Qms
from qms.services.workspace import EditConflict
from qms.services.workspace_roles import catalogue, create_role, editor, merge_roles, update_role

ANNA = coordinator("anna")


@pytest.fixture
def org(qms: Qms) -> Qms:
    with qms.unit_of_work("test") as uow:
        uow.add(OrgUnit(id="ou-a", name="Enhet A", level=OrgLevel.UNIT))
        uow.add(Process(id="p-1", name="Process", kind=ProcessKind.CORE))
        uow.add(Activity(id="a-1", name="Göra"))
        uow.add(Activity(id="a-2", name="Göra mer"))
        uow.add(Document(id="d-1", title="Rutin", kind=DocumentKind.ROUTINE))
        uow.add(Risk(id="rk-1", title="Risk"))
    return qms


def test_create_and_list_per_unit(org: Qms) -> None:
    role = create_role(org, ANNA, {"name": " Undersköterska ", "org_unit": "ou-a"})
    assert role.name == "Undersköterska"
    assert [e.role.id for e in catalogue(org, "ou-a")] == [role.id]
    assert catalogue(org, "") == []


@pytest.mark.parametrize("name", ["", "x" * 10_000])
def test_bad_names(org: Qms, name: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        create_role(org, ANNA, {"name": name, "org_unit": "ou-a"})
    assert "name" in caught.value.errors
    assert org.store.entities(Label.ROLE) == []


def test_rename_keeps_links_and_refuses_a_stale_save(org: Qms) -> None:
    role = create_role(org, ANNA, {"name": "Handläggare", "org_unit": "ou-a"})
    with org.unit_of_work("test") as uow:
        uow.link(Link(Rel.PERFORMED_BY, "a-1", role.id))
    seen = editor(org, role.id).values
    update_role(org, ANNA, role.id, {**seen, "name": "Biståndshandläggare"})
    assert org.store.get(Label.ROLE, role.id).name == "Biståndshandläggare"  # type: ignore[attr-defined]
    assert [r.id for r in org.store.neighbours(Label.ACTIVITY, "a-1", Rel.PERFORMED_BY)] == [
        role.id
    ]
    with pytest.raises(EditConflict) as caught:
        update_role(org, coordinator("berit"), role.id, {**seen, "name": "Annat"})
    assert caught.value.changes[0].field == "name"


def test_merge_moves_every_link_in_one_unit_of_work(org: Qms) -> None:
    keep = create_role(org, ANNA, {"name": "Enhetschef", "org_unit": "ou-a"})
    gone = create_role(org, ANNA, {"name": "Chef för enheten", "org_unit": "ou-a"})
    with org.unit_of_work("test") as uow:
        uow.link(Link(Rel.PERFORMED_BY, "a-1", gone.id))
        uow.link(Link(Rel.PERFORMED_BY, "a-2", keep.id))
        uow.link(Link(Rel.OWNED_BY, "p-1", gone.id))
        uow.link(Link(Rel.OWNED_BY, "d-1", gone.id))
        uow.link(Link(Rel.OWNED_BY, "rk-1", gone.id))
    before = len(org.store.changes())
    merge_roles(org, ANNA, gone.id, {"keep": keep.id})
    assert org.store.label_of(gone.id) is None
    performers = {lk.source for lk in org.store.links(Rel.PERFORMED_BY) if lk.target == keep.id}
    owned = {lk.source for lk in org.store.links(Rel.OWNED_BY) if lk.target == keep.id}
    assert performers == {"a-1", "a-2"}
    assert owned == {"p-1", "d-1", "rk-1"}
    assert [lk.target for lk in org.store.links(Rel.BELONGS_TO) if lk.source == keep.id] == ["ou-a"]
    change_sets = {c.change_set for c in org.store.changes()[before:]}
    assert len(change_sets) == 1


def test_merge_into_itself_or_nothing_is_refused(org: Qms) -> None:
    role = create_role(org, ANNA, {"name": "Enhetschef"})
    for keep in (role.id, "r-nobody", ""):
        with pytest.raises(InvalidInput) as caught:
            merge_roles(org, ANNA, role.id, {"keep": keep})
        assert "keep" in caught.value.errors
    assert org.store.label_of(role.id) is Label.ROLE
