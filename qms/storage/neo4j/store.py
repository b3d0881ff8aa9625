"""``Neo4jGraphStore``: the quality graph on a Neo4j server (or cluster), stateless app side."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from qms.domain.changes import Change
from qms.domain.entities import Entity
from qms.domain.errors import NotFound
from qms.domain.graph import Link
from qms.domain.labels import Label, Rel
from qms.domain.trace import trace as walk
from qms.domain.views import Neighbourhood, NodeRef, ProcessView, RoleView, TracePath
from qms.storage import queries as qq
from qms.storage import reads, views
from qms.storage import schema as q
from qms.storage.neo4j import bulk
from qms.storage.neo4j.connection import Connection
from qms.storage.neo4j.migrate import migrate
from qms.storage.neo4j.unit_of_work import Neo4jUnitOfWork
from qms.storage.port import Direction, GraphStore
from qms.storage.queries import Dialect
from qms.storage.reads import Run
from qms.storage.unit_of_work import UnitOfWork


class Neo4jGraphStore(GraphStore):
    """Every read is one managed read transaction; a unit of work one managed write."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.applied_migrations = migrate(connection)

    @classmethod
    def connect(
        cls, uri: str, auth: tuple[str, str], database: str | None = None, **options: Any
    ) -> Neo4jGraphStore:
        """Open the driver, verify the server and the login, migrate the schema."""
        connection = Connection.open(uri, auth, database, **options)
        try:
            return cls(connection)
        except BaseException:
            connection.close()
            raise

    @contextmanager
    def unit_of_work(self, actor: str) -> Iterator[UnitOfWork]:
        """Collect the writes; on normal exit replay them in one transaction."""
        uow = Neo4jUnitOfWork(actor, self.connection)
        yield uow
        uow.commit()

    def get(self, label: Label, entity_id: str) -> Entity:
        """The entity or ``NotFound``."""
        entity = self.connection.read(lambda run: reads.read(run, label, entity_id))
        if entity is None:
            raise NotFound(label, entity_id)
        return entity

    def label_of(self, entity_id: str) -> Label | None:
        """The label of the node with this id, or None."""
        return self.connection.read(lambda run: reads.find_label(run, entity_id, Dialect.NEO4J))

    def entities(self, label: Label) -> list[Entity]:
        """Every entity of a label, ordered by id."""
        return self.connection.read(lambda run: reads.entities(run, label))

    def get_many(self, label: Label, ids: Iterable[str]) -> dict[str, Entity]:
        """The entities of a label with these ids, by id."""
        wanted = list(ids)
        return self.connection.read(lambda run: reads.get_many(run, label, wanted))

    def neighbours(
        self, label: Label, entity_id: str, rel: Rel, direction: Direction = "out"
    ) -> list[NodeRef]:
        """Nodes joined to this one by ``rel``, ordered by id."""
        return self.connection.read(
            lambda run: reads.neighbours(run, label, entity_id, rel, direction)
        )

    def outgoing(self, label: Label, entity_id: str, rel: Rel) -> list[Link]:
        """Links of type ``rel`` leaving this node, by target id."""
        return self.connection.read(lambda run: list(reads.links_of(run, rel, label, entity_id)))

    def process_view(self, process_id: str) -> ProcessView:
        """Everything the process page shows, read in one transaction."""
        return self.connection.read(lambda run: views.process_view(run, process_id, Dialect.NEO4J))

    def neighbourhood(self, label: Label, entity_id: str) -> Neighbourhood:
        """The entity and every node one link away, read in one transaction."""
        return self.connection.read(lambda run: views.neighbourhood(run, label, entity_id))

    def role_view(self, role_id: str) -> RoleView:
        """Every activity the role performs, grouped by process."""
        return self.connection.read(lambda run: views.role_view(run, role_id))

    def trace(self, label: Label, entity_id: str) -> list[TracePath]:
        """Paths to every goal reached: the shared walk, one query per frontier and hop."""

        def in_transaction(run: Run) -> list[TracePath]:
            start = reads.read(run, label, entity_id)
            if start is None:
                raise NotFound(label, entity_id)
            return walk(
                NodeRef(label, start.id, start.caption),
                lambda lbl, ids: list(reads.expand_many(run, lbl, ids)),
            )

        return self.connection.read(in_transaction)

    def changes(self, entity_id: str | None = None) -> list[Change]:
        """The change log, oldest first."""
        return self.connection.read(lambda run: reads.changes(run, entity_id))

    def iter_entities(self) -> Iterator[Entity]:
        """Every entity, by label then id."""
        for label in sorted(Label, key=lambda lbl: lbl.value):
            yield from self.entities(label)

    def links(self, rel: Rel) -> Iterator[Link]:
        """Every link of one type, by source and target."""
        return iter(self.connection.read(lambda run: list(reads.links_of(run, rel))))

    def counts(self) -> dict[str, int]:
        """Number of nodes per label and links per type (Neo4j answers from its count store)."""
        return self.connection.read(reads.counts)

    def bulk_load(
        self, entities: Iterable[Entity], links: Iterable[Link], changes: Iterable[Change] = ()
    ) -> None:
        """``UNWIND`` batches into an empty store; on failure the store is emptied again."""
        try:
            bulk.load(self.connection.write, entities, links, changes)
        except BaseException:
            self.clear()
            raise

    def clear(self) -> None:
        """Remove every node, link and change entry, in batches."""
        for label in (*(lbl.value for lbl in Label), q.CHANGE_LABEL):
            self.connection.auto(qq.clear_in_batches_query(label))

    def close(self) -> None:
        """Close the driver."""
        self.connection.close()
