"""``ils-goals``: goal follow-up per tertial, in ILS's chain and terms.

Mål by level (inriktningsmål → KF-mål → nämndmål → enhetsmål, each under the goal it breaks
down) → förväntade resultat → indikatorer with målvärde and utfall per tertial (kvinnor/män)
→ aktiviteter (start, slut, status) → målbedömning with analys. One sheet per step, each
row naming its goal, so every sheet reads on its own; ids last for reading back.
"""

from __future__ import annotations

from typing import TypeVar

from exporters import XLSX, ExportContext, Output, register_format
from exporters.index import GraphIndex
from exporters.terms import term, words
from exporters.xlsx import Column, Sheet, Table, xlsx_output
from qms.domain.entities import (
    ExpectedResult,
    Goal,
    GoalAssessment,
    Indicator,
    IndicatorOutcome,
    Initiative,
    OrgUnit,
    Role,
)
from qms.domain.kinds import ActionStatus, GoalLevel, Verdict
from qms.domain.labels import Rel
from qms.domain.snapshot import Snapshot

E = TypeVar("E")
TERTIALS = ("1", "2", "3")
GOALS = Sheet(
    "Mål",
    (
        Column("Nivå", "choice", words(GoalLevel)),
        Column("Kod"),
        Column("Mål", width=50),
        Column("Överordnat mål", width=40),
        Column("Organisationsenhet"),
        Column("År", "int"),
        Column("Id"),
    ),
)
EXPECTED = Sheet(
    "Förväntade resultat",
    (
        Column("Mål", width=40),
        Column("Förväntat resultat", width=50),
        Column("Målvärde"),
        Column("Utgångsvärde"),
        Column("Mål-id"),
        Column("Id"),
    ),
)
INDICATORS = Sheet(
    "Indikatorer",
    (
        Column("Mål", width=40),
        Column("Förväntat resultat", width=40),
        Column("Indikator", width=40),
        Column("Enhet"),
        Column("Målvärde", "float"),
        Column("År", "int"),
        Column("Tertial", "int", TERTIALS),
        Column("Utfall", "float"),
        Column("Utfall kvinnor", "float"),
        Column("Utfall män", "float"),
        Column("Kommentar", width=40),
        Column("Indikator-id"),
    ),
)
INITIATIVES = Sheet(
    "Aktiviteter",
    (
        Column("Mål", width=40),
        Column("Aktivitet", width=50),
        Column("Start", "date"),
        Column("Slut", "date"),
        Column("Status", "choice", words(ActionStatus)),
        Column("Ansvarig"),
        Column("Id"),
    ),
)
ASSESSMENTS = Sheet(
    "Målbedömning",
    (
        Column("Mål", width=40),
        Column("År", "int"),
        Column("Tertial", "int", TERTIALS),
        Column("Målbedömning", "choice", words(Verdict)),
        Column("Analys", width=60),
        Column("Planerade åtgärder", width=40),
        Column("Mål-id"),
        Column("Id"),
    ),
)
SHEETS = (GOALS, EXPECTED, INDICATORS, INITIATIVES, ASSESSMENTS)


def goals_in_order(index: GraphIndex, scope: str | None) -> list[Goal]:
    """The scope's goals and the goals above them, each followed by those breaking it down."""
    units = index.scope(scope)
    goals = {g.id: g for g in index.all(Goal)}
    wanted = {g for g in goals if index.in_scope(g, units)}
    for goal in list(wanted):  # the chain above a unit's goals belongs to its report
        current = goal
        while (up := next(iter(index.targets(Rel.BREAKS_DOWN, current)), None)) in goals:
            if up in wanted:
                break
            wanted.add(up)
            current = up

    def key(goal: Goal) -> tuple[int, str, str]:
        return (list(GoalLevel).index(goal.level), goal.code, goal.title)

    def parent(goal_id: str) -> str | None:
        return next((p for p in index.targets(Rel.BREAKS_DOWN, goal_id) if p in wanted), None)

    ordered: list[Goal] = []

    def visit(goal: Goal) -> None:
        ordered.append(goal)
        children = [goals[c] for c in index.sources(Rel.BREAKS_DOWN, goal.id) if c in wanted]
        for child in sorted(children, key=key):
            if child not in ordered:
                visit(child)

    for root in sorted((goals[g] for g in wanted if parent(g) is None), key=key):
        visit(root)
    return ordered


def tables(snapshot: Snapshot, context: ExportContext) -> list[Table]:
    """The five sheets of the follow-up."""
    index = GraphIndex(snapshot)
    goal_sheet, expected, indicators = Table(GOALS), Table(EXPECTED), Table(INDICATORS)
    initiatives, assessments = Table(INITIATIVES), Table(ASSESSMENTS)
    seen_indicators: set[str] = set()
    for goal in goals_in_order(index, context.scope):
        parent = next(iter(index.targets(Rel.BREAKS_DOWN, goal.id)), None)
        unit = index.one(Rel.BELONGS_TO, goal.id, OrgUnit)
        goal_sheet.add(
            term(goal.level),
            goal.code,
            goal.title,
            index.caption(parent),
            unit.name if unit else "",
            goal.year,
            goal.id,
        )
        results = _all(index, index.targets(Rel.EXPECTS, goal.id), ExpectedResult)
        for result in results:
            expected.add(
                goal.title, result.description, result.target, result.baseline, goal.id, result.id
            )
        measuring = [(i, "") for i in _all(index, index.sources(Rel.MEASURES, goal.id), Indicator)]
        for result in results:
            measuring += [
                (i, result.description)
                for i in _all(index, index.sources(Rel.MEASURES, result.id), Indicator)
            ]
        for indicator, result_text in measuring:
            if indicator.id in seen_indicators:
                continue
            seen_indicators.add(indicator.id)
            _indicator_rows(index, indicators, goal, result_text, indicator)
        for initiative in _all(index, index.sources(Rel.SUPPORTS, goal.id), Initiative):
            owner = index.one(Rel.OWNED_BY, initiative.id, Role)
            initiatives.add(
                goal.title,
                initiative.title,
                initiative.starts_on,
                initiative.ends_on,
                term(initiative.status),
                owner.name if owner else "",
                initiative.id,
            )
        found = _all(index, index.targets(Rel.HAS_ASSESSMENT, goal.id), GoalAssessment)
        for assessment in sorted(found, key=lambda a: (a.year, a.tertial)):
            assessments.add(
                goal.title,
                assessment.year,
                assessment.tertial,
                term(assessment.verdict),
                assessment.analysis,
                assessment.planned_actions,
                goal.id,
                assessment.id,
            )
    return [goal_sheet, expected, indicators, initiatives, assessments]


def _indicator_rows(
    index: GraphIndex, table: Table, goal: Goal, result_text: str, indicator: Indicator
) -> None:
    outcomes = _all(index, index.targets(Rel.HAS_OUTCOME, indicator.id), IndicatorOutcome)
    outcomes.sort(key=lambda o: (o.year, o.tertial))
    head = (goal.title, result_text, indicator.name, indicator.unit, indicator.target_value)
    if not outcomes:
        table.add(*head, None, None, indicator.outcome_value, None, None, "", indicator.id)
    for outcome in outcomes:
        table.add(
            *head,
            outcome.year,
            outcome.tertial,
            outcome.value,
            outcome.women,
            outcome.men,
            outcome.comment,
            indicator.id,
        )


def _all(index: GraphIndex, ids: list[str], cls: type[E]) -> list[E]:
    found = [e for i in ids if isinstance(e := index.by_id.get(i), cls)]
    return sorted(found, key=lambda e: getattr(e, "id", ""))


@register_format(
    "ils-goals",
    title="ILS: måluppföljning per tertial",
    description="Mål per nivå, förväntade resultat, indikatorer med utfall (kvinnor/män), "
    "aktiviteter och målbedömning.",
    suffix=".xlsx",
    media_type=XLSX,
    scoped=True,
)
def export(snapshot: Snapshot, context: ExportContext) -> Output:
    """The follow-up as .xlsx (and a CSV per sheet)."""
    return xlsx_output(tables(snapshot, context))
