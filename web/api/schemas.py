"""What the API answers and reads, as marshmallow schemas: derived from the entity schemas
(``qms.services.schemas.entity_schema``) rather than written out field by field again.

An entity answers with its id, version, audit stamps and every content field; secrets never.
The OpenAPI document is generated from these classes (web/api/spec.py). This module holds
what every feature shares; ``portal_schemas`` and ``quality_schemas`` the features' own.
"""

from __future__ import annotations

import copy
import functools
import types
import typing
from typing import Any

from marshmallow import Schema, fields, pre_load, validate

from qms.domain.entities import AUDIT_FIELDS, ENTITY_TYPES, Deviation
from qms.domain.graph import REFERENCES
from qms.domain.labels import Label
from qms.services.schemas import MESSAGES, QmsSchema, WholeNumber, entity_schema

Dumped = dict[str, Any]


class Out(Schema):
    """A schema of answers (documented with ``additionalProperties: false``)."""


def _optional(label: Label) -> set[str]:
    """Fields of the label's entity that may hold None."""
    hints = typing.get_type_hints(ENTITY_TYPES[label])
    return {
        name
        for name, hint in hints.items()
        if isinstance(hint, types.UnionType) and type(None) in typing.get_args(hint)
    }


@functools.cache
def entity_out(label: Label) -> type[Schema]:
    """The answer schema of one label: the entity schema's content fields without their input
    limits (enums kept), plus id, version and the audit stamps; links and secrets left out."""
    cls = ENTITY_TYPES[label]
    skip = {"id", "next", *REFERENCES[label], *cls.SECRET}
    nullable = _optional(label)
    attrs: dict[str, Any] = {
        "id": fields.String(required=True),
        "version": fields.Integer(required=True),
        **{name: fields.String(required=True) for name in AUDIT_FIELDS if name != "version"},
    }
    for name, template in entity_schema_fields(label).items():
        if name in skip:
            continue
        field = copy.copy(template)
        field.validators = [v for v in template.validators if isinstance(v, validate.OneOf)]
        field.allow_none = name in nullable
        field.required = not (label is Label.DEVIATION and name in Deviation.PERSONAL)
        attrs[name] = field
    return type(cls.__name__, (Out,), attrs)


def entity_schema_fields(label: Label) -> dict[str, fields.Field[Any]]:
    """The declared fields of ``entity_schema(label)``."""
    return dict(entity_schema(label)._declared_fields)


def flat(entity: Any, **extra: Any) -> Dumped:
    """An entity as one mapping (id, audit stamps, content) with ``extra`` beside it."""
    stamps = {name: getattr(entity, name) for name in AUDIT_FIELDS}
    return {"id": entity.id, **stamps, **entity.content(), **extra}


def extended(label: Label, name: str, **extra: Any) -> type[Schema]:
    """The answer schema of ``label`` with ``extra`` fields (its links, counts …)."""
    return type(name, (entity_out(label),), extra)


def nested(schema: type[Schema] | str, **options: Any) -> fields.Nested:
    """One nested object (always present; ``allow_none`` for an optional link)."""
    return fields.Nested(schema, required=True, **options)


def ref_list(schema: type[Schema] | str = "Ref") -> fields.List[Any]:
    """A list of nested objects, references by default."""
    return fields.List(fields.Nested(schema), required=True)


def paged(item: type[Schema], name: str) -> type[Schema]:
    """A page of ``item`` with the total and the paging used."""
    return type(
        name,
        (Out,),
        {
            "items": fields.List(fields.Nested(item), required=True),
            "total": fields.Integer(required=True),
            "limit": fields.Integer(required=True),
            "offset": fields.Integer(required=True),
        },
    )


# -- shared pieces -------------------------------------------------------------------------
class Ref(Out):
    """A node named by label, id and caption: enough to show it and ask for it."""

    label = fields.String(required=True)
    id = fields.String(required=True)
    caption = fields.String(required=True)


class Error(Out):
    """Every refusal: a Swedish message and, for invalid input, the messages per field."""

    message = fields.String(required=True)
    errors = fields.Dict(keys=fields.String(), values=fields.List(fields.String()), required=True)


class ChangeOut(Out):
    """One change-log entry; values are JSON text ("(dold)" where withheld)."""

    id = fields.String(required=True)
    change_set = fields.String(required=True)
    at = fields.String(required=True)
    actor = fields.String(required=True)
    op = fields.String(required=True)
    label = fields.String(required=True)
    entity_id = fields.String(required=True)
    field = fields.String(required=True)
    before = fields.String(required=True)
    after = fields.String(required=True)
    withheld = fields.Boolean(required=True)


class ConflictError(Error):
    """409 on a stale version: what others saved since, and the version to read again."""

    current_version = fields.Integer(required=True)
    changes = fields.List(fields.Nested(ChangeOut), required=True)


ChangePage = paged(ChangeOut, "ChangePage")

WHOLE = MESSAGES | {"invalid": "Ange ett heltal."}


class Query(QmsSchema):
    """Query parameters: an empty one (``?unit=``) counts as not given."""

    @pre_load
    def _drop_blanks(self, data: Any, **kwargs: Any) -> Any:
        if not isinstance(data, dict):
            return data
        return {k: v for k, v in data.items() if not (isinstance(v, str) and not v.strip())}


class Paging(Query):
    """``limit`` (1–200, default 50) and ``offset`` (from 0) of a list."""

    limit = fields.Integer(
        load_default=50,
        error_messages=WHOLE,
        validate=validate.Range(1, 200, error="Ange ett tal från 1 till 200."),
    )
    offset = fields.Integer(
        load_default=0,
        error_messages=WHOLE,
        validate=validate.Range(0, 10**9, error="Ange ett tal från 0."),
    )


def year_field() -> WholeNumber:
    """An optional year filter."""
    return WholeNumber(
        load_default=None,
        error_messages=WHOLE,
        validate=validate.Range(2000, 2100, error="Ange ett årtal mellan 2000 och 2100."),
    )


def unit_field() -> fields.String:
    """An optional organisation-unit filter (the unit and those below it)."""
    return fields.String(load_default=None, error_messages=MESSAGES)


# -- the caller ----------------------------------------------------------------------------
class Grant(Out):
    """A permission and where it holds (``everywhere``, or these units and those below)."""

    permission = fields.String(required=True)
    everywhere = fields.Boolean(required=True)
    units = fields.List(fields.String(), required=True)


class Me(Out):
    """The account a token acts for."""

    account = fields.String(required=True)
    name = fields.String(required=True)
    email = fields.String(required=True)
    roles = fields.List(fields.String(), required=True)
    permissions = fields.List(fields.Nested(Grant), required=True)
