"""``/arbetsyta/dokument/<id>/steg`` and ``/ny-version``: document control from the document's
page. Refusals come back on that page, next to the workflow buttons."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, flash, redirect, request, url_for
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response

from qms.domain.errors import Conflict, InvalidInput
from qms.services import doc_control
from web import csrf
from web.services import current_actor, get_qms, today
from web.workspace.documents import Page, edit_page

bp = Blueprint("ws_doc_workflow", __name__)

#: What the page says after each step.
DONE = {
    "granska": _l("Sent for review. It cannot be changed while it is reviewed."),
    "utkast": _l("Sent back to draft: it can be changed again."),
    "faststall": _l("Approved: this version now applies."),
    "upphav": _l("Revoked: the document no longer applies."),
    "granskad": _l("Marked as reviewed, with a new review date."),
}
STALE = "Någon annan ändrade dokumentet medan du hade sidan öppen; se hur det ser ut nu."


def four_eyes() -> bool:
    """``QMS_FOUR_EYES``: whether someone other than the authors must fastställa."""
    value = current_app.config.get("FOUR_EYES", False)
    return value is True or str(value).strip().lower() in ("1", "true", "yes", "ja", "on")


@bp.post("/arbetsyta/dokument/<document_id>/steg")
def step(document_id: str) -> Response | Page:
    """Take one workflow step: granska, utkast, fastställ, upphäv or granskad."""
    data: dict[str, Any] = {k: v for k, v in request.form.items() if k != csrf.FIELD}
    try:
        doc_control.take_step(
            get_qms(), current_actor(), document_id, data, today(), four_eyes=four_eyes()
        )
    except InvalidInput as exc:
        return edit_page(document_id, None, {}, 422, flow_errors=exc.errors, flow_values=data)
    except Conflict:
        return edit_page(document_id, None, {}, 409, flow_errors={"_schema": [STALE]})
    flash(str(DONE[data["steg"]]))
    return redirect(url_for("ws_documents.edit", document_id=document_id) + "#styrning", 303)


@bp.post("/arbetsyta/dokument/<document_id>/ny-version")
def new_version(document_id: str) -> Response | Page:
    """Start a new version of a document in force and open it."""
    try:
        created = doc_control.new_version(get_qms(), current_actor(), document_id)
    except InvalidInput as exc:
        return edit_page(document_id, None, {}, 422, flow_errors=exc.errors)
    flash(str(_l("New version %(version)s created as a draft.", version=created.doc_version)))
    return redirect(url_for("ws_documents.edit", document_id=created.id), 303)
