"""The API's frame: its blueprint, sign-in by bearer token, and ``operation``.

``operation`` declares once what a view reads (query string, JSON body) and what it answers;
the same declaration loads and validates the input, dumps the answer through its marshmallow
schema, and writes the OpenAPI document (web/api/spec.py), so the two cannot drift apart.

The API never reads the session cookie and never asks ``web.services.current_actor()``: a
request acts for the account of its token or is refused with 401.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import wraps
from typing import Any, cast

from flask import Blueprint, Response, current_app, g, jsonify, request
from marshmallow import Schema, ValidationError

from qms.domain.entities import Account
from qms.domain.errors import Forbidden, InvalidInput
from qms.services.access import Actor
from qms.services.accounts import account_for_token, actor_of
from qms.services.forms import flat_errors
from web.errors import error_response
from web.services import get_qms, today

bp = Blueprint("api", __name__, url_prefix="/api/v1")

MISSING_CREDENTIALS = "Ange en API-token i huvudet Authorization: Bearer <token>."
INVALID_CREDENTIALS = (
    "API-token gäller inte: den är okänd, har gått ut eller dragits tillbaka, "
    "eller så är kontot avstängt."
)
BAD_QUERY = "Frågan kunde inte besvaras; se felen vid fälten."
NOT_JSON = "Skicka en JSON-mappning med Content-Type: application/json."
SchemaLike = Schema | type[Schema]


@dataclass(frozen=True)
class Operation:
    """What one view reads and answers, for running it and for the OpenAPI document."""

    summary: str
    tag: str
    response: SchemaLike | None
    status: int = 200
    query: type[Schema] | None = None
    body: SchemaLike | None = None
    errors: tuple[int, ...] = ()
    public: bool = False
    #: Response headers the success answer carries: name → description.
    headers: Mapping[str, str] = field(default_factory=dict)
    #: Request headers the view reads: name → description.
    reads: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Reply:
    """A view's answer when it needs another status or headers than the declared ones."""

    data: Any
    status: int | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    #: Another schema than the declared one (an error answer with a body of its own).
    schema: SchemaLike | None = None


def operation(
    summary: str, tag: str, response: SchemaLike | None, **options: Any
) -> Callable[[Callable[..., Any]], Callable[..., Response]]:
    """Declare a view's input and answer; the view gets ``query`` and ``body`` loaded."""
    declared = Operation(summary, tag, response, **options)

    def decorate(view: Callable[..., Any]) -> Callable[..., Response]:
        @wraps(view)
        def run(**kwargs: Any) -> Response:
            if declared.query is not None:
                kwargs["query"] = load_query(declared.query())
            if declared.body is not None:
                kwargs["body"] = json_body()
            return reply(declared, view(**kwargs))

        run.api_operation = declared  # type: ignore[attr-defined]
        return run

    return decorate


def load_query(schema: Schema) -> dict[str, Any]:
    """The query string loaded by ``schema``; 422 with the Swedish message per parameter."""
    try:
        loaded: dict[str, Any] = schema.load(request.args.to_dict())
    except ValidationError as exc:
        raise InvalidInput(BAD_QUERY, flat_errors(exc.messages)) from exc
    return loaded


def json_body() -> dict[str, Any]:
    """The request's JSON object; 422 when it is missing, malformed or not an object."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise InvalidInput(NOT_JSON, {"_schema": [NOT_JSON]})
    return body


def reply(declared: Operation, result: Any) -> Response:
    """The view's result dumped through the declared schema, as JSON."""
    answer = result if isinstance(result, Reply) else Reply(result)
    schema = answer.schema or declared.response
    if isinstance(schema, type):
        schema = schema()
    body = schema.dump(answer.data) if schema is not None else answer.data
    response = jsonify(body)
    response.status_code = answer.status or declared.status
    response.headers.update(dict(answer.headers))
    return response


# -- authentication ------------------------------------------------------------------------
def _refuse(message: str, error: str = "") -> tuple[Response, int]:
    answer, status = error_response(401, message)
    response = cast(Response, answer)  # an /api/ path always answers JSON
    challenge = 'Bearer realm="qms"' + (f', error="{error}"' if error else "")
    response.headers["WWW-Authenticate"] = challenge
    return response, status


@bp.before_request
def authenticate() -> tuple[Response, int] | None:
    """Find the account of the bearer token; 401 without a valid one (public views aside)."""
    declared = getattr(bp_view(), "api_operation", None)
    if isinstance(declared, Operation) and declared.public:
        return None
    scheme, _, text = request.headers.get("Authorization", "").strip().partition(" ")
    if scheme.lower() != "bearer" or not text.strip():
        return _refuse(MISSING_CREDENTIALS)
    store = get_qms().store
    account = account_for_token(store, text.strip(), today())
    if account is None:
        return _refuse(INVALID_CREDENTIALS, "invalid_token")
    g.api_account = account
    g.api_actor = actor_of(store, account)
    return None


def bp_view() -> Callable[..., Any] | None:
    """The view function the current request was routed to."""
    endpoint = request.endpoint
    return current_app.view_functions.get(endpoint) if endpoint else None


def api_actor() -> Actor:
    """The actor of the request's token (set by ``authenticate``)."""
    actor = g.get("api_actor")
    if not isinstance(actor, Actor):
        raise Forbidden("Ingen API-token.")
    return actor


def api_account() -> Account:
    """The account of the request's token."""
    account = g.get("api_account")
    if not isinstance(account, Account):
        raise Forbidden("Ingen API-token.")
    return account


@bp.after_request
def _no_store(response: Response) -> Response:
    """Answers may hold personal data: no shared or browser cache keeps them."""
    response.headers.setdefault("Cache-Control", "no-store")
    return response


# -- errors the API words more precisely than the pages ------------------------------------
@bp.errorhandler(Forbidden)
def _forbidden(exc: Forbidden) -> tuple[Response | str, int]:
    """403 with the service's Swedish reason (which permission is missing)."""
    return error_response(403, str(exc) or None)
