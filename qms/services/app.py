"""``Qms``: the services one process needs, opened from settings and closed together."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path

from qms.domain.entities import Process
from qms.domain.errors import InvalidInput
from qms.domain.kinds import ProcessKind
from qms.domain.labels import Label, Rel
from qms.domain.trace import TRACE_START
from qms.domain.views import TracePath
from qms.search.port import Hit, SearchIndex
from qms.services import loader
from qms.services.backends import open_stores
from qms.services.cache import WriteSignal
from qms.services.config import Settings
from qms.services.reindex import reindex
from qms.services.unit_of_work import unit_of_work
from qms.storage.port import GraphStore
from qms.storage.unit_of_work import UnitOfWork


@dataclass
class Qms:
    """The graph store and the search index of one data directory."""

    settings: Settings
    store: GraphStore
    search_index: SearchIndex
    closed: bool = False

    @classmethod
    def open(cls, settings: Settings) -> Qms:
        """Open (and migrate) the stores; rebuild the search index when it is new."""
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        store, index, new_index = open_stores(settings)
        qms = cls(settings, store, index)
        if new_index:
            reindex(store, index)
        return qms

    def close(self) -> None:
        """Close both stores (a second call does nothing)."""
        if not self.closed:
            self.closed = True
            self.search_index.close()
            self.store.close()

    def on_write(self, callback: Callable[[], None]) -> None:
        """Call ``callback`` after every committed write (to drop caches of read models).

        Every write use case updates the search index in its unit of work, so watching the
        index's commits sees every write, whichever path made it.
        """
        self.search_index = WriteSignal(self.search_index, callback)

    def unit_of_work(self, actor: str) -> AbstractContextManager[UnitOfWork]:
        """All-or-nothing writes across graph and search index."""
        return unit_of_work(self.store, self.search_index, actor)

    def load(self, path: Path, actor: str) -> loader.LoadReport:
        """Load model files (validated first, applied all or nothing)."""
        return loader.load_models(self.store, self.search_index, path, actor)

    def is_empty(self) -> bool:
        """True when the graph holds no process and no goal."""
        return not self.store.entities(Label.PROCESS) and not self.store.entities(Label.GOAL)

    def processes_by_kind(self) -> dict[ProcessKind, list[Process]]:
        """Top-level, unarchived processes grouped by kind, by name."""
        children = {link.source for link in self.store.links(Rel.SUBPROCESS_OF)}
        grouped: dict[ProcessKind, list[Process]] = {kind: [] for kind in ProcessKind}
        for entity in self.store.entities(Label.PROCESS):
            if isinstance(entity, Process) and not entity.archived and entity.id not in children:
                grouped[entity.kind].append(entity)
        for processes in grouped.values():
            processes.sort(key=lambda p: p.name)
        return grouped

    def trace(self, label: Label, entity_id: str) -> list[TracePath]:
        """The goals a deviation or risk endangers, each with its path."""
        if label not in TRACE_START:
            raise InvalidInput(f"spårning börjar i en avvikelse eller risk, inte {label}")
        return self.store.trace(label, entity_id)

    def search(self, text: str, limit: int = 20) -> list[Hit]:
        """Processes, activities, documents and roles matching ``text``."""
        return self.search_index.search(text, limit=limit)

    def reindex(self) -> int:
        """Rebuild the search index from the graph."""
        return reindex(self.store, self.search_index)
