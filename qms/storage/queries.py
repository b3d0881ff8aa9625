"""Read query texts both engines run, and beside them the few places their dialects differ.

Every function returns a constant of the program: labels, types and property names come
from the domain enums through ``qms.storage.cypher``, values always travel as
``$parameters``. Where LadybugDB's Cypher and Neo4j's differ, both texts sit next to each
other here, so the sharing stays visible.
"""

from __future__ import annotations

from enum import StrEnum
from functools import cache

from qms.domain.entities import ENTITY_TYPES
from qms.domain.graph import REL_TYPES
from qms.domain.labels import Label, Rel
from qms.storage.cypher import cypher, join
from qms.storage.schema import CHANGE_LABEL, arrow, link_props


class Dialect(StrEnum):
    """The Cypher an engine speaks."""

    LADYBUG = "ladybug"
    NEO4J = "neo4j"


# -- shared: the same text on both engines -------------------------------------------------
@cache
def neighbours_query(label: Label, rel: Rel, *, inverse: bool = False) -> str:
    """Nodes of any label one ``rel`` away from the node ``$id``, by id."""
    return cypher(
        "MATCH (a:{label} {id: $id}){arrow}(b) RETURN b ORDER BY b.id",
        label=label,
        arrow=arrow(rel, inverse=inverse),
    )


@cache
def links_query(rel: Rel, label: Label | None = None) -> str:
    """Links of one type with their properties: all, or those leaving node ``$id``."""
    extra = join((cypher(", r.{name}", name=name) for name in link_props(rel)), "")
    start = cypher("(a:{label} {id: $id})", label=label) if label is not None else cypher("(a)")
    return cypher(
        "MATCH {start}-[r:{rel}]->(b) RETURN a.id, b.id{extra} ORDER BY a.id, b.id",
        start=start,
        rel=rel,
        extra=extra,
    )


@cache
def changes_query(*, of_entity: bool) -> str:
    """The change log by id: of the entity ``$id``, or all of it."""
    if of_entity:
        return cypher(
            "MATCH (c:{label}) WHERE c.entity_id = $id RETURN c ORDER BY c.id", label=CHANGE_LABEL
        )
    return cypher("MATCH (c:{label}) RETURN c ORDER BY c.id", label=CHANGE_LABEL)


@cache
def count_nodes_query(label: str) -> str:
    """How many nodes carry ``label`` (a domain label or the change-log label)."""
    return cypher("MATCH (n:{label}) RETURN count(n)", label=label)


@cache
def count_links_query(rel: Rel) -> str:
    """How many links of one type exist."""
    return cypher("MATCH ()-[r:{rel}]->() RETURN count(r)", rel=rel)


@cache
def clear_query(label: str) -> str:
    """Delete every node of one label with its links, in one transaction."""
    return cypher("MATCH (n:{label}) DETACH DELETE n", label=label)


ROLE_ACTIVITIES = (
    "MATCH (r:Role {id: $id})<-[:PERFORMED_BY]-(a:Activity)<-[:HAS_ACTIVITY]-(p:Process) "
    "RETURN p, a"
)
ROLE_DOCUMENTS = (
    "MATCH (r:Role {id: $id})<-[:PERFORMED_BY]-(a:Activity)-[:GOVERNED_BY]->(d:Document) "
    "RETURN a.id, d"
)


# -- where the dialects differ -------------------------------------------------------------
@cache
def find_label_query(dialect: Dialect) -> str:
    """The label of the node ``$id``, whatever it is (never a change entry)."""
    if dialect is Dialect.LADYBUG:
        return "MATCH (n) WHERE n.id = $id AND label(n) <> $changes RETURN label(n) LIMIT 1"
    # Neo4j: an unlabelled MATCH scans every node; one unique-index seek per label does not.
    seeks = join(
        (
            cypher("MATCH (n:{label} {id: $id}) RETURN '{label}' AS label", label=label)
            for label in Label
        ),
        " UNION ALL ",
    )
    return cypher("CALL () { {seeks} } RETURN label LIMIT 1", seeks=seeks)


_WATCHERS = {
    Dialect.LADYBUG: (
        "MATCH (a:Process {id: $id})"
        "<-[r:THREATENS|CHECKS]-(b:Risk:SelfInspection) RETURN label(r), b.id",
        "MATCH (p:Process {id: $id})-[:HAS_ACTIVITY]->(a:Activity)"
        "<-[r:THREATENS|CHECKS]-(b:Risk:SelfInspection) RETURN label(r), b.id",
    ),
    Dialect.NEO4J: (
        "MATCH (a:Process {id: $id})"
        "<-[r:THREATENS|CHECKS]-(b:Risk|SelfInspection) RETURN type(r), b.id",
        "MATCH (p:Process {id: $id})-[:HAS_ACTIVITY]->(a:Activity)"
        "<-[r:THREATENS|CHECKS]-(b:Risk|SelfInspection) RETURN type(r), b.id",
    ),
}


def watchers_queries(dialect: Dialect) -> tuple[str, str]:
    """Risks and egenkontroller on process ``$id`` itself and on its activities.

    LadybugDB names a relationship's type with ``label(r)`` and a label union ``(b:A:B)``;
    Neo4j writes ``type(r)`` and ``(b:A|B)`` (there ``(b:A:B)`` means *both* labels).
    """
    return _WATCHERS[dialect]


@cache
def hop_many_query(label: Label, rel: Rel, other: Label, *, inverse: bool = False) -> str:
    """Neo4j's trace hop: for each id in ``$ids``, the ``other`` nodes one ``rel`` away.

    LadybugDB answers one labelled lookup per node fastest (``schema.hop_query``); over the
    network one round trip per frontier and hop is what counts.
    """
    return cypher(
        "UNWIND $ids AS id MATCH (a:{label} {id: id}){arrow}(b:{other}) "
        "RETURN a.id, b.id, b.{title}",
        label=label,
        arrow=arrow(rel, inverse=inverse),
        other=other,
        title=ENTITY_TYPES[other].TITLE_FIELD,
    )


@cache
def lock_query(label: str) -> str:
    """Neo4j only: write-lock node ``$id`` before reading what a write depends on.

    Neo4j reads at read-committed, so ``WHERE n.version = $expected`` alone could pass in two
    transactions at once; a write takes the lock first (the pattern Neo4j's manual gives for
    lost updates). LadybugDB needs none: the embedded store serialises its writers.
    """
    return cypher(
        "MATCH (n:{label} {id: $id}) SET n._lock = true REMOVE n._lock RETURN n.id", label=label
    )


@cache
def clear_in_batches_query(label: str) -> str:
    """Neo4j's ``clear_query``: delete in batches so a whole city fits in memory."""
    return cypher(
        "MATCH (n:{label}) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS", label=label
    )


def hop_targets(label: Label, rel: Rel, *, inverse: bool) -> list[Label]:
    """The labels one ``rel`` hop from ``label`` may reach (forwards or backwards)."""
    pairs = REL_TYPES[rel].pairs
    if inverse:
        return [source for source, target in pairs if target is label]
    return [target for source, target in pairs if source is label]
