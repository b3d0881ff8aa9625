"""``/halsa``: ledningssystemets hälsa, the gaps of the quality system and where to fix them.

The blueprint is called ``system_health``: ``health`` is the ``/health`` probe's.
"""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from qms.domain.errors import NotFound
from qms.domain.labels import Label
from qms.services import health
from qms.services.health import Check
from web.quality.goal_support import quality_graph, setup, unit_filter
from web.services import today
from web.translate import Terms

bp = Blueprint("system_health", __name__)
bp.record_once(setup)

CHECKS: dict[Check, tuple[LazyString, LazyString]] = {
    Check.ACTIVITY_WITHOUT_ROUTINE: (
        _l("Activities without a routine"),
        _l("SOSFS 2011:9 4 kap. 4 §: every task needs a routine saying how it is done."),
    ),
    Check.PROCESS_WITHOUT_OWNER: (
        _l("Processes without an owner"),
        _l("Someone must answer for each process."),
    ),
    Check.PROCESS_WITHOUT_GOAL: (
        _l("Processes that serve no goal"),
        _l("Neither the process, its activities nor a process above it contributes to a goal."),
    ),
    Check.DOCUMENT_PAST_REVIEW: (
        _l("Documents past their review date"),
        _l("Approved documents whose review date has passed."),
    ),
    Check.GOAL_NOT_SERVED: (
        _l("Goals no process serves"),
        _l("No process or activity contributes to the goal or to a goal below it."),
    ),
    Check.RISK_WITHOUT_CONTROL: (
        _l("High risks without a control"),
        _l("Risks at or above the control threshold with neither a control nor a self-inspection."),
    ),
    Check.INSPECTION_OVERDUE: (
        _l("Overdue self-inspections"),
        _l("The next due date has passed without a result."),
    ),
    Check.DEVIATION_PAST_FOLLOW_UP: (
        _l("Deviations past their follow-up date"),
        _l("Open deviations whose follow-up date has passed."),
    ),
}
DETAILS: dict[Check, LazyString] = {
    Check.DOCUMENT_PAST_REVIEW: _l("review by"),
    Check.RISK_WITHOUT_CONTROL: _l("risk value"),
    Check.INSPECTION_OVERDUE: _l("overdue since"),
    Check.DEVIATION_PAST_FOLLOW_UP: _l("follow up by"),
    Check.ACTIVITY_WITHOUT_ROUTINE: _l("in"),
}
#: Items listed per check for the whole organisation (a unit's page lists all of its own).
SHOWN_PER_CHECK = 200
_titles = Terms({k: v[0] for k, v in CHECKS.items()})
_texts = Terms({k: v[1] for k, v in CHECKS.items()})
_details = Terms(DETAILS)


@bp.get("/halsa")
def index() -> str:
    """Counts per check at the top, then every gap with a link to where it is fixed."""
    graph = quality_graph()
    unit_id = unit_filter()
    if unit_id is not None and unit_id not in graph.units:
        raise NotFound(Label.ORG_UNIT, unit_id[:100])
    report = health.health(graph, today(), unit_id)
    return render_template(
        "quality/health.html",
        report=report,
        units=sorted(graph.units.values(), key=lambda u: u.name.casefold()),
        unit=graph.units.get(unit_id) if unit_id else None,
        titles=_titles,
        texts=_texts,
        details=_details,
        # A whole city has thousands of gaps per check; one unit's list is what gets fixed.
        shown=SHOWN_PER_CHECK if unit_id is None else None,
    )
