"""``/api/v1/openapi.json``: the OpenAPI 3 document, generated with apispec from the routes
and each view's ``operation`` declaration and marshmallow schemas."""

from __future__ import annotations

import inspect
import re
from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import Flask, current_app
from werkzeug.routing import Rule

from qms.domain.entities import ID_PATTERN
from web.api import schemas as s
from web.api.core import Operation, bp, operation

TITLE = "QMS API"
VERSION = "1.0"
EXTENSION = "api_spec"
DESCRIPTION = (
    "Processes, documents, goals, risks and avvikelser of QMS for integrations (Stratsys/ILS, "
    "intranet widgets, e-services). Every call but this document needs an API token: "
    "`Authorization: Bearer <token>` (made with `qms user token`). Errors always answer "
    '`{"message": "...", "errors": {"field": ["..."]}}` with the messages in Swedish.'
)
#: Refusals every operation may give, by status: the response component and its text.
REFUSALS: dict[int, tuple[str, str]] = {
    401: ("Unauthorized", "No token, or one that is unknown, expired or revoked."),
    403: ("Forbidden", "The token's account may not do this."),
    404: ("NotFound", "Nothing with that id."),
    409: ("Conflict", "Someone else saved first; nothing was saved."),
    422: ("Invalid", "Invalid input; the messages per field say why."),
}
_ARGUMENT = re.compile(r"<(?:[^<>:]+:)?([^<>]+)>")
#: What a path id may look like (every id in the graph does).
ID_PARAMETER = {
    "type": "string",
    "pattern": ID_PATTERN.pattern.replace(r"\A", "^").replace(r"\Z", "$"),
    "maxLength": 100,
}


def resolver(schema: Any) -> str:
    """A component's name: its class name."""
    cls = schema if isinstance(schema, type) else type(schema)
    return cls.__name__


def build(app: Flask) -> dict[str, Any]:
    """The document of every API route of ``app``."""
    spec = APISpec(
        title=TITLE,
        version=VERSION,
        openapi_version="3.0.3",
        plugins=[MarshmallowPlugin(schema_name_resolver=resolver)],
        info={"description": DESCRIPTION},
        security=[{"bearer": []}],
    )
    spec.components.security_scheme(
        "bearer", {"type": "http", "scheme": "bearer", "description": "qms_… token"}
    )
    spec.components.schema("Error", schema=s.Error)
    for status, (name, text) in REFUSALS.items():
        schema = s.ConflictError if status == 409 else "Error"
        spec.components.response(name, {"description": text, "content": _json(schema)})
    paths: dict[str, dict[str, Any]] = {}
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        declared = getattr(app.view_functions.get(rule.endpoint), "api_operation", None)
        if isinstance(declared, Operation):
            path = _ARGUMENT.sub(r"{\1}", rule.rule)
            for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
                paths.setdefault(path, {})[method.lower()] = _operation(app, rule, declared)
    for path, operations in paths.items():
        spec.path(path=path, operations=operations)
    return spec.to_dict()


def _json(schema: Any) -> dict[str, Any]:
    return {"application/json": {"schema": schema}}


def _operation(app: Flask, rule: Rule, declared: Operation) -> dict[str, Any]:
    view = app.view_functions[rule.endpoint]
    parameters: list[dict[str, Any]] = [
        {"in": "path", "name": name, "required": True, "schema": ID_PARAMETER}
        for name in sorted(rule.arguments)
    ]
    if declared.query is not None:
        parameters.append({"in": "query", "schema": declared.query})
    parameters += [
        {
            "in": "header",
            "name": name,
            "required": False,
            "schema": {"type": "string"},
            "description": text,
        }
        for name, text in declared.reads.items()
    ]
    success: dict[str, Any] = {"description": declared.summary}
    if declared.response is not None:
        success["content"] = _json(declared.response)
    if declared.headers:
        success["headers"] = {
            name: {"description": text, "schema": {"type": "string"}}
            for name, text in declared.headers.items()
        }
    responses: dict[str, Any] = {str(declared.status): success}
    for status in _refusals(rule, declared):
        responses[str(status)] = REFUSALS[status][0]
    found: dict[str, Any] = {
        "operationId": rule.endpoint.removeprefix("api."),
        "summary": declared.summary,
        "description": inspect.cleandoc(view.__doc__ or ""),
        "tags": [declared.tag],
        "parameters": parameters,
        "responses": responses,
    }
    if declared.body is not None:
        found["requestBody"] = {"required": True, "content": _json(declared.body)}
    if declared.public:
        found["security"] = []
    return found


def _refusals(rule: Rule, declared: Operation) -> list[int]:
    statuses = set(declared.errors)
    if not declared.public:
        statuses.add(401)
    if rule.arguments:
        statuses.add(404)
    if declared.query is not None or declared.body is not None:
        statuses.add(422)
    return sorted(statuses)


@bp.get("/openapi.json")
@operation("This document", "Documentation", None, public=True)
def openapi() -> dict[str, Any]:
    """The OpenAPI 3.0 document of the API (no token needed)."""
    found = current_app.extensions.get(EXTENSION)
    if found is None:
        found = current_app.extensions[EXTENSION] = build(current_app)
    return found
