"""Read models both adapters share: the process page, a neighbourhood, a role's work."""

from __future__ import annotations

from typing import Any, TypeVar

from qms.domain.entities import Activity, Document, Entity, Goal, Process, Role
from qms.domain.errors import NotFound
from qms.domain.graph import REL_TYPES
from qms.domain.labels import Label, Rel
from qms.domain.views import ActivityView, Neighbourhood, ProcessView, RoleView
from qms.storage import queries as qq
from qms.storage import schema as q
from qms.storage.queries import Dialect
from qms.storage.reads import LABEL_KEY, Run, read, to_entity, to_ref

T = TypeVar("T", bound=Entity)

VIEW_QUERIES = {
    "parent": q.hop_query(Label.PROCESS, Rel.SUBPROCESS_OF, Label.PROCESS),
    "children": q.hop_query(Label.PROCESS, Rel.SUBPROCESS_OF, Label.PROCESS, inverse=True),
    "owner": q.hop_query(Label.PROCESS, Rel.OWNED_BY, Label.ROLE),
    "goals": q.hop_query(Label.PROCESS, Rel.CONTRIBUTES_TO, Label.GOAL),
    "documents": q.hop_query(Label.PROCESS, Rel.GOVERNED_BY, Label.DOCUMENT),
    "activities": q.hop_query(Label.PROCESS, Rel.HAS_ACTIVITY, Label.ACTIVITY),
}
ACTIVITY_QUERIES = {
    "role": q.activity_hop_query(Rel.PERFORMED_BY, Label.ROLE),
    "documents": q.activity_hop_query(Rel.GOVERNED_BY, Label.DOCUMENT),
    "next": q.activity_hop_query(Rel.FLOWS_TO, Label.ACTIVITY, ref=True),
}


def process_view(run: Run, process_id: str, dialect: Dialect) -> ProcessView:
    """The process page: one labelled single-hop query per part (each well under 1 ms)."""
    found = read(run, Label.PROCESS, process_id)
    if not isinstance(found, Process):
        raise NotFound(Label.PROCESS, process_id)
    params = {"id": process_id}
    part = {key: run(query, params) for key, query in VIEW_QUERIES.items()}
    hops = {key: run(query, params) for key, query in ACTIVITY_QUERIES.items()}
    watchers = [row for query in qq.watchers_queries(dialect) for row in run(query, params)]
    risks = {node_id for rel, node_id in watchers if rel == Rel.THREATENS.value}
    checks = {node_id for rel, node_id in watchers if rel == Rel.CHECKS.value}
    return ProcessView(
        process=found,
        parent=to_ref(part["parent"][0][0]) if part["parent"] else None,
        owner=_typed(Role, part["owner"][0][0]) if part["owner"] else None,
        subprocesses=tuple(
            sorted((to_ref(r[0]) for r in part["children"]), key=lambda r: r.caption)
        ),
        activities=_activities([r[0] for r in part["activities"]], hops),
        goals=tuple(
            sorted((_typed(Goal, r[0]) for r in part["goals"]), key=lambda g: (g.code, g.title))
        ),
        documents=tuple(
            sorted((_typed(Document, r[0]) for r in part["documents"]), key=lambda d: d.title)
        ),
        risk_count=len(risks),
        inspection_count=len(checks),
    )


def _typed(cls: type[T], record: dict[str, Any]) -> T:
    entity = to_entity(record)
    if not isinstance(entity, cls):
        raise TypeError(f"{record.get(LABEL_KEY)} is not a {cls.__name__}")
    return entity


def _activities(
    records: list[dict[str, Any]], hops: dict[str, list[list[Any]]]
) -> tuple[ActivityView, ...]:
    linked: dict[str, dict[str, list[Any]]] = {}
    for key, rows in hops.items():
        for activity_id, node in rows:
            linked.setdefault(activity_id, {}).setdefault(key, []).append(node)
    views = []
    for record in records:
        activity = _typed(Activity, record)
        out = linked.get(activity.id, {})
        roles = out.get("role", [])
        views.append(
            ActivityView(
                activity=activity,
                role=_typed(Role, roles[0]) if roles else None,
                documents=tuple(
                    sorted(
                        (_typed(Document, n) for n in out.get("documents", [])),
                        key=lambda d: d.title,
                    )
                ),
                next_ids=tuple(sorted(out.get("next", []))),
            )
        )
    return tuple(sorted(views, key=lambda v: (v.activity.position, v.activity.id)))


def neighbourhood_queries(label: Label) -> list[tuple[Rel, bool, str]]:
    """(type, incoming?, query) for every pair the schema allows to touch ``label``."""
    found = []
    for rel, rel_type in REL_TYPES.items():
        for source, target in rel_type.pairs:
            for inverse, other in ((False, target), (True, source)):
                if (target if inverse else source) is label:
                    found.append((rel, inverse, q.hop_query(label, rel, other, inverse=inverse)))
    return found


def neighbourhood(run: Run, label: Label, entity_id: str) -> Neighbourhood:
    """The entity and its neighbours: one labelled single-hop query per allowed pair."""
    entity = read(run, label, entity_id)
    if entity is None:
        raise NotFound(label, entity_id)
    found: dict[bool, dict[Rel, list[Entity]]] = {False: {}, True: {}}
    for rel, inverse, query in neighbourhood_queries(label):
        rows = run(query, {"id": entity_id})
        found[inverse].setdefault(rel, []).extend(to_entity(r[0]) for r in rows)
    return Neighbourhood(
        entity,
        {
            rel: tuple(sorted(nodes, key=_by_caption))
            for rel, nodes in found[False].items()
            if nodes
        },
        {rel: tuple(sorted(nodes, key=_by_caption)) for rel, nodes in found[True].items() if nodes},
    )


def _by_caption(entity: Entity) -> tuple[str, str]:
    return (entity.caption.casefold(), entity.id)


def role_view(run: Run, role_id: str) -> RoleView:
    """The role's activities by process (processes by name, activities in flow order)."""
    role = read(run, Label.ROLE, role_id)
    if not isinstance(role, Role):
        raise NotFound(Label.ROLE, role_id)
    documents: dict[str, list[Document]] = {}
    for activity_id, record in run(qq.ROLE_DOCUMENTS, {"id": role_id}):
        documents.setdefault(activity_id, []).append(_typed(Document, record))
    grouped: dict[str, tuple[Process, list[ActivityView]]] = {}
    for process_record, activity_record in run(qq.ROLE_ACTIVITIES, {"id": role_id}):
        process = _typed(Process, process_record)
        activity = _typed(Activity, activity_record)
        docs = tuple(sorted(documents.get(activity.id, []), key=lambda d: d.title))
        view = ActivityView(activity=activity, role=role, documents=docs, next_ids=())
        grouped.setdefault(process.id, (process, []))[1].append(view)
    return RoleView(
        role,
        tuple(
            (process, tuple(sorted(views, key=lambda v: (v.activity.position, v.activity.id))))
            for process, views in sorted(grouped.values(), key=lambda pair: pair[0].name)
        ),
    )
