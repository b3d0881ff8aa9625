"""Neo4j search adapter: ``SearchDoc`` nodes in a full-text index with the Swedish analyzer.

The index itself (``qms_search``, Lucene's ``swedish`` analyzer, title/text/context) is made
by the Neo4j store's migration 003; this adapter shares the store's connection, so there is
one driver per app and searches follow the writes (shared bookmarks).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Protocol, TypeVar

from qms.search import text as txt
from qms.search.port import Hit, SearchBatch, SearchDoc, SearchIndex

T = TypeVar("T")
Run = Callable[[str, dict[str, Any] | None], list[list[Any]]]

INDEX = "qms_search"
DOC_LABEL = "SearchDoc"
BATCH = 5_000
UPSERT = "UNWIND $docs AS doc MERGE (d:SearchDoc {id: doc.id}) SET d = doc"
REMOVE = "UNWIND $ids AS id MATCH (d:SearchDoc {id: id}) DELETE d"
CLEAR = "MATCH (d:SearchDoc) DELETE d"
COUNT = "MATCH (d:SearchDoc) RETURN count(d)"
SEARCH = (
    "CALL db.index.fulltext.queryNodes($index, $query) YIELD node, score "
    "WHERE $labels IS NULL OR node.label IN $labels "
    "RETURN node.id, node.label, node.title, node.text, node.context, score "
    "ORDER BY score DESC LIMIT $limit"
)
QUERIES = (UPSERT, REMOVE, CLEAR, COUNT, SEARCH)
# Lucene's query syntax; a backslash escapes each of these.
_SPECIAL = re.compile(r'([+\-&|!(){}\[\]^"~*?:\\/])')
TITLE_BOOST = 4


class Connection(Protocol):
    """What the index needs of the Neo4j store's connection."""

    def read(self, work: Callable[[Run], T]) -> T: ...

    def write(self, work: Callable[[Run], T]) -> T: ...


def escape(term: str) -> str:
    """A term with every Lucene operator character escaped."""
    return _SPECIAL.sub(r"\\\1", term)


def lucene_query(terms: Sequence[str]) -> str:
    """Every term required, each as itself (stemmed by the analyzer) or as a prefix.

    Prefix clauses score flat in Lucene, so the plain term carries the ranking; a match in
    the title counts ``TITLE_BOOST`` times.
    """
    clauses = []
    for term in terms:
        word = escape(term)
        options = [f"title:{word}^{TITLE_BOOST}", word]
        if len(term) > 1:  # a one-letter prefix matches nearly everything
            options.append(f"{word}*")
        clauses.append("+(" + " OR ".join(options) + ")")
    return " ".join(clauses)


class _Batch(SearchBatch):
    """Changes of one batch, last one per id wins; written when the batch closes."""

    def __init__(self) -> None:
        self.docs: dict[str, SearchDoc | None] = {}

    def upsert(self, doc: SearchDoc) -> None:
        """Add the document, or replace the one with the same id."""
        self.docs[doc.id] = doc

    def remove(self, doc_id: str) -> None:
        """Remove the document with this id; unknown ids are ignored."""
        self.docs[doc_id] = None


def _row(doc: SearchDoc) -> dict[str, str]:
    return {
        "id": doc.id,
        "label": doc.label,
        "title": doc.title,
        "text": doc.text,
        "context": doc.context,
    }


class Neo4jSearchIndex(SearchIndex):
    """Full-text search on the Neo4j server; ``needs_rebuild`` when it starts out empty."""

    def __init__(self, connection: Connection) -> None:
        self._conn = connection
        self.needs_rebuild: bool = self.count() == 0

    @contextmanager
    def batch(self) -> Iterator[SearchBatch]:
        """Collect changes; on normal exit write them in one transaction."""
        pending = _Batch()
        yield pending
        rows = [_row(doc) for doc in pending.docs.values() if doc is not None]
        gone = [doc_id for doc_id, doc in pending.docs.items() if doc is None]
        if rows or gone:
            self._conn.write(lambda run: self._apply(run, rows, gone))

    @staticmethod
    def _apply(run: Run, rows: list[dict[str, str]], gone: list[str]) -> None:
        if gone:
            run(REMOVE, {"ids": gone})
        for start in range(0, len(rows), BATCH):
            run(UPSERT, {"docs": rows[start : start + BATCH]})

    def search(
        self, text: str, *, labels: Sequence[str] | None = None, limit: int = 20
    ) -> list[Hit]:
        """Return the best hits where every query word matches; [] for an empty query."""
        terms = txt.query_terms(text)
        if labels is not None:
            labels = [labels] if isinstance(labels, str) else list(labels)
        if not terms or limit <= 0 or labels == []:
            return []
        params = {"index": INDEX, "query": lucene_query(terms), "labels": labels, "limit": limit}
        found = self._conn.read(lambda run: run(SEARCH, params))
        return [
            Hit(id_, label, title, txt.snippet(terms, (body, title, context)), float(score))
            for id_, label, title, body, context, score in found
        ]

    def rebuild(self, docs: Iterable[SearchDoc]) -> int:
        """Replace every document in one transaction and return the number of documents."""
        rows = list({doc.id: _row(doc) for doc in docs}.values())

        def replace(run: Run) -> None:
            run(CLEAR, None)
            self._apply(run, rows, [])

        self._conn.write(replace)
        self.needs_rebuild = False
        return len(rows)

    def count(self) -> int:
        """Return the number of indexed documents."""
        return int(self._conn.read(lambda run: run(COUNT, None))[0][0])

    def close(self) -> None:
        """Nothing to release: the connection belongs to the graph store."""
