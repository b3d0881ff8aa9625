"""What every editing use case shares: loading a form, checking its references, readable
ids, writing an entity with its links, reading entities by id."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from marshmallow import Schema, ValidationError

from qms.domain.entities import Entity
from qms.domain.errors import InvalidInput, NotFound
from qms.domain.graph import Link
from qms.domain.labels import Label, Rel
from qms.domain.views import NodeRef
from qms.services.org_units import unit_subtree
from qms.storage.port import GraphStore
from qms.storage.unit_of_work import UnitOfWork


def load(schema: Schema, data: Mapping[str, Any], what: str) -> dict[str, Any]:
    """``data`` loaded by ``schema``, or ``InvalidInput`` with the field errors in Swedish."""
    try:
        loaded: dict[str, Any] = schema.load(data)
    except ValidationError as exc:
        raise InvalidInput(f"{what} kunde inte sparas.", flat_errors(exc.messages)) from exc
    return loaded


def flat_errors(messages: Any) -> dict[str, list[str]]:
    if isinstance(messages, dict):
        return {
            str(k): [str(m) for m in (v if isinstance(v, list) else [v])]
            for k, v in messages.items()
        }
    return {"_schema": [str(messages)]}


def new_id(uow: UnitOfWork, prefix: str, text: str) -> str:
    """A readable, unused id: ``prefix-`` and the ASCII words of ``text`` (``-2`` … if taken)."""
    folded = unicodedata.normalize("NFKD", text.lower()).encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", "-", folded).strip("-")[:40].strip("-") or "ny"
    base = f"{prefix}-{words}"
    candidate, count = base, 1
    while uow.label_of(candidate) is not None:
        count += 1
        candidate = f"{base}-{count}"
    return candidate


def relink(uow: UnitOfWork, source: str, rel: Rel, old: Iterable[str], new: Iterable[str]) -> None:
    """Make ``source``'s ``rel`` links point at exactly ``new``."""
    old_set, new_set = set(old), set(new)
    for target in sorted(old_set - new_set):
        uow.unlink(Link(rel, source, target))
    for target in sorted(new_set - old_set):
        uow.link(Link(rel, source, target))


def check_refs(
    store: GraphStore, wanted: Mapping[str, tuple[list[str], tuple[Label, ...]]]
) -> dict[str, list[str]]:
    """Field errors for ids that do not exist or are of a label the field does not take."""
    errors: dict[str, list[str]] = {}
    for name, (ids, labels) in wanted.items():
        bad = [i for i in ids if store.label_of(i) not in labels]
        if bad:
            errors[name] = [f"Finns inte eller kan inte väljas här: {', '.join(bad)}."]
    return errors


@dataclass
class FormInput:
    """A posted form read: its fields, the ids picked in its reference fields, every error."""

    fields: dict[str, Any]
    picked: dict[str, list[str]]
    errors: dict[str, list[str]]


def read_form(
    store: GraphStore,
    schema: Schema,
    data: Mapping[str, Any],
    references: Mapping[str, tuple[Label, ...]],
) -> FormInput:
    """Load ``data`` and check its reference fields, collecting every problem at once.

    ``references`` names the fields that hold ids (one id or a list) and the labels each may
    point at; they come out of ``fields`` into ``picked``, blanks and repeats dropped.
    """
    errors: dict[str, list[str]] = {}
    try:
        loaded: dict[str, Any] = schema.load(data)
    except ValidationError as exc:  # go on checking, so every field's problem is shown at once
        errors = flat_errors(exc.messages)
        loaded = dict(exc.valid_data or {})
    picked: dict[str, list[str]] = {}
    for name in references:
        value = loaded.pop(name, None) or []
        ids = [value] if isinstance(value, str) else list(value)
        picked[name] = [i.strip() for i in dict.fromkeys(ids) if i.strip()]
    wanted = {name: (picked[name], labels) for name, labels in references.items()}
    return FormInput(loaded, picked, errors | check_refs(store, wanted))


def save_entity(
    uow: UnitOfWork,
    store: GraphStore,
    entity: Entity,
    links: Mapping[Rel, list[str]],
    new: bool,
) -> Entity:
    """Add or update ``entity`` and make each of its ``links`` point at exactly those ids."""
    saved = uow.add(entity) if new else uow.update(entity)
    for rel, targets in links.items():
        old = [] if new else [link.target for link in store.outgoing(saved.LABEL, saved.id, rel)]
        relink(uow, saved.id, rel, old, targets)
    return saved


E = TypeVar("E", bound=Entity)


def fetch(source: GraphStore | UnitOfWork, cls: type[E], entity_id: str) -> E:
    """The entity of ``cls`` with this id, or ``NotFound``."""
    found = source.get(cls.LABEL, entity_id)
    if not isinstance(found, cls):
        raise NotFound(cls.LABEL, entity_id)
    return found


def by_id(store: GraphStore, *labels: Label) -> dict[str, Entity]:
    """Every entity of ``labels`` by id (one read per label)."""
    return {e.id: e for label in labels for e in store.entities(label)}


def unit_scope(store: GraphStore, unit: str | None) -> set[str] | None:
    """``unit`` and every unit below it; None (no filter) when no unit is chosen."""
    return unit_subtree(store, unit) if unit else None


def refs(store: GraphStore, *labels: Label) -> tuple[NodeRef, ...]:
    """Every entity of ``labels`` to pick from: by label in that order, then by name."""
    found = [NodeRef(e.LABEL, e.id, e.caption) for lb in labels for e in store.entities(lb)]
    return tuple(sorted(found, key=lambda r: (labels.index(r.label), r.caption.lower())))
