"""Rebuild the search index from the graph, which is always the truth."""

from __future__ import annotations

from qms.search.port import SearchIndex
from qms.services.indexing import INDEXED, search_doc
from qms.storage.port import GraphStore


def reindex(store: GraphStore, search: SearchIndex) -> int:
    """Replace the whole index with documents made from the graph; returns the count."""
    docs = (search_doc(entity) for label in INDEXED for entity in store.entities(label))
    return search.rebuild(doc for doc in docs if doc is not None)
