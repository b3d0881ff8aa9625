"""Bulk load into Neo4j: ``UNWIND`` batches, one label or one (type, source, target) at a time."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

from qms.domain.changes import Change
from qms.domain.entities import Entity
from qms.domain.errors import StoreError
from qms.domain.graph import Link
from qms.domain.labels import Label, Rel
from qms.storage import schema as q
from qms.storage.bulk_plan import plan, slices
from qms.storage.cypher import cypher
from qms.storage.reads import Run

T = TypeVar("T")
#: Rows per transaction: large enough to be fast, small enough for a modest heap.
BATCH = 5_000
Write = Callable[[Callable[[Run], Any]], Any]


def node_query(label: str) -> str:
    """Create one node of ``label`` per row (null values are simply not stored)."""
    return cypher("UNWIND $rows AS row CREATE (n:{label}) SET n = row", label=label)


def link_query(rel: Rel, source: Label, target: Label) -> str:
    """Create one link per row between nodes given by id; returns how many were made."""
    return cypher(
        "UNWIND $rows AS row MATCH (a:{source} {id: row.source}) "
        "MATCH (b:{target} {id: row.target}) "
        "CREATE (a)-[r:{rel}]->(b) SET r = row.props RETURN count(r)",
        source=source,
        target=target,
        rel=rel,
    )


def change_query() -> str:
    """Append one change entry per row."""
    return node_query(q.CHANGE_LABEL)


def change_rows(changes: Iterable[Change]) -> list[dict[str, str]]:
    """Change entries as rows of text."""
    return [{name: str(getattr(c, name)) for name in q.CHANGE_FIELDS} for c in changes]


def batches(items: list[T]) -> Iterator[list[T]]:
    """Slices of at most ``BATCH`` items."""
    return slices(items, BATCH)


def load(
    write: Write, entities: Iterable[Entity], links: Iterable[Link], changes: Iterable[Change]
) -> None:
    """Check every link first, then write nodes, links and changes in batches."""
    grouped = plan(entities, links)
    for label, members in grouped.by_label.items():
        for batch in batches([q.to_params(e) for e in members]):
            _write(write, node_query(label.value), batch)
    for (rel, source, target), pair_links in grouped.by_pair.items():
        rows = [
            {"source": lk.source, "target": lk.target, "props": _props(lk)} for lk in pair_links
        ]
        for batch in batches(rows):
            made = _write(write, link_query(rel, source, target), batch)
            if made[0][0] != len(batch):
                raise StoreError(f"{rel}: {len(batch) - made[0][0]} länkar kunde inte skapas")
    for batch in batches(change_rows(changes)):
        _write(write, change_query(), batch)


def _props(link: Link) -> dict[str, Any]:
    return {n: link.props[n] for n in q.link_props(link.rel) if link.props.get(n) is not None}


def _write(write: Write, query: str, rows: list[Any]) -> list[list[Any]]:
    result: list[list[Any]] = write(lambda run: run(query, {"rows": rows}))
    return result
