"""What the goal, tracing, health and dashboard pages share: the snapshot, links, words."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any, cast
from urllib.parse import quote

from flask import current_app, request
from flask.sansio.blueprints import BlueprintSetupState
from flask_babel import LazyString, format_decimal
from flask_babel import lazy_gettext as _l

from qms.domain.kinds import (
    ActionStatus,
    DeviationKind,
    DeviationStatus,
    InspectionOutcome,
    Verdict,
)
from qms.domain.labels import Label
from qms.services.cache import Refreshing
from qms.services.goal_graph import QualityGraph, load
from web.translate import Terms

#: Seconds a snapshot may lag a write made by another process (own writes drop it at once).
SNAPSHOT_TTL = 15.0
EXTENSION = "quality_graph"

#: Where each kind of node is seen and fixed.
PATHS: dict[Label, str] = {
    Label.GOAL: "/mal/",
    Label.PROCESS: "/processer/",
    Label.ACTIVITY: "/aktiviteter/",
    Label.DOCUMENT: "/dokument/",
    Label.RISK: "/risker/",
    Label.DEVIATION: "/avvikelser/",
    Label.ROLE: "/roller/",
}

VERDICTS: dict[Verdict, LazyString] = {
    Verdict.MET: _l("Met"),
    Verdict.PARTLY_MET: _l("Partly met"),
    Verdict.NOT_MET: _l("Not met"),
}
INITIATIVE_STATUSES: dict[ActionStatus, LazyString] = {
    ActionStatus.PLANNED: _l("Planned"),
    ActionStatus.IN_PROGRESS: _l("In progress"),
    ActionStatus.DONE: _l("Done"),
}
DEVIATION_KINDS: dict[DeviationKind, LazyString] = {
    DeviationKind.DEVIATION: _l("Deviation"),
    DeviationKind.COMPLAINT: _l("Complaint"),
    DeviationKind.SUGGESTION: _l("Suggestion"),
    DeviationKind.LEX_SARAH: _l("Lex Sarah"),
    DeviationKind.LEX_MARIA: _l("Lex Maria"),
}
DEVIATION_STATUSES: dict[DeviationStatus, LazyString] = {
    DeviationStatus.REGISTERED: _l("Registered"),
    DeviationStatus.INVESTIGATING: _l("Under investigation"),
    DeviationStatus.ACTIONS: _l("Actions"),
    DeviationStatus.FOLLOW_UP: _l("Follow-up"),
    DeviationStatus.CLOSED: _l("Closed"),
}
OUTCOMES: dict[InspectionOutcome, LazyString] = {
    InspectionOutcome.OK: _l("No remarks"),
    InspectionOutcome.REMARKS: _l("Remarks"),
    InspectionOutcome.DEFICIENT: _l("Deficient"),
}
NODE_KINDS: dict[str, LazyString] = {
    Label.GOAL: _l("Goal"),
    Label.PROCESS: _l("Process"),
    Label.ACTIVITY: _l("Activity"),
    Label.DOCUMENT: _l("Document"),
    Label.RISK: _l("Risk"),
    Label.DEVIATION: _l("Deviation"),
    Label.SELF_INSPECTION: _l("Self-inspection"),
}


def path_of(label: Label | str, entity_id: str) -> str:
    """The page of a node (egenkontroller have one list page)."""
    if label == Label.SELF_INSPECTION:
        return f"{request.script_root}/egenkontroller"
    prefix = PATHS.get(Label(label))
    if prefix is None:
        return f"{request.script_root}/"
    return f"{request.script_root}{prefix}{quote(entity_id, safe=':')}"


def quality_graph() -> QualityGraph:
    """The current snapshot of the quality graph (reloaded after every write)."""
    return cast(Refreshing[QualityGraph], current_app.extensions[EXTENSION]).get()


def setup(state: BlueprintSetupState) -> None:
    """Open the snapshot cache once per app and add the words the templates use."""
    app = state.app
    if EXTENSION in app.extensions:
        return
    qms = app.extensions["qms"]
    cache: Refreshing[QualityGraph] = Refreshing(lambda: load(qms.store), SNAPSHOT_TTL)
    qms.on_write(cache.invalidate)
    app.extensions[EXTENSION] = cache
    # One namespace, so these words never clash with other features' template globals.
    app.jinja_env.globals["gq"] = SimpleNamespace(
        verdicts=Terms(VERDICTS),
        initiative_statuses=Terms(INITIATIVE_STATUSES),
        deviation_kinds=Terms(DEVIATION_KINDS),
        deviation_statuses=Terms(DEVIATION_STATUSES),
        outcomes=Terms(OUTCOMES),
        node_kinds=Terms(NODE_KINDS),
        path=path_of,
        number=number,
    )


def number(value: float | None) -> str:
    """A number the way the reader writes it (``7,4`` in Swedish), a dash when missing."""
    return "–" if value is None else str(format_decimal(value))


def unit_filter() -> str | None:
    """The ``enhet`` query parameter, if given."""
    value = request.args.get("enhet", "").strip()
    return value or None


def year_filter() -> int | None:
    """The ``ar`` query parameter as a year, if it is one."""
    value = request.args.get("ar", "").strip()
    return int(value) if value.isdigit() and 2000 <= int(value) <= 2100 else None


def form_data() -> dict[str, Any]:
    """The posted form as a plain dict of strings."""
    return {k: v for k, v in request.form.items()}
