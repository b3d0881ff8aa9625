"""Change entries: the base of the audit trail."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any


def to_json(value: Any) -> str:
    """Stable JSON text of domain values (dates as ISO text, tuples as lists, keys sorted)."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=_plain)


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    raise TypeError(type(value))


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
