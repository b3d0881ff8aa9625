"""``/ledning``: the manager's overview for an organisation unit and the units under it."""

from __future__ import annotations

from flask import Blueprint, render_template

from qms.domain.entities import Risk
from qms.domain.labels import Label
from qms.services import dashboard
from qms.services.heatmap import heatmap_svg
from web.quality.goal_support import path_of, quality_graph, setup, unit_filter, year_filter
from web.services import today

bp = Blueprint("dashboard", __name__)
bp.record_once(setup)


@bp.get("/ledning")
def index() -> str:
    """Open avvikelser per process and month, the heat map, overdue checks, goal follow-up."""
    graph = quality_graph()
    matrix = graph.matrix

    def heatmap(risks: list[Risk]) -> str:
        return heatmap_svg(matrix, risks, lambda r: path_of(Label.RISK, r.id))

    board = dashboard.dashboard(graph, today(), unit_filter(), year_filter(), heatmap)
    years = sorted({g.year for g in graph.goals.values() if g.year} | {board.year})
    return render_template("quality/dashboard.html", board=board, years=years)
