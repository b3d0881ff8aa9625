"""``/dokument/<id>``: a styrdokument or rutin, its review date and where it is used."""

from __future__ import annotations

from flask import Blueprint, render_template

from qms.services.doc_control import in_force
from web.page_cache import cached
from web.services import get_portal, get_qms

bp = Blueprint("documents", __name__)


@bp.get("/dokument/<document_id>")
@cached
def show(document_id: str) -> str:
    """The document page."""
    portal = get_portal()
    page = portal.document(document_id)
    current = in_force(get_qms().store, document_id)  # another version applies: point to it
    return render_template("portal/document.html", page=page, today=portal.today, in_force=current)
