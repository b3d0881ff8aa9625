"""The shared unit-of-work logic, on a small in-memory adapter of its primitives."""

import dataclasses
import json
import re
from datetime import date

import pytest

from qms.domain.changes import Change, ChangeOp
from qms.domain.entities import Document, Entity, Process, Role
from qms.domain.errors import Conflict, InvalidInput, NotFound
from qms.domain.graph import Link
from qms.domain.kinds import DocumentKind, DocumentStatus, ProcessKind
from qms.domain.labels import Label, Rel
from qms.storage.unit_of_work import UnitOfWork, now_stamp, to_json


@dataclasses.dataclass
class Memory:
    """What a store holds: nodes by id, links by key, the change log."""

    nodes: dict[str, Entity] = dataclasses.field(default_factory=dict)
    links: dict[tuple[str, str, str], Link] = dataclasses.field(default_factory=dict)
    log: list[Change] = dataclasses.field(default_factory=list)


class MemoryUnitOfWork(UnitOfWork):
    """The adapter primitives on dicts; ``_update`` compares and sets the version."""

    def __init__(self, actor: str, memory: Memory) -> None:
        super().__init__(actor)
        self.memory = memory

    def _read(self, label: Label, entity_id: str) -> Entity | None:
        entity = self.memory.nodes.get(entity_id)
        return entity if entity is not None and entity.LABEL is label else None

    def _find_label(self, entity_id: str) -> Label | None:
        entity = self.memory.nodes.get(entity_id)
        return entity.LABEL if entity is not None else None

    def _create(self, entity: Entity) -> None:
        self.memory.nodes[entity.id] = entity

    def _update(self, entity: Entity, expected_version: int) -> bool:
        if self.memory.nodes[entity.id].version != expected_version:
            return False
        self.memory.nodes[entity.id] = entity
        return True

    def _delete(self, label: Label, entity_id: str) -> None:
        del self.memory.nodes[entity_id]
        for key in [k for k in self.memory.links if entity_id in k[1:]]:
            del self.memory.links[key]

    def _link(self, link: Link, source: Label, target: Label) -> bool:
        if link.key in self.memory.links:
            return False
        self.memory.links[link.key] = link
        return True

    def _unlink(self, link: Link, source: Label, target: Label) -> bool:
        return self.memory.links.pop(link.key, None) is not None

    def _record(self, change: Change) -> None:
        self.memory.log.append(change)


HEMTJANST = Process(id="p-hemtjanst", name="Hemtjänst", kind=ProcessKind.CORE)
CHEF = Role(id="r-chef", name="Enhetschef")


@pytest.fixture
def memory() -> Memory:
    return Memory()


@pytest.fixture
def uow(memory: Memory) -> MemoryUnitOfWork:
    return MemoryUnitOfWork("anna", memory)


@pytest.fixture
def stored(memory: Memory) -> Memory:
    """A process and a role added by an earlier unit of work of another actor."""
    earlier = MemoryUnitOfWork("bo", memory)
    earlier.add(HEMTJANST)
    earlier.add(CHEF)
    memory.log.clear()
    return memory


def test_now_stamp_is_sortable_utc_text_with_microseconds() -> None:
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z", now_stamp())


def test_to_json_is_stable_and_keeps_swedish_letters() -> None:
    assert to_json({"b": ("ö",), "a": date(2025, 3, 1)}) == '{"a": "2025-03-01", "b": ["ö"]}'
    assert to_json(DocumentStatus.APPROVED) == '"approved"'


def test_to_json_refuses_values_it_cannot_represent() -> None:
    with pytest.raises(TypeError):
        to_json({1, 2})


# -- add -----------------------------------------------------------------------------


def test_add_stamps_version_one_and_the_actor(uow: MemoryUnitOfWork, memory: Memory) -> None:
    added = uow.add(dataclasses.replace(HEMTJANST, version=7, created_by="someone"))
    assert added.version == 1
    assert (added.created_by, added.updated_by) == ("anna", "anna")
    assert added.created_at == added.updated_at == uow.at
    assert memory.nodes["p-hemtjanst"] == added
    assert uow.touched == {(Label.PROCESS, "p-hemtjanst"): added}


def test_add_logs_one_create_entry_with_the_content(uow: MemoryUnitOfWork, memory: Memory) -> None:
    uow.add(HEMTJANST)
    [change] = memory.log
    assert change.op is ChangeOp.CREATE
    assert (change.label, change.entity_id, change.field) == ("Process", "p-hemtjanst", "")
    assert (change.actor, change.at, change.change_set) == ("anna", uow.at, uow.change_set)
    assert change.before == ""
    assert json.loads(change.after) == json.loads(to_json(HEMTJANST.content()))
    assert json.loads(change.after)["name"] == "Hemtjänst"


def test_add_refuses_an_id_that_is_taken(stored: Memory) -> None:
    uow = MemoryUnitOfWork("anna", stored)
    with pytest.raises(Conflict):
        uow.add(dataclasses.replace(HEMTJANST, name="Annan"))
    assert stored.nodes["p-hemtjanst"].caption == "Hemtjänst"
    assert stored.log == []


def test_add_refuses_an_id_taken_by_another_label(stored: Memory) -> None:
    uow = MemoryUnitOfWork("anna", stored)
    with pytest.raises(Conflict, match="p-hemtjanst finns redan"):
        uow.add(Role(id="p-hemtjanst", name="Roll"))


def test_add_refuses_an_id_added_earlier_in_the_same_unit(uow: MemoryUnitOfWork) -> None:
    uow.add(HEMTJANST)
    with pytest.raises(Conflict):
        uow.add(HEMTJANST)


@pytest.mark.parametrize("bad_id", ["", "-p", "p 1", "hemtjänst", "p/1", "x" * 101])
def test_add_refuses_an_invalid_id(uow: MemoryUnitOfWork, memory: Memory, bad_id: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        uow.add(dataclasses.replace(HEMTJANST, id=bad_id))
    assert caught.value.errors == {f"{bad_id}.id": ["ogiltigt id"]}
    assert memory.nodes == {}
    assert memory.log == []


def test_add_refuses_an_id_with_a_trailing_newline(uow: MemoryUnitOfWork) -> None:
    with pytest.raises(InvalidInput):
        uow.add(dataclasses.replace(HEMTJANST, id="p1\n"))


# -- update --------------------------------------------------------------------------


def test_update_bumps_the_version_and_keeps_the_creation_stamps(stored: Memory) -> None:
    before = stored.nodes["p-hemtjanst"]
    uow = MemoryUnitOfWork("anna", stored)
    after = uow.update(dataclasses.replace(before, purpose="Stöd i hemmet"))
    assert after.version == before.version + 1
    assert (after.created_at, after.created_by) == (before.created_at, "bo")
    assert (after.updated_at, after.updated_by) == (uow.at, "anna")
    assert stored.nodes["p-hemtjanst"] == after
    assert uow.touched == {(Label.PROCESS, "p-hemtjanst"): after}


def test_update_logs_one_entry_per_changed_field_with_json_values(stored: Memory) -> None:
    current = stored.nodes["p-hemtjanst"]
    uow = MemoryUnitOfWork("anna", stored)
    uow.update(
        dataclasses.replace(
            current, name="Hemtjänst i Farsta", kind=ProcessKind.SUPPORT, recipients=("brukare",)
        )
    )
    assert [(c.op, c.field, c.before, c.after) for c in stored.log] == [
        (ChangeOp.UPDATE, "kind", '"core"', '"support"'),
        (ChangeOp.UPDATE, "name", '"Hemtjänst"', '"Hemtjänst i Farsta"'),
        (ChangeOp.UPDATE, "recipients", "[]", '["brukare"]'),
    ]
    assert {(c.label, c.entity_id, c.actor) for c in stored.log} == {
        ("Process", "p-hemtjanst", "anna")
    }


def test_update_logs_dates_as_iso_text(uow: MemoryUnitOfWork, memory: Memory) -> None:
    document = uow.add(Document(id="d1", title="Rutin", kind=DocumentKind.ROUTINE))
    uow.update(dataclasses.replace(document, review_by=date(2026, 1, 31)))
    assert (memory.log[-1].field, memory.log[-1].before, memory.log[-1].after) == (
        "review_by",
        "null",
        '"2026-01-31"',
    )


def test_update_without_changes_writes_and_logs_nothing(stored: Memory) -> None:
    current = stored.nodes["p-hemtjanst"]
    uow = MemoryUnitOfWork("anna", stored)
    result = uow.update(dataclasses.replace(current))
    assert result == current
    assert result.version == current.version
    assert result.updated_by == "bo"
    assert stored.log == []
    assert uow.touched == {}


def test_update_with_a_stale_version_is_a_conflict(stored: Memory) -> None:
    stale = stored.nodes["p-hemtjanst"]
    MemoryUnitOfWork("bo", stored).update(dataclasses.replace(stale, purpose="Ny"))
    stored.log.clear()
    uow = MemoryUnitOfWork("anna", stored)
    with pytest.raises(Conflict) as caught:
        uow.update(dataclasses.replace(stale, purpose="Min ändring"))
    assert "har ändrats av bo" in str(caught.value)
    assert "(version 2, din 1)" in str(caught.value)
    assert stored.nodes["p-hemtjanst"].content()["purpose"] == "Ny"
    assert stored.log == []


def test_a_stale_version_is_a_conflict_even_without_changes(stored: Memory) -> None:
    current = stored.nodes["p-hemtjanst"]
    uow = MemoryUnitOfWork("anna", stored)
    with pytest.raises(Conflict):
        uow.update(dataclasses.replace(current, version=current.version + 1))


class RacedUnitOfWork(MemoryUnitOfWork):
    """Another writer commits between this unit's read and its write."""

    def _read(self, label: Label, entity_id: str) -> Entity | None:
        entity = super()._read(label, entity_id)
        if entity is not None:
            self.memory.nodes[entity_id] = dataclasses.replace(
                entity, version=entity.version + 1, updated_by="cecilia"
            )
        return entity


def test_a_writer_that_commits_between_read_and_write_is_a_conflict(stored: Memory) -> None:
    current = stored.nodes["p-hemtjanst"]
    uow = RacedUnitOfWork("anna", stored)
    with pytest.raises(Conflict, match="samtidigt"):
        uow.update(dataclasses.replace(current, purpose="Min ändring"))
    assert stored.nodes["p-hemtjanst"].updated_by == "cecilia"
    assert stored.log == []


def test_update_of_a_missing_entity_is_not_found(uow: MemoryUnitOfWork) -> None:
    with pytest.raises(NotFound):
        uow.update(HEMTJANST)


# -- get, label_of, delete -----------------------------------------------------------


def test_get_sees_the_units_own_writes(uow: MemoryUnitOfWork) -> None:
    added = uow.add(CHEF)
    assert uow.get(Label.ROLE, "r-chef") == added
    assert uow.label_of("r-chef") is Label.ROLE


def test_get_with_the_wrong_label_is_not_found(stored: Memory) -> None:
    uow = MemoryUnitOfWork("anna", stored)
    with pytest.raises(NotFound, match="Role p-hemtjanst finns inte"):
        uow.get(Label.ROLE, "p-hemtjanst")


def test_label_of_an_unknown_id_is_none(uow: MemoryUnitOfWork) -> None:
    assert uow.label_of("nobody") is None


def test_delete_removes_the_entity_and_logs_its_content(stored: Memory) -> None:
    uow = MemoryUnitOfWork("anna", stored)
    uow.delete(Label.ROLE, "r-chef")
    assert "r-chef" not in stored.nodes
    assert uow.label_of("r-chef") is None
    assert uow.touched == {(Label.ROLE, "r-chef"): None}
    [change] = stored.log
    assert (change.op, change.label, change.entity_id) == (ChangeOp.DELETE, "Role", "r-chef")
    assert json.loads(change.before) == {"name": "Enhetschef", "description": ""}
    assert change.after == ""


def test_a_deleted_id_can_be_added_again(stored: Memory) -> None:
    uow = MemoryUnitOfWork("anna", stored)
    uow.delete(Label.ROLE, "r-chef")
    assert uow.add(Role(id="r-chef", name="Verksamhetschef")).version == 1


def test_delete_of_a_missing_entity_is_not_found(uow: MemoryUnitOfWork, memory: Memory) -> None:
    with pytest.raises(NotFound):
        uow.delete(Label.ROLE, "r-chef")
    assert memory.log == []


# -- link, unlink --------------------------------------------------------------------


def test_link_joins_two_nodes_and_logs_target_and_props(stored: Memory) -> None:
    uow = MemoryUnitOfWork("anna", stored)
    assert uow.link(Link(Rel.OWNED_BY, "p-hemtjanst", "r-chef", {"since": "2025"}))
    assert ("OWNED_BY", "p-hemtjanst", "r-chef") in stored.links
    [change] = stored.log
    assert (change.op, change.label, change.entity_id, change.field) == (
        ChangeOp.LINK,
        "Process",
        "p-hemtjanst",
        "OWNED_BY",
    )
    assert change.before == ""
    assert json.loads(change.after) == {"target": "r-chef", "since": "2025"}


def test_linking_twice_answers_false_and_logs_once(stored: Memory) -> None:
    uow = MemoryUnitOfWork("anna", stored)
    link = Link(Rel.OWNED_BY, "p-hemtjanst", "r-chef")
    uow.link(link)
    assert uow.link(link) is False
    assert len(stored.log) == 1


def test_link_refuses_a_pair_the_relationship_does_not_allow(stored: Memory) -> None:
    uow = MemoryUnitOfWork("anna", stored)
    with pytest.raises(InvalidInput, match="OWNED_BY kan inte gå från Role till Process"):
        uow.link(Link(Rel.OWNED_BY, "r-chef", "p-hemtjanst"))
    assert stored.links == {}
    assert stored.log == []


def test_link_to_an_unknown_node_is_invalid_input(stored: Memory) -> None:
    uow = MemoryUnitOfWork("anna", stored)
    with pytest.raises(InvalidInput) as caught:
        uow.link(Link(Rel.OWNED_BY, "p-hemtjanst", "r-nobody"))
    assert caught.value.errors == {"r-nobody": ["okänd referens"]}
    assert stored.links == {}


def test_unlink_removes_the_link_and_logs_the_old_target(stored: Memory) -> None:
    link = Link(Rel.OWNED_BY, "p-hemtjanst", "r-chef")
    MemoryUnitOfWork("bo", stored).link(link)
    stored.log.clear()
    uow = MemoryUnitOfWork("anna", stored)
    assert uow.unlink(link)
    assert stored.links == {}
    [change] = stored.log
    assert (change.op, change.field, change.after) == (ChangeOp.UNLINK, "OWNED_BY", "")
    assert json.loads(change.before) == {"target": "r-chef"}


def test_unlink_of_a_missing_link_answers_false(stored: Memory) -> None:
    uow = MemoryUnitOfWork("anna", stored)
    assert uow.unlink(Link(Rel.OWNED_BY, "p-hemtjanst", "r-chef")) is False
    assert stored.log == []


def test_unlink_with_an_unknown_end_is_invalid_input(stored: Memory) -> None:
    uow = MemoryUnitOfWork("anna", stored)
    with pytest.raises(InvalidInput):
        uow.unlink(Link(Rel.OWNED_BY, "nobody", "r-chef"))


# -- the change set ------------------------------------------------------------------


def test_entries_of_one_unit_share_a_change_set_and_are_numbered_in_order(
    uow: MemoryUnitOfWork, memory: Memory
) -> None:
    uow.add(HEMTJANST)
    uow.add(CHEF)
    uow.link(Link(Rel.OWNED_BY, "p-hemtjanst", "r-chef"))
    assert [c.id for c in memory.log] == [
        f"{uow.change_set}-00001",
        f"{uow.change_set}-00002",
        f"{uow.change_set}-00003",
    ]
    assert {c.change_set for c in memory.log} == {uow.change_set}
    assert uow.change_set.startswith(uow.at)


def test_two_units_have_different_change_sets(memory: Memory) -> None:
    first, second = MemoryUnitOfWork("anna", memory), MemoryUnitOfWork("anna", memory)
    assert first.change_set != second.change_set
