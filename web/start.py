"""The start page: search first, the process landscape of a unit, recently changed rutiner."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from web.labels import PROCESS_KIND_EMPTY, PROCESS_KIND_HEADINGS
from web.page_cache import cached
from web.services import get_portal

bp = Blueprint("start", __name__)
#: A whole city has a thousand top-level processes; past this many, choose a unit or search.
SHOWN_PER_KIND = 40


@bp.get("/")
@cached
def index() -> str:
    """Huvud-, stöd- and styrprocesser, or how to load the demo when there are none."""
    page = get_portal().start(request.args.get("enhet") or None)
    sections = [
        {
            "kind": kind.value,
            "heading": heading,
            "empty": PROCESS_KIND_EMPTY[kind],
            "processes": page.groups.get(kind, ())[:SHOWN_PER_KIND],
            "more": max(len(page.groups.get(kind, ())) - SHOWN_PER_KIND, 0),
        }
        for kind, heading in PROCESS_KIND_HEADINGS.items()
    ]
    return render_template("start.html", page=page, sections=sections)
