"""``/historik/<id>``: any entity's history, one version's content, and restoring a version."""

from __future__ import annotations

from dataclasses import asdict

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext
from werkzeug.wrappers import Response

from qms.domain.errors import Conflict
from qms.domain.labels import Label
from qms.services import history
from qms.services.forms import load
from web import csrf
from web.errors import wants_json
from web.portal import ITEM_PAGES
from web.services import current_actor, get_qms

bp = Blueprint("history", __name__)

#: The page of each kind of entity that has one: the portal's and the quality pages'.
PAGES: dict[str, tuple[str, str]] = {
    **{label.value: page for label, page in ITEM_PAGES.items()},
    Label.RISK.value: ("risks.show", "risk_id"),
    Label.DEVIATION.value: ("deviations.show", "deviation_id"),
    Label.GOAL.value: ("goals.show", "goal_id"),
    Label.CONTROL.value: ("controls.show", "control_id"),
    Label.SELF_INSPECTION.value: ("inspections.show", "inspection_id"),
}


def page_url(label: str, entity_id: str) -> str | None:
    """The page that shows an entity, or None for kinds without one."""
    found = PAGES.get(label)
    return url_for(found[0], **{found[1]: entity_id}) if found else None


def _history_page(
    entity_id: str, page: int = 1, conflict: bool = False
) -> Response | tuple[str, int]:
    found = history.history(get_qms().store, current_actor(), entity_id, page)
    status = 409 if conflict else 200
    if wants_json():
        return jsonify(asdict(found))
    html = render_template(
        "quality/history.html", history=found, page_url=page_url, conflict=conflict
    )
    return html, status


@bp.get("/historik/<entity_id>")
def show(entity_id: str) -> Response | tuple[str, int]:
    """Who changed what and when, newest first (JSON for clients that ask for it)."""
    asked = {k: v for k, v in request.args.items() if k in history.PageQuery().fields}
    query = load(history.PageQuery(), asked, "Sidan")
    return _history_page(entity_id, query["sida"])


@bp.get("/historik/<entity_id>/version/<int:number>")
def version(entity_id: str, number: int) -> Response | str:
    """The entity as it was at one version."""
    found = history.version_content(get_qms().store, current_actor(), entity_id, number)
    if wants_json():
        return jsonify(asdict(found))
    return render_template("quality/history_version.html", content=found, page_url=page_url)


@bp.post("/historik/<entity_id>/aterstall/<int:number>")
def restore(entity_id: str, number: int) -> Response | tuple[str, int]:
    """Write version ``number``'s content as a new version; 409 when the page was stale."""
    if request.is_json:
        body = request.get_json(silent=True)
        posted = body if isinstance(body, dict) else {}
    else:
        posted = {k: v for k, v in request.form.items() if k != csrf.FIELD}
    data = load(history.RestoreForm(), posted, "Återställningen")
    try:
        done = history.restore(
            get_qms(), current_actor(), entity_id, number, data["expected_version"]
        )
    except Conflict:
        if wants_json():
            raise
        return _history_page(entity_id, conflict=True)
    if wants_json():
        return jsonify(version=done.entity.version, changed=done.changed, restored_from=number)
    if done.changed:
        flash(
            gettext(
                "Version %(old)s was restored: it is now version %(new)s.",
                old=number,
                new=done.entity.version,
            )
        )
    else:
        flash(gettext("Version %(old)s has the same content as now; nothing changed.", old=number))
    return redirect(url_for(".show", entity_id=entity_id), code=303)
