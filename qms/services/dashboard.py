"""The manager dashboard: open avvikelser over time, risks, overdue checks, goal follow-up."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from qms.domain.entities import Deviation, Goal, GoalAssessment, OrgUnit, Risk, SelfInspection
from qms.domain.errors import NotFound
from qms.domain.kinds import DeviationStatus, GoalLevel, RiskStatus
from qms.domain.labels import Label, Rel
from qms.domain.schedule import is_overdue
from qms.services import charts
from qms.services.goal_graph import QualityGraph

MONTHS = ("jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec")
MAX_MONTHS = 12
NO_PROCESS = "Ingen process angiven"


@dataclass(frozen=True)
class MonthlyDeviations:
    """Open avvikelser per process (top level) and month in which they occurred."""

    months: tuple[str, ...]
    series: tuple[tuple[str, tuple[int, ...]], ...]
    open_count: int

    @property
    def totals(self) -> tuple[int, ...]:
        """Open avvikelser per month, all processes together."""
        return tuple(sum(v[i] for _, v in self.series) for i in range(len(self.months)))


@dataclass(frozen=True)
class GoalRow:
    """A goal and its målbedömning per tertial (None: not assessed yet)."""

    goal: Goal
    tertials: tuple[GoalAssessment | None, GoalAssessment | None, GoalAssessment | None]


@dataclass(frozen=True)
class Dashboard:
    """What the manager's page shows, for a unit (and the units under it) and a year."""

    unit: OrgUnit | None
    units: tuple[OrgUnit, ...]
    year: int
    deviations: MonthlyDeviations
    chart_svg: str
    risks: tuple[Risk, ...]
    heatmap_svg: str
    overdue: tuple[SelfInspection, ...]
    goals: tuple[GoalRow, ...]


def dashboard(
    graph: QualityGraph,
    today: date,
    unit_id: str | None = None,
    year: int | None = None,
    heatmap: Callable[[list[Risk]], str] | None = None,
) -> Dashboard:
    """The dashboard; ``heatmap`` draws the risks on the matrix (the risk feature's picture)."""
    unit = None
    if unit_id is not None:
        unit = graph.units.get(unit_id)
        if unit is None:
            raise NotFound(Label.ORG_UNIT, unit_id)
    units = graph.units_below(unit_id)
    year = year or today.year
    monthly = open_deviations(graph, units, today)
    risks = sorted(
        (
            r
            for rid, r in graph.risks.items()
            if r.status is not RiskStatus.CLOSED and graph.in_units(rid, units)
        ),
        key=lambda r: (-r.value, r.title.casefold()),
    )
    chart = charts.stacked_bars(
        "Öppna avvikelser per process och månad",
        f"{monthly.open_count} öppna avvikelser efter den månad de inträffade, "
        "uppdelade på huvudprocess. En avvikelse som berör flera processer räknas i var och en.",
        monthly.months,
        monthly.series,
    )
    overdue = sorted(
        (
            i
            for iid, i in graph.inspections.items()
            if is_overdue(i.next_due, today) and graph.in_units(iid, units)
        ),
        key=lambda i: (i.next_due or date.max, i.title),
    )
    return Dashboard(
        unit=unit,
        units=tuple(sorted(graph.units.values(), key=lambda u: u.name.casefold())),
        year=year,
        deviations=monthly,
        chart_svg=chart,
        risks=tuple(risks),
        heatmap_svg=heatmap(risks) if heatmap is not None else "",
        overdue=tuple(overdue),
        goals=goal_rows(graph, units, year),
    )


def open_deviations(graph: QualityGraph, units: set[str] | None, today: date) -> MonthlyDeviations:
    """Count open avvikelser per top-level process and month (the latest twelve months)."""
    names = {pid: p.name for pid, p in graph.processes.items()}
    counts: Counter[tuple[str, tuple[int, int]]] = Counter()
    open_count = 0
    for did, deviation in graph.deviations.items():
        if deviation.status is DeviationStatus.CLOSED or not graph.in_units(did, units):
            continue
        open_count += 1
        month = _month(deviation, today)
        for process in _processes(graph, did) or {NO_PROCESS}:
            counts[(names.get(process, process), month)] += 1
    months = sorted({m for _, m in counts})[-MAX_MONTHS:]
    if months:
        months = _span(months[0], months[-1])[-MAX_MONTHS:]
    processes = sorted({p for p, _ in counts}, key=lambda p: (p == NO_PROCESS, p.casefold()))
    return MonthlyDeviations(
        months=tuple(f"{MONTHS[m - 1]} {y}" for y, m in months),
        series=tuple((p, tuple(counts[(p, m)] for m in months)) for p in processes),
        open_count=open_count,
    )


def _month(deviation: Deviation, today: date) -> tuple[int, int]:
    day = deviation.occurred_on or deviation.reported_on
    if day is None and deviation.created_at[:10]:
        day = date.fromisoformat(deviation.created_at[:10])
    day = day or today
    return (day.year, day.month)


def _span(first: tuple[int, int], last: tuple[int, int]) -> list[tuple[int, int]]:
    months, (y, m) = [], first
    while (y, m) <= last:
        months.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return months


def _processes(graph: QualityGraph, deviation_id: str) -> set[str]:
    """The top-level processes an avvikelse touches (through activities or directly)."""
    found = set()
    for target in graph.targets(Rel.AFFECTS, deviation_id):
        process = graph.process_of(target) if target in graph.activities else target
        if process is not None:
            found.add(graph.top_process(process))
    return found


def goal_rows(graph: QualityGraph, units: set[str] | None, year: int) -> tuple[GoalRow, ...]:
    """Nämnd- and enhetsmål of the year (and any goal assessed in it) in the units, with
    their målbedömning for T1, T2 and T3."""
    order = list(GoalLevel)
    rows = []
    for gid, goal in graph.goals.items():
        assessed = [a for a in graph.assessments(gid) if a.year == year]
        planned = goal.year == year and goal.level in (GoalLevel.COMMITTEE, GoalLevel.UNIT)
        if not graph.in_units(gid, units) or not (planned or assessed):
            continue
        by_tertial = {a.tertial: a for a in assessed}
        rows.append(GoalRow(goal, (by_tertial.get(1), by_tertial.get(2), by_tertial.get(3))))
    rows.sort(key=lambda r: (order.index(r.goal.level), r.goal.code, r.goal.title.casefold()))
    return tuple(rows)
