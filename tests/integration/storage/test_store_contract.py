"""The behaviour every GraphStore adapter must have (the contract the services rely on)."""

from __future__ import annotations

import dataclasses
import threading

import pytest

from qms.domain.changes import ChangeOp
from qms.domain.entities import Activity, Deviation, Document, Goal, Process, Risk, Role
from qms.domain.errors import Conflict, InvalidInput, NotFound, StoreError
from qms.domain.graph import Link
from qms.domain.kinds import DocumentKind, GoalLevel, ProcessKind
from qms.domain.labels import Label, Rel
from qms.storage.port import GraphStore


def _small_graph(store: GraphStore) -> None:
    with store.unit_of_work("anna") as uow:
        uow.add(
            Goal(id="g-top", title="Ett Stockholm som håller samman", level=GoalLevel.DIRECTION)
        )
        uow.add(Goal(id="g-unit", title="Trygg hemtjänst", level=GoalLevel.UNIT))
        uow.add(Process(id="p-main", name="Hemtjänst", kind=ProcessKind.CORE))
        uow.add(Process(id="p-sub", name="Genomförandeplan", kind=ProcessKind.CORE))
        uow.add(Activity(id="a-1", name="Ta emot beställning", position=1))
        uow.add(Activity(id="a-2", name="Upprätta plan", position=2))
        uow.add(Role(id="r-usk", name="Undersköterska"))
        uow.add(
            Document(id="d-rutin", title="Rutin för genomförandeplan", kind=DocumentKind.ROUTINE)
        )
        uow.add(Deviation(id="dev-1", title="Plan saknas"))
        uow.add(Risk(id="risk-1", title="Planer blir inte gjorda", probability=3, consequence=4))
        for link in (
            Link(Rel.BREAKS_DOWN, "g-unit", "g-top"),
            Link(Rel.CONTRIBUTES_TO, "p-main", "g-unit"),
            Link(Rel.SUBPROCESS_OF, "p-sub", "p-main"),
            Link(Rel.HAS_ACTIVITY, "p-sub", "a-1"),
            Link(Rel.HAS_ACTIVITY, "p-sub", "a-2"),
            Link(
                Rel.FLOWS_TO, "a-1", "a-2", {"name": "klar", "condition": "", "is_default": False}
            ),
            Link(Rel.PERFORMED_BY, "a-2", "r-usk"),
            Link(Rel.GOVERNED_BY, "a-2", "d-rutin"),
            Link(Rel.AFFECTS, "dev-1", "a-2"),
            Link(Rel.THREATENS, "risk-1", "a-1"),
        ):
            assert uow.link(link)


def test_created_entity_reads_back_with_stamps(store: GraphStore) -> None:
    _small_graph(store)
    process = store.get(Label.PROCESS, "p-main")
    assert isinstance(process, Process)
    assert (process.name, process.kind, process.version, process.created_by) == (
        "Hemtjänst",
        ProcessKind.CORE,
        1,
        "anna",
    )
    assert process.created_at == process.updated_at != ""


def test_many_entities_by_id_in_one_read(store: GraphStore) -> None:
    _small_graph(store)
    found = store.get_many(Label.ACTIVITY, ["a-2", "nope", "a-1", "a-2", "p-main"])
    assert sorted(found) == ["a-1", "a-2"]  # unknown ids and other labels left out
    assert found["a-2"] == store.get(Label.ACTIVITY, "a-2")
    assert store.get_many(Label.ACTIVITY, []) == {}


def test_missing_entity_is_not_found(store: GraphStore) -> None:
    with pytest.raises(NotFound):
        store.get(Label.PROCESS, "nope")


def test_update_bumps_version_and_logs_each_changed_field(store: GraphStore) -> None:
    _small_graph(store)
    process = store.get(Label.PROCESS, "p-main")
    with store.unit_of_work("bo") as uow:
        updated = uow.update(dataclasses.replace(process, name="Hemtjänsten", purpose="Trygghet"))
    assert updated.version == 2
    assert store.get(Label.PROCESS, "p-main") == updated
    entries = [c for c in store.changes("p-main") if c.op is ChangeOp.UPDATE]
    assert [(c.field, c.before, c.after, c.actor) for c in entries] == [
        ("name", '"Hemtjänst"', '"Hemtjänsten"', "bo"),
        ("purpose", '""', '"Trygghet"', "bo"),
    ]


def test_stale_write_is_a_conflict_and_changes_nothing(store: GraphStore) -> None:
    _small_graph(store)
    stale = store.get(Label.PROCESS, "p-main")
    with store.unit_of_work("bo") as uow:
        uow.update(dataclasses.replace(stale, name="Först"))
    with pytest.raises(Conflict), store.unit_of_work("cia") as uow:
        uow.update(dataclasses.replace(stale, name="Sist"))
    assert store.get(Label.PROCESS, "p-main").caption == "Först"


def test_taken_id_is_a_conflict(store: GraphStore) -> None:
    _small_graph(store)
    with pytest.raises(Conflict), store.unit_of_work("bo") as uow:
        uow.add(Role(id="p-main", name="Krock"))


def test_link_checks_allowed_pairs_and_known_ids(store: GraphStore) -> None:
    _small_graph(store)
    with pytest.raises(InvalidInput), store.unit_of_work("bo") as uow:
        uow.link(Link(Rel.FLOWS_TO, "p-main", "a-1"))
    with pytest.raises(InvalidInput), store.unit_of_work("bo") as uow:
        uow.link(Link(Rel.PERFORMED_BY, "a-1", "r-missing"))


def test_links_neighbours_and_unlink(store: GraphStore) -> None:
    _small_graph(store)
    assert [n.id for n in store.neighbours(Label.PROCESS, "p-sub", Rel.HAS_ACTIVITY)] == [
        "a-1",
        "a-2",
    ]
    assert [n.id for n in store.neighbours(Label.ACTIVITY, "a-2", Rel.HAS_ACTIVITY, "in")] == [
        "p-sub"
    ]
    assert store.outgoing(Label.ACTIVITY, "a-1", Rel.FLOWS_TO)[0].props["name"] == "klar"
    with store.unit_of_work("bo") as uow:
        assert uow.unlink(Link(Rel.PERFORMED_BY, "a-2", "r-usk"))
        assert not uow.unlink(Link(Rel.PERFORMED_BY, "a-2", "r-usk"))
    assert store.neighbours(Label.ACTIVITY, "a-2", Rel.PERFORMED_BY) == []
    assert [c.op for c in store.changes("a-2")][-1] is ChangeOp.UNLINK


def test_process_view_assembles_the_page(store: GraphStore) -> None:
    _small_graph(store)
    view = store.process_view("p-sub")
    assert view.parent is not None
    assert view.parent.id == "p-main"
    assert [a.activity.id for a in view.activities] == ["a-1", "a-2"]
    first, second = view.activities
    assert first.next_ids == ("a-2",)
    assert first.lacks_routine
    assert second.role is not None
    assert second.role.name == "Undersköterska"
    assert [d.id for d in second.documents] == ["d-rutin"]
    assert not second.lacks_routine
    assert view.risk_count == 1
    assert [s.id for s in store.process_view("p-main").subprocesses] == ["p-sub"]


def test_trace_deviation_reaches_goals_through_the_process_chain(store: GraphStore) -> None:
    _small_graph(store)
    paths = store.trace(Label.DEVIATION, "dev-1")
    assert [p.goal.id for p in paths] == ["g-unit", "g-top"]
    assert [n.id for n in paths[-1].nodes] == ["dev-1", "a-2", "p-sub", "p-main", "g-unit", "g-top"]
    assert [(s.rel, s.inverse) for s in paths[0].steps] == [
        (Rel.AFFECTS, False),
        (Rel.HAS_ACTIVITY, True),
        (Rel.SUBPROCESS_OF, False),
        (Rel.CONTRIBUTES_TO, False),
    ]
    assert [p.goal.id for p in store.trace(Label.RISK, "risk-1")] == ["g-unit", "g-top"]


def test_failure_in_the_middle_of_a_unit_of_work_leaves_no_trace(store: GraphStore) -> None:
    _small_graph(store)
    before = store.counts()

    def add_link_then_clash() -> None:
        with store.unit_of_work("bo") as uow:
            uow.add(Role(id="r-new", name="Ny roll"))
            uow.link(Link(Rel.PERFORMED_BY, "a-1", "r-new"))
            uow.add(Role(id="r-new", name="Samma id igen"))

    with pytest.raises(Conflict):
        add_link_then_clash()
    assert store.counts() == before
    assert store.label_of("r-new") is None


def test_engine_error_is_never_half_applied(store: GraphStore) -> None:
    """Even when the caller swallows the error and goes on writing."""
    _small_graph(store)
    before = store.counts()

    def swallow_engine_error_and_go_on() -> None:
        with store.unit_of_work("bo") as uow:
            uow.add(Role(id="r-a", name="A"))
            try:
                uow._create(Role(id="r-a", name="duplicate straight to the engine"))  # noqa: SLF001
            except Conflict:
                pass
            uow.add(Role(id="r-b", name="B"))

    with pytest.raises(StoreError):
        swallow_engine_error_and_go_on()
    assert store.counts() == before


def test_exception_in_caller_rolls_back(store: GraphStore) -> None:
    _small_graph(store)

    def fail_after_a_write() -> None:
        with store.unit_of_work("bo") as uow:
            uow.add(Role(id="r-x", name="X"))
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        fail_after_a_write()
    assert store.label_of("r-x") is None


def test_concurrent_writers_succeed_or_conflict(store: GraphStore) -> None:
    _small_graph(store)
    outcomes: list[str] = []
    lock = threading.Lock()

    def writer(n: int) -> None:
        base = store.get(Label.PROCESS, "p-main")
        try:
            with store.unit_of_work(f"user{n}") as uow:
                uow.add(Role(id=f"r-thread-{n}", name=f"Roll {n}"))
                uow.update(dataclasses.replace(base, purpose=f"skriven av {n}"))
            result = "ok"
        except Conflict:
            result = "conflict"
        except Exception as exc:  # noqa: BLE001 - the test reports any other failure
            result = f"error: {exc!r}"
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(outcomes) == 8
    assert set(outcomes) <= {"ok", "conflict"}, outcomes
    assert outcomes.count("ok") >= 1
    final = store.get(Label.PROCESS, "p-main")
    assert final.version == 1 + outcomes.count("ok")
    assert len(store.entities(Label.ROLE)) == 1 + outcomes.count("ok")


def test_neighbourhood_has_every_link_in_both_directions(store: GraphStore) -> None:
    _small_graph(store)
    around = store.neighbourhood(Label.ACTIVITY, "a-2")
    assert around.entity.caption == "Upprätta plan"
    assert [e.id for e in around.into(Rel.HAS_ACTIVITY)] == ["p-sub"]
    assert [e.id for e in around.into(Rel.FLOWS_TO)] == ["a-1"]
    assert [e.id for e in around.into(Rel.AFFECTS)] == ["dev-1"]
    assert [e.id for e in around.out(Rel.PERFORMED_BY)] == ["r-usk"]
    assert [e.id for e in around.out(Rel.GOVERNED_BY)] == ["d-rutin"]
    assert around.out(Rel.FLOWS_TO) == ()
    used = store.neighbourhood(Label.DOCUMENT, "d-rutin")
    assert [e.id for e in used.into(Rel.GOVERNED_BY)] == ["a-2"]


def test_neighbourhood_of_a_missing_entity_is_not_found(store: GraphStore) -> None:
    with pytest.raises(NotFound):
        store.neighbourhood(Label.ROLE, "r-nobody")


def test_role_view_groups_activities_by_process(store: GraphStore) -> None:
    _small_graph(store)
    with store.unit_of_work("anna") as uow:
        uow.link(Link(Rel.PERFORMED_BY, "a-1", "r-usk"))
    view = store.role_view("r-usk")
    assert view.role.name == "Undersköterska"
    [(process, activities)] = view.processes
    assert process.id == "p-sub"
    assert [a.activity.id for a in activities] == ["a-1", "a-2"]
    assert [d.id for d in activities[1].documents] == ["d-rutin"]
    with pytest.raises(NotFound):
        store.role_view("r-nobody")
