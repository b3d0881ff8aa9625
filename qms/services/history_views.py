"""What a history page shows: the read models of ``qms.services.history``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from qms.domain.entities import Entity
from qms.services.history_links import LinkChange


@dataclass(frozen=True)
class FieldChange:
    """One field of one version: its Swedish name and the values before and after."""

    field: str
    name: str
    before: str
    after: str
    #: The values are withheld (personal data); only that the field changed is shown.
    hidden: bool = False


@dataclass(frozen=True)
class Version:
    """One change set: the version it left the entity at, who, when and what."""

    number: int
    at: str
    actor: str
    #: "create", "update", "delete" or "links" (links alone keep the version number)
    kind: str
    change_set: str
    fields: tuple[FieldChange, ...] = ()
    links: tuple[LinkChange, ...] = ()
    #: The older version whose content this one brought back (a restore), if any.
    restored_from: int | None = None
    #: Whether the content at this version can be shown (and restored).
    viewable: bool = False
    #: Whether the content at this version is what the entity holds now (nothing to restore).
    same_as_now: bool = False


@dataclass(frozen=True)
class Restoring:
    """Whether the actor may restore an older version now, and if not, why (Swedish or "")."""

    allowed: bool
    refusal: str = ""


@dataclass(frozen=True)
class Subject:
    """The entity a history is about."""

    entity_id: str
    label: str
    kind_name: str
    caption: str
    exists: bool
    version: int


@dataclass(frozen=True)
class History:
    """One page of an entity's history, newest change first."""

    subject: Subject
    versions: tuple[Version, ...]
    total: int
    page: int
    pages: int
    restoring: Restoring
    #: Why some values are withheld ("" when nothing is).
    notice: str


@dataclass(frozen=True)
class FieldValue:
    """One field of a version's content, and whether it differs from the latest version."""

    field: str
    name: str
    value: str
    hidden: bool
    differs: bool


@dataclass(frozen=True)
class VersionContent:
    """An entity as it was at one version."""

    subject: Subject
    number: int
    at: str
    actor: str
    fields: tuple[FieldValue, ...]
    #: The stored values (JSON types), withheld fields left out.
    values: dict[str, Any]
    restored_from: int | None
    restoring: Restoring
    same_as_now: bool


@dataclass(frozen=True)
class Restored:
    """The entity after a restore; ``changed`` is False when it already had that content."""

    entity: Entity
    number: int
    changed: bool
