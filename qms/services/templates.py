"""A new organisation unit, optionally started from the demo organisation's styrprocesser.

The copies get new ids (``<unit id>-<template id>``), belong to the new unit and keep their
activities, flows, roles, goals and documents where those exist in the graph; they are
ordinary processes afterwards, edited independently of the template.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from marshmallow import fields, pre_load, validate

from process_models import DEMO
from qms.domain.entities import ID_PATTERN, OrgUnit
from qms.domain.errors import InvalidInput
from qms.domain.graph import REFERENCES
from qms.domain.kinds import OrgLevel
from qms.domain.labels import Label
from qms.services.access import Actor, Permission
from qms.services.app import Qms
from qms.services.doc_registry import organisation_of, root_unit
from qms.services.forms import check_refs, load, new_id
from qms.services.loader import make_plan
from qms.services.model_files import Problems, Record, flatten, read_records
from qms.services.schemas import ID_FIELD_MESSAGE, MESSAGES, QmsSchema
from qms.storage.port import GraphStore

TEMPLATE = DEMO / "12-processes-management.yaml"


@dataclass(frozen=True)
class TemplateProcess:
    """A process of the template, as the form offers it."""

    id: str
    name: str
    activities: int


def template_processes(path: Path = TEMPLATE) -> list[TemplateProcess]:
    """The top-level processes of a template file, in file order."""
    return [
        TemplateProcess(r.id, str(r.data["name"]), len(r.children))
        for r in _records(path)
        if r.label is Label.PROCESS
    ]


def _records(path: Path) -> list[Record]:
    problems = Problems()
    records = read_records([path], problems)
    problems.raise_if_any(str(path))
    return records


class UnitForm(QmsSchema):
    """A new organisation unit and which template processes to copy into it."""

    id = fields.String(
        load_default="",
        error_messages=MESSAGES,
        validate=validate.Regexp(
            r"\A(?:[A-Za-z0-9][A-Za-z0-9_.:-]{0,39})?\Z", error=ID_FIELD_MESSAGE
        ),
    )
    name = fields.String(
        required=True,
        error_messages=MESSAGES,
        validate=validate.Length(min=1, max=200, error="Ange ett namn (högst {max} tecken)."),
    )
    level = fields.String(
        required=True,
        error_messages=MESSAGES,
        validate=validate.OneOf([lv.value for lv in OrgLevel], error="Välj en nivå i listan."),
    )
    parent = fields.String(load_default="", error_messages=MESSAGES)
    description = fields.String(
        load_default="", validate=validate.Length(max=5000, error="Högst {max} tecken.")
    )
    processes = fields.List(fields.String(), load_default=list, error_messages=MESSAGES)

    @pre_load
    def _tidy(self, data: Mapping[str, Any], **kwargs: Any) -> dict[str, Any]:
        return {k: v.strip() if isinstance(v, str) else v for k, v in data.items()}


@dataclass
class UnitReport:
    """What creating a unit did: the unit, the copied processes, what could not be kept."""

    unit: OrgUnit
    processes: list[str] = field(default_factory=list)
    activities: int = 0
    links: int = 0
    dropped: list[str] = field(default_factory=list)


def create_unit(
    qms: Qms, actor: Actor, data: Mapping[str, Any], template: Path = TEMPLATE
) -> UnitReport:
    """Create an organisation unit and copy the chosen template processes into it, at once."""
    actor.require(Permission.EDIT_PROCESSES)
    loaded = load(UnitForm(), data, "Enheten")
    store = qms.store
    errors = check_refs(
        store, {"parent": ([loaded["parent"]] if loaded["parent"] else [], (Label.ORG_UNIT,))}
    )
    records = [r for r in _records(template) if r.label is Label.PROCESS]
    offered = {r.id for r in records}
    unknown = [p for p in loaded["processes"] if p not in offered]
    if unknown:
        errors["processes"] = [f"Finns inte i mallen: {', '.join(unknown)}."]
    if loaded["id"] and store.label_of(loaded["id"]) is not None:
        errors["id"] = [f"Id:t {loaded['id']} används redan."]
    if errors:
        raise InvalidInput("Enheten kunde inte skapas.", errors)
    chosen = [r for r in records if r.id in set(loaded["processes"])]
    with qms.unit_of_work(actor.name) as uow:
        unit_id = loaded["id"] or new_id(uow, "ou", loaded["name"])
        unit = Record(
            Label.ORG_UNIT,
            {
                "id": unit_id,
                "name": loaded["name"],
                "level": loaded["level"],
                "description": loaded["description"],
                "parent": loaded["parent"] or None,
            },
            "enhet",
        )
        report = UnitReport(
            OrgUnit(id=unit_id, name=loaded["name"], level=OrgLevel(loaded["level"]))
        )
        parent = loaded["parent"]
        organisation = root_unit(store, parent) if parent else unit_id
        copies = _copies(store, chosen, unit_id, organisation, report)
        taken = [r.id for r in flatten(copies) if uow.label_of(r.id) is not None]
        if taken:
            raise InvalidInput(
                "Enheten kunde inte skapas.",
                {"id": [f"Kopiorna skulle få id som redan används: {', '.join(taken[:5])}."]},
            )
        problems = Problems()
        plan = make_plan([unit, *flatten(copies)], store, problems)
        problems.raise_if_any("mallen")
        for entity in plan.entities:
            saved = uow.add(entity)
            if isinstance(saved, OrgUnit):
                report.unit = saved
        for wanted in plan.links.values():
            for link in wanted.values():
                report.links += uow.link(link)
    report.processes = [r.id for r in copies]
    report.activities = sum(len(r.children) for r in copies)
    return report


def _copies(
    store: GraphStore, chosen: list[Record], unit_id: str, organisation: str, report: UnitReport
) -> list[Record]:
    """The chosen template records renamed into the unit, references kept where they exist.

    A document of another organisation is left out, as ``doc_registry.attach`` refuses it.
    """
    names = {r.id: f"{unit_id}-{r.id}" for r in flatten(chosen)}
    too_long = [new for new in names.values() if not ID_PATTERN.match(new)]
    if too_long:
        raise InvalidInput(
            "Enheten kunde inte skapas.",
            {"id": ["Id:t är för långt för att kopiera mallen; välj ett kortare."]},
        )
    existing: dict[str, Label | None] = {}

    def foreign(target: str) -> bool:
        if existing[target] is not Label.DOCUMENT:
            return False
        theirs = organisation_of(store, Label.DOCUMENT, target)
        return theirs is not None and theirs != organisation

    def keep(target: str, allowed: tuple[Label, ...]) -> str | None:
        if target in names:
            return names[target]
        if target not in existing:
            existing[target] = store.label_of(target)
        if existing[target] in allowed and not foreign(target):
            return target
        if target not in report.dropped:
            report.dropped.append(target)
        return None

    def rename(record: Record) -> Record:
        data = dict(record.data)
        data["id"] = names[record.id]
        children = [(name, rename(child)) for name, child in record.children]
        nested = {name: [c.data for n, c in children if n == name] for name, _ in children}
        for name, ref in REFERENCES[record.label].items():
            value = data.get(name)
            if name in nested:
                data[name] = nested[name]
            elif name == "org_unit":
                data[name] = unit_id
            elif isinstance(value, str):
                data[name] = keep(value, ref.targets)
            elif isinstance(value, list):
                data[name] = [t for v in value if (t := keep(str(v), ref.targets)) is not None]
        if record.label is Label.PROCESS and data.get("parent") not in names.values():
            data["parent"] = None
        if data.get("next"):
            data["next"] = [
                {**flow, "to": names[flow["to"]]} for flow in data["next"] if flow["to"] in names
            ]
        copy = Record(record.label, data, f"{unit_id}: {record.where}", record.position)
        copy.children = children
        return copy

    return [rename(r) for r in chosen]
