"""The process editor: create, edit, move and archive huvud-, stöd- and styrprocesser."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from marshmallow import fields, validate

from qms.domain.changes import Change
from qms.domain.entities import Goal, Process, Role
from qms.domain.errors import Conflict, InvalidInput
from qms.domain.graph import Link
from qms.domain.kinds import ProcessKind
from qms.domain.labels import Label, Rel
from qms.services.access import Actor, Permission
from qms.services.app import Qms
from qms.services.forms import check_refs, fetch, load, new_id, relink
from qms.services.org_units import require_in
from qms.services.schemas import MESSAGES, QmsSchema, WholeNumber
from qms.services.workspace import (
    OrgTree,
    check_fresh,
    clean_lines,
    last_change,
    lines_field,
    name_field,
    seen_stamp,
    stale_version,
    state_token,
    text_field,
)
from qms.storage.port import GraphStore

#: The links the process form manages (the activity list has its own editor).
PROCESS_RELS = (Rel.SUBPROCESS_OF, Rel.OWNED_BY, Rel.BELONGS_TO, Rel.CONTRIBUTES_TO)
#: Samverkan is one text in the graph; the form asks with whom, when and how.
COLLABORATION = (
    ("collaboration_with", "Med vem: "),
    ("collaboration_when", "När: "),
    ("collaboration_how", "Hur: "),
)
OWN_ANCESTOR = "En process kan inte ligga under sig själv eller under någon av sina delprocesser."


class ProcessForm(QmsSchema):
    """A process as entered in the editor."""

    name = name_field()
    kind = fields.String(
        required=True,
        error_messages=MESSAGES,
        validate=validate.OneOf([k.value for k in ProcessKind], error="Välj en processtyp."),
    )
    purpose = text_field()
    trigger = text_field()
    ends_when = text_field()
    desired_effect = text_field()
    recipients = lines_field()
    stakeholders = lines_field()
    collaboration_with = text_field(1000)
    collaboration_when = text_field(1000)
    collaboration_how = text_field(2000)
    owner = fields.String(load_default="", error_messages=MESSAGES)
    org_unit = fields.String(load_default="", error_messages=MESSAGES)
    goals = fields.List(fields.String(), load_default=list, error_messages=MESSAGES)
    parent = fields.String(load_default="", error_messages=MESSAGES)
    version = WholeNumber(load_default=0, error_messages=MESSAGES)
    state = fields.String(load_default="", error_messages=MESSAGES)
    seen = fields.String(load_default="", error_messages=MESSAGES)


class LockForm(QmsSchema):
    """A move or an archive: the new parent and what the user saw."""

    parent = fields.String(load_default="", error_messages=MESSAGES)
    version = WholeNumber(load_default=0, error_messages=MESSAGES)
    state = fields.String(load_default="", error_messages=MESSAGES)
    seen = fields.String(load_default="", error_messages=MESSAGES)


def compose_collaboration(values: Mapping[str, Any]) -> str:
    """The samverkan text: "Med vem: …", "När: …", "Hur: …" lines (empty ones left out)."""
    lines = [prefix + " ".join(str(values.get(key, "")).split()) for key, prefix in COLLABORATION]
    return "\n".join(line for line in lines if not line.endswith(": "))


def split_collaboration(text: str) -> dict[str, str]:
    """The three samverkan fields of a stored text; text in no known line counts as "how"."""
    found = {key: "" for key, _ in COLLABORATION}
    rest: list[str] = []
    for line in text.splitlines():
        key = next((k for k, prefix in COLLABORATION if line.startswith(prefix)), None)
        if key is None:
            rest.append(line)
        else:
            found[key] = line.split(": ", 1)[1].strip()
    if rest:
        found["collaboration_how"] = "\n".join([*rest, found["collaboration_how"]]).strip()
    return found


# -- reads -----------------------------------------------------------------------------
@dataclass(frozen=True)
class ProcessEditor:
    """A process as its edit form shows it, with who changed it last."""

    process: Process
    values: dict[str, Any]
    last: Change | None
    children: tuple[Process, ...]
    trail: tuple[Process, ...]


def lock_ids(store: GraphStore, process_id: str) -> list[str]:
    """The entities whose changes a process form shows in a conflict (the process itself)."""
    return [process_id]


def process_state(store: GraphStore, process_id: str) -> str:
    """The state token of the process form."""
    return state_token(store, Label.PROCESS, process_id, PROCESS_RELS)


def editor(qms: Qms, process_id: str) -> ProcessEditor:
    """The process, its form values (links included) and its place in the tree."""
    store = qms.store
    process = fetch(store, Process, process_id)
    out = {
        rel: [link.target for link in store.outgoing(Label.PROCESS, process_id, rel)]
        for rel in PROCESS_RELS
    }
    values: dict[str, Any] = {
        **process.content(),
        **split_collaboration(process.collaboration),
        "kind": process.kind.value,
        "parent": next(iter(out[Rel.SUBPROCESS_OF]), ""),
        "owner": next(iter(out[Rel.OWNED_BY]), ""),
        "org_unit": next(iter(out[Rel.BELONGS_TO]), ""),
        "goals": out[Rel.CONTRIBUTES_TO],
        "version": process.version,
        "state": process_state(store, process_id),
        "seen": seen_stamp(store, [process_id]),
    }
    values = {k: v for k, v in values.items() if k in ProcessForm().fields}
    kids = [
        store.get(Label.PROCESS, r.id)
        for r in store.neighbours(Label.PROCESS, process_id, Rel.SUBPROCESS_OF, "in")
    ]
    children = tuple(sorted((p for p in kids if isinstance(p, Process)), key=lambda p: p.name))
    return ProcessEditor(
        process,
        values,
        last_change(store, [process_id]),
        children,
        tuple(_trail(store, process_id)),
    )


def _trail(store: GraphStore, process_id: str) -> list[Process]:
    parents = {link.source: link.target for link in store.links(Rel.SUBPROCESS_OF)}
    chain: list[Process] = []
    current = parents.get(process_id, "")
    while current and current != process_id and all(p.id != current for p in chain):
        chain.insert(0, fetch(store, Process, current))
        current = parents.get(current, "")
    return chain


@dataclass(frozen=True)
class TreeNode:
    """A process of the unit's tree with its delprocesser."""

    process: Process
    children: tuple[TreeNode, ...]


@dataclass(frozen=True)
class UnitProcesses:
    """The processes of one organisation unit: a tree per kind, and the archived ones."""

    by_kind: dict[ProcessKind, tuple[TreeNode, ...]]
    archived: tuple[Process, ...]


def unit_processes(qms: Qms, unit_id: str) -> UnitProcesses:
    """The process tree of ``unit_id`` ("" for processes without a unit)."""
    store = qms.store
    tree = OrgTree(store)
    processes = {p.id: p for p in store.entities(Label.PROCESS) if isinstance(p, Process)}
    children: dict[str, list[Process]] = {}
    for link in store.links(Rel.SUBPROCESS_OF):
        if link.source in processes:
            children.setdefault(link.target, []).append(processes[link.source])
    mine = [p for p in processes.values() if tree.process_unit(p.id) == unit_id]

    def node(process: Process, seen: frozenset[str]) -> TreeNode:
        kids = sorted(children.get(process.id, ()), key=lambda p: p.name.casefold())
        return TreeNode(
            process,
            tuple(node(k, seen | {k.id}) for k in kids if k.id not in seen and not k.archived),
        )

    tops = [p for p in mine if p.id not in tree.process_parent and not p.archived]
    tops.sort(key=lambda p: p.name.casefold())
    by_kind = {
        kind: tuple(node(p, frozenset({p.id})) for p in tops if p.kind is kind)
        for kind in ProcessKind
    }
    archived = tuple(sorted((p for p in mine if p.archived), key=lambda p: p.name.casefold()))
    return UnitProcesses(by_kind, archived)


# -- writes ----------------------------------------------------------------------------
def _checked(qms: Qms, loaded: dict[str, Any]) -> dict[str, Any]:
    owner, unit, parent = loaded["owner"].strip(), loaded["org_unit"].strip(), loaded["parent"]
    goals = [g.strip() for g in loaded["goals"] if g.strip()]
    errors = check_refs(
        qms.store,
        {
            "owner": ([owner] if owner else [], (Label.ROLE,)),
            "org_unit": ([unit] if unit else [], (Label.ORG_UNIT,)),
            "goals": (goals, (Label.GOAL,)),
            "parent": ([parent.strip()] if parent.strip() else [], (Label.PROCESS,)),
        },
    )
    if errors:
        raise InvalidInput("Processen kunde inte sparas.", errors)
    return {"owner": owner, "org_unit": unit, "goals": goals, "parent": parent.strip()}


def _content(loaded: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "name": " ".join(loaded["name"].split()),
        "kind": ProcessKind(loaded["kind"]),
        "purpose": loaded["purpose"].strip(),
        "trigger": loaded["trigger"].strip(),
        "ends_when": loaded["ends_when"].strip(),
        "desired_effect": loaded["desired_effect"].strip(),
        "recipients": clean_lines(loaded["recipients"]),
        "stakeholders": clean_lines(loaded["stakeholders"]),
        "collaboration": compose_collaboration(loaded),
    }


def _relink_all(qms: Qms, uow: Any, process_id: str, refs: Mapping[str, Any]) -> None:
    store = qms.store
    known = store.label_of(process_id) is Label.PROCESS

    def old(rel: Rel) -> list[str]:
        return [lk.target for lk in store.outgoing(Label.PROCESS, process_id, rel)] if known else []

    relink(
        uow, process_id, Rel.OWNED_BY, old(Rel.OWNED_BY), [refs["owner"]] if refs["owner"] else []
    )
    relink(
        uow,
        process_id,
        Rel.BELONGS_TO,
        old(Rel.BELONGS_TO),
        [refs["org_unit"]] if refs["org_unit"] else [],
    )
    relink(uow, process_id, Rel.CONTRIBUTES_TO, old(Rel.CONTRIBUTES_TO), refs["goals"])


def _require_target(qms: Qms, actor: Actor, refs: Mapping[str, Any]) -> None:
    """The unit a process is put in (its own, else its parent's) must be the actor's."""
    if refs["org_unit"]:
        actor.require_for(Permission.EDIT_PROCESSES, refs["org_unit"])
    elif refs["parent"]:
        require_in(qms.store, actor, Permission.EDIT_PROCESSES, Label.PROCESS, refs["parent"])
    else:
        actor.require_for(Permission.EDIT_PROCESSES, None)


def create_process(qms: Qms, actor: Actor, data: Mapping[str, Any]) -> Process:
    """A new process (a delprocess when ``parent`` is given), with its links."""
    actor.require(Permission.EDIT_PROCESSES)
    loaded = load(ProcessForm(), data, "Processen")
    refs = _checked(qms, loaded)
    _require_target(qms, actor, refs)
    with qms.unit_of_work(actor.name) as uow:
        saved = uow.add(Process(id=new_id(uow, "p", loaded["name"]), **_content(loaded)))
        if refs["parent"]:
            uow.link(Link(Rel.SUBPROCESS_OF, saved.id, refs["parent"]))
        _relink_all(qms, uow, saved.id, refs)
    return fetch(qms.store, Process, saved.id)


def update_process(qms: Qms, actor: Actor, process_id: str, data: Mapping[str, Any]) -> Process:
    """Save the process form; a stale ``version`` or ``state`` raises ``EditConflict``."""
    store = qms.store
    current = fetch(store, Process, process_id)
    require_in(store, actor, Permission.EDIT_PROCESSES, Label.PROCESS, process_id)
    loaded = load(ProcessForm(), data, "Processen")
    refs = _checked(qms, loaded)
    _require_target(qms, actor, refs)
    ids = lock_ids(store, process_id)
    check_fresh(store, process_state(store, process_id), loaded, ids)
    try:
        with qms.unit_of_work(actor.name) as uow:
            changed = dataclasses.replace(current, version=loaded["version"], **_content(loaded))
            uow.update(changed)
            _relink_all(qms, uow, process_id, refs)
    except Conflict as exc:
        raise stale_version(store, exc, ids, loaded["seen"]) from exc
    return fetch(store, Process, process_id)


def descendants(store: GraphStore, process_id: str) -> set[str]:
    """Every delprocess below ``process_id``, at any depth."""
    children: dict[str, list[str]] = {}
    for link in store.links(Rel.SUBPROCESS_OF):
        children.setdefault(link.target, []).append(link.source)
    found: set[str] = set()
    todo = [process_id]
    while todo:
        for child in children.get(todo.pop(), ()):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def move_process(qms: Qms, actor: Actor, process_id: str, data: Mapping[str, Any]) -> Process:
    """Put a process under another parent ("" makes it a top-level process)."""
    store = qms.store
    fetch(store, Process, process_id)
    require_in(store, actor, Permission.EDIT_PROCESSES, Label.PROCESS, process_id)
    loaded = load(LockForm(), data, "Flytten")
    parent = loaded["parent"].strip()
    if parent and store.label_of(parent) is not Label.PROCESS:
        raise InvalidInput(
            "Processen kunde inte flyttas.", {"parent": ["Välj en process i listan."]}
        )
    if parent == process_id or parent in descendants(store, process_id):
        raise InvalidInput("Processen kunde inte flyttas.", {"parent": [OWN_ANCESTOR]})
    if parent:
        require_in(store, actor, Permission.EDIT_PROCESSES, Label.PROCESS, parent)
    ids = lock_ids(store, process_id)
    check_fresh(store, process_state(store, process_id), loaded, ids)
    old = [link.target for link in store.outgoing(Label.PROCESS, process_id, Rel.SUBPROCESS_OF)]
    with qms.unit_of_work(actor.name) as uow:
        relink(uow, process_id, Rel.SUBPROCESS_OF, old, [parent] if parent else [])
    return fetch(store, Process, process_id)


def set_archived(
    qms: Qms, actor: Actor, process_id: str, archived: bool, data: Mapping[str, Any]
) -> Process:
    """Archive a process (it leaves the portal's map, keeps its history) or bring it back."""
    store = qms.store
    current = fetch(store, Process, process_id)
    require_in(store, actor, Permission.EDIT_PROCESSES, Label.PROCESS, process_id)
    loaded = load(LockForm(), data, "Processen")
    ids = lock_ids(store, process_id)
    check_fresh(store, process_state(store, process_id), loaded, ids)
    try:
        with qms.unit_of_work(actor.name) as uow:
            uow.update(dataclasses.replace(current, version=loaded["version"], archived=archived))
    except Conflict as exc:
        raise stale_version(store, exc, ids, loaded["seen"]) from exc
    return fetch(store, Process, process_id)


# -- choices ---------------------------------------------------------------------------
@dataclass(frozen=True)
class ProcessChoices:
    """What the process form offers: roles, goals and possible parents."""

    roles: tuple[Role, ...]
    goals: tuple[Goal, ...]
    processes: tuple[Process, ...]


def process_choices(qms: Qms, exclude: str = "") -> ProcessChoices:
    """Roles and goals by name; parents: every unarchived process except ``exclude``'s tree."""
    store = qms.store
    roles = sorted(
        (r for r in store.entities(Label.ROLE) if isinstance(r, Role)),
        key=lambda r: r.name.casefold(),
    )
    goals = sorted(
        (g for g in store.entities(Label.GOAL) if isinstance(g, Goal)),
        key=lambda g: (g.code, g.title),
    )
    barred = {exclude, *descendants(store, exclude)} if exclude else set()
    processes = sorted(
        (
            p
            for p in store.entities(Label.PROCESS)
            if isinstance(p, Process) and not p.archived and p.id not in barred
        ),
        key=lambda p: p.name.casefold(),
    )
    return ProcessChoices(tuple(roles), tuple(goals), tuple(processes))
