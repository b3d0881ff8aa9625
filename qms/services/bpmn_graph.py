"""A process as the BPMN codec sees it, read from the store; and the file stored with it."""

from __future__ import annotations

import hashlib

from qms.bpmn.to_graph import ProcessGraph
from qms.domain.entities import Activity, Process, ProcessModel, Role
from qms.domain.labels import Label, Rel
from qms.storage.port import GraphStore


def model_id(process_id: str) -> str:
    """The id of the BPMN file node of a process (ids are at most 100 characters)."""
    candidate = f"{process_id}.bpmn"
    if len(candidate) <= 100:
        return candidate
    return "bpmn-" + hashlib.sha1(process_id.encode()).hexdigest()  # noqa: S324


def process_graph(store: GraphStore, process_id: str) -> ProcessGraph:
    """Activities in order, their flows (with name, condition, default) and performers."""
    process = store.get(Label.PROCESS, process_id)
    assert isinstance(process, Process)  # noqa: S101  (the label guarantees the type)
    activities: list[Activity] = []
    for ref in store.neighbours(Label.PROCESS, process_id, Rel.HAS_ACTIVITY):
        entity = store.get(Label.ACTIVITY, ref.id)
        if isinstance(entity, Activity):
            activities.append(entity)
    activities.sort(key=lambda a: (a.position, a.id))
    ids = {a.id for a in activities}
    flows = []
    roles: dict[str, Role] = {}
    performers: dict[str, str] = {}
    for activity in activities:
        flows += [
            link
            for link in store.outgoing(Label.ACTIVITY, activity.id, Rel.FLOWS_TO)
            if link.target in ids
        ]
        for link in store.outgoing(Label.ACTIVITY, activity.id, Rel.PERFORMED_BY):
            if link.target not in roles:
                role = store.get(Label.ROLE, link.target)
                if isinstance(role, Role):
                    roles[role.id] = role
            performers[activity.id] = link.target
    return ProcessGraph(
        process.id, process.name, tuple(activities), tuple(flows), tuple(roles.values()), performers
    )


def stored_model(store: GraphStore, process_id: str) -> ProcessModel | None:
    """The BPMN file kept with a process, if it was ever imported or saved from the modeler."""
    for ref in store.neighbours(Label.PROCESS, process_id, Rel.HAS_MODEL):
        entity = store.get(Label.PROCESS_MODEL, ref.id)
        if isinstance(entity, ProcessModel):
            return entity
    return None


def sharing(store: GraphStore, model: ProcessModel) -> list[str]:
    """Every process drawn in the same file (the pools of one collaboration)."""
    refs = store.neighbours(Label.PROCESS_MODEL, model.id, Rel.HAS_MODEL, "in")
    return [ref.id for ref in refs]
