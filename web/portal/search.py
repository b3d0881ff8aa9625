"""``/sok?q=``: processes, activities, documents and roles in one list, grouped by type."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from web.labels import SEARCH_TYPES
from web.page_cache import cached
from web.services import get_portal

bp = Blueprint("search", __name__)


@bp.get("/sok")
@cached
def results() -> str:
    """Results, or help when there is no query, no word in it or no hit."""
    query = request.args.get("q", "")
    kind = request.args.get("typ", "")
    kind = kind if kind in SEARCH_TYPES else ""
    page = get_portal().search(query, SEARCH_TYPES.get(kind))
    return render_template("portal/search.html", page=page, kind=kind)
