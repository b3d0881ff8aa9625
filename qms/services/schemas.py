"""Marshmallow schemas for every entity, built from the domain, with Swedish messages."""

from __future__ import annotations

import dataclasses
import functools
from datetime import date
from enum import StrEnum
from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from qms.domain.entities import AUDIT_FIELDS, ENTITY_TYPES, ID_PATTERN, RiskMatrix
from qms.domain.graph import REFERENCES, field_types
from qms.domain.labels import Label
from qms.domain.risk_matrix import problems

Messages = dict[str, str | list[Any] | dict[Any, Any]]
MESSAGES: Messages = {
    "required": "Fältet måste fyllas i.",
    "null": "Fältet får inte vara tomt.",
    "invalid": "Ogiltigt värde.",
    "special": "Ogiltigt tal.",
    "too_large": "Talet är för stort.",
}
ID_FIELD_MESSAGE = "Ogiltigt id: använd bokstäver, siffror och _ . : - (högst 100 tecken)."
UNKNOWN_MESSAGE = "Okänt fält."

_SIMPLE: dict[type, type[fields.Field[Any]]] = {
    str: fields.String,
    int: fields.Integer,
    float: fields.Float,
    bool: fields.Boolean,
    date: fields.Date,
}


class QmsSchema(Schema):
    """Refuses unknown fields, in Swedish."""

    class Meta:
        unknown = RAISE

    error_messages = {"unknown": UNKNOWN_MESSAGE, "type": "Ogiltig typ: en mappning krävs."}  # noqa: RUF012


def _field(kind: type, required: bool) -> fields.Field[Any]:
    options: dict[str, Any] = {"required": required, "error_messages": MESSAGES}
    if not required:
        options["allow_none"] = True
    if issubclass(kind, StrEnum):
        allowed = [member.value for member in kind]
        return fields.String(
            validate=validate.OneOf(
                allowed, error=f"Ogiltigt värde; tillåtna: {', '.join(allowed)}."
            ),
            **options,
        )
    if kind is tuple:
        return fields.List(fields.String(error_messages=MESSAGES), **options)
    if kind is date:
        dates: Messages = MESSAGES | {"invalid": "Ogiltigt datum (ÅÅÅÅ-MM-DD)."}
        return fields.Date(error_messages=dates, required=required, allow_none=not required)
    if kind is str:
        return Text(validate=validate.Length(max=20000, error="Högst {max} tecken."), **options)
    if kind is int:
        return WholeNumber(**options)
    return _SIMPLE[kind](**options)


class WholeNumber(fields.Integer):
    """An integer; ``2.5`` is refused rather than cut to 2."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        if isinstance(value, float) and not value.is_integer():
            raise self.make_error("invalid")
        return super()._deserialize(value, attr, data, **kwargs)


class Text(fields.String):
    """Text that also takes a bare YAML number (``code: 1.5``, ``doc_version: 2.0``) as written."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        if isinstance(value, int | float) and not isinstance(value, bool):
            value = str(value)
        return super()._deserialize(value, attr, data, **kwargs)


class FlowSchema(QmsSchema):
    """One outgoing flow of an activity (``next``)."""

    to = fields.String(required=True, error_messages=MESSAGES)
    name = fields.String(load_default="", error_messages=MESSAGES)
    condition = fields.String(load_default="", error_messages=MESSAGES)
    default = fields.Boolean(load_default=False, error_messages=MESSAGES)


class _Reference(fields.Field[Any]):
    """An id, or (for lists whose target is one label) a nested entity mapping."""

    def __init__(self, nested: Label | None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.nested = nested

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        if isinstance(value, str):
            return value
        if isinstance(value, dict) and self.nested is not None:
            return entity_schema(self.nested)().load(value)
        raise ValidationError(
            "Ange ett id" + (" eller ett inbäddat objekt." if self.nested else ".")
        )


@functools.cache
def entity_schema(label: Label) -> type[QmsSchema]:
    """The schema of one label: its fields, ``id`` and its reference fields."""
    cls = ENTITY_TYPES[label]
    attrs: dict[str, Any] = {
        "id": fields.String(
            required=True,
            error_messages=MESSAGES,
            validate=validate.Regexp(ID_PATTERN, error=ID_FIELD_MESSAGE),
        ),
    }
    kinds = field_types(label)
    for f in dataclasses.fields(cls):
        if f.name == "id" or f.name in AUDIT_FIELDS:
            continue
        required = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        attrs[f.name] = _field(kinds[f.name], required)
    for name, ref in REFERENCES[label].items():
        nested = ref.targets[0] if ref.many and len(ref.targets) == 1 else None
        item = _Reference(nested, error_messages=MESSAGES)
        attrs[name] = (
            fields.List(item, error_messages=MESSAGES)
            if ref.many
            else fields.String(allow_none=True, error_messages=MESSAGES)
        )
    if label is Label.ACTIVITY:
        attrs["next"] = fields.List(fields.Nested(FlowSchema), error_messages=MESSAGES)
    if label is Label.RISK:
        attrs["_scale"] = validates_schema(_check_scale)
    if label in (Label.GOAL_ASSESSMENT, Label.INDICATOR_OUTCOME):
        attrs["_tertial"] = validates_schema(_check_tertial)
    if label is Label.RISK_MATRIX:
        attrs["_matrix"] = validates_schema(_check_matrix)
    return type(f"{cls.__name__}Schema", (QmsSchema,), attrs)


def _check_scale(self: Schema, data: dict[str, Any], **kwargs: Any) -> None:
    errors = {
        name: ["Ange ett värde från 1 till 5."]
        for name in ("probability", "consequence")
        if data.get(name) is not None and not 1 <= data[name] <= 5
    }
    if errors:
        raise ValidationError(errors)


def _check_tertial(self: Schema, data: dict[str, Any], **kwargs: Any) -> None:
    errors: dict[str, list[str]] = {}
    if data.get("tertial") is not None and not 1 <= data["tertial"] <= 3:
        errors["tertial"] = ["Ange tertial 1, 2 eller 3 (3 = verksamhetsberättelsen)."]
    if data.get("year") is not None and not 2000 <= data["year"] <= 2100:
        errors["year"] = ["Ange ett årtal mellan 2000 och 2100."]
    if errors:
        raise ValidationError(errors)


def _check_matrix(self: Schema, data: dict[str, Any], **kwargs: Any) -> None:
    if any(data.get(name) is None for name in _MATRIX_LISTS + ("control_threshold",)):
        return  # the required-field messages say it already
    lists: dict[str, Any] = {name: tuple(data[name]) for name in _MATRIX_LISTS}
    matrix = RiskMatrix(id="check", name="", control_threshold=data["control_threshold"], **lists)
    found = problems(matrix)
    if found:
        raise ValidationError(found)


_MATRIX_LISTS = (
    "probability_labels",
    "consequence_labels",
    "level_names",
    "level_colours",
    "level_minimums",
)
