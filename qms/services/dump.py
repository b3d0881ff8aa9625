"""Lossless JSON-lines dump and restore of the whole graph, change log included."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import IO, Any

from marshmallow import Schema, ValidationError, fields, validate

from qms.domain.changes import Change, ChangeOp
from qms.domain.entities import Entity
from qms.domain.errors import InvalidInput
from qms.domain.graph import REL_TYPES, Link, coerce, field_types
from qms.domain.labels import Label, Rel
from qms.search.port import SearchIndex
from qms.services.reindex import reindex
from qms.services.schemas import MESSAGES, QmsSchema
from qms.storage.port import GraphStore
from qms.storage.unit_of_work import to_json

HEADER = {"format": "qms-dump", "version": 1}


def dump_lines(store: GraphStore) -> Iterator[str]:
    """The whole graph as JSON lines: header, nodes, links, change entries, in a fixed order."""
    yield to_json(HEADER)
    for entity in store.iter_entities():
        props = {"id": entity.id} | {name: getattr(entity, name)
                                     for name in field_types(entity.LABEL) if name != "id"}
        yield to_json({"kind": "node", "label": entity.LABEL.value, "props": props})
    for link in store.iter_links():
        yield to_json({"kind": "link", "rel": link.rel.value, "source": link.source,
                       "target": link.target, "props": link.props})
    for change in store.changes():
        yield to_json({"kind": "change"} | {k: str(v) for k, v in vars(change).items()})


def dump(store: GraphStore, out: IO[str]) -> int:
    """Write the dump to ``out``; returns the number of lines."""
    count = 0
    for line in dump_lines(store):
        out.write(line + "\n")
        count += 1
    return count


class _Line(QmsSchema):
    kind = fields.String(required=True, error_messages=MESSAGES,
                         validate=validate.OneOf(["node", "link", "change"]))
    label = fields.String(validate=validate.OneOf([lbl.value for lbl in Label]))
    props = fields.Dict(keys=fields.String())
    rel = fields.String(validate=validate.OneOf([r.value for r in Rel]))
    source = fields.String()
    target = fields.String()


_CHANGE = type("_ChangeLine", (Schema,), {name: fields.String(required=True)
                                         for name in Change.__dataclass_fields__})


def parse(lines: Iterable[str]) -> tuple[list[Entity], list[Link], list[Change]]:
    """Validate a dump; every problem is reported with its line number, nothing is loaded."""
    entities: list[Entity] = []
    links: list[Link] = []
    changes: list[Change] = []
    errors: dict[str, list[str]] = {}
    for number, line in enumerate(lines, start=1):
        try:
            raw = json.loads(line)
            if number == 1:
                if raw != HEADER:
                    raise ValidationError({"format": [f"Inte en QMS-dump av version 1: {raw}"]})
                continue
            _parse_line(raw, entities, links, changes)
        except (ValueError, ValidationError, InvalidInput) as exc:
            detail = exc.messages if isinstance(exc, ValidationError) else str(exc)
            errors.setdefault(f"rad {number}", []).append(str(detail))
    if errors:
        raise InvalidInput(f"dumpen har {len(errors)} felaktiga rader; inget lästes in", errors)
    return entities, links, changes


def _parse_line(raw: Any, entities: list[Entity], links: list[Link],
                changes: list[Change]) -> None:
    if isinstance(raw, dict) and raw.get("kind") == "change":
        data = _CHANGE().load({k: v for k, v in raw.items() if k != "kind"})
        changes.append(Change(**(data | {"op": ChangeOp(data["op"])})))
        return
    data = _Line().load(raw)
    if data["kind"] == "node":
        label = Label(data["label"])
        unknown = set(data["props"]) - set(field_types(label))
        if unknown:
            raise ValidationError({"props": [f"okända fält: {', '.join(sorted(unknown))}"]})
        entities.append(coerce(label, data["props"]))
    else:
        rel = Rel(data["rel"])
        props = data.get("props", {})
        unknown = set(props) - {name for name, _ in REL_TYPES[rel].props}
        if unknown:
            raise ValidationError({"props": [f"okända fält: {', '.join(sorted(unknown))}"]})
        links.append(Link(rel, data["source"], data["target"], props))


def restore(store: GraphStore, search: SearchIndex, lines: Iterable[str]) -> int:
    """Replace the graph with a dump (validated first) and rebuild the search index."""
    entities, links, changes = parse(lines)
    backup = list(dump_lines(store))
    store.clear()
    try:
        store.bulk_load(entities, links, changes)
    except BaseException:
        store.clear()
        store.bulk_load(*parse(backup))
        raise
    reindex(store, search)
    return len(entities)
