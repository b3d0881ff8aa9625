"""``EmbeddedGraphStore``: the quality graph in LadybugDB on disk, one process, many threads."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from qms.domain.changes import Change, ChangeOp
from qms.domain.entities import Entity
from qms.domain.errors import NotFound, QmsError, StoreError, StoreNotWritable
from qms.domain.graph import Link
from qms.domain.labels import Label, Rel
from qms.domain.trace import trace as walk
from qms.domain.views import Neighbourhood, NodeRef, ProcessView, RoleView, TracePath
from qms.storage import reads, views
from qms.storage import schema as q
from qms.storage.embedded import bulk
from qms.storage.embedded.engine import Engine, holders
from qms.storage.embedded.guard import WriteGuard
from qms.storage.embedded.migrate import check_current, migrate
from qms.storage.port import Direction, GraphStore
from qms.storage.queries import Dialect
from qms.storage.unit_of_work import UnitOfWork


class EmbeddedGraphStore(GraphStore):
    """LadybugDB in ``path``. Reads run in parallel; writes are serialised by a lock.

    Files that cannot be written are opened read-only (``read_only``): reads work, every
    write raises ``StoreNotWritable`` before it starts, as it does on a nearly full disk and
    after a failed COMMIT (see ``guard``).
    """

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.engine = Engine(path)
        self.read_only = self.engine.read_only
        self.guard = WriteGuard(path, read_only=self.read_only)
        self._write_lock = threading.Lock()
        try:
            with self._write_lock:
                if self.read_only:
                    check_current(self.engine.run)
                    self.applied_migrations: list[int] = []
                else:
                    self.applied_migrations = migrate(self.engine.run)
        except BaseException:
            self.engine.close()
            raise

    @contextmanager
    def unit_of_work(self, actor: str) -> Iterator[UnitOfWork]:
        """One engine transaction under the write lock; the first failure aborts it all."""
        with self._write_lock:
            self.guard.check()
            self.engine.run("BEGIN TRANSACTION")
            uow = self._new_unit_of_work(actor)
            try:
                yield uow
                if uow.failed:
                    raise StoreError("en tidigare skrivning misslyckades; inget sparades")
                self._commit()
            except BaseException:
                self._rollback()
                raise

    def _new_unit_of_work(self, actor: str) -> EmbeddedUnitOfWork:
        """The unit of work of one transaction (the audit-log benchmark swaps its own in)."""
        return EmbeddedUnitOfWork(actor, self.engine)

    def _commit(self) -> None:
        try:
            self.engine.run("COMMIT")
        except StoreNotWritable as exc:
            self.guard.commit_failed(exc)
            raise

    def _rollback(self) -> None:
        # The engine may already have rolled back on its own after an error.
        try:
            self.engine.run("ROLLBACK")
        except QmsError:
            pass

    def get(self, label: Label, entity_id: str) -> Entity:
        """The entity or ``NotFound``."""
        entity = reads.read(self.engine.run, label, entity_id)
        if entity is None:
            raise NotFound(label, entity_id)
        return entity

    def label_of(self, entity_id: str) -> Label | None:
        """The label of the node with this id, or None."""
        return reads.find_label(self.engine.run, entity_id, Dialect.LADYBUG)

    def entities(self, label: Label) -> list[Entity]:
        """Every entity of a label, ordered by id."""
        return reads.entities(self.engine.run, label)

    def get_many(self, label: Label, ids: Iterable[str]) -> dict[str, Entity]:
        """The entities of a label with these ids, by id."""
        return reads.get_many(self.engine.run, label, ids)

    def neighbours(
        self, label: Label, entity_id: str, rel: Rel, direction: Direction = "out"
    ) -> list[NodeRef]:
        """Nodes joined to this one by ``rel``, ordered by id."""
        return reads.neighbours(self.engine.run, label, entity_id, rel, direction)

    def outgoing(self, label: Label, entity_id: str, rel: Rel) -> list[Link]:
        """Links of type ``rel`` leaving this node, by target id."""
        return list(reads.links_of(self.engine.run, rel, label, entity_id))

    def process_view(self, process_id: str) -> ProcessView:
        """Everything the process page shows."""
        return views.process_view(self.engine.run, process_id, Dialect.LADYBUG)

    def neighbourhood(self, label: Label, entity_id: str) -> Neighbourhood:
        """The entity and every node one link away."""
        return views.neighbourhood(self.engine.run, label, entity_id)

    def role_view(self, role_id: str) -> RoleView:
        """Every activity the role performs, grouped by process."""
        return views.role_view(self.engine.run, role_id)

    def trace(self, label: Label, entity_id: str) -> list[TracePath]:
        """Paths from a deviation or risk to every goal it endangers."""
        start = self.get(label, entity_id)
        return walk(
            NodeRef(label, start.id, start.caption),
            lambda lbl, ids: reads.expand(self.engine.run, lbl, ids),
        )

    def changes(self, entity_id: str | None = None) -> list[Change]:
        """The change log, oldest first."""
        return reads.changes(self.engine.run, entity_id)

    def iter_entities(self) -> Iterator[Entity]:
        """Every entity, by label then id."""
        for label in sorted(Label, key=lambda lbl: lbl.value):
            yield from self.entities(label)

    def links(self, rel: Rel) -> Iterator[Link]:
        """Every link of one type, by source and target."""
        return reads.links_of(self.engine.run, rel)

    def counts(self) -> dict[str, int]:
        """Number of nodes per label and links per type."""
        return reads.counts(self.engine.run)

    def bulk_load(
        self, entities: Iterable[Entity], links: Iterable[Link], changes: Iterable[Change] = ()
    ) -> None:
        """COPY FROM Arrow tables into an empty store; on failure the store is emptied again."""
        with self._write_lock:
            self.guard.check()
            try:
                bulk.load(self.engine.run, entities, links, changes)
            except BaseException:
                reads.clear(self.engine.run)
                raise

    def replace(
        self, entities: Iterable[Entity], links: Iterable[Link], changes: Iterable[Change] = ()
    ) -> None:
        """Build the new graph in a file beside this one, then move it over this one in one
        rename: a process killed at any moment leaves the old graph or the new, never half.

        Only when this engine is the process's one user of the file (``qms restore``); a
        server with several open falls back to emptying and loading."""
        path = self.engine.path
        if holders(path) != 1:
            super().replace(entities, links, changes)
            return
        staging = path.with_name(path.name + ".restoring")
        _remove_database(staging)  # what a restore killed before its rename left behind
        with self._write_lock:
            self.guard.check()
            built = EmbeddedGraphStore(staging)
            try:
                built.bulk_load(entities, links, changes)
            finally:
                built.close()
            if _leftovers(staging):
                raise StoreError(f"{staging} stängdes inte rent; inget ersattes")
            self.engine.close()
            try:
                os.replace(staging, path)
            finally:
                self.engine = Engine(path)

    def clear(self) -> None:
        """Remove every node, link and change entry."""
        with self._write_lock:
            self.guard.check()
            reads.clear(self.engine.run)

    def close(self) -> None:
        """Release the database."""
        self.engine.close()


def _leftovers(path: Path) -> list[Path]:
    """Files the engine keeps beside a database while it is open (log, lock)."""
    return [p for p in path.parent.glob(path.name + ".*") if p.suffix != ".restoring"]


def _remove_database(path: Path) -> None:
    for found in (path, *_leftovers(path)):
        found.unlink(missing_ok=True)


class EmbeddedUnitOfWork(UnitOfWork):
    """Primitives on the open engine transaction; any engine error marks the unit failed."""

    def __init__(self, actor: str, engine: Engine) -> None:
        super().__init__(actor)
        self._engine = engine
        self.failed = False

    def _run(self, query: str, params: dict[str, Any] | None = None) -> list[list[Any]]:
        if self.failed:
            raise StoreError("transaktionen har redan avbrutits")
        try:
            return self._engine.run(query, params)
        except QmsError:
            self.failed = True
            raise

    def _read(self, label: Label, entity_id: str) -> Entity | None:
        return reads.read(self._run, label, entity_id)

    def _find_label(self, entity_id: str) -> Label | None:
        return reads.find_label(self._run, entity_id, Dialect.LADYBUG)

    def _create(self, entity: Entity) -> None:
        self._run(q.create_query(entity.LABEL), q.to_params(entity))

    def _update(self, entity: Entity, expected_version: int) -> bool:
        params = q.to_params(entity) | {"expected": expected_version}
        return bool(self._run(q.update_query(entity.LABEL), params))

    def _delete(self, label: Label, entity_id: str) -> None:
        self._run(q.delete_query(label), {"id": entity_id})

    def _link(self, link: Link, source: Label, target: Label) -> bool:
        ends = {"source": link.source, "target": link.target}
        if self._run(q.link_exists_query(link.rel, source, target), ends):
            return False
        props = {name: link.props.get(name) for name in q.link_props(link.rel)}
        self._run(q.link_create_query(link.rel, source, target), ends | props)
        return True

    def _unlink(self, link: Link, source: Label, target: Label) -> bool:
        ends = {"source": link.source, "target": link.target}
        rows = self._run(q.unlink_query(link.rel, source, target), ends)
        return bool(rows)

    def _record(self, change: Change) -> None:
        params = {name: getattr(change, name) for name in q.CHANGE_FIELDS}
        params["op"] = ChangeOp(change.op).value
        self._run(q.change_create_query(), params)
