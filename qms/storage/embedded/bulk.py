"""Bulk load with COPY FROM Arrow tables: one COPY per label and per (type, source, target)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from enum import StrEnum
from typing import Any

import pyarrow as pa

from qms.domain.changes import Change
from qms.domain.entities import Entity
from qms.domain.graph import REL_TYPES, Link, field_types
from qms.domain.labels import Label, Rel
from qms.storage import schema as q
from qms.storage.bulk_plan import plan, slices
from qms.storage.cypher import cypher

Run = Callable[[str, dict[str, Any] | None], list[list[Any]]]
CHUNK = 20_000

_ARROW: dict[type, pa.DataType] = {
    str: pa.string(),
    int: pa.int64(),
    float: pa.float64(),
    bool: pa.bool_(),
    date: pa.date32(),
    tuple: pa.list_(pa.string()),
}


def _arrow_type(kind: type) -> pa.DataType:
    return pa.string() if issubclass(kind, StrEnum) else _ARROW[kind]


def load(
    run: Run, entities: Iterable[Entity], links: Iterable[Link], changes: Iterable[Change]
) -> None:
    """Load everything into an empty store; endpoints of links must be among ``entities``."""
    grouped = plan(entities, links)
    for label, members in grouped.by_label.items():
        kinds = field_types(label)
        for chunk in slices(members, CHUNK):
            table = pa.table(
                {
                    name: pa.array([_value(getattr(e, name)) for e in chunk], _arrow_type(kind))
                    for name, kind in kinds.items()
                }
            )
            run(cypher("COPY {label} FROM $rows", label=label), {"rows": table})
    for (rel, source, target), pair_links in grouped.by_pair.items():
        for group in slices(pair_links, CHUNK):
            _copy_links(run, rel, source, target, group)
    change_rows = [{n: str(getattr(c, n)) for n in q.CHANGE_FIELDS} for c in changes]
    for rows in slices(change_rows, CHUNK):
        table = pa.table({n: pa.array([r[n] for r in rows], pa.string()) for n in q.CHANGE_FIELDS})
        run(cypher("COPY {label} FROM $rows", label=q.CHANGE_LABEL), {"rows": table})


def _value(value: Any) -> Any:
    return value.value if isinstance(value, StrEnum) else value


def _copy_links(run: Run, rel: Rel, source: Label, target: Label, group: list[Link]) -> None:
    columns: dict[str, pa.Array] = {
        "from": pa.array([lk.source for lk in group], pa.string()),
        "to": pa.array([lk.target for lk in group], pa.string()),
    }
    for name, kind in REL_TYPES[rel].props:
        columns[name] = pa.array([lk.props.get(name) for lk in group], _arrow_type(kind))
    run(
        cypher(
            "COPY {rel} FROM $rows (from='{source}', to='{target}')",
            rel=rel,
            source=source,
            target=target,
        ),
        {"rows": pa.table(columns)},
    )
