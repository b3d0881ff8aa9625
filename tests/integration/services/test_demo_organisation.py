"""The demo organisation has what every screen and later check needs."""

from __future__ import annotations

from collections import Counter
from datetime import date

from qms.domain.entities import Document, Goal, Process
from qms.domain.kinds import DocumentKind, GoalLevel, ProcessKind
from qms.domain.labels import Label, Rel
from qms.services.app import Qms


def test_process_landscape(demo: Qms) -> None:
    kinds = Counter(p.kind for p in demo.store.entities(Label.PROCESS) if isinstance(p, Process))
    assert kinds[ProcessKind.CORE] >= 3
    assert kinds[ProcessKind.SUPPORT] >= 4
    assert kinds[ProcessKind.MANAGEMENT] >= 5
    names = " ".join(p.caption.lower() for p in demo.store.entities(Label.PROCESS))
    for needle in (
        "verksamhetsplan",
        "tertialrapport",
        "verksamhetsberättelse",
        "lex sarah",
        "riskanalys",
        "mål",
    ):
        assert needle in names


def test_goal_chain(demo: Qms) -> None:
    levels = Counter(g.level for g in demo.store.entities(Label.GOAL) if isinstance(g, Goal))
    assert levels[GoalLevel.DIRECTION] == 4
    assert levels[GoalLevel.COUNCIL] >= 2
    assert levels[GoalLevel.COMMITTEE] >= 4
    assert levels[GoalLevel.UNIT] >= 8
    for goal in demo.store.entities(Label.GOAL):
        parents = demo.store.neighbours(Label.GOAL, goal.id, Rel.BREAKS_DOWN)
        assert (len(parents) == 0) == (isinstance(goal, Goal) and goal.level is GoalLevel.DIRECTION)


def test_every_process_has_ordered_activities_with_roles(demo: Qms) -> None:
    for process in demo.store.entities(Label.PROCESS):
        view = demo.store.process_view(process.id)
        assert view.activities, process.id
        tasks = [a for a in view.activities if a.activity.node_type.endswith("task")]
        assert all(a.role is not None for a in tasks), process.id


def test_deliberate_gaps_are_there(demo: Qms) -> None:
    gaps = [
        a.activity.id
        for p in demo.store.entities(Label.PROCESS)
        for a in demo.store.process_view(p.id).activities
        if a.lacks_routine
    ]
    assert len(gaps) >= 2
    overdue = [
        d
        for d in demo.store.entities(Label.DOCUMENT)
        if isinstance(d, Document) and d.review_overdue(date(2026, 11, 22))
    ]
    assert len(overdue) >= 1
    routines = [
        d
        for d in demo.store.entities(Label.DOCUMENT)
        if isinstance(d, Document) and d.kind is DocumentKind.ROUTINE
    ]
    assert len(routines) >= 15


def test_quality_work_is_linked_into_the_graph(demo: Qms) -> None:
    counts = demo.store.counts()
    for label in ("Risk", "SelfInspection", "Deviation", "Action", "Indicator", "Initiative"):
        assert counts[label] >= 3, label
    for deviation in demo.store.entities(Label.DEVIATION):
        goals = demo.trace(Label.DEVIATION, deviation.id)
        assert goals, deviation.id
        assert any(path.nodes[-1].id.startswith("g-") for path in goals)
