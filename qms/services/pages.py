"""Read models of the staff portal's item pages, each from one store read where it can be."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from qms.domain.entities import Activity, Document, Entity, Goal, OrgUnit, Process, Role
from qms.domain.labels import Label, Rel
from qms.domain.views import HOW_TO_KINDS, NodeRef, ProcessView, RoleView
from qms.storage.port import GraphStore

MAX_DEPTH = 12  # deeper nesting than any process map needs; also stops a cycle


@dataclass(frozen=True)
class ProcessPage:
    """A process with the path of parent processes above it (breadcrumbs, top first)."""

    view: ProcessView
    trail: tuple[NodeRef, ...]

    @property
    def gaps(self) -> int:
        """Activities without a rutin (SOSFS 2011:9 4 kap. 3 §)."""
        return sum(1 for a in self.view.activities if a.lacks_routine)

    @property
    def routines(self) -> tuple[Document, ...]:
        """The rutiner, instructions and checklists of the activities, once each, in flow order."""
        found = {
            d.id: d for a in self.view.activities for d in a.documents if d.kind in HOW_TO_KINDS
        }
        return tuple(found.values())


@dataclass(frozen=True)
class ActivityPage:
    """An activity: who, how (rutiner), what goes in and out, what comes before and after."""

    activity: Activity
    process: Process | None
    trail: tuple[NodeRef, ...]
    role: Role | None
    documents: tuple[Document, ...]
    goals: tuple[Goal, ...]
    previous: tuple[Activity, ...]
    following: tuple[Activity, ...]
    risk_count: int = 0
    inspection_count: int = 0

    @property
    def lacks_routine(self) -> bool:
        """A task with no rutin, instruction or checklist."""
        return self.activity.node_type.endswith("task") and not self.routines

    @property
    def routines(self) -> tuple[Document, ...]:
        """The documents that say how the task is done here."""
        return tuple(d for d in self.documents if d.kind in HOW_TO_KINDS)


@dataclass(frozen=True)
class DocumentPage:
    """A styrdokument under document control and where it is used."""

    document: Document
    owner: Role | None
    unit: OrgUnit | None
    processes: tuple[Process, ...]
    activities: tuple[Activity, ...]
    overdue: bool


@dataclass(frozen=True)
class RolePage:
    """Vad gör jag som …? The role's activities by process, and its rutiner in one list."""

    view: RoleView

    @property
    def routines(self) -> tuple[Document, ...]:
        """Every rutin, instruction and checklist of the role's activities, once, by title."""
        found = {
            d.id: d
            for _, activities in self.view.processes
            for a in activities
            for d in a.documents
            if d.kind in HOW_TO_KINDS
        }
        return tuple(sorted(found.values(), key=lambda d: d.title.casefold()))

    @property
    def activity_count(self) -> int:
        """How many activities the role performs."""
        return sum(len(activities) for _, activities in self.view.processes)


def trail(store: GraphStore, parent: NodeRef | None) -> tuple[NodeRef, ...]:
    """``parent`` and the processes above it, top first (one small read per extra level)."""
    chain: list[NodeRef] = []
    current = parent
    while current is not None and len(chain) < MAX_DEPTH and current not in chain:
        chain.append(current)
        above = store.neighbours(Label.PROCESS, current.id, Rel.SUBPROCESS_OF, "out")
        current = above[0] if above else None
    return tuple(reversed(chain))


def process_page(store: GraphStore, process_id: str) -> ProcessPage:
    """The process page (``NotFound`` for an unknown id)."""
    view = store.process_view(process_id)
    return ProcessPage(view, trail(store, view.parent))


def activity_page(store: GraphStore, activity_id: str) -> ActivityPage:
    """The activity page (``NotFound`` for an unknown id)."""
    near = store.neighbourhood(Label.ACTIVITY, activity_id)
    activity = near.entity
    if not isinstance(activity, Activity):
        raise TypeError(f"{activity_id} is not an activity")
    processes = [p for p in near.into(Rel.HAS_ACTIVITY) if isinstance(p, Process)]
    process = processes[0] if processes else None
    roles = [r for r in near.out(Rel.PERFORMED_BY) if isinstance(r, Role)]
    documents = [d for d in near.out(Rel.GOVERNED_BY) if isinstance(d, Document)]
    documents.sort(key=lambda d: (d.kind not in HOW_TO_KINDS, d.title.casefold()))
    up = NodeRef(Label.PROCESS, process.id, process.name) if process else None
    return ActivityPage(
        activity=activity,
        process=process,
        trail=trail(store, up),
        role=roles[0] if roles else None,
        documents=tuple(documents),
        goals=tuple(g for g in near.out(Rel.CONTRIBUTES_TO) if isinstance(g, Goal)),
        previous=_flow(near.into(Rel.FLOWS_TO)),
        following=_flow(near.out(Rel.FLOWS_TO)),
        risk_count=len(near.into(Rel.THREATENS)),
        inspection_count=len(near.into(Rel.CHECKS)),
    )


def _flow(entities: tuple[Entity, ...]) -> tuple[Activity, ...]:
    found = [a for a in entities if isinstance(a, Activity)]
    return tuple(sorted(found, key=lambda a: (a.position, a.name.casefold())))


def document_page(store: GraphStore, document_id: str, today: date) -> DocumentPage:
    """The document page; ``overdue`` compares the review date with ``today``."""
    near = store.neighbourhood(Label.DOCUMENT, document_id)
    document = near.entity
    if not isinstance(document, Document):
        raise TypeError(f"{document_id} is not a document")
    owners = [r for r in near.out(Rel.OWNED_BY) if isinstance(r, Role)]
    units = [u for u in near.out(Rel.BELONGS_TO) if isinstance(u, OrgUnit)]
    users = near.into(Rel.GOVERNED_BY)
    return DocumentPage(
        document=document,
        owner=owners[0] if owners else None,
        unit=units[0] if units else None,
        processes=tuple(p for p in users if isinstance(p, Process)),
        activities=tuple(a for a in users if isinstance(a, Activity)),
        overdue=document.review_overdue(today),
    )


def role_page(store: GraphStore, role_id: str) -> RolePage:
    """Vad gör jag som …? (``NotFound`` for an unknown id)."""
    return RolePage(store.role_view(role_id))


def roles(store: GraphStore) -> list[Role]:
    """Every role, by name."""
    found = [r for r in store.entities(Label.ROLE) if isinstance(r, Role)]
    return sorted(found, key=lambda r: r.name.casefold())
