"""Domain errors and HTTP errors as Swedish pages or JSON; never a stack trace."""

from __future__ import annotations

from flask import Flask, Response, current_app, jsonify, render_template, request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

from qms.domain.errors import (
    Conflict,
    Forbidden,
    InvalidInput,
    NotFound,
    QmsError,
    StoreNotWritable,
    StoreUnavailable,
)
from web.labels import error_message, error_title, missing

JSON_PREFIXES = ("/api/", "/health")


def wants_json() -> bool:
    """True for API paths and for clients that rank JSON above HTML."""
    if request.path == "/api" or request.path.startswith(JSON_PREFIXES):
        return True
    accept = request.accept_mimetypes
    best = accept.best_match(["text/html", "application/json"])
    return best == "application/json" and accept[best] > accept["text/html"]


def error_response(
    status: int,
    message: str | None = None,
    errors: dict[str, list[str]] | None = None,
    title: str | None = None,
) -> tuple[Response | str, int]:
    """A JSON body or a Swedish HTML page for ``status``."""
    message = message or error_message(status)
    if wants_json():
        return jsonify(message=message, errors=errors or {}), status
    page = render_template(
        "error.html",
        status=status,
        title=title or error_title(status),
        message=message,
        errors=errors or {},
    )
    return page, status


def handle_http(exc: HTTPException) -> tuple[Response | str, int]:
    """Werkzeug's 404, 405 … in the app's language and format."""
    return error_response(exc.code or 500)


def handle_not_found(exc: NotFound) -> tuple[Response | str, int]:
    """404 naming what was missing, in the user's language when the label is a known one."""
    return error_response(404, missing(exc.label, exc.entity_id) or str(exc))


def handle_conflict(exc: Conflict) -> tuple[Response | str, int]:
    """409; the detail may hold engine text, so it goes to the log only."""
    current_app.logger.info("conflict: %s", exc)
    return error_response(409)


def handle_invalid(exc: InvalidInput) -> tuple[Response | str, int]:
    """422 with the per-field messages."""
    return error_response(422, exc.message, exc.errors)


def handle_forbidden(exc: Forbidden) -> tuple[Response | str, int]:
    """403 without saying more than the default text."""
    return error_response(403)


def handle_unavailable(exc: StoreUnavailable) -> tuple[Response | str, int]:
    """503: the graph store is locked, read-only or down."""
    if isinstance(exc, StoreNotWritable):
        return handle_not_writable(exc)
    current_app.logger.warning("store unavailable: %s", exc)
    return error_response(503)


def handle_not_writable(exc: StoreNotWritable) -> tuple[Response | str, int]:
    """503 for a write the disk refused (read-only data directory, full disk): nothing saved.

    Reads still work, so only the page that tried to save says so; the log gets one line
    for the administrator.
    """
    current_app.logger.error("qms: %s", exc)
    return error_response(
        503,
        _(
            "The database cannot be written to right now, so nothing was saved. "
            "Contact the administrator: the data directory is read-only or the disk is full. "
            "What you wrote is still there if you go back."
        ),
        title=_("Nothing was saved"),
    )


def handle_unexpected(exc: Exception) -> tuple[Response | str, int]:
    """500 for any other QmsError or bug, logged with its traceback."""
    current_app.logger.exception("unhandled error on %s %s", request.method, request.path)
    return error_response(500)


def register(app: Flask) -> None:
    """Install the handlers; the most specific class wins, so order does not matter."""
    app.register_error_handler(HTTPException, handle_http)
    app.register_error_handler(NotFound, handle_not_found)
    app.register_error_handler(Conflict, handle_conflict)
    app.register_error_handler(InvalidInput, handle_invalid)
    app.register_error_handler(Forbidden, handle_forbidden)
    app.register_error_handler(StoreUnavailable, handle_unavailable)
    app.register_error_handler(QmsError, handle_unexpected)
    app.register_error_handler(Exception, handle_unexpected)
