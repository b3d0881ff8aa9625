"""Reading model files (YAML) into validated records; see docs/model-files.md."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from marshmallow import ValidationError

from qms.domain.errors import InvalidInput
from qms.domain.graph import REFERENCES
from qms.domain.labels import Label
from qms.services.schemas import entity_schema

COLLECTIONS: dict[str, Label] = {
    "org_units": Label.ORG_UNIT,
    "goals": Label.GOAL,
    "goal_assessments": Label.GOAL_ASSESSMENT,
    "expected_results": Label.EXPECTED_RESULT,
    "indicators": Label.INDICATOR,
    "indicator_outcomes": Label.INDICATOR_OUTCOME,
    "initiatives": Label.INITIATIVE,
    "roles": Label.ROLE,
    "documents": Label.DOCUMENT,
    "processes": Label.PROCESS,
    "activities": Label.ACTIVITY,
    "risks": Label.RISK,
    "risk_matrices": Label.RISK_MATRIX,
    "controls": Label.CONTROL,
    "self_inspections": Label.SELF_INSPECTION,
    "inspection_results": Label.INSPECTION_RESULT,
    "deviations": Label.DEVIATION,
    "causes": Label.CAUSE,
    "actions": Label.ACTION,
    "accounts": Label.ACCOUNT,
}
MAX_FILE_BYTES = 20 * 1024 * 1024


@dataclass
class Record:
    """One entity as written in a file, validated; nested entities are records of their own."""

    label: Label
    data: dict[str, Any]
    where: str
    position: int = 0
    children: list[tuple[str, Record]] = field(default_factory=list)

    @property
    def id(self) -> str:
        """The entity id."""
        return str(self.data["id"])


class Problems:
    """Collects one line per problem: location → messages."""

    def __init__(self) -> None:
        self.errors: dict[str, list[str]] = {}

    def add(self, where: str, message: str) -> None:
        """Record one problem."""
        self.errors.setdefault(where, []).append(message)

    def raise_if_any(self, what: str) -> None:
        """Raise ``InvalidInput`` listing every problem, if there were any."""
        if self.errors:
            count = sum(len(m) for m in self.errors.values())
            raise InvalidInput(f"{what}: {count} fel, inget sparades", self.errors)


def model_files(path: Path) -> list[Path]:
    """The YAML files a path names: the file itself, or every ``*.yaml`` below a directory."""
    if path.is_dir():
        return sorted(p for p in path.rglob("*.y*ml") if p.suffix in (".yaml", ".yml"))
    if path.is_file():
        return [path]
    raise InvalidInput(f"{path} finns inte", {str(path): ["filen eller katalogen finns inte"]})


def read_records(paths: list[Path], problems: Problems) -> list[Record]:
    """Parse and validate every file; problems are collected, not raised."""
    records: list[Record] = []
    for path in paths:
        content = _parse(path, problems)
        if content is None:
            continue
        for collection, items in content.items():
            label = COLLECTIONS.get(str(collection))
            if label is None:
                problems.add(
                    f"{path}: {collection}", f"Okänd samling; tillåtna: {', '.join(COLLECTIONS)}."
                )
                continue
            if not isinstance(items, list):
                problems.add(f"{path}: {collection}", "En lista krävs.")
                continue
            for index, item in enumerate(items):
                record = _record(label, item, f"{path}: {collection}[{index}]", index, problems)
                if record is not None:
                    records.append(record)
    return records


def flatten(records: list[Record]) -> Iterator[Record]:
    """Every record, nested ones after their parent."""
    for record in records:
        yield record
        yield from flatten([child for _, child in record.children])


def _parse(path: Path, problems: Problems) -> dict[str, Any] | None:
    if path.stat().st_size > MAX_FILE_BYTES:
        problems.add(str(path), f"Filen är större än {MAX_FILE_BYTES // 2**20} MB.")
        return None
    try:
        content = yaml.safe_load(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        problems.add(str(path), "Filen är inte UTF-8.")
        return None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" rad {mark.line + 1}" if mark is not None else ""
        problems.add(f"{path}:{line.strip()}", f"Ogiltig YAML: {getattr(exc, 'problem', exc)}")
        return None
    if content is None:
        return {}
    if not isinstance(content, dict):
        problems.add(str(path), "Filen ska vara en mappning av samlingar till listor.")
        return None
    return content


def _record(
    label: Label, item: Any, where: str, position: int, problems: Problems
) -> Record | None:
    if not isinstance(item, dict):
        problems.add(where, "Ett objekt (mappning) krävs.")
        return None
    name = item.get("id", "?")
    try:
        data = entity_schema(label)().load(item)
    except ValidationError as exc:
        for path, message in _flat(exc.messages):
            problems.add(f"{where.split(': ')[0]}: {name}.{path}", message)
        return None
    return _build(label, data, f"{where.split(': ')[0]}: {name}", position)


def _build(label: Label, data: dict[str, Any], where: str, position: int) -> Record:
    """A record and, recursively, the entities nested in its reference lists."""
    record = Record(label, data, where, position)
    for ref_field, ref in REFERENCES[label].items():
        for index, child in enumerate(data.get(ref_field) or ()):
            if isinstance(child, dict):
                nested = _build(ref.targets[0], child, f"{where}.{ref_field}", index)
                record.children.append((ref_field, nested))
    return record


def _flat(messages: Any, prefix: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(messages, dict):
        for key, value in messages.items():
            part = f"[{key}]" if isinstance(key, int) else (f".{key}" if prefix else str(key))
            yield from _flat(value, prefix + part)
    elif isinstance(messages, list):
        for message in messages:
            if isinstance(message, str):
                yield prefix, message
            else:
                yield from _flat(message, prefix)
    else:
        yield prefix, str(messages)
