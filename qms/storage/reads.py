"""Reads both adapters share: they run the texts of ``schema``/``queries`` through ``Run``.

A ``Run`` executes one statement and returns every row as a list of plain values; a node
comes back as a dict of its properties plus ``_LABEL``. Each adapter turns its engine's
records into that shape at its edge, so everything here is engine-neutral.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from qms.domain.changes import Change, ChangeOp
from qms.domain.entities import ENTITY_TYPES, Entity
from qms.domain.graph import REL_TYPES, Link, coerce
from qms.domain.labels import Label, Rel
from qms.domain.trace import TRACE_HOPS
from qms.domain.views import NodeRef, Step
from qms.storage import queries as qq
from qms.storage import schema as q
from qms.storage.queries import Dialect

Run = Callable[[str, dict[str, Any] | None], list[list[Any]]]
LABEL_KEY = "_LABEL"


def to_entity(record: dict[str, Any]) -> Entity:
    """An entity from a node record (keys starting with an underscore are the engine's)."""
    label = Label(record[LABEL_KEY])
    return coerce(label, {k: v for k, v in record.items() if not k.startswith("_")})


def to_ref(record: dict[str, Any]) -> NodeRef:
    """A node reference from a node record of any label."""
    label = Label(record[LABEL_KEY])
    return NodeRef(label, record["id"], str(record.get(ENTITY_TYPES[label].TITLE_FIELD) or ""))


def read(run: Run, label: Label, entity_id: str) -> Entity | None:
    """One entity by id, or None."""
    rows = run(q.read_query(label), {"id": entity_id})
    return to_entity(rows[0][0]) if rows else None


def entities(run: Run, label: Label) -> list[Entity]:
    """Every entity of a label, by id."""
    return [to_entity(row[0]) for row in run(q.list_query(label), None)]


def get_many(run: Run, label: Label, ids: Iterable[str]) -> dict[str, Entity]:
    """The entities of a label with these ids, by id; one query (a key lookup per id)."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    found = (to_entity(row[0]) for row in run(q.read_many_query(label), {"ids": wanted}))
    return {entity.id: entity for entity in found}


def find_label(run: Run, entity_id: str, dialect: Dialect) -> Label | None:
    """The label of the node with this id, searching every label."""
    params: dict[str, Any] = {"id": entity_id}
    if dialect is Dialect.LADYBUG:
        params["changes"] = q.CHANGE_LABEL
    rows = run(qq.find_label_query(dialect), params)
    return Label(rows[0][0]) if rows else None


def neighbours(run: Run, label: Label, entity_id: str, rel: Rel, direction: str) -> list[NodeRef]:
    """Nodes joined by ``rel`` in ``direction``, ordered by id."""
    query = qq.neighbours_query(label, rel, inverse=direction != "out")
    return [to_ref(row[0]) for row in run(query, {"id": entity_id})]


def expand(run: Run, label: Label, ids: list[str]) -> Iterator[tuple[str, Step, NodeRef]]:
    """The trace hops from nodes of one label: (from id, step, neighbour).

    One query per node and hop with both ends labelled: a primary-key lookup and one
    adjacency scan, which the embedded engine answers far faster than a variable-length
    pattern.
    """
    for step in TRACE_HOPS.get(label, ()):
        for other in qq.hop_targets(label, step.rel, inverse=step.inverse):
            query = q.hop_query(label, step.rel, other, inverse=step.inverse, ref=True)
            for entity_id in ids:
                for node_id, caption in run(query, {"id": entity_id}):
                    yield entity_id, step, NodeRef(other, node_id, str(caption or ""))


def expand_many(run: Run, label: Label, ids: list[str]) -> Iterator[tuple[str, Step, NodeRef]]:
    """``expand`` with one query per hop for the whole frontier (for a networked engine)."""
    for step in TRACE_HOPS.get(label, ()):
        for other in qq.hop_targets(label, step.rel, inverse=step.inverse):
            query = qq.hop_many_query(label, step.rel, other, inverse=step.inverse)
            for source, node_id, caption in run(query, {"ids": ids}):
                yield source, step, NodeRef(other, node_id, str(caption or ""))


def changes(run: Run, entity_id: str | None) -> list[Change]:
    """Change entries, oldest first, of one entity or all."""
    rows = run(
        qq.changes_query(of_entity=entity_id is not None),
        {"id": entity_id} if entity_id is not None else None,
    )
    return [
        Change(
            **{name: row[0][name] for name in q.CHANGE_FIELDS if name != "op"},
            op=ChangeOp(row[0]["op"]),
        )
        for row in rows
    ]


def links_of(
    run: Run, rel: Rel, label: Label | None = None, entity_id: str | None = None
) -> Iterator[Link]:
    """Links of one type, by source and target: all of them, or those leaving one node."""
    names = q.link_props(rel)
    rows = run(qq.links_query(rel, label), {"id": entity_id} if label is not None else None)
    for source, target, *values in rows:
        props = {n: v for n, v in zip(names, values, strict=True) if v is not None}
        yield Link(rel, source, target, props)


def counts(run: Run) -> dict[str, int]:
    """Nodes per label and links per type."""
    result = {label.value: run(qq.count_nodes_query(label.value), None)[0][0] for label in Label}
    for rel in REL_TYPES:
        result[rel.value] = run(qq.count_links_query(rel), None)[0][0]
    result[q.CHANGE_LABEL] = run(qq.count_nodes_query(q.CHANGE_LABEL), None)[0][0]
    return result


def clear(run: Run) -> None:
    """Delete every node (with its links) and every change entry."""
    for label in (*(lbl.value for lbl in Label), q.CHANGE_LABEL):
        run(qq.clear_query(label), None)
