"""The Neo4j unit of work: writes are collected, then replayed in one managed transaction.

The driver may run a transaction function more than once (it retries on transient errors),
so the caller's block cannot run inside it. Instead each primitive records ``Step``s and
the commit replays them all in one ``execute_write``; a lock and the expected version decide
there whether someone else got in first. Reads in between see the committed graph with this
unit's pending writes laid over it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from qms.domain.changes import Change
from qms.domain.entities import Entity
from qms.domain.errors import Conflict, StoreError
from qms.domain.graph import Link
from qms.domain.labels import Label
from qms.storage import queries as qq
from qms.storage import reads
from qms.storage import schema as q
from qms.storage.neo4j import bulk
from qms.storage.neo4j.connection import Connection
from qms.storage.queries import Dialect
from qms.storage.reads import Run
from qms.storage.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class Step:
    """One statement of the replay; ``expect`` says what rows it must give, else Conflict."""

    query: str
    params: dict[str, Any]
    expect: Literal["any", "rows", "none"] = "any"
    conflict: str = ""

    def check(self, rows: list[list[Any]]) -> None:
        """Raise ``Conflict`` when the rows show another writer changed the graph."""
        if (self.expect == "rows" and not rows) or (self.expect == "none" and rows):
            raise Conflict(self.conflict)


class Neo4jUnitOfWork(UnitOfWork):
    """Primitives that record steps; ``commit`` writes them all or nothing."""

    def __init__(self, actor: str, connection: Connection) -> None:
        super().__init__(actor)
        self._conn = connection
        self.steps: list[Step] = []
        self.change_rows: list[dict[str, str]] = []
        self.failed = False
        self._pending: dict[str, Entity] = {}  # created or updated here, by id
        self._gone: set[str] = set()  # deleted here
        self._unlinked: set[str] = set()  # committed links do not count (deleted or new here)
        self._links: dict[tuple[str, str, str], bool] = {}  # linked/unlinked here

    # -- reads: the committed graph with this unit's writes laid over it -------------------
    def _read(self, label: Label, entity_id: str) -> Entity | None:
        if entity_id in self._gone:
            return None
        if entity_id in self._pending:
            entity = self._pending[entity_id]
            return entity if entity.LABEL is label else None
        return self._conn.read(lambda run: reads.read(run, label, entity_id))

    def _find_label(self, entity_id: str) -> Label | None:
        if entity_id in self._gone:
            return None
        if entity_id in self._pending:
            return self._pending[entity_id].LABEL
        return self._conn.read(lambda run: reads.find_label(run, entity_id, Dialect.NEO4J))

    def _has_link(self, link: Link, source: Label, target: Label) -> bool:
        if link.key in self._links:
            return self._links[link.key]
        if {link.source, link.target} & self._unlinked:
            return False
        query = q.link_exists_query(link.rel, source, target)
        ends = {"source": link.source, "target": link.target}
        return bool(self._conn.read(lambda run: run(query, ends)))

    # -- writes: recorded, replayed by ``commit`` ------------------------------------------
    def _create(self, entity: Entity) -> None:
        if entity.id in self._pending:  # only reachable by calling the primitive directly
            self.failed = True
            raise Conflict(f"id {entity.id} finns redan")
        self.steps.append(Step(q.create_query(entity.LABEL), q.to_params(entity)))
        self._pending[entity.id] = entity
        self._gone.discard(entity.id)
        self._unlinked.add(entity.id)

    def _update(self, entity: Entity, expected_version: int) -> bool:
        lost = f"{entity.LABEL} {entity.id} ändrades eller togs bort samtidigt av någon annan"
        params = q.to_params(entity) | {"expected": expected_version}
        self.steps += [
            Step(qq.lock_query(entity.LABEL.value), {"id": entity.id}, "rows", lost),
            Step(q.update_query(entity.LABEL), params, "rows", lost),
        ]
        self._pending[entity.id] = entity
        return True

    def _delete(self, label: Label, entity_id: str) -> None:
        lost = f"{label} {entity_id} togs bort samtidigt av någon annan"
        self.steps += [
            Step(qq.lock_query(label.value), {"id": entity_id}, "rows", lost),
            Step(q.delete_query(label), {"id": entity_id}),
        ]
        self._pending.pop(entity_id, None)
        self._gone.add(entity_id)
        self._unlinked.add(entity_id)
        self._links = {k: v for k, v in self._links.items() if entity_id not in k[1:]}

    def _link(self, link: Link, source: Label, target: Label) -> bool:
        if self._has_link(link, source, target):
            return False
        ends = {"source": link.source, "target": link.target}
        props = {name: link.props.get(name) for name in q.link_props(link.rel)}
        self.steps += [
            Step(qq.lock_query(source.value), {"id": link.source}, "rows", self._lost(link)),
            Step(
                q.link_exists_query(link.rel, source, target),
                ends,
                "none",
                f"{link.rel} {link.source} → {link.target} lades till samtidigt av någon annan",
            ),
            Step(q.link_create_query(link.rel, source, target), ends | props),
        ]
        self._links[link.key] = True
        return True

    def _unlink(self, link: Link, source: Label, target: Label) -> bool:
        if not self._has_link(link, source, target):
            return False
        ends = {"source": link.source, "target": link.target}
        self.steps += [
            Step(qq.lock_query(source.value), {"id": link.source}, "rows", self._lost(link)),
            Step(
                q.unlink_query(link.rel, source, target),
                ends,
                "rows",
                f"{link.rel} {link.source} → {link.target} togs bort samtidigt av någon annan",
            ),
        ]
        self._links[link.key] = False
        return True

    @staticmethod
    def _lost(link: Link) -> str:
        return f"{link.source} togs bort samtidigt av någon annan"

    def _record(self, change: Change) -> None:
        self.change_rows += bulk.change_rows([change])

    # -- commit ----------------------------------------------------------------------------
    def replay(self, run: Run) -> None:
        """Every recorded write in order, then the change log; safe to run again."""
        for step in self.steps:
            step.check(run(step.query, step.params))
        for batch in bulk.batches(self.change_rows):
            run(bulk.change_query(), {"rows": batch})

    def commit(self) -> None:
        """Replay everything in one managed write transaction (nothing to do when empty)."""
        if self.failed:
            raise StoreError("en tidigare skrivning misslyckades; inget sparades")
        if self.steps or self.change_rows:
            self._conn.write(self.replay)
