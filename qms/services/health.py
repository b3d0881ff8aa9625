"""Ledningssystemets hälsa: the gaps of the quality system, each where it is fixed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from qms.domain.kinds import DeviationStatus, RiskStatus
from qms.domain.labels import Label, Rel
from qms.domain.risk_matrix import needs_control
from qms.domain.schedule import is_overdue
from qms.domain.views import HOW_TO_KINDS
from qms.services.goal_graph import QualityGraph


class Check(StrEnum):
    """The checks, in the order the page shows them."""

    ACTIVITY_WITHOUT_ROUTINE = "activity_without_routine"
    PROCESS_WITHOUT_OWNER = "process_without_owner"
    PROCESS_WITHOUT_GOAL = "process_without_goal"
    DOCUMENT_PAST_REVIEW = "document_past_review"
    GOAL_NOT_SERVED = "goal_not_served"
    RISK_WITHOUT_CONTROL = "risk_without_control"
    INSPECTION_OVERDUE = "inspection_overdue"
    DEVIATION_PAST_FOLLOW_UP = "deviation_past_follow_up"


@dataclass(frozen=True)
class Item:
    """One gap: the thing (label, id, name) and a short detail (a date, a value)."""

    label: Label
    id: str
    caption: str
    detail: str = ""


@dataclass(frozen=True)
class Finding:
    """One check and what it found."""

    check: Check
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Health:
    """Every check's findings for a unit (and the units under it), or for everything."""

    findings: tuple[Finding, ...]
    unit_id: str | None

    @property
    def total(self) -> int:
        """How many gaps in all."""
        return sum(len(f.items) for f in self.findings)

    def count(self, check: Check) -> int:
        """How many gaps one check found."""
        return next((len(f.items) for f in self.findings if f.check is check), 0)


def health(graph: QualityGraph, today: date, unit_id: str | None = None) -> Health:
    """Run every check over the snapshot, limited to a unit and the units under it."""
    units = graph.units_below(unit_id)
    checks = {
        Check.ACTIVITY_WITHOUT_ROUTINE: _activities_without_routine(graph, units),
        Check.PROCESS_WITHOUT_OWNER: _processes_without_owner(graph, units),
        Check.PROCESS_WITHOUT_GOAL: _processes_without_goal(graph, units),
        Check.DOCUMENT_PAST_REVIEW: _documents_past_review(graph, units, today),
        Check.GOAL_NOT_SERVED: _goals_not_served(graph, units),
        Check.RISK_WITHOUT_CONTROL: _risks_without_control(graph, units),
        Check.INSPECTION_OVERDUE: _inspections_overdue(graph, units, today),
        Check.DEVIATION_PAST_FOLLOW_UP: _deviations_past_follow_up(graph, units, today),
    }
    return Health(
        tuple(
            Finding(check, tuple(sorted(items, key=lambda i: i.caption.casefold())))
            for check, items in checks.items()
        ),
        unit_id,
    )


def _live_processes(graph: QualityGraph, units: set[str] | None) -> dict[str, str]:
    """Unarchived processes in the units: id → name."""
    return {
        pid: p.name
        for pid, p in graph.processes.items()
        if not p.archived and graph.in_units(pid, units)
    }


def _activities_without_routine(graph: QualityGraph, units: set[str] | None) -> list[Item]:
    documents = graph.documents
    live = _live_processes(graph, units)
    found = []
    for aid, activity in graph.activities.items():
        process = graph.process_of(aid)
        if process not in live or not activity.node_type.endswith("task"):
            continue
        governing = graph.targets(Rel.GOVERNED_BY, aid)
        if not any(d in documents and documents[d].kind in HOW_TO_KINDS for d in governing):
            found.append(Item(Label.ACTIVITY, aid, activity.name, live[process]))
    return found


def _processes_without_owner(graph: QualityGraph, units: set[str] | None) -> list[Item]:
    return [
        Item(Label.PROCESS, pid, name)
        for pid, name in _live_processes(graph, units).items()
        if not graph.targets(Rel.OWNED_BY, pid)
    ]


def _processes_without_goal(graph: QualityGraph, units: set[str] | None) -> list[Item]:
    """A process serves a goal through itself, one of its activities or a process above it."""
    serving = set()
    for source in graph.out[Rel.CONTRIBUTES_TO]:
        serving.add(graph.process_of(source) if source in graph.activities else source)
    found = []
    for pid, name in _live_processes(graph, units).items():
        chain, up = [pid], graph.targets(Rel.SUBPROCESS_OF, pid)
        while up and up[0] not in chain:
            chain.append(up[0])
            up = graph.targets(Rel.SUBPROCESS_OF, up[0])
        if not serving.intersection(chain):
            found.append(Item(Label.PROCESS, pid, name))
    return found


def _documents_past_review(graph: QualityGraph, units: set[str] | None, today: date) -> list[Item]:
    return [
        Item(Label.DOCUMENT, did, d.title, d.review_by.isoformat() if d.review_by else "")
        for did, d in graph.documents.items()
        if d.review_overdue(today) and graph.in_units(did, units)
    ]


def _goals_not_served(graph: QualityGraph, units: set[str] | None) -> list[Item]:
    """Goals with no CONTRIBUTES_TO into them or into any goal below them."""
    served: set[str] = set()
    for target in graph.into[Rel.CONTRIBUTES_TO]:
        served.update(graph.goal_chain(target))
    return [
        Item(Label.GOAL, gid, g.title)
        for gid, g in graph.goals.items()
        if gid not in served and graph.in_units(gid, units)
    ]


def _risks_without_control(graph: QualityGraph, units: set[str] | None) -> list[Item]:
    matrix = graph.matrix
    covered = set(graph.into[Rel.CONTROLS]) | set(graph.into[Rel.CHECKS])
    return [
        Item(Label.RISK, rid, r.title, str(r.value))
        for rid, r in graph.risks.items()
        if r.status is not RiskStatus.CLOSED
        and needs_control(matrix, r.value)
        and rid not in covered
        and graph.in_units(rid, units)
    ]


def _inspections_overdue(graph: QualityGraph, units: set[str] | None, today: date) -> list[Item]:
    return [
        Item(Label.SELF_INSPECTION, iid, i.title, i.next_due.isoformat() if i.next_due else "")
        for iid, i in graph.inspections.items()
        if is_overdue(i.next_due, today) and graph.in_units(iid, units)
    ]


def _deviations_past_follow_up(
    graph: QualityGraph, units: set[str] | None, today: date
) -> list[Item]:
    """Open avvikelser whose follow-up date has passed (named by id: titles may be personal)."""
    return [
        Item(Label.DEVIATION, did, did, d.follow_up_on.isoformat())
        for did, d in graph.deviations.items()
        if d.status is not DeviationStatus.CLOSED
        and d.follow_up_on is not None
        and d.follow_up_on < today
        and graph.in_units(did, units)
    ]
