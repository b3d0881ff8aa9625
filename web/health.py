"""``/health``: is the graph store answering, and how much does it hold."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify

from qms.domain.errors import StoreUnavailable
from qms.domain.labels import Label, Rel
from web.labels import STORE_UNAVAILABLE
from web.services import get_qms

bp = Blueprint("health", __name__)


def summarise(counts: dict[str, int]) -> dict[str, int]:
    """Node, link and change totals from the store's per-label and per-type counts."""
    nodes = sum(counts.get(label.value, 0) for label in Label)
    links = sum(counts.get(rel.value, 0) for rel in Rel)
    # The port has no name for the change-log label; it is whatever is neither node nor link.
    changes = sum(counts.values()) - nodes - links
    return {"nodes": nodes, "links": links, "changes": changes}


@bp.get("/health")
def health() -> Response:
    """200 with counts when the store answers."""
    qms = get_qms()
    body = {"status": "ok", "backend": qms.settings.graph_backend, **summarise(qms.store.counts())}
    return jsonify(body)


@bp.errorhandler(StoreUnavailable)
def unavailable(exc: StoreUnavailable) -> tuple[Response, int]:
    """503 in the shape monitors expect, plus the message the error handlers give."""
    current_app.logger.warning("health: store unavailable: %s", exc)
    body = {"status": "unavailable", "message": str(STORE_UNAVAILABLE), "errors": {}}
    return jsonify(body), 503
