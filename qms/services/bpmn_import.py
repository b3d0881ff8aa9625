"""``qms bpmn import`` and the modeler's save: a BPMN file as the next version of processes.

All or nothing in one unit of work: processes, activities (ids kept, so their links to
documents, risks and goals stay), flows, lanes as roles, and the file itself for export.
"""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass, field

from qms.bpmn.reader import read
from qms.bpmn.to_graph import ProcessGraph, to_graph
from qms.bpmn.writer import write
from qms.domain.entities import Activity, Entity, Process, ProcessModel, Role
from qms.domain.errors import Conflict
from qms.domain.graph import Link
from qms.domain.kinds import ProcessKind
from qms.domain.labels import Label, Rel
from qms.services.app import Qms
from qms.services.bpmn_export import export_process, revision
from qms.services.bpmn_graph import model_id
from qms.services.bpmn_identity import identify, primary
from qms.storage.unit_of_work import UnitOfWork

STALE = (
    "Processen har ändrats sedan du öppnade den (av någon annan eller i ett annat fönster). "
    "Dina ändringar sparades inte: ladda om sidan och gör dem igen."
)


@dataclass
class ImportReport:
    """What an import changed, and what the file needed to be read."""

    processes: list[str] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    kept: list[str] = field(default_factory=list)
    renamed: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def import_bpmn(
    qms: Qms,
    data: bytes,
    source: str,
    actor: str,
    *,
    process_id: str | None = None,
    kind: ProcessKind = ProcessKind.CORE,
    expected_revision: str | None = None,
) -> ImportReport:
    """Read, check and apply a BPMN file; ``InvalidInput`` (nothing written) when it is bad."""
    store = qms.store
    first = read(data, source)
    ids = identify(store, first, process_id)
    model = read(data, source, ids.renames) if ids.renames else first
    main = primary(first, process_id)
    lead = ids.renames.get(main.id, main.id) if main is not None else None
    graphs = to_graph(model, ids.known, lead)
    report = ImportReport([g.process_id for g in graphs], renamed=ids.renames)
    report.warnings = model.warnings
    if expected_revision is not None:
        current = store.label_of(graphs[0].process_id)
        if current is not None and revision(export_process(store, graphs[0].process_id)) != (
            expected_revision
        ):
            raise Conflict(STALE)
    xml = write(model).decode("utf-8")
    made_by = (model.attrs.get("exporter"), model.attrs.get("exporterVersion"))
    tool = " ".join(v for v in made_by if v)
    with qms.unit_of_work(actor) as uow:
        for graph in graphs:
            _process(uow, qms, graph, kind, report)
        _model(uow, qms, [g.process_id for g in graphs], xml, source, tool, report)
    return report


def _stored(uow: UnitOfWork, label: Label, entity_id: str) -> Entity | None:
    return uow.get(label, entity_id) if uow.label_of(entity_id) is label else None


def _save(uow: UnitOfWork, entity: Entity, report: ImportReport) -> None:
    outcome = uow.save(entity)
    setattr(report, outcome, getattr(report, outcome) + 1)


def _process(
    uow: UnitOfWork, qms: Qms, graph: ProcessGraph, kind: ProcessKind, report: ImportReport
) -> None:
    store = qms.store
    stored = _stored(uow, Label.PROCESS, graph.process_id)
    if isinstance(stored, Process):
        _save(uow, dataclasses.replace(stored, name=graph.name), report)
    else:
        _save(uow, Process(id=graph.process_id, name=graph.name, kind=kind), report)
    for role in graph.roles:
        known = _stored(uow, Label.ROLE, role.id)
        _save(
            uow,
            dataclasses.replace(known, name=role.name) if isinstance(known, Role) else role,
            report,
        )
    wanted = {a.id for a in graph.activities}
    for activity in graph.activities:
        before = _stored(uow, Label.ACTIVITY, activity.id)
        if isinstance(before, Activity):
            # Objekt in/ut come from data associations; a file without any keeps the graph's.
            activity = dataclasses.replace(
                activity,
                inputs=activity.inputs or before.inputs,
                outputs=activity.outputs or before.outputs,
            )
        _save(uow, activity, report)
    current = {r.id for r in store.neighbours(Label.PROCESS, graph.process_id, Rel.HAS_ACTIVITY)}
    _links(
        uow,
        qms,
        Label.PROCESS,
        graph.process_id,
        Rel.HAS_ACTIVITY,
        [Link(Rel.HAS_ACTIVITY, graph.process_id, a) for a in wanted],
    )
    flows: dict[str, list[Link]] = {a: [] for a in wanted}
    for link in graph.flows:
        flows[link.source].append(link)
    for activity_id, links in flows.items():
        _links(uow, qms, Label.ACTIVITY, activity_id, Rel.FLOWS_TO, links)
        if graph.roles:
            performer = graph.performers.get(activity_id)
            wanted_roles = [Link(Rel.PERFORMED_BY, activity_id, performer)] if performer else []
            _links(uow, qms, Label.ACTIVITY, activity_id, Rel.PERFORMED_BY, wanted_roles)
    for gone in sorted(current - wanted):
        _retire(uow, qms, gone, report)


def _links(
    uow: UnitOfWork, qms: Qms, label: Label, source: str, rel: Rel, wanted: list[Link]
) -> None:
    """Make the ``rel`` links leaving ``source`` exactly ``wanted`` (with their properties)."""
    current = {link.target: link for link in qms.store.outgoing(label, source, rel)}
    by_target = {link.target: link for link in wanted}
    for target, link in current.items():
        if target not in by_target or by_target[target].props != link.props:
            uow.unlink(link)
    for target, link in by_target.items():
        if target not in current or current[target].props != link.props:
            uow.link(link)


def _retire(uow: UnitOfWork, qms: Qms, activity_id: str, report: ImportReport) -> None:
    """An activity no longer drawn: deleted, unless documents, risks or goals point at it."""
    around = qms.store.neighbourhood(Label.ACTIVITY, activity_id)
    flow_rels = {Rel.HAS_ACTIVITY, Rel.FLOWS_TO, Rel.PERFORMED_BY}
    links = (*around.outgoing.items(), *around.incoming.items())
    other = [rel for rel, nodes in links if nodes and rel not in flow_rels]
    if not other:
        uow.delete(Label.ACTIVITY, activity_id)
        report.removed += 1
        return
    for rel in flow_rels:
        for node in around.outgoing.get(rel, ()):
            uow.unlink(Link(rel, activity_id, node.id))
        for node in around.incoming.get(rel, ()):
            uow.unlink(Link(rel, node.id, activity_id))
    report.kept.append(activity_id)


def _model(
    uow: UnitOfWork,
    qms: Qms,
    processes: list[str],
    xml: str,
    source: str,
    tool: str,
    report: ImportReport,
) -> None:
    digest = hashlib.sha256(xml.encode("utf-8")).hexdigest()
    kept = qms.store.neighbours(Label.PROCESS, processes[0], Rel.HAS_MODEL)
    ident = kept[0].id if kept else model_id(processes[0])
    _save(uow, ProcessModel(id=ident, xml=xml, source=source, tool=tool, digest=digest), report)
    for pid in processes:
        _links(uow, qms, Label.PROCESS, pid, Rel.HAS_MODEL, [Link(Rel.HAS_MODEL, pid, ident)])
