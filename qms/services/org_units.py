"""The organisation tree: a unit and the units below it, which every unit filter means."""

from __future__ import annotations

from collections.abc import Iterable

from qms.domain.labels import Label, Rel
from qms.services.access import Actor, Permission
from qms.storage.port import GraphStore


def unit_subtree(store: GraphStore, unit_id: str) -> set[str]:
    """``unit_id`` and every unit below it (``PART_OF``)."""
    return set(unit_subtrees(store, [unit_id])[unit_id])


def unit_subtrees(store: GraphStore, unit_ids: Iterable[str]) -> dict[str, frozenset[str]]:
    """Each of ``unit_ids`` with every unit below it, reading the tree once."""
    children: dict[str, list[str]] = {}
    for link in store.links(Rel.PART_OF):
        children.setdefault(link.target, []).append(link.source)
    result: dict[str, frozenset[str]] = {}
    for unit_id in unit_ids:
        found, todo = {unit_id}, [unit_id]
        while todo:
            for child in children.get(todo.pop(), ()):
                if child not in found:
                    found.add(child)
                    todo.append(child)
        result[unit_id] = frozenset(found)
    return result


def entity_unit(store: GraphStore, label: Label, entity_id: str) -> str | None:
    """The organisation unit an entity belongs to (``BELONGS_TO``); an activity's is its
    process's, a delprocess without one its parent's. None for an entity outside every unit."""
    if label is Label.ACTIVITY:
        owners = store.neighbours(label, entity_id, Rel.HAS_ACTIVITY, "in")
        if not owners:
            return None
        label, entity_id = Label.PROCESS, owners[0].id
    seen: set[str] = set()
    while entity_id not in seen:
        seen.add(entity_id)
        links = store.outgoing(label, entity_id, Rel.BELONGS_TO)
        if links:
            return links[0].target
        if label is not Label.PROCESS:
            return None
        parents = store.outgoing(label, entity_id, Rel.SUBPROCESS_OF)
        if not parents:
            return None
        entity_id = parents[0].target
    return None


def require_in(
    store: GraphStore, actor: Actor, permission: Permission, label: Label, entity_id: str
) -> None:
    """``permission`` for the unit of an existing entity, or ``Forbidden``."""
    actor.require(permission)  # refuse at once, before reading, those who hold it nowhere
    actor.require_for(permission, entity_unit(store, label, entity_id))


def require_edit(
    store: GraphStore,
    actor: Actor,
    permission: Permission,
    label: Label,
    entity_id: str | None,
    new_units: list[str],
) -> None:
    """``permission`` for the entity's present unit (when it exists) and for the unit a form
    puts it in (none chosen: only those who hold the permission everywhere)."""
    if entity_id is not None:
        require_in(store, actor, permission, label, entity_id)
    units: list[str | None] = [*new_units] or [None]
    for unit in units:
        actor.require_for(permission, unit)
