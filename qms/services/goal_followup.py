"""Goal follow-up writes: a målbedömning per tertial and an indicator's utfall per tertial."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Mapping
from typing import Any, cast

from marshmallow import ValidationError, fields, validate, validates_schema

from qms.domain.entities import Entity, GoalAssessment, Indicator, IndicatorOutcome
from qms.domain.errors import InvalidInput
from qms.domain.graph import Link
from qms.domain.kinds import Verdict
from qms.domain.labels import Label, Rel
from qms.services.access import Actor, Permission
from qms.services.app import Qms
from qms.services.org_units import require_in
from qms.services.schemas import MESSAGES, QmsSchema

TEXT = validate.Length(max=20000, error="Högst {max} tecken.")
NUMBER = MESSAGES | {"invalid": "Ange ett tal."}
WHOLE = MESSAGES | {"invalid": "Ange ett heltal."}


class _Period(QmsSchema):
    year = fields.Integer(
        required=True,
        strict=False,
        error_messages=WHOLE,
        validate=validate.Range(2000, 2100, error="Ange ett årtal mellan 2000 och 2100."),
    )
    tertial = fields.Integer(
        required=True,
        error_messages=WHOLE,
        validate=validate.OneOf(
            [1, 2, 3], error="Ange tertial 1, 2 eller 3 (3 = verksamhetsberättelsen)."
        ),
    )


class AssessmentForm(_Period):
    """Målbedömning: verdict and analysis; planned actions required unless met."""

    verdict = fields.String(
        required=True,
        error_messages=MESSAGES,
        validate=validate.OneOf(
            [v.value for v in Verdict], error="Välj uppfyllt, delvis uppfyllt eller ej uppfyllt."
        ),
    )
    analysis = fields.String(required=True, error_messages=MESSAGES, validate=TEXT)
    planned_actions = fields.String(load_default="", error_messages=MESSAGES, validate=TEXT)

    @validates_schema(skip_on_field_errors=False)
    def _plans(self, data: dict[str, Any], **kwargs: Any) -> None:
        errors: dict[str, list[str]] = {}
        if "analysis" in data and not data["analysis"].strip():
            errors["analysis"] = ["Skriv en analys av måluppfyllelsen."]
        unmet = data.get("verdict") in (Verdict.PARTLY_MET, Verdict.NOT_MET)
        if unmet and not data.get("planned_actions", "").strip():
            errors["planned_actions"] = ["Ange planerade åtgärder när målet inte är uppfyllt."]
        if errors:
            raise ValidationError(errors)


class OutcomeForm(_Period):
    """Utfall of one indicator for a tertial, split by kön where known."""

    indicator = fields.String(required=True, error_messages=MESSAGES)
    value = fields.Float(required=True, allow_nan=False, error_messages=NUMBER)
    women = fields.Float(load_default=None, allow_none=True, allow_nan=False, error_messages=NUMBER)
    men = fields.Float(load_default=None, allow_none=True, allow_nan=False, error_messages=NUMBER)
    comment = fields.String(load_default="", error_messages=MESSAGES, validate=TEXT)


def _load(schema: QmsSchema, form: Mapping[str, Any], what: str) -> dict[str, Any]:
    """Validated data; blank form fields count as not given."""
    given = {k: v for k, v in form.items() if not (isinstance(v, str) and not v.strip())}
    try:
        data: dict[str, Any] = schema.load(given)
    except ValidationError as exc:
        errors = exc.messages if isinstance(exc.messages, dict) else {"_schema": exc.messages}
        raise InvalidInput(
            f"{what} kunde inte sparas: rätta de markerade fälten.",
            {
                str(k): [str(m) for m in v] if isinstance(v, list) else [str(v)]
                for k, v in errors.items()
            },
        ) from exc
    return data


def _new_id(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def record_assessment(
    qms: Qms, actor: Actor, goal_id: str, form: Mapping[str, Any]
) -> GoalAssessment:
    """Record (or revise) the målbedömning of one tertial, in one unit of work."""
    require_in(qms.store, actor, Permission.EDIT_QUALITY, Label.GOAL, goal_id)
    data = _load(AssessmentForm(), form, "Målbedömningen")
    existing = _same_period(qms, Label.GOAL, goal_id, Rel.HAS_ASSESSMENT, data)
    content = {**data, "verdict": Verdict(data["verdict"])}
    with qms.unit_of_work(actor.name) as uow:
        if existing is not None:
            current = uow.get(Label.GOAL_ASSESSMENT, existing)
            saved = uow.update(dataclasses.replace(current, **content))
        else:
            saved = uow.add(GoalAssessment(id=_new_id("ga"), **content))
            uow.link(Link(Rel.HAS_ASSESSMENT, goal_id, saved.id))
    return cast(GoalAssessment, saved)


def record_outcome(
    qms: Qms, actor: Actor, goal_id: str, indicator_ids: set[str], form: Mapping[str, Any]
) -> IndicatorOutcome:
    """Record (or revise) an indicator's utfall for a tertial; the latest becomes its outcome."""
    require_in(qms.store, actor, Permission.EDIT_QUALITY, Label.GOAL, goal_id)
    data = _load(OutcomeForm(), form, "Utfallet")
    indicator_id = data.pop("indicator")
    if indicator_id not in indicator_ids:
        raise InvalidInput(
            "Utfallet kunde inte sparas: rätta de markerade fälten.",
            {"indicator": ["Välj en av målets indikatorer."]},
        )
    existing = _same_period(qms, Label.INDICATOR, indicator_id, Rel.HAS_OUTCOME, data)
    latest = _is_latest(qms, indicator_id, data)
    with qms.unit_of_work(actor.name) as uow:
        saved: Entity
        if existing is not None:
            current = uow.get(Label.INDICATOR_OUTCOME, existing)
            saved = uow.update(dataclasses.replace(current, **data))
        else:
            saved = uow.add(IndicatorOutcome(id=_new_id("io"), **data))
            uow.link(Link(Rel.HAS_OUTCOME, indicator_id, saved.id))
        if latest:
            indicator = cast(Indicator, uow.get(Label.INDICATOR, indicator_id))
            uow.update(dataclasses.replace(indicator, outcome_value=data["value"]))
    return cast(IndicatorOutcome, saved)


def _same_period(qms: Qms, label: Label, owner: str, rel: Rel, data: dict[str, Any]) -> str | None:
    """The id of the owner's assessment or outcome for the same year and tertial, if any."""
    for node in qms.store.neighbourhood(label, owner).out(rel):
        if (getattr(node, "year", None), getattr(node, "tertial", None)) == (
            data["year"],
            data["tertial"],
        ):
            return node.id
    return None


def _is_latest(qms: Qms, indicator_id: str, data: dict[str, Any]) -> bool:
    period = (data["year"], data["tertial"])
    return all(
        (getattr(o, "year", 0), getattr(o, "tertial", 0)) <= period
        for o in qms.store.neighbourhood(Label.INDICATOR, indicator_id).out(Rel.HAS_OUTCOME)
    )
