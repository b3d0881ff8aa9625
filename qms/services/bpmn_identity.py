"""Which graph node each element of an incoming BPMN file is: same id, or renamed.

Ids are kept where they can be. An id is changed only when it names something else in the
graph (the default ``StartEvent_1`` of another process, a role another process uses under
another name) or cannot be a graph id; the change is made in the kept file as well, so the
next export carries the new id and the round trip stays stable.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from qms.bpmn.from_graph import lanes_of
from qms.bpmn.ids import graph_id, resolve, scoped, xml_id
from qms.bpmn.model import Definitions, Process
from qms.bpmn.to_graph import chosen
from qms.domain.entities import Role
from qms.domain.labels import Label, Rel
from qms.services.bpmn_graph import process_graph
from qms.storage.port import GraphStore


@dataclass
class Identities:
    """XML id → graph id for graph-bound elements, and the XML renames that implies."""

    known: dict[str, str] = field(default_factory=dict)
    renames: dict[str, str] = field(default_factory=dict)

    def bind(self, xml: str, graph: str) -> None:
        """Element ``xml`` is graph node ``graph``."""
        self.known[xml] = graph
        if graph_id(xml) != graph:
            self.renames[xml] = xml_id(graph)
            self.known[xml_id(graph)] = graph


def primary(model: Definitions, target: str | None) -> Process | None:
    """The process a targeted import updates: the one already exported as ``target``, else
    the first one the file holds."""
    processes = chosen(model)
    if target is not None:
        for process in processes:
            if process.id == xml_id(target) or graph_id(process.id) == target:
                return process
    return processes[0] if processes else None


def identify(store: GraphStore, model: Definitions, target: str | None) -> Identities:
    """Decide the graph id of every process, flow node and named lane of ``model``."""
    found = Identities()
    main = primary(model, target)
    for process in chosen(model):
        wanted = target if process is main and target else resolve(process.id, {})
        pid = wanted if store.label_of(wanted) in (None, Label.PROCESS) else scoped("p", wanted)
        exported = {}
        if store.label_of(pid) is Label.PROCESS:
            current = process_graph(store, pid)
            exported = {xml_id(a.id): a.id for a in current.activities}
            exported |= {xml_id(r.id): r.id for r in current.roles}
        found.bind(process.id, pid)
        for node, _ in process.body.walk():
            found.bind(node.id, _activity(store, pid, resolve(node.id, exported)))
        roles_by_name = _roles_by_name(store)
        for lane in lanes_of(process):
            if lane.name and lane.name.strip():
                name = " ".join(lane.name.split())
                role = _role(store, pid, resolve(lane.id, exported), name, roles_by_name)
                found.bind(lane.id, role)
    return found


def _activity(store: GraphStore, pid: str, wanted: str) -> str:
    """The wanted id unless it is a node of another process (or not an activity)."""
    candidate = wanted
    for _ in range(3):
        label = store.label_of(candidate)
        if label is None:
            return candidate
        if label is Label.ACTIVITY:
            owners = {r.id for r in store.neighbours(label, candidate, Rel.HAS_ACTIVITY, "in")}
            if owners <= {pid}:
                return candidate
        candidate = scoped(pid, candidate)
    return candidate


def _roles_by_name(store: GraphStore) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for role in store.entities(Label.ROLE):
        if isinstance(role, Role):
            found.setdefault(role.name.casefold(), []).append(role.id)
    return found


def _role(
    store: GraphStore, pid: str, wanted: str, name: str, by_name: dict[str, list[str]]
) -> str:
    """A lane is the role with its id; or the one role with its name; or a new role."""
    label = store.label_of(wanted)
    if label is Label.ROLE:
        role = store.get(label, wanted)
        if isinstance(role, Role) and role.name == name:
            return wanted
        performed = store.neighbours(label, wanted, Rel.PERFORMED_BY, "in")
        owners = {
            owner.id
            for ref in performed
            for owner in store.neighbours(Label.ACTIVITY, ref.id, Rel.HAS_ACTIVITY, "in")
        }
        if owners <= {pid}:
            return wanted  # the lane was renamed in this process: rename the role
    same = by_name.get(name.casefold(), [])
    if len(same) == 1:
        return same[0]
    if label is None:
        return wanted
    return scoped(pid, wanted)
