"""The answers and queries of the process map: processes, activities, documents, roles,
search."""

from __future__ import annotations

from marshmallow import fields, validate

from qms.domain.kinds import ProcessKind
from qms.domain.labels import Label
from qms.services.portal_search import GROUP_ORDER
from qms.services.schemas import MESSAGES
from web.api.schemas import (
    Out,
    Paging,
    Query,
    Ref,
    entity_out,
    extended,
    nested,
    paged,
    ref_list,
    unit_field,
)


# -- processes, activities, documents, roles -----------------------------------------------
class ProcessQuery(Paging):
    """Filters of the process list."""

    kind = fields.String(
        load_default=None,
        error_messages=MESSAGES,
        validate=validate.OneOf([k.value for k in ProcessKind], error="Välj en processtyp."),
    )
    unit = unit_field()
    archived = fields.Boolean(load_default=False, error_messages=MESSAGES)


ProcessItem = extended(
    Label.PROCESS,
    "ProcessItem",
    unit=fields.String(required=True, allow_none=True),
    parent=fields.String(required=True, allow_none=True),
)
ProcessPage = paged(ProcessItem, "ProcessPage")

ActivityStep = extended(
    Label.ACTIVITY,
    "ActivityStep",
    role=nested(Ref, allow_none=True),
    documents=ref_list(),
    next=fields.List(fields.String(), required=True),
    lacks_routine=fields.Boolean(required=True),
)
ProcessDetail = extended(
    Label.PROCESS,
    "ProcessDetail",
    parent=nested(Ref, allow_none=True),
    trail=ref_list(),
    owner=nested(Ref, allow_none=True),
    subprocesses=ref_list(),
    activities=ref_list(ActivityStep),
    goals=ref_list(),
    documents=ref_list(),
    risk_count=fields.Integer(required=True),
    inspection_count=fields.Integer(required=True),
)
ActivityDetail = extended(
    Label.ACTIVITY,
    "ActivityDetail",
    process=nested(Ref, allow_none=True),
    role=nested(Ref, allow_none=True),
    documents=ref_list(),
    goals=ref_list(),
    previous=ref_list(),
    following=ref_list(),
    lacks_routine=fields.Boolean(required=True),
    risk_count=fields.Integer(required=True),
    inspection_count=fields.Integer(required=True),
)
DocumentDetail = extended(
    Label.DOCUMENT,
    "DocumentDetail",
    owner=nested(Ref, allow_none=True),
    unit=nested(Ref, allow_none=True),
    processes=ref_list(),
    activities=ref_list(),
    overdue=fields.Boolean(required=True),
)


class RoleWork(Out):
    """The activities a role performs in one process."""

    process = nested(Ref)
    activities = ref_list()


RoleOut = entity_out(Label.ROLE)
RolePage = paged(RoleOut, "RolePage")
RoleDetail = extended(Label.ROLE, "RoleDetail", processes=ref_list(RoleWork), routines=ref_list())


class SearchQuery(Query):
    """A search: the words (cut at 200 characters, like the portal's) and one type or all."""

    q = fields.String(
        required=True,
        error_messages=MESSAGES,
        validate=validate.Length(min=1, error="Skriv vad du söker."),
    )
    type = fields.String(
        load_default=None,
        error_messages=MESSAGES,
        validate=validate.OneOf([label.value for label in GROUP_ORDER], error="Okänd typ."),
    )


class SearchHit(Out):
    """A hit; ``snippet`` is HTML-escaped text with the matches wrapped in ``<mark>``."""

    label = fields.String(required=True)
    id = fields.String(required=True)
    title = fields.String(required=True)
    snippet = fields.String(required=True)


class SearchResult(Out):
    """Hits grouped by type; ``corrected`` is the query searched when the words had none."""

    query = fields.String(required=True)
    corrected = fields.String(required=True, allow_none=True)
    truncated = fields.Boolean(required=True)
    total = fields.Integer(required=True)
    hits = fields.List(fields.Nested(SearchHit), required=True)
