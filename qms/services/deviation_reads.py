"""Reads of the avvikelse register: one case with its links, and whole-register figures."""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from qms.domain.deviation_flow import Case
from qms.domain.entities import (
    Action,
    Activity,
    Cause,
    Deviation,
    InspectionResult,
    OrgUnit,
    Process,
    Risk,
    SelfInspection,
)
from qms.domain.errors import NotFound
from qms.domain.kinds import DeviationStatus
from qms.domain.labels import Label, Rel
from qms.storage.port import GraphStore


@dataclass(frozen=True)
class Links:
    """What a deviation is joined to, besides its causes and actions."""

    processes: tuple[Process, ...] = ()
    activities: tuple[Activity, ...] = ()
    org_unit: OrgUnit | None = None
    risks: tuple[Risk, ...] = ()
    result: InspectionResult | None = None
    inspection: SelfInspection | None = None


def load_case(store: GraphStore, deviation_id: str) -> tuple[Case, Links]:
    """The case (deviation, causes, actions with the causes they address) and its links.

    One neighbourhood read for the deviation and one per cause (a case has a handful).
    """
    if store.label_of(deviation_id) is not Label.DEVIATION:
        raise NotFound(Label.DEVIATION, deviation_id)
    around = store.neighbourhood(Label.DEVIATION, deviation_id)
    deviation = around.entity
    if not isinstance(deviation, Deviation):
        raise NotFound(Label.DEVIATION, deviation_id)
    causes = tuple(c for c in around.out(Rel.CAUSED_BY) if isinstance(c, Cause))
    actions: dict[str, Action] = {
        a.id: a for a in around.into(Rel.ADDRESSES) if isinstance(a, Action)
    }
    addressed: dict[str, set[str]] = defaultdict(set)
    for cause in causes:
        for action in store.neighbourhood(Label.CAUSE, cause.id).into(Rel.ADDRESSES):
            if isinstance(action, Action):
                actions.setdefault(action.id, action)
                addressed[action.id].add(cause.id)
    ordered = sorted(actions.values(), key=lambda a: (a.created_at, a.id))
    case = Case(
        deviation,
        tuple(sorted(causes, key=lambda c: (c.created_at, c.id))),
        tuple((a, frozenset(addressed[a.id])) for a in ordered),
    )
    result = next((r for r in around.out(Rel.RAISED_BY) if isinstance(r, InspectionResult)), None)
    inspection = None
    if result is not None:
        owners = store.neighbourhood(Label.INSPECTION_RESULT, result.id).into(Rel.HAS_RESULT)
        inspection = next((s for s in owners if isinstance(s, SelfInspection)), None)
    affected = around.out(Rel.AFFECTS)
    links = Links(
        processes=tuple(p for p in affected if isinstance(p, Process)),
        activities=tuple(a for a in affected if isinstance(a, Activity)),
        org_unit=next((u for u in around.out(Rel.BELONGS_TO) if isinstance(u, OrgUnit)), None),
        risks=tuple(r for r in around.out(Rel.REALISES) if isinstance(r, Risk)),
        result=result,
        inspection=inspection,
    )
    return case, links


def withhold(deviation: Deviation) -> Deviation:
    """The deviation with its free-text fields (which may hold personal data) emptied."""
    blank: dict[str, Any] = {name: "" for name in Deviation.PERSONAL}
    return dataclasses.replace(deviation, **blank)


def deviations(store: GraphStore) -> list[Deviation]:
    """Every deviation in the register."""
    return [d for d in store.entities(Label.DEVIATION) if isinstance(d, Deviation)]


def overdue_follow_ups(store: GraphStore, today: date) -> list[Deviation]:
    """Open cases whose follow-up date has passed, the longest overdue first."""
    found = [
        d
        for d in deviations(store)
        if d.follow_up_on is not None
        and d.follow_up_on < today
        and d.status is not DeviationStatus.CLOSED
    ]
    return sorted(found, key=lambda d: (d.follow_up_on or today, d.id))


def process_of_activity(store: GraphStore) -> dict[str, str]:
    """Each activity's process (from HAS_ACTIVITY links)."""
    return {link.target: link.source for link in store.links(Rel.HAS_ACTIVITY)}


def affected_processes(
    store: GraphStore, activity_process: dict[str, str] | None = None
) -> dict[str, set[str]]:
    """Deviation id → the processes it affects, directly or through one of their activities."""
    owner = activity_process if activity_process is not None else process_of_activity(store)
    found: dict[str, set[str]] = defaultdict(set)
    for link in store.links(Rel.AFFECTS):
        process = owner.get(link.target, link.target)
        found[link.source].add(process)
    return found


def month_of(deviation: Deviation) -> str | None:
    """``YYYY-MM`` of when it happened (or, failing that, when it was reported)."""
    when = deviation.occurred_on or deviation.reported_on
    return f"{when.year:04d}-{when.month:02d}" if when is not None else None


def open_by_process_and_month(store: GraphStore) -> dict[str, dict[str, int]]:
    """Open (not closed) deviations counted per affected process and month: for a plot.

    ``{process id: {"YYYY-MM": count}}``; a deviation affecting two activities of one process
    counts once for that process. Months run by ``occurred_on``, else ``reported_on``.
    """
    by_process = affected_processes(store)
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for deviation in deviations(store):
        month = month_of(deviation)
        if deviation.status is DeviationStatus.CLOSED or month is None:
            continue
        for process in by_process.get(deviation.id, ()):
            counts[process][month] += 1
    return {p: dict(sorted(months.items())) for p, months in sorted(counts.items())}
