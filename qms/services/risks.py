"""The risk register (väsentlighets- och riskanalys) and the risk matrix it is assessed on."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from marshmallow import ValidationError, fields, validate

from qms.domain.changes import Change
from qms.domain.entities import Action, Deviation, Document, Entity, Risk, RiskMatrix
from qms.domain.errors import InvalidInput, NotFound
from qms.domain.kinds import RiskStatus
from qms.domain.labels import Label, Rel
from qms.domain.risk_matrix import DEFAULT, DEFAULT_ID, Level, level_of, problems
from qms.domain.views import HOW_TO_KINDS, NodeRef
from qms.services.access import Actor, Permission
from qms.services.app import Qms
from qms.services.forms import (
    by_id,
    fetch,
    flat_errors,
    new_id,
    read_form,
    refs,
    save_entity,
    unit_scope,
)
from qms.services.org_units import require_edit
from qms.services.schemas import MESSAGES, QmsSchema, WholeNumber
from qms.storage.port import GraphStore

THREATENED = (Label.ACTIVITY, Label.PROCESS, Label.GOAL)


# -- the matrix ----------------------------------------------------------------------------
def current_matrix(store: GraphStore) -> RiskMatrix:
    """The matrix in use: the stored one, else the default."""
    try:
        return fetch(store, RiskMatrix, DEFAULT_ID)
    except NotFound:
        return DEFAULT


MATRIX_LISTS = (
    "probability_labels",
    "consequence_labels",
    "level_names",
    "level_colours",
    "level_minimums",
)


class MatrixForm(QmsSchema):
    """The matrix as edited: one list per scale and level column."""

    name = fields.String(required=True, error_messages=MESSAGES, validate=validate.Length(min=1))
    probability_labels = fields.List(fields.String(), required=True, error_messages=MESSAGES)
    consequence_labels = fields.List(fields.String(), required=True, error_messages=MESSAGES)
    level_names = fields.List(fields.String(), required=True, error_messages=MESSAGES)
    level_colours = fields.List(fields.String(), required=True, error_messages=MESSAGES)
    level_minimums = fields.List(fields.String(), required=True, error_messages=MESSAGES)
    control_threshold = WholeNumber(required=True, error_messages=MESSAGES)
    version = WholeNumber(load_default=0, error_messages=MESSAGES)


def save_matrix(qms: Qms, actor: Actor, data: Mapping[str, Any]) -> RiskMatrix:
    """Store the edited matrix; refused when a stored risk would fall outside the new scales."""
    actor.require(Permission.EDIT_QUALITY)
    errors: dict[str, list[str]] = {}
    try:
        loaded: dict[str, Any] = MatrixForm().load(data)
    except ValidationError as exc:  # go on checking, so every field's problem is shown at once
        errors = flat_errors(exc.messages)
        loaded = dict(exc.valid_data or {})
    lists = {k: tuple(str(v).strip() for v in loaded.get(k, ())) for k in MATRIX_LISTS}
    matrix = RiskMatrix(
        id=DEFAULT_ID,
        name=str(loaded.get("name", "")).strip(),
        control_threshold=loaded.get("control_threshold", 1),
        version=loaded.get("version", 0),
        probability_labels=lists["probability_labels"],
        consequence_labels=lists["consequence_labels"],
        level_names=lists["level_names"],
        level_colours=lists["level_colours"],
        level_minimums=lists["level_minimums"],
    )
    found = problems(matrix)
    errors = {k: v for k, v in found.items() if k in loaded} | errors
    if errors:
        raise InvalidInput("Riskmatrisen kunde inte sparas.", errors)
    outside = _outside(qms.store, matrix)
    if outside:
        raise InvalidInput("Skalan är mindre än några riskers bedömning.", outside)
    with qms.unit_of_work(actor.name) as uow:
        if uow.label_of(DEFAULT_ID) is None:
            saved = uow.add(matrix)
        else:
            saved = uow.update(matrix)
    return cast(RiskMatrix, saved)


def _outside(store: GraphStore, matrix: RiskMatrix) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for name, attr, size in (
        ("probability_labels", "probability", len(matrix.probability_labels)),
        ("consequence_labels", "consequence", len(matrix.consequence_labels)),
    ):
        hit = [
            f"{r.caption} ({r.id}, {getattr(r, attr)})"
            for r in store.entities(Label.RISK)
            if getattr(r, attr) > size
        ]
        if hit:
            errors[name] = [
                f"Skalan har {size} steg men dessa risker är bedömda högre; bedöm om dem "
                f"först: {'; '.join(hit)}."
            ]
    return errors


# -- the register --------------------------------------------------------------------------
@dataclass(frozen=True)
class RiskFilter:
    """Which risks the register shows: one organisation unit (and those below it), one year."""

    unit: str | None = None
    year: int | None = None


@dataclass(frozen=True)
class RiskRow:
    """One line of the register, as in a Stockholm VoR export."""

    number: int
    risk: Risk
    level: Level
    threatens: tuple[NodeRef, ...]
    owner: NodeRef | None
    unit: NodeRef | None
    actions: tuple[Action, ...]
    #: "yes", "partly", "no", or None when no activity or process is threatened.
    routine: str | None
    controlled: bool


def _ref(entity: Entity | None) -> NodeRef | None:
    return None if entity is None else NodeRef(entity.LABEL, entity.id, entity.caption)


def register(qms: Qms, filters: RiskFilter, matrix: RiskMatrix | None = None) -> list[RiskRow]:
    """The risks of a unit and year, highest value first, with everything the register shows."""
    store = qms.store
    matrix = matrix or current_matrix(store)
    scope = unit_scope(store, filters.unit)
    unit_of = {link.source: link.target for link in store.links(Rel.BELONGS_TO)}
    risks = [
        r
        for r in store.entities(Label.RISK)
        if isinstance(r, Risk)
        and (filters.year is None or r.year == filters.year)
        and (scope is None or unit_of.get(r.id) in scope)
    ]
    risks.sort(key=lambda r: (-r.value, -r.consequence, r.title))
    wanted = {r.id for r in risks}
    threatens: dict[str, list[str]] = {}
    for link in store.links(Rel.THREATENS):
        if link.source in wanted:
            threatens.setdefault(link.source, []).append(link.target)
    targets_wanted = {t for ts in threatens.values() for t in ts}
    addressing = [link for link in store.links(Rel.ADDRESSES) if link.target in wanted]
    # Name only what the register shows: a city has tens of thousands of activities.
    names: dict[str, Entity] = by_id(store, Label.ROLE, Label.ORG_UNIT)
    for label in THREATENED:
        names |= store.get_many(label, targets_wanted)
    names |= store.get_many(Label.ACTION, {link.source for link in addressing})
    owner_of = {link.source: link.target for link in store.links(Rel.OWNED_BY)}
    routines = _with_routine(store, targets_wanted)
    checked = {link.target for link in store.links(Rel.CONTROLS)} | {
        link.target for link in store.links(Rel.CHECKS)
    }
    actions: dict[str, list[Action]] = {}
    for link in addressing:
        action = names.get(link.source)
        if isinstance(action, Action):
            actions.setdefault(link.target, []).append(action)
    rows = []
    for number, risk in enumerate(risks, start=1):
        targets = [names[t] for t in threatens.get(risk.id, ()) if t in names]
        targets.sort(key=lambda e: (THREATENED.index(e.LABEL), e.caption))
        doable = [t.id for t in targets if t.LABEL in (Label.ACTIVITY, Label.PROCESS)]
        covered = sum(1 for t in doable if t in routines)
        routine = (
            None
            if not doable
            else "yes"
            if covered == len(doable)
            else ("partly" if covered else "no")
        )
        rows.append(
            RiskRow(
                number=number,
                risk=risk,
                level=level_of(matrix, risk.value),
                threatens=tuple(NodeRef(t.LABEL, t.id, t.caption) for t in targets),
                owner=_ref(names.get(owner_of.get(risk.id, ""))),
                unit=_ref(names.get(unit_of.get(risk.id, ""))),
                actions=tuple(sorted(actions.get(risk.id, ()), key=lambda a: a.title)),
                routine=routine,
                controlled=risk.id in checked,
            )
        )
    return rows


def _with_routine(store: GraphStore, governed: set[str]) -> set[str]:
    """Those of ``governed`` that a rutin, instruktion or checklista governs."""
    links = [link for link in store.links(Rel.GOVERNED_BY) if link.source in governed]
    documents = store.get_many(Label.DOCUMENT, {link.target for link in links})
    return {
        link.source
        for link in links
        if isinstance(doc := documents.get(link.target), Document) and doc.kind in HOW_TO_KINDS
    }


# -- one risk ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Realisation:
    """An avvikelse that realised the risk; ``newer`` when it came after the last assessment."""

    deviation: Deviation
    newer: bool


@dataclass(frozen=True)
class RiskDetail:
    """Everything the risk page shows."""

    row: RiskRow
    controls: tuple[NodeRef, ...]
    inspections: tuple[NodeRef, ...]
    realisations: tuple[Realisation, ...]
    history: tuple[Change, ...]

    @property
    def reassess(self) -> bool:
        """Whether an avvikelse realised the risk after it was last assessed."""
        return any(r.newer for r in self.realisations)


def detail(qms: Qms, risk_id: str, matrix: RiskMatrix | None = None) -> RiskDetail:
    """The risk with its register line, controls, egenkontroller and avvikelser."""
    store = qms.store
    risk = fetch(store, Risk, risk_id)
    matrix = matrix or current_matrix(store)
    row = _single_row(qms, risk, matrix)
    deviations = []
    assessed = risk.updated_at[:10]
    for ref in store.neighbours(Label.RISK, risk_id, Rel.REALISES, "in"):
        deviation = fetch(store, Deviation, ref.id)
        when = deviation.occurred_on or deviation.reported_on
        stamp = when.isoformat() if when else deviation.created_at[:10]
        newer = stamp > assessed or deviation.created_at > risk.updated_at
        deviations.append(Realisation(deviation, newer))
    deviations.sort(key=lambda r: r.deviation.occurred_on or date.min, reverse=True)
    history = tuple(c for c in store.changes(risk_id) if c.field in ("probability", "consequence"))
    return RiskDetail(
        row=row,
        controls=tuple(store.neighbours(Label.RISK, risk_id, Rel.CONTROLS, "in")),
        inspections=tuple(store.neighbours(Label.RISK, risk_id, Rel.CHECKS, "in")),
        realisations=tuple(deviations),
        history=history,
    )


def _single_row(qms: Qms, risk: Risk, matrix: RiskMatrix) -> RiskRow:
    rows = register(qms, RiskFilter(year=risk.year), matrix)
    return next(r for r in rows if r.risk.id == risk.id)


# -- writing a risk ------------------------------------------------------------------------
class RiskForm(QmsSchema):
    """A risk as entered in the form or the API."""

    title = fields.String(
        required=True,
        error_messages=MESSAGES,
        validate=validate.Length(min=1, max=300, error="Ange en rubrik (högst 300 tecken)."),
    )
    description = fields.String(load_default="", validate=validate.Length(max=5000))
    cause = fields.String(load_default="", validate=validate.Length(max=5000))
    probability = WholeNumber(required=True, error_messages=MESSAGES)
    consequence = WholeNumber(required=True, error_messages=MESSAGES)
    year = WholeNumber(
        load_default=None,
        allow_none=True,
        error_messages=MESSAGES,
        validate=validate.Range(2000, 2100, error="Ange ett årtal mellan 2000 och 2100."),
    )
    status = fields.String(
        load_default=RiskStatus.OPEN.value,
        validate=validate.OneOf([s.value for s in RiskStatus], error="Välj en status i listan."),
    )
    threatens = fields.List(fields.String(), load_default=list)
    owner = fields.String(load_default="")
    org_unit = fields.String(load_default="")
    version = WholeNumber(load_default=0, error_messages=MESSAGES)


def save_risk(qms: Qms, actor: Actor, data: Mapping[str, Any], risk_id: str | None = None) -> Risk:
    """Create a risk, or edit one (a re-assessment is an edit and lands in the change log)."""
    actor.require(Permission.EDIT_QUALITY)
    form = read_form(qms.store, RiskForm(), data, REFERENCES)
    loaded, picked, errors = form.fields, form.picked, form.errors
    matrix = current_matrix(qms.store)
    for name, size in (
        ("probability", len(matrix.probability_labels)),
        ("consequence", len(matrix.consequence_labels)),
    ):
        if name in loaded and not 1 <= loaded[name] <= size:
            errors[name] = [f"Välj ett steg från 1 till {size}."]
    if not picked["threatens"] and "threatens" not in errors:
        errors["threatens"] = ["Välj minst en process, aktivitet eller ett mål som risken hotar."]
    if errors:
        raise InvalidInput("Risken kunde inte sparas.", errors)
    require_edit(qms.store, actor, Permission.EDIT_QUALITY, Label.RISK, risk_id, picked["org_unit"])
    version = loaded.pop("version")
    loaded["status"] = RiskStatus(loaded["status"])
    links = {rel: picked[name] for name, rel in LINKS.items()}
    with qms.unit_of_work(actor.name) as uow:
        if risk_id is None:
            risk = Risk(id=new_id(uow, "risk", loaded["title"]), **loaded)
        else:
            risk = dataclasses.replace(fetch(uow, Risk, risk_id), version=version, **loaded)
        saved = save_entity(uow, qms.store, risk, links, new=risk_id is None)
    return cast(Risk, saved)


#: The risk form's reference fields, the labels each may pick and the link each becomes.
REFERENCES = {
    "threatens": THREATENED,
    "owner": (Label.ROLE,),
    "org_unit": (Label.ORG_UNIT,),
}
LINKS = {"threatens": Rel.THREATENS, "owner": Rel.OWNED_BY, "org_unit": Rel.BELONGS_TO}


@dataclass(frozen=True)
class Choices:
    """What the risk form offers in its lists."""

    threatened: tuple[NodeRef, ...]
    roles: tuple[NodeRef, ...]
    units: tuple[NodeRef, ...]


def units(qms: Qms) -> tuple[NodeRef, ...]:
    """The organisation units to filter by, by name."""
    return refs(qms.store, Label.ORG_UNIT)


def choices(qms: Qms) -> Choices:
    """Processes, activities, goals, roles and units to pick from, by name."""
    store = qms.store
    return Choices(refs(store, *THREATENED), refs(store, Label.ROLE), refs(store, Label.ORG_UNIT))


def form_values(qms: Qms, risk_id: str) -> dict[str, Any]:
    """A stored risk as the form shows it."""
    risk = fetch(qms.store, Risk, risk_id)

    def targets(rel: Rel) -> list[str]:
        return [link.target for link in qms.store.outgoing(Label.RISK, risk_id, rel)]

    return {
        **risk.content(),
        "status": risk.status.value,
        "version": risk.version,
        "threatens": targets(Rel.THREATENS),
        "owner": next(iter(targets(Rel.OWNED_BY)), ""),
        "org_unit": next(iter(targets(Rel.BELONGS_TO)), ""),
    }


def years(qms: Qms) -> list[int]:
    """The years risks are registered for, latest first."""
    found = {r.year for r in qms.store.entities(Label.RISK) if isinstance(r, Risk) and r.year}
    return sorted(found, reverse=True)
