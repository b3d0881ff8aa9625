"""Reads the JSON API needs beyond the pages' read models: processes by kind and unit, a flat
goal list, paging, the version stamps optimistic locking names, and an entity's change log
with what the actor may not see withheld."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from qms.domain.changes import Change, ChangeOp, to_json
from qms.domain.entities import Deviation, GoalAssessment, Process
from qms.domain.errors import InvalidInput, NotFound
from qms.domain.graph import field_types
from qms.domain.kinds import ProcessKind
from qms.domain.labels import Label, Rel
from qms.services.access import Actor, Permission
from qms.services.deviations import readable
from qms.services.forms import fetch
from qms.services.goal_graph import QualityGraph
from qms.services.goals import GoalNode, goal_tree
from qms.services.org_units import entity_unit, unit_subtree
from qms.services.workspace import OrgTree
from qms.storage.port import GraphStore

T = TypeVar("T")
INVALID = "Frågan kunde inte besvaras; se felen vid fälten."
NO_UNIT = "Organisationsenheten finns inte."
#: What a withheld value reads as in a change-log entry.
WITHHELD = "(dold)"


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a longer list."""

    items: tuple[T, ...]
    total: int
    limit: int
    offset: int


def paginate(items: Sequence[T], limit: int, offset: int) -> Page[T]:
    """``limit`` items from ``offset`` on, with the length of the whole list."""
    return Page(tuple(items[offset : offset + limit]), len(items), limit, offset)


def check_unit(store: GraphStore, unit: str | None, field: str = "unit") -> None:
    """Refuse a unit filter naming no organisation unit (a field error, not an empty list)."""
    if unit and store.label_of(unit) is not Label.ORG_UNIT:
        raise InvalidInput(INVALID, {field: [NO_UNIT]})


# -- processes -----------------------------------------------------------------------------
@dataclass(frozen=True)
class ProcessItem:
    """A process with its organisation unit (inherited from its parents) and its parent."""

    process: Process
    unit: str | None
    parent: str | None


def processes(
    store: GraphStore,
    kind: ProcessKind | None = None,
    unit: str | None = None,
    archived: bool = False,
) -> list[ProcessItem]:
    """Processes of a kind in a unit and the units below it, by name (archived ones on ask)."""
    check_unit(store, unit)
    tree = OrgTree(store)
    scope = unit_subtree(store, unit) if unit else None
    found = []
    for process in store.entities(Label.PROCESS):
        if not isinstance(process, Process) or (process.archived and not archived):
            continue
        home = tree.process_unit(process.id) or None
        if (kind is None or process.kind is kind) and (scope is None or home in scope):
            found.append(ProcessItem(process, home, tree.process_parent.get(process.id)))
    return sorted(found, key=lambda i: (i.process.name.casefold(), i.process.id))


def version_stamp(store: GraphStore, entity_id: str, version: int) -> str:
    """When ``entity_id`` reached ``version`` (each change set that creates or updates it is
    one version); "" when the log does not reach that far."""
    sets: dict[str, str] = {}
    for change in store.changes(entity_id):
        if change.op in (ChangeOp.CREATE, ChangeOp.UPDATE):
            sets.setdefault(change.change_set, change.at)
    stamps = list(sets.values())
    return stamps[version - 1] if 0 < version <= len(stamps) else ""


# -- goals ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class GoalItem:
    """A goal of the chain with the goal it breaks down, its unit and latest assessment."""

    node: GoalNode
    parent: str | None
    unit: str | None

    @property
    def latest(self) -> GoalAssessment | None:
        """The most recent målbedömning."""
        return self.node.latest


def goals(graph: QualityGraph, unit: str | None, year: int | None) -> list[GoalItem]:
    """The goals of a unit (and below) valid in a year, top of the chain first."""
    if unit and unit not in graph.units:
        raise InvalidInput(INVALID, {"unit": [NO_UNIT]})
    tree = goal_tree(graph, unit, year)
    return [
        GoalItem(node, graph.goal_parent(node.goal.id), graph.unit_of(node.goal.id))
        for node in _walk(tree.roots)
        if node.matched
    ]


def _walk(nodes: Sequence[GoalNode]) -> Iterator[GoalNode]:
    for node in nodes:
        yield node
        yield from _walk(node.children)


# -- change history ------------------------------------------------------------------------
@dataclass(frozen=True)
class ChangeRow:
    """One change-log entry as the actor may see it; ``withheld`` when values were hidden."""

    change: Change
    withheld: bool


def entity_changes(store: GraphStore, actor: Actor, entity_id: str) -> list[ChangeRow]:
    """The change log of one entity, oldest first. Accounts and tokens only for those who
    manage accounts; an avvikelse's free text (and its causes' and actions') only for those
    who may read it."""
    label = store.label_of(entity_id)
    if label is None:
        raise NotFound("Node", entity_id)
    if label in (Label.ACCOUNT, Label.API_TOKEN):
        actor.require(Permission.MANAGE_ACCOUNTS)
    hidden = _withheld_fields(store, actor, label, entity_id)
    return [_shown(change, hidden) for change in store.changes(entity_id)]


def _withheld_fields(
    store: GraphStore, actor: Actor, label: Label, entity_id: str
) -> frozenset[str]:
    if label is Label.DEVIATION:
        cases, fields = [entity_id], frozenset(Deviation.PERSONAL)
    elif label is Label.CAUSE:
        cases = [r.id for r in store.neighbours(label, entity_id, Rel.CAUSED_BY, "in")]
        fields = frozenset(field_types(label))
    elif label is Label.ACTION:
        found = store.neighbours(label, entity_id, Rel.ADDRESSES, "out")
        cases = [r.id for r in found if r.label is Label.DEVIATION]
        fields = frozenset(field_types(label))
    else:
        return frozenset()
    may_read = readable(actor)
    for case_id in cases:
        case = fetch(store, Deviation, case_id)
        if not may_read(case, entity_unit(store, Label.DEVIATION, case_id)):
            return fields
    return frozenset()


def _shown(change: Change, hidden: frozenset[str]) -> ChangeRow:
    if not hidden:
        return ChangeRow(change, False)
    if change.op is ChangeOp.UPDATE and change.field in hidden:
        return ChangeRow(dataclasses.replace(change, before=WITHHELD, after=WITHHELD), True)
    if change.op in (ChangeOp.CREATE, ChangeOp.DELETE):
        before, hid_before = _masked(change.before, hidden)
        after, hid_after = _masked(change.after, hidden)
        replaced = dataclasses.replace(change, before=before, after=after)
        return ChangeRow(replaced, hid_before or hid_after)
    return ChangeRow(change, False)


def _masked(text: str, hidden: frozenset[str]) -> tuple[str, bool]:
    """A logged content (JSON object) with the hidden fields' values replaced."""
    if not text:
        return text, False
    try:
        value = json.loads(text)
    except ValueError:
        return WITHHELD, True
    if not isinstance(value, dict):
        return WITHHELD, True
    masked = {k: (WITHHELD if k in hidden and v not in ("", None) else v) for k, v in value.items()}
    return to_json(masked), masked != value
