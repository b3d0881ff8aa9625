"""Ledningssystemets hälsa finds the demo organisation's deliberate gaps."""

from __future__ import annotations

import dataclasses
from datetime import date

from qms.domain.entities import Deviation
from qms.domain.kinds import DeviationStatus
from qms.domain.labels import Label, Rel
from qms.domain.risk_matrix import needs_control
from qms.services import goal_graph
from qms.services.app import Qms
from qms.services.health import Check, health

DEMO_TODAY = date(2026, 11, 20)


def _ids(report: object, check: Check) -> set[str]:
    findings = {f.check: f for f in report.findings}  # type: ignore[attr-defined]
    return {i.id for i in findings[check].items}


def test_the_deliberate_gaps_are_found(demo: Qms) -> None:
    graph = goal_graph.load(demo.store)
    report = health(graph, DEMO_TODAY)
    assert "ek-genomforandeplaner" in _ids(report, Check.INSPECTION_OVERDUE)
    assert "a-gfp-boka" in _ids(report, Check.ACTIVITY_WITHOUT_ROUTINE)
    assert {"g-nm-klimat", "g-em-ht-fossilfri", "g-im-2"} <= _ids(report, Check.GOAL_NOT_SERVED)
    assert "g-nm-aldre" not in _ids(report, Check.GOAL_NOT_SERVED)
    assert _ids(report, Check.DOCUMENT_PAST_REVIEW)
    assert report.total == sum(len(f.items) for f in report.findings)


def test_only_tasks_can_lack_a_routine(demo: Qms) -> None:
    graph = goal_graph.load(demo.store)
    found = _ids(health(graph, DEMO_TODAY), Check.ACTIVITY_WITHOUT_ROUTINE)
    assert found
    assert all(graph.activities[a].node_type.endswith("task") for a in found)


def test_high_risks_without_control_are_above_the_threshold_and_uncovered(demo: Qms) -> None:
    graph = goal_graph.load(demo.store)
    found = _ids(health(graph, DEMO_TODAY), Check.RISK_WITHOUT_CONTROL)
    for risk_id in found:
        assert needs_control(graph.matrix, graph.risks[risk_id].value)
        assert not graph.sources(Rel.CONTROLS, risk_id)
        assert not graph.sources(Rel.CHECKS, risk_id)
    uncovered = [
        r
        for r in graph.risks.values()
        if needs_control(graph.matrix, r.value)
        and r.status != "closed"
        and not graph.sources(Rel.CONTROLS, r.id)
        and not graph.sources(Rel.CHECKS, r.id)
    ]
    assert found == {r.id for r in uncovered}


def test_avvikelser_past_follow_up_and_the_unit_filter(demo: Qms) -> None:
    with demo.unit_of_work("test") as uow:
        current = uow.get(Label.DEVIATION, "dev-lexsarah-utebliven-insats")
        assert isinstance(current, Deviation)
        uow.update(dataclasses.replace(current, status=DeviationStatus.INVESTIGATING))
    later = date(2027, 3, 1)
    graph = goal_graph.load(demo.store)
    everywhere = _ids(health(graph, later), Check.DEVIATION_PAST_FOLLOW_UP)
    assert "dev-lexsarah-utebliven-insats" in everywhere
    assert all(graph.deviations[d].status != "closed" for d in everywhere)
    home_care = health(graph, later, "ou-enh-hemtjanst")
    assert _ids(home_care, Check.DEVIATION_PAST_FOLLOW_UP) <= everywhere
    assert "dev-attest" not in _ids(home_care, Check.DEVIATION_PAST_FOLLOW_UP)
    overdue = _ids(home_care, Check.INSPECTION_OVERDUE)
    assert "ek-genomforandeplaner" in overdue
    assert "ek-attest" in _ids(health(graph, later), Check.INSPECTION_OVERDUE) - overdue
    assert "g-nm-klimat" not in _ids(home_care, Check.GOAL_NOT_SERVED)
