"""Egenkontroller: the plan, the årshjul it implies, what is overdue, and recording results."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from marshmallow import fields, validate

from qms.domain.entities import Control, Entity, InspectionResult, SelfInspection
from qms.domain.errors import InvalidInput
from qms.domain.graph import Link
from qms.domain.kinds import Frequency, InspectionOutcome
from qms.domain.labels import Label, Rel
from qms.domain.schedule import is_overdue, next_due_after, occurrences
from qms.domain.views import NodeRef
from qms.services.access import Actor, Permission
from qms.services.app import Qms
from qms.services.forms import (
    E,
    by_id,
    fetch,
    load,
    new_id,
    read_form,
    refs,
    save_entity,
    unit_scope,
)
from qms.services.org_units import require_edit, require_in
from qms.services.schemas import MESSAGES, QmsSchema, WholeNumber
from qms.storage.port import GraphStore

#: What an egenkontroll may check.
CHECKED = (Label.PROCESS, Label.ACTIVITY, Label.RISK)


@dataclass(frozen=True)
class InspectionRow:
    """One egenkontroll of the plan."""

    inspection: SelfInspection
    checks: tuple[NodeRef, ...]
    owner: NodeRef | None
    unit: NodeRef | None
    latest: InspectionResult | None
    overdue: bool


def inspection_plan(qms: Qms, today: date, unit: str | None = None) -> list[InspectionRow]:
    """Every egenkontroll (of a unit and those below it), next due first."""
    store = qms.store
    scope = unit_scope(store, unit)
    check_links = store.links(Rel.CHECKS)
    result_links = store.links(Rel.HAS_RESULT)
    # Name only what the plan shows: a city has tens of thousands of activities.
    names: dict[str, Entity] = by_id(store, Label.ROLE, Label.ORG_UNIT)
    for label in CHECKED:
        names |= store.get_many(label, {link.target for link in check_links})
    names |= store.get_many(Label.INSPECTION_RESULT, {link.target for link in result_links})
    unit_of = {link.source: link.target for link in store.links(Rel.BELONGS_TO)}
    owner_of = {link.source: link.target for link in store.links(Rel.OWNED_BY)}
    checks: dict[str, list[NodeRef]] = {}
    for link in check_links:
        target = names.get(link.target)
        if target is not None:
            checks.setdefault(link.source, []).append(_ref(target))
    latest: dict[str, InspectionResult] = {}
    for link in result_links:
        result = names.get(link.target)
        if isinstance(result, InspectionResult):
            known = latest.get(link.source)
            if known is None or result.performed_on > known.performed_on:
                latest[link.source] = result
    rows = []
    for inspection in _all(store, SelfInspection):
        if scope is not None and unit_of.get(inspection.id) not in scope:
            continue
        owner, home = (
            names.get(owner_of.get(inspection.id, "")),
            names.get(unit_of.get(inspection.id, "")),
        )
        rows.append(
            InspectionRow(
                inspection=inspection,
                checks=tuple(checks.get(inspection.id, ())),
                owner=_ref(owner) if owner else None,
                unit=_ref(home) if home else None,
                latest=latest.get(inspection.id),
                overdue=is_overdue(inspection.next_due, today),
            )
        )
    rows.sort(key=lambda r: (r.inspection.next_due or date.max, r.inspection.title))
    return rows


def _all(store: GraphStore, cls: type[E]) -> list[E]:
    return [e for e in store.entities(cls.LABEL) if isinstance(e, cls)]


def _ref(entity: Any) -> NodeRef:
    return NodeRef(entity.LABEL, entity.id, entity.caption)


def overdue_inspections(qms: Qms, today: date, unit: str | None = None) -> list[InspectionRow]:
    """Egenkontroller whose due date has passed without a run, longest overdue first."""
    return [row for row in inspection_plan(qms, today, unit) if row.overdue]


@dataclass(frozen=True)
class WheelEntry:
    """One egenkontroll or kontrollmoment due on one day of the årshjul."""

    label: Label
    id: str
    title: str
    day: date


def year_wheel(qms: Qms, year: int, unit: str | None = None) -> list[list[WheelEntry]]:
    """The årshjul: for each month (January first) what is due, by day.

    An egenkontroll recurs from its next due date; a kontrollmoment of the year (or of no
    year) reports at the end of each period (tertial: April, August, December).
    """
    store = qms.store
    scope = unit_scope(store, unit)
    unit_of = {link.source: link.target for link in store.links(Rel.BELONGS_TO)}
    months: list[list[WheelEntry]] = [[] for _ in range(12)]

    def place(label: Label, entity_id: str, title: str, days: list[date]) -> None:
        if scope is None or unit_of.get(entity_id) in scope:
            for day in days:
                months[day.month - 1].append(WheelEntry(label, entity_id, title, day))

    for inspection in _all(store, SelfInspection):
        if inspection.next_due is not None:
            days = occurrences(inspection.next_due, inspection.frequency, year)
            place(Label.SELF_INSPECTION, inspection.id, inspection.title, days)
    for control in _all(store, Control):
        if control.year in (None, year):
            days = occurrences(date(year, 12, 31), control.frequency, year)
            place(Label.CONTROL, control.id, control.title, days)
    for entries in months:
        entries.sort(key=lambda e: (e.day, e.title))
    return months


@dataclass(frozen=True)
class InspectionDetail:
    """An egenkontroll with all its results, newest first."""

    row: InspectionRow
    results: tuple[InspectionResult, ...]


def detail(qms: Qms, inspection_id: str, today: date) -> InspectionDetail:
    """One egenkontroll and its results."""
    store = qms.store
    store.get(Label.SELF_INSPECTION, inspection_id)  # NotFound before anything else
    row = next(r for r in inspection_plan(qms, today) if r.inspection.id == inspection_id)
    results = [
        store.get(Label.INSPECTION_RESULT, ref.id)
        for ref in store.neighbours(Label.SELF_INSPECTION, inspection_id, Rel.HAS_RESULT)
    ]
    ordered = sorted(
        (r for r in results if isinstance(r, InspectionResult)),
        key=lambda r: (r.performed_on, r.id),
        reverse=True,
    )
    return InspectionDetail(row, tuple(ordered))


class ResultForm(QmsSchema):
    """One run of an egenkontroll as entered."""

    performed_on = fields.Date(
        required=True, error_messages=MESSAGES | {"invalid": "Ogiltigt datum (ÅÅÅÅ-MM-DD)."}
    )
    outcome = fields.String(
        required=True,
        error_messages=MESSAGES,
        validate=validate.OneOf(
            [o.value for o in InspectionOutcome], error="Välj ett utfall i listan."
        ),
    )
    findings = fields.String(load_default="", validate=validate.Length(max=10000))
    performed_by = fields.String(load_default="", validate=validate.Length(max=200))
    version = WholeNumber(required=True, error_messages=MESSAGES)


def record_result(
    qms: Qms, actor: Actor, inspection_id: str, data: Mapping[str, Any], today: date
) -> InspectionResult:
    """Save a run's result (linked by HAS_RESULT) and move the egenkontroll's next due date.

    A run within the period that ends on the due date covers that date, so a check done a
    little early is not still due afterwards.
    """
    require_in(qms.store, actor, Permission.EDIT_QUALITY, Label.SELF_INSPECTION, inspection_id)
    loaded = load(ResultForm(), data, "Resultatet")
    performed_on: date = loaded["performed_on"]
    outcome = InspectionOutcome(loaded["outcome"])
    findings = loaded["findings"].strip()
    errors: dict[str, list[str]] = {}
    if performed_on > today:
        errors["performed_on"] = ["Datumet får inte ligga i framtiden."]
    if outcome is not InspectionOutcome.OK and not findings:
        errors["findings"] = ["Beskriv vad som hittades när utfallet inte är utan anmärkning."]
    if errors:
        raise InvalidInput("Resultatet kunde inte sparas.", errors)
    with qms.unit_of_work(actor.name) as uow:
        inspection = fetch(uow, SelfInspection, inspection_id)
        result = uow.add(
            InspectionResult(
                id=new_id(uow, "ekr", f"{performed_on.isoformat()} {inspection_id}"),
                performed_on=performed_on,
                outcome=outcome,
                findings=findings,
                performed_by=loaded["performed_by"].strip() or actor.name,
            )
        )
        uow.link(Link(Rel.HAS_RESULT, inspection_id, result.id))
        uow.update(
            dataclasses.replace(
                inspection,
                version=loaded["version"],
                next_due=advanced(inspection, performed_on),
            )
        )
    return cast(InspectionResult, result)


def advanced(inspection: SelfInspection, performed_on: date) -> date:
    """The next due date after a run on ``performed_on``."""
    return next_due_after(inspection.next_due or performed_on, inspection.frequency, performed_on)


# -- planning an egenkontroll ----------------------------------------------------------------


class PlanForm(QmsSchema):
    """An egenkontroll of the plan as entered: what, how, how often, who, when next."""

    title = fields.String(
        required=True,
        error_messages=MESSAGES,
        validate=validate.Length(min=1, max=300, error="Ange en rubrik (högst 300 tecken)."),
    )
    description = fields.String(load_default="", validate=validate.Length(max=5000))
    method = fields.String(load_default="", validate=validate.Length(max=2000))
    frequency = fields.String(
        required=True,
        error_messages=MESSAGES,
        validate=validate.OneOf([f.value for f in Frequency], error="Välj en frekvens i listan."),
    )
    next_due = fields.Date(
        required=True, error_messages=MESSAGES | {"invalid": "Ogiltigt datum (ÅÅÅÅ-MM-DD)."}
    )
    checks = fields.List(fields.String(), load_default=list)
    owner = fields.String(load_default="")
    org_unit = fields.String(load_default="")
    version = WholeNumber(load_default=0, error_messages=MESSAGES)


def save_inspection(
    qms: Qms, actor: Actor, data: Mapping[str, Any], inspection_id: str | None = None
) -> SelfInspection:
    """Plan a new egenkontroll, or change one (what it checks, method, frequency, who)."""
    actor.require(Permission.EDIT_QUALITY)
    form = read_form(qms.store, PlanForm(), data, PLAN_REFERENCES)
    loaded, picked, errors = form.fields, form.picked, form.errors
    if not picked["checks"] and "checks" not in errors:
        errors["checks"] = ["Välj minst en process, aktivitet eller risk som kontrolleras."]
    if not picked["owner"] and "owner" not in errors:
        errors["owner"] = ["Ange vem som ansvarar för egenkontrollen."]
    if errors:
        raise InvalidInput("Egenkontrollen kunde inte sparas.", errors)
    require_edit(
        qms.store,
        actor,
        Permission.EDIT_QUALITY,
        Label.SELF_INSPECTION,
        inspection_id,
        picked["org_unit"],
    )
    version = loaded.pop("version")
    loaded["frequency"] = Frequency(loaded["frequency"])
    links = {rel: picked[name] for name, rel in PLAN_LINKS.items()}
    with qms.unit_of_work(actor.name) as uow:
        if inspection_id is None:
            planned = SelfInspection(id=new_id(uow, "ek", loaded["title"]), **loaded)
        else:
            current = fetch(uow, SelfInspection, inspection_id)
            planned = dataclasses.replace(current, version=version, **loaded)
        saved = save_entity(uow, qms.store, planned, links, new=inspection_id is None)
    return cast(SelfInspection, saved)


#: The plan form's reference fields, the labels each may pick and the link each becomes.
PLAN_REFERENCES = {"checks": CHECKED, "owner": (Label.ROLE,), "org_unit": (Label.ORG_UNIT,)}
PLAN_LINKS = {"checks": Rel.CHECKS, "owner": Rel.OWNED_BY, "org_unit": Rel.BELONGS_TO}


def _targets(store: GraphStore, inspection_id: str, rel: Rel) -> list[str]:
    return [link.target for link in store.outgoing(Label.SELF_INSPECTION, inspection_id, rel)]


def plan_values(qms: Qms, inspection_id: str) -> dict[str, Any]:
    """A planned egenkontroll as its form shows it."""
    inspection = fetch(qms.store, SelfInspection, inspection_id)
    store = qms.store
    return {
        **inspection.content(),
        "frequency": inspection.frequency.value,
        "next_due": inspection.next_due.isoformat() if inspection.next_due else "",
        "version": inspection.version,
        "checks": _targets(store, inspection_id, Rel.CHECKS),
        "owner": next(iter(_targets(store, inspection_id, Rel.OWNED_BY)), ""),
        "org_unit": next(iter(_targets(store, inspection_id, Rel.BELONGS_TO)), ""),
    }


def plan_choices(qms: Qms) -> dict[str, tuple[NodeRef, ...]]:
    """Processes, activities and risks to check; roles and units to choose from, by name."""
    store = qms.store
    return {
        "checks": refs(store, *CHECKED),
        "roles": refs(store, Label.ROLE),
        "units": refs(store, Label.ORG_UNIT),
    }
