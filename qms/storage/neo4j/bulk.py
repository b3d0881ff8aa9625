"""Bulk load into Neo4j: ``UNWIND`` batches, one label or one (type, source, target) at a time."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

from qms.domain.changes import Change
from qms.domain.entities import Entity
from qms.domain.errors import InvalidInput, StoreError
from qms.domain.graph import Link, check_link
from qms.domain.labels import Label, Rel
from qms.storage import schema as q
from qms.storage.reads import Run

T = TypeVar("T")
#: Rows per transaction: large enough to be fast, small enough for a modest heap.
BATCH = 5_000
Write = Callable[[Callable[[Run], Any]], Any]


def node_query(label: str) -> str:
    """Create one node of ``label`` per row (null values are simply not stored)."""
    return f"UNWIND $rows AS row CREATE (n:{label}) SET n = row"


def link_query(rel: Rel, source: Label, target: Label) -> str:
    """Create one link per row between nodes given by id; returns how many were made."""
    return (
        f"UNWIND $rows AS row MATCH (a:{source.value} {{id: row.source}}) "
        f"MATCH (b:{target.value} {{id: row.target}}) "
        f"CREATE (a)-[r:{rel.value}]->(b) SET r = row.props RETURN count(r)"
    )


def change_query() -> str:
    """Append one change entry per row."""
    return node_query(q.CHANGE_LABEL)


def change_rows(changes: Iterable[Change]) -> list[dict[str, str]]:
    """Change entries as rows of text."""
    return [{name: str(getattr(c, name)) for name in q.CHANGE_FIELDS} for c in changes]


def batches(items: list[T]) -> Iterator[list[T]]:
    """Slices of at most ``BATCH`` items."""
    for start in range(0, len(items), BATCH):
        yield items[start : start + BATCH]


def load(
    write: Write, entities: Iterable[Entity], links: Iterable[Link], changes: Iterable[Change]
) -> None:
    """Check every link first, then write nodes, links and changes in batches."""
    by_label: dict[Label, list[dict[str, Any]]] = defaultdict(list)
    label_of: dict[str, Label] = {}
    for entity in entities:
        by_label[entity.LABEL].append(q.to_params(entity))
        label_of[entity.id] = entity.LABEL
    by_pair: dict[tuple[Rel, Label, Label], list[dict[str, Any]]] = defaultdict(list)
    for link in links:
        try:
            source, target = label_of[link.source], label_of[link.target]
        except KeyError as exc:
            raise InvalidInput(f"{link.rel}: okänd nod {exc.args[0]}") from exc
        check_link(link, source, target)
        props = {n: link.props[n] for n in q.link_props(link.rel) if link.props.get(n) is not None}
        by_pair[(link.rel, source, target)].append(
            {"source": link.source, "target": link.target, "props": props}
        )
    for label, rows in by_label.items():
        for batch in batches(rows):
            _write(write, node_query(label.value), batch)
    for (rel, source, target), rows in sorted(by_pair.items()):
        for batch in batches(rows):
            made = _write(write, link_query(rel, source, target), batch)
            if made[0][0] != len(batch):
                raise StoreError(f"{rel}: {len(batch) - made[0][0]} länkar kunde inte skapas")
    for batch in batches(change_rows(changes)):
        _write(write, change_query(), batch)


def _write(write: Write, query: str, rows: list[Any]) -> list[list[Any]]:
    result: list[list[Any]] = write(lambda run: run(query, {"rows": rows}))
    return result
