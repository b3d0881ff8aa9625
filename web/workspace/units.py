"""``/arbetsyta/enheter``: a new organisation unit, optionally started from the styrprocesser."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response

from qms.domain.entities import OrgUnit, Process
from qms.domain.errors import InvalidInput, NotFound
from qms.domain.kinds import OrgLevel
from qms.domain.labels import Label, Rel
from qms.services import templates
from qms.services.access import Permission
from web.services import current_actor, get_qms

bp = Blueprint("ws_units", __name__)

#: The UI names of the organisation levels (Swedish in the catalogue).
LEVELS = {
    OrgLevel.COUNCIL: _l("Council"),
    OrgLevel.COMMITTEE: _l("Committee"),
    OrgLevel.ADMINISTRATION: _l("Administration"),
    OrgLevel.DEPARTMENT: _l("Department"),
    OrgLevel.UNIT: _l("Unit"),
}


def _form(
    values: dict[str, Any], errors: dict[str, list[str]], status: int = 200
) -> tuple[str, int]:
    store = get_qms().store
    units = sorted(store.entities(Label.ORG_UNIT), key=lambda u: u.caption.casefold())
    page = render_template(
        "workspace/unit_new.html",
        values=values,
        errors=errors,
        level_options=[(lv.value, LEVELS[lv]) for lv in OrgLevel],
        unit_options=[(u.id, u.caption) for u in units],
        offered=templates.template_processes(),
    )
    return page, status


@bp.route("/arbetsyta/enheter/ny", methods=["GET", "POST"])
def create() -> Response | tuple[str, int]:
    """Create an organisation unit; the chosen styrprocesser are copied into it at once."""
    actor = current_actor()
    actor.require(Permission.EDIT_PROCESSES)
    if request.method == "GET":
        offered = [p.id for p in templates.template_processes()]
        return _form({"level": OrgLevel.UNIT.value, "processes": offered}, {})
    data: dict[str, Any] = {k: v for k, v in request.form.items() if k != "processes"}
    data["processes"] = request.form.getlist("processes")
    try:
        report = templates.create_unit(get_qms(), actor, data)
    except InvalidInput as exc:
        return _form(data, exc.errors, 422)
    left_out = ",".join(report.dropped[:20])
    target = url_for("ws_units.show", unit_id=report.unit.id, ny=1, utan=left_out or None)
    return redirect(target, 303)


@bp.get("/arbetsyta/enheter/<unit_id>")
def show(unit_id: str) -> str:
    """A unit with the processes that belong to it (the copies of the template, at first)."""
    actor = current_actor()
    actor.require(Permission.EDIT_PROCESSES)
    store = get_qms().store
    unit = store.get(Label.ORG_UNIT, unit_id)
    if not isinstance(unit, OrgUnit):
        raise NotFound(Label.ORG_UNIT, unit_id)
    members = store.neighbours(Label.ORG_UNIT, unit_id, Rel.BELONGS_TO, "in")
    processes = [
        p
        for ref in members
        if ref.label is Label.PROCESS and isinstance(p := store.get(Label.PROCESS, ref.id), Process)
    ]
    parents = store.neighbours(Label.ORG_UNIT, unit_id, Rel.PART_OF)
    return render_template(
        "workspace/unit.html",
        unit=unit,
        level=LEVELS[unit.level],
        parent=parents[0] if parents else None,
        processes=sorted(processes, key=lambda p: p.name.casefold()),
        created=request.args.get("ny") == "1",
        left_out=[i for i in request.args.get("utan", "")[:2000].split(",") if i],
    )
