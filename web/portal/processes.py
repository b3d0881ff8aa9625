"""``/processer/<id>``: a process with its activities and rutiner; and its print view."""

from __future__ import annotations

from flask import Blueprint, render_template

from web.page_cache import cached
from web.services import get_portal

bp = Blueprint("processes", __name__)


@bp.get("/processer/<process_id>")
@cached
def show(process_id: str) -> str:
    """The process page."""
    page = get_portal().process(process_id)
    # ``process`` is what the diagram partial (web/templates/diagram/viewer.html) draws.
    return render_template("portal/process.html", page=page, process=page.view.process)


@bp.get("/processer/<process_id>/utskrift")
@cached
def print_view(process_id: str) -> str:
    """The process and the full text of its rutiner, laid out for paper."""
    portal = get_portal()
    page = portal.process(process_id)
    return render_template("portal/print.html", page=page, today=portal.today)
