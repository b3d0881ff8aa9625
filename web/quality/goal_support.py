"""What the goal, tracing, health and dashboard pages share: the snapshot, links, words."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any, cast
from urllib.parse import quote

from flask import current_app, request
from flask.sansio.blueprints import BlueprintSetupState
from flask_babel import format_decimal

from qms.domain.labels import Label
from qms.services.cache import Refreshing
from qms.services.goal_graph import QualityGraph, load
from web.labels import (
    ACTION_STATUSES,
    DEVIATION_KINDS,
    DEVIATION_STATUSES,
    INSPECTION_OUTCOMES,
    NODE_KINDS,
    VERDICTS,
)
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
        initiative_statuses=Terms(ACTION_STATUSES),
        deviation_kinds=Terms(DEVIATION_KINDS),
        deviation_statuses=Terms(DEVIATION_STATUSES),
        outcomes=Terms(INSPECTION_OUTCOMES),
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
