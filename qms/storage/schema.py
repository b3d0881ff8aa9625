"""Property types and per-label query texts derived from the domain schema.

Labels, relationship types and property names come from the domain enums and dataclasses,
never from input, so every text built here is a constant of the program.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any

from qms.domain.entities import AUDIT_FIELDS, ENTITY_TYPES, Entity
from qms.domain.graph import REL_TYPES, field_types
from qms.domain.labels import Label, Rel

CHANGE_LABEL = "ChangeEntry"
CHANGE_FIELDS = (
    "id",
    "change_set",
    "at",
    "actor",
    "op",
    "label",
    "entity_id",
    "field",
    "before",
    "after",
)

_ENGINE_TYPES: dict[type, str] = {
    str: "STRING",
    int: "INT64",
    float: "DOUBLE",
    bool: "BOOLEAN",
    date: "DATE",
    tuple: "STRING[]",
}


def engine_type(kind: type) -> str:
    """The column type (LadybugDB DDL names) for a domain field type."""
    if issubclass(kind, StrEnum):
        return "STRING"
    return _ENGINE_TYPES[kind]


def property_names(label: Label) -> tuple[str, ...]:
    """Stored properties of a label, id first then declaration order."""
    return tuple(field_types(label))


def to_params(entity: Entity) -> dict[str, Any]:
    """Query parameters for an entity's properties (enums as text, tuples as lists)."""
    params: dict[str, Any] = {}
    for name in property_names(entity.LABEL):
        value = getattr(entity, name)
        if isinstance(value, StrEnum):
            value = value.value
        elif isinstance(value, tuple):
            value = list(value)
        params[name] = value
    return params


def read_query(label: Label) -> str:
    """One entity by id."""
    return f"MATCH (n:{label.value} {{id: $id}}) RETURN n"


def read_many_query(label: Label) -> str:
    """The entities with the ids ``$ids`` (UNWIND: each a key lookup, not a label scan)."""
    return f"UNWIND $ids AS i MATCH (n:{label.value} {{id: i}}) RETURN n"


def list_query(label: Label) -> str:
    """Every entity of a label by id."""
    return f"MATCH (n:{label.value}) RETURN n ORDER BY n.id"


def create_query(label: Label) -> str:
    """Create one node with every property."""
    props = ", ".join(f"{p}: ${p}" for p in property_names(label))
    return f"CREATE (n:{label.value} {{{props}}})"


def update_query(label: Label) -> str:
    """Overwrite every property if the stored version is the expected one."""
    # Neo4j runs ``queries.lock_query`` first: at read-committed the WHERE alone could pass in
    # two transactions at once. The embedded store serialises its writers instead.
    sets = ", ".join(f"n.{p} = ${p}" for p in property_names(label) if p != "id")
    return (
        f"MATCH (n:{label.value} {{id: $id}}) WHERE n.version = $expected "
        f"SET {sets} RETURN n.version"
    )


def delete_query(label: Label) -> str:
    """Remove a node with its links."""
    return f"MATCH (n:{label.value} {{id: $id}}) DETACH DELETE n"


def link_props(rel: Rel) -> tuple[str, ...]:
    """Property names of a relationship type."""
    return tuple(name for name, _ in REL_TYPES[rel].props)


def link_match(rel: Rel, source: Label, target: Label) -> str:
    """The pattern of one link between two nodes given by id."""
    return (
        f"MATCH (a:{source.value} {{id: $source}})-[r:{rel.value}]->"
        f"(b:{target.value} {{id: $target}})"
    )


def link_create_query(rel: Rel, source: Label, target: Label) -> str:
    """Create one link between two nodes given by id."""
    props = ", ".join(f"{p}: ${p}" for p in link_props(rel))
    body = f" {{{props}}}" if props else ""
    return (
        f"MATCH (a:{source.value} {{id: $source}}) MATCH (b:{target.value} {{id: $target}}) "
        f"CREATE (a)-[r:{rel.value}{body}]->(b)"
    )


def hop_query(
    label: Label, rel: Rel, other: Label, *, inverse: bool = False, ref: bool = False
) -> str:
    """The ``other`` nodes one ``rel`` away from the node with id ``$id``.

    Unordered: sorting in the engine costs more than the lookup itself. With ``ref`` only
    the id and caption come back, which is several times cheaper than whole nodes.
    """
    arrow = f"<-[:{rel.value}]-" if inverse else f"-[:{rel.value}]->"
    returns = f"b.id, b.{ENTITY_TYPES[other].TITLE_FIELD}" if ref else "b"
    return f"MATCH (a:{label.value} {{id: $id}}){arrow}(b:{other.value}) RETURN {returns}"


def activity_hop_query(rel: Rel, other: Label, *, inverse: bool = False, ref: bool = False) -> str:
    """For each activity of process ``$id``: the ``other`` nodes one ``rel`` away."""
    arrow = f"<-[:{rel.value}]-" if inverse else f"-[:{rel.value}]->"
    returns = "b.id" if ref else "b"
    return (
        f"MATCH (p:Process {{id: $id}})-[:HAS_ACTIVITY]->(a:Activity){arrow}"
        f"(b:{other.value}) RETURN a.id, {returns}"
    )


def change_create_query() -> str:
    """Append one change entry."""
    props = ", ".join(f"{p}: ${p}" for p in CHANGE_FIELDS)
    return f"CREATE (c:{CHANGE_LABEL} {{{props}}})"


__all__ = ["AUDIT_FIELDS", "CHANGE_FIELDS", "CHANGE_LABEL"]
