"""The Neo4j unit of work: recorded steps, overlay reads, one replayed write, conflicts."""

from __future__ import annotations

import dataclasses
import re
from typing import Any

import pytest
from neo4j.exceptions import TransientError

from qms.domain.entities import Activity, Role
from qms.domain.errors import Conflict, StoreError
from qms.domain.graph import Link
from qms.domain.labels import Label, Rel
from qms.storage import queries as qq
from qms.storage import schema as q
from qms.storage.neo4j.store import Neo4jGraphStore
from qms.storage.neo4j.unit_of_work import Neo4jUnitOfWork
from qms.storage.queries import Dialect

ACTIVITY = {"_LABEL": "Activity", "id": "a-1", "name": "Ta emot", "version": 3, "position": 1}
FIND = qq.find_label_query(Dialect.NEO4J)
LINK_CHECK = q.link_match(Rel.PERFORMED_BY, Label.ACTIVITY, Label.ROLE) + " RETURN 1"


@pytest.fixture
def store(recorder: Any) -> Neo4jGraphStore:
    """A store on the recorder, with one committed activity a-1 at version 3."""
    recorder.answer(FIND, lambda p: [["Activity"]] if p["id"] == "a-1" else [])
    recorder.answer(
        q.read_query(Label.ACTIVITY), lambda p: [[ACTIVITY]] if p["id"] == "a-1" else []
    )
    recorder.answer(q.update_query(Label.ACTIVITY), [[4]])
    recorder.answer(qq.lock_query("Activity"), [["a-1"]])
    recorder.answer(qq.lock_query("Role"), [["r-1"]])
    made = Neo4jGraphStore(recorder)  # type: ignore[arg-type]
    recorder.log.clear()
    recorder.writes = 0  # the migrations
    return made


def sent(recorder: Any, start: int = 0) -> list[str]:
    return [query for query, _ in recorder.log[start:]]


def test_nothing_reaches_the_server_before_commit_and_all_of_it_in_one_write(
    store: Neo4jGraphStore, recorder: Any
) -> None:
    with store.unit_of_work("anna") as uow:
        role = uow.add(Role(id="r-1", name="Undersköterska"))
        assert uow.get(Label.ROLE, "r-1") == role  # the pending write, no round trip
        assert uow.link(Link(Rel.PERFORMED_BY, "a-1", "r-1"))
        assert not uow.link(Link(Rel.PERFORMED_BY, "a-1", "r-1"))  # already, in this unit
        reads_before_commit = len(recorder.log)
        assert recorder.writes == 0
    assert recorder.writes == 1
    assert sent(recorder, reads_before_commit) == [
        q.create_query(Label.ROLE),
        qq.lock_query("Activity"),
        LINK_CHECK,
        q.link_create_query(Rel.PERFORMED_BY, Label.ACTIVITY, Label.ROLE),
        "UNWIND $rows AS row CREATE (n:ChangeEntry) SET n = row",
    ]
    changes = recorder.log[-1][1]["rows"]
    assert [(c["op"], c["entity_id"]) for c in changes] == [("create", "r-1"), ("link", "a-1")]


def test_a_lost_race_on_the_version_is_a_conflict_at_commit(
    store: Neo4jGraphStore, recorder: Any
) -> None:
    current = store.get(Label.ACTIVITY, "a-1")
    recorder.answer(q.update_query(Label.ACTIVITY), [])  # someone else wrote version 4 first
    with pytest.raises(Conflict, match="samtidigt"), store.unit_of_work("bo") as uow:
        uow.update(dataclasses.replace(current, name="Ta emot ansökan"))
    update = next(p for query, p in recorder.log if query == q.update_query(Label.ACTIVITY))
    assert (update["expected"], update["version"], update["name"]) == (3, 4, "Ta emot ansökan")


def test_a_link_someone_else_made_meanwhile_is_a_conflict(
    store: Neo4jGraphStore, recorder: Any
) -> None:
    with store.unit_of_work("anna") as uow:
        uow.add(Role(id="r-1", name="Undersköterska"))
    recorder.answer(FIND, lambda p: [["Activity"]] if p["id"] == "a-1" else [["Role"]])
    checks = iter([[], [[1]]])  # absent when asked, present when the commit looks again
    recorder.answer(LINK_CHECK, lambda p: next(checks))
    with pytest.raises(Conflict, match="lades till samtidigt"), store.unit_of_work("bo") as uow:
        uow.link(Link(Rel.PERFORMED_BY, "a-1", "r-1"))


def test_an_error_the_caller_swallowed_still_fails_the_unit(
    store: Neo4jGraphStore, recorder: Any
) -> None:
    def swallow_and_go_on() -> None:
        with store.unit_of_work("bo") as uow:
            uow.add(Role(id="r-a", name="A"))
            try:
                uow._create(Role(id="r-a", name="again"))  # noqa: SLF001
            except Conflict:
                pass
            uow.add(Role(id="r-b", name="B"))

    with pytest.raises(StoreError):
        swallow_and_go_on()
    assert recorder.writes == 0


def test_an_exception_in_the_caller_writes_nothing(store: Neo4jGraphStore, recorder: Any) -> None:
    def fail_after_a_write() -> None:
        with store.unit_of_work("bo") as uow:
            uow.add(Role(id="r-x", name="X"))
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        fail_after_a_write()
    assert recorder.writes == 0


def test_a_deleted_node_has_no_committed_links_left(store: Neo4jGraphStore, recorder: Any) -> None:
    # Committed: a-1 is performed by r-1; in the commit, after the delete, no longer.
    recorder.answer(LINK_CHECK, lambda p: [] if recorder.writes else [[1]])
    recorder.answer(FIND, lambda p: [["Activity"]] if p["id"] == "a-1" else [["Role"]])
    recorder.answer(q.read_query(Label.ROLE), [[{"_LABEL": "Role", "id": "r-1", "name": "R"}]])
    with store.unit_of_work("bo") as uow:
        assert not uow.link(Link(Rel.PERFORMED_BY, "a-1", "r-1"))
        uow.delete(Label.ROLE, "r-1")
        uow.add(Role(id="r-1", name="Ny"))
        assert uow.link(Link(Rel.PERFORMED_BY, "a-1", "r-1"))
    assert sent(recorder).count(q.delete_query(Label.ROLE)) == 1


def test_the_replay_can_run_again_after_a_transient_error(recorder: Any) -> None:
    """The driver re-runs the transaction function; a second run sends the same statements."""
    uow = Neo4jUnitOfWork("anna", recorder)
    uow.add(Activity(id="a-9", name="Ny aktivitet"))
    uow.add(Role(id="r-9", name="Ny roll"))
    calls: list[str] = []

    def flaky(query: str, params: dict[str, Any] | None = None) -> Any:
        calls.append(query)
        if len(calls) == 2:
            raise TransientError("Neo.TransientError.Transaction.DeadlockDetected")
        return recorder.run(query, params)

    with pytest.raises(TransientError):
        uow.replay(flaky)
    first = len(calls)
    uow.replay(flaky)
    assert calls[first:] == [q.create_query(Label.ACTIVITY), q.create_query(Label.ROLE),
                             "UNWIND $rows AS row CREATE (n:ChangeEntry) SET n = row"]  # fmt: skip


def test_every_statement_gets_every_parameter_it_names(
    store: Neo4jGraphStore, recorder: Any
) -> None:
    recorder.answer(" DELETE r RETURN 1", [[1]])
    with store.unit_of_work("anna") as uow:
        uow.add(Role(id="r-1", name="Undersköterska"))
        uow.link(Link(Rel.PERFORMED_BY, "a-1", "r-1"))
        uow.update(dataclasses.replace(uow.get(Label.ACTIVITY, "a-1"), description="Ny"))
        uow.unlink(Link(Rel.PERFORMED_BY, "a-1", "r-1"))
        uow.delete(Label.ROLE, "r-1")
    assert recorder.log
    for query, params in recorder.log:
        assert set(re.findall(r"\$(\w+)", query)) <= params.keys(), query
