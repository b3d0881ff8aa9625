"""Which adapters a configuration opens: files on disk, or a Neo4j server."""

from __future__ import annotations

from qms.domain.errors import InvalidInput
from qms.search.neo4j import Neo4jSearchIndex
from qms.search.port import SearchIndex
from qms.search.sqlite import SqliteSearchIndex
from qms.services.config import Settings
from qms.storage.embedded.store import EmbeddedGraphStore
from qms.storage.neo4j.store import Neo4jGraphStore
from qms.storage.port import GraphStore

Opened = tuple[GraphStore, SearchIndex, bool]


def open_stores(settings: Settings) -> Opened:
    """The graph store and search index of ``settings``, and whether the index is new."""
    if settings.graph_backend == "neo4j":
        return open_neo4j(settings)
    return open_embedded(settings)


def open_embedded(settings: Settings) -> Opened:
    """LadybugDB and SQLite files in the data directory."""
    store = EmbeddedGraphStore(settings.graph_path)
    try:
        index = SqliteSearchIndex(settings.search_path)
    except BaseException:
        store.close()
        raise
    return store, index, index.needs_rebuild


def open_neo4j(settings: Settings) -> Opened:
    """One driver for both the graph and its full-text index (verified, migrated)."""
    if settings.neo4j is None:
        raise InvalidInput("Neo4j är inte inställt: ange QMS_NEO4J_URI och lösenordet")
    config = settings.neo4j
    store = Neo4jGraphStore.connect(config.uri, config.auth, config.database)
    try:
        index = Neo4jSearchIndex(store.connection)
    except BaseException:
        store.close()
        raise
    return store, index, index.needs_rebuild
