"""The coordinator workspace: what the process, activity and role editors share.

Every editor locks optimistically twice over: the entity's ``version`` (the unit of work
refuses a stale one) and a *state* token over the links the editor manages, since a changed
link (another owner, another rutin) does not bump the version. A stale save raises
``EditConflict`` carrying what the other person changed, read from the change log.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from marshmallow import ValidationError, fields, validate

from qms.domain.changes import Change
from qms.domain.entities import Entity, OrgUnit
from qms.domain.errors import Conflict
from qms.domain.labels import Label, Rel
from qms.services.schemas import MESSAGES
from qms.storage.port import GraphStore

NAME_MAX = 200
TEXT_MAX = 5000
STALE = "Någon annan har sparat ändringar sedan du öppnade sidan. Dina ändringar sparades inte."


class EditConflict(Conflict):
    """A save based on an old reading: ``changes`` are what others saved since."""

    def __init__(self, changes: list[Change]) -> None:
        super().__init__(STALE)
        self.changes = changes


def _not_blank(value: str) -> None:
    if not value.strip():
        raise ValidationError("Fältet måste fyllas i.")


def name_field(limit: int = NAME_MAX) -> fields.String:
    """A required, non-blank name of at most ``limit`` characters."""
    return fields.String(
        required=True,
        error_messages=MESSAGES,
        validate=[
            _not_blank,
            validate.Length(max=limit, error=f"Namnet får vara högst {limit} tecken."),
        ],
    )


def text_field(limit: int = TEXT_MAX) -> fields.String:
    """Optional free text of at most ``limit`` characters."""
    return fields.String(
        load_default="",
        error_messages=MESSAGES,
        validate=validate.Length(max=limit, error=f"Högst {limit} tecken."),
    )


def lines_field() -> fields.List[Any]:
    """A list of short texts (mottagare, objekt in …), each at most 200 characters."""
    item = fields.String(
        error_messages=MESSAGES,
        validate=validate.Length(
            max=NAME_MAX, error=f"Varje rad får vara högst {NAME_MAX} tecken."
        ),
    )
    return fields.List(item, load_default=list, error_messages=MESSAGES)


def clean_lines(values: Iterable[str]) -> tuple[str, ...]:
    """Trimmed, non-empty, without repeats, in the order given."""
    return tuple(dict.fromkeys(v.strip() for v in values if v.strip()))


# -- optimistic locking ----------------------------------------------------------------
def state_token(store: GraphStore, label: Label, entity_id: str, rels: Iterable[Rel]) -> str:
    """A fingerprint of an entity's version and its outgoing ``rels`` links."""
    entity = store.get(label, entity_id)
    parts = [f"v{entity.version}"]
    for rel in sorted(rels):
        for link in store.outgoing(label, entity_id, rel):
            props = sorted((k, str(v)) for k, v in link.props.items())
            parts.append(f"{rel}>{link.target}{props}")
    return hashlib.sha256("|".join(parts).encode("utf-8")).hexdigest()[:20]


def last_change(store: GraphStore, entity_ids: Iterable[str]) -> Change | None:
    """The newest change-log entry of any of ``entity_ids`` (who changed it last, and when)."""
    found = [c for i in dict.fromkeys(entity_ids) for c in store.changes(i)]
    return max(found, key=lambda c: (c.at, c.id)) if found else None


def changes_since(store: GraphStore, entity_ids: Iterable[str], seen: str) -> list[Change]:
    """Changes of ``entity_ids`` newer than the stamp ``seen`` (all of them when empty)."""
    found = [c for i in dict.fromkeys(entity_ids) for c in store.changes(i) if c.at > seen]
    return sorted(found, key=lambda c: (c.at, c.id))


def seen_stamp(store: GraphStore, entity_ids: Iterable[str]) -> str:
    """The stamp a form carries: the time of the newest change it shows."""
    change = last_change(store, entity_ids)
    return change.at if change else ""


def check_fresh(
    store: GraphStore,
    current: str,
    sent: Mapping[str, Any],
    entity_ids: Iterable[str],
) -> None:
    """Refuse with ``EditConflict`` when the form's ``state`` is not the current one."""
    state = str(sent.get("state") or "")
    if state and state != current:
        raise EditConflict(changes_since(store, entity_ids, str(sent.get("seen") or "")))


def stale_version(store: GraphStore, exc: Conflict, ids: Iterable[str], seen: str) -> EditConflict:
    """A version conflict of the unit of work, with the changes behind it."""
    conflict = EditConflict(changes_since(store, ids, seen))
    conflict.__cause__ = exc
    return conflict


# -- the organisation tree -------------------------------------------------------------
@dataclass(frozen=True)
class UnitChoice:
    """An organisation unit as a choice, indented by its depth in the tree."""

    id: str
    name: str
    depth: int


class OrgTree:
    """The organisation units and which one each process, role and document belongs to."""

    def __init__(self, store: GraphStore) -> None:
        self.units = {u.id: u for u in store.entities(Label.ORG_UNIT) if isinstance(u, OrgUnit)}
        self.parent = {link.source: link.target for link in store.links(Rel.PART_OF)}
        self.unit_of = {link.source: link.target for link in store.links(Rel.BELONGS_TO)}
        self.process_parent = {link.source: link.target for link in store.links(Rel.SUBPROCESS_OF)}

    def ancestors(self, unit_id: str) -> list[str]:
        """``unit_id`` and the units above it, nearest first."""
        chain: list[str] = []
        while unit_id and unit_id not in chain:
            chain.append(unit_id)
            unit_id = self.parent.get(unit_id, "")
        return chain

    def process_unit(self, process_id: str) -> str:
        """The unit of a process, or of the nearest parent process that has one."""
        seen: set[str] = set()
        while process_id and process_id not in seen:
            seen.add(process_id)
            if process_id in self.unit_of:
                return self.unit_of[process_id]
            process_id = self.process_parent.get(process_id, "")
        return ""

    def same_branch(self, first: str, second: str) -> bool:
        """Whether one unit lies above the other (or they are the same, or either is none)."""
        if not first or not second:
            return True
        return first in self.ancestors(second) or second in self.ancestors(first)

    def name(self, unit_id: str) -> str:
        """The unit's name (its id when unknown)."""
        unit = self.units.get(unit_id)
        return unit.name if unit else unit_id

    def choices(self) -> list[UnitChoice]:
        """Every unit, depth first from the top, siblings by name."""
        children: dict[str, list[OrgUnit]] = {}
        for unit in self.units.values():
            children.setdefault(self.parent.get(unit.id, ""), []).append(unit)
        out: list[UnitChoice] = []

        def visit(parent: str, depth: int) -> None:
            for unit in sorted(children.get(parent, ()), key=lambda u: u.name.casefold()):
                out.append(UnitChoice(unit.id, unit.name, depth))
                visit(unit.id, depth + 1)

        visit("", 0)
        placed = {c.id for c in out}
        out += [UnitChoice(u.id, u.name, 0) for u in self.units.values() if u.id not in placed]
        return out


def entity_or_none(store: GraphStore, label: Label, entity_id: str) -> Entity | None:
    """The entity when ``entity_id`` names one of ``label``, else None."""
    if not entity_id or store.label_of(entity_id) is not label:
        return None
    return store.get(label, entity_id)
