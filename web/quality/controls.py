"""``/internkontroll``: the internkontrollplan, kontrollmoment and their results."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from qms.domain.errors import InvalidInput
from qms.domain.kinds import Frequency, InspectionOutcome
from qms.domain.labels import Label
from qms.services import controls, risks
from qms.services.access import Permission
from web.quality.risks import FREQUENCIES, OUTCOMES, filters, form_data
from web.services import current_actor, get_qms

bp = Blueprint("controls", __name__)


@bp.get("/internkontroll")
def index() -> str:
    """The plan of a unit and year: risks at the threshold and above, gaps first to see."""
    qms = get_qms()
    chosen = filters()
    matrix = risks.current_matrix(qms.store)
    entries = controls.control_plan(qms, chosen, matrix)
    return render_template(
        "quality/controls.html",
        entries=entries,
        gaps=[e for e in entries if not e.controls],
        matrix=matrix,
        chosen=chosen,
        years=risks.years(qms),
        units=risks.units(qms),
        can_edit=current_actor().can(Permission.EDIT_QUALITY),
    )


@bp.get("/internkontroll/<control_id>")
def show(control_id: str) -> str | tuple[str, int]:
    """One kontrollmoment with its result form."""
    return _show(control_id, {}, {})


def _show(
    control_id: str, values: dict[str, Any], errors: dict[str, list[str]], status: int = 200
) -> tuple[str, int]:
    view, targets = controls.control(get_qms(), control_id)
    values = {
        "result": view.control.result,
        "outcome": view.control.outcome.value if view.control.outcome else "",
        **values,
        "version": view.control.version,
    }
    page = render_template(
        "quality/control.html",
        view=view,
        risks=[t for t in targets if t.label is Label.RISK],
        others=[t for t in targets if t.label is not Label.RISK],
        values=values,
        errors=errors,
        outcome_options=[(o.value, OUTCOMES[o]) for o in InspectionOutcome],
        can_edit=current_actor().can(Permission.EDIT_QUALITY),
    )
    return page, status


@bp.post("/internkontroll/<control_id>/resultat")
def record(control_id: str) -> Response | tuple[str, int]:
    """Record the result of a kontrollmoment."""
    data = form_data()
    try:
        controls.record_control_result(get_qms(), current_actor(), control_id, data)
    except InvalidInput as exc:
        return _show(control_id, data, exc.errors, 422)
    return redirect(url_for("controls.show", control_id=control_id), 303)


def _form(
    risk_id: str,
    control_id: str | None,
    values: dict[str, Any],
    errors: dict[str, list[str]],
    status: int = 200,
) -> tuple[str, int]:
    qms = get_qms()
    risk = qms.store.get(Label.RISK, risk_id)
    page = render_template(
        "quality/control_form.html",
        risk=risk,
        control_id=control_id,
        values=values,
        errors=errors,
        frequency_options=[(f.value, FREQUENCIES[f]) for f in Frequency],
        role_options=[(r.id, r.caption) for r in risks.choices(qms).roles],
    )
    return page, status


@bp.route("/internkontroll/ny/<risk_id>", methods=["GET", "POST"])
def create(risk_id: str) -> Response | tuple[str, int]:
    """Add a kontrollmoment to a risk."""
    actor = current_actor()
    actor.require(Permission.EDIT_QUALITY)
    if request.method == "GET":
        return _form(risk_id, None, {"frequency": Frequency.TERTIAL.value}, {})
    data = form_data()
    try:
        saved = controls.save_control(get_qms(), actor, risk_id, data)
    except InvalidInput as exc:
        return _form(risk_id, None, data, exc.errors, 422)
    return redirect(url_for("controls.show", control_id=saved.id), 303)


@bp.route("/internkontroll/<control_id>/andra", methods=["GET", "POST"])
def edit(control_id: str) -> Response | tuple[str, int]:
    """Edit a kontrollmoment (method, frequency, ansvarig, reporting)."""
    actor = current_actor()
    actor.require(Permission.EDIT_QUALITY)
    qms = get_qms()
    _, targets = controls.control(qms, control_id)
    risk_id = next((t.id for t in targets if t.label is Label.RISK), None)
    if risk_id is None:
        raise InvalidInput("Kontrollmomentet hör inte till någon risk.")
    if request.method == "GET":
        return _form(risk_id, control_id, controls.form_values(qms, control_id), {})
    data = form_data()
    try:
        controls.save_control(qms, actor, risk_id, data, control_id)
    except InvalidInput as exc:
        return _form(risk_id, control_id, data, exc.errors, 422)
    return redirect(url_for("controls.show", control_id=control_id), 303)
