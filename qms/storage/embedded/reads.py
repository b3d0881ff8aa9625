"""Read queries of the embedded store (LadybugDB's Cypher: ``label(r)`` for the rel type)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from qms.domain.changes import Change, ChangeOp
from qms.domain.entities import ENTITY_TYPES, Activity, Document, Entity, Goal, Process, Role
from qms.domain.errors import NotFound
from qms.domain.graph import REL_TYPES, Link, coerce
from qms.domain.labels import Label, Rel
from qms.domain.trace import TRACE_HOPS
from qms.domain.views import ActivityView, NodeRef, ProcessView, Step
from qms.storage import schema as q

T = TypeVar("T", bound=Entity)
Run = Callable[[str, dict[str, Any] | None], list[list[Any]]]

FIND_LABEL = (
    "MATCH (n) WHERE n.id = $id AND label(n) <> $changes RETURN label(n) LIMIT 1"
)
PROCESS_OUT = "MATCH (p:Process {id: $id}) OPTIONAL MATCH (p)-[r]->(x) RETURN p, label(r), x"
PROCESS_IN = "MATCH (p:Process {id: $id})<-[r]-(x) RETURN label(r), x"
ACTIVITIES_OUT = (
    "MATCH (p:Process {id: $id})-[:HAS_ACTIVITY]->(a:Activity) "
    "OPTIONAL MATCH (a)-[r]->(x) RETURN a, label(r), x ORDER BY a.position, a.id"
)
ACTIVITIES_IN = (
    "MATCH (p:Process {id: $id})-[:HAS_ACTIVITY]->(a:Activity)<-[r]-(x) "
    "WHERE label(r) IN ['THREATENS', 'CHECKS'] RETURN label(r), x.id"
)


def to_entity(record: dict[str, Any]) -> Entity:
    """An entity from a node record (engine keys start with an underscore)."""
    label = Label(record["_LABEL"])
    return coerce(label, {k: v for k, v in record.items() if not k.startswith("_")})


def to_ref(record: dict[str, Any]) -> NodeRef:
    """A node reference from a node record of any label."""
    label = Label(record["_LABEL"])
    return NodeRef(label, record["id"], str(record.get(ENTITY_TYPES[label].TITLE_FIELD) or ""))


def read(run: Run, label: Label, entity_id: str) -> Entity | None:
    """One entity by id, or None."""
    rows = run(q.read_query(label), {"id": entity_id})
    return to_entity(rows[0][0]) if rows else None


def find_label(run: Run, entity_id: str) -> Label | None:
    """The label of the node with this id, searching every label."""
    rows = run(FIND_LABEL, {"id": entity_id, "changes": q.CHANGE_LABEL})
    return Label(rows[0][0]) if rows else None


def neighbours(run: Run, label: Label, entity_id: str, rel: Rel, direction: str) -> list[NodeRef]:
    """Nodes joined by ``rel`` in ``direction``, ordered by id."""
    arrow = f"-[:{rel.value}]->" if direction == "out" else f"<-[:{rel.value}]-"
    rows = run(f"MATCH (a:{label.value} {{id: $id}}){arrow}(b) RETURN b ORDER BY b.id",
               {"id": entity_id})
    return [to_ref(row[0]) for row in rows]


def expand(run: Run, label: Label, ids: list[str]) -> Iterator[tuple[str, Step, NodeRef]]:
    """The trace hops from nodes of one label: (from id, step, neighbour)."""
    for step in TRACE_HOPS.get(label, ()):
        arrow = f"<-[:{step.rel.value}]-" if step.inverse else f"-[:{step.rel.value}]->"
        query = f"UNWIND $ids AS i MATCH (a:{label.value} {{id: i}}){arrow}(b) RETURN a.id, b"
        for source, node in run(query, {"ids": ids}):
            yield source, step, to_ref(node)


def process_view(run: Run, process_id: str) -> ProcessView:
    """The process page in four queries: its links out and in, its activities' links."""
    rows = run(PROCESS_OUT, {"id": process_id})
    if not rows:
        raise NotFound(Label.PROCESS, process_id)
    process = to_entity(rows[0][0])
    out = _group((rel, node) for _, rel, node in rows)
    inbound = _group(run(PROCESS_IN, {"id": process_id}))
    activities = _activities(run(ACTIVITIES_OUT, {"id": process_id}))
    watched = run(ACTIVITIES_IN, {"id": process_id})
    risks = {n["id"] for n in inbound.get("THREATENS", [])} | {
        i for rel, i in watched if rel == "THREATENS"}
    checks = {n["id"] for n in inbound.get("CHECKS", [])} | {
        i for rel, i in watched if rel == "CHECKS"}
    parents = out.get("SUBPROCESS_OF", [])
    owners = out.get("OWNED_BY", [])
    assert isinstance(process, Process)
    return ProcessView(
        process=process,
        parent=to_ref(parents[0]) if parents else None,
        owner=_typed(Role, owners[0]) if owners else None,
        subprocesses=tuple(sorted((to_ref(n) for n in inbound.get("SUBPROCESS_OF", [])),
                                  key=lambda r: r.caption)),
        activities=activities,
        goals=tuple(sorted((_typed(Goal, n) for n in out.get("CONTRIBUTES_TO", [])),
                           key=lambda g: (g.code, g.title))),
        documents=tuple(sorted((_typed(Document, n) for n in out.get("GOVERNED_BY", [])),
                               key=lambda d: d.title)),
        risk_count=len(risks),
        inspection_count=len(checks),
    )


def _group(rows: Any) -> dict[str, list[dict[str, Any]]]:
    grouped: dict[str, list[dict[str, Any]]] = {}
    for rel, node in rows:
        if rel is not None and node is not None:
            grouped.setdefault(rel, []).append(node)
    return grouped


def _typed(cls: type[T], record: dict[str, Any]) -> T:
    entity = to_entity(record)
    assert isinstance(entity, cls)
    return entity


def _activities(rows: list[list[Any]]) -> tuple[ActivityView, ...]:
    order: dict[str, Activity] = {}
    links: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for activity, rel, node in rows:
        order.setdefault(activity["id"], _typed(Activity, activity))
        if rel is not None:
            links.setdefault(activity["id"], {}).setdefault(rel, []).append(node)
    views = []
    for activity_id, activity in order.items():
        out = links.get(activity_id, {})
        roles = out.get("PERFORMED_BY", [])
        views.append(ActivityView(
            activity=activity,
            role=_typed(Role, roles[0]) if roles else None,
            documents=tuple(sorted((_typed(Document, n) for n in out.get("GOVERNED_BY", [])),
                                   key=lambda d: d.title)),
            next_ids=tuple(sorted(n["id"] for n in out.get("FLOWS_TO", []))),
        ))
    return tuple(sorted(views, key=lambda v: (v.activity.position, v.activity.id)))


def changes(run: Run, entity_id: str | None) -> list[Change]:
    """Change entries, oldest first, of one entity or all."""
    where = " WHERE c.entity_id = $id" if entity_id is not None else ""
    rows = run(f"MATCH (c:{q.CHANGE_LABEL}){where} RETURN c ORDER BY c.id", {"id": entity_id}
               if entity_id is not None else None)
    return [
        Change(**{name: row[0][name] for name in q.CHANGE_FIELDS if name != "op"},
               op=ChangeOp(row[0]["op"]))
        for row in rows
    ]


def links_of(run: Run, rel: Rel, label: Label | None = None,
             entity_id: str | None = None) -> Iterator[Link]:
    """Links of one type, by source and target: all of them, or those leaving one node."""
    names = q.link_props(rel)
    extra = "".join(f", r.{name}" for name in names)
    start = f"(a:{label.value} {{id: $id}})" if label is not None else "(a)"
    rows = run(f"MATCH {start}-[r:{rel.value}]->(b) RETURN a.id, b.id{extra} "
               "ORDER BY a.id, b.id", {"id": entity_id} if label is not None else None)
    for source, target, *values in rows:
        props = {n: v for n, v in zip(names, values, strict=True) if v is not None}
        yield Link(rel, source, target, props)


def counts(run: Run) -> dict[str, int]:
    """Nodes per label and links per type."""
    result = {label.value: run(f"MATCH (n:{label.value}) RETURN count(n)", None)[0][0]
              for label in Label}
    for rel in REL_TYPES:
        result[rel.value] = run(f"MATCH ()-[r:{rel.value}]->() RETURN count(r)", None)[0][0]
    result[q.CHANGE_LABEL] = run(f"MATCH (c:{q.CHANGE_LABEL}) RETURN count(c)", None)[0][0]
    return result


def clear(run: Run) -> None:
    """Delete every node (with its links) and every change entry."""
    for label in (*(lbl.value for lbl in Label), q.CHANGE_LABEL):
        run(f"MATCH (n:{label}) DETACH DELETE n", None)
