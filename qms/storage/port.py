"""The ``GraphStore`` port: the quality graph in domain terms; no query text crosses it."""

from __future__ import annotations

import abc
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager
from typing import Literal

from qms.domain.changes import Change
from qms.domain.entities import Entity
from qms.domain.graph import Link
from qms.domain.labels import Label, Rel
from qms.domain.views import Neighbourhood, NodeRef, ProcessView, RoleView, TracePath
from qms.storage.unit_of_work import UnitOfWork

Direction = Literal["out", "in"]


class GraphStore(abc.ABC):
    """Where the quality graph lives. Adapters: embedded (LadybugDB) and Neo4j."""

    @abc.abstractmethod
    def unit_of_work(self, actor: str) -> AbstractContextManager[UnitOfWork]:
        """All-or-nothing writes by ``actor``; commits on normal exit, else rolls back."""

    @abc.abstractmethod
    def get(self, label: Label, entity_id: str) -> Entity:
        """The entity or ``NotFound``."""

    @abc.abstractmethod
    def label_of(self, entity_id: str) -> Label | None:
        """The label of the node with this id, or None."""

    @abc.abstractmethod
    def entities(self, label: Label) -> list[Entity]:
        """Every entity of a label, ordered by id."""

    @abc.abstractmethod
    def get_many(self, label: Label, ids: Iterable[str]) -> dict[str, Entity]:
        """The entities of a label with these ids, by id (unknown ids are left out).

        For pages that name a few hundred nodes of a large label: one query, not one per id
        and not the whole label.
        """

    @abc.abstractmethod
    def neighbours(
        self, label: Label, entity_id: str, rel: Rel, direction: Direction = "out"
    ) -> list[NodeRef]:
        """Nodes joined to this one by ``rel``, ordered by id."""

    @abc.abstractmethod
    def outgoing(self, label: Label, entity_id: str, rel: Rel) -> list[Link]:
        """Links of type ``rel`` leaving this node, with their properties, by target id."""

    @abc.abstractmethod
    def process_view(self, process_id: str) -> ProcessView:
        """Everything the process page shows."""

    @abc.abstractmethod
    def neighbourhood(self, label: Label, entity_id: str) -> Neighbourhood:
        """The entity and every node one link away, in both directions (``NotFound``)."""

    @abc.abstractmethod
    def role_view(self, role_id: str) -> RoleView:
        """Every activity the role performs, with its rutiner, grouped by process."""

    @abc.abstractmethod
    def trace(self, label: Label, entity_id: str) -> list[TracePath]:
        """Paths from a deviation or risk to every goal it endangers, shortest per goal."""

    @abc.abstractmethod
    def changes(self, entity_id: str | None = None) -> list[Change]:
        """The change log, oldest first, of one entity or of everything."""

    @abc.abstractmethod
    def iter_entities(self) -> Iterator[Entity]:
        """Every entity, by label then id (dump order)."""

    @abc.abstractmethod
    def links(self, rel: Rel) -> Iterator[Link]:
        """Every link of one type, by source and target."""

    def iter_links(self) -> Iterator[Link]:
        """Every link, by type, source and target (dump order)."""
        for rel in sorted(Rel):
            yield from self.links(rel)

    @abc.abstractmethod
    def counts(self) -> dict[str, int]:
        """Number of nodes per label and links per type."""

    @abc.abstractmethod
    def bulk_load(
        self, entities: Iterable[Entity], links: Iterable[Link], changes: Iterable[Change] = ()
    ) -> None:
        """Load into an empty store as fast as the engine allows (restore, generate)."""

    def replace(
        self, entities: Iterable[Entity], links: Iterable[Link], changes: Iterable[Change] = ()
    ) -> None:
        """Swap the whole graph for another (restore). This version empties the store, loads
        the new graph and, if that fails, loads the old one back; adapters that can do it as
        one atomic step (the embedded store) override it."""
        old = (tuple(self.iter_entities()), tuple(self.iter_links()), tuple(self.changes()))
        self.clear()
        try:
            self.bulk_load(entities, links, changes)
        except BaseException:
            self.clear()
            self.bulk_load(*old)
            raise

    @abc.abstractmethod
    def clear(self) -> None:
        """Remove every node, link and change entry."""

    @abc.abstractmethod
    def close(self) -> None:
        """Release the database; the store is unusable afterwards."""
