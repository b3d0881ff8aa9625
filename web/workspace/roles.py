"""``/arbetsyta/roller``: the role catalogue of an organisation unit."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from qms.domain.changes import Change
from qms.domain.errors import InvalidInput
from qms.services import workspace_roles as service
from qms.services.access import Permission
from qms.services.workspace import EditConflict, OrgTree
from web.services import current_actor, get_qms
from web.workspace.processes import keep_theirs, posted

bp = Blueprint("ws_roles", __name__)


def _catalogue(
    unit: str, values: dict[str, Any], errors: dict[str, list[str]], status: int = 200
) -> tuple[str, int]:
    qms = get_qms()
    tree = OrgTree(qms.store)
    if unit not in tree.units:
        unit = ""
    page = render_template(
        "workspace/roles.html",
        entries=service.catalogue(qms, unit),
        units=tree.choices(),
        unit=unit,
        unit_name=tree.name(unit) if unit else "",
        values=values,
        errors=errors,
        can_edit=current_actor().can(Permission.EDIT_PROCESSES),
    )
    return page, status


@bp.get("/arbetsyta/roller")
def index() -> tuple[str, int]:
    """The roles of the chosen unit, with how many activities and things each one has."""
    unit = request.args.get("enhet", "")
    return _catalogue(unit, {"org_unit": unit}, {})


@bp.post("/arbetsyta/roller")
def create() -> Response | tuple[str, int]:
    """A new role in the unit's catalogue."""
    actor = current_actor()
    actor.require(Permission.EDIT_PROCESSES)
    data = posted()
    try:
        service.create_role(get_qms(), actor, data)
    except InvalidInput as exc:
        return _catalogue(data.get("org_unit", ""), data, exc.errors, 422)
    return redirect(url_for("ws_roles.index", enhet=data.get("org_unit", "")), 303)


def _form(
    role_id: str,
    values: dict[str, Any],
    errors: dict[str, list[str]],
    status: int = 200,
    conflict: list[Change] | None = None,
) -> tuple[str, int]:
    qms = get_qms()
    page = service.editor(qms, role_id)
    tree = OrgTree(qms.store)
    others = service.catalogue(qms, page.values["org_unit"])
    page_html = render_template(
        "workspace/role_form.html",
        page=page,
        values=values,
        errors=errors,
        conflict=conflict,
        unit_options=[(u.id, "\u2002" * u.depth + u.name) for u in tree.choices()],
        merge_options=[(e.role.id, e.role.name) for e in others if e.role.id != role_id],
    )
    return page_html, status


@bp.route("/arbetsyta/roller/<role_id>", methods=["GET", "POST"])
def edit(role_id: str) -> Response | tuple[str, int]:
    """Rename a role (its links stay), or change its description or unit."""
    qms = get_qms()
    if request.method == "GET":
        return _form(role_id, service.editor(qms, role_id).values, {})
    actor = current_actor()
    actor.require(Permission.EDIT_PROCESSES)
    data = posted()
    try:
        saved = service.update_role(qms, actor, role_id, data)
    except InvalidInput as exc:
        return _form(role_id, data, exc.errors, 422)
    except EditConflict as exc:
        current = service.editor(qms, role_id).values
        keep = {k: current[k] for k in ("version", "state", "seen")}
        return _form(
            role_id, {**keep_theirs(data, current, exc.changes), **keep}, {}, 409, exc.changes
        )
    unit = service.editor(qms, saved.id).values["org_unit"]
    return redirect(url_for("ws_roles.index", enhet=unit), 303)


@bp.post("/arbetsyta/roller/<role_id>/sla-ihop")
def merge(role_id: str) -> Response | tuple[str, int]:
    """Merge this role into another: every link moves, this one goes away."""
    actor = current_actor()
    actor.require(Permission.EDIT_PROCESSES)
    qms = get_qms()
    data = posted()
    try:
        kept = service.merge_roles(qms, actor, role_id, data)
    except InvalidInput as exc:
        return _form(role_id, service.editor(qms, role_id).values, exc.errors, 422)
    return redirect(url_for("ws_roles.edit", role_id=kept.id), 303)
