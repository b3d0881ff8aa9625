"""``/arbetsyta``: the coordinator's process tree per unit and the process editor."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response

from qms.domain.changes import Change
from qms.domain.errors import InvalidInput
from qms.domain.kinds import ProcessKind
from qms.services import workspace_processes as service
from qms.services.access import Permission
from qms.services.workspace import EditConflict, OrgTree
from web.labels import PROCESS_KIND_HEADINGS, PROCESS_KIND_NAMES
from web.services import current_actor, get_qms

bp = Blueprint("ws_processes", __name__)

LINE_FIELDS = ("recipients", "stakeholders", "inputs", "outputs")
MULTI_FIELDS = ("goals", "documents", "order")
#: What a changed field or link is called in a conflict warning.
FIELD_NAMES: dict[str, LazyString] = {
    "name": _l("Name"),
    "kind": _l("Kind of process"),
    "purpose": _l("Purpose"),
    "trigger": _l("What starts it"),
    "ends_when": _l("When it ends"),
    "desired_effect": _l("Desired effect"),
    "recipients": _l("Recipients"),
    "stakeholders": _l("Stakeholders"),
    "collaboration": _l("Collaboration"),
    "archived": _l("Archived"),
    "position": _l("Place in the list"),
    "node_type": _l("Type"),
    "description": _l("Description"),
    "inputs": _l("Objects in"),
    "outputs": _l("Objects out"),
    "OWNED_BY": _l("Owner"),
    "BELONGS_TO": _l("Organisation unit"),
    "CONTRIBUTES_TO": _l("Goals"),
    "SUBPROCESS_OF": _l("Parent process"),
    "PERFORMED_BY": _l("Done by"),
    "GOVERNED_BY": _l("Routines and documents"),
    "FLOWS_TO": _l("Next step"),
    "HAS_ACTIVITY": _l("Activities"),
}
OPS: dict[str, LazyString] = {
    "create": _l("created"),
    "update": _l("changed"),
    "delete": _l("removed"),
    "link": _l("linked"),
    "unlink": _l("unlinked"),
}


@bp.app_template_filter("ws_change")
def describe(change: Change) -> str:
    """A change-log entry in words: "Namn: ändrad"."""
    what = FIELD_NAMES.get(change.field, change.field) if change.field else ""
    verb = OPS.get(change.op.value, change.op.value)
    return f"{what}: {verb}" if what else str(verb)


@bp.app_template_filter("ws_value")
def plain(text: str) -> str:
    """A change-log value (JSON) as plain text: a link as its target, a list joined."""
    if not text:
        return ""
    try:
        value = json.loads(text)
    except ValueError:
        return text
    if isinstance(value, dict):
        value = value.get("target", "")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if value is None or value is False:
        return "–"
    return str(value)


#: Form fields that hold one link, by the relationship they write.
LINK_FIELDS = {
    "OWNED_BY": "owner",
    "BELONGS_TO": "org_unit",
    "SUBPROCESS_OF": "parent",
    "PERFORMED_BY": "role",
}


def keep_theirs(
    data: dict[str, Any], current: dict[str, Any], changes: list[Change]
) -> dict[str, Any]:
    """The user's form after a conflict: where they left a field as it was and someone else
    changed it, the other person's value is taken, so saving again loses nothing."""
    merged = dict(data)
    for change in changes:
        field = LINK_FIELDS.get(change.field, change.field)
        if field not in current:
            continue
        if field not in merged:
            merged[field] = current[field]
            continue
        before = plain(change.before)
        mine = merged[field]
        if isinstance(mine, list):
            mine = ", ".join(str(v).strip() for v in mine if str(v).strip())
        if str(mine).strip() == before.strip():
            merged[field] = current[field]
    return merged


def posted(
    lines: Iterable[str] = LINE_FIELDS, many: Iterable[str] = MULTI_FIELDS
) -> dict[str, Any]:
    """The posted form: text trimmed, textareas split into lines, multi-selects as lists."""
    data: dict[str, Any] = {}
    for key in request.form:
        if key in lines:
            data[key] = request.form.get(key, "").splitlines()
        elif key in many:
            data[key] = [v for v in request.form.getlist(key) if v.strip()]
        elif not key.startswith("branch-"):
            data[key] = request.form.get(key, "").strip()
    return data


def _editable() -> bool:
    return current_actor().can(Permission.EDIT_PROCESSES)


@bp.get("/arbetsyta")
def index() -> str:
    """The start of the workspace: choose a unit, see its processes as a tree."""
    qms = get_qms()
    tree = OrgTree(qms.store)
    units = tree.choices()
    unit = request.args.get("enhet", "")
    if unit not in tree.units:
        unit = ""
    return render_template(
        "workspace/processes.html",
        units=units,
        unit=unit,
        unit_name=tree.name(unit) if unit else "",
        tree=service.unit_processes(qms, unit),
        headings=PROCESS_KIND_HEADINGS,
        can_edit=_editable(),
    )


def _form(
    process_id: str | None,
    values: dict[str, Any],
    errors: dict[str, list[str]],
    status: int = 200,
    conflict: list[Change] | None = None,
) -> tuple[str, int]:
    qms = get_qms()
    page = service.editor(qms, process_id) if process_id else None
    choices = service.process_choices(qms, process_id or "")
    page_html = render_template(
        "workspace/process_form.html",
        page=page,
        values=values,
        errors=errors,
        conflict=conflict,
        kind_options=[(k.value, PROCESS_KIND_NAMES[k]) for k in ProcessKind],
        unit_options=[(u.id, "\u2002" * u.depth + u.name) for u in OrgTree(qms.store).choices()],
        role_options=[(r.id, r.name) for r in choices.roles],
        goal_options=[(g.id, f"{g.code} {g.title}".strip()) for g in choices.goals],
        parent_options=[(p.id, p.name) for p in choices.processes],
    )
    return page_html, status


@bp.route("/arbetsyta/processer/ny", methods=["GET", "POST"])
def create() -> Response | tuple[str, int]:
    """A new process, or a delprocess when ``overordnad`` names its parent."""
    actor = current_actor()
    actor.require(Permission.EDIT_PROCESSES)
    if request.method == "GET":
        values: dict[str, Any] = {
            "kind": request.args.get("typ", ProcessKind.CORE.value),
            "org_unit": request.args.get("enhet", ""),
            "parent": request.args.get("overordnad", ""),
        }
        if values["parent"]:
            parent = service.editor(get_qms(), values["parent"]).values
            values.update(kind=parent["kind"], org_unit=parent["org_unit"])
        return _form(None, values, {})
    data = posted()
    try:
        saved = service.create_process(get_qms(), actor, data)
    except InvalidInput as exc:
        return _form(None, data, exc.errors, 422)
    return redirect(url_for("ws_processes.edit", process_id=saved.id, sparad=1), 303)


@bp.route("/arbetsyta/processer/<process_id>", methods=["GET", "POST"])
def edit(process_id: str) -> Response | tuple[str, int]:
    """The process form: every field, the owner, the unit and the goals it serves."""
    qms = get_qms()
    if request.method == "GET":
        return _form(process_id, service.editor(qms, process_id).values, {})
    actor = current_actor()
    actor.require(Permission.EDIT_PROCESSES)
    data = posted()
    try:
        service.update_process(qms, actor, process_id, data)
    except InvalidInput as exc:
        return _form(process_id, data, exc.errors, 422)
    except EditConflict as exc:
        return _stale(process_id, data, exc)
    return redirect(url_for("ws_processes.edit", process_id=process_id, sparad=1), 303)


def _stale(process_id: str, data: dict[str, Any], exc: EditConflict) -> tuple[str, int]:
    """The form with the user's values, the current lock and what the other person changed."""
    current = service.editor(get_qms(), process_id).values
    keep = {k: current[k] for k in ("version", "state", "seen")}
    return _form(
        process_id, {**keep_theirs(data, current, exc.changes), **keep}, {}, 409, exc.changes
    )


@bp.post("/arbetsyta/processer/<process_id>/flytta")
def move(process_id: str) -> Response | tuple[str, int]:
    """Put the process under another parent (or at the top)."""
    actor = current_actor()
    actor.require(Permission.EDIT_PROCESSES)
    qms = get_qms()
    data = posted()
    try:
        service.move_process(qms, actor, process_id, data)
    except InvalidInput as exc:
        values = {**service.editor(qms, process_id).values, "parent": data.get("parent", "")}
        return _form(process_id, values, exc.errors, 422)
    except EditConflict as exc:
        return _stale(process_id, service.editor(qms, process_id).values, exc)
    return redirect(url_for("ws_processes.edit", process_id=process_id, sparad=1), 303)


@bp.post("/arbetsyta/processer/<process_id>/arkivera")
def archive(process_id: str) -> Response | tuple[str, int]:
    """Archive the process (``arkiverad=0`` brings it back)."""
    actor = current_actor()
    actor.require(Permission.EDIT_PROCESSES)
    qms = get_qms()
    data = posted()
    archived = data.pop("arkiverad", "1") != "0"
    try:
        service.set_archived(qms, actor, process_id, archived, data)
    except EditConflict as exc:
        return _stale(process_id, service.editor(qms, process_id).values, exc)
    return redirect(url_for("ws_processes.edit", process_id=process_id, sparad=1), 303)
