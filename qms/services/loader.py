"""``qms load``: model files into the graph, validated first, applied all or nothing."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qms.domain.entities import Entity
from qms.domain.graph import REFERENCES, Link, coerce, field_types
from qms.domain.kinds import ActivityType
from qms.domain.labels import Label, Rel
from qms.search.port import SearchIndex
from qms.services.model_files import Problems, Record, flatten, model_files, read_records
from qms.services.unit_of_work import unit_of_work
from qms.storage.port import GraphStore

Managed = tuple[Label, str, Rel]


@dataclass
class LoadReport:
    """What a load changed."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    linked: int = 0
    unlinked: int = 0


@dataclass
class Plan:
    """The entities and links the files describe, and which links they are authoritative for."""

    entities: list[Entity]
    links: dict[Managed, dict[str, Link]]


def load_models(store: GraphStore, search: SearchIndex, path: Path, actor: str) -> LoadReport:
    """Validate every file under ``path``; if all is well, make the graph match them."""
    problems = Problems()
    records = list(flatten(read_records(model_files(path), problems)))
    plan = make_plan(records, store, problems)
    problems.raise_if_any(str(path))
    report = LoadReport()
    with unit_of_work(store, search, actor) as uow:
        for entity in plan.entities:
            outcome = uow.save(entity)
            setattr(report, outcome, getattr(report, outcome) + 1)
        for (label, source, rel), wanted in plan.links.items():
            current = {link.target: link for link in store.outgoing(label, source, rel)}
            for target, link in current.items():
                if target not in wanted or wanted[target].props != link.props:
                    uow.unlink(link)
                    report.unlinked += 1
            for target, link in wanted.items():
                if target not in current or current[target].props != link.props:
                    uow.link(link)
                    report.linked += 1
    return report


def make_plan(records: list[Record], store: GraphStore, problems: Problems) -> Plan:
    """Entities and links from validated records; reference problems are collected."""
    by_id: dict[str, Record] = {}
    for record in records:
        if record.id in by_id:
            problems.add(record.where, f"id {record.id} används redan i {by_id[record.id].where}")
            continue
        by_id[record.id] = record
        stored = store.label_of(record.id)
        if stored is not None and stored is not record.label:
            problems.add(record.where, f"id {record.id} är redan en {stored} i grafen")

    def label_of(target: str) -> Label | None:
        return by_id[target].label if target in by_id else store.label_of(target)

    plan = Plan([], {})
    for record in by_id.values():
        plan.entities.append(_entity(record))
        for name, ref in REFERENCES[record.label].items():
            wanted = plan.links.setdefault((record.label, record.id, ref.rel), {})
            for target in _ids(record.data.get(name)):
                found = label_of(target)
                if found is None:
                    problems.add(f"{record.where}.{name}", f"Okänd referens {target}.")
                elif found not in ref.targets:
                    allowed = ", ".join(t.value for t in ref.targets)
                    problems.add(
                        f"{record.where}.{name}",
                        f"{target} är en {found.value}; förväntat {allowed}.",
                    )
                else:
                    wanted[target] = Link(ref.rel, record.id, target)
        if record.label is Label.PROCESS:
            _flows(record, plan, label_of, problems)
    return plan


def _entity(record: Record) -> Entity:
    names = field_types(record.label)
    values = {k: v for k, v in record.data.items() if k in names}
    if record.label is Label.ACTIVITY and "position" not in values:
        values["position"] = record.position + 1
    return coerce(record.label, values)


def _ids(value: Any) -> list[str]:
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    return [item if isinstance(item, str) else str(item["id"]) for item in items]


def _flows(process: Record, plan: Plan, label_of: Any, problems: Problems) -> None:
    """Sequence flows of a process's nested activities: explicit ``next`` or list order."""
    steps = [child for name, child in process.children if name == "activities"]
    for index, step in enumerate(steps):
        wanted = plan.links.setdefault((Label.ACTIVITY, step.id, Rel.FLOWS_TO), {})
        flows = step.data.get("next")
        if flows:
            for flow in flows:
                if label_of(flow["to"]) is not Label.ACTIVITY:
                    problems.add(f"{step.where}.next", f"{flow['to']} är ingen aktivitet.")
                    continue
                props = {
                    "name": flow["name"],
                    "condition": flow["condition"],
                    "is_default": flow["default"],
                }
                wanted[flow["to"]] = Link(Rel.FLOWS_TO, step.id, flow["to"], props)
        elif index + 1 < len(steps) and step.data.get("node_type") != ActivityType.END_EVENT:
            props = {"name": "", "condition": "", "is_default": False}
            wanted[steps[index + 1].id] = Link(Rel.FLOWS_TO, step.id, steps[index + 1].id, props)
