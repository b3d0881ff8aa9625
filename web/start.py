"""The start page: every top-level process, grouped as on a process map."""

from __future__ import annotations

from flask import Blueprint, render_template

from web.labels import PROCESS_KIND_EMPTY, PROCESS_KIND_HEADINGS
from web.services import get_qms

bp = Blueprint("start", __name__)


@bp.get("/")
def index() -> str:
    """Huvud-, stöd- and styrprocesser, or how to load the demo when there are none."""
    groups = get_qms().processes_by_kind()
    sections = [
        {
            "kind": kind.value,
            "heading": heading,
            "empty": PROCESS_KIND_EMPTY[kind],
            "processes": groups.get(kind, []),
        }
        for kind, heading in PROCESS_KIND_HEADINGS.items()
    ]
    return render_template("start.html", sections=sections, has_processes=any(groups.values()))
