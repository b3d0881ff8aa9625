"""CSRF protection for every form and every script that posts: a per-session token.

Each page that holds a form renders ``{{ csrf_field() }}`` inside it; scripts send the token
of ``<meta name="csrf-token">`` as ``X-CSRF-Token``. Any POST, PUT, PATCH or DELETE without
the session's token is refused before the view runs. The JSON API under ``/api/`` is exempt:
it authenticates with a bearer token and never reads the session cookie, so a forged request
from another site carries nothing the API honours.
"""

from __future__ import annotations

import hmac
import secrets

from flask import Flask, request, session
from flask.typing import ResponseReturnValue
from markupsafe import Markup
from werkzeug.exceptions import BadRequest

from web.errors import error_response

FIELD = "csrf_token"
HEADER = "X-CSRF-Token"
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
EXEMPT_PREFIX = "/api/"
REFUSED = (
    "Formuläret kunde inte tas emot: sidan har varit öppen för länge eller kom från en annan "
    "webbplats. Gå tillbaka, ladda om sidan och skicka igen; det du skrev finns kvar när du går "
    "tillbaka."
)


class CsrfRefused(BadRequest):
    """An unsafe request without this session's token."""


def token() -> str:
    """This session's token (made on first use)."""
    value = session.get(FIELD)
    if not isinstance(value, str) or not value:
        value = secrets.token_urlsafe(32)
        session[FIELD] = value
    return value


def field() -> Markup:
    """The hidden input every form carries."""
    return Markup('<input type="hidden" name="{}" value="{}">').format(FIELD, token())


def _check() -> None:
    if request.method not in UNSAFE or request.path.startswith(EXEMPT_PREFIX):
        return
    expected = session.get(FIELD)
    sent = request.headers.get(HEADER) or request.form.get(FIELD, "")
    if not isinstance(expected, str) or not expected or not hmac.compare_digest(sent, expected):
        raise CsrfRefused()


def _refused(exc: CsrfRefused) -> ResponseReturnValue:
    return error_response(400, REFUSED)


def init_app(app: Flask) -> None:
    """Check every unsafe request; offer ``csrf_field()`` and ``csrf_token()`` to templates."""
    app.before_request(_check)
    app.register_error_handler(CsrfRefused, _refused)
    app.jinja_env.globals["csrf_field"] = field
    app.jinja_env.globals["csrf_token"] = token
