"""The internkontrollplan: the risks at or above the control threshold and their kontrollmoment."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, cast

from marshmallow import fields, validate

from qms.domain.entities import Control, Risk, RiskMatrix
from qms.domain.errors import InvalidInput
from qms.domain.graph import Link
from qms.domain.kinds import Frequency, InspectionOutcome
from qms.domain.labels import Label, Rel
from qms.domain.risk_matrix import needs_control
from qms.domain.views import NodeRef
from qms.services.access import Actor, Permission
from qms.services.app import Qms
from qms.services.forms import by_id, check_refs, fetch, load, new_id, relink
from qms.services.org_units import require_in
from qms.services.risks import RiskFilter, RiskRow, current_matrix, register
from qms.services.schemas import MESSAGES, QmsSchema, WholeNumber


@dataclass(frozen=True)
class ControlView:
    """A kontrollmoment with its ansvarig role."""

    control: Control
    owner: NodeRef | None


@dataclass(frozen=True)
class PlanEntry:
    """A risk of the plan and the kontrollmoment that check it (empty: a gap)."""

    row: RiskRow
    controls: tuple[ControlView, ...]


def control_plan(
    qms: Qms, filters: RiskFilter, matrix: RiskMatrix | None = None
) -> list[PlanEntry]:
    """The risks of a unit and year that need a control, highest first, with their controls."""
    store = qms.store
    matrix = matrix or current_matrix(store)
    rows = [r for r in register(qms, filters, matrix) if needs_control(matrix, r.risk.value)]
    views = controls_by_risk(qms)
    return [PlanEntry(row, views.get(row.risk.id, ())) for row in rows]


def controls_by_risk(qms: Qms) -> dict[str, tuple[ControlView, ...]]:
    """Every risk's kontrollmoment (with owners), by risk id."""
    store = qms.store
    found = by_id(store, Label.CONTROL, Label.ROLE)
    owner_of = {link.source: link.target for link in store.links(Rel.OWNED_BY)}
    grouped: dict[str, list[ControlView]] = {}
    for link in store.links(Rel.CONTROLS):
        control = found.get(link.source)
        if isinstance(control, Control):
            role = found.get(owner_of.get(control.id, ""))
            owner = NodeRef(role.LABEL, role.id, role.caption) if role else None
            grouped.setdefault(link.target, []).append(ControlView(control, owner))
    return {k: tuple(sorted(v, key=lambda c: c.control.title)) for k, v in grouped.items()}


def risks_without_control(
    qms: Qms, matrix: RiskMatrix | None = None, filters: RiskFilter | None = None
) -> list[RiskRow]:
    """Risks at or above the control threshold that no kontrollmoment checks (a gap)."""
    return [
        entry.row
        for entry in control_plan(qms, filters or RiskFilter(), matrix)
        if not entry.controls
    ]


class ControlForm(QmsSchema):
    """A kontrollmoment as entered."""

    title = fields.String(
        required=True,
        error_messages=MESSAGES,
        validate=validate.Length(
            min=1, max=300, error="Ange ett kontrollmoment (högst 300 tecken)."
        ),
    )
    method = fields.String(load_default="", validate=validate.Length(max=2000))
    frequency = fields.String(
        required=True,
        error_messages=MESSAGES,
        validate=validate.OneOf([f.value for f in Frequency], error="Välj en frekvens i listan."),
    )
    reporting = fields.String(load_default="", validate=validate.Length(max=300))
    year = WholeNumber(
        load_default=None,
        allow_none=True,
        error_messages=MESSAGES,
        validate=validate.Range(2000, 2100, error="Ange ett årtal mellan 2000 och 2100."),
    )
    owner = fields.String(load_default="")
    version = WholeNumber(load_default=0, error_messages=MESSAGES)


class ControlResultForm(QmsSchema):
    """The result of a kontrollmoment for the period reported."""

    result = fields.String(
        required=True,
        error_messages=MESSAGES,
        validate=validate.Length(min=1, max=5000, error="Beskriv resultatet."),
    )
    outcome = fields.String(
        required=True,
        error_messages=MESSAGES,
        validate=validate.OneOf(
            [o.value for o in InspectionOutcome], error="Välj ett utfall i listan."
        ),
    )
    version = WholeNumber(required=True, error_messages=MESSAGES)


def save_control(
    qms: Qms,
    actor: Actor,
    risk_id: str,
    data: Mapping[str, Any],
    control_id: str | None = None,
) -> Control:
    """Add a kontrollmoment to a risk, or edit one (it stays linked to its risks)."""
    risk = fetch(qms.store, Risk, risk_id)
    require_in(qms.store, actor, Permission.EDIT_QUALITY, Label.RISK, risk_id)
    loaded = load(ControlForm(), data, "Kontrollmomentet")
    owner = loaded.pop("owner").strip()
    errors = check_refs(qms.store, {"owner": ([owner] if owner else [], (Label.ROLE,))})
    if errors:
        raise InvalidInput("Kontrollmomentet kunde inte sparas.", errors)
    version = loaded.pop("version")
    loaded["frequency"] = Frequency(loaded["frequency"])
    if loaded["year"] is None:
        loaded["year"] = risk.year
    with qms.unit_of_work(actor.name) as uow:
        if control_id is None:
            saved = uow.add(Control(id=new_id(uow, "km", loaded["title"]), **loaded))
            uow.link(Link(Rel.CONTROLS, saved.id, risk_id))
            unit = [link.target for link in qms.store.outgoing(Label.RISK, risk_id, Rel.BELONGS_TO)]
            relink(uow, saved.id, Rel.BELONGS_TO, [], unit)
            old_owner: list[str] = []
        else:
            current = uow.get(Label.CONTROL, control_id)
            saved = uow.update(dataclasses.replace(current, version=version, **loaded))
            old_owner = [
                link.target for link in qms.store.outgoing(Label.CONTROL, control_id, Rel.OWNED_BY)
            ]
        relink(uow, saved.id, Rel.OWNED_BY, old_owner, [owner] if owner else [])
    return cast(Control, saved)


def record_control_result(
    qms: Qms, actor: Actor, control_id: str, data: Mapping[str, Any]
) -> Control:
    """Write the result and outcome of a kontrollmoment (earlier ones stay in the change log)."""
    require_in(qms.store, actor, Permission.EDIT_QUALITY, Label.CONTROL, control_id)
    loaded = load(ControlResultForm(), data, "Resultatet")
    with qms.unit_of_work(actor.name) as uow:
        current = fetch(uow, Control, control_id)
        saved = uow.update(
            dataclasses.replace(
                current,
                version=loaded["version"],
                result=loaded["result"].strip(),
                outcome=InspectionOutcome(loaded["outcome"]),
            )
        )
    return cast(Control, saved)


def control(qms: Qms, control_id: str) -> tuple[ControlView, list[NodeRef]]:
    """One kontrollmoment with its owner and the risks (or processes) it checks."""
    store = qms.store
    found = fetch(store, Control, control_id)
    owners = store.neighbours(Label.CONTROL, control_id, Rel.OWNED_BY)
    targets = store.neighbours(Label.CONTROL, control_id, Rel.CONTROLS)
    return ControlView(found, owners[0] if owners else None), targets


def form_values(qms: Qms, control_id: str) -> dict[str, Any]:
    """A stored kontrollmoment as its form shows it."""
    view, _ = control(qms, control_id)
    return {
        **view.control.content(),
        "frequency": view.control.frequency.value,
        "outcome": view.control.outcome.value if view.control.outcome else "",
        "owner": view.owner.id if view.owner else "",
        "version": view.control.version,
    }
