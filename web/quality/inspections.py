"""``/egenkontroller``: the plan, the årshjul, what is overdue, and recording a result."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import format_date
from werkzeug.wrappers import Response

from qms.domain.entities import SelfInspection
from qms.domain.errors import InvalidInput
from qms.domain.kinds import Frequency, InspectionOutcome
from qms.services import inspections, risks
from qms.services.access import Permission
from web.quality.risks import FREQUENCIES, OUTCOMES, form_data
from web.services import current_actor, get_qms, today

bp = Blueprint("inspections", __name__)


def _unit() -> str | None:
    return request.args.get("enhet", "").strip() or None


@bp.get("/egenkontroller")
def index() -> str:
    """The plan of egenkontroller, the overdue ones first in a list of their own."""
    qms = get_qms()
    rows = inspections.inspection_plan(qms, today(), _unit())
    return render_template(
        "quality/inspections.html",
        rows=rows,
        overdue=[r for r in rows if r.overdue],
        units=risks.units(qms),
        chosen=risks.RiskFilter(unit=_unit()),
        today=today(),
        can_edit=current_actor().can(Permission.EDIT_QUALITY),
    )


@bp.route("/egenkontroller/ny", methods=["GET", "POST"])
def create() -> Response | tuple[str, int]:
    """Plan a new egenkontroll."""
    current_actor().require(Permission.EDIT_QUALITY)
    if request.method == "GET":
        values: dict[str, Any] = {"frequency": Frequency.YEARLY.value, "checks": []}
        values["checks"] = [
            request.args[k] for k in ("process", "aktivitet", "risk") if request.args.get(k)
        ]
        if request.args.get("enhet"):
            values["org_unit"] = request.args["enhet"]
        return _plan_form(values, {}, None)
    return _save_plan(None)


@bp.route("/egenkontroller/<inspection_id>/andra", methods=["GET", "POST"])
def edit(inspection_id: str) -> Response | tuple[str, int]:
    """Change what an egenkontroll checks, how, how often or who is responsible."""
    current_actor().require(Permission.EDIT_QUALITY)
    if request.method == "GET":
        return _plan_form(inspections.plan_values(get_qms(), inspection_id), {}, inspection_id)
    return _save_plan(inspection_id)


def _save_plan(inspection_id: str | None) -> Response | tuple[str, int]:
    data = form_data(lists=("checks",))
    try:
        saved: SelfInspection = inspections.save_inspection(
            get_qms(), current_actor(), data, inspection_id
        )
    except InvalidInput as exc:
        return _plan_form(
            {**data, "checks": data.get("checks", [])}, exc.errors, inspection_id, 422
        )
    return redirect(url_for("inspections.show", inspection_id=saved.id), 303)


def _plan_form(
    values: dict[str, Any],
    errors: dict[str, list[str]],
    inspection_id: str | None,
    status: int = 200,
) -> tuple[str, int]:
    choices = inspections.plan_choices(get_qms())
    options = {
        "frequencies": [(f.value, FREQUENCIES[f]) for f in Frequency],
        "roles": [(ref.id, ref.caption) for ref in choices["roles"]],
        "units": [(ref.id, ref.caption) for ref in choices["units"]],
    }
    page = render_template(
        "quality/inspection_form.html",
        values=values,
        errors=errors,
        inspection_id=inspection_id,
        checkable=choices["checks"],
        options=options,
    )
    return page, status


@bp.get("/egenkontroller/arshjul")
def wheel() -> str:
    """The årshjul of a year: egenkontroller and kontrollmoment by month."""
    text = request.args.get("ar", "")
    year = int(text) if text.isdigit() and 2000 <= int(text) <= 2100 else today().year
    qms = get_qms()
    months = inspections.year_wheel(qms, year, _unit())
    names = [format_date(date(year, m, 1), "LLLL") for m in range(1, 13)]
    return render_template(
        "quality/inspection_wheel.html",
        year=year,
        months=list(zip(names, months, strict=True)),
        units=risks.units(qms),
        chosen=risks.RiskFilter(unit=_unit()),
        today=today(),
    )


@bp.get("/egenkontroller/<inspection_id>")
def show(inspection_id: str) -> tuple[str, int]:
    """One egenkontroll, its results and the form to record a new one."""
    return _show(inspection_id, {}, {})


def _show(
    inspection_id: str, values: dict[str, Any], errors: dict[str, list[str]], status: int = 200
) -> tuple[str, int]:
    page = inspections.detail(get_qms(), inspection_id, today())
    values = {
        "performed_on": today().isoformat(),
        **values,
        "version": page.row.inspection.version,
    }
    html = render_template(
        "quality/inspection.html",
        page=page,
        values=values,
        errors=errors,
        outcome_options=[(o.value, OUTCOMES[o]) for o in InspectionOutcome],
        can_edit=current_actor().can(Permission.EDIT_QUALITY),
        today=today(),
    )
    return html, status


@bp.post("/egenkontroller/<inspection_id>/resultat")
def record(inspection_id: str) -> Response | tuple[str, int]:
    """Record a run; the egenkontroll's next due date moves on."""
    data = form_data()
    try:
        result = inspections.record_result(get_qms(), current_actor(), inspection_id, data, today())
    except InvalidInput as exc:
        return _show(inspection_id, data, exc.errors, 422)
    target = url_for("inspections.show", inspection_id=inspection_id, _anchor=f"r-{result.id}")
    return redirect(target, 303)
