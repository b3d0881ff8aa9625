"""``/arbetsyta/processer/<id>/aktiviteter``: the activities of a process as an ordered list."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify, redirect, render_template, request, url_for
from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response

from qms.domain.changes import Change
from qms.domain.entities import Document
from qms.domain.errors import InvalidInput
from qms.domain.kinds import ActivityType
from qms.domain.labels import Label
from qms.services import workspace_activities as service
from qms.services.access import Permission
from qms.services.workspace import EditConflict, OrgTree, last_change
from qms.services.workspace_roles import unit_roles
from web.services import current_actor, get_qms
from web.workspace.processes import keep_theirs, posted

bp = Blueprint("ws_activities", __name__)

TYPE_NAMES: dict[ActivityType, LazyString] = {
    ActivityType.TASK: _l("Activity"),
    ActivityType.START_EVENT: _l("Start"),
    ActivityType.END_EVENT: _l("End"),
    ActivityType.EXCLUSIVE_GATEWAY: _l("Decision point"),
}
BRANCH_ROWS = 2


def _types(current: str = "") -> list[tuple[str, str]]:
    options = [(t.value, str(name)) for t, name in TYPE_NAMES.items()]
    if current and current not in TYPE_NAMES:
        options.append((current, current.replace("_", " ")))
    return options


def _page(
    process_id: str,
    values: dict[str, Any] | None = None,
    errors: dict[str, list[str]] | None = None,
    status: int = 200,
    conflict: list[Change] | None = None,
) -> tuple[str, int]:
    qms = get_qms()
    listing = service.activity_list(qms, process_id)
    unit = OrgTree(qms.store).process_unit(process_id)
    page = render_template(
        "workspace/activities.html",
        listing=listing,
        values=values or {},
        errors=errors or {},
        conflict=conflict,
        type_names=TYPE_NAMES,
        type_options=_types(),
        role_options=[(r.id, r.name) for r in unit_roles(qms.store, unit)],
        can_edit=current_actor().can(Permission.EDIT_PROCESSES),
    )
    return page, status


@bp.get("/arbetsyta/processer/<process_id>/aktiviteter")
def index(process_id: str) -> tuple[str, int]:
    """The list: order, performer, rutiner and ways out of every activity."""
    return _page(process_id)


def _list_write(process_id: str, action: Any) -> Response | tuple[str, int]:
    actor = current_actor()
    actor.require(Permission.EDIT_PROCESSES)
    data = posted()
    try:
        action(get_qms(), actor, process_id, data)
    except InvalidInput as exc:
        return _page(process_id, data, exc.errors, 422)
    except EditConflict as exc:
        return _page(process_id, data, {}, 409, exc.changes)
    anchor = data.get("activity") or ""
    target = url_for("ws_activities.index", process_id=process_id)
    return redirect(target + (f"#rad-{anchor}" if anchor else ""), 303)


@bp.post("/arbetsyta/processer/<process_id>/aktiviteter")
def add(process_id: str) -> Response | tuple[str, int]:
    """Add an activity at the end of the list."""
    return _list_write(process_id, service.add_activity)


@bp.post("/arbetsyta/processer/<process_id>/aktiviteter/flytta")
def move(process_id: str) -> Response | tuple[str, int]:
    """Move one activity a step up or down."""
    return _list_write(process_id, service.move_activity)


@bp.post("/arbetsyta/processer/<process_id>/aktiviteter/ordning")
def order(process_id: str) -> Response | tuple[Response, int]:
    """The whole order at once (sent by the drag-and-drop script as JSON or a form)."""
    actor = current_actor()
    actor.require(Permission.EDIT_PROCESSES)
    body = request.get_json(silent=True)
    data = body if isinstance(body, dict) else posted()
    try:
        service.reorder(get_qms(), actor, process_id, data)
    except InvalidInput as exc:
        return jsonify(message=exc.message, errors=exc.errors), 422
    except EditConflict as exc:
        return jsonify(message=str(exc), errors={}), 409
    listing = service.activity_list(get_qms(), process_id)
    return jsonify(state=listing.state, seen=listing.seen), 200


@bp.post("/arbetsyta/processer/<process_id>/aktiviteter/<activity_id>/ta-bort")
def remove(process_id: str, activity_id: str) -> Response | tuple[str, int]:
    """Take an activity out of the list."""

    def action(qms: Any, actor: Any, pid: str, data: dict[str, Any]) -> None:
        service.remove_activity(qms, actor, pid, activity_id, data)

    return _list_write(process_id, action)


def _branches() -> list[dict[str, Any]]:
    rows = []
    numbers = sorted(
        {
            int(k.split("-")[1])
            for k in request.form
            if k.startswith("branch-") and k.count("-") == 2
        }
    )
    for number in numbers:
        prefix = f"branch-{number}-"
        rows.append(
            {
                "name": request.form.get(prefix + "name", "").strip(),
                "condition": request.form.get(prefix + "condition", "").strip(),
                "to": request.form.get(prefix + "to", "").strip(),
                "is_default": request.form.get(prefix + "default") == "1",
            }
        )
    return rows


def _form(
    activity_id: str,
    values: dict[str, Any],
    errors: dict[str, list[str]],
    status: int = 200,
    conflict: list[Change] | None = None,
) -> tuple[str, int]:
    qms = get_qms()
    store = qms.store
    process_id = service.process_of(store, activity_id)
    listing = service.activity_list(qms, process_id)
    row = next(r for r in listing.rows if r.activity.id == activity_id)
    tree = OrgTree(store)
    unit = tree.process_unit(process_id)
    documents = sorted(
        (
            d
            for d in store.entities(Label.DOCUMENT)
            if isinstance(d, Document) and tree.same_branch(unit, tree.unit_of.get(d.id, ""))
        ),
        key=lambda d: d.title.casefold(),
    )
    chosen = set(values.get("documents", []))
    documents += [
        d
        for d in store.entities(Label.DOCUMENT)
        if isinstance(d, Document) and d.id in chosen and d not in documents
    ]
    branches = list(values.get("branches", []))
    branches += [{}] * BRANCH_ROWS
    page = render_template(
        "workspace/activity_form.html",
        listing=listing,
        row=row,
        values=values,
        errors=errors,
        conflict=conflict,
        branches=branches,
        type_options=_types(str(values.get("node_type", ""))),
        role_options=[(r.id, r.name) for r in unit_roles(store, unit)],
        document_options=[(d.id, d.caption) for d in documents],
        target_options=[
            (r.activity.id, r.activity.name) for r in listing.rows if r.activity.id != activity_id
        ],
        implicit=listing.names.get(row.implicit, ""),
        last=last_change(store, [activity_id]),
    )
    return page, status


@bp.route("/arbetsyta/aktiviteter/<activity_id>", methods=["GET", "POST"])
def edit(activity_id: str) -> Response | tuple[str, int]:
    """One activity: name, type, performer, objekt in/ut, rutiner, next step or branches."""
    qms = get_qms()
    if request.method == "GET":
        return _form(activity_id, service.activity_values(qms, activity_id), {})
    actor = current_actor()
    actor.require(Permission.EDIT_PROCESSES)
    data = posted()
    data.setdefault("documents", [])
    data["branches"] = _branches()
    try:
        service.update_activity(qms, actor, activity_id, data)
    except InvalidInput as exc:
        return _form(activity_id, data, exc.errors, 422)
    except EditConflict as exc:
        current = service.activity_values(qms, activity_id)
        keep = {k: current[k] for k in ("version", "state", "seen")}
        merged = keep_theirs(data, current, exc.changes)
        return _form(activity_id, {**merged, **keep}, {}, 409, exc.changes)
    process_id = service.process_of(qms.store, activity_id)
    target = url_for("ws_activities.index", process_id=process_id)
    return redirect(f"{target}#rad-{activity_id}", 303)
