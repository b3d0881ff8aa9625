"""CSRF protection for every form and every script that posts: a per-session token.

Each page that holds a form renders ``{{ csrf_field() }}`` inside it; scripts send the token
of ``<meta name="csrf-token">`` as ``X-CSRF-Token``. Any POST, PUT, PATCH or DELETE without
the session's token is refused before the view runs, except for upload views
(``upload_view``), whose token is checked when they parse their form, after refusing an
oversized body themselves. The token never reaches a view's form.

The JSON API under ``/api/`` is exempt: it authenticates with a bearer token and never reads
the session cookie, so a forged request from another site carries nothing the API honours.
"""

from __future__ import annotations

import hmac
import secrets
from typing import TypeVar

from flask import Flask, Request, current_app, g, has_request_context, request, session
from flask.typing import ResponseReturnValue
from markupsafe import Markup
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.exceptions import BadRequest

from web.errors import error_response

FIELD = "csrf_token"
HEADER = "X-CSRF-Token"
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
FORM_TYPES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data"})
UPLOAD_MARK = "csrf_checked_when_parsed"
V = TypeVar("V")
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


def upload_view(view: V) -> V:
    """Mark a view that takes a file: it refuses an oversized body itself, next to the file
    field, before reading it; so its token is checked when it parses the form, not before."""
    setattr(view, UPLOAD_MARK, True)  # noqa: B010 (an attribute the checks look for)
    return view


def is_upload_view() -> bool:
    """Whether the request goes to a view marked with ``upload_view``."""
    view = current_app.view_functions.get(request.endpoint or "")
    return bool(getattr(view, UPLOAD_MARK, False))


def _guarded() -> bool:
    return request.method in UNSAFE and not request.path.startswith(EXEMPT_PREFIX)


def _verify(sent: str) -> None:
    expected = session.get(FIELD)
    if not isinstance(expected, str) or not expected or not hmac.compare_digest(sent, expected):
        raise CsrfRefused()


def _take_token(req: Request) -> str:
    """The form's token, removed from the form: views validate exactly their own fields."""
    form = req.__dict__["form"]
    req.__dict__["form"] = ImmutableMultiDict(
        [(k, v) for k, v in form.items(multi=True) if k != FIELD]
    )
    return str(form.get(FIELD, ""))


class CheckedRequest(Request):
    """Checks an upload view's token the moment its form is parsed (with the view's limits)."""

    def _load_form_data(self) -> None:
        parsed = "form" in self.__dict__
        super()._load_form_data()
        if parsed or not has_request_context() or not _guarded():
            return
        sent = _take_token(self)
        if is_upload_view():
            _verify(self.headers.get(HEADER) or sent)
        else:
            g.csrf_sent = sent


def _check() -> None:
    if not _guarded():
        return
    sent = request.headers.get(HEADER, "")
    if request.mimetype in FORM_TYPES:
        if is_upload_view():
            return  # checked when the view parses its form (CheckedRequest)
        request.form  # noqa: B018 (parse now: CheckedRequest takes the token out)
        sent = sent or str(g.pop("csrf_sent", ""))
    _verify(sent)


def _refused(exc: CsrfRefused) -> ResponseReturnValue:
    return error_response(400, REFUSED)


def init_app(app: Flask) -> None:
    """Check every unsafe request; offer ``csrf_field()`` and ``csrf_token()`` to templates."""
    app.request_class = CheckedRequest
    app.before_request(_check)
    app.register_error_handler(CsrfRefused, _refused)
    app.jinja_env.globals["csrf_field"] = field
    app.jinja_env.globals["csrf_token"] = token
