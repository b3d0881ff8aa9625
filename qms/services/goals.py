"""Goals (the ILS chain): the tree, one goal's follow-up and what threatens it."""

from __future__ import annotations

from dataclasses import dataclass

from qms.domain.entities import (
    Deviation,
    ExpectedResult,
    Goal,
    GoalAssessment,
    Indicator,
    IndicatorOutcome,
    Initiative,
    InspectionResult,
    OrgUnit,
    Risk,
    SelfInspection,
)
from qms.domain.errors import NotFound
from qms.domain.kinds import DeviationStatus, InspectionOutcome, Verdict
from qms.domain.labels import Label, Rel
from qms.domain.risk_matrix import Level, level_of
from qms.domain.views import NodeRef
from qms.services.access import Actor, Permission
from qms.services.goal_graph import QualityGraph


@dataclass(frozen=True)
class GoalNode:
    """A goal in the tree, its children, and whether it matched the filter (else context)."""

    goal: Goal
    children: tuple[GoalNode, ...]
    matched: bool
    latest: GoalAssessment | None


@dataclass(frozen=True)
class GoalTree:
    """The ILS chain as a forest, with the filter it was drawn for."""

    roots: tuple[GoalNode, ...]
    units: tuple[OrgUnit, ...]
    years: tuple[int, ...]
    unit: OrgUnit | None
    year: int | None
    count: int


@dataclass(frozen=True)
class IndicatorRow:
    """An indicator with its utfall per tertial."""

    indicator: Indicator
    outcomes: tuple[IndicatorOutcome, ...]

    @property
    def has_split(self) -> bool:
        """Whether any utfall is split by kön."""
        return any(o.women is not None or o.men is not None for o in self.outcomes)


@dataclass(frozen=True)
class AssessmentRow:
    """A målbedömning, flagged when it is not met and plans nothing."""

    assessment: GoalAssessment

    @property
    def lacks_plan(self) -> bool:
        """Not (fully) met, yet no planned actions: the gap a follow-up must close."""
        a = self.assessment
        return a.verdict is not Verdict.MET and not a.planned_actions.strip()


@dataclass(frozen=True)
class Contribution:
    """A process or activity serving the goal, directly or through a goal below it."""

    node: NodeRef
    via: NodeRef | None


@dataclass(frozen=True)
class ExposedRisk:
    """A risk threatening the goal, with its level and what it threatens on the way."""

    risk: Risk
    level: Level
    via: tuple[NodeRef, ...]


@dataclass(frozen=True)
class ExposedDeviation:
    """An open avvikelse touching what serves the goal; ``title`` None when hidden."""

    deviation: Deviation
    title: str | None
    via: tuple[NodeRef, ...]


@dataclass(frozen=True)
class ExposedInspection:
    """An egenkontroll of what serves the goal whose results found something."""

    inspection: SelfInspection
    findings: tuple[InspectionResult, ...]
    via: tuple[NodeRef, ...]


@dataclass(frozen=True)
class Exposure:
    """Vad hotar målet: risks by value, open avvikelser, egenkontroller with findings."""

    risks: tuple[ExposedRisk, ...]
    deviations: tuple[ExposedDeviation, ...]
    inspections: tuple[ExposedInspection, ...]

    @property
    def empty(self) -> bool:
        """Nothing threatens the goal that the graph knows of."""
        return not (self.risks or self.deviations or self.inspections)


@dataclass(frozen=True)
class GoalPage:
    """Everything the goal page shows."""

    goal: Goal
    chain: tuple[Goal, ...]
    children: tuple[Goal, ...]
    unit: OrgUnit | None
    expected_results: tuple[ExpectedResult, ...]
    indicators: tuple[IndicatorRow, ...]
    initiatives: tuple[Initiative, ...]
    assessments: tuple[AssessmentRow, ...]
    contributions: tuple[Contribution, ...]
    exposure: Exposure


def ref(graph: QualityGraph, entity_id: str) -> NodeRef:
    """A node of the snapshot as label, id and caption."""
    entity = graph.entity(entity_id)
    if entity is None:
        raise NotFound("Node", entity_id)
    return NodeRef(entity.LABEL, entity.id, entity.caption)


# -- the tree ---------------------------------------------------------------------------
def goal_tree(graph: QualityGraph, unit_id: str | None = None, year: int | None = None) -> GoalTree:
    """The chain inriktningsmål → KF-mål → nämndmål → enhetsmål for a unit and a year.

    A goal matches when it belongs to the unit (or a unit under it) and is valid in the year
    (goals without a year, such as inriktningsmål, are valid every year); the goals above a
    match are kept as context, so the chain always reads from the top.
    """
    goals = graph.goals
    unit = _unit(graph, unit_id)
    units = graph.units_below(unit_id)
    matched = {
        g.id
        for g in goals.values()
        if graph.in_units(g.id, units) and (year is None or g.year in (None, year))
    }
    shown = {up for gid in matched for up in graph.goal_chain(gid) if up in goals}

    def node(goal: Goal) -> GoalNode:
        children = [goals[c] for c in graph.sources(Rel.BREAKS_DOWN, goal.id) if c in shown]
        assessments = graph.assessments(goal.id)
        return GoalNode(
            goal,
            tuple(node(c) for c in sorted(children, key=_goal_order)),
            goal.id in matched,
            assessments[-1] if assessments else None,
        )

    roots = [g for gid, g in goals.items() if gid in shown and graph.goal_parent(gid) not in shown]
    all_units = sorted(graph.units.values(), key=lambda u: u.name.casefold())
    return GoalTree(
        roots=tuple(node(g) for g in sorted(roots, key=_goal_order)),
        units=tuple(all_units),
        years=tuple(sorted({g.year for g in goals.values() if g.year is not None})),
        unit=unit,
        year=year,
        count=len(matched),
    )


def _goal_order(goal: Goal) -> tuple[list[int | str], str]:
    parts: list[int | str] = [int(p) if p.isdigit() else p for p in goal.code.split(".")]
    return (parts if goal.code else [10**6], goal.title.casefold())


def _unit(graph: QualityGraph, unit_id: str | None) -> OrgUnit | None:
    if unit_id is None:
        return None
    unit = graph.units.get(unit_id)
    if unit is None:
        raise NotFound(Label.ORG_UNIT, unit_id)
    return unit


# -- one goal ---------------------------------------------------------------------------
def goal_page(graph: QualityGraph, goal_id: str, actor: Actor) -> GoalPage:
    """The goal with its results, indicators, initiatives, assessments, servers and threats."""
    goals = graph.goals
    goal = goals.get(goal_id)
    if goal is None:
        raise NotFound(Label.GOAL, goal_id)
    expected = graph.expected_results(goal_id)
    indicators = graph.indicators([goal_id, *(e.id for e in expected)])
    unit_id = graph.unit_of(goal_id)
    return GoalPage(
        goal=goal,
        chain=tuple(goals[g] for g in reversed(graph.goal_chain(goal_id)[1:]) if g in goals),
        children=tuple(
            sorted(
                (goals[c] for c in graph.sources(Rel.BREAKS_DOWN, goal_id) if c in goals),
                key=_goal_order,
            )
        ),
        unit=graph.units.get(unit_id) if unit_id else None,
        expected_results=tuple(expected),
        indicators=tuple(IndicatorRow(i, tuple(graph.outcomes(i.id))) for i in indicators),
        initiatives=tuple(graph.initiatives(goal_id)),
        assessments=tuple(AssessmentRow(a) for a in graph.assessments(goal_id)),
        contributions=contributions(graph, goal_id),
        exposure=exposure(graph, goal_id, actor),
    )


def contributions(graph: QualityGraph, goal_id: str) -> tuple[Contribution, ...]:
    """Processes and activities with CONTRIBUTES_TO to the goal or a goal under it."""
    found: list[Contribution] = []
    for target in sorted(graph.below(Rel.BREAKS_DOWN, goal_id)):
        via = None if target == goal_id else ref(graph, target)
        found.extend(
            Contribution(ref(graph, s), via) for s in graph.sources(Rel.CONTRIBUTES_TO, target)
        )
    return tuple(sorted(found, key=lambda c: (c.node.label, c.node.caption.casefold())))


def served_by(graph: QualityGraph, goal_id: str) -> set[str]:
    """Every node whose trace reaches the goal: goals under it, the processes and activities
    serving them, their delprocesser and their activities (the reverse of a trace)."""
    reach = graph.below(Rel.BREAKS_DOWN, goal_id)
    stack = [s for g in list(reach) for s in graph.sources(Rel.CONTRIBUTES_TO, g)]
    while stack:
        node = stack.pop()
        if node in reach:
            continue
        reach.add(node)
        stack.extend(graph.targets(Rel.HAS_ACTIVITY, node))
        stack.extend(graph.sources(Rel.SUBPROCESS_OF, node))
    return reach


def exposure(graph: QualityGraph, goal_id: str, actor: Actor) -> Exposure:
    """What threatens the goal, directly or through what serves it."""
    reach = served_by(graph, goal_id)
    risks, deviations, inspections = graph.risks, graph.deviations, graph.inspections
    matrix = graph.matrix

    threatened: dict[str, list[str]] = {}
    for node in sorted(reach):
        for source in graph.sources(Rel.THREATENS, node):
            if source in risks:
                threatened.setdefault(source, []).append(node)
    exposed_risks = [
        ExposedRisk(risks[r], level_of(matrix, risks[r].value), tuple(ref(graph, n) for n in via))
        for r, via in threatened.items()
    ]
    exposed_risks.sort(key=lambda e: (-e.risk.value, e.risk.title.casefold()))

    touched: dict[str, list[str]] = {}
    for node in sorted(reach | set(threatened)):
        for rel in (Rel.AFFECTS, Rel.REALISES):
            for source in graph.sources(rel, node):
                if source in deviations and deviations[source].status is not DeviationStatus.CLOSED:
                    touched.setdefault(source, []).append(node)
    personal = actor.can(Permission.READ_PERSONAL_DATA)
    exposed_deviations = sorted(
        (
            ExposedDeviation(
                deviations[d],
                deviations[d].title if personal else None,
                tuple(ref(graph, n) for n in via),
            )
            for d, via in touched.items()
        ),
        key=lambda e: (e.deviation.occurred_on is None, e.deviation.occurred_on, e.deviation.id),
        reverse=False,
    )

    results = graph.results
    checked: dict[str, list[str]] = {}
    for node in sorted(reach | set(threatened)):
        for source in graph.sources(Rel.CHECKS, node):
            if source in inspections:
                checked.setdefault(source, []).append(node)
    exposed_inspections = []
    for i, via in sorted(checked.items()):
        findings = [
            results[r]
            for r in graph.targets(Rel.HAS_RESULT, i)
            if r in results and results[r].outcome is not InspectionOutcome.OK
        ]
        if findings:
            findings.sort(key=lambda r: r.performed_on, reverse=True)
            exposed_inspections.append(
                ExposedInspection(
                    inspections[i], tuple(findings), tuple(ref(graph, n) for n in via)
                )
            )
    return Exposure(tuple(exposed_risks), tuple(exposed_deviations), tuple(exposed_inspections))
