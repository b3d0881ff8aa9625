"""Change entries: the base of the audit trail."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class ChangeOp(StrEnum):
    """What a change entry records."""

    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    LINK = "link"
    UNLINK = "unlink"


@dataclass(frozen=True, kw_only=True)
class Change:
    """One field (or link) of one entity changed by one actor in one unit of work."""

    id: str
    change_set: str
    at: str
    actor: str
    op: ChangeOp
    label: str
    entity_id: str
    field: str = ""
    before: str = ""
    after: str = ""
