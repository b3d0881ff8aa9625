"""The unit of work every adapter shares: stamps, optimistic locking and the change log."""

from __future__ import annotations

import abc
import dataclasses
import itertools
import uuid
from datetime import UTC, datetime

from qms.domain.changes import Change, ChangeOp, to_json
from qms.domain.entities import ID_PATTERN, Entity
from qms.domain.errors import Conflict, InvalidInput, NotFound
from qms.domain.graph import Link, check_link
from qms.domain.labels import Label

#: What the change log records instead of a secret value (a password hash, a token's hash).
HIDDEN = "(dolt)"


def logged(entity: Entity) -> dict[str, object]:
    """The content of ``entity`` as the change log keeps it: secrets replaced by ``HIDDEN``."""
    return {k: HIDDEN if k in entity.SECRET else v for k, v in entity.content().items()}


def now_stamp() -> str:
    """UTC time as sortable ISO text with microseconds."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class UnitOfWork(abc.ABC):
    """Writes of one use case by one actor. Adapters implement the primitives below."""

    def __init__(self, actor: str) -> None:
        self.actor = actor
        self.at = now_stamp()
        self.change_set = f"{self.at}-{uuid.uuid4().hex[:8]}"
        self._seq = itertools.count(1)
        self._labels: dict[str, Label] = {}
        #: (label, id) of every node written, for the search index; None value = deleted.
        self.touched: dict[tuple[Label, str], Entity | None] = {}

    # -- the use-case API ------------------------------------------------------------
    def add(self, entity: Entity) -> Entity:
        """Create a new entity at version 1; a taken id is a ``Conflict``."""
        if not ID_PATTERN.match(entity.id):
            raise InvalidInput(f"ogiltigt id {entity.id!r}", {f"{entity.id}.id": ["ogiltigt id"]})
        if self.label_of(entity.id) is not None:
            raise Conflict(f"id {entity.id} finns redan")
        stamped = dataclasses.replace(
            entity,
            version=1,
            created_at=self.at,
            created_by=self.actor,
            updated_at=self.at,
            updated_by=self.actor,
        )
        self._create(stamped)
        self._labels[entity.id] = entity.LABEL
        self._log(ChangeOp.CREATE, entity.LABEL, entity.id, after=to_json(logged(entity)))
        self.touched[(entity.LABEL, entity.id)] = stamped
        return stamped

    def update(self, entity: Entity) -> Entity:
        """Write ``entity`` if the stored version still equals ``entity.version``."""
        current = self.get(entity.LABEL, entity.id)
        if current.version != entity.version:
            raise Conflict(
                f"{entity.LABEL} {entity.id} har ändrats av {current.updated_by} "
                f"{current.updated_at} (version {current.version}, din {entity.version})"
            )
        before, after = current.content(), entity.content()
        changed = {k: v for k, v in after.items() if before[k] != v}
        if not changed:
            return current
        stamped = dataclasses.replace(
            entity,
            version=current.version + 1,
            created_at=current.created_at,
            created_by=current.created_by,
            updated_at=self.at,
            updated_by=self.actor,
        )
        if not self._update(stamped, expected_version=current.version):
            raise Conflict(f"{entity.LABEL} {entity.id} ändrades samtidigt av någon annan")
        for name in sorted(changed):
            secret = name in entity.SECRET
            self._log(
                ChangeOp.UPDATE,
                entity.LABEL,
                entity.id,
                name,
                to_json(HIDDEN if secret else before[name]),
                to_json(HIDDEN if secret else after[name]),
            )
        self.touched[(entity.LABEL, entity.id)] = stamped
        return stamped

    def save(self, entity: Entity) -> str:
        """Create, or update to match (stored version kept); "created", "updated" or "unchanged"."""
        if self.label_of(entity.id) is None:
            self.add(entity)
            return "created"
        stored = self.get(entity.LABEL, entity.id)
        if stored.content() == entity.content():
            return "unchanged"
        self.update(dataclasses.replace(entity, version=stored.version))
        return "updated"

    def delete(self, label: Label, entity_id: str) -> None:
        """Remove an entity and its links (archive instead where history matters)."""
        current = self.get(label, entity_id)
        self._delete(label, entity_id)
        self._labels.pop(entity_id, None)
        self._log(ChangeOp.DELETE, label, entity_id, before=to_json(logged(current)))
        self.touched[(label, entity_id)] = None

    def link(self, link: Link) -> bool:
        """Join two existing nodes; False when the link already exists."""
        source, target = self._require(link.source), self._require(link.target)
        check_link(link, source, target)
        if not self._link(link, source, target):
            return False
        self._log(
            ChangeOp.LINK,
            source,
            link.source,
            link.rel.value,
            "",
            to_json({"target": link.target, **link.props}),
        )
        return True

    def unlink(self, link: Link) -> bool:
        """Remove a link; False when there was none."""
        source, target = self._require(link.source), self._require(link.target)
        if not self._unlink(link, source, target):
            return False
        self._log(
            ChangeOp.UNLINK,
            source,
            link.source,
            link.rel.value,
            to_json({"target": link.target}),
            "",
        )
        return True

    def get(self, label: Label, entity_id: str) -> Entity:
        """Read inside the unit of work (sees its own writes)."""
        entity = self._read(label, entity_id)
        if entity is None:
            raise NotFound(label, entity_id)
        return entity

    def label_of(self, entity_id: str) -> Label | None:
        """The label of a node, from this unit of work or the store."""
        if entity_id not in self._labels:
            found = self._find_label(entity_id)
            if found is None:
                return None
            self._labels[entity_id] = found
        return self._labels[entity_id]

    # -- helpers ---------------------------------------------------------------------
    def _require(self, entity_id: str) -> Label:
        label = self.label_of(entity_id)
        if label is None:
            raise InvalidInput(f"{entity_id} finns inte", {entity_id: ["okänd referens"]})
        return label

    def _log(
        self,
        op: ChangeOp,
        label: Label,
        entity_id: str,
        field: str = "",
        before: str = "",
        after: str = "",
    ) -> None:
        self._record(
            Change(
                id=f"{self.change_set}-{next(self._seq):05d}",
                change_set=self.change_set,
                at=self.at,
                actor=self.actor,
                op=op,
                label=label.value,
                entity_id=entity_id,
                field=field,
                before=before,
                after=after,
            )
        )

    # -- adapter primitives ----------------------------------------------------------
    @abc.abstractmethod
    def _read(self, label: Label, entity_id: str) -> Entity | None: ...

    @abc.abstractmethod
    def _find_label(self, entity_id: str) -> Label | None: ...

    @abc.abstractmethod
    def _create(self, entity: Entity) -> None: ...

    @abc.abstractmethod
    def _update(self, entity: Entity, expected_version: int) -> bool: ...

    @abc.abstractmethod
    def _delete(self, label: Label, entity_id: str) -> None: ...

    @abc.abstractmethod
    def _link(self, link: Link, source: Label, target: Label) -> bool: ...

    @abc.abstractmethod
    def _unlink(self, link: Link, source: Label, target: Label) -> bool: ...

    @abc.abstractmethod
    def _record(self, change: Change) -> None: ...
