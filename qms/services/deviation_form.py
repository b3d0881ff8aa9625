"""The report form's read models: what it offers, and values pre-filled from where it was opened."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, cast

from qms.domain.entities import Activity, InspectionResult, OrgUnit, Process, Risk, SelfInspection
from qms.domain.kinds import ActivityType
from qms.domain.labels import Label, Rel
from qms.services.deviation_reads import process_of_activity
from qms.storage.port import GraphStore

#: Above this many activities the report form lists them only for a chosen process.
MAX_ACTIVITY_CHOICES = 400


@dataclass(frozen=True)
class Choices:
    """What the report form offers: processes, their activities, organisation units."""

    processes: tuple[Process, ...]
    activities: tuple[tuple[Process, tuple[Activity, ...]], ...]
    units: tuple[OrgUnit, ...]


def choices(
    store: GraphStore, process_id: str | None = None, with_activities: bool = True
) -> Choices:
    """Processes by name; activities grouped by process (only the chosen process's when the
    organisation has too many to list); units by name."""
    processes = sorted(
        (p for p in store.entities(Label.PROCESS) if isinstance(p, Process) and not p.archived),
        key=lambda p: p.name,
    )
    owner = process_of_activity(store) if with_activities else {}
    if not with_activities or (process_id is None and len(owner) > MAX_ACTIVITY_CHOICES):
        wanted: set[str] = set()
    else:
        wanted = {p.id for p in processes if process_id is None or p.id == process_id}
    grouped: dict[str, list[Activity]] = {}
    if wanted:
        for activity in store.entities(Label.ACTIVITY):
            process = owner.get(activity.id)
            if isinstance(activity, Activity) and process in wanted and _is_work(activity):
                grouped.setdefault(process, []).append(activity)
    activities = tuple(
        (p, tuple(sorted(grouped[p.id], key=lambda a: (a.position, a.name))))
        for p in processes
        if p.id in grouped
    )
    units = sorted(
        (u for u in store.entities(Label.ORG_UNIT) if isinstance(u, OrgUnit)),
        key=lambda u: u.name,
    )
    return Choices(tuple(processes), activities, tuple(units))


def _is_work(activity: Activity) -> bool:
    """A task or a subprocess: something people do (events and gateways are not offered)."""
    kind = activity.node_type
    return kind.endswith("task") or kind in (ActivityType.SUBPROCESS, ActivityType.CALL_ACTIVITY)


def prefill(store: GraphStore, given: Mapping[str, str]) -> dict[str, Any]:
    """Report-form values from an egenkontroll result, a risk, a process, an activity or a unit.

    ``given`` may hold ``result``, ``risk``, ``process``, ``activity`` and ``org_unit`` ids;
    ids that do not name such a thing are ignored (the form still works without them).
    """
    values: dict[str, Any] = {}

    def known(key: str, label: Label) -> str | None:
        value = given.get(key) or ""
        return value if value and store.label_of(value) is label else None

    result_id = known("result", Label.INSPECTION_RESULT)
    if result_id is not None:
        values.update(_from_result(store, result_id))
    risk_id = known("risk", Label.RISK)
    if risk_id is not None:
        values.update(_from_risk(store, risk_id, values))
    process_id = known("process", Label.PROCESS)
    if process_id is not None:
        values["process"] = process_id
        values.pop("activity", None)
    activity_id = known("activity", Label.ACTIVITY)
    if activity_id is not None:
        values["activity"] = activity_id
    if "activity" in values:  # the activity's own process, so the form lists it
        owners = store.neighbours(Label.ACTIVITY, values["activity"], Rel.HAS_ACTIVITY, "in")
        if owners:
            values["process"] = owners[0].id
    unit_id = known("org_unit", Label.ORG_UNIT)
    if unit_id is not None:
        values["org_unit"] = unit_id
    return values


def _from_result(store: GraphStore, result_id: str) -> dict[str, Any]:
    result = cast(InspectionResult, store.get(Label.INSPECTION_RESULT, result_id))
    values: dict[str, Any] = {
        "raised_by": result.id,
        "description": result.findings,
        "occurred_on": result.performed_on,
    }
    owners = store.neighbourhood(Label.INSPECTION_RESULT, result_id).into(Rel.HAS_RESULT)
    inspection = next((s for s in owners if isinstance(s, SelfInspection)), None)
    if inspection is None:
        values["title"] = "Brist vid egenkontroll"
        return values
    values["title"] = f"Brist vid egenkontroll: {inspection.title}"[:300]
    around = store.neighbourhood(Label.SELF_INSPECTION, inspection.id)
    values.update(_where(around.out(Rel.CHECKS)))
    risk = next((r for r in around.out(Rel.CHECKS) if isinstance(r, Risk)), None)
    if risk is not None:
        values["realises"] = risk.id
    unit = next((u for u in around.out(Rel.BELONGS_TO) if isinstance(u, OrgUnit)), None)
    if unit is not None:
        values["org_unit"] = unit.id
    return values


def _from_risk(store: GraphStore, risk_id: str, already: Mapping[str, Any]) -> dict[str, Any]:
    around = store.neighbourhood(Label.RISK, risk_id)
    values: dict[str, Any] = {"realises": risk_id}
    if "process" not in already and "activity" not in already:
        values.update(_where(around.out(Rel.THREATENS)))
    unit = next((u for u in around.out(Rel.BELONGS_TO) if isinstance(u, OrgUnit)), None)
    if unit is not None and "org_unit" not in already:
        values["org_unit"] = unit.id
    return values


def _where(targets: tuple[Any, ...]) -> dict[str, str]:
    """The first process and activity among ``targets``."""
    values: dict[str, str] = {}
    process = next((p for p in targets if isinstance(p, Process)), None)
    activity = next((a for a in targets if isinstance(a, Activity)), None)
    if process is not None:
        values["process"] = process.id
    if activity is not None:
        values["activity"] = activity.id
    return values
