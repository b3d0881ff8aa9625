"""The answers and queries of quality work: goals and their follow-up, risks, avvikelser."""

from __future__ import annotations

from typing import Any

from marshmallow import fields, post_dump, validate

from qms.domain.entities import Deviation
from qms.domain.kinds import DeviationKind, DeviationStatus
from qms.domain.labels import Label
from qms.services.deviation_schemas import FilterSchema
from web.api.schemas import (
    Dumped,
    Out,
    Paging,
    Ref,
    entity_out,
    extended,
    nested,
    paged,
    ref_list,
    unit_field,
    year_field,
)


# -- goals ---------------------------------------------------------------------------------
class GoalQuery(Paging):
    """Goals of a unit (and the units below it) valid in a year."""

    unit = unit_field()
    year = year_field()


AssessmentOut = entity_out(Label.GOAL_ASSESSMENT)
OutcomeOut = entity_out(Label.INDICATOR_OUTCOME)
GoalItem = extended(
    Label.GOAL,
    "GoalItem",
    parent=fields.String(required=True, allow_none=True),
    unit=fields.String(required=True, allow_none=True),
    latest_assessment=nested(AssessmentOut, allow_none=True),
)
GoalPage = paged(GoalItem, "GoalPage")
IndicatorDetail = extended(Label.INDICATOR, "IndicatorDetail", outcomes=ref_list(OutcomeOut))


class Contribution(Out):
    """A process or activity serving the goal, directly or through the goal ``via``."""

    node = nested(Ref)
    via = nested(Ref, allow_none=True)


GoalDetail = extended(
    Label.GOAL,
    "GoalDetail",
    chain=ref_list(),
    children=ref_list(),
    unit=nested(Ref, allow_none=True),
    expected_results=ref_list(entity_out(Label.EXPECTED_RESULT)),
    indicators=ref_list(IndicatorDetail),
    initiatives=ref_list(entity_out(Label.INITIATIVE)),
    assessments=ref_list(AssessmentOut),
    contributions=ref_list(Contribution),
)


# -- risks ---------------------------------------------------------------------------------
class RiskQuery(Paging):
    """Risks of a unit (and below) registered for a year."""

    unit = unit_field()
    year = year_field()


class Level(Out):
    """The band of the risk matrix a risk value falls in."""

    name = fields.String(required=True)
    colour = fields.String(required=True)
    minimum = fields.Integer(required=True)


RiskItem = extended(
    Label.RISK,
    "RiskItem",
    number=fields.Integer(required=True),
    value=fields.Integer(required=True),
    level=nested(Level),
    threatens=ref_list(),
    owner=nested(Ref, allow_none=True),
    unit=nested(Ref, allow_none=True),
    actions=ref_list(),
    routine=fields.String(
        required=True, allow_none=True, validate=validate.OneOf(["yes", "partly", "no"])
    ),
    controlled=fields.Boolean(required=True),
)
RiskPage = paged(RiskItem, "RiskPage")


class Realisation(Out):
    """An avvikelse that realised the risk (no free text); ``newer`` than the assessment."""

    id = fields.String(required=True)
    kind = fields.String(required=True)
    status = fields.String(required=True)
    occurred_on = fields.Date(required=True, allow_none=True)
    newer = fields.Boolean(required=True)


RiskDetail = type(
    "RiskDetail",
    (RiskItem,),
    {
        "controls": ref_list(),
        "inspections": ref_list(),
        "realisations": ref_list(Realisation),
    },
)


# -- avvikelser ----------------------------------------------------------------------------
class DeviationQuery(FilterSchema, Paging):
    """The register's filters (status, kind, org_unit, process) and paging."""


class Ivo(Out):
    """When a serious lex case must be reported to IVO, and how that stands today."""

    due = fields.Date(required=True)
    days_left = fields.Integer(required=True)
    reported_on = fields.Date(required=True, allow_none=True)
    overdue = fields.Boolean(required=True)
    approaching = fields.Boolean(required=True)


DeviationItem = extended(
    Label.DEVIATION,
    "DeviationItem",
    unit=fields.String(required=True),
    processes=fields.List(fields.String(), required=True),
    ivo=nested(Ivo, allow_none=True),
)


def _counts(values: type[Any]) -> fields.Dict:
    return fields.Dict(
        keys=fields.String(validate=validate.OneOf([v.value for v in values])),
        values=fields.Integer(),
        required=True,
    )


class DeviationPage(Out):
    """The register: counts of every case the filters select, rows of those the caller may
    read (``restricted`` when some are left out), a page of them."""

    items = fields.List(fields.Nested(DeviationItem), required=True)
    total = fields.Integer(required=True)
    shown = fields.Integer(required=True)
    limit = fields.Integer(required=True)
    offset = fields.Integer(required=True)
    restricted = fields.Boolean(required=True)
    truncated = fields.Boolean(required=True)
    by_status = _counts(DeviationStatus)
    by_kind = _counts(DeviationKind)


ActionOut = extended(Label.ACTION, "ActionOut", causes=fields.List(fields.String(), required=True))


class _Withheld:
    """Leaves the free-text fields out of an answer the caller may not read in full."""

    @post_dump
    def _withhold(self, data: Dumped, **kwargs: Any) -> Dumped:
        if data.get("restricted"):
            for name in Deviation.PERSONAL:
                data.pop(name, None)
        return data


DeviationDetail = type(
    "DeviationDetail",
    (_Withheld, entity_out(Label.DEVIATION)),
    {
        "restricted": fields.Boolean(required=True),
        "unit": nested(Ref, allow_none=True),
        "processes": ref_list(),
        "activities": ref_list(),
        "risks": ref_list(),
        "causes": ref_list(entity_out(Label.CAUSE)),
        "actions": ref_list(ActionOut),
        "cause_count": fields.Integer(required=True),
        "action_count": fields.Integer(required=True),
        "ivo": nested(Ivo, allow_none=True),
    },
)
