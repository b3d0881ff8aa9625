"""One use case, all or nothing, across the graph and the search index."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from qms.search.port import SearchIndex
from qms.services.indexing import search_doc
from qms.storage.port import GraphStore
from qms.storage.unit_of_work import UnitOfWork


@contextmanager
def unit_of_work(store: GraphStore, search: SearchIndex, actor: str) -> Iterator[UnitOfWork]:
    """Graph writes and their index updates: the index commits only after the graph did.

    If the process dies between the two commits the index lags the graph; ``qms reindex``
    rebuilds it from the graph, which is always the truth.
    """
    with search.batch() as batch, store.unit_of_work(actor) as uow:
        yield uow
        for (_label, entity_id), entity in uow.touched.items():
            doc = search_doc(entity) if entity is not None else None
            if doc is not None:
                batch.upsert(doc)
            else:
                batch.remove(entity_id)
