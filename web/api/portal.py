"""Reads of the process map: who am I, processes, activities, documents, roles, search."""

from __future__ import annotations

from typing import Any

from qms.domain.entities import Entity
from qms.domain.kinds import ProcessKind
from qms.domain.labels import Label
from qms.domain.views import NodeRef
from qms.services import api_reads
from qms.services.access import Permission
from qms.services.pages import ProcessPage
from web.api import portal_schemas as ps
from web.api import schemas as s
from web.api.core import Reply, api_account, api_actor, bp, operation
from web.services import get_portal, get_qms

PORTAL = "Process map"


def ref(entity: Entity | None) -> NodeRef | None:
    """An entity as label, id and caption (None stays None)."""
    return None if entity is None else NodeRef(entity.LABEL, entity.id, entity.caption)


def refs(entities: Any) -> list[NodeRef]:
    """Each entity as a reference."""
    return [NodeRef(e.LABEL, e.id, e.caption) for e in entities]


def etag(version: int) -> dict[str, str]:
    """The ETag header of an entity at ``version`` (what If-Match sends back)."""
    return {"ETag": f'"{version}"'}


@bp.get("/me")
@operation("The token's account", "Account", s.Me)
def me() -> dict[str, Any]:
    """The account behind the token: its grants (``roll@enhet``) and what it may do where."""
    account, actor = api_account(), api_actor()
    grants = []
    for permission in Permission:
        if actor.can(permission):
            units = actor.units_for(permission)
            grants.append(
                {
                    "permission": permission.value,
                    "everywhere": units is None,
                    "units": sorted(units or ()),
                }
            )
    return {
        "account": account.id,
        "name": account.name,
        "email": account.email,
        "roles": list(account.roles),
        "permissions": grants,
    }


@bp.get("/processes")
@operation("Processes", PORTAL, ps.ProcessPage, query=ps.ProcessQuery)
def processes(query: dict[str, Any]) -> api_reads.Page[Any]:
    """Processes by name; ``kind`` (core, support, management), ``unit`` (the unit and those
    below it; a delprocess belongs to its parent's unit), ``archived=true`` to include
    archived ones."""
    kind = ProcessKind(query["kind"]) if query["kind"] else None
    found = api_reads.processes(get_qms().store, kind, query["unit"], query["archived"])
    items = [s.flat(i.process, unit=i.unit, parent=i.parent) for i in found]
    return api_reads.paginate(items, query["limit"], query["offset"])


def process_detail(page: ProcessPage) -> Reply:
    """A process page as the API answers it, with its version as ETag."""
    view = page.view
    activities = [
        s.flat(
            step.activity,
            role=ref(step.role),
            documents=refs(step.documents),
            next=list(step.next_ids),
            lacks_routine=step.lacks_routine,
        )
        for step in view.activities
    ]
    data = s.flat(
        view.process,
        parent=view.parent,
        trail=list(page.trail),
        owner=ref(view.owner),
        subprocesses=list(view.subprocesses),
        activities=activities,
        goals=refs(view.goals),
        documents=refs(view.documents),
        risk_count=view.risk_count,
        inspection_count=view.inspection_count,
    )
    return Reply(data, headers=etag(view.process.version))


@bp.get("/processes/<process_id>")
@operation(
    "One process",
    PORTAL,
    ps.ProcessDetail,
    headers={"ETag": "The process's version, for If-Match when changing it."},
)
def process(process_id: str) -> Reply:
    """A process with its activities in order (role, rutiner and documents, next steps), its
    parent processes, subprocesses, goals and documents."""
    return process_detail(get_portal().process(process_id))


@bp.get("/activities/<activity_id>")
@operation("One activity", PORTAL, ps.ActivityDetail)
def activity(activity_id: str) -> dict[str, Any]:
    """An activity: its process, who does it, its rutiner, goals, the steps before and after."""
    page = get_portal().activity(activity_id)
    return s.flat(
        page.activity,
        process=ref(page.process),
        role=ref(page.role),
        documents=refs(page.documents),
        goals=refs(page.goals),
        previous=refs(page.previous),
        following=refs(page.following),
        lacks_routine=page.lacks_routine,
        risk_count=page.risk_count,
        inspection_count=page.inspection_count,
    )


@bp.get("/documents/<document_id>")
@operation("One document", PORTAL, ps.DocumentDetail)
def document(document_id: str) -> dict[str, Any]:
    """A styrdokument or rutin, where it is used, and whether its review is overdue."""
    page = get_portal().document(document_id)
    return s.flat(
        page.document,
        owner=ref(page.owner),
        unit=ref(page.unit),
        processes=refs(page.processes),
        activities=refs(page.activities),
        overdue=page.overdue,
    )


@bp.get("/roles")
@operation("Roles", PORTAL, ps.RolePage, query=s.Paging)
def roles(query: dict[str, Any]) -> api_reads.Page[Any]:
    """Every role and funktion, by name."""
    items = [s.flat(r) for r in get_portal().roles()]
    return api_reads.paginate(items, query["limit"], query["offset"])


@bp.get("/roles/<role_id>")
@operation("One role", PORTAL, ps.RoleDetail)
def role(role_id: str) -> dict[str, Any]:
    """Vad gör jag som …? The role's activities by process, and its rutiner."""
    page = get_portal().role(role_id)
    work = [
        {"process": ref(process), "activities": refs(step.activity for step in steps)}
        for process, steps in page.view.processes
    ]
    return s.flat(page.view.role, processes=work, routines=refs(page.routines))


@bp.get("/search")
@operation("Search", PORTAL, ps.SearchResult, query=ps.SearchQuery)
def search(query: dict[str, Any]) -> dict[str, Any]:
    """Processes, documents, activities and roles matching ``q`` (Swedish stemming, prefixes,
    one-letter typos); ``type`` limits it to one of them. Longer queries than 200 characters
    are cut (``truncated``)."""
    only = Label(query["type"]) if query["type"] else None
    page = get_portal().search(query["q"], only)
    hits = [hit for _, group in page.groups for hit in group]
    return {
        "query": page.query,
        "corrected": page.corrected,
        "truncated": page.truncated,
        "total": page.total,
        "hits": hits,
    }
