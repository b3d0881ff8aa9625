"""``jsonl``: the lossless dump of the whole graph as JSON lines, and its reader.

Line 1 is a header; then nodes by label and id, links by type, source and target, and the
change log by id. Keys are sorted and the text is UTF-8, so equal graphs give equal bytes.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from marshmallow import Schema, ValidationError, fields, validate

from exporters import register
from qms.domain.changes import Change, ChangeOp, to_json
from qms.domain.entities import Entity
from qms.domain.errors import InvalidInput
from qms.domain.graph import REL_TYPES, Link, coerce, field_types
from qms.domain.labels import Label, Rel
from qms.domain.snapshot import Snapshot

HEADER = {"format": "qms-dump", "version": 1}


def lines(snapshot: Snapshot) -> Iterator[str]:
    """The dump, one JSON text per line (without newlines)."""
    yield to_json(HEADER)
    for entity in snapshot.entities:
        props = {name: getattr(entity, name) for name in field_types(entity.LABEL)}
        yield to_json({"kind": "node", "label": entity.LABEL.value, "props": props})
    for link in snapshot.links:
        yield to_json(
            {
                "kind": "link",
                "rel": link.rel.value,
                "source": link.source,
                "target": link.target,
                "props": link.props,
            }
        )
    for change in snapshot.changes:
        yield to_json({"kind": "change"} | {k: str(v) for k, v in vars(change).items()})


@register("jsonl")
def export(snapshot: Snapshot) -> bytes:
    """The dump as UTF-8 bytes, one line per record."""
    return "".join(line + "\n" for line in lines(snapshot)).encode("utf-8")


class _Line(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(["node", "link"]))
    label = fields.String(validate=validate.OneOf([lbl.value for lbl in Label]))
    props = fields.Dict(keys=fields.String(), load_default=dict)
    rel = fields.String(validate=validate.OneOf([r.value for r in Rel]))
    source = fields.String()
    target = fields.String()


_CHANGE_FIELDS: dict[str, fields.Field[Any]] = {
    name: fields.String(required=True) for name in Change.__dataclass_fields__
}
_CHANGE = Schema.from_dict(_CHANGE_FIELDS | {"kind": fields.String()})


def parse(text: Iterable[str]) -> Snapshot:
    """Read a dump; every bad line is reported with its number and nothing is returned."""
    entities: list[Entity] = []
    links: list[Link] = []
    changes: list[Change] = []
    errors: dict[str, list[str]] = {}
    for number, line in enumerate(text, start=1):
        try:
            raw = json.loads(line)
            if number == 1:
                if raw != HEADER:
                    raise ValidationError(f"inte en QMS-dump av version 1: {line[:80]}")
            elif isinstance(raw, dict) and raw.get("kind") == "change":
                data = _CHANGE().load(raw)
                data.pop("kind")
                changes.append(Change(**(data | {"op": ChangeOp(data["op"])})))
            else:
                _record(_Line().load(raw), entities, links)
        except (ValueError, ValidationError, InvalidInput) as exc:
            detail = exc.messages if isinstance(exc, ValidationError) else exc
            errors.setdefault(f"rad {number}", []).append(str(detail))
    if errors:
        raise InvalidInput(f"dumpen har {len(errors)} felaktiga rader; inget lästes in", errors)
    return Snapshot(tuple(entities), tuple(links), tuple(changes))


def _record(data: dict[str, Any], entities: list[Entity], links: list[Link]) -> None:
    if data["kind"] == "node":
        label = Label(data["label"])
        _refuse_unknown(set(data["props"]), set(field_types(label)))
        entities.append(coerce(label, data["props"]))
    else:
        rel = Rel(data["rel"])
        _refuse_unknown(set(data["props"]), {name for name, _ in REL_TYPES[rel].props})
        links.append(Link(rel, data["source"], data["target"], data["props"]))


def _refuse_unknown(given: set[str], known: set[str]) -> None:
    if given - known:
        raise ValidationError({"props": [f"okända fält: {', '.join(sorted(given - known))}"]})
