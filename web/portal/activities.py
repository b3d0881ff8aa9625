"""``/aktiviteter/<id>``: what, who, how (the rutin), what goes in and out, before and after."""

from __future__ import annotations

from flask import Blueprint, render_template

from web.page_cache import cached
from web.services import get_portal

bp = Blueprint("activities", __name__)


@bp.get("/aktiviteter/<activity_id>")
@cached
def show(activity_id: str) -> str:
    """The activity page."""
    return render_template("portal/activity.html", page=get_portal().activity(activity_id))
