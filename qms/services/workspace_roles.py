"""The role catalogue of an organisation unit: create, rename and merge roles."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from marshmallow import fields

from qms.domain.changes import Change
from qms.domain.entities import Role
from qms.domain.errors import Conflict, InvalidInput
from qms.domain.graph import REL_TYPES, Link
from qms.domain.labels import Label, Rel
from qms.services.access import Actor, Permission
from qms.services.app import Qms
from qms.services.forms import check_refs, fetch, load, new_id
from qms.services.org_units import require_in
from qms.services.schemas import MESSAGES, QmsSchema, WholeNumber
from qms.services.workspace import (
    OrgTree,
    check_fresh,
    last_change,
    name_field,
    seen_stamp,
    stale_version,
    state_token,
    text_field,
)
from qms.storage.port import GraphStore

ROLE_RELS = (Rel.BELONGS_TO,)


class RoleForm(QmsSchema):
    """A role as entered."""

    name = name_field()
    description = text_field(2000)
    org_unit = fields.String(load_default="", error_messages=MESSAGES)
    version = WholeNumber(load_default=0, error_messages=MESSAGES)
    state = fields.String(load_default="", error_messages=MESSAGES)
    seen = fields.String(load_default="", error_messages=MESSAGES)


class MergeForm(QmsSchema):
    """Which role the merged one goes into."""

    keep = fields.String(required=True, error_messages=MESSAGES)


@dataclass(frozen=True)
class RoleEntry:
    """A role of the catalogue and how much hangs on it."""

    role: Role
    unit: str
    activities: int
    owns: int


def catalogue(qms: Qms, unit_id: str) -> list[RoleEntry]:
    """The roles of ``unit_id`` ("" for roles of no unit), by name, with their use."""
    store = qms.store
    tree = OrgTree(store)
    performs: dict[str, int] = {}
    for link in store.links(Rel.PERFORMED_BY):
        performs[link.target] = performs.get(link.target, 0) + 1
    owns: dict[str, int] = {}
    for link in store.links(Rel.OWNED_BY):
        owns[link.target] = owns.get(link.target, 0) + 1
    roles = [r for r in store.entities(Label.ROLE) if isinstance(r, Role)]
    return sorted(
        (
            RoleEntry(r, unit_id, performs.get(r.id, 0), owns.get(r.id, 0))
            for r in roles
            if tree.unit_of.get(r.id, "") == unit_id
        ),
        key=lambda e: e.role.name.casefold(),
    )


def role_state(store: GraphStore, role_id: str) -> str:
    """The state token of a role's form."""
    return state_token(store, Label.ROLE, role_id, ROLE_RELS)


@dataclass(frozen=True)
class RoleEditor:
    """A role with its form values and who changed it last."""

    role: Role
    values: dict[str, Any]
    last: Change | None
    entry: RoleEntry


def editor(qms: Qms, role_id: str) -> RoleEditor:
    """The role as its form shows it."""
    store = qms.store
    role = fetch(store, Role, role_id)
    unit = [lk.target for lk in store.outgoing(Label.ROLE, role_id, Rel.BELONGS_TO)]
    values = {
        **role.content(),
        "org_unit": unit[0] if unit else "",
        "version": role.version,
        "state": role_state(store, role_id),
        "seen": seen_stamp(store, [role_id]),
    }
    entry = next(e for e in catalogue(qms, values["org_unit"]) if e.role.id == role_id)
    return RoleEditor(role, values, last_change(store, [role_id]), entry)


def _unit(qms: Qms, loaded: Mapping[str, Any]) -> str:
    unit = str(loaded["org_unit"]).strip()
    errors = check_refs(qms.store, {"org_unit": ([unit] if unit else [], (Label.ORG_UNIT,))})
    if errors:
        raise InvalidInput("Rollen kunde inte sparas.", errors)
    return unit


def create_role(qms: Qms, actor: Actor, data: Mapping[str, Any]) -> Role:
    """A new role in a unit's catalogue."""
    actor.require(Permission.EDIT_PROCESSES)
    loaded = load(RoleForm(), data, "Rollen")
    unit = _unit(qms, loaded)
    actor.require_for(Permission.EDIT_PROCESSES, unit or None)
    name = " ".join(loaded["name"].split())
    with qms.unit_of_work(actor.name) as uow:
        saved = uow.add(
            Role(id=new_id(uow, "r", name), name=name, description=loaded["description"].strip())
        )
        if unit:
            uow.link(Link(Rel.BELONGS_TO, saved.id, unit))
    return fetch(qms.store, Role, saved.id)


def update_role(qms: Qms, actor: Actor, role_id: str, data: Mapping[str, Any]) -> Role:
    """Rename a role (or change its description or unit); its links stay as they are."""
    store = qms.store
    current = fetch(store, Role, role_id)
    require_in(store, actor, Permission.EDIT_PROCESSES, Label.ROLE, role_id)
    loaded = load(RoleForm(), data, "Rollen")
    unit = _unit(qms, loaded)
    actor.require_for(Permission.EDIT_PROCESSES, unit or None)
    check_fresh(store, role_state(store, role_id), loaded, [role_id])
    old = [lk.target for lk in store.outgoing(Label.ROLE, role_id, Rel.BELONGS_TO)]
    try:
        with qms.unit_of_work(actor.name) as uow:
            uow.update(
                dataclasses.replace(
                    current,
                    version=loaded["version"],
                    name=" ".join(loaded["name"].split()),
                    description=loaded["description"].strip(),
                )
            )
            if old != ([unit] if unit else []):
                for target in old:
                    uow.unlink(Link(Rel.BELONGS_TO, role_id, target))
                if unit:
                    uow.link(Link(Rel.BELONGS_TO, role_id, unit))
    except Conflict as exc:
        raise stale_version(store, exc, [role_id], loaded["seen"]) from exc
    return fetch(store, Role, role_id)


def merge_roles(qms: Qms, actor: Actor, merged_id: str, data: Mapping[str, Any]) -> Role:
    """Move every link of ``merged_id`` to the kept role and remove it, in one unit of work."""
    store = qms.store
    fetch(store, Role, merged_id)
    require_in(store, actor, Permission.EDIT_PROCESSES, Label.ROLE, merged_id)
    keep_id = str(load(MergeForm(), data, "Sammanslagningen")["keep"]).strip()
    if store.label_of(keep_id) is not Label.ROLE:
        raise InvalidInput("Rollerna kunde inte slås ihop.", {"keep": ["Välj en roll i listan."]})
    if keep_id == merged_id:
        raise InvalidInput(
            "Rollerna kunde inte slås ihop.", {"keep": ["Välj en annan roll än den som slås ihop."]}
        )
    kept = fetch(store, Role, keep_id)
    require_in(store, actor, Permission.EDIT_PROCESSES, Label.ROLE, keep_id)
    around = store.neighbourhood(Label.ROLE, merged_id)
    keep_out = {
        rel: {n.id for n in nodes}
        for rel, nodes in store.neighbourhood(Label.ROLE, keep_id).outgoing.items()
    }
    with qms.unit_of_work(actor.name) as uow:
        for rel, nodes in around.incoming.items():
            for node in nodes:
                props = _props(store, node.LABEL, node.id, rel, merged_id)
                uow.unlink(Link(rel, node.id, merged_id))
                uow.link(Link(rel, node.id, keep_id, props))
        for rel, nodes in around.outgoing.items():
            for node in nodes:
                uow.unlink(Link(rel, merged_id, node.id))
                single = rel is Rel.BELONGS_TO and keep_out.get(rel)
                if not single:
                    uow.link(Link(rel, keep_id, node.id))
        uow.delete(Label.ROLE, merged_id)
    return kept


def _props(store: GraphStore, label: Label, source: str, rel: Rel, target: str) -> dict[str, Any]:
    if not REL_TYPES[rel].props:
        return {}
    found = [lk for lk in store.outgoing(label, source, rel) if lk.target == target]
    return dict(found[0].props) if found else {}


def unit_roles(store: GraphStore, unit_id: str) -> list[Role]:
    """Roles a process of ``unit_id`` may use: those of its branch and those of no unit."""
    tree = OrgTree(store)
    roles = [r for r in store.entities(Label.ROLE) if isinstance(r, Role)]
    return sorted(
        (r for r in roles if tree.same_branch(unit_id, tree.unit_of.get(r.id, ""))),
        key=lambda r: r.name.casefold(),
    )
