"""``/avvikelser``: report an avvikelse from any page, the register, and handling a case."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response

from qms.domain.deviation_flow import IVO_REPORT_DAYS, IVO_WARNING_DAYS
from qms.domain.errors import InvalidInput, NotFound
from qms.domain.kinds import (
    INCIDENT_CLASSES,
    DeviationKind,
    DeviationStatus,
    IncidentClass,
)
from qms.domain.labels import Label
from qms.services.access import Permission
from qms.services.deviations import Deviations, StaleVersion
from web import labels
from web.services import current_actor, get_qms, today
from web.translate import Terms

bp = Blueprint("deviations", __name__)
Page = str | tuple[str, int] | Response

STATUSES = Terms(labels.DEVIATION_STATUSES)
KINDS = Terms(labels.DEVIATION_KINDS)
KIND_HINTS = Terms(
    {
        DeviationKind.DEVIATION: _l("Something did not go as it should"),
        DeviationKind.COMPLAINT: _l("A user or relative is dissatisfied"),
        DeviationKind.SUGGESTION: _l("An idea or an opinion"),
        DeviationKind.LEX_SARAH: _l("Misconduct or risk of misconduct (SoL, LSS)"),
        DeviationKind.LEX_MARIA: _l("Care injury or risk of care injury (HSL)"),
    }
)
CLASSES = Terms(
    {
        IncidentClass.MISCONDUCT: _l("Misconduct"),
        IncidentClass.RISK_OF_MISCONDUCT: _l("Substantial risk of misconduct"),
        IncidentClass.CARE_INJURY: _l("Care injury"),
        IncidentClass.RISK_OF_CARE_INJURY: _l("Risk of care injury"),
    }
)
#: Query parameters of a pre-filled report link → the service's names.
PREFILL = {
    "resultat": "result",
    "risk": "risk",
    "process": "process",
    "aktivitet": "activity",
    "enhet": "org_unit",
}
FILTERS = {"status": "status", "typ": "kind", "enhet": "org_unit", "process": "process"}
REPORT_FIELDS = (
    "title",
    "description",
    "occurred_on",
    "kind",
    "process",
    "activity",
    "org_unit",
    "location",
    "reported_by",
    "raised_by",
    "realises",
)
UPDATE_FIELDS = (
    "title",
    "description",
    "kind",
    "occurred_on",
    "location",
    "reported_by",
    "investigator",
    "follow_up_on",
    "follow_up_outcome",
)


def service() -> Deviations:
    """The avvikelse service of this app (IVO days from the settings, when set)."""
    days = int(current_app.config.get("IVO_REPORT_DAYS") or IVO_REPORT_DAYS)
    return Deviations(get_qms(), today=today, ivo_report_days=days)


@bp.context_processor
def _terms() -> dict[str, Any]:
    return {
        "deviation_statuses": STATUSES,
        "deviation_kinds": KINDS,
        "deviation_kind_hints": KIND_HINTS,
        "incident_classes": CLASSES,
        "classes_of": INCIDENT_CLASSES,
        "action_statuses": Terms(labels.ACTION_STATUSES),
        "status_line": tuple(DeviationStatus),
        "ivo_warning_days": IVO_WARNING_DAYS,
    }


def _form(names: tuple[str, ...]) -> dict[str, str]:
    return {name: request.form[name] for name in names if name in request.form}


def _version() -> int:
    try:
        return int(request.form.get("version", ""))
    except ValueError:
        raise InvalidInput(
            gettext("The form is out of date. Reload the page and try again."),
            {"version": [gettext("Missing or invalid version.")]},
        ) from None


@bp.get("/avvikelser")
def index() -> str:
    """The register with its filters; only counts for those who may not read the cases."""
    svc = service()
    filters = {key: request.args[arg] for arg, key in FILTERS.items() if request.args.get(arg)}
    register = svc.list(current_actor(), filters)
    return render_template(
        "quality/deviations.html",
        register=register,
        choices=svc.choices(with_activities=False),
        filters=filters,
    )


@bp.route("/avvikelser/ny", methods=["GET", "POST"])
def new() -> Page:
    """The minimal report form; pre-filled from ``?resultat=``, ``?process=`` … Visitors who
    may not report (not signed in, on a server without public reporting) sign in first."""
    svc = service()
    if not current_actor().can(Permission.REPORT_DEVIATIONS):
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")), code=303)
    if request.method == "GET":
        given = {key: request.args[arg] for arg, key in PREFILL.items() if request.args.get(arg)}
        values = {k: _text(v) for k, v in svc.prefill(given).items()}
        values.setdefault("occurred_on", svc.today.isoformat())
        return _report_form(svc, values, {})
    values = _form(REPORT_FIELDS)
    try:
        deviation = svc.report(current_actor(), values)
    except InvalidInput as exc:
        return _report_form(svc, values, exc.errors), 422
    return redirect(url_for(".receipt", deviation_id=deviation.id), code=303)


def _text(value: Any) -> str:
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _report_form(svc: Deviations, values: Mapping[str, str], errors: Any) -> str:
    process = values.get("process") or None
    if process is not None and get_qms().store.label_of(process) is not Label.PROCESS:
        process = None
    return render_template(
        "quality/deviation_new.html",
        values=values,
        errors=errors,
        choices=svc.choices(process),
        today=svc.today,
    )


@bp.get("/avvikelser/<deviation_id>/kvitto")
def receipt(deviation_id: str) -> str:
    """The case number of a new report, and what happens next."""
    if get_qms().store.label_of(deviation_id) is not Label.DEVIATION:
        raise NotFound(Label.DEVIATION, deviation_id)
    actor = current_actor()
    return render_template(
        "quality/deviation_receipt.html",
        deviation_id=deviation_id,
        may_read=actor.can(Permission.READ_PERSONAL_DATA),
    )


@bp.get("/avvikelser/<deviation_id>")
def show(deviation_id: str) -> str:
    """The case: its progress, what the next step needs, and the forms to get there."""
    return _case_page(deviation_id)


def _case_page(
    deviation_id: str,
    forms: Mapping[str, Any] | None = None,
    conflict: list[str] | None = None,
) -> str:
    view = service().view(current_actor(), deviation_id)
    return render_template(
        "quality/deviation.html",
        view=view,
        dev=view.deviation,
        forms=forms or {},
        conflict=conflict,
    )


def _handle(deviation_id: str, form: str, write: Callable[[Deviations], str], anchor: str) -> Page:
    """Run one write of the case page; re-render the page with errors when it is refused."""
    try:
        message = write(service())
    except InvalidInput as exc:
        submitted = {"values": request.form.to_dict(), "errors": exc.errors, "message": exc.message}
        return _case_page(deviation_id, {form: submitted}), 422
    except StaleVersion as exc:
        return _case_page(deviation_id, conflict=exc.changes or [str(exc)]), 409
    flash(message)
    return redirect(url_for(".show", deviation_id=deviation_id, _anchor=anchor), code=303)


@bp.post("/avvikelser/<deviation_id>/uppgifter")
def update(deviation_id: str) -> Page:
    """The investigator's edits."""

    def write(svc: Deviations) -> str:
        svc.update(current_actor(), deviation_id, _form(UPDATE_FIELDS), _version())
        return str(gettext("The case was saved."))

    return _handle(deviation_id, "update", write, "utredning")


@bp.post("/avvikelser/<deviation_id>/orsaker")
def add_cause(deviation_id: str) -> Page:
    """A root cause."""

    def write(svc: Deviations) -> str:
        svc.add_cause(current_actor(), deviation_id, _form(("description", "category")))
        return str(gettext("The cause was added."))

    return _handle(deviation_id, "cause", write, "orsaker")


@bp.post("/avvikelser/<deviation_id>/atgarder")
def add_action(deviation_id: str) -> Page:
    """An action and the causes it addresses."""

    def write(svc: Deviations) -> str:
        data = _form(("title", "description", "status", "due_on"))
        svc.add_action(current_actor(), deviation_id, data, request.form.getlist("causes"))
        return str(gettext("The action was added."))

    return _handle(deviation_id, "action", write, "atgarder")


@bp.post("/avvikelser/<deviation_id>/klassning")
def classify(deviation_id: str) -> Page:
    """Lex Sarah / lex Maria classification."""

    def write(svc: Deviations) -> str:
        names = ("incident_class", "serious", "serious_decided_by", "serious_decided_on")
        svc.classify(current_actor(), deviation_id, _form(names), _version())
        return str(gettext("The classification was saved."))

    return _handle(deviation_id, "classify", write, "klassning")


@bp.post("/avvikelser/<deviation_id>/ivo")
def ivo_report(deviation_id: str) -> Page:
    """The report to IVO."""

    def write(svc: Deviations) -> str:
        names = ("reported_to_ivo_on", "ivo_reference")
        svc.record_ivo_report(current_actor(), deviation_id, _form(names), _version())
        return str(gettext("The report to IVO was recorded."))

    return _handle(deviation_id, "ivo", write, "ivo")


@bp.post("/avvikelser/<deviation_id>/status")
def move(deviation_id: str) -> Page:
    """One step along the workflow (with the step's own fields)."""

    def write(svc: Deviations) -> str:
        target = request.form.get("target", "")
        data = _form(("investigator", "follow_up_on", "follow_up_outcome"))
        moved = svc.move(current_actor(), deviation_id, target, _version(), data)
        status = STATUSES[moved.deviation.status]
        message = str(gettext("The case is now: %(status)s.", status=status))
        if moved.reassess:
            names = ", ".join(f"”{risk.title}”" for risk in moved.reassess)
            message += " " + str(gettext("Re-assess the risk it realised: %(risks)s.", risks=names))
        return message

    return _handle(deviation_id, "move", write, "steg")
