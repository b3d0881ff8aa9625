"""``/mal``: the ILS goal chain, one goal's follow-up and exposure, and its forms."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, redirect, render_template, url_for
from werkzeug.wrappers import Response as BaseResponse

from qms.domain.entities import ID_PATTERN
from qms.domain.errors import InvalidInput, NotFound
from qms.domain.kinds import Verdict
from qms.domain.labels import Label
from qms.services import goal_followup, goals
from qms.services.access import Permission
from web.quality.goal_support import form_data, quality_graph, setup, unit_filter, year_filter
from web.services import current_actor, get_qms, today

bp = Blueprint("goals", __name__)
#: Items per list on a goal page: an inriktningsmål of a whole city is served by thousands.
SHOWN_PER_LIST = 200
bp.record_once(setup)


def _checked(goal_id: str) -> str:
    if not ID_PATTERN.match(goal_id):
        raise NotFound(Label.GOAL, goal_id[:100])
    return goal_id


@bp.get("/mal")
def index() -> str:
    """The goal tree, filtered by unit and year."""
    tree = goals.goal_tree(quality_graph(), unit_filter(), year_filter())
    return render_template("quality/goals.html", tree=tree)


def _page(goal_id: str, status: int = 200, **forms: Any) -> tuple[str, int]:
    actor = current_actor()
    page = goals.goal_page(quality_graph(), _checked(goal_id), actor)
    defaults = {"year": str(today().year), "tertial": str(_tertial_now())}
    html = render_template(
        "quality/goal.html",
        page=page,
        can_edit=actor.can(Permission.EDIT_QUALITY),
        verdict_choices=list(Verdict),
        assessment=forms.get("assessment") or dict(defaults),
        assessment_errors=forms.get("assessment_errors") or {},
        outcome=forms.get("outcome") or dict(defaults),
        outcome_errors=forms.get("outcome_errors") or {},
        shown=SHOWN_PER_LIST,
    )
    return html, status


def _tertial_now() -> int:
    return (today().month - 1) // 4 + 1


@bp.get("/mal/<goal_id>")
def show(goal_id: str) -> tuple[str, int]:
    """The goal page: results, indicators, initiatives, assessments, servers, threats."""
    return _page(goal_id)


@bp.post("/mal/<goal_id>/bedomning")
def assess(goal_id: str) -> BaseResponse | tuple[str, int]:
    """Record the målbedömning of a tertial; field errors re-render the page (422)."""
    form = form_data()
    try:
        goal_followup.record_assessment(get_qms(), current_actor(), _checked(goal_id), form)
    except InvalidInput as exc:
        return _page(goal_id, 422, assessment=form, assessment_errors=exc.errors)
    return redirect(url_for(".show", goal_id=goal_id, _anchor="bedomning"), 303)


@bp.post("/mal/<goal_id>/utfall")
def outcome(goal_id: str) -> BaseResponse | tuple[str, int]:
    """Record an indicator's utfall for a tertial; field errors re-render the page (422)."""
    form = form_data()
    page = goals.goal_page(quality_graph(), _checked(goal_id), current_actor())
    allowed = {row.indicator.id for row in page.indicators}
    try:
        goal_followup.record_outcome(get_qms(), current_actor(), goal_id, allowed, form)
    except InvalidInput as exc:
        return _page(goal_id, 422, outcome=form, outcome_errors=exc.errors)
    return redirect(url_for(".show", goal_id=goal_id, _anchor="indikatorer"), 303)
