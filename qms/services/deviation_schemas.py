"""Marshmallow schemas of the avvikelse use cases: what a form or API call may send."""

from __future__ import annotations

from typing import Any

from marshmallow import ValidationError, fields, pre_load, validate

from qms.domain.errors import InvalidInput
from qms.domain.kinds import ActionStatus, DeviationKind, DeviationStatus, IncidentClass
from qms.services.schemas import MESSAGES, Messages, QmsSchema

TITLE_MAX = 300
TEXT_MAX = 20000
SHORT_MAX = 500
DATES: Messages = MESSAGES | {"invalid": "Ogiltigt datum (ÅÅÅÅ-MM-DD)."}
REQUIRED = "Fältet måste fyllas i."
CHOICE = "Välj ett av alternativen."
INVALID = "Uppgifterna kunde inte tas emot; se felen vid fälten."
#: Fields whose empty form value means "not given" rather than an empty text.
_OPTIONAL_VALUES = frozenset(
    {
        "occurred_on",
        "follow_up_on",
        "due_on",
        "done_on",
        "serious_decided_on",
        "reported_to_ivo_on",
        "process",
        "activity",
        "org_unit",
        "raised_by",
        "realises",
        "kind",
        "status",
        "incident_class",
        "serious",
    }
)


def _text(limit: int, required: bool = False) -> fields.String:
    if required:
        filled = validate.Length(min=1, error=REQUIRED)
        length = validate.Length(max=limit, error="Högst {max} tecken.")
        return fields.String(required=True, validate=[filled, length], error_messages=MESSAGES)
    length = validate.Length(max=limit, error="Högst {max} tecken.")
    return fields.String(load_default="", validate=length, error_messages=MESSAGES)


def _choice(values: type[Any], **options: Any) -> fields.String:
    allowed = [member.value for member in values]
    return fields.String(
        validate=validate.OneOf(allowed, error=CHOICE), error_messages=MESSAGES, **options
    )


def _date(**options: Any) -> fields.Date:
    return fields.Date(error_messages=DATES, **options)


def _id(**options: Any) -> fields.String:
    return fields.String(
        validate=validate.Length(max=100, error="Ogiltigt id."), error_messages=MESSAGES, **options
    )


class FormSchema(QmsSchema):
    """Strips text; an empty value of an optional date, choice or reference is left out."""

    @pre_load
    def _clean(self, data: Any, **kwargs: Any) -> Any:
        if not isinstance(data, dict):
            return data
        cleaned = {}
        for key, value in data.items():
            if isinstance(value, str):
                value = value.strip()
                if not value and key in _OPTIONAL_VALUES:
                    continue
            cleaned[key] = value
        return cleaned


class ReportSchema(FormSchema):
    """The minimal report anyone may send: what, when, where."""

    title = _text(TITLE_MAX, required=True)
    description = _text(TEXT_MAX)
    occurred_on = _date(required=True)
    kind = _choice(DeviationKind, load_default=DeviationKind.DEVIATION.value)
    process = _id(load_default=None)
    activity = _id(load_default=None)
    org_unit = _id(load_default=None)
    location = _text(SHORT_MAX)
    reported_by = _text(200)
    raised_by = _id(load_default=None)
    realises = _id(load_default=None)


class UpdateSchema(FormSchema):
    """What the investigator edits (load with ``partial=True``: only the fields sent change)."""

    title = _text(TITLE_MAX, required=True)
    description = _text(TEXT_MAX)
    kind = _choice(DeviationKind)
    occurred_on = _date(required=True)
    location = _text(SHORT_MAX)
    reported_by = _text(200)
    investigator = _text(200)
    follow_up_on = _date(allow_none=True)
    follow_up_outcome = _text(TEXT_MAX)


class CauseSchema(FormSchema):
    """A root cause."""

    description = _text(5000, required=True)
    category = _text(200)


class ActionSchema(FormSchema):
    """An åtgärd (the causes it addresses are passed beside it)."""

    title = _text(TITLE_MAX, required=True)
    description = _text(TEXT_MAX)
    status = _choice(ActionStatus, load_default=ActionStatus.PLANNED.value)
    due_on = _date(load_default=None)
    done_on = _date(load_default=None)


class ClassifySchema(FormSchema):
    """Lex Sarah / lex Maria: what it is about and whether it is allvarligt, decided by whom."""

    incident_class = _choice(IncidentClass, required=True)
    serious = fields.Boolean(
        required=True, error_messages=MESSAGES | {"invalid": "Svara ja eller nej."}
    )
    serious_decided_by = _text(200, required=True)
    serious_decided_on = _date(required=True)


class IvoReportSchema(FormSchema):
    """When the case was reported to IVO, and IVO's reference."""

    reported_to_ivo_on = _date(required=True)
    ivo_reference = _text(100)


class FilterSchema(FormSchema):
    """The register's filters."""

    status = _choice(DeviationStatus, load_default=None)
    kind = _choice(DeviationKind, load_default=None)
    org_unit = _id(load_default=None)
    process = _id(load_default=None)


def load(schema: QmsSchema, data: Any, **options: Any) -> dict[str, Any]:
    """``data`` loaded by ``schema``, or ``InvalidInput`` with the Swedish messages per field."""
    if not isinstance(data, dict):
        raise InvalidInput(INVALID, {"_schema": ["Ogiltig typ: en mappning krävs."]})
    try:
        loaded: dict[str, Any] = schema.load(data, **options)
    except ValidationError as exc:
        raise InvalidInput(INVALID, flatten(exc.messages)) from exc
    return loaded


def flatten(messages: Any, prefix: str = "") -> dict[str, list[str]]:
    """Marshmallow's nested messages as ``{"field": [text, ...]}``."""
    if isinstance(messages, list):
        return {prefix or "_schema": [str(m) for m in messages]}
    found: dict[str, list[str]] = {}
    if isinstance(messages, dict):
        for key, value in messages.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            for field, texts in flatten(value, name).items():
                found.setdefault(field, []).extend(texts)
    else:
        found[prefix or "_schema"] = [str(messages)]
    return found
