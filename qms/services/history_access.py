"""Who may read which part of an entity's history, and in which organisation unit it lies.

Accounts and API tokens: only with ``MANAGE_ACCOUNTS``. The free text of an avvikelse (and of
its causes and the actions taken on it) may hold personal data: without
``READ_PERSONAL_DATA`` in the case's unit a history says that such a field changed, never to
what. Everything else is as open as the pages that show the entity.
"""

from __future__ import annotations

from qms.domain.entities import Deviation
from qms.domain.labels import Label, Rel
from qms.services.access import Actor, Permission
from qms.services.org_units import entity_unit
from qms.storage.port import GraphStore

#: Labels whose history only account administrators read.
ACCOUNT_LABELS = frozenset({Label.ACCOUNT, Label.API_TOKEN})
#: Fields that may hold personal data, per label (an action's only when it is about a case).
PERSONAL: dict[Label, tuple[str, ...]] = {
    Label.DEVIATION: Deviation.PERSONAL,
    Label.CAUSE: ("description",),
    Label.ACTION: ("title", "description"),
}


def require_read(actor: Actor, label: Label) -> None:
    """Refuse the history of an account or an API token to anyone but an administrator."""
    if label in ACCOUNT_LABELS:
        actor.require(Permission.MANAGE_ACCOUNTS)


def _first(store: GraphStore, label: Label, entity_id: str, rel: Rel, way: str = "out") -> str:
    found = store.neighbours(label, entity_id, rel, "in" if way == "in" else "out")
    return found[0].id if found else ""


def case_of(store: GraphStore, label: Label, entity_id: str) -> str:
    """The avvikelse a deviation, cause or action is part of ("" when it is about none)."""
    if label is Label.DEVIATION:
        return entity_id
    if label is Label.CAUSE:
        return _first(store, label, entity_id, Rel.CAUSED_BY, "in")
    if label is Label.ACTION:
        for target in store.neighbours(label, entity_id, Rel.ADDRESSES):
            found = case_of(store, target.label, target.id) if target.label != label else ""
            if found:
                return found
    return ""


def hidden_fields(store: GraphStore, actor: Actor, label: Label, entity_id: str) -> frozenset[str]:
    """The fields of this entity whose values ``actor`` may not see."""
    fields = PERSONAL.get(label)
    if not fields:
        return frozenset()
    if store.label_of(entity_id) is None:  # gone, so its case is unknown: only the unscoped read
        everywhere = actor.units_for(Permission.READ_PERSONAL_DATA) is None
        return frozenset() if everywhere else frozenset(fields)
    case = case_of(store, label, entity_id)
    if not case:
        return frozenset()
    unit = entity_unit(store, Label.DEVIATION, case)
    readable = actor.can_for(Permission.READ_PERSONAL_DATA, unit)
    return frozenset() if readable else frozenset(fields)
