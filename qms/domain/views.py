"""Read models: what a page or a trace needs, assembled in one store round trip."""

from __future__ import annotations

from dataclasses import dataclass, field

from qms.domain.entities import Activity, Document, Entity, Goal, Process, Role
from qms.domain.kinds import DocumentKind
from qms.domain.labels import Label, Rel

HOW_TO_KINDS = frozenset({DocumentKind.ROUTINE, DocumentKind.INSTRUCTION, DocumentKind.CHECKLIST})


@dataclass(frozen=True)
class NodeRef:
    """A node named by label, id and caption: enough to show and link it."""

    label: Label
    id: str
    caption: str


@dataclass(frozen=True)
class ActivityView:
    """An activity with its performer, rutiner and the activities it flows to."""

    activity: Activity
    role: Role | None
    documents: tuple[Document, ...]
    next_ids: tuple[str, ...]

    @property
    def lacks_routine(self) -> bool:
        """SOSFS 2011:9 4 kap 3 §: a task without a rutin (how it is done) is a gap.

        Laws, policies and guidelines say *what* must hold, not how the task is done here, so
        only a rutin, an instruction or a checklist closes the gap.
        """
        return self.activity.node_type.endswith("task") and not any(
            d.kind in HOW_TO_KINDS for d in self.documents
        )


@dataclass(frozen=True)
class ProcessView:
    """Everything the process page shows."""

    process: Process
    parent: NodeRef | None
    owner: Role | None
    subprocesses: tuple[NodeRef, ...]
    activities: tuple[ActivityView, ...]
    goals: tuple[Goal, ...]
    documents: tuple[Document, ...]
    risk_count: int = 0
    inspection_count: int = 0


@dataclass(frozen=True)
class Step:
    """One hop of a trace path: ``source -[rel]-> target`` (or reversed when ``inverse``)."""

    rel: Rel
    inverse: bool


@dataclass(frozen=True)
class TracePath:
    """A path from the start node to a goal, as the nodes and the hops between them."""

    nodes: tuple[NodeRef, ...]
    steps: tuple[Step, ...] = field(default=())

    @property
    def goal(self) -> NodeRef:
        """The goal the path reaches."""
        return self.nodes[-1]


@dataclass(frozen=True)
class Neighbourhood:
    """An entity with every node one link away, by relationship type and direction."""

    entity: Entity
    outgoing: dict[Rel, tuple[Entity, ...]]
    incoming: dict[Rel, tuple[Entity, ...]]

    def out(self, rel: Rel) -> tuple[Entity, ...]:
        """Nodes this one points to by ``rel``."""
        return self.outgoing.get(rel, ())

    def into(self, rel: Rel) -> tuple[Entity, ...]:
        """Nodes pointing to this one by ``rel``."""
        return self.incoming.get(rel, ())


@dataclass(frozen=True)
class RoleView:
    """Vad gör jag som …? Every activity a role performs, grouped by process."""

    role: Role
    processes: tuple[tuple[Process, tuple[ActivityView, ...]], ...]
