"""The organisation tree: a unit and the units below it, which every unit filter means."""

from __future__ import annotations

from qms.domain.labels import Rel
from qms.storage.port import GraphStore


def unit_subtree(store: GraphStore, unit_id: str) -> set[str]:
    """``unit_id`` and every unit below it (``PART_OF``)."""
    children: dict[str, list[str]] = {}
    for link in store.links(Rel.PART_OF):
        children.setdefault(link.target, []).append(link.source)
    found, todo = {unit_id}, [unit_id]
    while todo:
        for child in children.get(todo.pop(), ()):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found
