"""Property types and per-label query texts derived from the domain schema.

Labels, relationship types and property names come from the domain enums and dataclasses,
never from input, and go into the text only through ``qms.storage.cypher``, which checks them.
"""

from __future__ import annotations

from enum import StrEnum
from functools import cache
from typing import Any

from qms.domain.entities import AUDIT_FIELDS, ENTITY_TYPES, Entity
from qms.domain.graph import REL_TYPES, field_types
from qms.domain.labels import Label, Rel
from qms.storage.cypher import (
    CHANGE_FIELDS,
    CHANGE_LABEL,
    Cypher,
    cypher,
    engine_type,
    join,
    param_map,
)


@cache
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


@cache
def read_query(label: Label) -> str:
    """One entity by id."""
    return cypher("MATCH (n:{label} {id: $id}) RETURN n", label=label)


@cache
def read_many_query(label: Label) -> str:
    """The entities with the ids ``$ids`` (UNWIND: each a key lookup, not a label scan)."""
    return cypher("UNWIND $ids AS i MATCH (n:{label} {id: i}) RETURN n", label=label)


@cache
def list_query(label: Label) -> str:
    """Every entity of a label by id."""
    return cypher("MATCH (n:{label}) RETURN n ORDER BY n.id", label=label)


@cache
def create_query(label: Label) -> str:
    """Create one node with every property."""
    return cypher("CREATE (n:{label} {props})", label=label, props=param_map(property_names(label)))


@cache
def update_query(label: Label) -> str:
    """Overwrite every property if the stored version is the expected one."""
    # Neo4j runs ``queries.lock_query`` first: at read-committed the WHERE alone could pass in
    # two transactions at once. The embedded store serialises its writers instead.
    sets = join(cypher("n.{p} = ${p}", p=p) for p in property_names(label) if p != "id")
    return cypher(
        "MATCH (n:{label} {id: $id}) WHERE n.version = $expected SET {sets} RETURN n.version",
        label=label,
        sets=sets,
    )


@cache
def delete_query(label: Label) -> str:
    """Remove a node with its links."""
    return cypher("MATCH (n:{label} {id: $id}) DETACH DELETE n", label=label)


@cache
def link_props(rel: Rel) -> tuple[str, ...]:
    """Property names of a relationship type."""
    return tuple(name for name, _ in REL_TYPES[rel].props)


@cache
def link_match(rel: Rel, source: Label, target: Label) -> Cypher:
    """The pattern of one link between two nodes given by id."""
    return cypher(
        "MATCH (a:{source} {id: $source})-[r:{rel}]->(b:{target} {id: $target})",
        source=source,
        rel=rel,
        target=target,
    )


@cache
def link_exists_query(rel: Rel, source: Label, target: Label) -> str:
    """One row if the link between ``$source`` and ``$target`` exists."""
    return cypher("{link} RETURN 1", link=link_match(rel, source, target))


@cache
def unlink_query(rel: Rel, source: Label, target: Label) -> str:
    """Delete the link between ``$source`` and ``$target``; one row if there was one."""
    return cypher("{link} DELETE r RETURN 1", link=link_match(rel, source, target))


@cache
def link_create_query(rel: Rel, source: Label, target: Label) -> str:
    """Create one link between two nodes given by id."""
    props = link_props(rel)
    body = cypher(" {props}", props=param_map(props)) if props else cypher("")
    return cypher(
        "MATCH (a:{source} {id: $source}) MATCH (b:{target} {id: $target}) "
        "CREATE (a)-[r:{rel}{body}]->(b)",
        source=source,
        target=target,
        rel=rel,
        body=body,
    )


@cache
def arrow(rel: Rel, *, inverse: bool) -> Cypher:
    """``-[:REL]->``, or ``<-[:REL]-`` to follow the link backwards."""
    if inverse:
        return cypher("<-[:{rel}]-", rel=rel)
    return cypher("-[:{rel}]->", rel=rel)


@cache
def hop_query(
    label: Label, rel: Rel, other: Label, *, inverse: bool = False, ref: bool = False
) -> str:
    """The ``other`` nodes one ``rel`` away from the node with id ``$id``.

    Unordered: sorting in the engine costs more than the lookup itself. With ``ref`` only
    the id and caption come back, which is several times cheaper than whole nodes.
    """
    hop = cypher(
        "MATCH (a:{label} {id: $id}){arrow}(b:{other})",
        label=label,
        arrow=arrow(rel, inverse=inverse),
        other=other,
    )
    if ref:
        return cypher(
            "{hop} RETURN b.id, b.{title}", hop=hop, title=ENTITY_TYPES[other].TITLE_FIELD
        )
    return cypher("{hop} RETURN b", hop=hop)


@cache
def activity_hop_query(rel: Rel, other: Label, *, inverse: bool = False, ref: bool = False) -> str:
    """For each activity of process ``$id``: the ``other`` nodes one ``rel`` away."""
    hop = cypher(
        "MATCH (p:Process {id: $id})-[:HAS_ACTIVITY]->(a:Activity){arrow}(b:{other})",
        arrow=arrow(rel, inverse=inverse),
        other=other,
    )
    return cypher("{hop} RETURN a.id, b.id" if ref else "{hop} RETURN a.id, b", hop=hop)


@cache
def change_create_query() -> str:
    """Append one change entry."""
    return cypher("CREATE (c:{label} {props})", label=CHANGE_LABEL, props=param_map(CHANGE_FIELDS))


__all__ = ["AUDIT_FIELDS", "CHANGE_FIELDS", "CHANGE_LABEL", "engine_type"]
