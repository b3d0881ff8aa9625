"""The start page: the process landscape of an organisation unit and its recent rutiner."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from itertools import islice

from qms.domain.entities import Document, OrgUnit, Process
from qms.domain.errors import NotFound
from qms.domain.kinds import DocumentStatus, ProcessKind
from qms.domain.labels import Label, Rel
from qms.domain.views import HOW_TO_KINDS
from qms.storage.port import GraphStore

RECENT_ROUTINES = 8


@dataclass(frozen=True)
class Landscape:
    """The whole organisation at one moment: every process, rutin and unit, and who owns what."""

    processes: tuple[Process, ...]
    routines: tuple[Document, ...]
    units: tuple[tuple[OrgUnit, int], ...]
    parent_process: dict[str, str] = field(default_factory=dict)
    parent_unit: dict[str, str] = field(default_factory=dict)
    unit_of: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class StartPage:
    """Top-level processes by kind, recently changed rutiner, the unit chooser."""

    groups: dict[ProcessKind, tuple[Process, ...]]
    routines: tuple[Document, ...]
    units: tuple[tuple[OrgUnit, int], ...]
    unit: OrgUnit | None = None

    @property
    def has_processes(self) -> bool:
        """True when any group holds a process."""
        return any(self.groups.values())


def load_landscape(store: GraphStore) -> Landscape:
    """Read the landscape from the store (a handful of whole-label reads: cache the result)."""
    processes = [p for p in store.entities(Label.PROCESS) if isinstance(p, Process)]
    routines = [
        d
        for d in store.entities(Label.DOCUMENT)
        if isinstance(d, Document)
        and d.kind in HOW_TO_KINDS
        and d.status is DocumentStatus.APPROVED
    ]
    routines.sort(key=lambda d: (d.updated_at, d.decided_on or date.min), reverse=True)
    units = [u for u in store.entities(Label.ORG_UNIT) if isinstance(u, OrgUnit)]
    parent_unit = {link.source: link.target for link in store.links(Rel.PART_OF)}
    return Landscape(
        processes=tuple(sorted(processes, key=lambda p: p.name.casefold())),
        routines=tuple(routines),
        units=_tree(units, parent_unit),
        parent_process={link.source: link.target for link in store.links(Rel.SUBPROCESS_OF)},
        parent_unit=parent_unit,
        unit_of={link.source: link.target for link in store.links(Rel.BELONGS_TO)},
    )


def _tree(units: list[OrgUnit], parent: dict[str, str]) -> tuple[tuple[OrgUnit, int], ...]:
    """Units depth first, siblings by name, each with its depth (for an indented chooser)."""
    known = {u.id for u in units}
    children: dict[str | None, list[OrgUnit]] = {}
    for unit in units:
        up = parent.get(unit.id)
        children.setdefault(up if up in known else None, []).append(unit)
    ordered: list[tuple[OrgUnit, int]] = []
    stack = [(u, 0) for u in sorted(children.get(None, []), key=_by_name, reverse=True)]
    while stack:
        unit, depth = stack.pop()
        ordered.append((unit, depth))
        below = sorted(children.get(unit.id, []), key=_by_name, reverse=True)
        stack.extend((child, depth + 1) for child in below)
    return tuple(ordered)


def _by_name(unit: OrgUnit) -> str:
    return unit.name.casefold()


def start_page(landscape: Landscape, unit_id: str | None = None) -> StartPage:
    """The landscape of one unit (with the units below it), or of everything."""
    unit = None
    if unit_id:
        unit = next((u for u, _ in landscape.units if u.id == unit_id), None)
        if unit is None:
            raise NotFound(Label.ORG_UNIT, unit_id)
    below = _subtree(landscape, unit_id) if unit_id else None
    chosen = [
        p
        for p in landscape.processes
        if not p.archived and (below is None or landscape.unit_of.get(p.id) in below)
    ]
    ids = {p.id for p in chosen}
    # Top-level within the choice: a delprocess shows when its parent is not shown.
    groups: dict[ProcessKind, list[Process]] = {kind: [] for kind in ProcessKind}
    for process in chosen:
        if landscape.parent_process.get(process.id) not in ids:
            groups[process.kind].append(process)
    applies = None if unit_id is None else set(_ancestors(landscape, unit_id)) | (below or set())
    relevant = (
        d for d in landscape.routines if applies is None or landscape.unit_of.get(d.id) in applies
    )
    routines = tuple(islice(relevant, RECENT_ROUTINES))
    return StartPage(
        {kind: tuple(found) for kind, found in groups.items()}, routines, landscape.units, unit
    )


def _subtree(landscape: Landscape, unit_id: str) -> set[str]:
    """The unit and every unit below it."""
    below: dict[str, list[str]] = {}
    for child, up in landscape.parent_unit.items():
        below.setdefault(up, []).append(child)
    found, todo = set(), [unit_id]
    while todo:
        current = todo.pop()
        if current not in found:
            found.add(current)
            todo.extend(below.get(current, []))
    return found


def _ancestors(landscape: Landscape, unit_id: str) -> list[str]:
    """The units above this one, nearest first (rutiner of a förvaltning apply below it)."""
    chain: list[str] = []
    current = landscape.parent_unit.get(unit_id)
    while current is not None and current not in chain and current != unit_id:
        chain.append(current)
        current = landscape.parent_unit.get(current)
    return chain
