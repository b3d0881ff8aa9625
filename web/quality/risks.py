"""``/risker``: the risk register with its heat map, one risk, the risk form and the matrix."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from flask import Blueprint, redirect, render_template, request, url_for
from flask.blueprints import BlueprintSetupState
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from werkzeug.wrappers import Response

from qms.domain.entities import Risk
from qms.domain.errors import InvalidInput
from qms.domain.kinds import RiskStatus
from qms.domain.labels import Label
from qms.domain.risk_matrix import DEFAULT, MAX_STEPS, scale_label
from qms.services import risks
from qms.services.access import Permission
from qms.services.heatmap import heatmap_svg
from web import labels
from web.portal import href
from web.services import current_actor, get_qms, today
from web.translate import Terms

bp = Blueprint("risks", __name__)

RISK_STATUSES = Terms(labels.RISK_STATUSES)
FREQUENCIES = Terms(labels.FREQUENCIES)
OUTCOMES = Terms(labels.INSPECTION_OUTCOMES)
NODE_KINDS = Terms(labels.NODE_KINDS)
ROUTINE_ANSWERS = Terms({"yes": _l("Yes"), "partly": _l("Partly"), "no": _l("No")})
#: Where a threatened node or a checked node is shown (None: no page of its own yet).
ITEM_PAGES: dict[Label, Callable[[str], str]] = {
    Label.RISK: lambda i: url_for("risks.show", risk_id=i),
}


def item_url(label: Label, entity_id: str) -> str | None:
    """The page of a linked node: the portal's for processes and activities, ours for risks."""
    if label in (Label.PROCESS, Label.ACTIVITY, Label.ROLE, Label.DOCUMENT):
        return href(label, entity_id)
    page = ITEM_PAGES.get(label)
    return page(entity_id) if page else None


@bp.record_once
def _globals(state: BlueprintSetupState) -> None:
    """Names every quality template (and its imported macros) may use."""
    state.app.jinja_env.globals.update(helpers())


def helpers() -> dict[str, Any]:
    """The template globals of the quality pages."""
    return {
        "risk_statuses": RISK_STATUSES,
        "frequencies": FREQUENCIES,
        "outcomes": OUTCOMES,
        "routine_answers": ROUTINE_ANSWERS,
        "node_kinds": NODE_KINDS,
        "item_url": item_url,
        "scale_label": scale_label,
    }


def form_data(lists: Iterable[str] = ()) -> dict[str, Any]:
    """The posted form as a service takes it: blank fields left out, list fields as lists."""
    many = set(lists)
    data: dict[str, Any] = {}
    for key in request.form:
        if key in many:
            data[key] = [v for v in request.form.getlist(key) if v.strip()]
        elif (value := request.form.get(key, "")).strip():
            data[key] = value
    return data


def steps(labels: tuple[str, ...]) -> list[tuple[int, str]]:
    """A scale as select options: ``(2, "2 - Mindre sannolikt")``."""
    return [(n, scale_label(labels, n)) for n in range(1, len(labels) + 1)]


def filters() -> risks.RiskFilter:
    """The register's filters from the query string (year: this year when risks exist for it)."""
    unit = request.args.get("enhet", "").strip() or None
    year_text = request.args.get("ar")
    if year_text is None:
        known = risks.years(get_qms())
        year = today().year if today().year in known else (known[0] if known else None)
    else:
        year = int(year_text) if year_text.strip().isdigit() else None
    return risks.RiskFilter(unit=unit, year=year)


def heatmap(rows: list[risks.RiskRow], matrix: Any) -> Markup:
    """The heat map of the rows, markers linking to each risk."""
    svg = heatmap_svg(
        matrix, [row.risk for row in rows], link=lambda r: url_for("risks.show", risk_id=r.id)
    )
    return Markup(svg)  # noqa: S704 - built by heatmap_svg, every text escaped there


@bp.get("/risker")
def index() -> str:
    """The register of a unit and year, highest risk first, with the heat map on top."""
    qms = get_qms()
    chosen = filters()
    matrix = risks.current_matrix(qms.store)
    rows = risks.register(qms, chosen, matrix)
    return render_template(
        "quality/risks.html",
        rows=rows,
        matrix=matrix,
        heatmap=heatmap(rows, matrix),
        chosen=chosen,
        years=risks.years(qms),
        units=risks.units(qms),
        can_edit=current_actor().can(Permission.EDIT_QUALITY),
    )


@bp.get("/risker/<risk_id>")
def show(risk_id: str) -> str:
    """Everything about one risk."""
    qms = get_qms()
    matrix = risks.current_matrix(qms.store)
    return render_template(
        "quality/risk.html",
        page=risks.detail(qms, risk_id, matrix),
        matrix=matrix,
        can_edit=current_actor().can(Permission.EDIT_QUALITY),
    )


def _form(
    values: dict[str, Any], errors: dict[str, list[str]], risk_id: str | None, status: int = 200
) -> tuple[str, int]:
    qms = get_qms()
    matrix = risks.current_matrix(qms.store)
    choices = risks.choices(qms)
    options = {
        "probability": steps(matrix.probability_labels),
        "consequence": steps(matrix.consequence_labels),
        "roles": [(ref.id, ref.caption) for ref in choices.roles],
        "units": [(ref.id, ref.caption) for ref in choices.units],
        "statuses": [(s.value, RISK_STATUSES[s]) for s in RiskStatus],
    }
    page = render_template(
        "quality/risk_form.html",
        values=values,
        errors=errors,
        risk_id=risk_id,
        choices=choices,
        options=options,
    )
    return page, status


@bp.route("/risker/ny", methods=["GET", "POST"])
def create() -> Response | tuple[str, int]:
    """A new risk."""
    current_actor().require(Permission.EDIT_QUALITY)
    if request.method == "GET":
        values = {"year": today().year, "status": RiskStatus.OPEN.value, "threatens": []}
        if request.args.get("enhet"):
            values["org_unit"] = request.args["enhet"]
        return _form(values, {}, None)
    return _save(None)


@bp.route("/risker/<risk_id>/andra", methods=["GET", "POST"])
def edit(risk_id: str) -> Response | tuple[str, int]:
    """Edit or re-assess a risk."""
    current_actor().require(Permission.EDIT_QUALITY)
    if request.method == "GET":
        return _form(risks.form_values(get_qms(), risk_id), {}, risk_id)
    return _save(risk_id)


def _save(risk_id: str | None) -> Response | tuple[str, int]:
    data = form_data(lists=("threatens",))
    try:
        saved: Risk = risks.save_risk(get_qms(), current_actor(), data, risk_id)
    except InvalidInput as exc:
        values = {**data, "threatens": data.get("threatens", [])}
        return _form(values, exc.errors, risk_id, 422)
    return redirect(url_for("risks.show", risk_id=saved.id), 303)


@bp.route("/riskmatris", methods=["GET", "POST"])
def matrix() -> Response | tuple[str, int]:
    """Edit the risk matrix: step names, levels, colours, the control threshold."""
    current_actor().require(Permission.EDIT_QUALITY)
    qms = get_qms()
    stored = risks.current_matrix(qms.store)
    if request.method == "GET":
        return _matrix_form(_matrix_values(stored), {}, stored is DEFAULT)
    data = _matrix_data()
    try:
        risks.save_matrix(qms, current_actor(), data)
    except InvalidInput as exc:
        return _matrix_form(data, exc.errors, stored is DEFAULT, 422)
    return redirect(url_for("risks.index"), 303)


LEVEL_ROWS = 6


def _matrix_values(matrix: Any) -> dict[str, Any]:
    values = {"name": matrix.name, "control_threshold": matrix.control_threshold}
    values["version"] = matrix.version
    for name in risks.MATRIX_LISTS:
        values[name] = list(getattr(matrix, name))
    return values


def _matrix_data() -> dict[str, Any]:
    form = request.form
    data: dict[str, Any] = {
        "name": form.get("name", ""),
        "version": form.get("version", "0"),
        "probability_labels": [v for v in form.getlist("probability_labels") if v.strip()],
        "consequence_labels": [v for v in form.getlist("consequence_labels") if v.strip()],
    }
    if form.get("control_threshold", "").strip():
        data["control_threshold"] = form["control_threshold"]
    rows = zip(
        form.getlist("level_names"),
        form.getlist("level_colours"),
        form.getlist("level_minimums"),
        strict=False,
    )
    kept = [row for row in rows if row[0].strip() or row[2].strip()]
    data["level_names"] = [r[0] for r in kept]
    data["level_colours"] = [r[1] for r in kept]
    data["level_minimums"] = [r[2] for r in kept]
    return data


def _matrix_form(
    values: dict[str, Any], errors: dict[str, list[str]], default: bool, status: int = 200
) -> tuple[str, int]:
    page = render_template(
        "quality/risk_matrix.html",
        values=values,
        errors=errors,
        default=default,
        steps=MAX_STEPS,
        level_rows=max(LEVEL_ROWS, len(values.get("level_names", ()))),
    )
    return page, status
