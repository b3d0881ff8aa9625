"""Goals and their follow-up, and the risk register."""

from __future__ import annotations

from typing import Any

from qms.services import api_reads, goal_followup, goals, risks
from qms.services.goals import GoalPage
from qms.services.risks import RiskDetail, RiskFilter, RiskRow
from web.api import quality_schemas as qs
from web.api import schemas as s
from web.api.core import api_actor, bp, operation
from web.api.portal import ref, refs
from web.quality.goal_support import quality_graph
from web.services import get_qms

GOALS = "Goals"
RISKS = "Risks"
WRITE_ERRORS = (403,)


@bp.get("/goals")
@operation("Goals", GOALS, qs.GoalPage, query=qs.GoalQuery)
def goal_list(query: dict[str, Any]) -> api_reads.Page[Any]:
    """The ILS chain as a flat list, top first: goals of ``unit`` (and the units below it)
    valid in ``year`` (goals without a year are valid every year)."""
    found = api_reads.goals(quality_graph(), query["unit"], query["year"])
    items = [
        s.flat(i.node.goal, parent=i.parent, unit=i.unit, latest_assessment=i.latest) for i in found
    ]
    return api_reads.paginate(items, query["limit"], query["offset"])


def _goal_page(goal_id: str) -> GoalPage:
    return goals.goal_page(quality_graph(), goal_id, api_actor())


@bp.get("/goals/<goal_id>")
@operation("One goal", GOALS, qs.GoalDetail)
def goal(goal_id: str) -> dict[str, Any]:
    """A goal with the chain above it, förväntade resultat, indikatorer with utfall per
    tertial, aktiviteter, målbedömningar and the processes and activities serving it."""
    page = _goal_page(goal_id)
    return s.flat(
        page.goal,
        chain=refs(page.chain),
        children=refs(page.children),
        unit=ref(page.unit),
        expected_results=[s.flat(e) for e in page.expected_results],
        indicators=[s.flat(row.indicator, outcomes=list(row.outcomes)) for row in page.indicators],
        initiatives=[s.flat(i) for i in page.initiatives],
        assessments=[row.assessment for row in page.assessments],
        contributions=list(page.contributions),
    )


@bp.post("/goals/<goal_id>/assessments")
@operation(
    "Record a målbedömning",
    GOALS,
    qs.AssessmentOut,
    status=201,
    body=goal_followup.AssessmentForm,
    errors=WRITE_ERRORS,
)
def assess(goal_id: str, body: dict[str, Any]) -> Any:
    """The målbedömning of a tertial (a second one for the same tertial replaces it):
    ``verdict`` met, partly_met or not_met, an ``analysis``, and ``planned_actions`` unless
    met."""
    _goal_page(goal_id)  # 404 for an unknown goal; the use case checks the caller's unit
    return goal_followup.record_assessment(get_qms(), api_actor(), goal_id, body)


@bp.post("/goals/<goal_id>/outcomes")
@operation(
    "Record an indicator outcome",
    GOALS,
    qs.OutcomeOut,
    status=201,
    body=goal_followup.OutcomeForm,
    errors=WRITE_ERRORS,
)
def outcome(goal_id: str, body: dict[str, Any]) -> Any:
    """An indicator's utfall for a tertial (``women``/``men`` where split by kön); the
    indicator must be one of the goal's. The latest tertial becomes the indicator's outcome."""
    allowed = {row.indicator.id for row in _goal_page(goal_id).indicators}
    return goal_followup.record_outcome(get_qms(), api_actor(), goal_id, allowed, body)


def risk_item(row: RiskRow, **extra: Any) -> dict[str, Any]:
    """A line of the register, as the API answers it."""
    return s.flat(
        row.risk,
        number=row.number,
        value=row.risk.value,
        level=row.level,
        threatens=list(row.threatens),
        owner=row.owner,
        unit=row.unit,
        actions=refs(row.actions),
        routine=row.routine,
        controlled=row.controlled,
        **extra,
    )


@bp.get("/risks")
@operation("The risk register", RISKS, qs.RiskPage, query=qs.RiskQuery)
def risk_list(query: dict[str, Any]) -> api_reads.Page[Any]:
    """The väsentlighets- och riskanalys of ``unit`` (and below) for ``year``, highest risk
    value first, with what each risk threatens, whether a rutin covers it and is controlled."""
    qms = get_qms()
    api_reads.check_unit(qms.store, query["unit"])
    rows = risks.register(qms, RiskFilter(query["unit"], query["year"]))
    items = [risk_item(row) for row in rows]
    return api_reads.paginate(items, query["limit"], query["offset"])


def _realisations(found: RiskDetail) -> list[dict[str, Any]]:
    return [
        {
            "id": r.deviation.id,
            "kind": r.deviation.kind.value,
            "status": r.deviation.status.value,
            "occurred_on": r.deviation.occurred_on,
            "newer": r.newer,
        }
        for r in found.realisations
    ]


@bp.get("/risks/<risk_id>")
@operation("One risk", RISKS, qs.RiskDetail)
def risk(risk_id: str) -> dict[str, Any]:
    """A risk with its register line, kontrollmoment, egenkontroller and the avvikelser that
    realised it (ids, kinds and dates only: their text may hold personal data)."""
    found = risks.detail(get_qms(), risk_id)
    return risk_item(
        found.row,
        controls=list(found.controls),
        inspections=list(found.inspections),
        realisations=_realisations(found),
    )
