"""The part of the graph that goals, tracing, health and the dashboard read, in one snapshot.

Whole-label reads and one ``links(rel)`` per relationship type: a fixed number of store
round trips however large the graph is. Pages read it through a ``Refreshing`` cache that
every write drops (see ``web/quality/goals.py``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import TypeVar

from qms.domain import risk_matrix
from qms.domain.entities import (
    Activity,
    Control,
    Deviation,
    Document,
    Entity,
    ExpectedResult,
    Goal,
    GoalAssessment,
    Indicator,
    IndicatorOutcome,
    Initiative,
    InspectionResult,
    OrgUnit,
    Process,
    Risk,
    RiskMatrix,
    SelfInspection,
)
from qms.domain.labels import Label, Rel
from qms.storage.port import GraphStore

E = TypeVar("E", bound=Entity)

LABELS = (
    Label.ORG_UNIT,
    Label.GOAL,
    Label.GOAL_ASSESSMENT,
    Label.EXPECTED_RESULT,
    Label.INDICATOR,
    Label.INDICATOR_OUTCOME,
    Label.INITIATIVE,
    Label.PROCESS,
    Label.ACTIVITY,
    Label.DOCUMENT,
    Label.RISK,
    Label.RISK_MATRIX,
    Label.CONTROL,
    Label.SELF_INSPECTION,
    Label.INSPECTION_RESULT,
    Label.DEVIATION,
)
RELS = (
    Rel.PART_OF,
    Rel.BELONGS_TO,
    Rel.BREAKS_DOWN,
    Rel.EXPECTS,
    Rel.MEASURES,
    Rel.SUPPORTS,
    Rel.CONTRIBUTES_TO,
    Rel.SUBPROCESS_OF,
    Rel.HAS_ACTIVITY,
    Rel.OWNED_BY,
    Rel.GOVERNED_BY,
    Rel.THREATENS,
    Rel.CHECKS,
    Rel.HAS_RESULT,
    Rel.AFFECTS,
    Rel.REALISES,
    Rel.HAS_ASSESSMENT,
    Rel.HAS_OUTCOME,
    Rel.CONTROLS,
)


@dataclass(frozen=True)
class QualityGraph:
    """Entities by label and id, and links by type in both directions."""

    nodes: dict[Label, dict[str, Entity]]
    out: dict[Rel, dict[str, tuple[str, ...]]]
    into: dict[Rel, dict[str, tuple[str, ...]]]
    label_of: dict[str, Label] = field(default_factory=dict)

    def of(self, label: Label, kind: type[E]) -> dict[str, E]:
        """Every entity of a label, by id, typed."""
        return {k: v for k, v in self.nodes.get(label, {}).items() if isinstance(v, kind)}

    def targets(self, rel: Rel, source: str) -> tuple[str, ...]:
        """Ids ``source`` points to by ``rel``."""
        return self.out[rel].get(source, ())

    def sources(self, rel: Rel, target: str) -> tuple[str, ...]:
        """Ids pointing to ``target`` by ``rel``."""
        return self.into[rel].get(target, ())

    def entity(self, entity_id: str) -> Entity | None:
        """The entity with this id, whatever its label."""
        label = self.label_of.get(entity_id)
        return self.nodes[label].get(entity_id) if label is not None else None

    @cached_property
    def goals(self) -> dict[str, Goal]:
        """Every goal."""
        return self.of(Label.GOAL, Goal)

    @cached_property
    def processes(self) -> dict[str, Process]:
        """Every process."""
        return self.of(Label.PROCESS, Process)

    @cached_property
    def activities(self) -> dict[str, Activity]:
        """Every activity."""
        return self.of(Label.ACTIVITY, Activity)

    @cached_property
    def risks(self) -> dict[str, Risk]:
        """Every risk."""
        return self.of(Label.RISK, Risk)

    @cached_property
    def deviations(self) -> dict[str, Deviation]:
        """Every avvikelse."""
        return self.of(Label.DEVIATION, Deviation)

    @cached_property
    def inspections(self) -> dict[str, SelfInspection]:
        """Every egenkontroll."""
        return self.of(Label.SELF_INSPECTION, SelfInspection)

    @cached_property
    def results(self) -> dict[str, InspectionResult]:
        """Every egenkontroll result."""
        return self.of(Label.INSPECTION_RESULT, InspectionResult)

    @cached_property
    def documents(self) -> dict[str, Document]:
        """Every document."""
        return self.of(Label.DOCUMENT, Document)

    @cached_property
    def units(self) -> dict[str, OrgUnit]:
        """Every organisation unit."""
        return self.of(Label.ORG_UNIT, OrgUnit)

    @cached_property
    def controls(self) -> dict[str, Control]:
        """Every kontrollmoment."""
        return self.of(Label.CONTROL, Control)

    @cached_property
    def matrix(self) -> RiskMatrix:
        """The stored risk matrix, else the default one."""
        stored = self.nodes.get(Label.RISK_MATRIX, {}).get(risk_matrix.DEFAULT_ID)
        return stored if isinstance(stored, RiskMatrix) else risk_matrix.DEFAULT

    @cached_property
    def _assessments(self) -> dict[str, GoalAssessment]:
        return self.of(Label.GOAL_ASSESSMENT, GoalAssessment)

    @cached_property
    def _outcomes(self) -> dict[str, IndicatorOutcome]:
        return self.of(Label.INDICATOR_OUTCOME, IndicatorOutcome)

    @cached_property
    def _expected(self) -> dict[str, ExpectedResult]:
        return self.of(Label.EXPECTED_RESULT, ExpectedResult)

    @cached_property
    def _indicators(self) -> dict[str, Indicator]:
        return self.of(Label.INDICATOR, Indicator)

    @cached_property
    def _initiatives(self) -> dict[str, Initiative]:
        return self.of(Label.INITIATIVE, Initiative)

    def assessments(self, goal_id: str) -> list[GoalAssessment]:
        """A goal's målbedömningar, by year and tertial."""
        found = self._assessments
        items = [found[i] for i in self.targets(Rel.HAS_ASSESSMENT, goal_id) if i in found]
        return sorted(items, key=lambda a: (a.year, a.tertial, a.id))

    def outcomes(self, indicator_id: str) -> list[IndicatorOutcome]:
        """An indicator's utfall, by year and tertial."""
        found = self._outcomes
        items = [found[i] for i in self.targets(Rel.HAS_OUTCOME, indicator_id) if i in found]
        return sorted(items, key=lambda o: (o.year, o.tertial, o.id))

    def expected_results(self, goal_id: str) -> list[ExpectedResult]:
        """A goal's förväntade resultat."""
        found = self._expected
        return [found[i] for i in self.targets(Rel.EXPECTS, goal_id) if i in found]

    def indicators(self, ids: Iterable[str]) -> list[Indicator]:
        """Indicators measuring any of ``ids`` (a goal and its expected results), once each."""
        found = self._indicators
        seen: dict[str, Indicator] = {}
        for target in ids:
            for source in self.sources(Rel.MEASURES, target):
                if source in found:
                    seen.setdefault(source, found[source])
        return sorted(seen.values(), key=lambda i: i.name.casefold())

    def initiatives(self, goal_id: str) -> list[Initiative]:
        """ILS aktiviteter supporting a goal, by start date."""
        found = self._initiatives
        items = [found[i] for i in self.sources(Rel.SUPPORTS, goal_id) if i in found]
        return sorted(items, key=lambda i: (i.starts_on is None, i.starts_on, i.title))

    # -- walks ---------------------------------------------------------------------------
    def goal_parent(self, goal_id: str) -> str | None:
        """The goal this one breaks down, if any."""
        parents = self.targets(Rel.BREAKS_DOWN, goal_id)
        return parents[0] if parents else None

    def goal_chain(self, goal_id: str) -> list[str]:
        """The goal and every goal above it, nearest first."""
        chain = [goal_id]
        while (up := self.goal_parent(chain[-1])) is not None and up not in chain:
            chain.append(up)
        return chain

    def below(self, rel: Rel, top: str) -> set[str]:
        """``top`` and every node reaching it through ``rel`` links (a subtree)."""
        found, stack = {top}, [top]
        while stack:
            for child in self.sources(rel, stack.pop()):
                if child not in found:
                    found.add(child)
                    stack.append(child)
        return found

    def units_below(self, unit_id: str | None) -> set[str] | None:
        """A unit and every unit under it; None (no filter) for no unit."""
        return None if unit_id is None else self.below(Rel.PART_OF, unit_id)

    def unit_of(self, entity_id: str) -> str | None:
        """The unit an entity belongs to (an activity through its process)."""
        units = self.targets(Rel.BELONGS_TO, entity_id)
        if units:
            return units[0]
        for process in self.sources(Rel.HAS_ACTIVITY, entity_id):
            return self.unit_of(process)
        return None

    def process_of(self, activity_id: str) -> str | None:
        """The process an activity belongs to."""
        owners = self.sources(Rel.HAS_ACTIVITY, activity_id)
        return owners[0] if owners else None

    def top_process(self, process_id: str) -> str:
        """The top-level process above a delprocess (itself when top level)."""
        seen = [process_id]
        while (ups := self.targets(Rel.SUBPROCESS_OF, seen[-1])) and ups[0] not in seen:
            seen.append(ups[0])
        return seen[-1]

    def in_units(self, entity_id: str, units: set[str] | None) -> bool:
        """Whether an entity belongs to one of ``units`` (always, with no filter)."""
        return units is None or self.unit_of(entity_id) in units


def load(store: GraphStore) -> QualityGraph:
    """Read the snapshot: one call per label and per relationship type."""
    nodes: dict[Label, dict[str, Entity]] = {}
    label_of: dict[str, Label] = {}
    for label in LABELS:
        nodes[label] = {e.id: e for e in store.entities(label)}
        label_of.update(dict.fromkeys(nodes[label], label))
    out: dict[Rel, dict[str, tuple[str, ...]]] = {}
    into: dict[Rel, dict[str, tuple[str, ...]]] = {}
    for rel in RELS:
        forward: dict[str, list[str]] = {}
        backward: dict[str, list[str]] = {}
        for link in store.links(rel):
            forward.setdefault(link.source, []).append(link.target)
            backward.setdefault(link.target, []).append(link.source)
        out[rel] = _frozen(forward)
        into[rel] = _frozen(backward)
    return QualityGraph(nodes, out, into, label_of)


def _frozen(lists: dict[str, list[str]]) -> dict[str, tuple[str, ...]]:
    return {k: tuple(sorted(v)) for k, v in lists.items()}


def ids_of(items: Iterable[Entity]) -> Iterator[str]:
    """The ids of entities."""
    return (item.id for item in items)
