"""One pass over a snapshot: entities by id and label, links by source and target, scope."""

from __future__ import annotations

from collections import defaultdict
from typing import TypeVar

from qms.domain.entities import Entity
from qms.domain.graph import Link
from qms.domain.labels import Label, Rel
from qms.domain.snapshot import Snapshot

E = TypeVar("E", bound=Entity)


class GraphIndex:
    """Look-ups over a snapshot, built once (no store round trips)."""

    def __init__(self, snapshot: Snapshot) -> None:
        self.by_id: dict[str, Entity] = {e.id: e for e in snapshot.entities}
        self.links: tuple[Link, ...] = snapshot.links
        self._out: dict[tuple[Rel, str], list[str]] = defaultdict(list)
        self._in: dict[tuple[Rel, str], list[str]] = defaultdict(list)
        for link in snapshot.links:
            self._out[(link.rel, link.source)].append(link.target)
            self._in[(link.rel, link.target)].append(link.source)

    def all(self, cls: type[E]) -> list[E]:
        """Every entity of a class, by id."""
        return sorted((e for e in self.by_id.values() if isinstance(e, cls)), key=lambda e: e.id)

    def targets(self, rel: Rel, source: str) -> list[str]:
        """Ids ``source`` links to over ``rel``."""
        return self._out.get((rel, source), [])

    def sources(self, rel: Rel, target: str) -> list[str]:
        """Ids linking to ``target`` over ``rel``."""
        return self._in.get((rel, target), [])

    def one(self, rel: Rel, source: str, cls: type[E]) -> E | None:
        """The first entity of ``cls`` that ``source`` links to over ``rel``."""
        for target in self.targets(rel, source):
            found = self.by_id.get(target)
            if isinstance(found, cls):
                return found
        return None

    def caption(self, entity_id: str | None) -> str:
        """The name of an entity, '' when absent."""
        found = self.by_id.get(entity_id or "")
        return found.caption if found else ""

    def units_below(self, unit: str) -> set[str]:
        """``unit`` and every organisation unit under it."""
        found, todo = {unit}, [unit]
        while todo:
            for child in self.sources(Rel.PART_OF, todo.pop()):
                if child not in found:
                    found.add(child)
                    todo.append(child)
        return found

    def unit_of(self, entity_id: str) -> str | None:
        """The unit an entity belongs to: its own, else its parent process's or process's."""
        seen: set[str] = set()
        current: str | None = entity_id
        while current and current not in seen:
            seen.add(current)
            own = self.targets(Rel.BELONGS_TO, current)
            if own:
                return own[0]
            entity = self.by_id.get(current)
            if entity is None:
                return None
            if entity.LABEL is Label.ACTIVITY:
                current = next(iter(self.sources(Rel.HAS_ACTIVITY, current)), None)
            elif entity.LABEL is Label.PROCESS:
                current = next(iter(self.targets(Rel.SUBPROCESS_OF, current)), None)
            else:
                return None
        return None

    def scope(self, unit: str | None) -> set[str] | None:
        """The units of a scope (None: the whole organisation, no filter)."""
        return None if not unit else self.units_below(unit)

    def in_scope(self, entity_id: str, units: set[str] | None) -> bool:
        """Whether an entity belongs to the scope (everything when there is no scope)."""
        return units is None or self.unit_of(entity_id) in units
