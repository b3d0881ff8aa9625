"""Headers of every request and response: a declared body over the limit is refused before
anything reads it; responses get the server time for benchmarks and a strict script policy."""

from __future__ import annotations

import time

from flask import Flask, Response, abort, current_app, g, request

# Scripts only from this origin: no inline script can run, whatever a template or a stored
# text contains. Styles and images are left to the defaults (the diagram draws inline SVG).
CONTENT_SECURITY_POLICY = (
    "script-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'self'"
)


def _start() -> None:
    g.started = time.perf_counter()
    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    if limit is not None and (request.content_length or 0) > limit:
        abort(413)


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
    return response


def init_app(app: Flask) -> None:
    """Time every request and set the headers."""
    app.before_request(_start)
    app.after_request(_finish)
