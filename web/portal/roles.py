"""``/roller``: Vad gör jag som …? Every role, and for one role its activities and rutiner."""

from __future__ import annotations

from flask import Blueprint, render_template

from web.page_cache import cached
from web.services import get_portal

bp = Blueprint("roles", __name__)


@bp.get("/roller")
@cached
def index() -> str:
    """Every role, to pick one's own."""
    return render_template("portal/roles.html", roles=get_portal().roles())


@bp.get("/roller/<role_id>")
@cached
def show(role_id: str) -> str:
    """The role's activities and rutiner, grouped by process."""
    return render_template("portal/role.html", page=get_portal().role(role_id))
