"""The activity list editor: a process's activities in order, edited without drawing.

Every write renumbers positions and rewrites the ``FLOWS_TO`` links from the list (see
``workspace_flows``), then brings the kept BPMN file up to date, so the diagram and the list
always read the same graph.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from marshmallow import fields, validate

from qms.bpmn.writer import write
from qms.domain.changes import Change
from qms.domain.entities import Activity, Document, Process, Role
from qms.domain.errors import Conflict, InvalidInput, NotFound
from qms.domain.graph import Link
from qms.domain.kinds import ActivityType
from qms.domain.labels import Label, Rel
from qms.services.access import Actor, Permission
from qms.services.app import Qms
from qms.services.bpmn_export import export_model
from qms.services.bpmn_graph import stored_model
from qms.services.forms import check_refs, fetch, load, new_id, relink
from qms.services.org_units import require_in
from qms.services.schemas import MESSAGES, QmsSchema, WholeNumber
from qms.services.workspace import (
    EditConflict,
    OrgTree,
    changes_since,
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
from qms.services.workspace_flows import (
    Branch,
    flow_order,
    flows_for,
    implicit_next,
    is_decision,
    routes_of,
)
from qms.storage.port import GraphStore
from qms.storage.unit_of_work import UnitOfWork

#: The links the activity form manages besides its flows.
ACTIVITY_RELS = (Rel.PERFORMED_BY, Rel.GOVERNED_BY, Rel.FLOWS_TO)
#: The node types the list offers (others, drawn in the modeler, are kept as they are).
LIST_TYPES = (
    ActivityType.TASK,
    ActivityType.START_EVENT,
    ActivityType.END_EVENT,
    ActivityType.EXCLUSIVE_GATEWAY,
)
OTHER_BRANCH = (
    "Dokumentet hör till {unit}, som inte ligger på samma gren av organisationen "
    "som processen ({own})."
)


def _type_field() -> fields.String:
    return fields.String(
        load_default=ActivityType.TASK.value,
        error_messages=MESSAGES,
        validate=validate.OneOf([t.value for t in ActivityType], error="Välj en typ i listan."),
    )


class ListLock(QmsSchema):
    """What every list form carries: the list's state when the page was shown."""

    state = fields.String(load_default="", error_messages=MESSAGES)
    seen = fields.String(load_default="", error_messages=MESSAGES)


class AddForm(ListLock):
    """A new activity at the end of the list."""

    name = name_field()
    node_type = _type_field()
    role = fields.String(load_default="", error_messages=MESSAGES)


class MoveForm(ListLock):
    """One step up or down."""

    activity = fields.String(required=True, error_messages=MESSAGES)
    direction = fields.String(
        required=True,
        error_messages=MESSAGES,
        validate=validate.OneOf(["up", "down"], error="Ange upp eller ned."),
    )


class OrderForm(ListLock):
    """The whole order at once (drag and drop)."""

    order = fields.List(fields.String(), required=True, error_messages=MESSAGES)


class BranchForm(QmsSchema):
    """One branch of a decision point."""

    name = fields.String(
        load_default="", validate=validate.Length(max=200, error="Högst 200 tecken.")
    )
    condition = fields.String(
        load_default="", validate=validate.Length(max=1000, error="Högst 1000 tecken.")
    )
    to = fields.String(load_default="")
    is_default = fields.Boolean(load_default=False)


class ActivityForm(QmsSchema):
    """An activity as entered: its fields, performer, documents and ways out."""

    name = name_field()
    node_type = _type_field()
    description = text_field()
    role = fields.String(load_default="", error_messages=MESSAGES)
    inputs = lines_field()
    outputs = lines_field()
    documents = fields.List(fields.String(), load_default=list, error_messages=MESSAGES)
    next = fields.String(load_default="", error_messages=MESSAGES)
    branches = fields.List(fields.Nested(BranchForm), load_default=list, error_messages=MESSAGES)
    version = WholeNumber(load_default=0, error_messages=MESSAGES)
    state = fields.String(load_default="", error_messages=MESSAGES)
    seen = fields.String(load_default="", error_messages=MESSAGES)


# -- reads -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Row:
    """One activity of the list with its performer, documents and ways out."""

    activity: Activity
    role: Role | None
    documents: tuple[Document, ...]
    routes: tuple[Branch, ...]
    implicit: str


@dataclass(frozen=True)
class ActivityList:
    """A process's activities in flow order, with the state its forms carry."""

    process: Process
    rows: tuple[Row, ...]
    state: str
    seen: str
    last: Change | None

    @property
    def names(self) -> dict[str, str]:
        """Activity names by id (for branch targets)."""
        return {row.activity.id: row.activity.name for row in self.rows}


@dataclass(frozen=True)
class Snapshot:
    """The list as stored: activities in flow order, their flows and explicit routes."""

    order: list[Activity]
    flows: list[Link]
    routes: dict[str, tuple[Branch, ...]]


def snapshot(store: GraphStore, process_id: str) -> Snapshot:
    """Read the list of a process from the graph."""
    activities: list[Activity] = []
    for ref in store.neighbours(Label.PROCESS, process_id, Rel.HAS_ACTIVITY):
        entity = store.get(Label.ACTIVITY, ref.id)
        if isinstance(entity, Activity):
            activities.append(entity)
    flows = [
        link for a in activities for link in store.outgoing(Label.ACTIVITY, a.id, Rel.FLOWS_TO)
    ]
    order = flow_order(activities, flows)
    return Snapshot(order, flows, routes_of(order, flows))


def list_state(store: GraphStore, process_id: str) -> str:
    """The fingerprint of a process's list: its activities, their versions and flows."""
    shot = snapshot(store, process_id)
    parts = [f"{a.id}@{a.version}" for a in shot.order]
    parts += sorted(f"{lk.source}>{lk.target}{sorted(lk.props.items())}" for lk in shot.flows)
    return hashlib.sha256("|".join(parts).encode("utf-8")).hexdigest()[:20]


def list_ids(shot: Snapshot, process_id: str) -> list[str]:
    """Whose changes a list conflict shows: the process and its activities."""
    return [process_id, *(a.id for a in shot.order)]


def activity_list(qms: Qms, process_id: str) -> ActivityList:
    """The list editor's page: rows in flow order, with performers and documents."""
    store = qms.store
    process = fetch(store, Process, process_id)
    shot = snapshot(store, process_id)
    roles = {r.id: r for r in store.entities(Label.ROLE) if isinstance(r, Role)}
    docs = {d.id: d for d in store.entities(Label.DOCUMENT) if isinstance(d, Document)}
    gateways = {a.id for a in shot.order if is_decision(a)}
    implicit = implicit_next(shot.order, {k: v for k, v in shot.routes.items() if k in gateways})
    rows = []
    for activity in shot.order:
        performer = store.outgoing(Label.ACTIVITY, activity.id, Rel.PERFORMED_BY)
        governed = store.outgoing(Label.ACTIVITY, activity.id, Rel.GOVERNED_BY)
        rows.append(
            Row(
                activity,
                roles.get(performer[0].target) if performer else None,
                tuple(docs[lk.target] for lk in governed if lk.target in docs),
                shot.routes.get(activity.id, ()),
                implicit.get(activity.id, ""),
            )
        )
    ids = list_ids(shot, process_id)
    return ActivityList(
        process,
        tuple(rows),
        list_state(store, process_id),
        seen_stamp(store, ids),
        last_change(store, ids),
    )


def process_of(store: GraphStore, activity_id: str) -> str:
    """The process an activity belongs to (``NotFound`` when it belongs to none)."""
    refs = store.neighbours(Label.ACTIVITY, activity_id, Rel.HAS_ACTIVITY, "in")
    if not refs:
        raise NotFound(Label.ACTIVITY, activity_id)
    return refs[0].id


def activity_state(store: GraphStore, activity_id: str) -> str:
    """The state token of one activity's form."""
    return state_token(store, Label.ACTIVITY, activity_id, ACTIVITY_RELS)


def activity_values(qms: Qms, activity_id: str) -> dict[str, Any]:
    """A stored activity as its form shows it."""
    store = qms.store
    activity = fetch(store, Activity, activity_id)
    process_id = process_of(store, activity_id)
    shot = snapshot(store, process_id)
    routes = shot.routes.get(activity_id, ())
    performer = store.outgoing(Label.ACTIVITY, activity_id, Rel.PERFORMED_BY)
    explicit_next = (
        routes[0].to if len(routes) == 1 and not activity.node_type.endswith("gateway") else ""
    )
    values = {
        **activity.content(),
        "node_type": activity.node_type.value,
        "role": performer[0].target if performer else "",
        "documents": [
            lk.target for lk in store.outgoing(Label.ACTIVITY, activity_id, Rel.GOVERNED_BY)
        ],
        "next": explicit_next,
        "branches": [dataclasses.asdict(b) for b in routes]
        if activity.node_type.endswith("gateway")
        else [],
        "version": activity.version,
        "state": activity_state(store, activity_id),
        "seen": seen_stamp(store, [activity_id]),
    }
    return {k: v for k, v in values.items() if k in ActivityForm().fields}


# -- writes ----------------------------------------------------------------------------
def _fresh_list(store: GraphStore, process_id: str, sent: Mapping[str, Any]) -> Snapshot:
    shot = snapshot(store, process_id)
    check_fresh(store, list_state(store, process_id), sent, list_ids(shot, process_id))
    return shot


def _set_flows(
    uow: UnitOfWork, store: GraphStore, order: Sequence[Activity], wanted: list[Link]
) -> None:
    by_source: dict[str, dict[str, Link]] = {a.id: {} for a in order}
    for link in wanted:
        by_source[link.source][link.target] = link
    for activity in order:
        current = {
            lk.target: lk for lk in store.outgoing(Label.ACTIVITY, activity.id, Rel.FLOWS_TO)
        }
        mine = by_source[activity.id]
        for target, link in current.items():
            if target not in mine or mine[target].props != link.props:
                uow.unlink(link)
        for target, link in mine.items():
            if target not in current or current[target].props != link.props:
                uow.link(link)


def _write_list(
    uow: UnitOfWork,
    store: GraphStore,
    order: Sequence[Activity],
    routes: Mapping[str, Sequence[Branch]],
) -> None:
    """Positions 1…n in list order and the flows that follow from the list."""
    placed: list[Activity] = []
    for number, activity in enumerate(order, start=1):
        current = uow.get(Label.ACTIVITY, activity.id)
        assert isinstance(current, Activity)  # noqa: S101  (the label guarantees the type)
        if current.position != number:
            current = uow.update(dataclasses.replace(current, position=number))
        assert isinstance(current, Activity)  # noqa: S101
        placed.append(current)
    _set_flows(uow, store, placed, flows_for(placed, routes))


def refresh_model(qms: Qms, actor: Actor, process_id: str) -> None:
    """Bring the kept BPMN file of a process up to date with the graph (laid out anew)."""
    store = qms.store
    kept = stored_model(store, process_id)
    if kept is None:
        return
    xml = write(export_model(store, process_id)).decode("utf-8")
    if xml == kept.xml:
        return
    digest = hashlib.sha256(xml.encode("utf-8")).hexdigest()
    with qms.unit_of_work(actor.name) as uow:
        uow.save(dataclasses.replace(kept, xml=xml, digest=digest))


def _role_ok(qms: Qms, role: str) -> dict[str, list[str]]:
    return check_refs(qms.store, {"role": ([role] if role else [], (Label.ROLE,))})


def add_activity(qms: Qms, actor: Actor, process_id: str, data: Mapping[str, Any]) -> Activity:
    """A new activity at the end of the list (before a closing end event)."""
    require_in(qms.store, actor, Permission.EDIT_PROCESSES, Label.PROCESS, process_id)
    store = qms.store
    fetch(store, Process, process_id)
    loaded = load(AddForm(), data, "Aktiviteten")
    role = loaded["role"].strip()
    errors = _role_ok(qms, role)
    if errors:
        raise InvalidInput("Aktiviteten kunde inte sparas.", errors)
    shot = _fresh_list(store, process_id, loaded)
    with qms.unit_of_work(actor.name) as uow:
        activity = uow.add(
            Activity(
                id=new_id(uow, "a", loaded["name"]),
                name=" ".join(loaded["name"].split()),
                node_type=ActivityType(loaded["node_type"]),
                position=len(shot.order) + 1,
            )
        )
        assert isinstance(activity, Activity)  # noqa: S101
        uow.link(Link(Rel.HAS_ACTIVITY, process_id, activity.id))
        if role:
            uow.link(Link(Rel.PERFORMED_BY, activity.id, role))
        order = list(shot.order)
        closing = order and order[-1].node_type is ActivityType.END_EVENT
        order.insert(len(order) - 1 if closing else len(order), activity)
        _write_list(uow, store, order, shot.routes)
    refresh_model(qms, actor, process_id)
    return fetch(store, Activity, activity.id)


def reorder(qms: Qms, actor: Actor, process_id: str, data: Mapping[str, Any]) -> None:
    """Put the activities in the order given (every activity of the process, once)."""
    require_in(qms.store, actor, Permission.EDIT_PROCESSES, Label.PROCESS, process_id)
    store = qms.store
    fetch(store, Process, process_id)
    loaded = load(OrderForm(), data, "Ordningen")
    shot = _fresh_list(store, process_id, loaded)
    by_id = {a.id: a for a in shot.order}
    wanted = loaded["order"]
    if sorted(wanted) != sorted(by_id):
        raise InvalidInput(
            "Ordningen kunde inte sparas.",
            {"order": ["Ordningen ska innehålla varje aktivitet i processen en gång."]},
        )
    _apply(qms, actor, process_id, [by_id[i] for i in wanted], shot.routes)


def move_activity(qms: Qms, actor: Actor, process_id: str, data: Mapping[str, Any]) -> None:
    """Move one activity a step up or down the list."""
    require_in(qms.store, actor, Permission.EDIT_PROCESSES, Label.PROCESS, process_id)
    store = qms.store
    fetch(store, Process, process_id)
    loaded = load(MoveForm(), data, "Flytten")
    shot = _fresh_list(store, process_id, loaded)
    ids = [a.id for a in shot.order]
    if loaded["activity"] not in ids:
        raise InvalidInput(
            "Flytten kunde inte göras.", {"activity": ["Aktiviteten finns inte i processen."]}
        )
    index = ids.index(loaded["activity"])
    other = index - 1 if loaded["direction"] == "up" else index + 1
    if not 0 <= other < len(ids):
        return
    order = list(shot.order)
    order[index], order[other] = order[other], order[index]
    _apply(qms, actor, process_id, order, shot.routes)


def _apply(
    qms: Qms,
    actor: Actor,
    process_id: str,
    order: Sequence[Activity],
    routes: Mapping[str, Sequence[Branch]],
) -> None:
    with qms.unit_of_work(actor.name) as uow:
        _write_list(uow, qms.store, order, routes)
    refresh_model(qms, actor, process_id)


def remove_activity(
    qms: Qms, actor: Actor, process_id: str, activity_id: str, data: Mapping[str, Any]
) -> None:
    """Take an activity out of the list; refused while risks, controls or others point at it."""
    require_in(qms.store, actor, Permission.EDIT_PROCESSES, Label.PROCESS, process_id)
    store = qms.store
    loaded = load(ListLock(), data, "Aktiviteten")
    shot = _fresh_list(store, process_id, loaded)
    if activity_id not in {a.id for a in shot.order}:
        raise NotFound(Label.ACTIVITY, activity_id)
    around = store.neighbourhood(Label.ACTIVITY, activity_id)
    own = {Rel.HAS_ACTIVITY, Rel.FLOWS_TO, Rel.PERFORMED_BY, Rel.GOVERNED_BY, Rel.CONTRIBUTES_TO}
    others = [rel for rel, nodes in around.incoming.items() if nodes and rel not in own]
    if others:
        raise InvalidInput(
            "Aktiviteten kunde inte tas bort.",
            {
                "activity": [
                    "Risker, kontroller eller avvikelser pekar på aktiviteten; ta bort dem först."
                ]
            },
        )
    order = [a for a in shot.order if a.id != activity_id]
    with qms.unit_of_work(actor.name) as uow:
        uow.delete(Label.ACTIVITY, activity_id)
        _write_list(uow, store, order, shot.routes)
    refresh_model(qms, actor, process_id)


def _documents_ok(qms: Qms, process_id: str, documents: list[str]) -> list[str]:
    """Messages for documents that do not exist or belong to another branch of the organisation."""
    store = qms.store
    messages = []
    tree = OrgTree(store)
    own = tree.process_unit(process_id)
    for doc_id in documents:
        if store.label_of(doc_id) is not Label.DOCUMENT:
            messages.append(f"Dokumentet {doc_id} finns inte.")
            continue
        unit = tree.unit_of.get(doc_id, "")
        if not tree.same_branch(own, unit):
            doc = store.get(Label.DOCUMENT, doc_id)
            messages.append(
                f"”{doc.caption}”: " + OTHER_BRANCH.format(unit=tree.name(unit), own=tree.name(own))
            )
    return messages


def update_activity(qms: Qms, actor: Actor, activity_id: str, data: Mapping[str, Any]) -> Activity:
    """Save one activity: fields, performer, documents, next step or decision branches."""
    require_in(qms.store, actor, Permission.EDIT_PROCESSES, Label.ACTIVITY, activity_id)
    store = qms.store
    current = fetch(store, Activity, activity_id)
    process_id = process_of(store, activity_id)
    loaded = load(ActivityForm(), data, "Aktiviteten")
    shot = snapshot(store, process_id)
    ids = {a.id for a in shot.order}
    role = loaded["role"].strip()
    documents = list(dict.fromkeys(d.strip() for d in loaded["documents"] if d.strip()))
    errors = _role_ok(qms, role)
    if bad := _documents_ok(qms, process_id, documents):
        errors["documents"] = bad
    node_type = ActivityType(loaded["node_type"])
    routes = dict(shot.routes)
    if node_type.endswith("gateway"):
        branches, branch_errors = _branches(loaded["branches"], ids, activity_id)
        errors.update(branch_errors)
        routes.pop(activity_id, None)
        if branches:
            routes[activity_id] = tuple(branches)
    else:
        target = loaded["next"].strip()
        if target and target not in ids:
            errors["next"] = ["Välj en aktivitet i samma process."]
        elif target == activity_id:
            errors["next"] = ["En aktivitet kan inte leda till sig själv."]
        keep = shot.routes.get(activity_id, ())
        routes.pop(activity_id, None)
        if target:
            same = [b for b in keep if b.to == target]
            routes[activity_id] = (same[0] if same else Branch(target),)
    if errors:
        raise InvalidInput("Aktiviteten kunde inte sparas.", errors)
    lock = [activity_id]
    check_fresh(store, activity_state(store, activity_id), loaded, lock)
    changed = dataclasses.replace(
        current,
        version=loaded["version"],
        name=" ".join(loaded["name"].split()),
        node_type=node_type,
        description=loaded["description"].strip(),
        inputs=clean_lines(loaded["inputs"]),
        outputs=clean_lines(loaded["outputs"]),
    )
    try:
        with qms.unit_of_work(actor.name) as uow:
            saved = uow.update(changed)
            old_role = [
                lk.target for lk in store.outgoing(Label.ACTIVITY, activity_id, Rel.PERFORMED_BY)
            ]
            relink(uow, activity_id, Rel.PERFORMED_BY, old_role, [role] if role else [])
            old_docs = [
                lk.target for lk in store.outgoing(Label.ACTIVITY, activity_id, Rel.GOVERNED_BY)
            ]
            relink(uow, activity_id, Rel.GOVERNED_BY, old_docs, documents)
            order = [saved if a.id == activity_id else a for a in shot.order]
            assert all(isinstance(a, Activity) for a in order)  # noqa: S101
            _write_list(uow, store, [a for a in order if isinstance(a, Activity)], routes)
    except EditConflict:
        raise
    except Conflict as exc:
        raise stale_version(store, exc, lock, loaded["seen"]) from exc
    refresh_model(qms, actor, process_id)
    return fetch(store, Activity, activity_id)


def _branches(
    sent: list[dict[str, Any]], ids: set[str], activity_id: str
) -> tuple[list[Branch], dict[str, list[str]]]:
    branches: list[Branch] = []
    messages: list[str] = []
    for number, row in enumerate(sent, start=1):
        name, condition, target = (str(row.get(k, "")).strip() for k in ("name", "condition", "to"))
        if not (name or condition or target):
            continue
        if not target or target not in ids or target == activity_id:
            messages.append(f"Gren {number}: välj aktiviteten grenen leder till.")
        elif not name:
            messages.append(f"Gren {number}: ge grenen ett namn (t.ex. Ja eller Nej).")
        elif any(b.to == target for b in branches):
            messages.append(f"Gren {number}: två grenar kan inte leda till samma aktivitet.")
        else:
            branches.append(Branch(target, name, condition, bool(row.get("is_default"))))
    return branches, ({"branches": messages} if messages else {})


def changes_of_list(qms: Qms, process_id: str, seen: str) -> list[Change]:
    """What changed in a process's list since ``seen`` (for a conflict warning)."""
    shot = snapshot(qms.store, process_id)
    return changes_since(qms.store, list_ids(shot, process_id), seen)


__all__ = [
    "ActivityList",
    "Row",
    "activity_list",
    "add_activity",
    "move_activity",
    "refresh_model",
    "remove_activity",
    "reorder",
    "update_activity",
]
