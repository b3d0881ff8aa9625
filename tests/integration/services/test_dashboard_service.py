"""The manager dashboard: open avvikelser per process and month, goal follow-up."""

from __future__ import annotations

from datetime import date

from lxml import etree

from qms.domain.kinds import Verdict
from qms.services import goal_graph
from qms.services.app import Qms
from qms.services.dashboard import dashboard

SVG = "{http://www.w3.org/2000/svg}"


def test_open_deviations_per_process_and_month(demo: Qms) -> None:
    graph = goal_graph.load(demo.store)
    board = dashboard(graph, date(2026, 11, 20))
    monthly = board.deviations
    assert monthly.open_count == sum(1 for d in graph.deviations.values() if d.status != "closed")
    series = dict(monthly.series)
    home_care = series["Hemtjänst – från beslut till insats"]
    assert home_care[monthly.months.index("okt 2026")] >= 2
    root = etree.fromstring(board.chart_svg.encode())
    assert root.find(f"{SVG}title").text == "Öppna avvikelser per process och månad"
    assert root.find(f"{SVG}desc") is not None
    segments = root.findall(f".//{SVG}rect/{SVG}title")
    assert sum(int(t.text.rsplit(": ", 1)[1]) for t in segments) == sum(monthly.totals)


def test_unit_filter_includes_units_below(demo: Qms) -> None:
    graph = goal_graph.load(demo.store)
    board = dashboard(graph, date(2026, 11, 20), "ou-enh-hemtjanst")
    assert {name for name, _ in board.deviations.series} == {"Hemtjänst – från beslut till insats"}
    assert [i.id for i in board.overdue] == ["ek-genomforandeplaner"]
    assert all(graph.unit_of(r.id) == "ou-enh-hemtjanst" for r in board.risks)
    whole = dashboard(graph, date(2026, 11, 20), "ou-sdn")
    assert len(whole.risks) > len(board.risks)


def test_goal_assessment_per_tertial(demo: Qms) -> None:
    graph = goal_graph.load(demo.store)
    rows = {r.goal.id: r for r in dashboard(graph, date(2026, 11, 20)).goals}
    t1, t2, t3 = rows["g-em-ht-genomforandeplan"].tertials
    assert t1 is not None
    assert t1.verdict is Verdict.NOT_MET
    assert t2 is not None
    assert not t2.planned_actions
    assert t3 is None
    assert "g-im-1" not in rows  # inriktningsmål are not followed up per tertial
    assert "g-nm-forskola" in rows
