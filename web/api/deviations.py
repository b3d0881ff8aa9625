"""Avvikelser: the register (counts for everyone, rows for those who may read them), one
case, and reporting a new one. Who may read what is the avvikelse service's decision."""

from __future__ import annotations

from typing import Any

from flask import url_for

from qms.domain.deviation_flow import IvoDeadline
from qms.services import api_reads
from qms.services.deviation_schemas import ReportSchema
from qms.services.deviation_views import CaseView
from web.api import quality_schemas as qs
from web.api import schemas as s
from web.api.core import Reply, api_actor, bp, operation
from web.api.portal import ref, refs
from web.quality.deviations import service

DEVIATIONS = "Avvikelser (deviations)"
FILTERS = ("status", "kind", "org_unit", "process")


def ivo(deadline: IvoDeadline | None) -> dict[str, Any] | None:
    """The IVO deadline with its state today."""
    if deadline is None:
        return None
    return {
        "due": deadline.due,
        "days_left": deadline.days_left,
        "reported_on": deadline.reported_on,
        "overdue": deadline.overdue,
        "approaching": deadline.approaching,
    }


@bp.get("/deviations")
@operation("The register", DEVIATIONS, qs.DeviationPage, query=qs.DeviationQuery)
def deviation_list(query: dict[str, Any]) -> dict[str, Any]:
    """Counts per status and kind of every case the filters select; rows (most urgent first:
    IVO reports due, then the latest) only of the cases the caller may read: those of units
    where they may read personal data, and their own reports. At most 500 rows
    (``truncated``)."""
    filters = {k: query[k] for k in FILTERS if query.get(k)}
    register = service().list(api_actor(), filters)
    items = [
        s.flat(row.deviation, unit=row.unit, processes=list(row.processes), ivo=ivo(row.ivo))
        for row in register.rows
    ]
    page = api_reads.paginate(items, query["limit"], query["offset"])
    return {
        "items": page.items,
        "total": register.total,
        "shown": len(items),
        "limit": page.limit,
        "offset": page.offset,
        "restricted": register.restricted,
        "truncated": register.truncated,
        "by_status": {k.value: v for k, v in register.by_status.items()},
        "by_kind": {k.value: v for k, v in register.by_kind.items()},
    }


def case(view: CaseView) -> dict[str, Any]:
    """A case as the caller may see it (free text, causes and actions only when allowed)."""
    links = view.links
    actions = [s.flat(a.action, causes=[c.id for c in a.causes]) for a in view.actions]
    return s.flat(
        view.deviation,
        restricted=view.restricted,
        unit=ref(links.org_unit),
        processes=refs(links.processes),
        activities=refs(links.activities),
        risks=refs(links.risks),
        causes=[s.flat(c) for c in view.causes],
        actions=actions,
        cause_count=view.cause_count,
        action_count=view.action_count,
        ivo=ivo(view.ivo),
    )


@bp.get("/deviations/<deviation_id>")
@operation("One case", DEVIATIONS, qs.DeviationDetail)
def deviation(deviation_id: str) -> dict[str, Any]:
    """One case. Without the right to read it, ``restricted`` is true and the free-text
    fields (title, description, location, reported_by, investigator, follow_up_outcome),
    causes and actions are left out."""
    return case(service().view(api_actor(), deviation_id))


@bp.post("/deviations")
@operation(
    "Report a case",
    DEVIATIONS,
    qs.DeviationDetail,
    status=201,
    body=ReportSchema,
    errors=(403,),
    headers={"Location": "The new case's address in the API."},
)
def report(body: dict[str, Any]) -> Reply:
    """Register a case (status registered, a new case number ``av-ÅÅÅÅ-NNNN``): what
    happened (``title``), when (``occurred_on``, not in the future) and where (a
    ``process``, ``activity``, ``org_unit`` or a ``location``)."""
    deviations = service()
    actor = api_actor()
    created = deviations.report(actor, body)
    where = url_for(".deviation", deviation_id=created.id)
    return Reply(case(deviations.view(actor, created.id)), headers={"Location": where})
