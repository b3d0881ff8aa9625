"""A whole graph at one moment: what the lossless dump holds."""

from __future__ import annotations

from dataclasses import dataclass

from qms.domain.changes import Change
from qms.domain.entities import Entity
from qms.domain.graph import Link


@dataclass(frozen=True)
class Snapshot:
    """Every entity, link and change entry, in dump order."""

    entities: tuple[Entity, ...]
    links: tuple[Link, ...]
    changes: tuple[Change, ...]
