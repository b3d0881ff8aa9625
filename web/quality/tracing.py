"""``/sparning/<avvikelse|risk>/<id>``: why an avvikelse or a risk matters, up to the goals."""

from __future__ import annotations

from flask import Blueprint, Response, render_template

from qms.domain.entities import ID_PATTERN
from qms.domain.errors import NotFound
from qms.domain.labels import Label
from qms.services import tracing
from web.quality.goal_support import path_of, setup
from web.services import current_actor, get_qms

bp = Blueprint("tracing", __name__)
bp.record_once(setup)

#: The Swedish path word of each kind a trace starts from.
KINDS: dict[str, Label] = {"avvikelse": Label.DEVIATION, "risk": Label.RISK}


def _trace(kind: str, entity_id: str) -> tracing.Trace:
    label = KINDS.get(kind)
    if label is None:
        raise NotFound("Trace", kind[:40])
    if not ID_PATTERN.match(entity_id):
        raise NotFound(label, entity_id[:100])
    return tracing.trace(get_qms(), current_actor(), label, entity_id)


@bp.get("/sparning/<any(avvikelse, risk):kind>/<entity_id>")
def show(kind: str, entity_id: str) -> str:
    """The sentences and the picture of one trace."""
    found = _trace(kind, entity_id)
    return render_template(
        "quality/trace.html",
        trace=found,
        kind=kind,
        picture=tracing.svg(found, path_of) if found.routes else "",
    )


@bp.get("/sparning/<any(avvikelse, risk):kind>/<entity_id>.svg")
def picture(kind: str, entity_id: str) -> Response:
    """The picture alone, as an SVG file."""
    found = _trace(kind, entity_id)
    return Response(tracing.svg(found, path_of), mimetype="image/svg+xml")
