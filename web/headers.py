"""Headers of every request and response: a declared body over the limit is refused before
anything reads it; responses get the server time for benchmarks and a strict script policy."""

from __future__ import annotations

import time

from flask import Flask, Response, abort, current_app, g, request

from web import csrf

# Everything from this origin only. Scripts: no inline script can run, whatever a template or a
# stored text contains. Styles allow inline attributes: the risk matrix's colours are the
# organisation's own (custom properties per cell) and bpmn-js styles its canvas inline.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
#: Browser features no page of ours uses.
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


def _start() -> None:
    g.started = time.perf_counter()
    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    if limit is not None and (request.content_length or 0) > limit and not csrf.is_upload_view():
        abort(413)  # an upload view refuses it itself, next to its file field


def _finish(response: Response) -> Response:
    started = g.get("started")
    if started is not None:
        elapsed = (time.perf_counter() - started) * 1000
        response.headers["Server-Timing"] = f"app;dur={elapsed:.1f}"
    if "page_cache" in g:
        response.headers["X-Cache"] = g.page_cache
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    return response


def init_app(app: Flask) -> None:
    """Time every request and set the headers."""
    app.before_request(_start)
    app.after_request(_finish)
